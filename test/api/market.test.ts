// Public market data on /dapi/v1 and the lookups ccxt makes while loading markets
// (spec §8): exact JSON, field order, types, parameter errors and request weights.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSymbols } from "../../src/domain/symbols.js";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
let alice: Client;
let bob: Client;

beforeEach(async () => {
  h = await Harness.start();
  // DOGE too: a DOGEUSD_PERP trade needs DOGE margin.
  alice = await h.account({ BTC: "100", ETH: "1000", DOGE: "100000" });
  bob = await h.account({ BTC: "100", ETH: "1000", DOGE: "100000" });
});
afterEach(() => h.close());

const get = (path: string, headers: Record<string, string> = {}) => h.request("GET", path, headers);
const usedWeight = (res: { headers: Record<string, unknown> }) => Number(res.headers["x-mbx-used-weight-1m"]);
const json = (value: unknown) => JSON.stringify(value);
/** A trade at `price` on BTCUSD_PERP between bob (maker) and alice (taker). */
async function trade(price: string, symbol = "BTCUSD_PERP") {
  await h.place(bob, { ...limit("SELL", 1, price), symbol });
  await h.place(alice, { ...limit("BUY", 1, price), symbol });
}

const BTCUSD_PERP = {
  symbol: "BTCUSD_PERP",
  pair: "BTCUSD",
  contractType: "PERPETUAL",
  deliveryDate: 4133404800000,
  onboardDate: 1597042800000,
  contractStatus: "TRADING",
  contractSize: 100,
  marginAsset: "BTC",
  maintMarginPercent: "2.5000",
  requiredMarginPercent: "5.0000",
  baseAsset: "BTC",
  quoteAsset: "USD",
  pricePrecision: 1,
  quantityPrecision: 0,
  baseAssetPrecision: 8,
  quotePrecision: 8,
  equalQtyPrecision: 4,
  triggerProtect: "0.0500",
  liquidationFee: "0.015000",
  marketTakeBound: "0.05",
  maxMoveOrderLimit: 10000,
  underlyingType: "COIN",
  underlyingSubType: ["PoW"],
  filters: [
    { minPrice: "1000", maxPrice: "4520958", filterType: "PRICE_FILTER", tickSize: "0.1" },
    { stepSize: "1", filterType: "LOT_SIZE", maxQty: "1000000", minQty: "1" },
    { stepSize: "1", filterType: "MARKET_LOT_SIZE", maxQty: "60000", minQty: "1" },
    { limit: 200, filterType: "MAX_NUM_ORDERS" },
    { limit: 20, filterType: "MAX_NUM_ALGO_ORDERS" },
    { multiplierDown: "0.9500", multiplierUp: "1.0500", multiplierDecimal: "4", filterType: "PERCENT_PRICE" },
  ],
  orderTypes: [
    "LIMIT",
    "MARKET",
    "STOP",
    "STOP_MARKET",
    "TAKE_PROFIT",
    "TAKE_PROFIT_MARKET",
    "TRAILING_STOP_MARKET",
  ],
  timeInForce: ["GTC", "IOC", "FOK", "GTX"],
};

describe("GET /dapi/v1/exchangeInfo", () => {
  it("answers timezone, serverTime, the venue's rate limits, no exchange filters, then the symbols", async () => {
    const res = await get("/dapi/v1/exchangeInfo");
    const body = res.body as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(Object.keys(body)).toEqual(["timezone", "serverTime", "rateLimits", "exchangeFilters", "symbols"]);
    expect(body).toMatchObject({ timezone: "UTC", serverTime: T0, exchangeFilters: [] });
    expect(json(body.rateLimits)).toBe(
      json([
        { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
        { rateLimitType: "ORDERS", interval: "MINUTE", intervalNum: 1, limit: 1200 },
      ]),
    );
  });

  it("lists BTCUSD_PERP with its contract data and filters in the live key order", async () => {
    const symbols = (await get("/dapi/v1/exchangeInfo")).body as { symbols: unknown[] };
    expect(json(symbols.symbols[0])).toBe(json(BTCUSD_PERP));
  });

  it("lists the quarterly as CURRENT_QUARTER with its delivery date and a MARKET_LOT_SIZE minimum of 0", async () => {
    const { symbols } = (await get("/dapi/v1/exchangeInfo")).body as {
      symbols: Array<Record<string, unknown>>;
    };
    const quarterly = symbols.find((s) => s.symbol === "BTCUSD_261225");
    expect(quarterly).toMatchObject({
      pair: "BTCUSD",
      contractType: "CURRENT_QUARTER",
      deliveryDate: 1798185600000,
      contractSize: 100,
      underlyingSubType: [],
    });
    expect((quarterly!.filters as unknown[])[2]).toEqual({
      stepSize: "1",
      filterType: "MARKET_LOT_SIZE",
      maxQty: "20000",
      minQty: "0",
    });
  });

  it("lists every symbol the engine trades, from the same table", async () => {
    const { symbols } = (await get("/dapi/v1/exchangeInfo")).body as { symbols: Array<{ symbol: string }> };
    expect(symbols.map((s) => s.symbol)).toEqual(listSymbols().map((s) => s.symbol));
  });

  it("lists ETHUSD_PERP's 10 USD contracts and 0.01 tick", async () => {
    const { symbols } = (await get("/dapi/v1/exchangeInfo")).body as {
      symbols: Array<Record<string, unknown>>;
    };
    const eth = symbols.find((s) => s.symbol === "ETHUSD_PERP");
    expect(eth).toMatchObject({ contractSize: 10, pricePrecision: 2, marginAsset: "ETH" });
    expect((eth!.filters as unknown[])[0]).toEqual({
      minPrice: "50",
      maxPrice: "306159",
      filterType: "PRICE_FILTER",
      tickSize: "0.01",
    });
  });

  it("lists the limits the venue is configured with", async () => {
    await h.close();
    h = await Harness.start(undefined, {
      rateLimits: { enabled: true, ipWeightLimit: 2400, orderLimit: 300 },
    });
    const { rateLimits } = (await get("/dapi/v1/exchangeInfo")).body as {
      rateLimits: Array<{ limit: number }>;
    };
    expect(rateLimits.map((r) => r.limit)).toEqual([2400, 300]);
  });

  it("lists no rate limits when they are off", async () => {
    await h.close();
    h = await Harness.start(undefined, {
      rateLimits: { enabled: false, ipWeightLimit: 6000, orderLimit: 1200 },
    });
    expect((await get("/dapi/v1/exchangeInfo")).body).toMatchObject({ rateLimits: [] });
  });

  it("charges weight 1", async () => {
    expect(usedWeight(await get("/dapi/v1/exchangeInfo"))).toBe(1);
  });
});

describe("GET /dapi/v1/depth", () => {
  it("answers an empty book", async () => {
    const res = await get("/dapi/v1/depth?symbol=BTCUSD_PERP");
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      // A book nothing has changed since the start: update id 0, its time the answer's.
      json({ lastUpdateId: 0, E: T0, T: T0, symbol: "BTCUSD_PERP", pair: "BTCUSD", bids: [], asks: [] }),
    );
  });

  it("answers levels best first, prices at pricePrecision, quantities summed per level as integers", async () => {
    await h.place(alice, limit("BUY", 2, "30000"));
    await h.place(alice, limit("BUY", 3, "30000"));
    await h.place(alice, limit("BUY", 1, "29999.5"));
    await h.place(bob, limit("SELL", 4, "30010.5"));
    await h.place(bob, limit("SELL", 1, "30100"));
    const res = await get("/dapi/v1/depth?symbol=BTCUSD_PERP");
    expect(res.text).toBe(
      json({
        // Five orders came to rest: five changes of the book.
        lastUpdateId: 5,
        E: T0,
        T: T0,
        symbol: "BTCUSD_PERP",
        pair: "BTCUSD",
        bids: [
          ["30000.0", "5"],
          ["29999.5", "1"],
        ],
        asks: [
          ["30010.5", "4"],
          ["30100.0", "1"],
        ],
      }),
    );
  });

  it("pads prices to the symbol's pricePrecision (ETHUSD_PERP: 2)", async () => {
    await h.place(alice, { ...limit("BUY", 1, "2000.5"), symbol: "ETHUSD_PERP" });
    const res = await get("/dapi/v1/depth?symbol=ETHUSD_PERP");
    expect(res.body).toMatchObject({
      symbol: "ETHUSD_PERP",
      pair: "ETHUSD",
      bids: [["2000.50", "1"]],
      asks: [],
    });
  });

  it("cuts each side at limit", async () => {
    for (let i = 0; i < 6; i++) await h.place(alice, limit("BUY", 1, String(30000 - i)));
    const res = await get("/dapi/v1/depth?symbol=BTCUSD_PERP&limit=5");
    expect((res.body as { bids: string[][] }).bids.map((l) => l[0])).toEqual([
      "30000.0",
      "29999.0",
      "29998.0",
      "29997.0",
      "29996.0",
    ]);
  });

  it("no longer shows an order once it is filled", async () => {
    await trade("30000");
    expect((await get("/dapi/v1/depth?symbol=BTCUSD_PERP")).body).toMatchObject({ bids: [], asks: [] });
  });

  it("answers -1102 without symbol", async () => {
    const res = await get("/dapi/v1/depth");
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      json({ code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." }),
    );
  });

  it("answers -1121 for an unknown symbol", async () => {
    const res = await get("/dapi/v1/depth?symbol=BTCUSDT");
    expect(res.status).toBe(400);
    expect(res.text).toBe(json({ code: -1121, msg: "Invalid symbol." }));
  });

  it("answers -1100 with the legal values for a limit outside them", async () => {
    const res = await get("/dapi/v1/depth?symbol=BTCUSD_PERP&limit=7");
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      json({
        code: -1100,
        msg: "Illegal characters found in parameter 'limit'; legal range is '5, 10, 20, 50, 100, 500, 1000'.",
      }),
    );
  });

  it("answers -1100 for a limit that is not a number", async () => {
    const res = await get("/dapi/v1/depth?symbol=BTCUSD_PERP&limit=ten");
    expect(res.text).toBe(
      json({
        code: -1100,
        msg: "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.",
      }),
    );
  });

  it.each([
    ["", 10],
    ["&limit=5", 2],
    ["&limit=10", 2],
    ["&limit=20", 2],
    ["&limit=50", 2],
    ["&limit=100", 5],
    ["&limit=500", 10],
    ["&limit=1000", 20],
  ])("charges weight by limit: '%s' costs %i", async (query, weight) => {
    expect(usedWeight(await get(`/dapi/v1/depth?symbol=BTCUSD_PERP${query}`))).toBe(weight);
  });
});

describe("GET /dapi/v1/ticker/price", () => {
  it("answers every symbol before any trade with a zero price at pricePrecision and time 0", async () => {
    const res = await get("/dapi/v1/ticker/price");
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      json([
        { symbol: "BTCUSD_PERP", ps: "BTCUSD", price: "0.0", time: 0 },
        { symbol: "ETHUSD_PERP", ps: "ETHUSD", price: "0.00", time: 0 },
        { symbol: "BNBUSD_PERP", ps: "BNBUSD", price: "0.000", time: 0 },
        { symbol: "LINKUSD_PERP", ps: "LINKUSD", price: "0.000", time: 0 },
        { symbol: "XRPUSD_PERP", ps: "XRPUSD", price: "0.0000", time: 0 },
        { symbol: "DOGEUSD_PERP", ps: "DOGEUSD", price: "0.000000", time: 0 },
        { symbol: "BTCUSD_261225", ps: "BTCUSD", price: "0.0", time: 0 },
      ]),
    );
  });

  it("answers the last trade price at pricePrecision and the trade's time, as an array for one symbol", async () => {
    h.clock = T0 + 10;
    await trade("30000");
    h.clock = T0 + 99;
    const res = await get("/dapi/v1/ticker/price?symbol=BTCUSD_PERP");
    expect(res.text).toBe(json([{ symbol: "BTCUSD_PERP", ps: "BTCUSD", price: "30000.0", time: T0 + 10 }]));
  });

  it("answers the symbols of a pair", async () => {
    const res = await get("/dapi/v1/ticker/price?pair=BTCUSD");
    expect((res.body as Array<{ symbol: string }>).map((t) => t.symbol)).toEqual([
      "BTCUSD_PERP",
      "BTCUSD_261225",
    ]);
  });

  it("answers -1128 for symbol and pair together", async () => {
    const res = await get("/dapi/v1/ticker/price?symbol=BTCUSD_PERP&pair=BTCUSD");
    expect(res.status).toBe(400);
    expect(res.text).toBe(json({ code: -1128, msg: "Combination of optional parameters invalid." }));
  });

  it("answers -1121 for an unknown symbol", async () => {
    expect((await get("/dapi/v1/ticker/price?symbol=NOPE")).text).toBe(
      json({ code: -1121, msg: "Invalid symbol." }),
    );
  });

  it("answers -1121 for a pair no symbol has", async () => {
    expect((await get("/dapi/v1/ticker/price?pair=NOPEUSD")).text).toBe(
      json({ code: -1121, msg: "Invalid symbol." }),
    );
  });

  it("charges weight 1 with a symbol, 2 without", async () => {
    expect(usedWeight(await get("/dapi/v1/ticker/price?symbol=BTCUSD_PERP"))).toBe(1);
    expect(usedWeight(await get("/dapi/v1/ticker/price"))).toBe(1 + 2);
  });
});

describe("GET /dapi/v1/ticker/bookTicker", () => {
  it("answers the best bid and ask with their quantities", async () => {
    await h.place(alice, limit("BUY", 2, "30000"));
    await h.place(alice, limit("BUY", 1, "29000"));
    await h.place(bob, limit("SELL", 7, "30010.5"));
    const res = await get("/dapi/v1/ticker/bookTicker?symbol=BTCUSD_PERP");
    expect(res.text).toBe(
      json([
        {
          lastUpdateId: 3,
          symbol: "BTCUSD_PERP",
          pair: "BTCUSD",
          bidPrice: "30000.0",
          bidQty: "2",
          askPrice: "30010.5",
          askQty: "7",
          time: T0,
        },
      ]),
    );
  });

  it("answers zero price and quantity for an empty side", async () => {
    await h.place(alice, { ...limit("BUY", 3, "2000.25"), symbol: "ETHUSD_PERP" });
    const res = await get("/dapi/v1/ticker/bookTicker?symbol=ETHUSD_PERP");
    expect(res.body).toEqual([
      {
        lastUpdateId: 1,
        symbol: "ETHUSD_PERP",
        pair: "ETHUSD",
        bidPrice: "2000.25",
        bidQty: "3",
        askPrice: "0.00",
        askQty: "0",
        time: T0,
      },
    ]);
  });

  it("answers every symbol without parameters, and a pair's symbols with pair", async () => {
    expect((await get("/dapi/v1/ticker/bookTicker")).body).toHaveLength(listSymbols().length);
    const pair = (await get("/dapi/v1/ticker/bookTicker?pair=BTCUSD")).body as Array<{ symbol: string }>;
    expect(pair.map((t) => t.symbol)).toEqual(["BTCUSD_PERP", "BTCUSD_261225"]);
  });

  it("charges weight 2 with a symbol, 5 without", async () => {
    expect(usedWeight(await get("/dapi/v1/ticker/bookTicker?symbol=BTCUSD_PERP"))).toBe(2);
    expect(usedWeight(await get("/dapi/v1/ticker/bookTicker"))).toBe(2 + 5);
  });
});

describe("GET /dapi/v1/fundingInfo", () => {
  it("lists no symbol: the venue adjusts no funding cap, floor or interval", async () => {
    const res = await get("/dapi/v1/fundingInfo");
    expect(res).toMatchObject({ status: 200, text: "[]" });
  });
});

describe("GET /dapi/v1/premiumIndex", () => {
  // T0 is 1_700_000_000_000; the next 8-hourly funding boundary after it:
  const NEXT_FUNDING = 1_700_006_400_000;

  it("answers zero prices before the venue has a mark, with the interest rate as the funding rate of perpetuals only", async () => {
    const res = await get("/dapi/v1/premiumIndex?pair=BTCUSD");
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      json([
        {
          symbol: "BTCUSD_PERP",
          pair: "BTCUSD",
          markPrice: "0.00000000",
          indexPrice: "0.00000000",
          estimatedSettlePrice: "0.00000000",
          lastFundingRate: "0.00010000",
          interestRate: "0.00010000",
          nextFundingTime: NEXT_FUNDING,
          time: T0,
        },
        {
          symbol: "BTCUSD_261225",
          pair: "BTCUSD",
          markPrice: "0.00000000",
          indexPrice: "0.00000000",
          estimatedSettlePrice: "0.00000000",
          lastFundingRate: "",
          interestRate: "",
          nextFundingTime: 0,
          time: T0,
        },
      ]),
    );
  });

  it("answers the last trade price as mark, index and settle price at 8 decimals", async () => {
    await trade("30010.5");
    const res = await get("/dapi/v1/premiumIndex?symbol=BTCUSD_PERP");
    expect(res.body).toMatchObject([
      { markPrice: "30010.50000000", indexPrice: "30010.50000000", estimatedSettlePrice: "30010.50000000" },
    ]);
  });

  it("answers the book's mid as mark before any trade", async () => {
    await h.place(alice, limit("BUY", 1, "29990"));
    await h.place(bob, limit("SELL", 1, "30010"));
    const res = await get("/dapi/v1/premiumIndex?symbol=BTCUSD_PERP");
    expect(res.body).toMatchObject([{ markPrice: "30000.00000000" }]);
  });

  it("keeps a small tick exact (DOGEUSD_PERP: 0.00001)", async () => {
    await trade("0.12345", "DOGEUSD_PERP");
    const res = await get("/dapi/v1/premiumIndex?symbol=DOGEUSD_PERP");
    expect(res.body).toMatchObject([{ symbol: "DOGEUSD_PERP", markPrice: "0.12345000" }]);
  });

  it("answers every symbol without parameters", async () => {
    const res = await get("/dapi/v1/premiumIndex");
    expect((res.body as Array<{ symbol: string }>).map((p) => p.symbol)).toEqual(
      listSymbols().map((s) => s.symbol),
    );
  });

  it("charges weight 10", async () => {
    expect(usedWeight(await get("/dapi/v1/premiumIndex?symbol=BTCUSD_PERP"))).toBe(10);
  });
});

describe("what ccxt loads besides /dapi", () => {
  const empty = json({ timezone: "UTC", serverTime: T0, rateLimits: [], exchangeFilters: [], symbols: [] });

  it("answers GET /api/v3/exchangeInfo with no spot symbols, weight 20", async () => {
    const res = await get("/api/v3/exchangeInfo");
    expect(res.text).toBe(empty);
    expect(usedWeight(res)).toBe(20);
  });

  it("answers GET /fapi/v1/exchangeInfo with no USDⓈ-M symbols, weight 1", async () => {
    const res = await get("/fapi/v1/exchangeInfo");
    expect(res.text).toBe(empty);
    expect(usedWeight(res)).toBe(1);
  });

  it.each(["/api/v3/time", "/fapi/v1/time"])("answers GET %s with the server time", async (path) => {
    const res = await get(path);
    expect(res.text).toBe(json({ serverTime: T0 }));
    expect(usedWeight(res)).toBe(1);
  });

  it.each([
    ["/sapi/v1/margin/allPairs", 1],
    ["/sapi/v1/margin/isolated/allPairs", 10],
  ])("answers GET %s with no margin pairs to an API key, unsigned, weight %i", async (path, weight) => {
    const res = await get(path, { "x-mbx-apikey": alice.apiKey });
    expect(res.status).toBe(200);
    expect(res.text).toBe("[]");
    expect(usedWeight(res)).toBe(weight);
  });

  it.each(["/sapi/v1/margin/allPairs", "/sapi/v1/margin/isolated/allPairs"])(
    "answers GET %s without an API key with -2014",
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(res.text).toBe(json({ code: -2014, msg: "API-key format invalid." }));
    },
  );
});

describe("what ccxt's Portfolio Margin positions ask of USDⓈ-M", () => {
  it.each([
    ["/papi/v1/um/leverageBracket", 1],
    ["/papi/v1/um/positionRisk", 5],
  ])("answers signed GET %s with no USDⓈ-M symbols, weight %i", async (path, weight) => {
    const res = await h.signed(alice, "GET", path, {});
    expect(res.status).toBe(200);
    expect(res.text).toBe("[]");
    expect(usedWeight(res)).toBe(weight);
  });

  it.each(["/papi/v1/um/leverageBracket", "/papi/v1/um/positionRisk"])(
    "answers GET %s for a named symbol with -1121, a COIN-M one included",
    async (path) => {
      const res = await h.signed(alice, "GET", path, { symbol: "BTCUSD_PERP" });
      expect(res.status).toBe(400);
      expect(res.text).toBe(json({ code: -1121, msg: "Invalid symbol." }));
    },
  );
});

describe("GET /dapi/v1/ticker/24hr", () => {
  it("sums the last 24 hours of fills, each counted once", async () => {
    await trade("30000");
    h.clock = T0 + 1000;
    await trade("30300");
    h.clock = T0 + 2000;
    const res = await get("/dapi/v1/ticker/24hr?symbol=BTCUSD_PERP");
    // baseVolume: 100/30000 + 100/30300 = 0.00663366… ; weighted: 200 / that = 30149.25…
    expect(res.text).toBe(
      JSON.stringify([
        {
          symbol: "BTCUSD_PERP",
          pair: "BTCUSD",
          priceChange: "300.0",
          priceChangePercent: "1.000",
          weightedAvgPrice: "30149.3",
          lastPrice: "30300.0",
          lastQty: "1",
          openPrice: "30000.0",
          highPrice: "30300.0",
          lowPrice: "30000.0",
          volume: "2",
          baseVolume: "0.00663366",
          openTime: T0 + 2000 - 86_400_000,
          closeTime: T0 + 2000,
          firstId: 1,
          lastId: 2,
          count: 2,
        },
      ]),
    );
    expect(usedWeight(res)).toBe(1);
  });

  it("answers zeros and ids of -1 for a symbol without fills in the window", async () => {
    await trade("30000");
    h.clock = T0 + 86_400_001;
    const [row] = (await get("/dapi/v1/ticker/24hr?symbol=BTCUSD_PERP")).body as Array<
      Record<string, unknown>
    >;
    expect(row).toMatchObject({
      count: 0,
      firstId: -1,
      lastId: -1,
      volume: "0",
      lastPrice: "0.0",
      baseVolume: "0",
    });
  });

  it("answers every symbol at weight 40 without a symbol", async () => {
    const res = await get("/dapi/v1/ticker/24hr");
    expect((res.body as unknown[]).length).toBe(7);
    expect(usedWeight(res)).toBe(40);
  });
});
