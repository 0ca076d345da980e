// Conditional orders (strategies) as commands: place, cancel, cancel all, and firing.
//
// A placed strategy is armed (state.ts's armStrategy): a stop in the trigger book, or a trailing stop
// followed price by price. Every command that moves a working price (a fill moves the
// last price, and the mark where it follows the last price; the admin's marks and the
// price steps move the mark) notes it in `state.movedPrices`; after the command
// (pipeline.ts's afterApply) `fireTriggers` takes the strategies those prices reach, in
// firing order, and places each one's order through the same checks a client's order
// passes, at the time of the move. The order a trigger places may itself move the
// price and fire more, until nothing moves. A strategy whose order cannot be placed ends
// EXPIRED; with priceProtect it stays armed while mark and last are further apart than
// the symbol's triggerProtect.

import {
  followTrail,
  protectedEnough,
  reaches,
  type Strategy,
  type StrategyType,
  startTrail,
  triggerDirection,
  type WorkingType,
} from "../domain/conditional.js";
import { parseDecimal, rescale } from "../domain/decimal.js";
import { VenueError } from "../domain/errors.js";
import type { PositionSide, Side, TimeInForce } from "../domain/order.js";
import { findSymbol, type SymbolSpec } from "../domain/symbols.js";
import { checkPositionSide } from "./checks.js";
import { place } from "./orders.js";
import type { Pipeline } from "./pipeline.js";
import type { VenueState } from "./state.js";

export interface StrategyCommand {
  readonly accountId: number;
  readonly symbol: SymbolSpec;
  readonly side: Side;
  readonly positionSide: PositionSide | undefined;
  readonly type: StrategyType;
  readonly working: WorkingType;
  readonly stopPrice: number;
  readonly price: number;
  readonly quantity: number;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean | undefined;
  readonly priceProtect: boolean;
  readonly clientStrategyId: string | undefined;
  readonly activatePrice: number | undefined;
  readonly callbackRate4: number;
  readonly now: number;
}

/** The working price a strategy watches, ticks; undefined before there is one. */
function workingPrice(state: VenueState, symbol: string, working: WorkingType): number | undefined {
  return working === "MARK_PRICE" ? state.markPrice(symbol) : state.lastPrice.get(symbol);
}

function record(pipeline: Pipeline, s: Strategy): void {
  const batch = pipeline.batch();
  batch.strategies.set(s.id, { ...s });
  if (pipeline.wanted(s.accountId))
    batch.events.push({ kind: "strategy", accountId: s.accountId, strategy: { ...s } });
}

export function placeStrategy(state: VenueState, pipeline: Pipeline, cmd: StrategyCommand): Strategy {
  const spec = cmd.symbol;
  const account = state.accounts.get(cmd.accountId);
  if (!account) throw new VenueError("REJECTED_MBX_KEY", "");
  const positionSide = checkPositionSide(account, cmd);
  const clientStrategyId = cmd.clientStrategyId ?? state.ids.draw("clientId");
  for (const s of state.strategies.values())
    if (s.accountId === cmd.accountId && s.symbol === spec.symbol && s.clientStrategyId === clientStrategyId)
      throw new VenueError("DUPLICATE_CLIENT_ORDER_ID");
  const now = workingPrice(state, spec.symbol, cmd.working);
  if (cmd.type === "TRAILING_STOP_MARKET") {
    // Binance: a BUY's activation price below the mark, a SELL's above it, else -2021.
    const mark = state.markPrice(spec.symbol);
    const activation = cmd.activatePrice ?? mark;
    if (activation !== undefined && mark !== undefined && cmd.activatePrice !== undefined) {
      if (cmd.side === "BUY" ? activation >= mark : activation <= mark) throw new VenueError("WOULD_TRIGGER");
    }
  } else if (now !== undefined && reaches(triggerDirection(cmd.type, cmd.side), cmd.stopPrice, now)) {
    throw new VenueError("WOULD_TRIGGER");
  }
  const id = state.nextStrategyId++;
  const activatePrice =
    cmd.type === "TRAILING_STOP_MARKET" ? (cmd.activatePrice ?? state.markPrice(spec.symbol) ?? 0) : 0;
  const s: Strategy = {
    id,
    accountId: cmd.accountId,
    symbol: spec.symbol,
    side: cmd.side,
    positionSide,
    type: cmd.type,
    working: cmd.working,
    stopPrice: cmd.type === "TRAILING_STOP_MARKET" ? 0 : cmd.stopPrice,
    price: cmd.type === "STOP" || cmd.type === "TAKE_PROFIT" ? cmd.price : 0,
    quantity: cmd.quantity,
    timeInForce: cmd.timeInForce,
    reduceOnly: cmd.reduceOnly === true,
    priceProtect: cmd.priceProtect,
    clientStrategyId,
    status: "NEW",
    bookTime: cmd.now,
    updateTime: cmd.now,
    triggerTime: 0,
    orderId: 0,
    activatePrice,
    callbackRate4: cmd.callbackRate4,
    trail:
      cmd.type === "TRAILING_STOP_MARKET"
        ? startTrail(cmd.side, activatePrice, now ?? activatePrice)
        : undefined,
    seq: id,
  };
  state.armStrategy(s);
  record(pipeline, s);
  return { ...s };
}

/** The account's armed strategy on the symbol by id or client id; undefined when none. */
export function findArmed(
  state: VenueState,
  accountId: number,
  symbol: string,
  ref: { readonly strategyId?: number | undefined; readonly clientStrategyId?: string | undefined },
): Strategy | undefined {
  if (ref.strategyId !== undefined) {
    const s = state.strategies.get(ref.strategyId);
    return s && s.accountId === accountId && s.symbol === symbol ? s : undefined;
  }
  for (const s of state.strategies.values())
    if (s.accountId === accountId && s.symbol === symbol && s.clientStrategyId === ref.clientStrategyId)
      return s;
  return undefined;
}

export function cancelStrategy(state: VenueState, pipeline: Pipeline, s: Strategy, now: number): Strategy {
  state.disarmStrategy(s);
  s.status = "CANCELED";
  s.updateTime = now;
  record(pipeline, s);
  return { ...s };
}

/** Cancels every armed strategy of the account on the symbol; answers how many. */
export function cancelAllStrategies(
  state: VenueState,
  pipeline: Pipeline,
  accountId: number,
  symbol: string,
  now: number,
): number {
  const mine = [...state.strategies.values()]
    .filter((s) => s.accountId === accountId && s.symbol === symbol)
    .sort((a, b) => a.id - b.id);
  for (const s of mine) cancelStrategy(state, pipeline, s, now);
  return mine.length;
}

/** Fires what the moved prices reach, in firing order, until nothing moves. */
export function fireTriggers(state: VenueState, pipeline: Pipeline): void {
  for (let next = state.movedPrices.entries().next(); !next.done; next = state.movedPrices.entries().next()) {
    const [key, at] = next.value;
    state.movedPrices.delete(key);
    const [symbol, working] = key.split("|") as [string, WorkingType];
    const price = workingPrice(state, symbol, working);
    if (price === undefined) continue;
    const fired = state.triggers.move(symbol, working, price).map((t) => state.strategies.get(t.id)!);
    for (const s of [...(state.trailing.get(key)?.values() ?? [])]) {
      const step = followTrail(s.side, s.activatePrice, s.callbackRate4, s.trail!, price);
      s.trail = step.trail;
      pipeline.batch().strategies.set(s.id, { ...s });
      if (step.fires) fired.push(s);
    }
    for (const s of fired) fire(state, pipeline, s, at);
  }
}

function fire(state: VenueState, pipeline: Pipeline, s: Strategy, at: number): void {
  const spec = findSymbol(s.symbol)!;
  if (s.priceProtect) {
    const mark = state.markPrice(s.symbol);
    const last = state.lastPrice.get(s.symbol);
    const protect = Number(rescale(parseDecimal(spec.triggerProtect)!, 4));
    if (mark !== undefined && last !== undefined && !protectedEnough(mark, last, protect)) {
      // Held back: armed again, as it stood.
      if (s.type !== "TRAILING_STOP_MARKET") {
        state.disarmStrategy(s);
        state.armStrategy(s);
      }
      return;
    }
  }
  state.disarmStrategy(s);
  s.triggerTime = at;
  s.updateTime = at;
  const account = state.accounts.get(s.accountId);
  const limit = s.type === "STOP" || s.type === "TAKE_PROFIT";
  try {
    const order = place(state, pipeline, {
      accountId: s.accountId,
      symbol: spec,
      side: s.side,
      type: limit ? "LIMIT" : "MARKET",
      timeInForce: limit ? s.timeInForce : "GTC",
      price: limit ? s.price : 0,
      quantity: s.quantity,
      clientOrderId: undefined,
      reduceOnly: account?.dualSide ? undefined : s.reduceOnly,
      positionSide: account?.dualSide ? s.positionSide : undefined,
      respType: "RESULT",
      placedBy: { id: s.id, type: s.type },
      now: at,
    });
    s.status = "TRIGGERED";
    s.orderId = order.id;
  } catch (error) {
    if (!(error instanceof VenueError)) throw error;
    s.status = "EXPIRED";
  }
  record(pipeline, s);
}
