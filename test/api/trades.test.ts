// The market's trades on /dapi/v1: recent trades, older trades by id, aggregate trades.
// Exact JSON with the numbers worked out by hand (baseQty = qty × 100 USD / price, in BTC,
// 8 decimals half-up), parameter rules and errors, weights, and restarts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
let alice: Client;
let bob: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "100", ETH: "1000" });
  bob = await h.account({ BTC: "100", ETH: "1000" });
});
afterEach(() => h.close());

const get = (path: string, headers: Record<string, string> = {}) => h.request("GET", path, headers);
const usedWeight = (res: { headers: Record<string, unknown> }) => Number(res.headers["x-mbx-used-weight-1m"]);
const json = (value: unknown) => JSON.stringify(value);

/**
 * At T0+1 bob rests SELL 2 @ 30000 and SELL 1 @ 30010; at T0+2 alice buys 3 up to 30010
 * (trades 1 and 2, one taker at two prices); at T0+3 bob sells 1 into alice's bid at
 * 29990 (trade 3, the taker sold).
 */
async function threeTrades(): Promise<void> {
  h.clock = T0 + 1;
  await h.place(bob, limit("SELL", 2, "30000"));
  await h.place(bob, limit("SELL", 1, "30010"));
  h.clock = T0 + 2;
  await h.place(alice, limit("BUY", 3, "30010"));
  await h.place(alice, limit("BUY", 1, "29990"));
  h.clock = T0 + 3;
  await h.place(bob, limit("SELL", 1, "29990"));
}

const TRADE_1 = {
  id: 1,
  price: "30000.0",
  qty: "2",
  // 2 × 100 / 30000 = 0.0066666…
  baseQty: "0.00666667",
  time: T0 + 2,
  isBuyerMaker: false,
};
// 100 / 30010 = 0.00333222259…
const TRADE_2 = {
  id: 2,
  price: "30010.0",
  qty: "1",
  baseQty: "0.00333222",
  time: T0 + 2,
  isBuyerMaker: false,
};
// 100 / 29990 = 0.00333444481…
const TRADE_3 = {
  id: 3,
  price: "29990.0",
  qty: "1",
  baseQty: "0.00333444",
  time: T0 + 3,
  isBuyerMaker: true,
};

describe("GET /dapi/v1/trades", () => {
  it("answers the symbol's trades oldest first, each fill once as its taker made it", async () => {
    await threeTrades();
    const res = await get("/dapi/v1/trades?symbol=BTCUSD_PERP");
    expect(res.status).toBe(200);
    expect(res.text).toBe(json([TRADE_1, TRADE_2, TRADE_3]));
  });

  it("answers the newest `limit` trades", async () => {
    await threeTrades();
    expect((await get("/dapi/v1/trades?symbol=BTCUSD_PERP&limit=2")).text).toBe(json([TRADE_2, TRADE_3]));
  });

  it("answers [] for a symbol without trades, and shows no other symbol's", async () => {
    await threeTrades();
    expect((await get("/dapi/v1/trades?symbol=ETHUSD_PERP")).text).toBe("[]");
  });

  it("prices at the symbol's pricePrecision (ETHUSD_PERP: 2; 10 USD a contract)", async () => {
    await h.place(bob, { ...limit("SELL", 3, "2000.5"), symbol: "ETHUSD_PERP" });
    await h.place(alice, { ...limit("BUY", 3, "2000.5"), symbol: "ETHUSD_PERP" });
    // 3 × 10 / 2000.5 = 0.01499625093…
    expect((await get("/dapi/v1/trades?symbol=ETHUSD_PERP")).body).toEqual([
      { id: 1, price: "2000.50", qty: "3", baseQty: "0.01499625", time: T0, isBuyerMaker: false },
    ]);
  });

  it.each([
    [
      "",
      400,
      { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." },
    ],
    ["?symbol=BTCUSDT", 400, { code: -1121, msg: "Invalid symbol." }],
    [
      "?symbol=BTCUSD_PERP&limit=0",
      400,
      { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
    ],
    [
      "?symbol=BTCUSD_PERP&limit=1001",
      400,
      { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
    ],
    [
      "?symbol=BTCUSD_PERP&limit=x",
      400,
      { code: -1100, msg: "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'." },
    ],
  ])("refuses %s", async (query, status, body) => {
    const res = await get(`/dapi/v1/trades${query}`);
    expect({ status: res.status, body: res.body }).toEqual({ status, body });
  });

  it("charges weight 5", async () => {
    expect(usedWeight(await get("/dapi/v1/trades?symbol=BTCUSD_PERP"))).toBe(5);
  });
});

describe("GET /dapi/v1/historicalTrades", () => {
  const withKey = () => ({ "x-mbx-apikey": alice.apiKey });

  it("answers trades from fromId on, with an API key and no signature", async () => {
    await threeTrades();
    const res = await get("/dapi/v1/historicalTrades?symbol=BTCUSD_PERP&fromId=2", withKey());
    expect(res.status).toBe(200);
    expect(res.text).toBe(json([TRADE_2, TRADE_3]));
  });

  it("answers the newest trades without fromId, `limit` of them", async () => {
    await threeTrades();
    const res = await get("/dapi/v1/historicalTrades?symbol=BTCUSD_PERP&limit=1", withKey());
    expect(res.text).toBe(json([TRADE_3]));
  });

  it("skips other symbols' trades when fromId names one of theirs", async () => {
    await h.place(bob, { ...limit("SELL", 1, "2000"), symbol: "ETHUSD_PERP" });
    await h.place(alice, { ...limit("BUY", 1, "2000"), symbol: "ETHUSD_PERP" });
    await threeTrades();
    // Trade 1 is ETHUSD_PERP's; BTCUSD_PERP's are 2, 3 and 4.
    const res = await get("/dapi/v1/historicalTrades?symbol=BTCUSD_PERP&fromId=1&limit=2", withKey());
    expect((res.body as { id: number }[]).map((t) => t.id)).toEqual([2, 3]);
    const past = await get("/dapi/v1/historicalTrades?symbol=BTCUSD_PERP&fromId=5", withKey());
    expect(past.text).toBe("[]");
  });

  it("answers 401 -2014 without an API key", async () => {
    const res = await get("/dapi/v1/historicalTrades?symbol=BTCUSD_PERP");
    expect({ status: res.status, body: res.body }).toEqual({
      status: 401,
      body: { code: -2014, msg: "API-key format invalid." },
    });
  });

  it("takes a limit of at most 500", async () => {
    const res = await get("/dapi/v1/historicalTrades?symbol=BTCUSD_PERP&limit=501", withKey());
    expect(res.body).toEqual({ code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  });

  it("charges weight 20", async () => {
    expect(usedWeight(await get("/dapi/v1/historicalTrades?symbol=BTCUSD_PERP", withKey()))).toBe(20);
  });
});

describe("GET /dapi/v1/aggTrades", () => {
  // Trades 1 and 2 are one taker at two prices: two aggregates; trade 3 a third.
  const AGG_1 = { a: 1, p: "30000.0", q: "2", f: 1, l: 1, T: T0 + 2, m: false };
  const AGG_2 = { a: 2, p: "30010.0", q: "1", f: 2, l: 2, T: T0 + 2, m: false };
  const AGG_3 = { a: 3, p: "29990.0", q: "1", f: 3, l: 3, T: T0 + 3, m: true };

  it("aggregates the fills of one taker order at one price", async () => {
    h.clock = T0 + 1;
    await h.place(bob, limit("SELL", 2, "30000"));
    await h.place(alice, limit("SELL", 1, "30000"));
    await h.place(bob, limit("SELL", 4, "30000"));
    h.clock = T0 + 2;
    // One taker through three makers at one price: trades 1, 2, 3 are one aggregate.
    await h.place(alice, limit("BUY", 7, "30000"));
    const res = await get("/dapi/v1/aggTrades?symbol=BTCUSD_PERP");
    expect(res.status).toBe(200);
    expect(res.text).toBe(json([{ a: 1, p: "30000.0", q: "7", f: 1, l: 3, T: T0 + 2, m: false }]));
  });

  it("starts a new aggregate at a new price or a new taker order", async () => {
    await threeTrades();
    expect((await get("/dapi/v1/aggTrades?symbol=BTCUSD_PERP")).text).toBe(json([AGG_1, AGG_2, AGG_3]));
  });

  it("answers from fromId on, the newest `limit` without it, and a time window", async () => {
    await threeTrades();
    expect((await get("/dapi/v1/aggTrades?symbol=BTCUSD_PERP&fromId=2")).text).toBe(json([AGG_2, AGG_3]));
    expect((await get("/dapi/v1/aggTrades?symbol=BTCUSD_PERP&limit=1")).text).toBe(json([AGG_3]));
    const window = `&startTime=${T0 + 2}&endTime=${T0 + 2}`;
    expect((await get(`/dapi/v1/aggTrades?symbol=BTCUSD_PERP${window}`)).text).toBe(json([AGG_1, AGG_2]));
    expect((await get(`/dapi/v1/aggTrades?symbol=BTCUSD_PERP&startTime=${T0 + 3}`)).text).toBe(json([AGG_3]));
  });

  it("refuses a window of an hour or more with -1127, and a start after the end with -1023", async () => {
    const hour = await get(`/dapi/v1/aggTrades?symbol=BTCUSD_PERP&startTime=${T0}&endTime=${T0 + 3_600_000}`);
    expect({ status: hour.status, body: hour.body }).toEqual({
      status: 400,
      body: { code: -1127, msg: "More than 1 hours between startTime and endTime." },
    });
    const inside = await get(
      `/dapi/v1/aggTrades?symbol=BTCUSD_PERP&startTime=${T0}&endTime=${T0 + 3_599_999}`,
    );
    expect(inside.status).toBe(200);
    const backwards = await get(`/dapi/v1/aggTrades?symbol=BTCUSD_PERP&startTime=${T0 + 1}&endTime=${T0}`);
    expect(backwards.body).toEqual({ code: -1023, msg: "Start time is greater than end time." });
  });

  it("charges weight 20", async () => {
    expect(usedWeight(await get("/dapi/v1/aggTrades?symbol=BTCUSD_PERP"))).toBe(20);
  });
});

describe("market trades over a restart", () => {
  it("keeps every trade and aggregate, and hands out new ids after them", async () => {
    await threeTrades();
    h = await h.restart();
    expect((await get("/dapi/v1/trades?symbol=BTCUSD_PERP")).text).toBe(json([TRADE_1, TRADE_2, TRADE_3]));
    h.clock = T0 + 4;
    await h.place(bob, limit("SELL", 1, "29990"));
    await h.place(alice, limit("BUY", 1, "29990"));
    const aggs = (await get("/dapi/v1/aggTrades?symbol=BTCUSD_PERP&fromId=3")).body as {
      a: number;
      f: number;
    }[];
    expect(aggs.map((a) => [a.a, a.f])).toEqual([
      [3, 3],
      [4, 4],
    ]);
  });
});
