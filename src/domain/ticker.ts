// A symbol's rolling 24-hour figures, as the ticker endpoint and the ticker streams
// print them, from the trade statistics of the window. One function, so that REST and
// the streams never disagree on a rounding.

import { divHalfUp, formatFixed } from "./decimal.js";
import { formatAvgPrice, formatBase, formatPriceFixed } from "./inverse.js";
import type { SymbolSpec } from "./symbols.js";

export const DAY_MS = 24 * 60 * 60 * 1000;

/** What the window's trades add up to; prices in ticks, volume in contracts. */
export interface DayStats {
  readonly count: number;
  readonly firstId: number;
  readonly lastId: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly last: number;
  readonly lastQty: number;
  readonly volume: number;
  /** Σ qty × BASE_SCALE / ticks. */
  readonly baseAcc: bigint;
}

export interface DayTicker {
  readonly priceChange: string;
  readonly priceChangePercent: string;
  readonly weightedAvgPrice: string;
  readonly lastPrice: string;
  readonly lastQty: string;
  readonly openPrice: string;
  readonly highPrice: string;
  readonly lowPrice: string;
  /** Contracts. */
  readonly volume: string;
  /** Coin. */
  readonly baseVolume: string;
  /** -1 without a trade in the window. */
  readonly firstId: number;
  readonly lastId: number;
  readonly count: number;
}

/** The figures of a window; a window without trades prints zeros at the symbol's precision. */
export function dayTicker(spec: SymbolSpec, s: DayStats | undefined): DayTicker {
  const price = (ticks: number) => formatPriceFixed(spec, ticks);
  const change = s ? s.last - s.open : 0;
  // Percent with 3 decimals, half-up, of the open price.
  const percent = s && s.open > 0 ? divHalfUp(BigInt(change) * 100_000n, BigInt(s.open)) : 0n;
  return {
    priceChange: price(change),
    priceChangePercent: formatFixed(percent, 3),
    weightedAvgPrice: s ? formatAvgPrice(spec, s.volume, s.baseAcc) : price(0),
    lastPrice: price(s?.last ?? 0),
    lastQty: String(s?.lastQty ?? 0),
    openPrice: price(s?.open ?? 0),
    highPrice: price(s?.high ?? 0),
    lowPrice: price(s?.low ?? 0),
    volume: String(s?.volume ?? 0),
    baseVolume: formatBase(spec, s?.baseAcc ?? 0n),
    firstId: s?.firstId ?? -1,
    lastId: s?.lastId ?? -1,
    count: s?.count ?? 0,
  };
}
