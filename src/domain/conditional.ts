// Conditional (strategy) orders as Portfolio Margin defines them: which way a stop
// triggers, when a new one would trigger at once (-2021), how a trailing stop follows the
// best price seen, and the price protection check. Prices are ticks; callback rates are
// "rate4": whole 10^-4 of a percent's hundredth (1 % is 100, Binance's 0.1 to 5 % are 10
// to 500).
//
// Binance's New CM Conditional Order page:
// - STOP, STOP_MARKET: BUY when the price ≥ stopPrice, SELL when ≤.
// - TAKE_PROFIT, TAKE_PROFIT_MARKET: BUY when the price ≤ stopPrice, SELL when ≥.
// - TRAILING_STOP_MARKET: BUY when the lowest price since placing is ≤ activationPrice
//   and the latest ≥ that lowest × (1 + callbackRate); SELL when the highest is ≥
//   activationPrice and the latest ≤ that highest × (1 − callbackRate).
// - priceProtect: at the stop, |mark − last| / mark may not exceed the symbol's
//   triggerProtect.

import { formatStripped } from "./decimal.js";
import type { PositionSide, Side, StrategyType, TimeInForce } from "./order.js";

export { STRATEGY_TYPES, type StrategyType } from "./order.js";

export const WORKING_TYPES = ["MARK_PRICE", "CONTRACT_PRICE"] as const;
export type WorkingType = (typeof WORKING_TYPES)[number];

export type StrategyStatus = "NEW" | "CANCELED" | "TRIGGERED" | "EXPIRED" | "FINISHED";

/** Which way the price must cross the stop: upwards (RISE) or downwards (FALL). */
export function triggerDirection(
  type: Exclude<StrategyType, "TRAILING_STOP_MARKET">,
  side: Side,
): "RISE" | "FALL" {
  const stop = type === "STOP" || type === "STOP_MARKET";
  return stop === (side === "BUY") ? "RISE" : "FALL";
}

/** Whether a stop fires at `price` (the working price). */
export function reaches(direction: "RISE" | "FALL", stop: number, price: number): boolean {
  return direction === "RISE" ? price >= stop : price <= stop;
}

/** A trailing stop's watch: the best price seen since it was placed. */
export interface Trail {
  /** Lowest (BUY) or highest (SELL) working price seen, ticks. */
  readonly extreme: number;
  /** Whether the extreme has reached the activation price. */
  readonly active: boolean;
}

export const RATE4 = 10_000;

/** A callback rate as Binance prints it, a percent: "0.3" for 0.3 % (rate4 30). */
export function formatCallbackRate(rate4: number): string {
  return formatStripped(BigInt(rate4), 2);
}

export function startTrail(side: Side, activation: number, price: number): Trail {
  return { extreme: price, active: side === "BUY" ? price <= activation : price >= activation };
}

/** Follows a new price: the trail after it, and whether the stop fires on it. */
export function followTrail(
  side: Side,
  activation: number,
  callbackRate4: number,
  trail: Trail,
  price: number,
): { trail: Trail; fires: boolean } {
  const extreme = side === "BUY" ? Math.min(trail.extreme, price) : Math.max(trail.extreme, price);
  const active = trail.active || (side === "BUY" ? extreme <= activation : extreme >= activation);
  const next = { extreme, active };
  if (!active) return { trail: next, fires: false };
  // BUY: price ≥ lowest × (1 + rate); SELL: price ≤ highest × (1 − rate), in integers.
  const fires =
    side === "BUY"
      ? price * RATE4 >= extreme * (RATE4 + callbackRate4)
      : price * RATE4 <= extreme * (RATE4 - callbackRate4);
  return { trail: next, fires };
}

/** The stop a trailing order would fire at now (ticks): the extreme moved by the callback rate. */
export function trailingStop(side: Side, callbackRate4: number, trail: Trail): number {
  return side === "BUY"
    ? Math.ceil((trail.extreme * (RATE4 + callbackRate4)) / RATE4)
    : Math.floor((trail.extreme * (RATE4 - callbackRate4)) / RATE4);
}

/**
 * priceProtect: whether the mark and the last price are close enough to let a stop fire,
 * |mark − last| ≤ mark × triggerProtect (protect4: whole 10^-4, "0.0500" is 500).
 */
export function protectedEnough(mark: number, last: number, protect4: number): boolean {
  return Math.abs(mark - last) * RATE4 <= mark * protect4;
}

/** A conditional order as the venue keeps it (ticks, contracts). */
export interface Strategy {
  readonly id: number;
  readonly accountId: number;
  readonly symbol: string;
  readonly side: Side;
  readonly positionSide: PositionSide;
  readonly type: StrategyType;
  readonly working: WorkingType;
  /** Ticks; 0 for a trailing stop. */
  readonly stopPrice: number;
  /** Ticks of the LIMIT order STOP and TAKE_PROFIT place; 0 for the MARKET kinds. */
  readonly price: number;
  readonly quantity: number;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly priceProtect: boolean;
  readonly clientStrategyId: string;
  status: StrategyStatus;
  readonly bookTime: number;
  updateTime: number;
  /** When it fired; 0 before. */
  triggerTime: number;
  /** The order it placed when it fired; 0 before (or when it could not place one). */
  orderId: number;
  /** Trailing stops: activation price (ticks) and callback rate (rate4). */
  readonly activatePrice: number;
  readonly callbackRate4: number;
  trail: Trail | undefined;
  /** Arming order (the trigger book's tie-break). */
  readonly seq: number;
}
