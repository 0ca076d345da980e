// The order book of one symbol: the data structure the matching engine walks.
//
// Layout. Each side keeps its Level objects in an array sorted so that the BEST level
// sits at the END (bids ascending by price, asks descending), plus a hash table from
// price to Level (engine/int-table.ts) for O(1) access by price. Matching only ever
// consumes the best level, so reading it is an array read and dropping it a pop;
// levels elsewhere are found by binary search and the array is shifted in place (no
// splice, which would allocate its result). A Level is an intrusive doubly linked FIFO
// threaded through `Order.prev/next`, with running totals (remaining contracts, order
// count) so depth never walks orders. A table from order id to Order gives O(1) get
// and cancel.
//
// Ordering invariant. Inside a level, orders run head -> tail in ascending `seq`
// (time priority): new and re-queued orders always take a fresh, larger seq and are
// appended at the tail, and recovery restores in ascending seq. Across levels the
// price order of `sorted` is strict (no duplicates, no empty levels).
//
// Complexity. Append to an existing level, unlink, get: O(1). Creating or removing a
// non-best level: O(log L) search plus an O(L) in-place shift over L levels of one
// side, which stays small for a real book since orders cluster near the touch.
// Reading or removing the best level: O(1).
//
// Determinism. Nothing here depends on hash-table slot order, time or randomness;
// every output is read from the sorted level arrays and the FIFO links.
//
// Known limits. Emptied Level objects go to a small bounded pool for reuse, so a
// busy book mostly avoids allocating levels; past the pool size a new level allocates.
// Prices and ids are JS numbers: positive integers below 2^53 are assumed, not checked.

import type { Order, Side } from "../domain/order.js";
import { IntTable } from "./int-table.js";

/** Emptied levels kept per side for reuse; enough for the churn near the touch. */
const LEVEL_POOL_SIZE = 64;

export class Level {
  price: number;
  head: Order | null = null;
  tail: Order | null = null;
  /** Σ (origQty - executedQty) of the orders in this level. */
  totalQty = 0;
  count = 0;

  constructor(price: number) {
    this.price = price;
  }
}

/** One side of a book. `ascending` is true for bids, whose best (highest) price is last. */
export class BookSide {
  readonly side: Side;
  /** Levels by price. */
  readonly levels = new IntTable<Level>();
  /** The same levels, best last. */
  readonly sorted: Level[] = [];
  private readonly ascending: boolean;
  private readonly pool: Level[] = [];

  constructor(side: Side) {
    this.side = side;
    this.ascending = side === "BUY";
  }

  /** The best level, or undefined when the side is empty. */
  best(): Level | undefined {
    const n = this.sorted.length;
    return n === 0 ? undefined : this.sorted[n - 1];
  }

  /** Links the order at the tail of its price level, creating the level if needed. */
  append(order: Order): void {
    let level = this.levels.get(order.price);
    if (level === undefined) level = this.addLevel(order.price);
    order.next = null;
    order.prev = level.tail;
    if (level.tail === null) level.head = order;
    else level.tail.next = order;
    level.tail = order;
    level.totalQty += order.origQty - order.executedQty;
    level.count++;
  }

  /** Unlinks a resting order in O(1) and drops its level once empty. */
  unlink(order: Order): void {
    const level = this.levels.get(order.price)!;
    if (order.prev === null) level.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) level.tail = order.prev;
    else order.next.prev = order.prev;
    order.prev = null;
    order.next = null;
    level.totalQty -= order.origQty - order.executedQty;
    level.count--;
    if (level.count === 0) this.removeLevel(level);
  }

  /**
   * Position where a level at `price` is or would be inserted to keep `sorted` in
   * order: the first index whose price is not better-ordered than it.
   */
  private search(price: number): number {
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    if (this.ascending) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]!.price < price) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]!.price > price) lo = mid + 1;
        else hi = mid;
      }
    }
    return lo;
  }

  private addLevel(price: number): Level {
    let level = this.pool.pop();
    if (level === undefined) level = new Level(price);
    else level.price = price;
    this.levels.set(price, level);
    const sorted = this.sorted;
    const n = sorted.length;
    // A new best price is the common case for an aggressive quote; skip the search.
    const at = n === 0 || this.isBetter(price, sorted[n - 1]!.price) ? n : this.search(price);
    sorted.push(level);
    for (let i = n; i > at; i--) sorted[i] = sorted[i - 1]!;
    sorted[at] = level;
    return level;
  }

  private removeLevel(level: Level): void {
    const price = level.price;
    this.levels.delete(price);
    const sorted = this.sorted;
    const last = sorted.length - 1;
    if (sorted[last] === level) {
      sorted.pop();
    } else {
      const at = this.search(price);
      for (let i = at; i < last; i++) sorted[i] = sorted[i + 1]!;
      sorted.pop();
    }
    level.head = null;
    level.tail = null;
    level.totalQty = 0;
    level.count = 0;
    if (this.pool.length < LEVEL_POOL_SIZE) this.pool.push(level);
  }

  /** True when price `a` has priority over price `b` on this side. */
  private isBetter(a: number, b: number): boolean {
    return this.ascending ? a > b : a < b;
  }
}

export class Book {
  readonly symbol: string;
  readonly bids = new BookSide("BUY");
  readonly asks = new BookSide("SELL");
  /** Every resting order of this book by id. */
  readonly orders = new IntTable<Order>(10);

  constructor(symbol: string) {
    this.symbol = symbol;
  }

  sideOf(side: Side): BookSide {
    return side === "BUY" ? this.bids : this.asks;
  }

  /** The side an incoming order of `side` matches against. */
  oppositeOf(side: Side): BookSide {
    return side === "BUY" ? this.asks : this.bids;
  }

  rest(order: Order): void {
    this.sideOf(order.side).append(order);
    this.orders.set(order.id, order);
  }

  remove(order: Order): void {
    this.sideOf(order.side).unlink(order);
    this.orders.delete(order.id);
  }

  /**
   * Checks every structural invariant and returns the first violation, or undefined.
   * O(orders); for tests and debugging only. Walks are bounded by the recorded counts,
   * so a corrupted (even cyclic) list is reported instead of looping forever.
   */
  audit(): string | undefined {
    const found = auditSide(this.bids, this.orders) ?? auditSide(this.asks, this.orders);
    if (found !== undefined) return found;
    const counted = countOrders(this.bids) + countOrders(this.asks);
    if (counted !== this.orders.size) return `orders map holds ${this.orders.size}, levels hold ${counted}`;
    return undefined;
  }
}

function countOrders(side: BookSide): number {
  let n = 0;
  for (const level of side.sorted) n += level.count;
  return n;
}

function auditSide(side: BookSide, orders: IntTable<Order>): string | undefined {
  const sorted = side.sorted;
  if (sorted.length !== side.levels.size)
    return `${side.side}: ${sorted.length} sorted levels, ${side.levels.size} by price`;
  for (let i = 0; i < sorted.length; i++) {
    const level = sorted[i]!;
    const price = level.price;
    if (i > 0) {
      const prev = sorted[i - 1]!.price;
      // Best last: bids strictly ascending, asks strictly descending.
      if (side.side === "BUY" ? prev >= price : prev <= price)
        return `${side.side}: prices out of order at ${i}`;
    }
    if (side.levels.get(price) !== level) return `${side.side} ${price}: not found by price`;
    if (level.count <= 0 || level.head === null || level.head.prev !== null)
      return `${side.side} ${price}: bad head`;
    let qty = 0;
    let steps = 0;
    let last: Order | null = null;
    for (let o: Order | null = level.head; o !== null; o = o.next) {
      if (++steps > level.count) return `${side.side} ${price}: more orders than count`;
      if (o.prev !== last) return `${side.side} ${price}: broken prev link at order ${o.id}`;
      if (last !== null && last.seq >= o.seq)
        return `${side.side} ${price}: seq not ascending at order ${o.id}`;
      if (o.price !== price || o.side !== side.side) return `${side.side} ${price}: misplaced order ${o.id}`;
      if (orders.get(o.id) !== o) return `${side.side} ${price}: order ${o.id} missing from the map`;
      const remaining = o.origQty - o.executedQty;
      if (remaining <= 0) return `${side.side} ${price}: order ${o.id} rests with nothing left`;
      qty += remaining;
      last = o;
    }
    if (steps !== level.count) return `${side.side} ${price}: count ${level.count}, linked ${steps}`;
    if (level.tail !== last) return `${side.side} ${price}: bad tail`;
    if (qty !== level.totalQty) return `${side.side} ${price}: totalQty ${level.totalQty}, sum ${qty}`;
  }
  return undefined;
}
