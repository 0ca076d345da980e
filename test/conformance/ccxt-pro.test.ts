// ccxt.pro's binance exchange against a real listening venue whose streams speak on the
// wall clock, configured as the README's snippet configures it: only URLs changed. It
// opens /ws/0, /ws/1 … and SUBSCRIBEs there; watchOrderBook waits for the SUBSCRIBE
// answer, fetches a 1000-level snapshot and keeps its book from the diffs (raising a
// checksum error on any gap), while several clients trade.
import type ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { depthSnapshot, randomStep } from "../support/book-workload.js";
import type { Client } from "../support/harness.js";
import { type LiveVenue, refuseNonLoopback, startLiveVenue } from "../support/live-venue.js";
import { random } from "../support/random.js";
import { until } from "../support/until.js";
import { connectCcxtPro } from "./snippets/ccxt-pro.js";

const BTC = "BTC/USD:BTC";

let venue: LiveVenue;
let restoreNetwork: () => void;
let clients: Client[];
let exchange: InstanceType<typeof ccxt.pro.binance>;

beforeAll(async () => {
  restoreNetwork = refuseNonLoopback();
  venue = await startLiveVenue();
  clients = [];
  for (let i = 0; i < 3; i++) clients.push(await venue.account({ BTC: "100" }));
  exchange = await connectCcxtPro(venue.url, clients[0]!.apiKey, clients[0]!.secret);
  await exchange.loadMarkets();
});
afterAll(async () => {
  await exchange.close();
  await venue.close();
  restoreNetwork();
});

/** Waits on the network's time, not the venue clock's. */

/** A trade of `qty` contracts at `price` between two clients, the taker buying, on an emptied book. */
async function trade(qty: number, price: string): Promise<void> {
  for (const c of clients)
    await venue.h.signed(c, "DELETE", "/papi/v1/cm/allOpenOrders", { symbol: "BTCUSD_PERP" });
  const order = { symbol: "BTCUSD_PERP", type: "LIMIT", timeInForce: "GTC", quantity: qty, price };
  await venue.h.place(clients[1]!, { ...order, side: "SELL" });
  await venue.h.place(clients[2]!, { ...order, side: "BUY" });
}

describe("ccxt.pro binance on COIN-M streams", () => {
  it("keeps watchOrderBook's book equal to the venue's while orders flow", async () => {
    let failure: unknown;
    let watching = true;
    void (async () => {
      while (watching) {
        try {
          await exchange.watchOrderBook(BTC);
        } catch (error) {
          if (watching) failure = error;
          return;
        }
      }
    })();
    const next = random(11);
    for (let i = 0; i < 150; i++) {
      await randomStep(venue.h, clients, next);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 30));
    }
    const snap = await depthSnapshot(venue.h);
    const book = () => exchange.orderbooks[BTC];
    await until(
      () => failure !== undefined || book()?.nonce === snap.lastUpdateId,
      "ccxt's book to catch up",
    );
    expect(failure).toBeUndefined();
    const levels = (side: [string, string][]) => side.map(([p, q]) => [Number(p), Number(q)]);
    expect({ bids: book()!.bids.slice(), asks: book()!.asks.slice() }).toEqual({
      bids: levels(snap.bids),
      asks: levels(snap.asks),
    });
    expect(snap.bids.length + snap.asks.length).toBeGreaterThan(0);
    watching = false;
  });

  it("watchTrades receives each trade from @trade with its price, amount and side", async () => {
    const feeds = venue.h.market.feedCount();
    const watched = exchange.watchTrades(BTC);
    await until(() => venue.h.market.feedCount() > feeds, "the trade subscription");
    await trade(2, "30100");
    const trades = await watched;
    expect(trades.map((t) => [t.symbol, t.price, t.amount, t.side])).toEqual([[BTC, 30100, 2, "buy"]]);
  });

  it("watchTicker receives the 24-hour figures REST answers", async () => {
    await trade(1, "30200");
    const ticker = await exchange.watchTicker(BTC);
    const [rest] = (await venue.h.request("GET", "/dapi/v1/ticker/24hr?symbol=BTCUSD_PERP")).body as {
      lastPrice: string;
      openPrice: string;
      highPrice: string;
    }[];
    expect(ticker).toMatchObject({
      symbol: BTC,
      last: Number(rest!.lastPrice),
      open: Number(rest!.openPrice),
      high: Number(rest!.highPrice),
    });
  });

  it("watchOHLCV receives the current minute's candle with its volume in contracts", async () => {
    const feeds = venue.h.market.feedCount();
    const watched = exchange.watchOHLCV(BTC, "1m");
    await until(() => venue.h.market.feedCount() > feeds, "the kline subscription");
    await trade(3, "30300");
    let candles = await watched;
    while (candles[candles.length - 1]![4] !== 30300) candles = await exchange.watchOHLCV(BTC, "1m");
    const [t, , , , close, volume] = candles[candles.length - 1]!;
    const [row] = (await venue.h.request("GET", "/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m&limit=1"))
      .body as unknown[][];
    expect([t, close, volume]).toEqual([row![0], 30300, Number(row![5])]);
  });
});
