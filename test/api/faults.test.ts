// Injected faults on requests: each effect's answer, with the command run or not, the
// hits a fault counts, its account and probability, and the admin API's refusals.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hmacHex } from "../../src/api/signature.js";
import { ADMIN_TOKEN, type Client, Harness, limit, textParams } from "../support/harness.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const UNKNOWN = {
  code: -1007,
  msg: "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
};
const ORDER = "/papi/v1/cm/order";

let h: Harness;
let alice: Client;
let bob: Client;
beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
  bob = await h.account();
});
afterEach(async () => {
  await h.close();
});

const addFault = async (fault: Record<string, unknown>) =>
  h.request("POST", "/admin/v1/faults", ADMIN, JSON.stringify(fault));
const faults = async () =>
  (await h.request("GET", "/admin/v1/faults", ADMIN)).body as Record<string, unknown>[];
const openOrders = async (client: Client) =>
  (await h.signed(client, "GET", "/papi/v1/cm/openOrders", {})).body as { orderId: number; status: string }[];
const newOrder = (client: Client, extra: Record<string, string | number> = {}) =>
  h.signed(client, "POST", ORDER, { ...limit("BUY", 1, "29000.0"), ...extra });

describe("POST /admin/v1/faults", () => {
  it("answers the fault's id, and GET lists it with its hits", async () => {
    const res = await addFault({ method: "POST", path: ORDER, effect: "unavailable", count: 2 });
    expect(res.text).toBe(JSON.stringify({ faultId: 1 }));
    await newOrder(alice);
    expect(await faults()).toEqual([
      { method: "POST", path: ORDER, effect: "unavailable", count: 2, faultId: 1, hits: 1 },
    ]);
  });
});

describe("request effects", () => {
  it("unknown-executed: the cancel commits, and the answer is 503 -1007", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "29000.0"));
    await addFault({ method: "DELETE", path: ORDER, effect: "unknown-executed" });
    const res = await h.signed(alice, "DELETE", ORDER, {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    expect([res.status, res.body]).toEqual([503, UNKNOWN]);
    const query = await h.signed(alice, "GET", ORDER, {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    expect(query.body).toMatchObject({ status: "CANCELED" });
  });

  it("unknown-executed: a retry of the placed order with its client id is -4116", async () => {
    await addFault({ method: "POST", path: ORDER, effect: "unknown-executed", count: 1 });
    expect((await newOrder(alice, { newClientOrderId: "bot-1" })).body).toEqual(UNKNOWN);
    const retry = await newOrder(alice, { newClientOrderId: "bot-1" });
    expect([retry.status, retry.body]).toEqual([400, { code: -4116, msg: "ClientOrderId is duplicated." }]);
    expect((await openOrders(alice)).length).toBe(1);
  });

  it("unknown-not-executed: the same answer, and nothing runs", async () => {
    await addFault({ method: "POST", path: ORDER, effect: "unknown-not-executed" });
    const res = await newOrder(alice);
    expect([res.status, res.body]).toEqual([503, UNKNOWN]);
    expect(await openOrders(alice)).toEqual([]);
  });

  it.each([
    [
      "unavailable",
      503,
      { code: -1001, msg: "Internal error; unable to process your request. Please try again." },
    ],
    [
      "throttled",
      503,
      {
        code: -1008,
        msg: "Request throttled by system-level protection. Reduce-only/close-position orders are exempt. Please try again.",
      },
    ],
    [
      "rate-limited",
      429,
      {
        code: -1003,
        msg: "Too many requests; current limit is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.",
      },
    ],
  ])("%s answers %i and runs nothing", async (effect, status, body) => {
    await addFault({ method: "POST", path: ORDER, effect });
    const res = await newOrder(alice);
    expect([res.status, res.body]).toEqual([status, body]);
    expect(await openOrders(alice)).toEqual([]);
  });

  it("delay: the order is on the book while its answer waits", async () => {
    await addFault({ method: "POST", path: ORDER, effect: "delay", delayMs: 1500 });
    let answered = false;
    const pending = newOrder(alice).then((res) => {
      answered = true;
      return res;
    });
    let seen: unknown[] = [];
    while (seen.length === 0 && !answered) seen = await openOrders(alice);
    expect([seen.length, answered]).toEqual([1, false]);
    expect((await pending).body).toMatchObject({
      status: "NEW",
      orderId: (seen[0] as { orderId: number }).orderId,
    });
  });

  it("drop with executed true: the connection closes without an answer, and the order stands", async () => {
    const base = await h.app.listen({ host: "127.0.0.1", port: 0 });
    await addFault({ method: "POST", path: ORDER, effect: "drop", executed: true });
    await expect(postOrder(base, alice)).rejects.toThrow();
    expect((await openOrders(alice)).length).toBe(1);
  });

  it("drop with executed false: the connection closes without an answer, and nothing runs", async () => {
    const base = await h.app.listen({ host: "127.0.0.1", port: 0 });
    await addFault({ method: "POST", path: ORDER, effect: "drop", executed: false });
    await expect(postOrder(base, alice)).rejects.toThrow();
    expect(await openOrders(alice)).toEqual([]);
  });
});

describe("which requests a fault hits", () => {
  it("hits count requests, then lets them through", async () => {
    await addFault({ method: "POST", path: ORDER, effect: "unavailable", count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await newOrder(alice)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it("hits only the named account's requests", async () => {
    await addFault({ method: "POST", path: ORDER, accountId: alice.accountId, effect: "unavailable" });
    expect([(await newOrder(alice)).status, (await newOrder(bob)).status]).toEqual([503, 200]);
  });

  it("hits only its method and path", async () => {
    await addFault({ method: "DELETE", path: ORDER, effect: "unavailable" });
    expect((await newOrder(alice)).status).toBe(200);
  });

  it("lets a bad request get its own error first", async () => {
    await addFault({ method: "POST", path: ORDER, effect: "unavailable" });
    const res = await h.signed(alice, "POST", ORDER, limit("BUY", 1, "29000.0"), { signature: "00" });
    expect(res.body).toEqual({ code: -1022, msg: "Signature for this request is not valid." });
    expect((await faults())[0]).toMatchObject({ hits: 0 });
  });

  it("draws its probability from the venue's seed: two venues alike hit the same requests", async () => {
    const pattern = async (harness: Harness, client: Client) => {
      await harness.request(
        "POST",
        "/admin/v1/faults",
        ADMIN,
        JSON.stringify({
          method: "GET",
          path: "/papi/v1/cm/openOrders",
          effect: "unavailable",
          probability: 0.5,
        }),
      );
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++)
        statuses.push((await harness.signed(client, "GET", "/papi/v1/cm/openOrders", {})).status);
      return statuses;
    };
    const other = await Harness.start();
    try {
      const first = await pattern(h, alice);
      const second = await pattern(other, await other.account());
      expect(second).toEqual(first);
      expect(first).toContain(503);
      expect(first).toContain(200);
    } finally {
      await other.close();
    }
  });
});

describe("DELETE /admin/v1/faults", () => {
  it("lifts one fault by id, then answers 404 for it", async () => {
    await addFault({ method: "POST", path: ORDER, effect: "unavailable" });
    expect((await h.request("DELETE", "/admin/v1/faults/1", ADMIN)).body).toEqual({ faultId: 1 });
    expect((await newOrder(alice)).status).toBe(200);
    const again = await h.request("DELETE", "/admin/v1/faults/1", ADMIN);
    expect([again.status, again.body]).toEqual([404, { code: -1130, msg: "Unknown fault." }]);
  });

  it("lifts every fault", async () => {
    await addFault({ method: "POST", path: ORDER, effect: "unavailable" });
    await addFault({ method: "DELETE", path: ORDER, effect: "throttled" });
    expect((await h.request("DELETE", "/admin/v1/faults", ADMIN)).body).toEqual({ removed: 2 });
    expect(await faults()).toEqual([]);
  });
});

describe("refusals", () => {
  it.each([
    [{ method: "PATCH", path: ORDER, effect: "drop" }, "'method' must be one of GET, POST, PUT, DELETE."],
    [
      { method: "POST", path: "/papi/v1/cm/orders", effect: "unavailable" },
      "'path' must be a path the venue serves for POST, e.g. /papi/v1/cm/order.",
    ],
    [
      { method: "POST", path: ORDER, effect: "explode" },
      "'effect' must be one of unknown-executed, unknown-not-executed, unavailable, throttled, delay, drop, rate-limited.",
    ],
    [
      { method: "POST", path: ORDER, effect: "delay" },
      "'delayMs' is what a delay waits, and only a delay takes it.",
    ],
    [
      { method: "POST", path: ORDER, effect: "unavailable", delayMs: 10 },
      "'delayMs' is what a delay waits, and only a delay takes it.",
    ],
    [
      { method: "POST", path: ORDER, effect: "drop" },
      "'executed' (true or false) says whether a drop runs the command, and only a drop takes it.",
    ],
    [
      { method: "POST", path: ORDER, effect: "unavailable", probability: 0 },
      "'probability' must be a number above 0 and at most 1.",
    ],
    [
      { method: "POST", path: ORDER, effect: "unavailable", count: 0 },
      "'count' must be an integer from 1 to 9007199254740991.",
    ],
    [
      { method: "POST", path: ORDER, effect: "unavailable", when: "now" },
      "Unknown field 'when'; a fault takes method, path, accountId, effect, count, probability, delayMs, executed.",
    ],
    [{ stream: "book", effect: "pause" }, "'stream' must be user or market."],
    [{ stream: "user", effect: "drop" }, "'effect' of a stream fault must be one of disconnect, pause."],
    [
      { stream: "market", accountId: 1, effect: "pause" },
      "A market-stream fault takes no 'accountId': its streams are nobody's.",
    ],
  ])("refuses %j with 400 -1130", async (fault, msg) => {
    const res = await addFault(fault);
    expect([res.status, res.body]).toEqual([400, { code: -1130, msg }]);
    expect(await faults()).toEqual([]);
  });

  it("refuses a request without the admin token with 401", async () => {
    const res = await h.request("POST", "/admin/v1/faults", {}, "{}");
    expect(res.status).toBe(401);
  });
});

/** A signed new order over a real socket, so that a dropped connection is seen as one. */
async function postOrder(base: string, client: Client): Promise<Response> {
  const query = new URLSearchParams(
    textParams({ ...limit("BUY", 1, "29000.0"), timestamp: h.clock }),
  ).toString();
  return fetch(`${base}${ORDER}?${query}&signature=${hmacHex(client.secret, query)}`, {
    method: "POST",
    headers: { "x-mbx-apikey": client.apiKey },
  });
}
