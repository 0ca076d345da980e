// The matching engine: price-time priority over one Book per symbol (engine/book.ts).
//
// Book layout. Per symbol, each side holds its price levels in an array sorted
// best-last plus a hash table by price (engine/int-table.ts), and the book holds a hash
// table of resting orders by id; each level is an intrusive FIFO of Orders. The engine
// only ever consumes the best opposite level, so the match loop reads the array tail,
// walks the head of that level and pops the level when it empties. The last book used
// is remembered, since commands come in runs on one symbol.
//
// Ordering invariant. Orders execute best price first and, within a price, lowest
// `seq` first. Every order that comes to rest (placed or re-queued by modify) takes
// the next `seq`, so a modify always loses time priority. Fills execute at the
// maker's price. Orders that never rest (IOC, FOK, MARKET) keep seq 0 and consume
// no sequence number, so sequence numbers are handed out in resting order only.
//
// Complexity. place: O(levels crossed + makers hit) plus an O(L) level insert when it
// opens a new non-best level; cancel and get: O(1) (plus level removal when the level
// empties); modify: cancel + place; depth: O(limit); resting: O(orders).
//
// Allocation. The hot path allocates only the Fill records, the per-fill BigInt
// terms of `baseAcc`, and the small result object with its `changed` array (built once
// at its final size from the fills); a call without fills shares one frozen empty fill
// list. There are no closures, iterators or array copies in the match loop; rejects
// are shared constant objects. The id and price tables allocate only when they grow
// or shrink, in pages small enough to stay out of V8's large-object space.
//
// Determinism. The engine has no clock, randomness or I/O: `now` arrives with each
// call and trade ids / seqs come from counters, so replaying the same calls gives the
// same fills, ids and books. No Map or hash-table order ever reaches an output.
//
// Known limits. MARKET orders ignore timeInForce and behave as IOC at any price.
// Self-trades are matched like any other trade. The engine trusts the venue's checks
// (fresh ids, positive prices and quantities, the right symbol); it does not re-check.

import { BASE_SCALE, type Fill, type Order, type Side } from "../domain/order.js";
import { Book, type BookSide } from "./book.js";
import type { LevelView, MatchingEngine, ModifyOutcome, Placed, PlaceOutcome } from "./contract.js";

const NO_FILLS: readonly Fill[] = Object.freeze([]);
const FOK_UNFILLABLE: PlaceOutcome = Object.freeze({ ok: false, reject: "FOK_UNFILLABLE" });
const GTX_WOULD_TAKE: PlaceOutcome = Object.freeze({ ok: false, reject: "GTX_WOULD_TAKE" });

/** Whether a `side` order limited at `price` trades with an opposite level at `levelPrice`. */
function crosses(side: Side, price: number, levelPrice: number): boolean {
  return side === "BUY" ? levelPrice <= price : levelPrice >= price;
}

export class Engine implements MatchingEngine {
  private tradeCounter = 1;
  private seqCounter = 1;
  private readonly books = new Map<string, Book>();
  /** The last book used: commands come in runs on one symbol, so this skips the Map. */
  private lastBook: Book | undefined;

  get nextTradeId(): number {
    return this.tradeCounter;
  }

  get nextSeq(): number {
    return this.seqCounter;
  }

  place(order: Order, now: number): PlaceOutcome {
    const book = this.bookFor(order.symbol);
    const opposite = book.oppositeOf(order.side);
    const isMarket = order.type === "MARKET";
    const tif = order.timeInForce;
    if (!isMarket) {
      if (tif === "FOK" && !this.canFill(opposite, order.side, order.price, order.origQty)) {
        return FOK_UNFILLABLE;
      }
      if (tif === "GTX" && this.wouldTake(opposite, order.side, order.price)) return GTX_WOULD_TAKE;
    }

    // Most orders rest without trading: a small check keeps the matching loop, and
    // what the optimiser would spend inlining it, off their path.
    const trades = isMarket
      ? opposite.best() !== undefined
      : this.wouldTake(opposite, order.side, order.price);
    const fills = trades ? this.match(book, opposite, order, isMarket, now) : NO_FILLS;
    order.updateTime = now;
    if (order.executedQty === order.origQty) {
      order.status = "FILLED";
    } else if (isMarket || tif === "IOC" || tif === "FOK") {
      // FOK never gets here with a remainder: the pre-check guaranteed a full fill.
      order.status = "EXPIRED";
    } else {
      order.status = order.executedQty === 0 ? "NEW" : "PARTIALLY_FILLED";
      order.seq = this.seqCounter++;
      book.rest(order);
    }
    return { ok: true, order, fills, changed: changedOf(fills, order) };
  }

  cancel(symbol: string, orderId: number, now: number): Order | undefined {
    const book = this.findBook(symbol);
    const order = book?.orders.get(orderId);
    if (book === undefined || order === undefined) return undefined;
    book.remove(order);
    order.status = "CANCELED";
    order.updateTime = now;
    return order;
  }

  modify(
    symbol: string,
    orderId: number,
    price: number,
    qty: number,
    now: number,
  ): ModifyOutcome | undefined {
    const book = this.findBook(symbol);
    const order = book?.orders.get(orderId);
    if (book === undefined || order === undefined || order.type !== "LIMIT") return undefined;
    const opposite = book.oppositeOf(order.side);
    if (
      qty <= order.executedQty ||
      (order.timeInForce === "GTX" && this.wouldTake(opposite, order.side, price))
    ) {
      // The order is cancelled as it stands: the rejected amendment is not applied.
      book.remove(order);
      order.status = "CANCELED";
      order.updateTime = now;
      return { order, canceled: true, fills: NO_FILLS, changed: [order] };
    }

    book.remove(order);
    order.price = price;
    order.origQty = qty;
    order.updateTime = now;
    const fills = this.match(book, opposite, order, false, now);
    if (order.executedQty === order.origQty) {
      order.status = "FILLED";
    } else {
      order.status = order.executedQty === 0 ? "NEW" : "PARTIALLY_FILLED";
      order.seq = this.seqCounter++;
      book.rest(order);
    }
    return { order, canceled: false, fills, changed: changedOf(fills, order) };
  }

  get(symbol: string, orderId: number): Order | undefined {
    return this.findBook(symbol)?.orders.get(orderId);
  }

  cross(maker: Order, taker: Order, now: number): PlaceOutcome {
    const qty = Math.min(maker.origQty - maker.executedQty, taker.origQty - taker.executedQty);
    const base = (BigInt(qty) * BASE_SCALE) / BigInt(maker.price);
    for (const order of [maker, taker]) {
      order.executedQty += qty;
      order.baseAcc += base;
      order.updateTime = now;
      order.status = order.executedQty === order.origQty ? "FILLED" : "EXPIRED";
    }
    const fill: Fill = {
      tradeId: this.tradeCounter++,
      symbol: taker.symbol,
      price: maker.price,
      qty,
      maker,
      taker,
      time: now,
    };
    return { ok: true, order: taker, fills: [fill], changed: [maker, taker] };
  }

  fillResting(symbol: string, orderId: number, qty: number, taker: Order, now: number): Placed | undefined {
    const book = this.findBook(symbol);
    const maker = book?.orders.get(orderId);
    if (!book || !maker) return undefined;
    const filled = Math.min(qty, maker.origQty - maker.executedQty, taker.origQty - taker.executedQty);
    const base = (BigInt(filled) * BASE_SCALE) / BigInt(maker.price);
    // Level totals count what resting orders have left: take the order out while it changes.
    book.sideOf(maker.side).levels.get(maker.price)!.totalQty -= filled;
    maker.executedQty += filled;
    maker.baseAcc += base;
    maker.updateTime = now;
    if (maker.executedQty === maker.origQty) {
      maker.status = "FILLED";
      book.remove(maker);
    } else maker.status = "PARTIALLY_FILLED";
    taker.executedQty += filled;
    taker.baseAcc += base;
    taker.updateTime = now;
    taker.status = taker.executedQty === taker.origQty ? "FILLED" : "EXPIRED";
    const fill: Fill = {
      tradeId: this.tradeCounter++,
      symbol,
      price: maker.price,
      qty: filled,
      maker,
      taker,
      time: now,
    };
    return { ok: true, order: taker, fills: [fill], changed: [maker, taker] };
  }

  depth(symbol: string, side: "BUY" | "SELL", limit: number): LevelView[] {
    const out: LevelView[] = [];
    const book = this.books.get(symbol);
    if (book === undefined) return out;
    const sorted = book.sideOf(side).sorted;
    for (let i = sorted.length - 1; i >= 0 && out.length < limit; i--) {
      const level = sorted[i]!;
      out.push({ price: level.price, qty: level.totalQty, orders: level.count });
    }
    return out;
  }

  levelQty(symbol: string, side: "BUY" | "SELL", price: number): number {
    return this.books.get(symbol)?.sideOf(side).levels.get(price)?.totalQty ?? 0;
  }

  resting(symbol: string): Order[] {
    const out: Order[] = [];
    const book = this.books.get(symbol);
    if (book === undefined) return out;
    collect(book.bids, out);
    collect(book.asks, out);
    return out;
  }

  restore(order: Order): void {
    this.bookFor(order.symbol).rest(order);
    if (order.seq >= this.seqCounter) this.seqCounter = order.seq + 1;
  }

  resume(nextTradeId: number, nextSeq: number): void {
    this.tradeCounter = nextTradeId;
    // Never fall behind a restored order's seq, or a new order could tie with it.
    if (nextSeq > this.seqCounter) this.seqCounter = nextSeq;
  }

  /** First broken structural invariant of a symbol's book, or undefined; tests only. */
  audit(symbol: string): string | undefined {
    return this.books.get(symbol)?.audit();
  }

  private findBook(symbol: string): Book | undefined {
    const last = this.lastBook;
    return last !== undefined && last.symbol === symbol ? last : this.books.get(symbol);
  }

  private bookFor(symbol: string): Book {
    const last = this.lastBook;
    if (last !== undefined && last.symbol === symbol) return last;
    let book = this.books.get(symbol);
    if (book === undefined) {
      book = new Book(symbol);
      this.books.set(symbol, book);
    }
    this.lastBook = book;
    return book;
  }

  /** FOK pre-check: is there at least `qty` of crossing liquidity? Reads only. */
  private canFill(opposite: BookSide, side: Side, price: number, qty: number): boolean {
    const sorted = opposite.sorted;
    let available = 0;
    for (let i = sorted.length - 1; i >= 0; i--) {
      const level = sorted[i]!;
      if (!crosses(side, price, level.price)) return false;
      available += level.totalQty;
      if (available >= qty) return true;
    }
    return false;
  }

  private wouldTake(opposite: BookSide, side: Side, price: number): boolean {
    const best = opposite.best();
    return best !== undefined && crosses(side, price, best.price);
  }

  /**
   * Trades `taker` against the opposite side while it crosses and has a remainder.
   * Each maker is hit at most once per call, because a maker left with a remainder
   * means the taker is done: so the fills' makers, in order, are the changed makers.
   */
  private match(
    book: Book,
    opposite: BookSide,
    taker: Order,
    isMarket: boolean,
    now: number,
  ): readonly Fill[] {
    let fills: Fill[] | null = null;
    let remaining = taker.origQty - taker.executedQty;
    while (remaining > 0) {
      const level = opposite.best();
      if (level === undefined) break;
      const price = level.price;
      if (!isMarket && !crosses(taker.side, taker.price, price)) break;
      const bigPrice = BigInt(price);
      let maker = level.head;
      // A best level with no orders would spin this loop forever; it is a broken book.
      if (maker === null) throw new Error(`empty level ${price} in the ${book.symbol} book`);
      for (;;) {
        const makerRemaining = maker.origQty - maker.executedQty;
        const qty = Math.min(remaining, makerRemaining);
        const base = (BigInt(qty) * BASE_SCALE) / bigPrice;
        maker.executedQty += qty;
        maker.baseAcc += base;
        maker.updateTime = now;
        taker.executedQty += qty;
        taker.baseAcc += base;
        remaining -= qty;
        level.totalQty -= qty;
        const fill: Fill = {
          tradeId: this.tradeCounter++,
          symbol: book.symbol,
          price,
          qty,
          maker,
          taker,
          time: now,
        };
        if (fills === null) fills = [fill];
        else fills.push(fill);
        if (qty < makerRemaining) {
          // The maker outlasts the taker: remaining is 0 and matching is over.
          maker.status = "PARTIALLY_FILLED";
          break;
        }
        maker.status = "FILLED";
        const next: Order | null = maker.next;
        // Unlinking the level's last order also drops the level: a pop, as it is the best.
        book.remove(maker);
        if (remaining === 0 || next === null) break;
        maker = next;
      }
    }
    return fills ?? NO_FILLS;
  }
}

/** The makers hit, in execution order, then the incoming order: sized exactly, no growth. */
function changedOf(fills: readonly Fill[], order: Order): Order[] {
  const n = fills.length;
  if (n === 0) return [order];
  const changed: Order[] = [];
  for (let i = 0; i < n; i++) changed.push(fills[i]!.maker);
  changed.push(order);
  return changed;
}

/** Appends one side's orders best level first, each level in time priority. */
function collect(side: BookSide, out: Order[]): void {
  const sorted = side.sorted;
  for (let i = sorted.length - 1; i >= 0; i--) {
    for (let o = sorted[i]!.head; o !== null; o = o.next) out.push(o);
  }
}

export function createEngine(): MatchingEngine {
  return new Engine();
}
