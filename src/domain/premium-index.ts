// What premiumIndex and the mark-price streams tell about a symbol: mark, index and
// estimated settle prices at 8 decimals, the funding rates and the next funding time.
// The index is the pair's (domain/funding.ts); a pair without one shows its mark as its
// index. lastFundingRate is the rate of the interval under way so far (what the next
// funding would pay, as Binance shows it); the estimated settle price is the index, and
// in a quarterly's last 30 minutes the delivery average so far.
// Delivery contracts have no funding: "" rates and time 0.

import { divHalfUp, formatFixed } from "./decimal.js";
import { INTEREST_RATE8, nextFundingTime, tickPrice8 } from "./funding.js";
import type { SymbolSpec } from "./symbols.js";

const MARK_SCALE = 8;

/** A price in ticks at 8 decimals, as Binance prints mark and index prices; zeros for none. */
export function formatMarkPrice(spec: SymbolSpec, ticks: number | undefined): string {
  if (ticks === undefined) return formatFixed(0n, MARK_SCALE);
  const units = BigInt(ticks) * spec.tick.units;
  const scale = spec.tick.scale;
  if (scale <= MARK_SCALE) return formatFixed(units * 10n ** BigInt(MARK_SCALE - scale), MARK_SCALE);
  return formatFixed(divHalfUp(units, 10n ** BigInt(scale - MARK_SCALE)), MARK_SCALE);
}

/** A price8 (or rate8) at 8 decimals. */
export function format8(value: number): string {
  return formatFixed(BigInt(value), MARK_SCALE);
}

/** What the venue knows of a symbol's prices (venue/prices.ts). */
export interface SymbolPriceInputs {
  /** Ticks; undefined before any. */
  readonly mark: number | undefined;
  /** The pair's index, price8; undefined without one. */
  readonly index8: number | undefined;
  /** The interval's funding rate so far, rate8. */
  readonly rate8: number;
  /** A quarterly's delivery average so far in its last 30 minutes, price8. */
  readonly settle8?: number | undefined;
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

export function premiumIndex(spec: SymbolSpec, p: SymbolPriceInputs, now: number): PremiumIndex {
  const mark = formatMarkPrice(spec, p.mark);
  const index =
    p.index8 !== undefined
      ? format8(p.index8)
      : p.mark === undefined
        ? mark
        : format8(tickPrice8(spec, p.mark));
  const perpetual = spec.contractType === "PERPETUAL";
  return {
    markPrice: mark,
    indexPrice: index,
    estimatedSettlePrice: p.settle8 !== undefined ? format8(p.settle8) : index,
    lastFundingRate: perpetual ? format8(p.rate8) : "",
    interestRate: perpetual ? format8(INTEREST_RATE8) : "",
    nextFundingTime: perpetual ? nextFundingTime(now) : 0,
  };
}
