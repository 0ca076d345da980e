// The /futures/data statistics from the venue's own accounts, worked by hand: open
// interest (contracts, and coin at the mark: contracts × 100 USD / 30000), and the
// long/short ratios of every holder and of the top 20 % by margin balance, each row the
// state at the close of its period. A snapshot is taken by the first command after a
// 5-minute boundary, before it changes anything, so it survives restarts and later
// trades do not move it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit } from "../support/harness.js";

let h: Harness;

/** 2023-11-14 22:15:00 UTC: a five-minute (and fifteen-minute) boundary. */
const M = 1_700_000_100_000;
const MIN = 60_000;
const DAY = 86_400_000;

beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const get = (path: string, query: string) => h.request("GET", `/futures/data/${path}?${query}`);

/** `buyer` takes `qty` from `seller` at 30000 on BTCUSD_PERP. */
async function trade(buyer: Client, seller: Client, qty: number): Promise<void> {
  await h.place(seller, limit("SELL", qty, "30000"));
  await h.place(buyer, limit("BUY", qty, "30000"));
}

describe("GET /futures/data/openInterestHist", () => {
  it("answers the open interest at each period's close: a snapshot, or the state since the last one", async () => {
    const [a, b, c, d] = [await h.account(), await h.account(), await h.account(), await h.account()];
    h.clock = M - 2 * MIN;
    await trade(a, b, 3);
    // The first command after 22:15 snapshots open interest 3, then makes it 5.
    h.clock = M + MIN;
    await trade(c, d, 2);
    h.clock = M + 10 * MIN + 30_000;
    const res = await get("openInterestHist", "pair=BTCUSD&contractType=ALL&period=5m");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        pair: "BTCUSD",
        contractType: "ALL",
        sumOpenInterest: "3",
        sumOpenInterestValue: "0.01000000",
        timestamp: M,
      },
      {
        pair: "BTCUSD",
        contractType: "ALL",
        sumOpenInterest: "5",
        sumOpenInterestValue: "0.01666667",
        timestamp: M + 5 * MIN,
      },
      {
        pair: "BTCUSD",
        contractType: "ALL",
        sumOpenInterest: "5",
        sumOpenInterestValue: "0.01666667",
        timestamp: M + 10 * MIN,
      },
    ]);
  });

  it("reads longer periods at their own closes, and one contract type alone", async () => {
    const [a, b] = [await h.account(), await h.account()];
    h.clock = M - 2 * MIN;
    await trade(a, b, 3);
    h.clock = M + 20 * MIN;
    await trade(a, b, 1);
    h.clock = M + 31 * MIN;
    const quarter = await get("openInterestHist", "pair=BTCUSD&contractType=15m&period=15m");
    expect(quarter.body).toEqual({ code: -4104, msg: "Invalid contract type." });
    const perp = await get("openInterestHist", "pair=BTCUSD&contractType=PERPETUAL&period=15m");
    expect(
      (perp.body as { sumOpenInterest: string; timestamp: number }[]).map((r) => [
        r.timestamp,
        r.sumOpenInterest,
      ]),
    ).toEqual([
      [M, "3"],
      [M + 15 * MIN, "3"],
      [M + 30 * MIN, "4"],
    ]);
    const delivery = await get(
      "openInterestHist",
      "pair=BTCUSD&contractType=CURRENT_QUARTER&period=15m&limit=1",
    );
    expect(delivery.body).toEqual([
      {
        pair: "BTCUSD",
        contractType: "CURRENT_QUARTER",
        sumOpenInterest: "0",
        sumOpenInterestValue: "0.00000000",
        timestamp: M + 30 * MIN,
      },
    ]);
  });

  it("answers [] before the pair's first trade", async () => {
    h.clock = M;
    expect((await get("openInterestHist", "pair=BTCUSD&contractType=ALL&period=5m")).body).toEqual([]);
  });

  it("keeps a snapshot across a restart, and later trades do not move it", async () => {
    const [a, b] = [await h.account(), await h.account()];
    h.clock = M - MIN;
    await trade(a, b, 3);
    h.clock = M + MIN;
    await trade(a, b, 4);
    h = await h.restart();
    h.clock = M + 6 * MIN;
    const rows = (await get("openInterestHist", "pair=BTCUSD&contractType=ALL&period=5m")).body as {
      sumOpenInterest: string;
    }[];
    expect(rows.map((r) => r.sumOpenInterest)).toEqual(["3", "7"]);
  });

  it("serves only the last 30 days, the last `limit` rows up to endTime", async () => {
    const [a, b] = [await h.account(), await h.account()];
    h.clock = M - MIN;
    await trade(a, b, 1);
    h.clock = M + 31 * DAY;
    const all = (await get("openInterestHist", "pair=BTCUSD&contractType=ALL&period=1d&limit=500")).body as {
      timestamp: number;
    }[];
    expect(all.length).toBe(30);
    expect(all[0]!.timestamp).toBeGreaterThanOrEqual(h.clock - 30 * DAY);
    const some = (
      await get("openInterestHist", `pair=BTCUSD&contractType=ALL&period=5m&limit=2&endTime=${M + 5 * MIN}`)
    ).body as { timestamp: number }[];
    expect(some.map((r) => r.timestamp)).toEqual([]);
    const recent = (
      await get(
        "openInterestHist",
        `pair=BTCUSD&contractType=ALL&period=5m&limit=2&endTime=${M + 30 * DAY + 11 * MIN}`,
      )
    ).body as { timestamp: number }[];
    expect(recent.map((r) => r.timestamp)).toEqual([M + 30 * DAY + 5 * MIN, M + 30 * DAY + 10 * MIN]);
  });

  it.each([
    [
      "contractType=ALL&period=5m",
      -1102,
      "Mandatory parameter 'pair' was not sent, was empty/null, or malformed.",
    ],
    ["pair=XYZUSD&contractType=ALL&period=5m", -1121, "Invalid symbol."],
    ["pair=BTCUSD&contractType=ALL&period=1m", -1130, "Data sent for parameter 'period' is not valid."],
    [
      "pair=BTCUSD&contractType=ALL&period=5m&limit=501",
      -1130,
      "Data sent for parameter 'limit' is not valid.",
    ],
  ])("answers %s with %i", async (query, code, msg) => {
    const res = await get("openInterestHist", query);
    expect(res).toMatchObject({ status: 400, body: { code, msg } });
  });
});

describe("long/short ratios", () => {
  /**
   * Six holders, margin balances 12, 10, 8, 6, 4 and 2 BTC (fees are too small to change
   * the order): b12 long 4, b2 short 5, b10 short 5, b4 long 3, b8 long 1, b6 long 2.
   * All: 4 long, 2 short. Top 20 % of six: two, b12 (long 4) and b10 (short 5).
   */
  async function sixHolders(): Promise<void> {
    const b: Record<number, Client> = {};
    for (const coin of [12, 10, 8, 6, 4, 2]) b[coin] = await h.account({ BTC: String(coin) });
    h.clock = M - 2 * MIN;
    await trade(b[12]!, b[2]!, 4);
    await trade(b[4]!, b[10]!, 3);
    await trade(b[8]!, b[2]!, 1);
    await trade(b[6]!, b[10]!, 2);
    h.clock = M + MIN;
  }

  it("answers globalLongShortAccountRatio over every holder", async () => {
    await sixHolders();
    const res = await get("globalLongShortAccountRatio", "pair=BTCUSD&period=5m");
    expect(res.body).toEqual([
      {
        pair: "BTCUSD",
        longShortRatio: "2.0000",
        longAccount: "0.6667",
        shortAccount: "0.3333",
        timestamp: M,
      },
    ]);
  });

  it("answers topLongShortAccountRatio over the top 20 % by margin balance, by symbol or pair", async () => {
    await sixHolders();
    const row = {
      pair: "BTCUSD",
      longShortRatio: "1.0000",
      longAccount: "0.5000",
      shortAccount: "0.5000",
      timestamp: M,
    };
    expect((await get("topLongShortAccountRatio", "symbol=BTCUSD&period=5m")).body).toEqual([row]);
    expect((await get("topLongShortAccountRatio", "symbol=BTCUSD_PERP&period=5m")).body).toEqual([row]);
    expect((await get("topLongShortAccountRatio", "pair=BTCUSD&period=5m")).body).toEqual([row]);
  });

  it("answers topLongShortPositionRatio over the top traders' contracts", async () => {
    await sixHolders();
    const res = await get("topLongShortPositionRatio", "pair=BTCUSD&period=5m");
    expect(res.body).toEqual([
      {
        pair: "BTCUSD",
        longShortRatio: "0.8000",
        longPosition: "0.4444",
        shortPosition: "0.5556",
        timestamp: M,
      },
    ]);
  });

  it("prints a ratio with nothing short as 0", async () => {
    const [a, b] = [await h.account({ BTC: "9" }), await h.account({ BTC: "1" })];
    h.clock = M - MIN;
    await trade(a, b, 1);
    h.clock = M + MIN;
    expect((await get("topLongShortAccountRatio", "symbol=BTCUSD&period=5m")).body).toEqual([
      {
        pair: "BTCUSD",
        longShortRatio: "0.0000",
        longAccount: "1.0000",
        shortAccount: "0.0000",
        timestamp: M,
      },
    ]);
  });
});
