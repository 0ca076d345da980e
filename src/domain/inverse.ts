// Inverse-contract arithmetic: a COIN-M contract is worth `contractSize` USD, so a fill
// of q contracts at price p is worth q × cs / p coins. Orders carry the exact-enough sum
// Σ q × BASE_SCALE / ticks (`Order.baseAcc`); these functions turn it into Binance's
// strings: cumBase rounded once, half-up, to 8 decimals; avgPrice as the harmonic
// mean (executedQty × cs / cumBase) rounded half-up to the symbol's pricePrecision.

import { divHalfUp, formatFixed, formatStripped } from "./decimal.js";
import { BASE_SCALE } from "./order.js";
import type { SymbolSpec } from "./symbols.js";

const COIN_SCALE = 8;
const COIN_UNIT = 10n ** BigInt(COIN_SCALE);

/** Coin value of a fill or an order's fills, in 10^-8 units, half-up. */
export function baseUnits(spec: SymbolSpec, baseAcc: bigint): bigint {
  const num = baseAcc * BigInt(spec.contractSize) * 10n ** BigInt(spec.tick.scale) * COIN_UNIT;
  const den = BASE_SCALE * spec.tick.units;
  return divHalfUp(num, den);
}

/** `cumBase` / `baseQty`: ≤ 8 decimals, half-up, trailing zeros stripped, "0" for none. */
export function formatBase(spec: SymbolSpec, baseAcc: bigint): string {
  return formatStripped(baseUnits(spec, baseAcc), COIN_SCALE);
}

/** Coin value of `qty` contracts at `priceTicks`, as baseAcc would accumulate it. */
export function fillBaseAcc(qty: number, priceTicks: number): bigint {
  return (BigInt(qty) * BASE_SCALE) / BigInt(priceTicks);
}

/** `avgPrice`: harmonic mean of the fills at exactly pricePrecision decimals; "0.0…" when unfilled. */
export function formatAvgPrice(spec: SymbolSpec, executedQty: number, baseAcc: bigint): string {
  const pp = spec.pricePrecision;
  if (executedQty === 0 || baseAcc === 0n) return formatFixed(0n, pp);
  // avg = executedQty × tick / (baseAcc / BASE_SCALE), expressed in 10^-pp units.
  const tickScale = BigInt(spec.tick.scale);
  const num = BigInt(executedQty) * BASE_SCALE * spec.tick.units * 10n ** BigInt(pp);
  const den = baseAcc * 10n ** tickScale;
  return formatFixed(divHalfUp(num, den), pp);
}

/** A price in ticks as Binance prints order prices: stripped, "0" for none. */
export function formatPrice(spec: SymbolSpec, ticks: number): string {
  return formatStripped(BigInt(ticks) * spec.tick.units, spec.tick.scale);
}

/** A price in ticks with exactly pricePrecision decimals (depth, tickers). */
export function formatPriceFixed(spec: SymbolSpec, ticks: number): string {
  const units = BigInt(ticks) * spec.tick.units;
  const pp = spec.pricePrecision;
  if (pp >= spec.tick.scale) return formatFixed(units * 10n ** BigInt(pp - spec.tick.scale), pp);
  return formatFixed(divHalfUp(units, 10n ** BigInt(spec.tick.scale - pp)), pp);
}

/** Entry price of a position: harmonic mean of its opening fills, 8 decimals; "0" when flat. */
export function formatEntryPrice(spec: SymbolSpec, contracts: number, entryAcc: bigint): string {
  if (contracts === 0 || entryAcc === 0n) return "0";
  const num = BigInt(Math.abs(contracts)) * BASE_SCALE * spec.tick.units * COIN_UNIT;
  const den = entryAcc * 10n ** BigInt(spec.tick.scale);
  return formatFixed(divHalfUp(num, den), COIN_SCALE);
}

/**
 * Unrealized PnL in coin at a mark price, in 10^-8 units: a long of q contracts gains
 * q × cs × (1/entry − 1/mark); a short the opposite.
 */
export function unrealizedUnits(
  spec: SymbolSpec,
  contracts: number,
  entryAcc: bigint,
  markTicks: number,
): bigint {
  if (contracts === 0 || markTicks <= 0) return 0n;
  const open = BigInt(Math.abs(contracts));
  const mark = BigInt(markTicks);
  const num =
    BigInt(spec.contractSize) *
    10n ** BigInt(spec.tick.scale) *
    COIN_UNIT *
    (entryAcc * mark - open * BASE_SCALE);
  const den = spec.tick.units * BASE_SCALE * mark;
  const value = divHalfUp(num, den);
  return contracts > 0 ? value : -value;
}

/** Wallet and PnL amounts: fixed 8 decimals. */
export function formatCoin(units: bigint): string {
  return formatFixed(units, COIN_SCALE);
}
