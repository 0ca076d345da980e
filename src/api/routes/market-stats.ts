// What the market holds and does, computed from the venue's own accounts and trades:
// open interest now, and the statistics over periods (/futures/data/*) as they land.
//
// takerBuySellVol comes from the one-minute candles: per period, what takers bought and
// sold in contracts and in coin (at most 8 decimals, as cumBase prints). Every period from the pair's first trade
// is a row, quiet ones with zeros; `timestamp` is the period's open time; only the last
// 30 days are kept, as Binance's page says; `ALL` sums the pair's contracts.

import { type Candle, type Interval, openTimeBefore } from "../../domain/candles.js";
import { formatStripped } from "../../domain/decimal.js";
import { VenueError } from "../../domain/errors.js";
import { baseUnits } from "../../domain/inverse.js";
import type { ContractType, SymbolSpec } from "../../domain/symbols.js";
import type { Route } from "../route.js";

/** The periods of the /futures/data statistics. */
export const PERIODS = [
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "12h",
  "1d",
] as const satisfies readonly Interval[];
export const CONTRACT_FILTERS = ["ALL", "PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"] as const;
export const KEPT_MS = 30 * 24 * 60 * 60 * 1000;
const COIN_SCALE = 8;

/** One period's taker volumes: contracts, and coin in 10^-8 units. */
interface Sum {
  buy: number;
  sell: number;
  buyUnits: bigint;
  sellUnits: bigint;
}

/** Adds a symbol's candle to its period, its coin values at the symbol's own contract size. */
function addCandle(sums: Map<number, Sum>, spec: SymbolSpec, c: Candle): void {
  const sum = sums.get(c.openTime) ?? { buy: 0, sell: 0, buyUnits: 0n, sellUnits: 0n };
  sum.buy += c.takerBuyVolume;
  sum.sell += c.volume - c.takerBuyVolume;
  sum.buyUnits += baseUnits(spec, c.takerBuyBaseAcc);
  sum.sellUnits += baseUnits(spec, c.baseAcc - c.takerBuyBaseAcc);
  sums.set(c.openTime, sum);
}

export const marketStatsRoutes: Route[] = [
  {
    method: "GET",
    url: "/dapi/v1/openInterest",
    weight: 1,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const spec = p.symbol();
      return {
        symbol: spec.symbol,
        pair: spec.pair,
        // Contracts held long, which equal those held short.
        openInterest: String(await venue.openInterest(spec.symbol)),
        contractType: spec.contractType,
        time: now,
      };
    },
  },
  {
    method: "GET",
    url: "/futures/data/takerBuySellVol",
    weight: 1,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const pair = p.required("pair");
      const contractType = p.enumOf("contractType", CONTRACT_FILTERS, "INVALID_CONTRACT_TYPE", true);
      const period = p.enumOf("period", PERIODS, "INVALID_PARAM_VALUE", true);
      const limit = p.limit(30, 500);
      const { startTime, endTime } = p.timeRange();
      const ofPair = venue.symbols().filter((s) => s.pair === pair);
      if (ofPair.length === 0) throw new VenueError("INVALID_SYMBOL");
      const specs: SymbolSpec[] =
        contractType === "ALL"
          ? ofPair
          : ofPair.filter((s) => s.contractType === (contractType as ContractType));
      const kept = now - KEPT_MS;
      const to = Math.min(endTime ?? now, now);
      const from = Math.max(startTime ?? kept, kept, openTimeBefore(period, to, limit - 1));
      const sums = new Map<number, Sum>();
      for (const spec of specs) {
        for (const c of await venue.klines(spec.symbol, period, from, to, limit)) addCandle(sums, spec, c);
      }
      return [...sums.entries()]
        .sort((a, b) => a[0] - b[0])
        .slice(-limit)
        .map(([openTime, s]) => ({
          pair,
          contractType,
          takerBuyVol: String(s.buy),
          takerSellVol: String(s.sell),
          takerBuyVolValue: formatStripped(s.buyUnits, COIN_SCALE),
          takerSellVolValue: formatStripped(s.sellUnits, COIN_SCALE),
          timestamp: openTime,
        }));
    },
  },
];
