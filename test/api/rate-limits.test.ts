// Request weights, the per-IP weight window, the per-account order count, 429 then the
// 418 ban (spec §5), with the server's clock moved by the test instead of sleeping.
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from "../../src/api/rate-limits.js";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
afterEach(() => h.close());

// T0 lies 20 s into its UTC minute: the window ends 40 s later.
const WINDOW_END = T0 + 40_000;

async function start(rateLimits: RateLimitSettings = DEFAULT_RATE_LIMITS): Promise<Client> {
  h = await Harness.start(undefined, { rateLimits });
  return h.account();
}

const usedWeight = (res: { headers: Record<string, unknown> }) => Number(res.headers["x-mbx-used-weight-1m"]);
const ping = (ip = "127.0.0.1") => h.request("GET", "/papi/v1/ping", {}, undefined, ip);

describe("request weights", () => {
  it.each([
    ["GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" }, 1],
    ["GET", "/papi/v1/cm/openOrders", {}, 40],
    ["GET", "/papi/v1/cm/allOrders", { symbol: "BTCUSD_PERP" }, 20],
    ["GET", "/papi/v1/cm/allOrders", { pair: "BTCUSD" }, 40],
    ["GET", "/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" }, 20],
    ["GET", "/papi/v1/cm/userTrades", { pair: "BTCUSD" }, 40],
    ["GET", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", orderId: 1 }, 1],
    ["GET", "/papi/v1/cm/openOrder", { symbol: "BTCUSD_PERP", orderId: 1 }, 1],
    ["DELETE", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", orderId: 1 }, 1],
    ["DELETE", "/papi/v1/cm/allOpenOrders", { symbol: "BTCUSD_PERP" }, 1],
    ["POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"), 1],
    [
      "PUT",
      "/papi/v1/cm/order",
      { symbol: "BTCUSD_PERP", orderId: 1, side: "BUY", quantity: 1, price: "1" },
      1,
    ],
    ["GET", "/papi/v1/rateLimit/order", {}, 1],
  ] as const)(
    "charges %s %s %j weight %i, shown in X-MBX-USED-WEIGHT-1M",
    async (method, path, params, weight) => {
      const alice = await start();
      const res = await h.signed(alice, method, path, params);
      expect(usedWeight(res)).toBe(weight);
    },
  );

  it("charges GET /papi/v1/ping weight 1 and adds up within the minute", async () => {
    await start();
    expect(usedWeight(await ping())).toBe(1);
    expect(usedWeight(await ping())).toBe(2);
  });

  it("charges rejected requests too", async () => {
    const alice = await start();
    const res = await h.signed(alice, "GET", "/papi/v1/cm/openOrders", {}, { secret: "wrong" });
    expect(res.status).toBe(400);
    expect(usedWeight(res)).toBe(40);
  });

  it("shows the weight used on an unknown path without charging it", async () => {
    await start();
    await ping();
    const res = await h.request("GET", "/papi/v1/nothing");
    expect(res.status).toBe(404);
    expect(usedWeight(res)).toBe(1);
  });
});

describe("IP weight limit", () => {
  it("answers the 6,001st weight of a minute with 429 -1003 and Retry-After to the window's end", async () => {
    const alice = await start();
    for (let i = 0; i < 150; i++) await h.signed(alice, "GET", "/papi/v1/cm/openOrders", {}); // 150 × 40 = 6000
    const res = await ping();
    expect(res).toMatchObject({
      status: 429,
      body: {
        code: -1003,
        msg: "Too many requests; current limit is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.",
      },
    });
    expect(res.headers["retry-after"]).toBe("40");
  });

  it("starts afresh when the minute rolls over", async () => {
    await start({ enabled: true, ipWeightLimit: 3, orderLimit: 1200 });
    for (let i = 0; i < 3; i++) expect((await ping()).status).toBe(200);
    expect((await ping()).status).toBe(429);
    h.clock = WINDOW_END;
    const res = await ping();
    expect(res.status).toBe(200);
    expect(usedWeight(res)).toBe(1);
  });

  it("counts weight per IP", async () => {
    await start({ enabled: true, ipWeightLimit: 2, orderLimit: 1200 });
    await ping("10.0.0.1");
    await ping("10.0.0.1");
    expect((await ping("10.0.0.1")).status).toBe(429);
    expect((await ping("10.0.0.2")).status).toBe(200);
  });

  it("keeps /papi and /dapi in separate pools", async () => {
    await start({ enabled: true, ipWeightLimit: 1, orderLimit: 1200 });
    await ping();
    expect((await ping()).status).toBe(429);
    expect((await h.request("GET", "/dapi/v1/ping")).status).toBe(200);
  });

  it("changes no state for a request answered 429", async () => {
    const alice = await start({ enabled: true, ipWeightLimit: 3, orderLimit: 1200 });
    for (let i = 0; i < 3; i++) await ping();
    const res = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"));
    expect(res.status).toBe(429);
    h.clock = WINDOW_END;
    const open = await h.signed(alice, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" });
    expect(open.body).toEqual([]);
  });

  it("bans an IP that keeps sending: 418 with the ban's end after three more requests past a 429", async () => {
    await start({ enabled: true, ipWeightLimit: 1, orderLimit: 1200 });
    await ping();
    for (let i = 0; i < 3; i++) expect((await ping()).status).toBe(429);
    const res = await ping();
    const until = T0 + 2 * 60_000;
    expect(res).toMatchObject({
      status: 418,
      body: {
        code: -1003,
        msg: `Way too many requests; IP banned until ${until}. Please use the websocket for live updates to avoid bans.`,
      },
    });
    expect(res.headers["retry-after"]).toBe("120");
  });

  it("keeps answering 418 during the ban and lifts it by itself after 2 minutes", async () => {
    await start({ enabled: true, ipWeightLimit: 1, orderLimit: 1200 });
    for (let i = 0; i < 5; i++) await ping();
    h.clock = T0 + 2 * 60_000 - 1;
    expect((await ping()).status).toBe(418);
    h.clock = T0 + 2 * 60_000;
    expect((await ping()).status).toBe(200);
  });

  it("doubles the ban for a repeat offence within 24 hours", async () => {
    await start({ enabled: true, ipWeightLimit: 1, orderLimit: 1200 });
    for (let i = 0; i < 5; i++) await ping();
    h.clock = T0 + 2 * 60_000;
    for (let i = 0; i < 5; i++) await ping();
    const res = await ping();
    expect(res.status).toBe(418);
    expect(res.body).toMatchObject({
      msg: expect.stringContaining(`banned until ${T0 + 2 * 60_000 + 4 * 60_000}.`),
    });
  });

  it("bans per IP: another address is still served", async () => {
    await start({ enabled: true, ipWeightLimit: 1, orderLimit: 1200 });
    for (let i = 0; i < 5; i++) await ping("10.0.0.1");
    expect((await ping("10.0.0.1")).status).toBe(418);
    expect((await ping("10.0.0.2")).status).toBe(200);
  });
});

describe("order count limit", () => {
  it("shows X-MBX-ORDER-COUNT-1M on order responses", async () => {
    const alice = await start();
    const first = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"));
    const second = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"));
    expect(first.headers["x-mbx-order-count-1m"]).toBe("1");
    expect(second.headers["x-mbx-order-count-1m"]).toBe("2");
  });

  it("answers 429 -1015 past the account's order limit and places nothing", async () => {
    const alice = await start({ enabled: true, ipWeightLimit: 6000, orderLimit: 2 });
    await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(alice, limit("BUY", 1, "30000"));
    const res = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"));
    expect(res).toMatchObject({
      status: 429,
      body: { code: -1015, msg: "Too many new orders; current limit is 2 orders per MINUTE." },
    });
    expect(res.headers["retry-after"]).toBe("40");
    const open = await h.signed(alice, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" });
    expect((open.body as unknown[]).length).toBe(2);
  });

  it("counts modifies as orders and cancels not at all", async () => {
    const alice = await start({ enabled: true, ipWeightLimit: 6000, orderLimit: 2 });
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    const other = await h.place(alice, limit("BUY", 1, "30000"));
    const modify = await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: other.orderId as number,
      side: "BUY",
      quantity: 2,
      price: "30000",
    });
    expect(modify.body).toMatchObject({ code: -1015 });
  });

  it("counts per account", async () => {
    const alice = await start({ enabled: true, ipWeightLimit: 6000, orderLimit: 1 });
    const bob = await h.account();
    await h.place(alice, limit("BUY", 1, "30000"));
    expect((await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"))).status).toBe(429);
    expect((await h.signed(bob, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"))).status).toBe(200);
  });

  it("answers GET /papi/v1/rateLimit/order with the account's order limit", async () => {
    const alice = await start();
    const res = await h.signed(alice, "GET", "/papi/v1/rateLimit/order", {});
    expect(res.text).toBe('[{"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200}]');
  });
});

describe("switched off", () => {
  it("enforces nothing with rate limits disabled", async () => {
    const alice = await start({ enabled: false, ipWeightLimit: 1, orderLimit: 1 });
    for (let i = 0; i < 5; i++) expect((await ping()).status).toBe(200);
    await h.place(alice, limit("BUY", 1, "30000"));
    expect((await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"))).status).toBe(200);
  });
});
