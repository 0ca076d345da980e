// Candles on /dapi/v1 from the venue's own trades: klines by symbol, continuousKlines by
// pair and contract type (the symbol of that pair and type). Rows are Binance's twelve
// fields; volume in contracts, base volumes in coin; an interval without trades carries
// the previous close with zero volume; none is drawn before a symbol's first trade.
//
// Time rules, as Binance's page gives them: at most 200 days between startTime and
// endTime (-4088); the last `limit` candles up to endTime; endTime defaults to now, and
// to 200 days after startTime (not beyond now) when only startTime is sent.

import { type Candle, INTERVALS, type Interval, nextOpenTime } from "../../domain/candles.js";
import { VenueError } from "../../domain/errors.js";
import { formatBase, formatPriceFixed } from "../../domain/inverse.js";
import type { ContractType, SymbolSpec } from "../../domain/symbols.js";
import type { Venue } from "../../venue/venue.js";
import type { ParamReader } from "../read-params.js";
import type { Route } from "../route.js";

const MAX_WINDOW_DAYS = 200;
const MAX_WINDOW_MS = MAX_WINDOW_DAYS * 24 * 60 * 60 * 1000;
const CONTRACT_TYPES: readonly ContractType[] = ["PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"];

/** Weight by `limit`: [1, 100) 1, [100, 500) 2, [500, 1000] 5, more 10. */
export function klineWeight(p: ParamReader): number {
  const sent = Number(p.optional("limit") ?? 500);
  const limit = Number.isFinite(sent) ? sent : 500;
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

function row(spec: SymbolSpec, interval: Interval, c: Candle): unknown[] {
  const price = (ticks: number) => formatPriceFixed(spec, ticks);
  return [
    c.openTime,
    price(c.open),
    price(c.high),
    price(c.low),
    price(c.close),
    String(c.volume),
    nextOpenTime(interval, c.openTime) - 1,
    formatBase(spec, c.baseAcc),
    c.trades,
    String(c.takerBuyVolume),
    formatBase(spec, c.takerBuyBaseAcc),
    "0",
  ];
}

/** The interval, the window and the limit as Binance reads them. */
export function klineWindow(p: ParamReader, now: number) {
  const interval = p.enumOf("interval", INTERVALS, "INVALID_INTERVAL", true);
  const { startTime, endTime } = p.timeRange();
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > MAX_WINDOW_MS)
    throw new VenueError("INVALID_TIME_INTERVAL", MAX_WINDOW_DAYS);
  const limit = p.limit(500, 1500);
  const to = endTime ?? (startTime === undefined ? now : Math.min(startTime + MAX_WINDOW_MS, now));
  const from = startTime ?? to - MAX_WINDOW_MS;
  return { interval, from, to, limit };
}

async function candles(p: ParamReader, spec: SymbolSpec | undefined, now: number, venue: Venue) {
  const { interval, from, to, limit } = klineWindow(p, now);
  if (!spec) return [];
  const found = await venue.klines(spec.symbol, interval, from, to, limit);
  return found.map((c) => row(spec, interval, c));
}

export const klineRoutes: Route[] = [
  {
    method: "GET",
    url: "/dapi/v1/klines",
    weight: klineWeight,
    security: "NONE",
    handler: ({ params: p, now, venue }) => candles(p, p.symbol(), now, venue),
  },
  {
    method: "GET",
    url: "/dapi/v1/continuousKlines",
    weight: klineWeight,
    security: "NONE",
    handler: ({ params: p, now, venue }) => {
      const pair = p.required("pair");
      const contractType = p.enumOf("contractType", CONTRACT_TYPES, "INVALID_CONTRACT_TYPE", true);
      const ofPair = venue.symbols().filter((s) => s.pair === pair);
      if (ofPair.length === 0) throw new VenueError("INVALID_SYMBOL");
      return candles(
        p,
        ofPair.find((s) => s.contractType === contractType),
        now,
        venue,
      );
    },
  },
];
