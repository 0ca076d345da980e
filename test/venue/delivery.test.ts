// Quarterly delivery on a stepped venue clock: BTCUSD_261225 settles at 08:00 UTC on
// 2026-12-25 at the average index of its last 30 minutes, its orders are cancelled, and
// BTCUSD_270326 is listed from that moment.
//
// Worked example: Alice buys 10 from Carol at 30000; the index stands at 31000 through
// the window, so the delivery price is 31000 and Alice's long settles at
// 10 × 100 × (1/30000 − 1/31000) = 0.00107526881… → 0.00107527 BTC; Carol's short pays it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

const DELIVERY = Date.UTC(2026, 11, 25, 8);
const MINUTE = 60_000;
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const QUARTERLY = "BTCUSD_261225";

let h: Harness;
let alice: Client;
let bob: Client;
let carol: Client;

beforeEach(async () => {
  h = await Harness.start();
  h.clock = DELIVERY - 31 * MINUTE;
  await h.venue.advance(h.clock);
  alice = await h.account({ BTC: "1" });
  bob = await h.account({ BTC: "1" });
  carol = await h.account({ BTC: "1" });
  await h.place(carol, limit("SELL", 10, "30000.0", { symbol: QUARTERLY }));
  await h.place(alice, limit("BUY", 10, "30000.0", { symbol: QUARTERLY }));
  await h.place(bob, limit("BUY", 1, "29000.0", { symbol: QUARTERLY }));
  await h.request(
    "POST",
    "/admin/v1/indexPrice",
    ADMIN,
    JSON.stringify({ pair: "BTCUSD", indexPrice: "31000" }),
  );
});
afterEach(async () => {
  await h.close();
});

async function advanceTo(time: number) {
  h.clock = time;
  await h.venue.advance(time);
}

async function income(client: Client) {
  const rows = (await h.signed(client, "GET", "/papi/v1/cm/income", { incomeType: "DELIVERED_SETTELMENT" }))
    .body;
  return rows as { symbol: string; income: string; time: number }[];
}

describe("quarterly delivery", () => {
  it("shows the delivery average so far as the estimated settle price in the last 30 minutes", async () => {
    await advanceTo(DELIVERY - 10 * MINUTE);
    const [row] = (await h.request("GET", `/dapi/v1/premiumIndex?symbol=${QUARTERLY}`)).body as Record<
      string,
      unknown
    >[];
    expect(row).toMatchObject({
      indexPrice: "31000.00000000",
      estimatedSettlePrice: "31000.00000000",
      lastFundingRate: "",
    });
  });

  it("settles every position at the average index, 31000, as DELIVERED_SETTELMENT income", async () => {
    await advanceTo(DELIVERY);
    expect(await income(alice)).toMatchObject([{ symbol: QUARTERLY, income: "0.00107527", time: DELIVERY }]);
    expect(await income(carol)).toMatchObject([{ symbol: QUARTERLY, income: "-0.00107527", time: DELIVERY }]);
    const positions = (await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      symbol: string;
      positionAmt: string;
    }[];
    expect(positions.map((p) => [p.symbol, p.positionAmt])).toEqual([
      ["BTCUSD_PERP", "0"],
      ["BTCUSD_270326", "0"],
    ]);
  });

  it("cancels the open orders and takes no new one on the delivered contract (-4140)", async () => {
    await advanceTo(DELIVERY);
    expect((await h.signed(bob, "GET", "/papi/v1/cm/openOrders", { symbol: QUARTERLY })).body).toEqual([]);
    const late = await h.signed(
      bob,
      "POST",
      "/papi/v1/cm/order",
      limit("BUY", 1, "29000.0", { symbol: QUARTERLY }),
    );
    expect(late.body).toEqual({ code: -4140, msg: "Invalid symbol status for opening position" });
  });

  it("lists BTCUSD_270326 from the delivery on, and trades it, and shows the delivered one for a day", async () => {
    await advanceTo(DELIVERY);
    const info = (await h.request("GET", "/dapi/v1/exchangeInfo")).body as {
      symbols: Record<string, unknown>[];
    };
    const quarterlies = info.symbols.filter((s) => s.pair === "BTCUSD" && s.contractType !== "PERPETUAL");
    expect(quarterlies.map((s) => [s.symbol, s.contractStatus])).toEqual([
      ["BTCUSD_270326", "TRADING"],
      [QUARTERLY, "DELIVERED"],
    ]);
    expect(quarterlies[0]).toMatchObject({
      symbol: "BTCUSD_270326",
      contractType: "CURRENT_QUARTER",
      contractStatus: "TRADING",
      deliveryDate: Date.UTC(2027, 2, 26, 8),
      onboardDate: DELIVERY,
    });
    const placed = await h.place(bob, limit("BUY", 1, "30500.0", { symbol: "BTCUSD_270326" }));
    expect(placed.status).toBe("NEW");
  });

  it("tells the delivery and the next listing on !contractInfo", async () => {
    const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
    const ws = await StreamClient.open(`${base}/ws/!contractInfo`);
    await advanceTo(DELIVERY);
    const events = await ws.waitFor(2);
    ws.close();
    expect(events).toEqual([
      {
        e: "contractInfo",
        E: DELIVERY,
        s: QUARTERLY,
        ps: "BTCUSD",
        ct: "CURRENT_QUARTER",
        dt: DELIVERY,
        ot: 1766563200000,
        cs: "DELIVERED",
      },
      {
        e: "contractInfo",
        E: DELIVERY,
        s: "BTCUSD_270326",
        ps: "BTCUSD",
        ct: "CURRENT_QUARTER",
        dt: Date.UTC(2027, 2, 26, 8),
        ot: DELIVERY,
        cs: "TRADING",
      },
    ]);
  });

  it("refuses the next quarterly before its listing", async () => {
    const early = await h.signed(
      bob,
      "POST",
      "/papi/v1/cm/order",
      limit("BUY", 1, "30500.0", { symbol: "BTCUSD_270326" }),
    );
    expect(early.body).toEqual({ code: -4140, msg: "Invalid symbol status for opening position" });
  });

  it("delivers once: a restart after it changes nothing", async () => {
    await advanceTo(DELIVERY);
    const before = (await h.signed(alice, "GET", "/papi/v1/balance", { asset: "BTC" })).body;
    h = await h.restart();
    await advanceTo(DELIVERY + 5000);
    expect((await h.signed(alice, "GET", "/papi/v1/balance", { asset: "BTC" })).body).toEqual(before);
    expect(await income(alice)).toHaveLength(1);
  });
});
