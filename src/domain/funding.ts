// Index, mark and funding as Binance defines them for COIN-M perpetuals, in integers.
// Prices here are "price8": whole 10^-8 USD (Binance prints index and mark prices at 8
// decimals); rates are "rate8": whole 10^-8 (a funding rate of 0.01 % is 10000).
//
// - Premium index = [max(0, impact bid − index) − max(0, index − impact ask)] / index,
//   sampled every 5 s. The impact prices are what it costs to trade the impact margin
//   notional (200 USD of margin at the pair's highest leverage) into the book.
// - Funding rate = P + clamp(interest − P, −0.05 %, +0.05 %), P the time-weighted average
//   of the interval's premium samples (weights 1, 2, …, n: later samples weigh more),
//   interest 0.01 % per 8 h; the rate is capped at ±75 % of (initial − maintenance)
//   margin rate of the first bracket (±0.3 % for every listed pair).
// - Mark (perpetual) = median(index × (1 + rate × time to funding / 8 h),
//   index + moving average of (mid − index) over 30 samples 5 s apart, last price);
//   a delivery contract's mark is index + that moving average.
// - Funding in coin = contracts × contract size / mark × rate; longs pay shorts when the
//   rate is positive. Both sides' totals are one rounded amount, shared out by largest
//   remainder (`shareOut`), so what is paid is exactly what is received.

import { bracketsOf, maxLeverage } from "./brackets.js";
import { divHalfUp, parseDecimal } from "./decimal.js";
import type { SymbolSpec } from "./symbols.js";

export const PRICE8 = 10n ** 8n;
export const RATE8 = 100_000_000;
/** 0.01 % per 8 hours. */
export const INTEREST_RATE8 = 10_000;
/** ±0.05 %: how far the interest term may pull the rate from the premium. */
const CLAMP8 = 50_000;
/** USD of margin whose notional sets the impact prices. */
const IMPACT_MARGIN_USD = 200;
/** Premium and basis samples are taken every 5 s. */
export const SAMPLE_MS = 5000;
/** The mark's moving average of the basis: 30 samples, 2.5 minutes. */
export const BASIS_SAMPLES = 30;
export const FUNDING_HOURS = 8;
export const FUNDING_INTERVAL_MS = FUNDING_HOURS * 60 * 60 * 1000;

/** A price in ticks as price8. */
export function tickPrice8(spec: SymbolSpec, ticks: number): number {
  return Number((BigInt(ticks) * spec.tick.units * PRICE8) / 10n ** BigInt(spec.tick.scale));
}

/** A price8 rounded half-up to the symbol's tick, at least one tick. */
export function ticksOf(spec: SymbolSpec, price8: number): number {
  const ticks = divHalfUp(BigInt(price8) * 10n ** BigInt(spec.tick.scale), spec.tick.units * PRICE8);
  return ticks < 1n ? 1 : Number(ticks);
}

/** Contracts that make up the impact margin notional: 200 USD × the pair's highest leverage. */
export function impactContracts(spec: SymbolSpec): number {
  return Math.max(1, Math.round((IMPACT_MARGIN_USD * maxLeverage(spec.pair)) / spec.contractSize));
}

/**
 * The average price (harmonic, as coin-margined fills average) of taking `contracts` from
 * one side of a book, best level first; undefined for an empty side. A side too thin for
 * the whole amount is walked to its end and the rest priced at its last level.
 */
export function impactPrice8(
  spec: SymbolSpec,
  levels: ReadonlyArray<{ readonly price: number; readonly qty: number }>,
  contracts: number,
): number | undefined {
  if (levels.length === 0 || contracts <= 0) return undefined;
  const SCALE = 10n ** 24n;
  let left = contracts;
  let coin = 0n;
  let last = 0;
  for (const level of levels) {
    if (left === 0) break;
    const take = Math.min(left, level.qty);
    last = tickPrice8(spec, level.price);
    coin += (BigInt(take) * SCALE) / BigInt(last);
    left -= take;
  }
  if (left > 0) coin += (BigInt(left) * SCALE) / BigInt(last);
  return Number(divHalfUp(BigInt(contracts) * SCALE, coin));
}

/** The premium index of one sample, rate8; 0 where a side has no impact price. */
export function premium8(
  index8: number,
  impactBid8: number | undefined,
  impactAsk8: number | undefined,
): number {
  if (index8 <= 0) return 0;
  const above = impactBid8 === undefined ? 0 : Math.max(0, impactBid8 - index8);
  const below = impactAsk8 === undefined ? 0 : Math.max(0, index8 - impactAsk8);
  return Number(divHalfUp(BigInt(above - below) * BigInt(RATE8), BigInt(index8)));
}

/** The interval's premium samples so far, weighted 1, 2, … n. */
export interface PremiumAverage {
  /** Σ i × P_i. */
  readonly weighted: number;
  /** n: samples taken. */
  readonly count: number;
}

export const NO_PREMIUM: PremiumAverage = { weighted: 0, count: 0 };

export function addPremium(avg: PremiumAverage, sample8: number): PremiumAverage {
  const count = avg.count + 1;
  return { weighted: avg.weighted + count * sample8, count };
}

/** The time-weighted average premium, rate8 (0 without samples). */
export function averagePremium8(avg: PremiumAverage): number {
  if (avg.count === 0) return 0;
  const weights = (avg.count * (avg.count + 1)) / 2;
  return Number(divHalfUp(BigInt(avg.weighted), BigInt(weights)));
}

/** ±75 % of (initial − maintenance) margin rate at the first bracket, rate8. */
export function fundingCap8(pair: string): number {
  const first = bracketsOf(pair)[0]!;
  const mmr = parseDecimal(first.maintMarginRatio)!;
  const mmr8 = Number((mmr.units * BigInt(RATE8)) / 10n ** BigInt(mmr.scale));
  const imr8 = Math.round(RATE8 / first.initialLeverage);
  return Math.floor(((imr8 - mmr8) * 3) / 4);
}

/** F = P + clamp(I − P, −0.05 %, +0.05 %), then capped, rate8. */
export function fundingRate8(averagePremium: number, cap8: number): number {
  const pull = Math.min(CLAMP8, Math.max(-CLAMP8, INTEREST_RATE8 - averagePremium));
  return Math.min(cap8, Math.max(-cap8, averagePremium + pull));
}

/** Binance funds perpetuals at 00:00, 08:00 and 16:00 UTC: the first funding time after `now`. */
export function nextFundingTime(now: number): number {
  return (Math.floor(now / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS;
}

export function isFundingTime(time: number): boolean {
  return time % FUNDING_INTERVAL_MS === 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The moving average of the basis samples (mid − index), price8; 0 without samples. */
export function basisAverage8(basis: readonly number[]): number {
  if (basis.length === 0) return 0;
  return Number(divHalfUp(BigInt(basis.reduce((a, b) => a + b, 0)), BigInt(basis.length)));
}

export interface MarkInputs {
  readonly index8: number;
  /** The current interval's funding rate so far (rate8). */
  readonly rate8: number;
  readonly msToFunding: number;
  /** The last 30 basis samples (mid − index), price8. */
  readonly basis: readonly number[];
  /** The last trade, price8; undefined before the first. */
  readonly last8: number | undefined;
}

/** The perpetual's mark, price8: the median of the three prices (of two, their mean, without a last trade). */
export function perpetualMark8(m: MarkInputs): number {
  const price1 =
    m.index8 +
    Number(
      divHalfUp(
        BigInt(m.index8) * BigInt(m.rate8) * BigInt(m.msToFunding),
        BigInt(RATE8) * BigInt(FUNDING_INTERVAL_MS),
      ),
    );
  const price2 = m.index8 + basisAverage8(m.basis);
  return median(m.last8 === undefined ? [price1, price2] : [price1, price2, m.last8]);
}

/** A delivery contract's mark, price8: the index plus the moving average of its basis. */
export function deliveryMark8(index8: number, basis: readonly number[]): number {
  return index8 + basisAverage8(basis);
}

/** The exact coin value (10^-8 units) of `contracts` at a mark times a rate, as a fraction num/den. */
export function fundingValue(
  spec: SymbolSpec,
  contracts: number,
  markTicks: number,
  rate8: number,
): { num: bigint; den: bigint } {
  return {
    num:
      BigInt(contracts) * BigInt(spec.contractSize) * 10n ** BigInt(spec.tick.scale) * PRICE8 * BigInt(rate8),
    den: BigInt(markTicks) * spec.tick.units * BigInt(RATE8),
  };
}

/**
 * Shares `total` out over `weights` in proportion, each share rounded down, the units
 * left over going one each to the largest remainders (earlier entries win ties). The
 * shares always add up to `total` exactly.
 */
export function shareOut(total: bigint, weights: readonly number[]): bigint[] {
  const sum = BigInt(weights.reduce((a, b) => a + b, 0));
  if (sum === 0n) return weights.map(() => 0n);
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const shares = weights.map((w) => (abs * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (abs * BigInt(w)) % sum }));
  let left = abs - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return negative ? shares.map((s) => -s) : shares;
}
