// GET /futures/data/takerBuySellVol from the venue's own trades: per period, what takers
// bought and sold, in contracts and in coin (worked by hand: qty × 100 USD / price).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit } from "../support/harness.js";

let h: Harness;
let alice: Client;
let bob: Client;

/** 2023-11-14 22:15:00 UTC: a five-minute boundary. */
const M = 1_700_000_100_000;
const MIN = 60_000;
const DAY = 86_400_000;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "100", ETH: "1000" });
  bob = await h.account({ BTC: "100", ETH: "1000" });
});
afterEach(() => h.close());

const get = (query: string) => h.request("GET", `/futures/data/takerBuySellVol?${query}`);

async function tradeAt(time: number, qty: number, price: string, takerSells = false, symbol = "BTCUSD_PERP") {
  h.clock = time;
  await h.place(bob, { ...limit(takerSells ? "BUY" : "SELL", qty, price), symbol });
  await h.place(alice, { ...limit(takerSells ? "SELL" : "BUY", qty, price), symbol });
}

/** In the period at M: takers buy 2 @ 30000 and 3 @ 30010, and sell 1 @ 29990. */
async function onePeriod() {
  await tradeAt(M + 1_000, 2, "30000");
  await tradeAt(M + 20_000, 1, "29990", true);
  await tradeAt(M + 65_000, 3, "30010");
}

describe("GET /futures/data/takerBuySellVol", () => {
  it("answers each period's taker buys and sells, quiet periods with zeros", async () => {
    await onePeriod();
    h.clock = M + 6 * MIN;
    const res = await get("pair=BTCUSD&contractType=PERPETUAL&period=5m");
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      JSON.stringify([
        {
          pair: "BTCUSD",
          contractType: "PERPETUAL",
          takerBuyVol: "5",
          takerSellVol: "1",
          // 2 × 100 / 30000 + 3 × 100 / 30010 = 0.0066666… + 0.0099966677… = 0.0166633344…
          takerBuyVolValue: "0.01666333",
          // 100 / 29990 = 0.0033344448…
          takerSellVolValue: "0.00333444",
          timestamp: M,
        },
        {
          pair: "BTCUSD",
          contractType: "PERPETUAL",
          takerBuyVol: "0",
          takerSellVol: "0",
          takerBuyVolValue: "0",
          takerSellVolValue: "0",
          timestamp: M + 5 * MIN,
        },
      ]),
    );
  });

  it("sums the pair's contracts for ALL, and shows one contract for its type", async () => {
    await onePeriod();
    // 100 / 30100 = 0.0033222591…
    await tradeAt(M + 90_000, 1, "30100", false, "BTCUSD_261225");
    h.clock = M + 4 * MIN;
    const all = (await get("pair=BTCUSD&contractType=ALL&period=5m")).body as Record<string, unknown>[];
    expect(all).toEqual([
      {
        pair: "BTCUSD",
        contractType: "ALL",
        takerBuyVol: "6",
        takerSellVol: "1",
        takerBuyVolValue: "0.01998559",
        takerSellVolValue: "0.00333444",
        timestamp: M,
      },
    ]);
    const quarter = (await get("pair=BTCUSD&contractType=CURRENT_QUARTER&period=1h")).body as Record<
      string,
      unknown
    >[];
    expect(quarter.map((r) => [r.takerBuyVol, r.takerBuyVolValue])).toEqual([["1", "0.00332226"]]);
  });

  it("keeps only the last 30 days", async () => {
    await onePeriod();
    h.clock = M + 31 * DAY;
    const rows = (await get(`pair=BTCUSD&contractType=PERPETUAL&period=1d&startTime=${M}`)).body as {
      timestamp: number;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.min(...rows.map((r) => r.timestamp))).toBeGreaterThanOrEqual(M + DAY);
  });

  it.each([
    [
      "pair=BTCUSD&contractType=PERPETUAL&period=1m",
      { code: -1130, msg: "Data sent for parameter 'period' is not valid." },
    ],
    ["pair=BTCUSD&contractType=WEEKLY&period=5m", { code: -4104, msg: "Invalid contract type." }],
    ["pair=FOOUSD&contractType=ALL&period=5m", { code: -1121, msg: "Invalid symbol." }],
    [
      "contractType=ALL&period=5m",
      { code: -1102, msg: "Mandatory parameter 'pair' was not sent, was empty/null, or malformed." },
    ],
    [
      "pair=BTCUSD&contractType=ALL&period=5m&limit=501",
      { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
    ],
  ])("refuses %s", async (query, body) => {
    const res = await get(query);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body });
  });
});
