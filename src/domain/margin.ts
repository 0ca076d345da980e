// Coin-margined money: realized PnL of a close, commission of a fill, and the initial
// and maintenance margin of a notional, all in 10^-8 units of the margin coin. Every
// formula is the inverse-contract one (spec §6.5) computed exactly with bigints, then
// rounded once: PnL half-up, commission truncated (as Binance's published trade shows),
// margin rounded up (a venue never under-reserves).

import { type Bracket, bracketFor } from "./brackets.js";
import { divHalfUp, parseDecimal, type Scaled } from "./decimal.js";
import { BASE_SCALE } from "./order.js";
import type { SymbolSpec } from "./symbols.js";

const COIN_UNIT = 10n ** 8n;

/**
 * Realized PnL of closing `closedQty` contracts whose entry value was `closedEntryAcc`
 * at `exitTicks`: a long gains q × cs × (1/entry − 1/exit), a short the opposite.
 */
export function realizedUnits(
  spec: SymbolSpec,
  wasLong: boolean,
  closedQty: number,
  closedEntryAcc: bigint,
  exitTicks: number,
): bigint {
  if (closedQty === 0) return 0n;
  const exit = BigInt(exitTicks);
  const num =
    BigInt(spec.contractSize) *
    10n ** BigInt(spec.tick.scale) *
    COIN_UNIT *
    (closedEntryAcc * exit - BigInt(closedQty) * BASE_SCALE);
  const den = spec.tick.units * BASE_SCALE * exit;
  const value = divHalfUp(num, den);
  return wasLong ? value : -value;
}

/** Commission of a fill: qty × cs / price × rate, truncated to 10^-8. */
export function commissionUnits(spec: SymbolSpec, qty: number, priceTicks: number, rate: Scaled): bigint {
  const num =
    BigInt(qty) * BigInt(spec.contractSize) * 10n ** BigInt(spec.tick.scale) * COIN_UNIT * rate.units;
  const den = BigInt(priceTicks) * spec.tick.units * 10n ** BigInt(rate.scale);
  return num / den;
}

/** Coin value of `qty` contracts at `priceTicks`, 10^-8 units, half-up. */
export function notionalUnits(spec: SymbolSpec, qty: number, priceTicks: number): bigint {
  if (qty === 0 || priceTicks <= 0) return 0n;
  const num = BigInt(qty) * BigInt(spec.contractSize) * 10n ** BigInt(spec.tick.scale) * COIN_UNIT;
  return divHalfUp(num, BigInt(priceTicks) * spec.tick.units);
}

/** Initial margin of a notional at a leverage, rounded up. */
export function initialMarginUnits(notional: bigint, leverage: number): bigint {
  const lev = BigInt(leverage);
  return (notional + lev - 1n) / lev;
}

/** Maintenance margin: notional × mmr − cum of the notional's bracket, never below 0. */
export function maintMarginUnits(pair: string, notional: bigint): { units: bigint; bracket: Bracket } {
  const bracket = bracketFor(pair, notional);
  const mmr = decimal(bracket.maintMarginRatio);
  const cum = decimal(bracket.cum);
  const scale = Math.max(mmr.scale, cum.scale);
  const num =
    notional * mmr.units * 10n ** BigInt(scale - mmr.scale) -
    cum.units * COIN_UNIT * 10n ** BigInt(scale - cum.scale);
  const units = divHalfUp(num, 10n ** BigInt(scale));
  return { units: units > 0n ? units : 0n, bracket };
}

function decimal(text: string): Scaled {
  const d = parseDecimal(text);
  if (!d) throw new Error(`bad decimal ${text}`);
  return d;
}
