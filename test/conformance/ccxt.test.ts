// ccxt's binance exchange (Portfolio Margin) against a real listening venue, configured as
// the client documentation snippet configures it: only base URLs changed.
import ccxt from "ccxt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "../support/harness.js";
import { calls, type LiveVenue, refuseNonLoopback, startLiveVenue } from "../support/live-venue.js";
import { connectCcxt, firstCcxtOrder } from "./snippets/ccxt.js";

const BTC = "BTC/USD:BTC";

let venue: LiveVenue;
let restoreNetwork: () => void;
let alice: Client;
let exchange: InstanceType<typeof ccxt.binance>;

beforeAll(async () => {
  restoreNetwork = refuseNonLoopback();
  venue = await startLiveVenue();
  alice = await venue.account({ BTC: "10", ETH: "100" });
  exchange = connectCcxt(venue.url, alice.apiKey, alice.secret);
  await exchange.loadMarkets();
});
afterAll(async () => {
  await venue.close();
  restoreNetwork();
});
beforeEach(async () => {
  await exchange.cancelAllOrders(BTC);
  venue.requests.length = 0;
});

describe("ccxt binance with portfolioMargin", () => {
  it("loads its markets from the venue alone, fetching spot, USDⓈ-M and margin lookups it is served", async () => {
    const fresh = connectCcxt(venue.url, alice.apiKey, alice.secret);
    await fresh.loadMarkets();
    expect(calls(venue.requests).sort()).toEqual([
      "GET /api/v3/exchangeInfo",
      "GET /dapi/v1/exchangeInfo",
      "GET /fapi/v1/exchangeInfo",
      "GET /sapi/v1/capital/config/getall",
      "GET /sapi/v1/margin/allPairs",
      "GET /sapi/v1/margin/allPairs",
      "GET /sapi/v1/margin/isolated/allPairs",
    ]);
  });

  it("loads its markets with one request when told to load only inverse markets and no currencies", async () => {
    const lean = connectCcxt(venue.url, alice.apiKey, alice.secret);
    lean.options.fetchMarkets = { types: ["inverse"] };
    lean.options.fetchCurrencies = false;
    await lean.loadMarkets();
    expect(calls(venue.requests)).toEqual(["GET /dapi/v1/exchangeInfo"]);
    expect(lean.market(BTC)).toMatchObject({ inverse: true, contractSize: 100 });
  });

  it("fetches a 24-hour ticker from /dapi/v1/ticker/24hr", async () => {
    const ticker = await exchange.fetchTicker(BTC);
    expect(calls(venue.requests)).toEqual(["GET /dapi/v1/ticker/24hr"]);
    expect(ticker).toMatchObject({ symbol: BTC });
    expect(typeof ticker.timestamp).toBe("number");
  });

  it("cannot reach binance.com from this suite", async () => {
    const unpointed = new ccxt.binance({ options: { portfolioMargin: true } });
    await expect(unpointed.fetchTime()).rejects.toThrow(/only 127\.0\.0\.1 is allowed/);
  });

  it("sees BTC/USD:BTC as an inverse perpetual of 100 USD contracts", () => {
    const market = exchange.market(BTC);
    expect(market).toMatchObject({
      id: "BTCUSD_PERP",
      type: "swap",
      inverse: true,
      linear: false,
      settle: "BTC",
      contractSize: 100,
      active: true,
      precision: { amount: 1, price: 0.1 },
    });
  });

  it("knows the venue's coins as active currencies", () => {
    for (const code of ["BNB", "BTC", "DOGE", "ETH", "LINK", "XRP"]) {
      expect(exchange.currencies[code]).toMatchObject({ id: code, code, active: true, type: "crypto" });
    }
  });

  it("runs the documented first order: place, list open, cancel", async () => {
    const { order, open, canceled } = await firstCcxtOrder(exchange);
    expect(order).toMatchObject({ clientOrderId: "ccxt-first", status: "open", price: 30000, amount: 1 });
    expect(open.map((o) => o.id)).toEqual([order.id]);
    expect(canceled).toMatchObject({ id: order.id, status: "canceled" });
  });

  it("places a LIMIT order as a form body with RESULT, its own client id, and recvWindow", async () => {
    const order = await exchange.createOrder(BTC, "limit", "sell", 2, 31000);
    expect(order).toMatchObject({ status: "open", side: "sell", amount: 2, filled: 0, price: 31000 });
    expect(order.clientOrderId).toMatch(/^x-xcKtGhcu[0-9a-f]{22}$/);
    const post = venue.requests.find((r) => r.method === "POST")!;
    expect(post).toMatchObject({
      path: "/papi/v1/cm/order",
      query: "",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(post.body).toMatch(
      /^timestamp=\d+&symbol=BTCUSD_PERP&side=SELL&newClientOrderId=x-xcKtGhcu[0-9a-f]{22}&newOrderRespType=RESULT&type=LIMIT&quantity=2&price=31000&timeInForce=GTC&recvWindow=10000&signature=[0-9a-f]{64}$/,
    );
  });

  it("lists open orders", async () => {
    const a = await exchange.createOrder(BTC, "limit", "buy", 1, 29000);
    const b = await exchange.createOrder(BTC, "limit", "buy", 3, 29500);
    const open = await exchange.fetchOpenOrders(BTC);
    expect(open.map((o) => [o.id, o.amount, o.price, o.status])).toEqual([
      [a.id, 1, 29000, "open"],
      [b.id, 3, 29500, "open"],
    ]);
  });

  it("cancels by orderId", async () => {
    const order = await exchange.createOrder(BTC, "limit", "buy", 1, 29000);
    const canceled = await exchange.cancelOrder(order.id!, BTC);
    expect(canceled).toMatchObject({ id: order.id, status: "canceled" });
    expect(venue.requests.at(-1)?.query).toMatch(/&orderId=\d+&/);
    expect(await exchange.fetchOpenOrders(BTC)).toEqual([]);
  });

  it("cancels by client order id", async () => {
    await exchange.createOrder(BTC, "limit", "buy", 1, 29000, { clientOrderId: "by-client-id" });
    const canceled = await exchange.cancelOrder("", BTC, { clientOrderId: "by-client-id" });
    expect(canceled).toMatchObject({ clientOrderId: "by-client-id", status: "canceled" });
    expect(venue.requests.at(-1)?.query).toMatch(/&origClientOrderId=by-client-id&/);
  });

  it("gets OrderNotFound when cancelling an order again", async () => {
    const order = await exchange.createOrder(BTC, "limit", "buy", 1, 29000);
    await exchange.cancelOrder(order.id!, BTC);
    await expect(exchange.cancelOrder(order.id!, BTC)).rejects.toThrow(ccxt.OrderNotFound);
  });

  it("gets AuthenticationError with a wrong secret", async () => {
    const wrong = connectCcxt(venue.url, alice.apiKey, "0".repeat(64));
    wrong.setMarkets(Object.values(exchange.markets!));
    await expect(wrong.fetchOpenOrders(BTC)).rejects.toThrow(ccxt.AuthenticationError);
  });

  it("reads the Portfolio Margin balance", async () => {
    const balance = await exchange.fetchBalance();
    expect(balance.BTC).toMatchObject({ total: 10 });
    expect(balance.ETH).toMatchObject({ total: 100 });
    expect(calls(venue.requests)).toEqual(["GET /papi/v1/balance"]);
  });

  it("reads the order book from /dapi/v1/depth", async () => {
    await exchange.createOrder(BTC, "limit", "buy", 4, 29000);
    const book = await exchange.fetchOrderBook(BTC, 5);
    expect(book.bids).toEqual([[29000, 4]]);
    expect(book.asks).toEqual([]);
    expect(venue.requests.at(-1)).toMatchObject({
      path: "/dapi/v1/depth",
      query: "symbol=BTCUSD_PERP&limit=5",
    });
    // The snapshot's update id is the book's, for clients that keep a local book.
    expect(book.nonce).toBeGreaterThan(0);
  });

  it("fetches the market's trades from /dapi/v1/aggTrades, sides as the takers traded", async () => {
    const bob = await venue.account({ BTC: "10" });
    await exchange.createOrder(BTC, "limit", "sell", 2, 31000);
    await venue.h.place(bob, { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 2 });
    const trades = await exchange.fetchTrades(BTC);
    expect(calls(venue.requests).at(-1)).toBe("GET /dapi/v1/aggTrades");
    expect(trades.at(-1)).toMatchObject({ symbol: BTC, price: 31000, amount: 2, side: "buy" });
    // The recent-trades method reads /dapi/v1/trades.
    const recent = await exchange.fetchTrades(BTC, undefined, 1, {
      fetchTradesMethod: "dapiPublicGetTrades",
    });
    expect(calls(venue.requests).at(-1)).toBe("GET /dapi/v1/trades");
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ symbol: BTC, price: 31000, amount: 2, side: "buy" });
  });

  it("fetches open interest from /dapi/v1/openInterest", async () => {
    const interest = await exchange.fetchOpenInterest(BTC);
    expect(calls(venue.requests).at(-1)).toBe("GET /dapi/v1/openInterest");
    const answer = (await (await fetch(`${venue.url}/dapi/v1/openInterest?symbol=BTCUSD_PERP`)).json()) as {
      openInterest: string;
    };
    expect(interest).toMatchObject({ symbol: BTC, openInterestAmount: Number(answer.openInterest) });
  });

  it("fetches the funding history from /dapi/v1/fundingRate", async () => {
    // The venue settles the last funding time (00/08/16 UTC) at its first price steps.
    const last = Math.floor(Date.now() / (8 * 3_600_000)) * 8 * 3_600_000;
    await venue.h.request(
      "POST",
      "/admin/v1/markPrice",
      { authorization: "Bearer test-admin-token", "content-type": "application/json" },
      JSON.stringify({ symbol: "BTCUSD_PERP", markPrice: "30000" }),
    );
    await venue.h.venue.advance(last);
    const history = await exchange.fetchFundingRateHistory(BTC);
    expect(calls(venue.requests).at(-1)).toBe("GET /dapi/v1/fundingRate");
    expect(history.at(-1)).toMatchObject({ symbol: BTC, fundingRate: 0.0001, timestamp: last });
  });

  it("fetches mark price candles from /dapi/v1/markPriceKlines", async () => {
    await venue.h.request(
      "POST",
      "/admin/v1/markPrice",
      { authorization: "Bearer test-admin-token", "content-type": "application/json" },
      JSON.stringify({ symbol: "BTCUSD_PERP", markPrice: "30000" }),
    );
    await venue.h.venue.advance(Date.now());
    const candles = await exchange.fetchMarkOHLCV(BTC, "1m", undefined, 5);
    expect(venue.requests.at(-1)).toMatchObject({ path: "/dapi/v1/markPriceKlines" });
    const [time, , , , close] = candles.at(-1)!;
    expect(time! % 60_000).toBe(0);
    expect(close).toBe(30000);
  });

  it("fetches candles from /dapi/v1/klines, the last one holding the last trade", async () => {
    const bob = await venue.account({ BTC: "10" });
    await exchange.createOrder(BTC, "limit", "sell", 1, 31500);
    await venue.h.place(bob, { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 1 });
    const candles = await exchange.fetchOHLCV(BTC, "1m", undefined, 5);
    expect(venue.requests.at(-1)).toMatchObject({ path: "/dapi/v1/klines" });
    expect(venue.requests.at(-1)?.query).toContain("interval=1m");
    const [time, , high, , close, volume] = candles.at(-1)!;
    expect(time! % 60_000).toBe(0);
    expect([high, close]).toEqual([31500, 31500]);
    // For an inverse market ccxt reads the volume in coin: the row's base volume (index 7).
    const rows = (await (
      await fetch(
        `${venue.url}/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m&startTime=${time}&endTime=${time}`,
      )
    ).json()) as [number, ...string[]][];
    expect(rows[0]![0]).toBe(time);
    expect(volume).toBe(Number(rows[0]![7]));
  });
});
