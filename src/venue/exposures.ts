// Running totals of each account's open orders, per symbol, position side and side: how
// many orders, the contracts they still hold (all of them, and the reduce-only ones) and
// their notional at their own prices. The margin check of a new order, the order-count
// filter and the closing-order check read these totals instead of walking every open
// order of the account, so a place costs the same with 5 orders open or 5,000. Every
// change of an open order passes through `track` or `untrack`, which keep them exact.

import { notionalUnits } from "../domain/margin.js";
import type { Order, PositionSide, Side } from "../domain/order.js";
import { findSymbol, type SymbolSpec } from "../domain/symbols.js";

/** A would-be order, priced (MARKET orders at the price they would most likely fill). */
export interface OrderExposure {
  readonly symbol: string;
  readonly side: Side;
  readonly positionSide: PositionSide;
  readonly qty: number;
  readonly price: number;
}

/** The open orders of one side of one symbol and position side. */
export interface SideTotals {
  readonly count: number;
  /** Contracts still open. */
  readonly qty: number;
  /** Σ over the orders of notionalUnits(remaining, own price), 10^-8 coin. */
  readonly notional: bigint;
  /** The orders themselves, oldest first: walked only to net contracts that would close. */
  exposures(): Iterable<OrderExposure>;
}

/** Both sides of a symbol and position side. */
export interface SidePair {
  readonly BUY: SideTotals;
  readonly SELL: SideTotals;
}

/** `symbol|positionSide` → its two sides, for one account. */
export type AccountExposures = ReadonlyMap<string, SidePair>;

export function exposureOf(order: Order): OrderExposure {
  return {
    symbol: order.symbol,
    side: order.side,
    positionSide: order.positionSide,
    qty: order.origQty - order.executedQty,
    price: order.price,
  };
}

/** What one order adds to its side's notional. */
export function notionalOf(spec: SymbolSpec, qty: number, price: number): bigint {
  return qty > 0 && price > 0 ? notionalUnits(spec, qty, price) : 0n;
}

interface Part {
  qty: number;
  notional: bigint;
  reduceOnly: boolean;
}

const NO_ORDERS: SideTotals = { count: 0, qty: 0, notional: 0n, exposures: () => [] };

class Totals implements SideTotals {
  qty = 0;
  notional = 0n;
  reduceOnlyQty = 0;
  /** Each order's share as last added, in the order the orders were first tracked. */
  readonly parts = new Map<Order, Part>();

  get count(): number {
    return this.parts.size;
  }

  *exposures(): Iterable<OrderExposure> {
    for (const order of this.parts.keys()) yield exposureOf(order);
  }

  /** `spec` is undefined for an order stored on a symbol no longer listed: it counts, with no notional. */
  set(order: Order, spec: SymbolSpec | undefined): void {
    const qty = order.origQty - order.executedQty;
    const notional = spec ? notionalOf(spec, qty, order.price) : 0n;
    const part = this.parts.get(order);
    if (part) {
      this.take(part);
      part.qty = qty;
      part.notional = notional;
    } else this.parts.set(order, { qty, notional, reduceOnly: order.reduceOnly });
    this.qty += qty;
    this.notional += notional;
    if (order.reduceOnly) this.reduceOnlyQty += qty;
  }

  delete(order: Order): void {
    const part = this.parts.get(order);
    if (!part) return;
    this.take(part);
    this.parts.delete(order);
  }

  private take(part: Part): void {
    this.qty -= part.qty;
    this.notional -= part.notional;
    if (part.reduceOnly) this.reduceOnlyQty -= part.qty;
  }
}

interface TotalsPair {
  readonly BUY: Totals;
  readonly SELL: Totals;
}

const keyOf = (symbol: string, positionSide: PositionSide): string => `${symbol}|${positionSide}`;

export class Exposures {
  private readonly byAccount = new Map<number, Map<string, TotalsPair>>();

  /** Adds the open order, or brings its share up to date after it changed. */
  track(order: Order): void {
    let mine = this.byAccount.get(order.accountId);
    if (!mine) {
      mine = new Map();
      this.byAccount.set(order.accountId, mine);
    }
    const key = keyOf(order.symbol, order.positionSide);
    let pair = mine.get(key);
    if (!pair) {
      pair = { BUY: new Totals(), SELL: new Totals() };
      mine.set(key, pair);
    }
    pair[order.side].set(order, findSymbol(order.symbol));
  }

  untrack(order: Order): void {
    const mine = this.byAccount.get(order.accountId);
    const key = keyOf(order.symbol, order.positionSide);
    const pair = mine?.get(key);
    if (!pair) return;
    pair[order.side].delete(order);
    if (pair.BUY.count === 0 && pair.SELL.count === 0) mine!.delete(key);
  }

  /** The account's open orders by symbol and position side. */
  of(accountId: number): AccountExposures {
    return this.byAccount.get(accountId) ?? new Map();
  }

  /**
   * The account's open orders with one changed: `without` left out (an order being
   * amended) and `extra` added last (the order being placed, or the amended one, on the
   * same symbol and position side).
   */
  changed(accountId: number, without: Order | undefined, extra: OrderExposure | undefined): AccountExposures {
    const at = extra ?? without;
    const mine = this.byAccount.get(accountId);
    if (!at) return mine ?? new Map();
    const key = keyOf(at.symbol, at.positionSide);
    const out = new Map<string, SidePair>(mine ?? []);
    const base = mine?.get(key);
    const spec = findSymbol(at.symbol)!;
    const side = (s: Side): SideTotals => {
      const totals = base?.[s];
      const left = without && without.side === s ? totals?.parts.get(without) : undefined;
      const added = extra?.side === s ? extra : undefined;
      if (!left && !added) return totals ?? NO_ORDERS;
      return {
        count: (totals?.count ?? 0) - (left ? 1 : 0) + (added ? 1 : 0),
        qty: (totals?.qty ?? 0) - (left?.qty ?? 0) + (added?.qty ?? 0),
        notional:
          (totals?.notional ?? 0n) -
          (left?.notional ?? 0n) +
          (added ? notionalOf(spec, added.qty, added.price) : 0n),
        *exposures() {
          if (totals) for (const o of totals.parts.keys()) if (o !== without) yield exposureOf(o);
          if (added) yield added;
        },
      };
    };
    out.set(key, { BUY: side("BUY"), SELL: side("SELL") });
    return out;
  }

  /** Open orders of the account on the symbol, every position side and side. */
  count(accountId: number, symbol: string): number {
    const mine = this.byAccount.get(accountId);
    if (!mine) return 0;
    let n = 0;
    for (const positionSide of ["BOTH", "LONG", "SHORT"] as const) {
      const pair = mine.get(keyOf(symbol, positionSide));
      if (pair) n += pair.BUY.count + pair.SELL.count;
    }
    return n;
  }

  /**
   * Contracts the account's open orders on one side would close: in hedge mode every
   * order of a closing side, in one-way mode the reduce-only ones.
   */
  closing(accountId: number, symbol: string, positionSide: PositionSide, side: Side): number {
    const totals = this.byAccount.get(accountId)?.get(keyOf(symbol, positionSide))?.[side];
    if (!totals) return 0;
    return positionSide === "BOTH" ? totals.reduceOnlyQty : totals.qty;
  }
}
