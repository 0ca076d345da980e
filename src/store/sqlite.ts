// SQLite store (better-sqlite3), the embedded default. WAL journal; `synchronous=FULL`
// by default, so a committed batch survives a power cut as well as a kill -9 (NORMAL
// survives kill -9 only, and is the faster setting for load tests). Each batch is one
// transaction (group commit): its cost is one WAL append and one fsync however many
// commands it carries. Orders are upserted with their final state of the batch; trades
// are appended, one row per side of a fill. The file holds HMAC secrets, so it is made
// readable by its owner only (its WAL and shared-memory files take the same mode).

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Candle } from "../domain/candles.js";
import type { Strategy } from "../domain/conditional.js";
import {
  BASE_SCALE,
  type Order,
  type OrderStatus,
  type OrderType,
  type PositionSide,
  type PriceMatch,
  type Side,
  type TimeInForce,
} from "../domain/order.js";
import type { PairStats } from "../domain/pair-stats.js";
import { AMENDMENT_TABLE, AmendmentTable } from "./amendment-table.js";
import { CANDLES_TABLE, CandleTable } from "./candle-table.js";
import { clientKey } from "./client-key.js";
import { INCOME_TABLE, IncomeTable } from "./income-table.js";
import { JOURNAL_TABLE, JournalFile, JournalTable } from "./journal-table.js";
import { BACKFILL_AGGREGATES, MARKET_TRADES_INDEX, MarketTrades } from "./market-trades.js";
import { PAIR_STATS_TABLE, PairStatsTable } from "./pair-stats-table.js";
import { PRICE_TABLES, PriceTable } from "./price-table.js";
import {
  ADDED_COLUMNS,
  INDEXES,
  moveToLayout,
  type OrderColumns,
  type OrderRecord,
  placedBy,
  SCHEMA,
  selection,
  type TradeRecord,
  toOrder,
  toTrade,
} from "./sqlite-layout.js";
import type {
  AccountRow,
  AggTrade,
  AggTradeQuery,
  AmendmentRow,
  ApiKeyRow,
  BalanceRow,
  Batch,
  Counters,
  FundingRow,
  IncomeQuery,
  IncomeRow,
  JournalRow,
  KeyType,
  LeverageRow,
  MarketTrade,
  MarketTradeQuery,
  OrderQuery,
  PositionRow,
  PriceKind,
  Snapshot,
  Store,
  TradeQuery,
  TradeRow,
  TradeStats,
} from "./store.js";
import { STRATEGY_TABLE, type StrategyQuery, StrategyTable } from "./strategy-table.js";

export interface SqliteOptions {
  /** "FULL" (default) survives power loss; "NORMAL" survives process crashes only. */
  readonly synchronous?: "FULL" | "NORMAL";
}

export const DATABASE_FILE = "venue.db";

/** Another data folder's journal, read-only, while a venue may run on it. */
export function openJournal(dataDir: string): JournalFile {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new Error(`${dataDir} holds no venue (no ${DATABASE_FILE})`);
  return new JournalFile(file, (f) => new Database(f, { readonly: true, fileMustExist: true }));
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<SqliteStore["prepare"]>;
  private market!: MarketTrades;
  private candleTable!: CandleTable;
  private pairStatsTable!: PairStatsTable;
  private priceTable!: PriceTable;
  private incomeTable!: IncomeTable;
  private amendmentTable!: AmendmentTable;
  private journalTable!: JournalTable;
  private strategyTable!: StrategyTable;
  private readonly commitTx: (batch: Batch) => void;
  /** Each symbol's code in `books`, as committed. */
  private readonly books = new Map<string, number>();
  /** Codes given out by the transaction in progress; kept only if it commits. */
  private readonly newBooks = new Map<string, number>();
  /** Orders with a lower id were written by an earlier commit (or never will be). */
  private storedBelow = 0;

  constructor(dataDir: string, options: SqliteOptions = {}) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, DATABASE_FILE);
    this.db = new Database(file);
    try {
      this.stmt = this.prepare(options);
    } catch (error) {
      // A file that is not a database, or cannot be read: close it, so that the caller
      // can remove or report it without a handle left open.
      this.db.close();
      throw error;
    }
    this.commitTx = this.db.transaction((batch: Batch) => this.write(batch));
  }

  /** Sets the connection up, brings the schema to this version's, and prepares the statements. */
  private prepare(options: SqliteOptions) {
    const file = this.db.name;
    // A first read: a file that is not a database is refused here, before anything changes it.
    this.db.pragma("schema_version");
    // Before WAL mode creates the -wal and -shm files, which copy the database's mode.
    fs.chmodSync(file, 0o600);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
    this.db.pragma("busy_timeout = 2000");
    // Checkpoints run inside commits; doing them every 10,000 pages instead of 1,000 keeps
    // them off most batches (the WAL may grow to ~40 MB between them).
    this.db.pragma("wal_autocheckpoint = 10000");
    const db = this.db;
    const hadCandles = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'candles'").get() !== undefined;
    db.exec(SCHEMA);
    db.exec(CANDLES_TABLE);
    db.exec(PAIR_STATS_TABLE);
    db.exec(PRICE_TABLES);
    db.exec(INCOME_TABLE);
    db.exec(AMENDMENT_TABLE);
    db.exec(JOURNAL_TABLE);
    db.exec(STRATEGY_TABLE);
    const added = new Set<string>();
    for (const [table, column, definition] of ADDED_COLUMNS) {
      const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
      if (!columns.some((c) => c.name === column)) {
        db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
        added.add(`${table}.${column}`);
      }
    }
    moveToLayout(db);
    if (added.has("trades.agg_id")) db.exec(BACKFILL_AGGREGATES);
    db.exec(INDEXES);
    db.exec(MARKET_TRADES_INDEX);
    this.market = new MarketTrades(db);
    this.candleTable = new CandleTable(db);
    this.pairStatsTable = new PairStatsTable(db);
    this.priceTable = new PriceTable(db);
    this.incomeTable = new IncomeTable(db);
    this.amendmentTable = new AmendmentTable(db);
    this.journalTable = new JournalTable(db);
    this.strategyTable = new StrategyTable(db);
    if (!hadCandles) db.transaction(() => this.candleTable.backfill())();
    for (const r of db.prepare<[], { code: number; symbol: string }>("SELECT code, symbol FROM books").all())
      this.books.set(r.symbol, r.code);
    this.storedBelow =
      (db.prepare<[], { m: number | null }>("SELECT MAX(id) AS m FROM orders").get()?.m ?? 0) + 1;
    return {
      meta: db.prepare<[string, number]>(
        "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      ),
      account: db.prepare<[number, string, number, number, string | null]>(
        "INSERT INTO accounts (id, alias, created_at, dual_side, house) VALUES (?, ?, ?, ?, ?)",
      ),
      mode: db.prepare<[number, number]>("UPDATE accounts SET dual_side = ? WHERE id = ?"),
      clockSkew: db.prepare<[number, number]>("UPDATE accounts SET clock_skew = ? WHERE id = ?"),
      leverage: db.prepare<[number, string, number]>(
        `INSERT INTO leverages (account_id, symbol, leverage) VALUES (?, ?, ?)
         ON CONFLICT (account_id, symbol) DO UPDATE SET leverage = excluded.leverage`,
      ),
      mark: db.prepare<[string, number]>(
        "INSERT INTO marks (symbol, price) VALUES (?, ?) ON CONFLICT (symbol) DO UPDATE SET price = excluded.price",
      ),
      unmark: db.prepare<[string]>("DELETE FROM marks WHERE symbol = ?"),
      marketState: db.prepare<[string, string]>(
        "INSERT INTO market_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      ),
      apiKey: db.prepare<[string, number, string, string, string, number]>(
        "INSERT INTO api_keys (api_key, account_id, type, secret, public_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      balance: db.prepare<[number, string, string, number]>(
        `INSERT INTO balances (account_id, asset, units, update_time) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, asset) DO UPDATE SET units = excluded.units, update_time = excluded.update_time`,
      ),
      position: db.prepare<[number, string, string, number, string, string, number]>(
        `INSERT INTO positions (account_id, symbol, position_side, amount, entry_acc, realized, update_time)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, symbol, position_side)
         DO UPDATE SET amount = excluded.amount, entry_acc = excluded.entry_acc, realized = excluded.realized,
           update_time = excluded.update_time`,
      ),
      book: db.prepare<[string]>("INSERT INTO books (symbol) VALUES (?)"),
      order: db.prepare(
        `INSERT INTO orders (id, account_id, symbol, side, type, time_in_force, price, orig_qty, executed_qty, base_acc,
           status, client_order_id, reduce_only, position_side, time, update_time, seq, active, book, client_key,
           price_match, strategy_id, strategy_type)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET price = excluded.price, orig_qty = excluded.orig_qty,
           executed_qty = excluded.executed_qty, base_acc = excluded.base_acc, status = excluded.status,
           update_time = excluded.update_time, seq = excluded.seq, active = excluded.active,
           price_match = excluded.price_match`,
      ),
      orderChange: db.prepare<
        [number, number, number, string, string, number, number, number, string | null, number]
      >(
        `UPDATE orders SET price = ?, orig_qty = ?, executed_qty = ?, base_acc = ?, status = ?, update_time = ?,
           seq = ?, active = ?, price_match = ? WHERE id = ?`,
      ),
      trade: db.prepare(
        `INSERT INTO trades (trade_id, account_id, order_id, symbol, side, position_side, price, qty, maker, time,
           realized_pnl, commission, book, agg_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      orderById: db.prepare<[number, number], OrderRecord>(
        "SELECT * FROM orders WHERE id = ? AND account_id = ?",
      ),
      orderByClientId: db.prepare<[number, number, string, string], OrderRecord>(
        `SELECT * FROM orders WHERE account_id = ? AND client_key = ? AND symbol = ? AND client_order_id = ?
         ORDER BY id DESC LIMIT 1`,
      ),
    };
  }

  load(): Snapshot {
    const db = this.db;
    const meta = new Map(
      db
        .prepare<[], { name: string; value: number }>("SELECT name, value FROM meta")
        .all()
        .map((r) => [r.name, r.value] as const),
    );
    const accounts = db
      .prepare<
        [],
        {
          id: number;
          alias: string;
          created_at: number;
          dual_side: number;
          house: string | null;
          clock_skew: number;
        }
      >("SELECT * FROM accounts ORDER BY id")
      .all()
      .map(
        (r): AccountRow => ({
          id: r.id,
          alias: r.alias,
          createdAt: r.created_at,
          dualSide: r.dual_side === 1,
          house: r.house ?? undefined,
          clockSkewMs: r.clock_skew,
        }),
      );
    const leverages = db
      .prepare<[], { account_id: number; symbol: string; leverage: number }>("SELECT * FROM leverages")
      .all()
      .map((r): LeverageRow => ({ accountId: r.account_id, symbol: r.symbol, leverage: r.leverage }));
    const marks = db.prepare<[], { symbol: string; price: number }>("SELECT symbol, price FROM marks").all();
    const marketState = new Map(
      db
        .prepare<[], { name: string; value: string }>("SELECT name, value FROM market_state")
        .all()
        .map((r) => [r.name, r.value] as const),
    );
    const apiKeys = db
      .prepare<
        [],
        {
          api_key: string;
          account_id: number;
          type: string;
          secret: string;
          public_key: string;
          created_at: number;
        }
      >("SELECT * FROM api_keys ORDER BY created_at, api_key")
      .all()
      .map(
        (r): ApiKeyRow => ({
          apiKey: r.api_key,
          accountId: r.account_id,
          type: r.type as KeyType,
          secret: r.secret,
          publicKey: r.public_key,
          createdAt: r.created_at,
        }),
      );
    const balances = db
      .prepare<[], { account_id: number; asset: string; units: string; update_time: number }>(
        "SELECT * FROM balances ORDER BY account_id, asset",
      )
      .all()
      .map(
        (r): BalanceRow => ({
          accountId: r.account_id,
          asset: r.asset,
          units: BigInt(r.units),
          updateTime: r.update_time,
        }),
      );
    const positions = db
      .prepare<
        [],
        {
          account_id: number;
          symbol: string;
          position_side: string;
          amount: number;
          entry_acc: string;
          realized: string;
          update_time: number;
        }
      >("SELECT * FROM positions")
      .all()
      .map(
        (r): PositionRow => ({
          accountId: r.account_id,
          symbol: r.symbol,
          positionSide: r.position_side as PositionSide,
          amount: r.amount,
          entryAcc: BigInt(r.entry_acc),
          realized: BigInt(r.realized),
          updateTime: r.update_time,
        }),
      );
    const activeOrders = this.activeOrders();
    const lastPrices = db
      .prepare<[], { symbol: string; price: number; time: number }>(
        `SELECT t.symbol, t.price, t.time FROM trades t
         JOIN (SELECT symbol, MAX(trade_id) AS id FROM trades GROUP BY symbol) l ON l.symbol = t.symbol AND l.id = t.trade_id
         GROUP BY t.symbol`,
      )
      .all()
      .map((r) => ({ symbol: r.symbol, price: r.price, time: r.time }));
    const maxOf = (sql: string): number => (db.prepare<[], { m: number | null }>(sql).get()?.m ?? 0) + 1;
    // The counters are written with every batch; the maxima guard a store written before they existed.
    const counters: Counters = {
      nextOrderId: Math.max(meta.get("nextOrderId") ?? 1, maxOf("SELECT MAX(id) AS m FROM orders")),
      nextTradeId: Math.max(meta.get("nextTradeId") ?? 1, maxOf("SELECT MAX(trade_id) AS m FROM trades")),
      nextSeq: Math.max(meta.get("nextSeq") ?? 1, maxOf("SELECT MAX(seq) AS m FROM orders")),
      nextAccountId: Math.max(meta.get("nextAccountId") ?? 1, maxOf("SELECT MAX(id) AS m FROM accounts")),
      nextUpdateId: meta.get("nextUpdateId") ?? 1,
      nextAggTradeId: Math.max(meta.get("nextAggTradeId") ?? 1, maxOf("SELECT MAX(agg_id) AS m FROM trades")),
      nextIncomeId: Math.max(meta.get("nextIncomeId") ?? 1, maxOf("SELECT MAX(id) AS m FROM incomes")),
      nextStrategyId: Math.max(meta.get("nextStrategyId") ?? 1, maxOf("SELECT MAX(id) AS m FROM strategies")),
      nextJournalSeq: Math.max(meta.get("nextJournalSeq") ?? 1, this.journalTable.nextSeq()),
    };
    const lastCandles = this.candleTable.lastCandles();
    return {
      accounts,
      apiKeys,
      balances,
      positions,
      leverages,
      marks,
      marketState,
      activeOrders,
      lastPrices,
      lastCandles,
      pairStatsTime: this.pairStatsTable.newestTime(),
      lastPriceCandles: this.priceTable.lastCandles(),
      lastFundings: this.priceTable.lastFundings(),
      armedStrategies: this.strategyTable.armed(),
      priceState: this.priceTable.state(),
      counters,
    };
  }

  /**
   * The open orders in time priority. Rows come as arrays (no object per row for the
   * driver to build and the collector to drop) and the usual zero base_acc skips BigInt:
   * on a million open orders this is most of a restart.
   */
  private activeOrders(): Order[] {
    const rows = this.db
      .prepare<[], unknown[]>(
        `SELECT id, account_id, symbol, side, type, time_in_force, price, orig_qty, executed_qty, base_acc, status,
           client_order_id, reduce_only, position_side, time, update_time, seq, price_match, strategy_id, strategy_type
         FROM orders WHERE active = 1 ORDER BY seq`,
      )
      .raw();
    const orders: Order[] = [];
    for (const r of rows.iterate() as IterableIterator<OrderColumns>) {
      orders.push({
        id: r[0],
        accountId: r[1],
        symbol: r[2],
        side: r[3] as Side,
        type: r[4] as OrderType,
        timeInForce: r[5] as TimeInForce,
        price: r[6],
        origQty: r[7],
        executedQty: r[8],
        baseAcc: r[9] === "0" ? 0n : BigInt(r[9]),
        status: r[10] as OrderStatus,
        clientOrderId: r[11],
        reduceOnly: r[12] === 1,
        positionSide: r[13] as PositionSide,
        time: r[14],
        updateTime: r[15],
        seq: r[16],
        priceMatch: (r[17] ?? undefined) as PriceMatch | undefined,
        placedBy: placedBy(r[18], r[19]),
        prev: null,
        next: null,
      });
    }
    return orders;
  }

  commit(batch: Batch): void {
    try {
      this.commitTx(batch);
      for (const [symbol, code] of this.newBooks) this.books.set(symbol, code);
      this.storedBelow = batch.counters.nextOrderId;
    } finally {
      this.newBooks.clear();
    }
  }

  /** The symbol's book code, given out inside the running transaction if it has none yet. */
  private bookOf(symbol: string): number {
    const code = this.books.get(symbol) ?? this.newBooks.get(symbol);
    if (code !== undefined) return code;
    const added = Number(this.stmt.book.run(symbol).lastInsertRowid);
    this.newBooks.set(symbol, added);
    return added;
  }

  /** The book codes of the symbols that have one; symbols never written have no rows. */
  private codesOf(symbols: readonly string[]): number[] {
    const codes: number[] = [];
    for (const s of symbols) {
      const code = this.books.get(s);
      if (code !== undefined) codes.push(code);
    }
    return codes;
  }

  private write(batch: Batch): void {
    const s = this.stmt;
    for (const a of batch.accounts)
      s.account.run(a.id, a.alias, a.createdAt, a.dualSide ? 1 : 0, a.house ?? null);
    for (const [accountId, dualSide] of batch.modes) s.mode.run(dualSide ? 1 : 0, accountId);
    for (const [accountId, ms] of batch.clockSkews) s.clockSkew.run(ms, accountId);
    for (const l of batch.leverages) s.leverage.run(l.accountId, l.symbol, l.leverage);
    for (const [symbol, price] of batch.marks) {
      if (price === null) s.unmark.run(symbol);
      else s.mark.run(symbol, price);
    }
    for (const [name, value] of batch.marketState) s.marketState.run(name, value);
    for (const k of batch.apiKeys)
      s.apiKey.run(k.apiKey, k.accountId, k.type, k.secret, k.publicKey, k.createdAt);
    for (const b of batch.balances) s.balance.run(b.accountId, b.asset, b.units.toString(), b.updateTime);
    for (const p of batch.positions) {
      const { accountId, symbol, positionSide, amount, entryAcc, realized, updateTime } = p;
      s.position.run(
        accountId,
        symbol,
        positionSide,
        amount,
        entryAcc.toString(),
        realized.toString(),
        updateTime,
      );
    }
    for (const o of batch.orders) {
      const active = o.status === "NEW" || o.status === "PARTIALLY_FILLED" ? 1 : 0;
      const baseAcc = o.baseAcc === 0n ? "0" : o.baseAcc.toString();
      // An order written before changes in place: only what can change is bound and set.
      if (
        o.id < this.storedBelow &&
        s.orderChange.run(
          o.price,
          o.origQty,
          o.executedQty,
          baseAcc,
          o.status,
          o.updateTime,
          o.seq,
          active,
          o.priceMatch ?? null,
          o.id,
        ).changes === 1
      )
        continue;
      // Positional binding: a named-parameter object per row costs more than the row's insert.
      s.order.run(
        o.id,
        o.accountId,
        o.symbol,
        o.side,
        o.type,
        o.timeInForce,
        o.price,
        o.origQty,
        o.executedQty,
        baseAcc,
        o.status,
        o.clientOrderId,
        o.reduceOnly ? 1 : 0,
        o.positionSide,
        o.time,
        o.updateTime,
        o.seq,
        active,
        this.bookOf(o.symbol),
        clientKey(o.clientOrderId),
        o.priceMatch ?? null,
        o.placedBy?.id ?? null,
        o.placedBy?.type ?? null,
      );
    }
    for (const t of batch.trades) {
      s.trade.run(
        t.tradeId,
        t.accountId,
        t.orderId,
        t.symbol,
        t.side,
        t.positionSide,
        t.price,
        t.qty,
        t.maker ? 1 : 0,
        t.time,
        t.realizedPnl.toString(),
        t.commission.toString(),
        this.bookOf(t.symbol),
        t.aggId,
      );
    }
    for (const candle of batch.candles) this.candleTable.write(this.bookOf(candle.symbol), candle);
    for (const stats of batch.pairStats) this.pairStatsTable.write(stats);
    for (const candle of batch.priceCandles) this.priceTable.writeCandle(candle);
    for (const funding of batch.fundings) this.priceTable.writeFunding(funding);
    for (const [name, value] of batch.priceState) this.priceTable.writeState(name, value);
    for (const income of batch.incomes) this.incomeTable.write(income);
    for (const amendment of batch.amendments) this.amendmentTable.write(amendment);
    for (const row of batch.journal) this.journalTable.write(row);
    for (const strategy of batch.strategies) this.strategyTable.write(strategy);
    const c = batch.counters;
    s.meta.run("nextOrderId", c.nextOrderId);
    s.meta.run("nextTradeId", c.nextTradeId);
    s.meta.run("nextSeq", c.nextSeq);
    s.meta.run("nextAccountId", c.nextAccountId);
    s.meta.run("nextUpdateId", c.nextUpdateId);
    s.meta.run("nextAggTradeId", c.nextAggTradeId);
    s.meta.run("nextIncomeId", c.nextIncomeId);
    s.meta.run("nextStrategyId", c.nextStrategyId);
    s.meta.run("nextJournalSeq", c.nextJournalSeq);
  }

  orderById(accountId: number, orderId: number): Order | undefined {
    const r = this.stmt.orderById.get(orderId, accountId);
    return r ? toOrder(r) : undefined;
  }

  orderByClientId(accountId: number, symbol: string, clientOrderId: string): Order | undefined {
    const r = this.stmt.orderByClientId.get(accountId, clientKey(clientOrderId), symbol, clientOrderId);
    return r ? toOrder(r) : undefined;
  }

  orders(q: OrderQuery): Order[] {
    const symbols = q.symbols ?? (q.symbol ? [q.symbol] : []);
    const { where, args } = selection(
      "id",
      "time",
      q.accountId,
      this.codesOf(symbols),
      q.fromOrderId,
      q.startTime,
      q.endTime,
    );
    const newestFirst = q.fromOrderId === undefined && q.startTime === undefined;
    const closes = {
      LIQUIDATION: " AND client_order_id LIKE 'autoclose-%'",
      ADL: " AND client_order_id LIKE 'adl\\_autoclose%' ESCAPE '\\'",
      ANY: " AND (client_order_id LIKE 'autoclose-%' OR client_order_id LIKE 'adl\\_autoclose%' ESCAPE '\\')",
    };
    const only = q.autoClose === undefined ? "" : closes[q.autoClose];
    const sql = `SELECT * FROM orders WHERE ${where}${only} ORDER BY id ${newestFirst ? "DESC" : "ASC"} LIMIT ?`;
    const rows = this.db.prepare<unknown[], OrderRecord>(sql).all(...args, q.limit);
    if (newestFirst) rows.reverse();
    return rows.map(toOrder);
  }

  trades(q: TradeQuery): TradeRow[] {
    const { where, args } = selection(
      "trade_id",
      "time",
      q.accountId,
      this.codesOf(q.symbols),
      q.fromId,
      q.startTime,
      q.endTime,
    );
    const newestFirst = q.fromId === undefined && q.startTime === undefined;
    const sql = `SELECT * FROM trades WHERE ${where} ORDER BY trade_id ${newestFirst ? "DESC" : "ASC"}, order_id LIMIT ?`;
    const rows = this.db.prepare<unknown[], TradeRecord>(sql).all(...args, q.limit);
    if (newestFirst) rows.reverse();
    return rows.map(toTrade);
  }

  /**
   * The live connection, for fault-injection tests only (a full disk through
   * `max_page_count`, a read-only store through `query_only`, a lock's timeout through
   * `busy_timeout`); the venue never uses it.
   */
  get connection(): Database.Database {
    return this.db;
  }

  marketTrades(q: MarketTradeQuery): MarketTrade[] {
    return this.market.trades(this.books.get(q.symbol), q);
  }

  aggTrades(q: AggTradeQuery): AggTrade[] {
    return this.market.aggregates(this.books.get(q.symbol), q);
  }

  candles(symbol: string, from: number, to: number): Candle[] {
    return this.candleTable.candles(this.books.get(symbol), from, to);
  }

  priceCandles(kind: PriceKind, name: string, from: number, to: number): Candle[] {
    return this.priceTable.candles(kind, name, from, to);
  }

  priceCandleBefore(kind: PriceKind, name: string, time: number): Candle | undefined {
    return this.priceTable.candleBefore(kind, name, time);
  }

  fundings(symbol: string, from: number, to: number, limit: number, newest: boolean): FundingRow[] {
    return this.priceTable.fundings(symbol, from, to, limit, newest);
  }

  strategyById(accountId: number, id: number): Strategy | undefined {
    return this.strategyTable.find(accountId, id);
  }

  strategyByClientId(accountId: number, symbol: string, clientId: string): Strategy | undefined {
    return this.strategyTable.findByClientId(accountId, symbol, clientId);
  }

  strategies(query: StrategyQuery): Strategy[] {
    return this.strategyTable.list(query);
  }

  journal(fromSeq: number, limit: number): JournalRow[] {
    return this.journalTable.read(fromSeq, limit);
  }

  amendments(accountId: number, orderId: number, from: number, to: number, limit: number): AmendmentRow[] {
    return this.amendmentTable.read(accountId, orderId, from, to, limit);
  }

  incomes(query: IncomeQuery): IncomeRow[] {
    return this.incomeTable.read(query);
  }

  pairStats(pair: string, from: number, to: number): PairStats[] {
    return this.pairStatsTable.read(pair, from, to);
  }

  firstTradeTime(symbol: string): number | undefined {
    return this.pairStatsTable.firstTradeTime(this.books.get(symbol));
  }

  candleBefore(symbol: string, time: number): Candle | undefined {
    return this.candleTable.candleBefore(this.books.get(symbol), time);
  }

  tradeStats(symbol: string, from: number, to: number): TradeStats | undefined {
    // Each fill is stored once per side; the maker's row stands for the fill.
    const rows = this.db
      .prepare<[string, number, number], { trade_id: number; price: number; qty: number }>(
        `SELECT trade_id, price, qty FROM trades WHERE symbol = ? AND maker = 1 AND time >= ? AND time <= ?
         ORDER BY trade_id`,
      )
      .iterate(symbol, from, to);
    let stats: { -readonly [K in keyof TradeStats]: TradeStats[K] } | undefined;
    for (const r of rows) {
      const value = (BigInt(r.qty) * BASE_SCALE) / BigInt(r.price);
      if (!stats) {
        stats = {
          count: 0,
          firstId: r.trade_id,
          lastId: 0,
          open: r.price,
          high: r.price,
          low: r.price,
          last: 0,
          lastQty: 0,
          volume: 0,
          baseAcc: 0n,
        };
      }
      stats.count++;
      stats.lastId = r.trade_id;
      stats.high = Math.max(stats.high, r.price);
      stats.low = Math.min(stats.low, r.price);
      stats.last = r.price;
      stats.lastQty = r.qty;
      stats.volume += r.qty;
      stats.baseAcc += value;
    }
    return stats;
  }

  close(): void {
    this.db.close();
  }
}
