// What the market's streams tell after a commit: each book change as a depth diff, and
// each fill as a trade, each liquidation order as it ended. One command that changes a book takes one update id (state.ts),
// so its diff has U = u = that id and pu = the book's id before it, and carries every
// level the command touched with its quantity after the command (0: the level is gone),
// as Binance's depthUpdate does, and the book's best levels after it (bookTicker). A
// client keeps a local book from a snapshot and these diffs. Built only while a market
// listener is subscribed, so the hot path pays nothing without one.

import type { Fill, Order, Side } from "../domain/order.js";
import type { VenueState } from "./state.js";
import { type OrderView, viewOf } from "./views.js";

export type LevelChange = readonly [price: number, qty: number];

export interface DepthEvent {
  readonly kind: "depth";
  readonly symbol: string;
  readonly time: number;
  /** U */
  readonly firstUpdateId: number;
  /** u */
  readonly lastUpdateId: number;
  /** pu: the book's update id before this change. */
  readonly previousUpdateId: number;
  /** Best first. */
  readonly bids: readonly LevelChange[];
  readonly asks: readonly LevelChange[];
  /** The best bid and ask after the change; undefined for an empty side. */
  readonly bestBid: LevelChange | undefined;
  readonly bestAsk: LevelChange | undefined;
}

/** One fill as the market sees it: no accounts, only the taker's side. */
export interface TradeEvent {
  readonly kind: "trade";
  readonly symbol: string;
  readonly tradeId: number;
  /** The aggregate it belongs to: consecutive fills of one taker order at one price. */
  readonly aggId: number;
  readonly price: number;
  readonly qty: number;
  readonly time: number;
  /** Binance's `m`: the buyer was the maker, so the taker sold. */
  readonly buyerMaker: boolean;
}

/** A liquidation order as it ended (the forceOrder streams). */
export interface ForceOrderEvent {
  readonly kind: "forceOrder";
  readonly symbol: string;
  readonly order: OrderView;
  readonly time: number;
}

/** A contract listed or delivered (the !contractInfo stream). */
export interface ContractInfoEvent {
  readonly kind: "contractInfo";
  readonly symbol: string;
  readonly status: "TRADING" | "DELIVERED";
  readonly time: number;
}

export type MarketEvent = DepthEvent | TradeEvent | ForceOrderEvent | ContractInfoEvent;

export function forceOrderEvent(order: Order, time: number): ForceOrderEvent {
  return { kind: "forceOrder", symbol: order.symbol, order: viewOf(order), time };
}

export function tradeEvent(fill: Fill, aggId: number): TradeEvent {
  return {
    kind: "trade",
    symbol: fill.symbol,
    tradeId: fill.tradeId,
    aggId,
    price: fill.price,
    qty: fill.qty,
    time: fill.time,
    buyerMaker: fill.taker.side === "SELL",
  };
}

/**
 * A price an order left without leaving a trace in the command's changed orders (which
 * hold every maker hit, at its price, and the orders that rested or left): a modify's old price.
 */
export interface LeftLevel {
  readonly side: Side;
  readonly price: number;
}

export function depthEvent(
  state: VenueState,
  symbol: string,
  update: { readonly previous: number; readonly id: number },
  time: number,
  moved: readonly Order[],
  left: readonly LeftLevel[],
): DepthEvent {
  const bids = new Set<number>();
  const asks = new Set<number>();
  const touch = (side: Side, price: number) => (side === "BUY" ? bids : asks).add(price);
  for (const o of moved) if (o.price > 0) touch(o.side, o.price);
  for (const l of left) touch(l.side, l.price);
  const levels = (side: Side, prices: Set<number>) =>
    [...prices]
      .sort((a, b) => (side === "BUY" ? b - a : a - b))
      .map((price) => [price, state.engine.levelQty(symbol, side, price)] as const);
  const best = (side: Side): LevelChange | undefined => {
    const level = state.engine.depth(symbol, side, 1)[0];
    return level && [level.price, level.qty];
  };
  return {
    kind: "depth",
    symbol,
    time,
    firstUpdateId: update.id,
    lastUpdateId: update.id,
    previousUpdateId: update.previous,
    bids: levels("BUY", bids),
    asks: levels("SELL", asks),
    bestBid: best("BUY"),
    bestAsk: best("SELL"),
  };
}
