// The pre-trade checks, as functions over the venue's state: position side by mode,
// closing orders against the position, PERCENT_PRICE around the mark, margin, and the
// open-order count. Each throws the VenueError Binance answers and changes nothing, so a
// command runs them all before it touches the books.

import { VenueError } from "../domain/errors.js";
import { checkPercentPrice } from "../domain/filters.js";
import type { Order, OrderType, PositionSide, Side } from "../domain/order.js";
import { mayOnlyReduce } from "../domain/risk-levels.js";
import { findSymbol, type SymbolSpec } from "../domain/symbols.js";
import type { Account } from "./accounts.js";
import type { PlaceCommand } from "./commands.js";
import type { AccountExposures, OrderExposure } from "./exposures.js";
import { type AssetRisk, riskByAsset } from "./risk.js";
import type { VenueState } from "./state.js";

/**
 * The position side an order trades, by the account's mode: one-way takes BOTH (or
 * nothing), hedge mode needs LONG or SHORT and refuses reduceOnly, even "false".
 */
export function checkPositionSide(
  account: Account,
  cmd: Pick<PlaceCommand, "positionSide" | "reduceOnly">,
): PositionSide {
  if (!account.dualSide) {
    if (cmd.positionSide !== undefined && cmd.positionSide !== "BOTH")
      throw new VenueError("POSITION_SIDE_MISMATCH");
    return "BOTH";
  }
  if (cmd.positionSide === undefined || cmd.positionSide === "BOTH")
    throw new VenueError("POSITION_SIDE_MISMATCH");
  if (cmd.reduceOnly !== undefined) throw new VenueError("PARAM_NOT_REQUIRED", "reduceonly");
  return cmd.positionSide;
}

/** In hedge mode, a SELL on LONG or a BUY on SHORT only closes. */
function closesHedged(positionSide: "LONG" | "SHORT", side: Side): boolean {
  return (positionSide === "LONG") === (side === "SELL");
}

/** MAX_NUM_ORDERS: -2025 when the account already has the symbol's most open orders. */
export function checkOpenCount(state: VenueState, accountId: number, spec: SymbolSpec): void {
  if (state.exposures.count(accountId, spec.symbol) >= spec.maxNumOrders)
    throw new VenueError("MAX_OPEN_ORDERS");
}

/**
 * Orders that may only close: one-way reduce-only orders, and in hedge mode a SELL on
 * LONG or a BUY on SHORT. They must face a position of at least their size, net of the
 * account's other open closing orders on it (the venue refuses rather than shrinks them).
 * A modify that enlarges such an order asks for the contracts it adds.
 */
export function checkClosing(
  state: VenueState,
  account: Account,
  symbol: string,
  side: Side,
  positionSide: PositionSide,
  qty: number,
  reduceOnly: boolean,
): void {
  const closing = positionSide === "BOTH" ? reduceOnly : closesHedged(positionSide, side);
  if (!closing) return;
  const { amount } = state.accounts.position(account.id, symbol, positionSide);
  const open = side === "BUY" ? -amount : amount;
  const pending = state.exposures.closing(account.id, symbol, positionSide, side);
  if (open <= 0 || qty + pending > open) throw new VenueError("REDUCE_ONLY_REJECT");
}

/** PERCENT_PRICE for LIMIT prices, and -4131 for a MARKET whose best counter price is outside the band. */
export function checkMarkBounds(
  state: VenueState,
  spec: SymbolSpec,
  side: Side,
  type: OrderType,
  price: number,
): void {
  const mark = state.markPrice(spec.symbol);
  if (mark === undefined) return;
  if (type === "LIMIT") {
    checkPercentPrice(spec, side, price, mark);
    return;
  }
  const best = state.engine.depth(spec.symbol, side === "BUY" ? "SELL" : "BUY", 1)[0];
  if (!best) return;
  try {
    checkPercentPrice(spec, side, best.price, mark);
  } catch {
    throw new VenueError("MARKET_PRICE_OUTSIDE_PERCENT");
  }
}

/** The price a MARKET order is margined at: the best counter price, else the mark. */
export function marketPrice(state: VenueState, symbol: string, side: Side): number {
  const best = state.engine.depth(symbol, side === "BUY" ? "SELL" : "BUY", 1)[0];
  return best?.price ?? state.markPrice(symbol) ?? 0;
}

/**
 * -2019 when the order would raise the margin the account needs in its coin beyond
 * what it has (wallet + unrealized − position margin − open-order margin). An order
 * that needs no new margin (it only closes), or a modify that lowers what the account
 * needs, always passes. `replacing` is the order a modify amends: after the modify its
 * old exposure is gone and `order` stands in its place.
 */
export function checkMargin(
  state: VenueState,
  account: Account,
  order: OrderExposure,
  replacing?: Order,
): void {
  const spec = findSymbol(order.symbol)!;
  const asset = spec.marginAsset;
  // Before: the account as it stands, an amended order as it is now.
  const before = riskOf(state, account.id, state.exposures.of(account.id)).get(asset);
  const after = riskOf(state, account.id, state.exposures.changed(account.id, replacing, order)).get(asset);
  const need = (r: AssetRisk | undefined) => (r ? r.positionInitialMargin + r.openOrderInitialMargin : 0n);
  if (need(after) <= need(before)) return;
  const wallet = account.balances.get(asset)?.units ?? 0n;
  if (wallet + (after?.unrealized ?? 0n) - need(after) < 0n) throw new VenueError("MARGIN_INSUFFICIENT");
}

/** The account's risk per coin with the given open orders. */
export function riskOf(
  state: VenueState,
  accountId: number,
  orders: AccountExposures,
): Map<string, AssetRisk> {
  return riskByAsset(riskSources(state, accountId, orders));
}

/** What risk.ts computes an account's margins from: its positions, the orders given, marks and leverages. */
export function riskSources(state: VenueState, accountId: number, orders: AccountExposures) {
  return {
    symbol: (name: string) => findSymbol(name)!,
    mark: (symbol: string) => state.markPrice(symbol),
    leverage: (symbol: string) => state.accounts.leverage(accountId, symbol),
    positions: state.accounts.positionsOf(accountId),
    orders,
  };
}

/**
 * An account Portfolio Margin holds in reduce-only (uniMMR at or below 1.2) may place
 * only orders that reduce a position: reduce-only ones, hedge-mode closing ones, or a
 * one-way order against the position no larger than it. Anything else is -4087, whatever
 * margin the account has, so an order another coin's balance would cover is refused too.
 */
export function checkRiskLevel(
  state: VenueState,
  account: Account,
  symbol: string,
  side: Side,
  positionSide: PositionSide,
  qty: number,
  reduceOnly: boolean,
): void {
  if (!mayOnlyReduce(state.riskLevels.get(account.id) ?? "NORMAL")) return;
  if (positionSide !== "BOTH" && closesHedged(positionSide, side)) return;
  if (positionSide === "BOTH") {
    if (reduceOnly) return;
    const { amount } = state.accounts.position(account.id, symbol, "BOTH");
    const against = side === "BUY" ? -amount : amount;
    if (against > 0 && qty <= against) return;
  }
  throw new VenueError("REDUCE_ONLY_ORDER_PERMISSION");
}
