// A deliberately naive MatchingEngine, used only by tests as the oracle for
// engine/engine.ts. Every resting order of every symbol lives in one plain array;
// every operation filters it and sorts it by price priority, then seq, and scans it
// linearly. Nothing is clever so that it can be checked by reading: if the fast engine
// and this one ever disagree, this one is presumed right.
//
// It never touches `prev`/`next`. It assigns trade ids and seqs exactly as the
// contract says: a trade id per fill, a seq each time an order comes to rest.

import { BASE_SCALE, type Fill, type Order, type Side } from "../domain/order.js";
import type { LevelView, MatchingEngine, ModifyOutcome, Placed, PlaceOutcome } from "./contract.js";

function remainingOf(o: Order): number {
  return o.origQty - o.executedQty;
}

/** Can a `side` order limited at `limit` trade with a resting order priced `price`? */
function crosses(side: Side, limit: number, price: number): boolean {
  return side === "BUY" ? price <= limit : price >= limit;
}

export class ReferenceBook implements MatchingEngine {
  nextTradeId = 1;
  nextSeq = 1;
  private book: Order[] = [];

  /** Resting orders of one side, best price first, then oldest first. */
  private sideOrders(symbol: string, side: Side): Order[] {
    const orders = this.book.filter((o) => o.symbol === symbol && o.side === side);
    orders.sort((a, b) => {
      if (a.price !== b.price) return side === "BUY" ? b.price - a.price : a.price - b.price;
      return a.seq - b.seq;
    });
    return orders;
  }

  private opposite(order: Order): Order[] {
    return this.sideOrders(order.symbol, order.side === "BUY" ? "SELL" : "BUY");
  }

  private crossing(order: Order, isMarket: boolean): Order[] {
    return this.opposite(order).filter((m) => isMarket || crosses(order.side, order.price, m.price));
  }

  private findResting(symbol: string, orderId: number): Order | undefined {
    return this.book.find((o) => o.symbol === symbol && o.id === orderId);
  }

  private removeResting(order: Order): void {
    this.book = this.book.filter((o) => o !== order);
  }

  /** Fills `taker` against crossing makers in priority order; returns the fills. */
  private execute(taker: Order, isMarket: boolean, now: number): Fill[] {
    const fills: Fill[] = [];
    for (const maker of this.crossing(taker, isMarket)) {
      const qty = Math.min(remainingOf(taker), remainingOf(maker));
      if (qty === 0) break;
      const base = (BigInt(qty) * BASE_SCALE) / BigInt(maker.price);
      maker.executedQty += qty;
      maker.baseAcc += base;
      maker.status = remainingOf(maker) === 0 ? "FILLED" : "PARTIALLY_FILLED";
      maker.updateTime = now;
      taker.executedQty += qty;
      taker.baseAcc += base;
      fills.push({
        tradeId: this.nextTradeId++,
        symbol: taker.symbol,
        price: maker.price,
        qty,
        maker,
        taker,
        time: now,
      });
    }
    this.book = this.book.filter((o) => remainingOf(o) > 0);
    return fills;
  }

  /** Finishes a LIMIT order that may rest: FILLED, or resting with a new seq. */
  private restOrFill(order: Order): void {
    if (remainingOf(order) === 0) {
      order.status = "FILLED";
      return;
    }
    order.status = order.executedQty === 0 ? "NEW" : "PARTIALLY_FILLED";
    order.seq = this.nextSeq++;
    this.book.push(order);
  }

  place(order: Order, now: number): PlaceOutcome {
    const isMarket = order.type === "MARKET";
    if (!isMarket && order.timeInForce === "FOK") {
      const available = this.crossing(order, false).reduce((sum, m) => sum + remainingOf(m), 0);
      if (available < order.origQty) return { ok: false, reject: "FOK_UNFILLABLE" };
    }
    if (!isMarket && order.timeInForce === "GTX" && this.crossing(order, false).length > 0) {
      return { ok: false, reject: "GTX_WOULD_TAKE" };
    }
    const fills = this.execute(order, isMarket, now);
    order.updateTime = now;
    if (isMarket || order.timeInForce === "IOC" || order.timeInForce === "FOK") {
      order.status = remainingOf(order) === 0 ? "FILLED" : "EXPIRED";
    } else {
      this.restOrFill(order);
    }
    return { ok: true, order, fills, changed: [...fills.map((f) => f.maker), order] };
  }

  cancel(symbol: string, orderId: number, now: number): Order | undefined {
    const order = this.findResting(symbol, orderId);
    if (!order) return undefined;
    this.removeResting(order);
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
    const order = this.findResting(symbol, orderId);
    if (order?.type !== "LIMIT") return undefined;
    const gtxWouldTake =
      order.timeInForce === "GTX" && this.opposite(order).some((m) => crosses(order.side, price, m.price));
    if (qty <= order.executedQty || gtxWouldTake) {
      this.cancel(symbol, orderId, now);
      return { order, canceled: true, fills: [], changed: [order] };
    }
    this.removeResting(order);
    order.price = price;
    order.origQty = qty;
    order.updateTime = now;
    const fills = this.execute(order, false, now);
    this.restOrFill(order);
    return { order, canceled: false, fills, changed: [...fills.map((f) => f.maker), order] };
  }

  cross(maker: Order, taker: Order, now: number): PlaceOutcome {
    const qty = Math.min(maker.origQty - maker.executedQty, taker.origQty - taker.executedQty);
    for (const order of [maker, taker]) {
      order.executedQty += qty;
      order.baseAcc += (BigInt(qty) * BASE_SCALE) / BigInt(maker.price);
      order.updateTime = now;
      order.status = order.executedQty === order.origQty ? "FILLED" : "EXPIRED";
    }
    const fill: Fill = {
      tradeId: this.nextTradeId++,
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
    const maker = this.findResting(symbol, orderId);
    if (!maker) return undefined;
    const filled = Math.min(qty, remainingOf(maker), remainingOf(taker));
    const base = (BigInt(filled) * BASE_SCALE) / BigInt(maker.price);
    maker.executedQty += filled;
    maker.baseAcc += base;
    maker.updateTime = now;
    maker.status = remainingOf(maker) === 0 ? "FILLED" : "PARTIALLY_FILLED";
    if (remainingOf(maker) === 0) this.removeResting(maker);
    taker.executedQty += filled;
    taker.baseAcc += base;
    taker.updateTime = now;
    taker.status = remainingOf(taker) === 0 ? "FILLED" : "EXPIRED";
    const fill: Fill = {
      tradeId: this.nextTradeId++,
      symbol,
      price: maker.price,
      qty: filled,
      maker,
      taker,
      time: now,
    };
    return { ok: true, order: taker, fills: [fill], changed: [maker, taker] };
  }

  get(symbol: string, orderId: number): Order | undefined {
    return this.findResting(symbol, orderId);
  }

  depth(symbol: string, side: "BUY" | "SELL", limit: number): LevelView[] {
    const levels: { price: number; qty: number; orders: number }[] = [];
    for (const o of this.sideOrders(symbol, side)) {
      const last = levels[levels.length - 1];
      if (last && last.price === o.price) {
        last.qty += remainingOf(o);
        last.orders += 1;
      } else {
        levels.push({ price: o.price, qty: remainingOf(o), orders: 1 });
      }
    }
    return levels.slice(0, Math.max(0, limit));
  }

  levelQty(symbol: string, side: "BUY" | "SELL", price: number): number {
    let qty = 0;
    for (const o of this.sideOrders(symbol, side)) if (o.price === price) qty += remainingOf(o);
    return qty;
  }

  resting(symbol: string): Order[] {
    return [...this.sideOrders(symbol, "BUY"), ...this.sideOrders(symbol, "SELL")];
  }

  restore(order: Order): void {
    this.book.push(order);
    this.nextSeq = Math.max(this.nextSeq, order.seq + 1);
  }

  resume(nextTradeId: number, nextSeq: number): void {
    this.nextTradeId = nextTradeId;
    this.nextSeq = Math.max(this.nextSeq, nextSeq);
  }
}
