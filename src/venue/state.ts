// What the pipeline guards: the books (engine), the accounts, each account's open orders
// with their running totals and client order ids, the last trades and the admin's marks,
// and the id counters. Loaded from the store on start and rebuilt in place from it after
// a failed commit, so every file holding this object sees the rebuilt state.
//
// Only the pipeline's commands change it (pipeline.ts runs them one at a time); the
// lookups here are the ones several commands and queries share.

import { type Strategy, triggerDirection } from "../domain/conditional.js";
import { fillBaseAcc } from "../domain/inverse.js";
import type { Order } from "../domain/order.js";
import type { RiskLevel } from "../domain/risk-levels.js";
import type { MatchingEngine } from "../engine/contract.js";
import { createEngine } from "../engine/engine.js";
import { TriggerBook } from "../engine/trigger-book.js";
import type { CandleRow, Counters, Snapshot } from "../store/store.js";
import { Accounts } from "./accounts.js";
import { ClientIds } from "./client-ids.js";
import type { OrderRef } from "./commands.js";
import { Exposures } from "./exposures.js";
import { IdSource } from "./ids.js";
import { PriceBoard } from "./price-board.js";

export class VenueState {
  engine!: MatchingEngine;
  accounts!: Accounts;
  /** Open orders per account, by id. */
  open!: Map<number, Map<number, Order>>;
  /** Running totals of the same open orders, for the margin and order-count checks. */
  exposures!: Exposures;
  /** Open orders by account, symbol and client order id. */
  clientIds!: ClientIds;
  /** Last trade price per symbol, in ticks: the mark price until a mark feed exists. */
  lastPrice!: Map<string, number>;
  /** Time of each symbol's last trade. */
  lastTradeTime = new Map<string, number>();
  /** Each symbol's latest one-minute candle (venue/candles.ts). */
  candles = new Map<string, CandleRow>();
  /** Mark prices set through the admin API (ticks); they win over the last trade. */
  marks = new Map<string, number>();
  /** Index prices, the samples behind computed marks and funding (price-board.ts). */
  readonly prices = new PriceBoard();
  /** Each account's Portfolio Margin risk level other than NORMAL (portfolio.ts). */
  riskLevels = new Map<number, RiskLevel>();
  /** The random identifiers commands draw, noted for the journal (ids.ts). */
  readonly ids = new IdSource();
  /** The next journal entry's sequence number, and the last command time journaled. */
  nextJournalSeq = 1;
  journalTime = 0;
  /** Armed conditional orders by strategyId (conditional.ts). */
  strategies = new Map<number, Strategy>();
  /** The armed stops of the non-trailing ones. */
  triggers = new TriggerBook();
  /**
   * The armed trailing stops by `symbol|working`, in arming order: each follows its own
   * extreme, so a price move visits those of its symbol and working price, and no other.
   */
  trailing = new Map<string, Map<number, Strategy>>();
  /** Working prices the command under way moved (`symbol|working` → its time): their triggers are checked after it. */
  readonly movedPrices = new Map<string, number>();
  /** What the simulated market keeps between runs, by name. */
  marketState = new Map<string, string>();
  nextOrderId = 1;
  nextAccountId = 1;
  /** Above every book's update id (see bookChanged). */
  nextUpdateId = 1;
  nextAggTradeId = 1;
  nextIncomeId = 1;
  nextStrategyId = 1;
  /** The 5-minute boundary of the newest statistics snapshot (pair-stats.ts); 0 before the first. */
  pairStatsTime = 0;
  /** Each symbol's last book update id and its time, for the books changed since the load. */
  private readonly bookUpdates = new Map<string, { id: number; time: number }>();
  /** The last update id handed out before the load: where every book stands until it changes. */
  private loadedUpdateId = 0;

  /** Rebuilds every in-memory structure from a snapshot of the store. */
  load(snap: Snapshot): void {
    this.engine = createEngine();
    this.accounts = new Accounts();
    this.open = new Map();
    this.exposures = new Exposures();
    this.clientIds = new ClientIds();
    this.lastPrice = new Map(snap.lastPrices.map((t) => [t.symbol, t.price]));
    this.lastTradeTime = new Map(snap.lastPrices.map((t) => [t.symbol, t.time]));
    for (const row of snap.accounts) this.accounts.add(row);
    for (const row of snap.apiKeys) this.accounts.addKey(row);
    for (const b of snap.balances) {
      this.accounts.get(b.accountId)?.balances.set(b.asset, { units: b.units, updateTime: b.updateTime });
    }
    for (const p of snap.positions) {
      this.accounts.setPosition(p.accountId, {
        symbol: p.symbol,
        positionSide: p.positionSide,
        amount: p.amount,
        entryAcc: p.entryAcc,
        realized: p.realized,
        updateTime: p.updateTime,
      });
    }
    for (const l of snap.leverages) this.accounts.setLeverage(l.accountId, l.symbol, l.leverage);
    this.marks = new Map(snap.marks.map((m) => [m.symbol, m.price]));
    this.marketState = new Map(snap.marketState);
    this.prices.load(snap);
    this.strategies = new Map();
    this.triggers = new TriggerBook();
    this.trailing = new Map();
    this.movedPrices.clear();
    for (const s of snap.armedStrategies) this.armStrategy(s);
    const risk = snap.priceState.get("risk");
    this.riskLevels = new Map(
      Object.entries(risk === undefined ? {} : (JSON.parse(risk) as Record<string, RiskLevel>)).map(
        ([id, level]) => [Number(id), level],
      ),
    );
    this.candles = new Map(snap.lastCandles.map((c) => [c.symbol, { ...c }]));
    for (const order of snap.activeOrders) {
      this.engine.restore(order);
      this.track(order);
    }
    this.engine.resume(snap.counters.nextTradeId, snap.counters.nextSeq);
    this.nextOrderId = snap.counters.nextOrderId;
    this.nextAccountId = snap.counters.nextAccountId;
    this.nextUpdateId = snap.counters.nextUpdateId;
    this.nextAggTradeId = snap.counters.nextAggTradeId;
    this.nextIncomeId = snap.counters.nextIncomeId;
    this.nextStrategyId = snap.counters.nextStrategyId;
    this.nextJournalSeq = snap.counters.nextJournalSeq;
    this.pairStatsTime = snap.pairStatsTime;
    this.bookUpdates.clear();
    this.loadedUpdateId = this.nextUpdateId - 1;
  }

  /**
   * Notes a change of the symbol's book: it takes the book's next update id. Answers that
   * id and the one before. Each book counts on its own, one by one, so a diff's U is
   * always the previous u + 1 (ccxt checks that of the diffs it buffers before its
   * snapshot); `nextUpdateId` stays above every book's id, so after a restart every book
   * starts from the highest id any book had, and no id goes backwards.
   */
  bookChanged(symbol: string, now: number): { previous: number; id: number } {
    const previous = this.bookUpdate(symbol).id;
    const id = previous + 1;
    if (id >= this.nextUpdateId) this.nextUpdateId = id + 1;
    this.bookUpdates.set(symbol, { id, time: now });
    return { previous, id };
  }

  /**
   * The symbol's last book update id (never lower than any it answered before, across
   * restarts too) and the time of that change (undefined when it was before the load).
   */
  bookUpdate(symbol: string): { id: number; time: number | undefined } {
    return this.bookUpdates.get(symbol) ?? { id: this.loadedUpdateId, time: undefined };
  }

  /**
   * Arms a conditional order: it joins the armed set, and a stop its trigger in the
   * trigger book (trailing stops are followed price by price by conditional.ts).
   */
  armStrategy(s: Strategy): void {
    this.strategies.set(s.id, s);
    if (s.type === "TRAILING_STOP_MARKET") {
      const key = `${s.symbol}|${s.working}`;
      const group = this.trailing.get(key) ?? new Map<number, Strategy>();
      this.trailing.set(key, group.set(s.id, s));
      return;
    }
    this.triggers.arm({
      id: s.id,
      symbol: s.symbol,
      working: s.working,
      stop: s.stopPrice,
      direction: triggerDirection(s.type, s.side),
      seq: s.seq,
    });
  }

  disarmStrategy(s: Strategy): void {
    this.strategies.delete(s.id);
    if (s.type === "TRAILING_STOP_MARKET") {
      const key = `${s.symbol}|${s.working}`;
      const group = this.trailing.get(key);
      group?.delete(s.id);
      if (group?.size === 0) this.trailing.delete(key);
      return;
    }
    this.triggers.cancel(s.id);
  }

  /** The id counters as a commit records them. */
  counters(): Counters {
    return {
      nextOrderId: this.nextOrderId,
      nextTradeId: this.engine.nextTradeId,
      nextSeq: this.engine.nextSeq,
      nextAccountId: this.nextAccountId,
      nextUpdateId: this.nextUpdateId,
      nextAggTradeId: this.nextAggTradeId,
      nextIncomeId: this.nextIncomeId,
      nextStrategyId: this.nextStrategyId,
      nextJournalSeq: this.nextJournalSeq,
    };
  }

  track(order: Order): void {
    let mine = this.open.get(order.accountId);
    if (!mine) {
      mine = new Map();
      this.open.set(order.accountId, mine);
    }
    mine.set(order.id, order);
    this.clientIds.set(order);
    this.exposures.track(order);
  }

  /** Whether the order rests on its book as the state last tracked it. */
  isOpen(order: Order): boolean {
    return this.open.get(order.accountId)?.has(order.id) ?? false;
  }

  untrack(order: Order): void {
    this.open.get(order.accountId)?.delete(order.id);
    this.clientIds.delete(order);
    this.exposures.untrack(order);
  }

  /** The account's open order on the symbol by id or client order id (both must match when both are given). */
  findOpen(accountId: number, symbol: string, ref: OrderRef): Order | undefined {
    if (ref.orderId !== undefined) {
      const order = this.open.get(accountId)?.get(ref.orderId);
      if (!order || order.symbol !== symbol) return undefined;
      if (ref.clientOrderId !== undefined && order.clientOrderId !== ref.clientOrderId) return undefined;
      return order;
    }
    if (ref.clientOrderId === undefined) return undefined;
    return this.clientIds.get(accountId, symbol, ref.clientOrderId);
  }

  /**
   * The admin's mark, else the one computed from the index (prices.ts), else the last
   * trade price, else the book's mid, else none (no PERCENT_PRICE check is possible).
   */
  markPrice(symbol: string): number | undefined {
    const set = this.marks.get(symbol);
    if (set !== undefined) return set;
    const computed = this.prices.symbols.get(symbol)?.mark;
    if (computed !== undefined) return computed;
    const last = this.lastPrice.get(symbol);
    if (last !== undefined) return last;
    const bid = this.engine.depth(symbol, "BUY", 1)[0];
    const ask = this.engine.depth(symbol, "SELL", 1)[0];
    if (!bid || !ask) return undefined;
    return Math.floor((bid.price + ask.price) / 2);
  }

  /** Σ remaining × BASE_SCALE / ticks of the account's open orders on a symbol, per side. */
  openNotional(accountId: number, symbol: string): { bid: bigint; ask: bigint } {
    let bid = 0n;
    let ask = 0n;
    for (const o of this.open.get(accountId)?.values() ?? []) {
      if (o.symbol !== symbol) continue;
      const value = fillBaseAcc(o.origQty - o.executedQty, o.price);
      if (o.side === "BUY") bid += value;
      else ask += value;
    }
    return { bid, ask };
  }
}
