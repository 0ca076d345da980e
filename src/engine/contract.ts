// What the matching engine promises the venue. The engine is pure and synchronous:
// it never sees HTTP, SQL, JSON or a clock (time arrives as `now` on each call), and
// the same calls in the same order always give the same results, which is what lets
// recovery replay the store and property tests compare it with engine/reference-book.ts.
//
// Ownership, symbol, filter and parameter checks are the venue's; the engine trusts
// that every order handed to it is well formed, NEW, unfilled and has a fresh id.

import type { Fill, Order } from "../domain/order.js";

export type PlaceReject =
  /** FOK that the book cannot fill completely right now: nothing changes. */
  | "FOK_UNFILLABLE"
  /** GTX (post-only) that would take liquidity: nothing changes. */
  | "GTX_WOULD_TAKE";

export type PlaceOutcome =
  | {
      readonly ok: true;
      /** The incoming order after matching: NEW / PARTIALLY_FILLED (resting), FILLED, or EXPIRED (IOC, MARKET remainder). */
      readonly order: Order;
      /** Fills in execution order. */
      readonly fills: readonly Fill[];
      /** Every order whose state changed, each once: the makers that were hit, then the incoming order. */
      readonly changed: readonly Order[];
    }
  | { readonly ok: false; readonly reject: PlaceReject };

/** A place that traded or rested: what a fill outside the matching loop answers too. */
export type Placed = Extract<PlaceOutcome, { readonly ok: true }>;

export type ModifyOutcome = {
  /** The amended order: re-queued (NEW / PARTIALLY_FILLED), FILLED after crossing, or CANCELED. */
  readonly order: Order;
  /** True when the modify cancelled the order (quantity at or below executedQty, or a GTX that would take). */
  readonly canceled: boolean;
  readonly fills: readonly Fill[];
  /** Every order whose state changed, each once: makers hit, then the amended order. */
  readonly changed: readonly Order[];
};

/** One price level as the depth endpoint shows it. */
export interface LevelView {
  /** Price in ticks. */
  readonly price: number;
  /** Sum of remaining contracts resting at this price. */
  readonly qty: number;
  readonly orders: number;
}

export interface MatchingEngine {
  /** Next trade id to hand out; restored from the store on start. */
  readonly nextTradeId: number;
  /** Next time-priority sequence number; restored from the store on start. */
  readonly nextSeq: number;

  /**
   * Matches a new order at price-time priority against the opposite side of its
   * symbol's book (at the maker's price), then rests a GTC LIMIT remainder, or expires
   * an IOC / MARKET remainder. FOK and GTX rejects leave everything untouched.
   * Sets `seq` of a resting remainder; sets `updateTime = now` on every changed order.
   */
  place(order: Order, now: number): PlaceOutcome;

  /** Unlinks an active order in O(1) and marks it CANCELED; undefined if it is not resting. */
  cancel(symbol: string, orderId: number, now: number): Order | undefined;

  /**
   * Amends a resting LIMIT order to a new price (ticks) and quantity (contracts, the new
   * origQty). Cancels it when `qty <= executedQty`, or when it is GTX and the new price
   * would take. Otherwise it loses time priority, matches if the new price crosses, and
   * rests the remainder. Undefined if the order is not resting.
   */
  modify(symbol: string, orderId: number, price: number, qty: number, now: number): ModifyOutcome | undefined;

  /**
   * A fill between two orders outside the book, at the maker's price, for as much as both
   * have left: the insurance fund taking over what a liquidation's book could not, and
   * auto-deleveraging. Neither order rests; what either has left after it expires.
   */
  cross(maker: Order, taker: Order, now: number): PlaceOutcome;

  /**
   * Fills `qty` of one resting order at its price against `taker`, an order outside the
   * book, whatever stands ahead of it in the queue: the admin's forced fill. The resting
   * order keeps its place with what it has left, or leaves the book filled; the taker
   * ends FILLED, or EXPIRED with what it has left. Undefined if the order is not resting.
   */
  fillResting(symbol: string, orderId: number, qty: number, taker: Order, now: number): Placed | undefined;

  /** Active (resting) order by id, or undefined. */
  get(symbol: string, orderId: number): Order | undefined;

  /** Best levels of one side, best first, at most `limit`. */
  depth(symbol: string, side: "BUY" | "SELL", limit: number): LevelView[];

  /** Contracts resting at one price on one side; 0 when no order rests there. */
  levelQty(symbol: string, side: "BUY" | "SELL", price: number): number;

  /** Every resting order of a symbol in time priority per level, for snapshots and tests. */
  resting(symbol: string): Order[];

  /**
   * Recovery: puts a stored active order back at the tail of its level without matching.
   * Callers feed orders in ascending `seq`; counters advance past the restored values.
   */
  restore(order: Order): void;

  /** Recovery: counters continue past everything the store has seen. */
  resume(nextTradeId: number, nextSeq: number): void;
}
