// The admin's forced fill: one open order filled, in part or whole, at its own price
// against a house account (role "fills", opened empty the first time), whatever stands
// ahead of it in the queue. It is a trade like any other: the fill's trade, positions,
// PnL, fees and wallets, ORDER_TRADE_UPDATE and ACCOUNT_UPDATE for the order's account,
// the tape and the book diff for the market. It is how a test makes a fill land exactly
// between a bot's decision and its cancel.

import { VenueError } from "../domain/errors.js";
import type { Order } from "../domain/order.js";
import type { SymbolSpec } from "../domain/symbols.js";
import { createAccount } from "./account-commands.js";
import { snapshotPairs } from "./pair-stats.js";
import type { Pipeline } from "./pipeline.js";
import { record } from "./record.js";
import type { VenueState } from "./state.js";
import { type OrderView, viewOf } from "./views.js";

export const FILLS_ROLE = "fills";

export interface ForcedFillCommand {
  readonly symbol: SymbolSpec;
  readonly orderId: number;
  /** Contracts; what the order has left when undefined. */
  readonly quantity: number | undefined;
  readonly now: number;
}

/** Fills the order; answers it as it stands after the fill. */
export function forceFill(state: VenueState, pipeline: Pipeline, cmd: ForcedFillCommand): OrderView {
  snapshotPairs(state, pipeline, cmd.now);
  const maker = state.engine.get(cmd.symbol.symbol, cmd.orderId);
  if (!maker) throw new VenueError("NO_SUCH_ORDER");
  const left = maker.origQty - maker.executedQty;
  const qty = cmd.quantity ?? left;
  if (qty > left) throw new RangeError(`the ${left} contracts the order has left`);
  const house = fillsAccount(state, pipeline, cmd.now);
  const taker: Order = {
    id: state.nextOrderId++,
    accountId: house,
    symbol: maker.symbol,
    side: maker.side === "BUY" ? "SELL" : "BUY",
    type: "LIMIT",
    timeInForce: "IOC",
    price: maker.price,
    origQty: qty,
    executedQty: 0,
    baseAcc: 0n,
    status: "NEW",
    clientOrderId: `forced-fill-${maker.id}-${cmd.now}`,
    reduceOnly: false,
    positionSide: "BOTH",
    time: cmd.now,
    updateTime: cmd.now,
    seq: 0,
    priceMatch: undefined,
    placedBy: undefined,
    prev: null,
    next: null,
  };
  const outcome = state.engine.fillResting(maker.symbol, maker.id, qty, taker, cmd.now)!;
  record(state, pipeline, { execution: "NEW", order: taker }, outcome.fills, outcome.changed, cmd.now);
  return viewOf(maker);
}

function fillsAccount(state: VenueState, pipeline: Pipeline, at: number): number {
  for (let id = 1; id < state.nextAccountId; id++)
    if (state.accounts.get(id)?.house === FILLS_ROLE) return id;
  return createAccount(state, pipeline, new Map(), at, FILLS_ROLE).accountId;
}
