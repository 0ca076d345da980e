// The application: accounts, keys, books, and the ONE command pipeline
// (validate -> apply to engine -> commit -> respond). Every change of state, from HTTP,
// the CLI, tests or benchmarks, is a method here. Commands run synchronously on a
// single writer; their results are handed out only after the group commit of their
// event-loop turn (venue/group-commit.ts), so a caller never sees uncommitted state.
// A failed commit rebuilds memory from the store, so memory never runs ahead of disk.
//
// Imports: domain/, engine/, store/. Never HTTP or JSON.

import { createPublicKey } from "node:crypto";
import { maxLeverage, maxQtyAt } from "../domain/brackets.js";
import { VenueError } from "../domain/errors.js";
import { MAKER_RATE, TAKER_RATE } from "../domain/fees.js";
import { checkPercentPrice } from "../domain/filters.js";
import { fillBaseAcc } from "../domain/inverse.js";
import { commissionUnits, realizedUnits } from "../domain/margin.js";
import {
  type Fill,
  isActive,
  type Order,
  type OrderType,
  type PositionSide,
  type Side,
  type TimeInForce,
} from "../domain/order.js";
import { applyFill } from "../domain/position.js";
import { findSymbol, listSymbols, type SymbolSpec } from "../domain/symbols.js";
import type { MatchingEngine } from "../engine/contract.js";
import { createEngine } from "../engine/engine.js";
import type { AccountRow, ApiKeyRow, KeyType, Store, TradeRow, TradeStats } from "../store/store.js";
import {
  type Account,
  Accounts,
  type ApiKeyEntry,
  type Balance,
  type HeldPosition,
  positionKey,
} from "./accounts.js";
import { ClientIds } from "./client-ids.js";
import { type FillMoney, orderEvents, type VenueEvent } from "./events.js";
import { type AccountExposures, Exposures, type OrderExposure } from "./exposures.js";
import { GroupCommit, type OpenBatch } from "./group-commit.js";
import { newAccountAlias, newApiKey, newClientOrderId, newSecretKey } from "./ids.js";
import { type AssetRisk, riskByAsset, riskBySymbol, type SymbolRisk } from "./risk.js";

/** An order as answered: a copy taken when the command ran, without the book links. */
export type OrderView = Readonly<Omit<Order, "prev" | "next">>;

export interface OrderRef {
  readonly orderId?: number | undefined;
  readonly clientOrderId?: string | undefined;
}

export interface PlaceCommand {
  readonly accountId: number;
  readonly symbol: SymbolSpec;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Ticks; 0 for MARKET. */
  readonly price: number;
  /** Contracts. */
  readonly quantity: number;
  readonly clientOrderId?: string | undefined;
  /** As sent; undefined when the request did not carry it (hedge mode refuses it even as "false"). */
  readonly reduceOnly: boolean | undefined;
  /** As sent; undefined when the request did not carry it. */
  readonly positionSide: PositionSide | undefined;
  /** ACK answers the order as accepted; RESULT as it stands after matching. */
  readonly respType: "ACK" | "RESULT";
  readonly now: number;
}

export interface CancelCommand {
  readonly accountId: number;
  readonly symbol: SymbolSpec;
  readonly ref: OrderRef;
  readonly now: number;
}

export interface ModifyCommand extends CancelCommand {
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
}

export interface NewKey {
  readonly apiKey: string;
  /** Present for HMAC keys only, and only in this answer. */
  readonly secretKey?: string;
}

export interface AccountView {
  readonly accountId: number;
  readonly alias: string;
  readonly balances: ReadonlyMap<string, bigint>;
  readonly apiKeys: ReadonlyArray<{ apiKey: string; type: KeyType }>;
}

/** One committed view of an account for the account endpoints. */
export interface AccountState {
  readonly dualSide: boolean;
  readonly balances: ReadonlyMap<string, Balance>;
  readonly assets: ReadonlyMap<string, AssetRisk>;
  /** By `symbol|positionSide`. */
  readonly symbols: ReadonlyMap<string, SymbolRisk>;
  /** By `symbol|positionSide`. */
  readonly positions: ReadonlyMap<string, HeldPosition>;
  readonly leverage: (symbol: string) => number;
  readonly mark: (symbol: string) => number | undefined;
}

/** Orders that no longer rest, have no fills and are older than this are gone from queries (Binance prunes them). */
export const PRUNE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;

const MAX_ID = Number.MAX_SAFE_INTEGER;

export function viewOf(order: Order): OrderView {
  const { prev: _p, next: _n, ...rest } = order;
  return rest;
}

export class Venue {
  private engine!: MatchingEngine;
  private accounts!: Accounts;
  /** Open orders per account, by id. */
  private open!: Map<number, Map<number, Order>>;
  /** Running totals of the same open orders, for the margin and order-count checks. */
  private exposures!: Exposures;
  /** Open orders by account, symbol and client order id. */
  private clientIds!: ClientIds;
  /** Last trade price per symbol, in ticks: the mark price until a mark feed exists. */
  private lastPrice!: Map<string, number>;
  /** Time of each symbol's last trade. */
  private lastTradeTime = new Map<string, number>();
  /** Mark prices set through the admin API (ticks); they win over the last trade. */
  private marks = new Map<string, number>();
  private nextOrderId = 1;
  private nextAccountId = 1;
  /** Set when memory could not be rebuilt after a failed commit: refuse work until a rebuild succeeds. */
  private stale = false;
  private readonly commits: GroupCommit;
  /** Each listener with the accounts it wants events for. */
  private readonly listeners = new Map<
    (events: readonly VenueEvent[]) => void,
    (accountId: number) => boolean
  >();

  constructor(
    private readonly store: Store,
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {
    this.commits = new GroupCommit(
      (batch) => this.store.commit(batch.toBatch(this.counters())),
      (error) => {
        this.log("commit failed; rebuilding state from the store", error);
        this.rebuild();
      },
      (batch) => this.publish(batch.events),
    );
    this.load();
  }

  private rebuild(): boolean {
    try {
      this.load();
      this.stale = false;
    } catch (error) {
      this.stale = true;
      this.log("cannot read the store; refusing commands until it can be read", error);
    }
    return !this.stale;
  }

  /** Rebuilds every in-memory structure from the store: on start, and after a failed commit. */
  private load(): void {
    const snap = this.store.load();
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
    for (const order of snap.activeOrders) {
      this.engine.restore(order);
      this.track(order);
    }
    this.engine.resume(snap.counters.nextTradeId, snap.counters.nextSeq);
    this.nextOrderId = snap.counters.nextOrderId;
    this.nextAccountId = snap.counters.nextAccountId;
  }

  private counters() {
    return {
      nextOrderId: this.nextOrderId,
      nextTradeId: this.engine.nextTradeId,
      nextSeq: this.engine.nextSeq,
      nextAccountId: this.nextAccountId,
    };
  }

  /**
   * Runs a command now and answers after its batch commits. A rejected command changed
   * nothing, but its answer may rest on state still being committed, so it waits too;
   * if that commit fails, the honest answer is "failed, try again" (-1001).
   */
  private run<T>(apply: () => T): Promise<T> {
    if (this.stale && !this.rebuild()) return Promise.reject(new VenueError("DISCONNECTED"));
    let result: T;
    try {
      result = apply();
    } catch (error) {
      if (!this.commits.pending) return Promise.reject(error);
      return this.commits.settled().then(
        () => Promise.reject(error),
        () => Promise.reject(new VenueError("DISCONNECTED")),
      );
    }
    if (!this.commits.pending) return Promise.resolve(result);
    return this.commits.settled().then(
      () => result,
      () => Promise.reject(new VenueError("DISCONNECTED")),
    );
  }

  /** Runs a read after everything applied so far is committed: reads never see uncommitted state. */
  read<T>(fn: () => T): Promise<T> {
    if (this.stale && !this.rebuild()) return Promise.reject(new VenueError("DISCONNECTED"));
    if (!this.commits.pending) {
      try {
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.commits.settled().then(fn, () => Promise.reject(new VenueError("DISCONNECTED")));
  }

  /**
   * Hears every committed batch's events, in commit order. A listener runs before the
   * batch's callers are answered, so a stream never lags the REST answer it matches.
   * `wants` names the accounts it needs events for: events nobody wants are not built,
   * which keeps them off the hot path of accounts without a stream.
   */
  subscribe(
    listener: (events: readonly VenueEvent[]) => void,
    wants: (accountId: number) => boolean = () => true,
  ): () => void {
    this.listeners.set(listener, wants);
    return () => this.listeners.delete(listener);
  }

  private wanted(accountId: number): boolean {
    for (const wants of this.listeners.values()) if (wants(accountId)) return true;
    return false;
  }

  private publish(events: readonly VenueEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners.keys()) {
      try {
        listener(events);
      } catch (error) {
        this.log("an event listener failed", error);
      }
    }
  }

  /** The account's alias as the stream shows it (`i`); undefined for an unknown account. */
  alias(accountId: number): string | undefined {
    return this.accounts.get(accountId)?.alias;
  }

  /** Settles once everything applied so far is durable. */
  flushed(): Promise<void> {
    return this.commits.settled();
  }

  // ---- accounts and keys ----

  createAccount(balances: ReadonlyMap<string, bigint>, now: number): Promise<{ accountId: number } & NewKey> {
    return this.run(() => {
      for (const units of balances.values()) if (units < 0n) throw new RangeError("negative balance");
      const batch = this.commits.current();
      const row: AccountRow = {
        id: this.nextAccountId++,
        alias: newAccountAlias(),
        createdAt: now,
        dualSide: false,
      };
      const account = this.accounts.add(row);
      batch.accounts.push(row);
      for (const [asset, units] of balances) this.setBalance(batch, account, asset, units, now);
      const key = this.addKey(batch, row.id, "HMAC", "", now);
      return { accountId: row.id, ...key };
    });
  }

  createApiKey(accountId: number, type: KeyType, publicKeyPem: string, now: number): Promise<NewKey> {
    return this.run(() => {
      if (!this.accounts.get(accountId)) throw new RangeError("unknown account");
      if (type !== "HMAC") {
        const key = createPublicKey(publicKeyPem);
        const expected = type === "ED25519" ? "ed25519" : "rsa";
        if (key.asymmetricKeyType !== expected) throw new RangeError(`not an ${type} public key`);
      }
      return this.addKey(this.commits.current(), accountId, type, publicKeyPem, now);
    });
  }

  private addKey(batch: OpenBatch, accountId: number, type: KeyType, publicKey: string, now: number): NewKey {
    const secret = type === "HMAC" ? newSecretKey() : "";
    const row: ApiKeyRow = { apiKey: newApiKey(), accountId, type, secret, publicKey, createdAt: now };
    this.accounts.addKey(row);
    batch.apiKeys.push(row);
    return type === "HMAC" ? { apiKey: row.apiKey, secretKey: secret } : { apiKey: row.apiKey };
  }

  private setBalance(batch: OpenBatch, account: Account, asset: string, units: bigint, now: number): void {
    account.balances.set(asset, { units, updateTime: now });
    batch.balances.set(`${account.id}|${asset}`, { accountId: account.id, asset, units, updateTime: now });
  }

  /** Synchronous: keys are immutable once created, so no commit can change the answer. */
  apiKey(apiKey: string): ApiKeyEntry | undefined {
    return this.accounts.key(apiKey);
  }

  account(accountId: number): Promise<AccountView | undefined> {
    return this.read(() => {
      const account = this.accounts.get(accountId);
      return account && this.accountView(account);
    });
  }

  /** Accounts from `fromId` on, in id order, at most `limit` of them. */
  accountList(fromId: number, limit: number): Promise<AccountView[]> {
    return this.read(() => {
      const views: AccountView[] = [];
      for (let id = fromId; id < this.nextAccountId && views.length < limit; id++) {
        const account = this.accounts.get(id);
        if (account) views.push(this.accountView(account));
      }
      return views;
    });
  }

  private accountView(account: Account): AccountView {
    const balances = new Map([...account.balances].map(([asset, b]) => [asset, b.units]));
    const apiKeys = account.apiKeys.map((apiKey) => ({ apiKey, type: this.accounts.key(apiKey)!.type }));
    return { accountId: account.id, alias: account.alias, balances, apiKeys };
  }

  // ---- account settings and money ----

  /** Hedge (true) or one-way (false) mode; refused while orders are open or positions held. */
  setDualSide(accountId: number, dualSide: boolean): Promise<void> {
    return this.run(() => {
      const account = this.accounts.get(accountId)!;
      if (account.dualSide === dualSide) throw new VenueError("NO_NEED_TO_CHANGE_POSITION_SIDE");
      if ((this.open.get(accountId)?.size ?? 0) > 0) throw new VenueError("POSITION_SIDE_OPEN_ORDERS");
      for (const p of this.accounts.positionsOf(accountId)) {
        if (p.amount !== 0) throw new VenueError("POSITION_SIDE_OPEN_POSITION");
      }
      account.dualSide = dualSide;
      this.commits.current().modes.set(accountId, dualSide);
    });
  }

  /** Sets the symbol's leverage (1 to the bracket's maximum); answers the position it allows. */
  setLeverage(
    accountId: number,
    spec: SymbolSpec,
    leverage: number,
  ): Promise<{ leverage: number; maxQty: number }> {
    return this.run(() => {
      if (!Number.isInteger(leverage) || leverage < 1 || leverage > maxLeverage(spec.pair)) {
        throw new VenueError("INVALID_LEVERAGE", leverage);
      }
      this.accounts.setLeverage(accountId, spec.symbol, leverage);
      this.commits
        .current()
        .leverages.set(`${accountId}|${spec.symbol}`, { accountId, symbol: spec.symbol, leverage });
      return { leverage, maxQty: maxQtyAt(spec.pair, leverage) };
    });
  }

  /** Sets (ticks) or clears (undefined: back to the last trade) a symbol's mark price. */
  setMarkPrice(symbol: string, price: number | undefined): Promise<void> {
    return this.run(() => {
      if (price === undefined) this.marks.delete(symbol);
      else this.marks.set(symbol, price);
      this.commits.current().marks.set(symbol, price ?? null);
    });
  }

  /**
   * Deposits (positive) or withdraws (negative) 10^-8 units of a coin. A withdrawal may
   * not take more than the coin's available balance (wallet + unrealized − margin).
   */
  adjustBalance(accountId: number, asset: string, delta: bigint, now: number): Promise<bigint> {
    return this.run(() => {
      const account = this.accounts.get(accountId);
      if (!account) throw new RangeError("unknown account");
      const wallet = account.balances.get(asset)?.units ?? 0n;
      if (delta < 0n) {
        const r = this.risk(accountId, this.exposures.of(accountId)).get(asset);
        const available =
          wallet + (r?.unrealized ?? 0n) - (r ? r.positionInitialMargin + r.openOrderInitialMargin : 0n);
        if (available + delta < 0n) throw new VenueError("BALANCE_INSUFFICIENT");
      }
      const batch = this.commits.current();
      this.setBalance(batch, account, asset, wallet + delta, now);
      if (this.wanted(accountId)) {
        batch.events.push({
          kind: "account",
          accountId,
          time: now,
          reason: delta >= 0n ? "DEPOSIT" : "WITHDRAW",
          balances: [{ asset, units: wallet + delta, change: delta }],
          positions: [],
        });
      }
      return wallet + delta;
    });
  }

  /** The account's position mode, committed state. */
  dualSide(accountId: number): Promise<boolean> {
    return this.read(() => this.accounts.get(accountId)?.dualSide ?? false);
  }

  leverage(accountId: number, symbol: string): number {
    return this.accounts.leverage(accountId, symbol);
  }

  /**
   * Everything the account endpoints show, from one committed state: balances with their
   * times, risk per coin and per symbol and position side, positions and leverages.
   */
  accountState(accountId: number): Promise<AccountState> {
    return this.read(() => {
      const account = this.accounts.get(accountId);
      const sources = this.riskSources(accountId, this.exposures.of(accountId));
      const positions = new Map<string, HeldPosition>();
      for (const p of this.accounts.positionsOf(accountId)) positions.set(`${p.symbol}|${p.positionSide}`, p);
      return {
        dualSide: account?.dualSide ?? false,
        balances: new Map(
          [...(account?.balances ?? new Map<string, Balance>())].map(([a, b]) => [a, { ...b }]),
        ),
        assets: riskByAsset(sources),
        symbols: riskBySymbol(sources),
        positions,
        leverage: (symbol: string) => this.accounts.leverage(accountId, symbol),
        mark: (symbol: string) => this.markPrice(symbol),
      };
    });
  }

  // ---- orders ----

  place(cmd: PlaceCommand): Promise<OrderView> {
    return this.run(() => {
      const spec = cmd.symbol;
      if (spec.contractStatus !== "TRADING") throw new VenueError("SYMBOL_NOT_TRADING");
      const account = this.accounts.get(cmd.accountId);
      if (!account) throw new VenueError("REJECTED_MBX_KEY", "");
      const positionSide = this.checkPositionSide(account, cmd);
      const clientOrderId = cmd.clientOrderId ?? this.freshClientOrderId(cmd.accountId, spec.symbol);
      if (this.clientIds.has(cmd.accountId, spec.symbol, clientOrderId)) {
        throw new VenueError("DUPLICATE_CLIENT_ORDER_ID");
      }
      if (this.openCount(cmd.accountId, spec.symbol) >= spec.maxNumOrders)
        throw new VenueError("MAX_OPEN_ORDERS");
      this.checkMarkBounds(spec, cmd.side, cmd.type, cmd.price);
      const reduceOnly = cmd.reduceOnly === true;
      this.checkClosing(account, spec.symbol, cmd.side, positionSide, cmd.quantity, reduceOnly);
      const pricedAt = cmd.type === "MARKET" ? this.marketPrice(spec.symbol, cmd.side) : cmd.price;
      this.checkMargin(account, {
        symbol: spec.symbol,
        side: cmd.side,
        positionSide,
        qty: cmd.quantity,
        price: pricedAt,
      });
      if (this.nextOrderId >= MAX_ID) throw new VenueError("UNKNOWN");

      const order: Order = {
        id: this.nextOrderId,
        accountId: cmd.accountId,
        symbol: spec.symbol,
        side: cmd.side,
        type: cmd.type,
        timeInForce: cmd.type === "MARKET" ? "GTC" : cmd.timeInForce,
        price: cmd.type === "MARKET" ? 0 : cmd.price,
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
        prev: null,
        next: null,
      };
      const accepted = viewOf(order);
      // MARKET orders match with IOC semantics; the engine knows MARKET by its type.
      const outcome = this.engine.place(order, cmd.now);
      if (!outcome.ok) {
        throw new VenueError(outcome.reject === "FOK_UNFILLABLE" ? "FOK_REJECTED" : "GTX_REJECTED");
      }
      this.nextOrderId++;
      this.record({ execution: "NEW", order }, outcome.fills, outcome.changed, cmd.now);
      return cmd.respType === "ACK" ? accepted : viewOf(outcome.order);
    });
  }

  cancel(cmd: CancelCommand): Promise<OrderView> {
    return this.run(() => {
      const order = this.findOpen(cmd.accountId, cmd.symbol.symbol, cmd.ref);
      if (!order) throw new VenueError("CANCEL_REJECTED");
      const canceled = this.engine.cancel(order.symbol, order.id, cmd.now);
      if (!canceled) throw new VenueError("CANCEL_REJECTED");
      this.record(undefined, [], [canceled], cmd.now);
      return viewOf(canceled);
    });
  }

  /** Cancels every open order of the account on the symbol; answers how many. */
  cancelAll(accountId: number, symbol: SymbolSpec, now: number): Promise<number> {
    return this.run(() => {
      const mine = [...(this.open.get(accountId)?.values() ?? [])].filter((o) => o.symbol === symbol.symbol);
      if (mine.length === 0) return 0;
      const changed: Order[] = [];
      for (const order of mine) {
        const canceled = this.engine.cancel(order.symbol, order.id, now);
        if (canceled) changed.push(canceled);
      }
      this.record(undefined, [], changed, now);
      return changed.length;
    });
  }

  modify(cmd: ModifyCommand): Promise<OrderView> {
    return this.run(() => {
      const spec = cmd.symbol;
      const order = this.findOpen(cmd.accountId, spec.symbol, cmd.ref);
      if (order?.type !== "LIMIT") throw new VenueError("NO_SUCH_ORDER");
      if (order.side !== cmd.side) throw new VenueError("INVALID_SIDE");
      if (order.price === cmd.price && order.origQty === cmd.quantity)
        throw new VenueError("NO_NEED_TO_MODIFY");
      this.checkMarkBounds(spec, cmd.side, "LIMIT", cmd.price);
      const account = this.accounts.get(cmd.accountId)!;
      if (cmd.quantity > order.origQty) {
        const added = cmd.quantity - order.origQty;
        this.checkClosing(account, spec.symbol, order.side, order.positionSide, added, order.reduceOnly);
      }
      if (cmd.quantity > order.origQty || cmd.price !== order.price) {
        const remaining = cmd.quantity - order.executedQty;
        const exposure = { symbol: order.symbol, side: order.side, positionSide: order.positionSide };
        this.checkMargin(account, { ...exposure, qty: Math.max(0, remaining), price: cmd.price }, order);
      }
      const outcome = this.engine.modify(order.symbol, order.id, cmd.price, cmd.quantity, cmd.now);
      if (!outcome) throw new VenueError("NO_SUCH_ORDER");
      const lead = outcome.canceled ? undefined : ({ execution: "AMENDMENT", order: outcome.order } as const);
      this.record(lead, outcome.fills, outcome.changed, cmd.now);
      return viewOf(outcome.order);
    });
  }

  private freshClientOrderId(accountId: number, symbol: string): string {
    for (;;) {
      const id = newClientOrderId();
      if (!this.clientIds.has(accountId, symbol, id)) return id;
    }
  }

  private openCount(accountId: number, symbol: string): number {
    return this.exposures.count(accountId, symbol);
  }

  /** PERCENT_PRICE for LIMIT prices, and -4131 for a MARKET whose best counter price is outside the band. */
  private checkMarkBounds(spec: SymbolSpec, side: Side, type: OrderType, price: number): void {
    const mark = this.markPrice(spec.symbol);
    if (mark === undefined) return;
    if (type === "LIMIT") {
      checkPercentPrice(spec, side, price, mark);
      return;
    }
    const best = this.engine.depth(spec.symbol, side === "BUY" ? "SELL" : "BUY", 1)[0];
    if (!best) return;
    try {
      checkPercentPrice(spec, side, best.price, mark);
    } catch {
      throw new VenueError("MARKET_PRICE_OUTSIDE_PERCENT");
    }
  }

  /** The admin's mark, else the last trade price, else the book's mid, else none (no PERCENT_PRICE check is possible). */
  markPrice(symbol: string): number | undefined {
    const set = this.marks.get(symbol);
    if (set !== undefined) return set;
    const last = this.lastPrice.get(symbol);
    if (last !== undefined) return last;
    const bid = this.engine.depth(symbol, "BUY", 1)[0];
    const ask = this.engine.depth(symbol, "SELL", 1)[0];
    if (!bid || !ask) return undefined;
    return Math.floor((bid.price + ask.price) / 2);
  }

  /**
   * The position side an order trades, by the account's mode: one-way takes BOTH (or
   * nothing), hedge mode needs LONG or SHORT and refuses reduceOnly, even "false".
   */
  private checkPositionSide(account: Account, cmd: PlaceCommand): PositionSide {
    if (!account.dualSide) {
      if (cmd.positionSide !== undefined && cmd.positionSide !== "BOTH")
        throw new VenueError("POSITION_SIDE_MISMATCH");
      return "BOTH";
    }
    if (cmd.positionSide === undefined || cmd.positionSide === "BOTH")
      throw new VenueError("POSITION_SIDE_MISMATCH");
    if (cmd.reduceOnly !== undefined) throw new VenueError("PARAM_NOT_REQUIRED", "reduceonly");
    return cmd.positionSide;
  }

  /**
   * Orders that may only close: one-way reduce-only orders, and in hedge mode a SELL on
   * LONG or a BUY on SHORT. They must face a position of at least their size, net of the
   * account's other open closing orders on it (the venue refuses rather than shrinks them).
   * A modify that enlarges such an order asks for the contracts it adds.
   */
  private checkClosing(
    account: Account,
    symbol: string,
    side: Side,
    positionSide: PositionSide,
    qty: number,
    reduceOnly: boolean,
  ): void {
    const closing = positionSide === "BOTH" ? reduceOnly : (positionSide === "LONG") === (side === "SELL");
    if (!closing) return;
    const { amount } = this.accounts.position(account.id, symbol, positionSide);
    const open = side === "BUY" ? -amount : amount;
    const pending = this.exposures.closing(account.id, symbol, positionSide, side);
    if (open <= 0 || qty + pending > open) throw new VenueError("REDUCE_ONLY_REJECT");
  }

  /** The price a MARKET order is margined at: the best counter price, else the mark. */
  private marketPrice(symbol: string, side: Side): number {
    const best = this.engine.depth(symbol, side === "BUY" ? "SELL" : "BUY", 1)[0];
    return best?.price ?? this.markPrice(symbol) ?? 0;
  }

  /**
   * -2019 when the order would raise the margin the account needs in its coin beyond
   * what it has (wallet + unrealized − position margin − open-order margin). An order
   * that needs no new margin (it only closes), or a modify that lowers what the account
   * needs, always passes. `replacing` is the order a modify amends: after the modify its
   * old exposure is gone and `order` stands in its place.
   */
  private checkMargin(account: Account, order: OrderExposure, replacing?: Order): void {
    const spec = findSymbol(order.symbol)!;
    const asset = spec.marginAsset;
    // Before: the account as it stands, an amended order as it is now.
    const before = this.risk(account.id, this.exposures.of(account.id)).get(asset);
    const after = this.risk(account.id, this.exposures.changed(account.id, replacing, order)).get(asset);
    const need = (r: AssetRisk | undefined) => (r ? r.positionInitialMargin + r.openOrderInitialMargin : 0n);
    if (need(after) <= need(before)) return;
    const wallet = account.balances.get(asset)?.units ?? 0n;
    if (wallet + (after?.unrealized ?? 0n) - need(after) < 0n) throw new VenueError("MARGIN_INSUFFICIENT");
  }

  private risk(accountId: number, orders: AccountExposures): Map<string, AssetRisk> {
    return riskByAsset(this.riskSources(accountId, orders));
  }

  private riskSources(accountId: number, orders: AccountExposures) {
    return {
      symbol: (name: string) => findSymbol(name)!,
      mark: (symbol: string) => this.markPrice(symbol),
      leverage: (symbol: string) => this.accounts.leverage(accountId, symbol),
      positions: this.accounts.positionsOf(accountId),
      orders,
    };
  }

  private findOpen(accountId: number, symbol: string, ref: OrderRef): Order | undefined {
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
   * Records one command's effects in the open batch: trades, positions and orders to
   * write, and the events to publish once the batch is durable.
   */
  private record(
    lead: { readonly execution: "NEW" | "AMENDMENT"; readonly order: Order } | undefined,
    fills: readonly Fill[],
    changed: readonly Order[],
    now: number,
  ): void {
    const batch = this.commits.current();
    const { touched, money } = this.applyFills(batch, fills, now);
    this.applyChanged(batch, changed);
    const notional = new Map<string, { bid: bigint; ask: bigint }>();
    const openNotional = (order: Order) => {
      const key = `${order.accountId}|${order.symbol}`;
      let value = notional.get(key);
      if (!value) {
        value = this.openNotional(order.accountId, order.symbol);
        notional.set(key, value);
      }
      return value;
    };
    const wanted = new Map<number, boolean>();
    const wants = (accountId: number): boolean => {
      let yes = wanted.get(accountId);
      if (yes === undefined) {
        yes = this.wanted(accountId);
        wanted.set(accountId, yes);
      }
      return yes;
    };
    // Without a listening socket for any account involved there is no event to build.
    if (
      changed.some((o) => wants(o.accountId)) ||
      fills.some((f) => wants(f.maker.accountId) || wants(f.taker.accountId))
    ) {
      for (const e of orderEvents(lead, fills, changed, now, openNotional, money))
        if (wants(e.accountId)) batch.events.push(e);
    }
    for (const [accountId, positions] of touched) {
      if (!wants(accountId)) continue;
      const account = this.accounts.get(accountId);
      const assets = new Set([...positions.values()].map((p) => findSymbol(p.symbol)!.marginAsset));
      const balances = [...assets].map((asset) => ({
        asset,
        units: account?.balances.get(asset)?.units ?? 0n,
        change: 0n,
      }));
      batch.events.push({
        kind: "account",
        accountId,
        time: now,
        reason: "ORDER",
        balances,
        positions: [...positions.values()],
      });
    }
  }

  /** Σ remaining × BASE_SCALE / ticks of the account's open orders on a symbol, per side. */
  private openNotional(accountId: number, symbol: string): { bid: bigint; ask: bigint } {
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

  /** Applies fills to trades and positions; answers the positions each account ended with. */
  /**
   * Applies fills to trades, positions and wallets: each side's position moves, what it
   * closes realizes PnL at the fill price, and the side pays its maker or taker
   * commission; the wallet of the margin coin takes both. Answers the positions each
   * account ended with and each fill side's money, for the events.
   */
  private applyFills(
    batch: OpenBatch,
    fills: readonly Fill[],
    now: number,
  ): { touched: Map<number, Map<string, HeldPosition>>; money: Map<string, FillMoney> } {
    const touched = new Map<number, Map<string, HeldPosition>>();
    const money = new Map<string, FillMoney>();
    for (const fill of fills) {
      this.lastPrice.set(fill.symbol, fill.price);
      this.lastTradeTime.set(fill.symbol, fill.time);
      const spec = findSymbol(fill.symbol)!;
      for (const [order, maker] of [
        [fill.maker, true],
        [fill.taker, false],
      ] as const) {
        const before = this.accounts.position(order.accountId, fill.symbol, order.positionSide);
        const change = applyFill(before, order.side, fill.qty, fill.price);
        const realizedPnl = realizedUnits(
          spec,
          before.amount > 0,
          change.closedQty,
          change.closedEntryAcc,
          fill.price,
        );
        const commission = commissionUnits(spec, fill.qty, fill.price, maker ? MAKER_RATE : TAKER_RATE);
        money.set(`${fill.tradeId}|${order.id}`, { realizedPnl, commission });
        batch.trades.push({
          tradeId: fill.tradeId,
          accountId: order.accountId,
          orderId: order.id,
          symbol: fill.symbol,
          side: order.side,
          positionSide: order.positionSide,
          price: fill.price,
          qty: fill.qty,
          maker,
          time: fill.time,
          realizedPnl,
          commission,
        });
        const account = this.accounts.get(order.accountId);
        if (account) {
          const wallet = account.balances.get(spec.marginAsset)?.units ?? 0n;
          this.setBalance(batch, account, spec.marginAsset, wallet + realizedPnl - commission, now);
        }
        const after: HeldPosition = {
          symbol: fill.symbol,
          positionSide: order.positionSide,
          amount: change.after.amount,
          entryAcc: change.after.entryAcc,
          realized: before.realized + realizedPnl,
          updateTime: fill.time,
        };
        this.accounts.setPosition(order.accountId, after);
        const key = positionKey(order.accountId, fill.symbol, order.positionSide);
        batch.positions.set(key, { accountId: order.accountId, ...after });
        let mine = touched.get(order.accountId);
        if (!mine) {
          mine = new Map();
          touched.set(order.accountId, mine);
        }
        mine.set(key, after);
      }
    }
    return { touched, money };
  }

  private applyChanged(batch: OpenBatch, changed: readonly Order[]): void {
    for (const order of changed) {
      batch.orders.add(order);
      if (isActive(order.status)) this.track(order);
      else this.untrack(order);
    }
  }

  private track(order: Order): void {
    let mine = this.open.get(order.accountId);
    if (!mine) {
      mine = new Map();
      this.open.set(order.accountId, mine);
    }
    mine.set(order.id, order);
    this.clientIds.set(order);
    this.exposures.track(order);
  }

  private untrack(order: Order): void {
    this.open.get(order.accountId)?.delete(order.id);
    this.clientIds.delete(order);
    this.exposures.untrack(order);
  }

  // ---- queries (committed state only) ----

  /** GET order: open orders from memory, finished ones from the store; pruned ones are gone. */
  queryOrder(accountId: number, symbol: string, ref: OrderRef, now: number): Promise<OrderView | undefined> {
    return this.read(() => {
      const open = this.findOpen(accountId, symbol, ref);
      if (open) return viewOf(open);
      const stored =
        ref.orderId !== undefined
          ? this.store.orderById(accountId, ref.orderId)
          : this.store.orderByClientId(accountId, symbol, ref.clientOrderId ?? "");
      if (!stored || stored.symbol !== symbol) return undefined;
      if (ref.clientOrderId !== undefined && stored.clientOrderId !== ref.clientOrderId) return undefined;
      if (isPruned(stored, now)) return undefined;
      return viewOf(stored);
    });
  }

  queryOpenOrder(accountId: number, symbol: string, ref: OrderRef): Promise<OrderView | undefined> {
    return this.read(() => {
      const open = this.findOpen(accountId, symbol, ref);
      return open ? viewOf(open) : undefined;
    });
  }

  /** Open orders of the account on the given symbols (all when undefined), ascending id. */
  openOrders(accountId: number, symbols: readonly string[] | undefined): Promise<OrderView[]> {
    return this.read(() => {
      const wanted = symbols ? new Set(symbols) : undefined;
      const out: OrderView[] = [];
      for (const o of this.open.get(accountId)?.values() ?? []) {
        if (!wanted || wanted.has(o.symbol)) out.push(viewOf(o));
      }
      return out.sort((a, b) => a.id - b.id);
    });
  }

  allOrders(q: Parameters<Store["orders"]>[0], now: number): Promise<OrderView[]> {
    return this.read(() => this.store.orders(q).filter((o) => !isPruned(o, now)));
  }

  /** A symbol's fills over [from, to], committed state. */
  tradeStats(symbol: string, from: number, to: number): Promise<TradeStats | undefined> {
    return this.read(() => this.store.tradeStats(symbol, from, to));
  }

  userTrades(q: Parameters<Store["trades"]>[0]): Promise<TradeRow[]> {
    return this.read(() => this.store.trades(q));
  }

  /** Best levels of a symbol's book, committed state. */
  depth(symbol: string, limit: number) {
    return this.read(() => ({
      bids: this.engine.depth(symbol, "BUY", limit),
      asks: this.engine.depth(symbol, "SELL", limit),
    }));
  }

  /** The symbol's last trade (price in ticks, time), committed state; undefined before the first. */
  lastTrade(symbol: string): Promise<{ price: number; time: number } | undefined> {
    return this.read(() => {
      const price = this.lastPrice.get(symbol);
      const time = this.lastTradeTime.get(symbol);
      return price === undefined || time === undefined ? undefined : { price, time };
    });
  }

  symbols(): SymbolSpec[] {
    return listSymbols();
  }

  symbol(name: string): SymbolSpec | undefined {
    return findSymbol(name);
  }
}

function isPruned(order: Order, now: number): boolean {
  return (
    (order.status === "CANCELED" || order.status === "EXPIRED") &&
    order.executedQty === 0 &&
    now - order.time > PRUNE_AFTER_MS
  );
}
