// The order commands: place, cancel, cancel all, modify. Each runs inside the pipeline
// (pipeline.run): it checks everything first (checks.ts), so a refused command changes
// nothing, then applies the command to the engine and records what it did (record.ts).

import { VenueError } from "../domain/errors.js";
import type { Order, Side } from "../domain/order.js";
import { matchLevel, type PriceMatch } from "../domain/price-match.js";
import { type SymbolSpec, tradingAt } from "../domain/symbols.js";
import {
  checkClosing,
  checkMargin,
  checkMarkBounds,
  checkOpenCount,
  checkPositionSide,
  checkRiskLevel,
  marketPrice,
} from "./checks.js";
import type { CancelCommand, ModifyCommand, PlaceCommand } from "./commands.js";
import { snapshotPairs } from "./pair-stats.js";
import type { Pipeline } from "./pipeline.js";
import { record } from "./record.js";
import type { VenueState } from "./state.js";
import { type OrderView, viewOf } from "./views.js";

const MAX_ID = Number.MAX_SAFE_INTEGER;

export function place(state: VenueState, pipeline: Pipeline, cmd: PlaceCommand): OrderView {
  snapshotPairs(state, pipeline, cmd.now);
  const spec = cmd.symbol;
  checkTrading(state, spec, cmd.now);
  const account = state.accounts.get(cmd.accountId);
  if (!account) throw new VenueError("REJECTED_MBX_KEY", "");
  const positionSide = checkPositionSide(account, cmd);
  const clientOrderId = cmd.clientOrderId ?? freshClientOrderId(state, cmd.accountId, spec.symbol);
  if (state.clientIds.has(cmd.accountId, spec.symbol, clientOrderId)) {
    throw new VenueError("DUPLICATE_CLIENT_ORDER_ID");
  }
  checkOpenCount(state, cmd.accountId, spec);
  const price = cmd.priceMatch ? matchedPrice(state, spec, cmd.side, cmd.priceMatch) : cmd.price;
  checkMarkBounds(state, spec, cmd.side, cmd.type, price);
  const reduceOnly = cmd.reduceOnly === true;
  checkClosing(state, account, spec.symbol, cmd.side, positionSide, cmd.quantity, reduceOnly);
  checkRiskLevel(state, account, spec.symbol, cmd.side, positionSide, cmd.quantity, reduceOnly);
  const pricedAt = cmd.type === "MARKET" ? marketPrice(state, spec.symbol, cmd.side) : price;
  checkMargin(state, account, {
    symbol: spec.symbol,
    side: cmd.side,
    positionSide,
    qty: cmd.quantity,
    price: pricedAt,
  });
  if (state.nextOrderId >= MAX_ID) throw new VenueError("UNKNOWN");

  const order: Order = {
    id: state.nextOrderId,
    accountId: cmd.accountId,
    symbol: spec.symbol,
    side: cmd.side,
    type: cmd.type,
    timeInForce: cmd.type === "MARKET" ? "GTC" : cmd.timeInForce,
    price: cmd.type === "MARKET" ? 0 : price,
    origQty: cmd.quantity,
    executedQty: 0,
    baseAcc: 0n,
    status: "NEW",
    clientOrderId,
    reduceOnly,
    positionSide,
    time: cmd.now,
    updateTime: cmd.now,
    seq: 0,
    priceMatch: cmd.type === "LIMIT" ? cmd.priceMatch : undefined,
    placedBy: cmd.placedBy,
    prev: null,
    next: null,
  };
  const accepted = viewOf(order);
  // MARKET orders match with IOC semantics; the engine knows MARKET by its type.
  const outcome = state.engine.place(order, cmd.now);
  if (!outcome.ok) {
    throw new VenueError(outcome.reject === "FOK_UNFILLABLE" ? "FOK_REJECTED" : "GTX_REJECTED");
  }
  state.nextOrderId++;
  record(state, pipeline, { execution: "NEW", order }, outcome.fills, outcome.changed, cmd.now);
  return cmd.respType === "ACK" ? accepted : viewOf(outcome.order);
}

export function cancel(state: VenueState, pipeline: Pipeline, cmd: CancelCommand): OrderView {
  snapshotPairs(state, pipeline, cmd.now);
  const order = state.findOpen(cmd.accountId, cmd.symbol.symbol, cmd.ref);
  if (!order) throw new VenueError("CANCEL_REJECTED");
  const canceled = state.engine.cancel(order.symbol, order.id, cmd.now);
  if (!canceled) throw new VenueError("CANCEL_REJECTED");
  record(state, pipeline, undefined, [], [canceled], cmd.now);
  return viewOf(canceled);
}

/** Cancels every open order of the account on the symbol; answers how many. */
export function cancelAll(
  state: VenueState,
  pipeline: Pipeline,
  accountId: number,
  symbol: SymbolSpec,
  now: number,
): number {
  snapshotPairs(state, pipeline, now);
  const mine = [...(state.open.get(accountId)?.values() ?? [])].filter((o) => o.symbol === symbol.symbol);
  if (mine.length === 0) return 0;
  const changed: Order[] = [];
  for (const order of mine) {
    const canceled = state.engine.cancel(order.symbol, order.id, now);
    if (canceled) changed.push(canceled);
  }
  record(state, pipeline, undefined, [], changed, now);
  return changed.length;
}

export function modify(state: VenueState, pipeline: Pipeline, cmd: ModifyCommand): OrderView {
  snapshotPairs(state, pipeline, cmd.now);
  const spec = cmd.symbol;
  checkTrading(state, spec, cmd.now);
  const order = state.findOpen(cmd.accountId, spec.symbol, cmd.ref);
  if (order?.type !== "LIMIT") throw new VenueError("NO_SUCH_ORDER");
  if (order.side !== cmd.side) throw new VenueError("INVALID_SIDE");
  const price = cmd.priceMatch ? matchedPrice(state, spec, cmd.side, cmd.priceMatch) : cmd.price;
  if (order.price === price && order.origQty === cmd.quantity) throw new VenueError("NO_NEED_TO_MODIFY");
  checkMarkBounds(state, spec, cmd.side, "LIMIT", price);
  const account = state.accounts.get(cmd.accountId)!;
  if (cmd.quantity > order.origQty) {
    const added = cmd.quantity - order.origQty;
    checkClosing(state, account, spec.symbol, order.side, order.positionSide, added, order.reduceOnly);
    checkRiskLevel(
      state,
      account,
      spec.symbol,
      order.side,
      order.positionSide,
      cmd.quantity - order.executedQty,
      order.reduceOnly,
    );
  }
  if (cmd.quantity > order.origQty || price !== order.price) {
    const remaining = cmd.quantity - order.executedQty;
    const exposure = { symbol: order.symbol, side: order.side, positionSide: order.positionSide };
    checkMargin(state, account, { ...exposure, qty: Math.max(0, remaining), price: price }, order);
  }
  // The engine moves the order itself: its old level is known only before.
  const left = { side: order.side, price: order.price };
  const before = { price: order.price, qty: order.origQty };
  const matchBefore = order.priceMatch;
  order.priceMatch = cmd.priceMatch;
  const outcome = state.engine.modify(order.symbol, order.id, price, cmd.quantity, cmd.now);
  if (!outcome) {
    order.priceMatch = matchBefore;
    throw new VenueError("NO_SUCH_ORDER");
  }
  // A modify that cancels leaves the order as it was, its priceMatch included.
  if (outcome.canceled) outcome.order.priceMatch = matchBefore;
  const lead = outcome.canceled
    ? undefined
    : ({ execution: "AMENDMENT", order: outcome.order, modifyId: cmd.modifyId } as const);
  record(state, pipeline, lead, outcome.fills, outcome.changed, cmd.now, [left]);
  if (!outcome.canceled)
    pipeline.batch().amendments.push({
      amendmentId: 0,
      accountId: order.accountId,
      orderId: order.id,
      symbol: order.symbol,
      clientOrderId: order.clientOrderId,
      time: cmd.now,
      priceBefore: before.price,
      priceAfter: price,
      qtyBefore: before.qty,
      qtyAfter: cmd.quantity,
      count: 0,
    });
  return viewOf(outcome.order);
}

/**
 * The price a priceMatch names on the book as it stands (domain/price-match.ts); a side
 * without levels has no price to match: -1130 for priceMatch.
 */
function matchedPrice(state: VenueState, spec: SymbolSpec, side: Side, match: PriceMatch): number {
  const { book, depth } = matchLevel(match, side);
  const levels = state.engine.depth(spec.symbol, book, depth);
  const level = levels[levels.length - 1];
  if (!level) throw new VenueError("INVALID_PARAM_VALUE", "priceMatch");
  return level.price;
}

/** A contract not listed yet, or past its delivery, takes no order (-4140). */
function checkTrading(state: VenueState, spec: SymbolSpec, now: number): void {
  if (!tradingAt(spec, now) || state.prices.delivered.has(spec.symbol))
    throw new VenueError("SYMBOL_NOT_TRADING");
}

function freshClientOrderId(state: VenueState, accountId: number, symbol: string): string {
  for (;;) {
    const id = state.ids.draw("clientId");
    if (!state.clientIds.has(accountId, symbol, id)) return id;
  }
}
