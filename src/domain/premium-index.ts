// What premiumIndex and the mark-price streams tell about a symbol: mark, index and
// estimated settle prices at 8 decimals, the funding rates and the next funding time.
// Until the venue keeps an index and funds positions, the index and the estimated
// settle price are the mark and the rates are zero; perpetuals still name Binance's
// next 8-hourly funding time. Delivery contracts have no funding: "" rates and time 0.

import { divHalfUp, formatFixed } from "./decimal.js";
import type { SymbolSpec } from "./symbols.js";

const MARK_SCALE = 8;
export const FUNDING_INTERVAL_MS = 8 * 60 * 60 * 1000;

/** A price in ticks at 8 decimals, as Binance prints mark and index prices; zeros for none. */
export function formatMarkPrice(spec: SymbolSpec, ticks: number | undefined): string {
  if (ticks === undefined) return formatFixed(0n, MARK_SCALE);
  const units = BigInt(ticks) * spec.tick.units;
  const scale = spec.tick.scale;
  if (scale <= MARK_SCALE) return formatFixed(units * 10n ** BigInt(MARK_SCALE - scale), MARK_SCALE);
  return formatFixed(divHalfUp(units, 10n ** BigInt(scale - MARK_SCALE)), MARK_SCALE);
}

/** Binance funds perpetuals at 00:00, 08:00 and 16:00 UTC. */
export function nextFundingTime(now: number): number {
  return (Math.floor(now / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
}

export interface PremiumIndex {
  readonly markPrice: string;
  readonly indexPrice: string;
  readonly estimatedSettlePrice: string;
  /** "" for a delivery contract. */
  readonly lastFundingRate: string;
  readonly interestRate: string;
  /** 0 for a delivery contract. */
  readonly nextFundingTime: number;
}

export function premiumIndex(spec: SymbolSpec, markTicks: number | undefined, now: number): PremiumIndex {
  const mark = formatMarkPrice(spec, markTicks);
  const perpetual = spec.contractType === "PERPETUAL";
  return {
    markPrice: mark,
    indexPrice: mark,
    estimatedSettlePrice: mark,
    lastFundingRate: perpetual ? formatFixed(0n, MARK_SCALE) : "",
    interestRate: perpetual ? formatFixed(0n, MARK_SCALE) : "",
    nextFundingTime: perpetual ? nextFundingTime(now) : 0,
  };
}
