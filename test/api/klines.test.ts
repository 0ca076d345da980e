// Candles on /dapi/v1 from the venue's own trades: exact rows with volumes worked out by
// hand (base volume = Σ qty × 100 USD / price in BTC, 8 decimals half-up), intervals
// without trades, intervals built from minutes, the time rules, errors, weights, restarts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit } from "../support/harness.js";

let h: Harness;
let alice: Client;
let bob: Client;

/** 2023-11-14 22:15:00 UTC: a minute and a five-minute boundary. */
const M = 1_700_000_100_000;
const MIN = 60_000;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "100", ETH: "1000" });
  bob = await h.account({ BTC: "100", ETH: "1000" });
});
afterEach(() => h.close());

const get = (path: string) => h.request("GET", path);
const usedWeight = (res: { headers: Record<string, unknown> }) => Number(res.headers["x-mbx-used-weight-1m"]);

/** A trade of `qty` at `price` at `time`; the taker buys unless told otherwise. */
async function tradeAt(time: number, qty: number, price: string, takerSells = false) {
  h.clock = time;
  const [maker, taker] = [bob, alice];
  await h.place(maker, limit(takerSells ? "BUY" : "SELL", qty, price));
  await h.place(taker, limit(takerSells ? "SELL" : "BUY", qty, price));
}

/**
 * Minute M: a taker buys 2 @ 30000 (M+1 s), a taker sells 1 @ 29990 (M+20 s).
 * Minute M+1: a taker buys 3 @ 30010 (M+65 s).
 */
async function twoMinutes() {
  await tradeAt(M + 1_000, 2, "30000");
  await tradeAt(M + 20_000, 1, "29990", true);
  await tradeAt(M + 65_000, 3, "30010");
}

// 2 × 100 / 30000 + 100 / 29990 = 0.0066666… + 0.0033344448… = 0.0100011114…
const MINUTE_0 = [
  M,
  "30000.0",
  "30000.0",
  "29990.0",
  "29990.0",
  "3",
  M + MIN - 1,
  "0.01000111",
  2,
  "2",
  "0.00666667",
  "0",
];
// 3 × 100 / 30010 = 0.0099966677…
const MINUTE_1 = [
  M + MIN,
  "30010.0",
  "30010.0",
  "30010.0",
  "30010.0",
  "3",
  M + 2 * MIN - 1,
  "0.00999667",
  1,
  "3",
  "0.00999667",
  "0",
];

describe("GET /dapi/v1/klines", () => {
  it("draws each minute from its trades, with taker-buy volumes", async () => {
    await twoMinutes();
    const res = await get(`/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m&endTime=${M + 2 * MIN - 1}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify([MINUTE_0, MINUTE_1]));
  });

  it("carries the previous close through minutes without trades, with zero volume, up to now", async () => {
    await twoMinutes();
    h.clock = M + 3 * MIN + 5_000;
    const rows = (await get("/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m")).body as unknown[][];
    expect(rows).toHaveLength(4);
    expect(rows.slice(2)).toEqual([
      [M + 2 * MIN, "30010.0", "30010.0", "30010.0", "30010.0", "0", M + 3 * MIN - 1, "0", 0, "0", "0", "0"],
      [M + 3 * MIN, "30010.0", "30010.0", "30010.0", "30010.0", "0", M + 4 * MIN - 1, "0", 0, "0", "0", "0"],
    ]);
  });

  it("builds longer intervals from the minutes they hold", async () => {
    await twoMinutes();
    const rows = (await get(`/dapi/v1/klines?symbol=BTCUSD_PERP&interval=5m&endTime=${M + 4 * MIN}`)).body;
    // 0.01000111148… + 0.00999666777… = 0.01999777925…; taker buys 2 and 3.
    expect(rows).toEqual([
      [
        M,
        "30000.0",
        "30010.0",
        "29990.0",
        "30010.0",
        "6",
        M + 5 * MIN - 1,
        "0.01999778",
        3,
        "5",
        "0.01666333",
        "0",
      ],
    ]);
  });

  it("answers [] before a symbol's first trade, and for another symbol's trades", async () => {
    expect((await get("/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m")).text).toBe("[]");
    await twoMinutes();
    expect((await get("/dapi/v1/klines?symbol=ETHUSD_PERP&interval=1h")).text).toBe("[]");
  });

  it("answers the last `limit` candles up to endTime, and from startTime", async () => {
    await twoMinutes();
    const end = M + 2 * MIN - 1;
    expect((await get(`/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m&endTime=${end}&limit=1`)).body).toEqual(
      [MINUTE_1],
    );
    const from = `startTime=${M + MIN}&endTime=${end}`;
    expect((await get(`/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m&${from}`)).body).toEqual([MINUTE_1]);
  });

  it("keeps its candles over a restart and goes on drawing the open one", async () => {
    await tradeAt(M + 1_000, 2, "30000");
    h = await h.restart();
    await tradeAt(M + 20_000, 1, "29990", true);
    await tradeAt(M + 65_000, 3, "30010");
    const res = await get(`/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m&endTime=${M + 2 * MIN - 1}`);
    expect(res.text).toBe(JSON.stringify([MINUTE_0, MINUTE_1]));
  });

  it.each([
    [
      "symbol=BTCUSD_PERP",
      { code: -1102, msg: "Mandatory parameter 'interval' was not sent, was empty/null, or malformed." },
    ],
    ["symbol=BTCUSD_PERP&interval=2m", { code: -1120, msg: "Invalid interval." }],
    [
      "interval=1m",
      { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." },
    ],
    [
      "symbol=BTCUSD_PERP&interval=1m&limit=1501",
      { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
    ],
    [
      `symbol=BTCUSD_PERP&interval=1m&startTime=${M}&endTime=${M - 1}`,
      { code: -1023, msg: "Start time is greater than end time." },
    ],
    [
      `symbol=BTCUSD_PERP&interval=1d&startTime=${M}&endTime=${M + 200 * 86_400_000 + 1}`,
      { code: -4088, msg: "Maximum time interval is 200 days." },
    ],
  ])("refuses %s", async (query, body) => {
    const res = await get(`/dapi/v1/klines?${query}`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body });
  });

  it("takes a window of exactly 200 days", async () => {
    const res = await get(
      `/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1d&startTime=${M}&endTime=${M + 200 * 86_400_000}`,
    );
    expect(res.status).toBe(200);
  });

  it.each([
    [99, 1],
    [100, 2],
    [499, 2],
    [500, 5],
    [1000, 5],
    [1001, 10],
  ])("charges weight by limit: %i costs %i", async (n, weight) => {
    expect(usedWeight(await get(`/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m&limit=${n}`))).toBe(weight);
  });
});

describe("GET /dapi/v1/continuousKlines", () => {
  it("answers the candles of the pair's contract of that type", async () => {
    await twoMinutes();
    const res = await get(
      `/dapi/v1/continuousKlines?pair=BTCUSD&contractType=PERPETUAL&interval=1m&endTime=${M + 2 * MIN - 1}`,
    );
    expect(res.text).toBe(JSON.stringify([MINUTE_0, MINUTE_1]));
  });

  it("answers [] for a contract type the pair has none of", async () => {
    await twoMinutes();
    expect(
      (await get("/dapi/v1/continuousKlines?pair=BTCUSD&contractType=NEXT_QUARTER&interval=1m")).text,
    ).toBe("[]");
  });

  it.each([
    ["pair=BTCUSD&contractType=WEEKLY&interval=1m", { code: -4104, msg: "Invalid contract type." }],
    ["pair=FOOUSD&contractType=PERPETUAL&interval=1m", { code: -1121, msg: "Invalid symbol." }],
    [
      "contractType=PERPETUAL&interval=1m",
      { code: -1102, msg: "Mandatory parameter 'pair' was not sent, was empty/null, or malformed." },
    ],
  ])("refuses %s", async (query, body) => {
    const res = await get(`/dapi/v1/continuousKlines?${query}`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body });
  });
});
