// The symbol filters on price and quantity that need no state: precision (-1111),
// PRICE_FILTER, LOT_SIZE / MARKET_LOT_SIZE. They turn a parsed decimal into the
// integer the engine uses (ticks, contracts) or throw the Binance error. PERCENT_PRICE
// needs the mark price and lives with the venue's state.

import { rescale, type Scaled } from "./decimal.js";
import { VenueError } from "./errors.js";
import { priceToTicks, type StepRule, type SymbolSpec } from "./symbols.js";

/** Price → ticks, checked in Binance's order: precision, sign, min, max, tick. */
export function checkPrice(spec: SymbolSpec, price: Scaled): number {
  if (price.scale > spec.pricePrecision) throw new VenueError("BAD_PRECISION");
  if (price.units <= 0n) throw new VenueError("PRICE_LESS_THAN_ZERO");
  const ticks = priceToTicks(spec.tick, price);
  const scale = Math.max(spec.tick.scale, price.scale);
  const inTickScale = (ticks: number): bigint =>
    rescale({ units: BigInt(ticks) * spec.tick.units, scale: spec.tick.scale }, scale);
  const value = rescale(price, scale);
  if (spec.minPriceTicks > 0 && value < inTickScale(spec.minPriceTicks))
    throw new VenueError("PRICE_LESS_THAN_MIN");
  if (spec.maxPriceTicks > 0 && value > inTickScale(spec.maxPriceTicks))
    throw new VenueError("PRICE_GREATER_THAN_MAX");
  if (ticks === undefined) throw new VenueError("PRICE_NOT_TICK");
  return Number(ticks);
}

/** Quantity → contracts against LOT_SIZE (LIMIT) or MARKET_LOT_SIZE (MARKET). */
export function checkQuantity(spec: SymbolSpec, qty: Scaled, market: boolean): number {
  if (qty.scale > spec.quantityPrecision) throw new VenueError("BAD_PRECISION");
  if (qty.units <= 0n) throw new VenueError("QTY_LESS_THAN_ZERO");
  // quantityPrecision is 0 on every CM contract: a quantity is a whole number of contracts.
  const contracts = qty.units;
  const rule: StepRule = market ? spec.marketLot : spec.lot;
  if (contracts < BigInt(rule.min)) throw new VenueError("QTY_LESS_THAN_MIN");
  if (contracts > BigInt(rule.max)) throw new VenueError("QTY_GREATER_THAN_MAX");
  if (rule.step > 0 && (contracts - BigInt(rule.min)) % BigInt(rule.step) !== 0n)
    throw new VenueError("QTY_NOT_STEP");
  return Number(contracts);
}

/**
 * PERCENT_PRICE against a mark price in ticks: a BUY may not be above mark × up,
 * a SELL not below mark × down. Exact integer comparison.
 */
export function checkPercentPrice(
  spec: SymbolSpec,
  side: "BUY" | "SELL",
  priceTicks: number,
  markTicks: number,
): void {
  if (side === "BUY") {
    const m = spec.multiplierUp;
    if (BigInt(priceTicks) * 10n ** BigInt(m.scale) > BigInt(markTicks) * m.units) {
      throw new VenueError("PRICE_ABOVE_MULTIPLIER_CAP");
    }
  } else {
    const m = spec.multiplierDown;
    if (BigInt(priceTicks) * 10n ** BigInt(m.scale) < BigInt(markTicks) * m.units) {
      throw new VenueError("PRICE_BELOW_MULTIPLIER_FLOOR");
    }
  }
}
