// The venue's one way in: every change of state, from HTTP, the CLI, tests or
// benchmarks, is a method here, and every read too. This class only delegates: commands
// run through the pipeline (pipeline.ts: single writer, group commit, publish), which
// guards the state (state.ts); each family of commands and the reads live in a file of
// their own (orders.ts, account-commands.ts, marks.ts, queries.ts). Shared types are
// re-exported, so api/ and stream/ import from here alone.
//
// Imports: domain/, engine/, store/ (through the files beside it). Never HTTP or JSON.

import type { Candle, Interval } from "../domain/candles.js";
import type { Strategy } from "../domain/conditional.js";
import { VenueError } from "../domain/errors.js";
import type { Order } from "../domain/order.js";
import type { PairStats } from "../domain/pair-stats.js";
import type { SymbolPriceInputs } from "../domain/premium-index.js";
import type { RiskLevel } from "../domain/risk-levels.js";
import { findSymbol, listSymbols, type SymbolSpec } from "../domain/symbols.js";
import type {
  AggTrade,
  AggTradeQuery,
  AmendmentRow,
  FundingRow,
  IncomeQuery,
  IncomeRow,
  KeyType,
  MarketTrade,
  MarketTradeQuery,
  PriceKind,
  Store,
  StrategyQuery,
  TradeRow,
  TradeStats,
} from "../store/store.js";
import {
  adjustBalance,
  createAccount,
  createApiKey,
  setClockSkew,
  setDualSide,
  setLeverage,
} from "./account-commands.js";
import type { ApiKeyEntry } from "./accounts.js";
import { adlQuantiles } from "./adl.js";
import { klines } from "./candles.js";
import type { CancelCommand, ModifyCommand, OrderRef, PlaceCommand } from "./commands.js";
import {
  cancelAllStrategies,
  cancelStrategy,
  findArmed,
  fireTriggers,
  placeStrategy,
  type StrategyCommand,
} from "./conditional.js";
import { settlementSoFar } from "./delivery.js";
import type { VenueEvent } from "./events.js";
import { type ForcedFillCommand, forceFill } from "./forced-fill.js";
import { type JournalCommand, type JournalEntry, journalEntry } from "./journal.js";
import type { MarketEvent } from "./market-events.js";
import { keepMarketState, setMarkPrice } from "./marks.js";
import { cancel, cancelAll, modify, place } from "./orders.js";
import { pairStatsSeries } from "./pair-stats.js";
import { Pipeline, type VenueLog } from "./pipeline.js";
import { levelOf, type Portfolio, portfolioOf } from "./portfolio.js";
import { estimatedRate8, priceKlines, setIndexPrices } from "./prices.js";
import {
  accountList,
  accountState,
  accountView,
  allOrders,
  lastTrade,
  openOrders,
  queryOrder,
} from "./queries.js";
import { advance } from "./schedule.js";
import { VenueState } from "./state.js";
import { type AccountState, type AccountView, type NewKey, type OrderView, viewOf } from "./views.js";

export type { CancelCommand, ModifyCommand, OrderRef, PlaceCommand } from "./commands.js";
export type { StrategyCommand } from "./conditional.js";

/** A strategy by id, or by client id when no id is given. */
export interface StrategyRef {
  readonly strategyId?: number | undefined;
  readonly clientStrategyId?: string | undefined;
}
export type { Draw } from "./ids.js";
export { type JournalEntry, journalEntry, redacted } from "./journal.js";
export type {
  ContractInfoEvent,
  DepthEvent,
  ForceOrderEvent,
  LevelChange,
  MarketEvent,
  TradeEvent,
} from "./market-events.js";
export { PRUNE_AFTER_MS } from "./queries.js";
export type { AccountState, AccountView, NewKey, OrderView } from "./views.js";
export { viewOf } from "./views.js";

/** The arguments of every kind of journaled command, as `noted` writes them. */
interface JournalArgs {
  readonly balances: [string, string][];
  readonly house: string | undefined;
  readonly name: string;
  readonly value: string;
  readonly accountId: number;
  readonly type: KeyType;
  readonly publicKeyPem: string;
  readonly ms: number;
  readonly dualSide: boolean;
  readonly symbol: string;
  readonly leverage: number;
  readonly price: number | null;
  readonly asset: string;
  readonly delta: string;
  readonly prices: [string, number | null][];
  readonly ref: StrategyRef;
}

/** A command as the journal notes it (journal.ts). */
function noted(kind: string, time: number, args: Record<string, unknown>): JournalCommand {
  return { kind, time, args };
}

export class Venue {
  private readonly state = new VenueState();
  private readonly pipeline: Pipeline;

  constructor(
    private readonly store: Store,
    log: VenueLog = () => {},
  ) {
    this.pipeline = new Pipeline(store, this.state, log);
    this.pipeline.afterApply = () => fireTriggers(this.state, this.pipeline);
  }

  // ---- the pipeline ----

  /** Runs a read after everything applied so far is committed: reads never see uncommitted state. */
  read<T>(fn: () => T): Promise<T> {
    return this.pipeline.read(fn);
  }

  /** Hears every committed batch's events, in commit order (pipeline.ts). */
  subscribe(
    listener: (events: readonly VenueEvent[]) => void,
    wants?: (accountId: number) => boolean,
  ): () => void {
    return this.pipeline.subscribe(listener, wants);
  }

  /** Hears every committed batch's market events (book diffs), in commit order (market-events.ts). */
  subscribeMarket(listener: (events: readonly MarketEvent[]) => void): () => void {
    return this.pipeline.subscribeMarket(listener);
  }

  /** Settles once everything applied so far is durable. */
  flushed(): Promise<void> {
    return this.pipeline.flushed();
  }

  // ---- the journal (journal.ts) ----

  /** Up to `limit` journal entries from `fromSeq` on, in sequence order, committed state. */
  journal(fromSeq: number, limit: number): Promise<JournalEntry[]> {
    return this.pipeline.read(() => this.store.journal(fromSeq, limit).map(journalEntry));
  }

  /**
   * Runs a journaled command again, with the identifiers it drew: on an empty venue, the
   * entries in order make the same state, events and journal. A command refused then is
   * refused again; only its refusal is swallowed.
   */
  async replay(entry: JournalEntry): Promise<void> {
    const a = entry.args as unknown as JournalArgs;
    const t = entry.time;
    const spec = (name: unknown): SymbolSpec => {
      const found = findSymbol(String(name));
      if (!found) throw new Error(`journal entry ${entry.seq} names an unknown symbol ${String(name)}`);
      return found;
    };
    const withSymbol = <C>(): C => ({ ...a, symbol: spec(a.symbol) }) as C;
    this.pipeline.replayDraws(entry.draws);
    const run = (): Promise<unknown> => {
      switch (entry.kind) {
        case "createAccount":
          return this.createAccount(
            new Map(a.balances.map(([asset, units]) => [asset, BigInt(units)])),
            t,
            a.house,
          );
        case "keepMarketState":
          return this.keepMarketState(a.name, a.value, t);
        case "createApiKey":
          return this.createApiKey(a.accountId, a.type, a.publicKeyPem, t);
        case "forceFill":
          return this.forceFill(withSymbol<ForcedFillCommand>());
        case "setClockSkew":
          return this.setClockSkew(a.accountId, a.ms, t);
        case "setDualSide":
          return this.setDualSide(a.accountId, a.dualSide, t);
        case "setLeverage":
          return this.setLeverage(a.accountId, spec(a.symbol), a.leverage, t);
        case "setMarkPrice":
          return this.setMarkPrice(a.symbol, a.price ?? undefined, t);
        case "adjustBalance":
          return this.adjustBalance(a.accountId, a.asset, BigInt(a.delta), t);
        case "place":
          return this.place(withSymbol<PlaceCommand>());
        case "cancel":
          return this.cancel(withSymbol<CancelCommand>());
        case "cancelAll":
          return this.cancelAll(a.accountId, spec(a.symbol), t);
        case "modify":
          return this.modify(withSymbol<ModifyCommand>());
        case "advance":
          return this.advance(t);
        case "setIndexPrices":
          return this.setIndexPrices(new Map(a.prices.map(([pair, p]) => [pair, p ?? undefined])), t);
        case "placeStrategy":
          return this.placeStrategy(withSymbol<StrategyCommand>());
        case "cancelStrategy":
          return this.cancelStrategy(a.accountId, a.symbol, a.ref, t);
        case "cancelAllStrategies":
          return this.cancelAllStrategies(a.accountId, a.symbol, t);
        default:
          throw new Error(`journal entry ${entry.seq} is of an unknown kind ${entry.kind}`);
      }
    };
    try {
      await run();
    } catch (error) {
      if (!(error instanceof VenueError) && !(error instanceof RangeError)) throw error;
    }
  }

  // ---- accounts and keys ----

  /** Creates an account with balances and its first key; `house` names a simulated market's role. */
  createAccount(
    balances: ReadonlyMap<string, bigint>,
    now: number,
    house?: string,
  ): Promise<{ accountId: number } & NewKey> {
    return this.pipeline.run(
      () => createAccount(this.state, this.pipeline, balances, now, house),
      noted("createAccount", now, { balances: [...balances].map(([a, u]) => [a, String(u)]), house }),
    );
  }

  /** Keeps a value of the simulated market's between runs (market/simulated-market.ts). */
  keepMarketState(name: string, value: string, now: number): Promise<void> {
    return this.pipeline.run(
      () => keepMarketState(this.state, this.pipeline, name, value),
      noted("keepMarketState", now, { name, value }),
    );
  }

  /** A value the simulated market kept, committed state. */
  marketState(name: string): Promise<string | undefined> {
    return this.pipeline.read(() => this.state.marketState.get(name));
  }

  /** The house accounts by role, committed state. */
  houseAccounts(): Promise<Map<string, number>> {
    return this.pipeline.read(() => {
      const out = new Map<string, number>();
      for (let id = 1; id < this.state.nextAccountId; id++) {
        const role = this.state.accounts.get(id)?.house;
        if (role !== undefined && !out.has(role)) out.set(role, id);
      }
      return out;
    });
  }

  /** The account's net contracts on a symbol (all position sides), committed state. */
  netPosition(accountId: number, symbol: string): Promise<number> {
    return this.pipeline.read(() =>
      this.state.accounts
        .positionsOf(accountId)
        .filter((p) => p.symbol === symbol)
        .reduce((n, p) => n + p.amount, 0),
    );
  }

  createApiKey(accountId: number, type: KeyType, publicKeyPem: string, now: number): Promise<NewKey> {
    return this.pipeline.run(
      () => createApiKey(this.state, this.pipeline, accountId, type, publicKeyPem, now),
      noted("createApiKey", now, { accountId, type, publicKeyPem }),
    );
  }

  /** Synchronous: keys are immutable once created, so no commit can change the answer. */
  apiKey(apiKey: string): ApiKeyEntry | undefined {
    return this.state.accounts.key(apiKey);
  }

  /** The account's alias as the stream shows it (`i`); undefined for an unknown account. */
  alias(accountId: number): string | undefined {
    return this.state.accounts.get(accountId)?.alias;
  }

  account(accountId: number): Promise<AccountView | undefined> {
    return this.pipeline.read(() => {
      const account = this.state.accounts.get(accountId);
      return account && accountView(this.state, account);
    });
  }

  /** Accounts from `fromId` on, in id order, at most `limit` of them. */
  accountList(fromId: number, limit: number): Promise<AccountView[]> {
    return this.pipeline.read(() => accountList(this.state, fromId, limit));
  }

  // ---- account settings and money ----

  /** Hedge (true) or one-way (false) mode; refused while orders are open or positions held. */
  /** Fills an open order at its price against the house (the admin's forced fill). */
  forceFill(cmd: ForcedFillCommand): Promise<OrderView> {
    return this.pipeline.run(
      () => forceFill(this.state, this.pipeline, cmd),
      noted("forceFill", cmd.now, { ...cmd, symbol: cmd.symbol.symbol }),
    );
  }

  /** Checks the account's signed requests as if the venue clock were `ms` off. */
  setClockSkew(accountId: number, ms: number, now: number): Promise<void> {
    return this.pipeline.run(
      () => setClockSkew(this.state, this.pipeline, accountId, ms),
      noted("setClockSkew", now, { accountId, ms }),
    );
  }

  /** The account's clock skew, ms; committed or not (the signature check reads it). */
  clockSkew(accountId: number): number {
    return this.state.accounts.get(accountId)?.clockSkewMs ?? 0;
  }

  setDualSide(accountId: number, dualSide: boolean, now: number): Promise<void> {
    return this.pipeline.run(
      () => setDualSide(this.state, this.pipeline, accountId, dualSide),
      noted("setDualSide", now, { accountId, dualSide }),
    );
  }

  /** Sets the symbol's leverage (1 to the bracket's maximum); answers the position it allows. */
  setLeverage(
    accountId: number,
    spec: SymbolSpec,
    leverage: number,
    now: number,
  ): Promise<{ leverage: number; maxQty: number }> {
    return this.pipeline.run(
      () => setLeverage(this.state, this.pipeline, accountId, spec, leverage, now),
      noted("setLeverage", now, { accountId, symbol: spec.symbol, leverage }),
    );
  }

  /** Sets (ticks) or clears (undefined: back to the last trade) a symbol's mark price. */
  setMarkPrice(symbol: string, price: number | undefined, now: number): Promise<void> {
    return this.pipeline.run(
      () => setMarkPrice(this.state, this.pipeline, symbol, price, now),
      noted("setMarkPrice", now, { symbol, price: price ?? null }),
    );
  }

  /** Deposits (positive) or withdraws (negative, at most what is available) 10^-8 units of a coin. */
  adjustBalance(accountId: number, asset: string, delta: bigint, now: number): Promise<bigint> {
    return this.pipeline.run(
      () => adjustBalance(this.state, this.pipeline, accountId, asset, delta, now),
      noted("adjustBalance", now, { accountId, asset, delta: String(delta) }),
    );
  }

  /** The account's position mode, committed state. */
  dualSide(accountId: number): Promise<boolean> {
    return this.pipeline.read(() => this.state.accounts.get(accountId)?.dualSide ?? false);
  }

  leverage(accountId: number, symbol: string): number {
    return this.state.accounts.leverage(accountId, symbol);
  }

  /** The Portfolio Margin account in USD: equity, margins, uniMMR and its risk level, committed state. */
  portfolio(accountId: number): Promise<Portfolio & { readonly noted: RiskLevel }> {
    return this.pipeline.read(() => ({
      ...portfolioOf(this.state, accountId),
      noted: levelOf(this.state, accountId),
    }));
  }

  /** The account's auto-deleveraging quantile per position it holds (`symbol|positionSide`), committed state. */
  adlQuantiles(accountId: number): Promise<Map<string, number>> {
    return this.pipeline.read(() => adlQuantiles(this.state, accountId));
  }

  /** Everything the account endpoints show, from one committed state (queries.ts). */
  accountState(accountId: number): Promise<AccountState> {
    return this.pipeline.read(() => accountState(this.state, accountId));
  }

  // ---- orders ----

  place(cmd: PlaceCommand): Promise<OrderView> {
    return this.pipeline.run(
      () => place(this.state, this.pipeline, cmd),
      noted("place", cmd.now, { ...cmd, symbol: cmd.symbol.symbol }),
    );
  }

  cancel(cmd: CancelCommand): Promise<OrderView> {
    return this.pipeline.run(
      () => cancel(this.state, this.pipeline, cmd),
      noted("cancel", cmd.now, { ...cmd, symbol: cmd.symbol.symbol }),
    );
  }

  /** Cancels every open order of the account on the symbol; answers how many. */
  cancelAll(accountId: number, symbol: SymbolSpec, now: number): Promise<number> {
    return this.pipeline.run(
      () => cancelAll(this.state, this.pipeline, accountId, symbol, now),
      noted("cancelAll", now, { accountId, symbol: symbol.symbol }),
    );
  }

  modify(cmd: ModifyCommand): Promise<OrderView> {
    return this.pipeline.run(
      () => modify(this.state, this.pipeline, cmd),
      noted("modify", cmd.now, { ...cmd, symbol: cmd.symbol.symbol }),
    );
  }

  /** The admin's mark, else the one computed from the index, else the last trade price, else the book's mid, else none. */
  markPrice(symbol: string): number | undefined {
    return this.state.markPrice(symbol);
  }

  // ---- index, mark and funding (prices.ts, funding.ts, schedule.ts) ----

  /** Runs the venue's scheduled work due up to `now` (price steps, funding), in time order. */
  advance(now: number): Promise<void> {
    return this.pipeline.run(() => advance(this.state, this.pipeline, now), noted("advance", now, {}));
  }

  /** Sets (10^-8 USD) or clears (undefined) pairs' index prices and recomputes their symbols' marks. */
  setIndexPrices(prices: ReadonlyMap<string, number | undefined>, now: number): Promise<void> {
    return this.pipeline.run(
      () => setIndexPrices(this.state, this.pipeline, prices, now),
      noted("setIndexPrices", now, { prices: [...prices].map(([pair, p]) => [pair, p ?? null]) }),
    );
  }

  /** The symbol's mark, its pair's index and the funding rate so far; read inside `read`. */
  symbolPrices(spec: SymbolSpec): SymbolPriceInputs {
    return {
      mark: this.state.markPrice(spec.symbol),
      index8: this.state.prices.index.get(spec.pair),
      rate8: estimatedRate8(this.state, spec),
      settle8: settlementSoFar(this.state, spec.symbol),
    };
  }

  /** The pair's index (10^-8 USD), else undefined; read inside `read`. */
  indexPrice(pair: string): number | undefined {
    return this.state.prices.index.get(pair);
  }

  /** Index (by pair), mark or premium (by symbol) candles of an interval, committed state. */
  priceKlines(
    kind: PriceKind,
    name: string,
    interval: Interval,
    from: number,
    to: number,
    limit: number,
  ): Promise<Candle[]> {
    return this.pipeline.read(() => priceKlines(this.store, kind, name, interval, from, to, limit));
  }

  /** The perpetual's fundings in [from, to], oldest first, committed state. */
  fundings(symbol: string, from: number, to: number, limit: number, newest: boolean): Promise<FundingRow[]> {
    return this.pipeline.read(() => this.store.fundings(symbol, from, to, limit, newest));
  }

  /** An order's amendments in [from, to], newest first; the order by id or client id; committed state. */
  amendments(
    accountId: number,
    symbol: string,
    ref: OrderRef,
    from: number,
    to: number,
    limit: number,
  ): Promise<AmendmentRow[]> {
    return this.pipeline.read(() => {
      const orderId =
        ref.orderId ??
        (ref.clientOrderId === undefined
          ? undefined
          : this.store.orderByClientId(accountId, symbol, ref.clientOrderId)?.id);
      return orderId === undefined ? [] : this.store.amendments(accountId, orderId, from, to, limit);
    });
  }

  /** The account's incomes, oldest first, each with its coin, committed state. */
  incomes(query: IncomeQuery): Promise<IncomeRow[]> {
    return this.pipeline.read(() =>
      this.store
        .incomes(query)
        .map((r) => (r.asset === "" ? { ...r, asset: findSymbol(r.symbol)?.marginAsset ?? "" } : r)),
    );
  }

  // ---- conditional orders (conditional.ts) ----

  placeStrategy(cmd: StrategyCommand): Promise<Strategy> {
    return this.pipeline.run(
      () => placeStrategy(this.state, this.pipeline, cmd),
      noted("placeStrategy", cmd.now, { ...cmd, symbol: cmd.symbol.symbol }),
    );
  }

  /** Cancels an armed strategy by id or client id; -2011 when there is none. */
  cancelStrategy(accountId: number, symbol: string, ref: StrategyRef, now: number): Promise<Strategy> {
    return this.pipeline.run(
      () => {
        const s = findArmed(this.state, accountId, symbol, ref);
        if (!s) throw new VenueError("CANCEL_REJECTED");
        return cancelStrategy(this.state, this.pipeline, s, now);
      },
      noted("cancelStrategy", now, { accountId, symbol, ref }),
    );
  }

  cancelAllStrategies(accountId: number, symbol: string, now: number): Promise<number> {
    return this.pipeline.run(
      () => cancelAllStrategies(this.state, this.pipeline, accountId, symbol, now),
      noted("cancelAllStrategies", now, { accountId, symbol }),
    );
  }

  /** An armed strategy, committed state. */
  openStrategy(accountId: number, symbol: string, ref: StrategyRef): Promise<Strategy | undefined> {
    return this.pipeline.read(() => {
      const s = findArmed(this.state, accountId, symbol, ref);
      return s && { ...s };
    });
  }

  /** The account's armed strategies (on one symbol, or all), oldest first, committed state. */
  openStrategies(accountId: number, symbol: string | undefined): Promise<Strategy[]> {
    return this.pipeline.read(() =>
      [...this.state.strategies.values()]
        .filter((s) => s.accountId === accountId && (symbol === undefined || s.symbol === symbol))
        .sort((a, b) => a.id - b.id)
        .map((s) => ({ ...s })),
    );
  }

  /** A strategy in any state, with the order it placed, committed state. */
  strategy(
    accountId: number,
    symbol: string,
    ref: StrategyRef,
  ): Promise<{ strategy: Strategy; order: Order | undefined } | undefined> {
    return this.pipeline.read(() => {
      const s =
        ref.strategyId !== undefined
          ? this.store.strategyById(accountId, ref.strategyId)
          : this.store.strategyByClientId(accountId, symbol, ref.clientStrategyId ?? "");
      if (!s || s.symbol !== symbol) return undefined;
      return { strategy: s, order: s.orderId > 0 ? this.store.orderById(accountId, s.orderId) : undefined };
    });
  }

  /** The account's strategies booked in a window, oldest first, committed state. */
  strategies(q: StrategyQuery): Promise<Strategy[]> {
    return this.pipeline.read(() => this.store.strategies(q));
  }

  // ---- queries (committed state only) ----

  /** GET order: open orders from memory, finished ones from the store; pruned ones are gone. */
  queryOrder(accountId: number, symbol: string, ref: OrderRef, now: number): Promise<OrderView | undefined> {
    return this.pipeline.read(() => queryOrder(this.state, this.store, accountId, symbol, ref, now));
  }

  queryOpenOrder(accountId: number, symbol: string, ref: OrderRef): Promise<OrderView | undefined> {
    return this.pipeline.read(() => {
      const open = this.state.findOpen(accountId, symbol, ref);
      return open ? viewOf(open) : undefined;
    });
  }

  /** Open orders of the account on the given symbols (all when undefined), ascending id. */
  openOrders(accountId: number, symbols: readonly string[] | undefined): Promise<OrderView[]> {
    return this.pipeline.read(() => openOrders(this.state, accountId, symbols));
  }

  allOrders(q: Parameters<Store["orders"]>[0], now: number): Promise<OrderView[]> {
    return this.pipeline.read(() => allOrders(this.store, q, now));
  }

  /** A symbol's fills over [from, to], committed state. */
  tradeStats(symbol: string, from: number, to: number): Promise<TradeStats | undefined> {
    return this.pipeline.read(() => this.store.tradeStats(symbol, from, to));
  }

  userTrades(q: Parameters<Store["trades"]>[0]): Promise<TradeRow[]> {
    return this.pipeline.read(() => this.store.trades(q));
  }

  /** Best levels of a symbol's book with its last update id and that change's time, committed state. */
  depth(symbol: string, limit: number) {
    return this.pipeline.read(() => {
      const update = this.state.bookUpdate(symbol);
      return {
        lastUpdateId: update.id,
        time: update.time,
        bids: this.state.engine.depth(symbol, "BUY", limit),
        asks: this.state.engine.depth(symbol, "SELL", limit),
      };
    });
  }

  /** Contracts held long on the symbol across every account, committed state. */
  openInterest(symbol: string): Promise<number> {
    return this.pipeline.read(() => this.state.accounts.openInterest(symbol));
  }

  /** The symbol's market trades, oldest first (the store's), committed state. */
  marketTrades(q: MarketTradeQuery): Promise<MarketTrade[]> {
    return this.pipeline.read(() => this.store.marketTrades(q));
  }

  /** The symbol's candles of an interval opening in [from, to], the last `limit` of them, committed state. */
  klines(symbol: string, interval: Interval, from: number, to: number, limit: number): Promise<Candle[]> {
    return this.pipeline.read(() => klines(this.store, symbol, interval, from, to, limit));
  }

  /**
   * The pair's statistics at the close of each period of `interval`, the last `limit` in
   * the range and the last 30 days, committed state (pair-stats.ts).
   */
  pairStats(
    pair: string,
    interval: Interval,
    range: { startTime?: number | undefined; endTime?: number | undefined },
    limit: number,
    now: number,
  ): Promise<PairStats[]> {
    return this.pipeline.read(() =>
      pairStatsSeries(this.state, this.store, pair, interval, range, limit, now),
    );
  }

  /** The symbol's aggregate trades, oldest first, committed state. */
  aggTrades(q: AggTradeQuery): Promise<AggTrade[]> {
    return this.pipeline.read(() => this.store.aggTrades(q));
  }

  /** The symbol's last trade (price in ticks, time), committed state; undefined before the first. */
  lastTrade(symbol: string): Promise<{ price: number; time: number } | undefined> {
    return this.pipeline.read(() => lastTrade(this.state, symbol));
  }

  /** The quarterlies delivered at or after `time`, in delivery order, committed state. */
  deliveredSince(time: number): Promise<SymbolSpec[]> {
    return this.pipeline.read(() =>
      [...this.state.prices.delivered]
        .filter(([, d]) => d.time >= time)
        .sort((a, b) => a[1].time - b[1].time)
        .flatMap(([symbol]) => findSymbol(symbol) ?? []),
    );
  }

  /** The contracts listed at `now` (domain/symbols.ts); without a time, the table's. */
  symbols(now?: number): SymbolSpec[] {
    return listSymbols(now);
  }

  symbol(name: string): SymbolSpec | undefined {
    return findSymbol(name);
  }
}
