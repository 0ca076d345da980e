// The market's trades on /dapi/v1: recent trades, older trades by id (an API key, no
// signature: Binance's MARKET_DATA), and aggregate trades. Each fill is shown once, as
// its taker made it: `isBuyerMaker` / `m` is true when the taker sold.
//
// Venue choices where Binance's pages leave room:
// - An aggregate is the consecutive fills of one taker order at one price (one command),
//   so an aggregate never waits for later trades and its id, price and quantity never
//   change once answered. Binance's COIN-M page also merges fills of the same taking side
//   within 100 ms; the venue's aggregates are never larger than Binance's.
// - Trade ids and aggregate ids count across every symbol (each symbol's still only grow).

import { VenueError } from "../../domain/errors.js";
import { fillBaseAcc, formatBase, formatPriceFixed } from "../../domain/inverse.js";
import type { SymbolSpec } from "../../domain/symbols.js";
import type { AggTrade, MarketTrade } from "../../store/store.js";
import type { Route } from "../route.js";

/** An aggregate-trade window given by both ends must be shorter than this. */
const AGG_WINDOW_MS = 60 * 60 * 1000;

function tradeJson(spec: SymbolSpec, t: MarketTrade) {
  return {
    id: t.tradeId,
    price: formatPriceFixed(spec, t.price),
    qty: String(t.qty),
    baseQty: formatBase(spec, fillBaseAcc(t.qty, t.price)),
    time: t.time,
    isBuyerMaker: t.takerSide === "SELL",
  };
}

function aggJson(spec: SymbolSpec, a: AggTrade) {
  return {
    a: a.aggId,
    p: formatPriceFixed(spec, a.price),
    q: String(a.qty),
    f: a.firstId,
    l: a.lastId,
    T: a.time,
    m: a.takerSide === "SELL",
  };
}

export const tradeRoutes: Route[] = [
  {
    method: "GET",
    url: "/dapi/v1/trades",
    weight: 5,
    security: "NONE",
    handler: async ({ params: p, venue }) => {
      const spec = p.symbol();
      const limit = p.limit(500, 1000);
      return (await venue.marketTrades({ symbol: spec.symbol, limit })).map((t) => tradeJson(spec, t));
    },
  },
  {
    method: "GET",
    url: "/dapi/v1/historicalTrades",
    weight: 20,
    security: "USER_STREAM",
    handler: async ({ params: p, venue }) => {
      const spec = p.symbol();
      const limit = p.limit(100, 500);
      const fromId = p.long("fromId");
      return (await venue.marketTrades({ symbol: spec.symbol, fromId, limit })).map((t) =>
        tradeJson(spec, t),
      );
    },
  },
  {
    method: "GET",
    url: "/dapi/v1/aggTrades",
    weight: 20,
    security: "NONE",
    handler: async ({ params: p, venue }) => {
      const spec = p.symbol();
      const fromId = p.long("fromId");
      const { startTime, endTime } = p.timeRange();
      if (startTime !== undefined && endTime !== undefined && endTime - startTime >= AGG_WINDOW_MS)
        throw new VenueError("TOO_LONG_WINDOW", 1);
      const limit = p.limit(500, 1000);
      const aggs = await venue.aggTrades({ symbol: spec.symbol, fromId, startTime, endTime, limit });
      return aggs.map((a) => aggJson(spec, a));
    },
  },
];
