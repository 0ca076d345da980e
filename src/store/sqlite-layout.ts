// The SQLite layout: the tables and indexes of the core records (orders, trades,
// accounts, keys, balances, positions), the columns added since their first release, the
// move of an older store to the current layout, and the row shapes of orders and trades
// with their conversion to the venue's records. sqlite.ts opens, writes and reads them;
// the other tables live in files of their own beside it.

import type Database from "better-sqlite3";
import type {
  Order,
  OrderStatus,
  OrderType,
  PlacedBy,
  PositionSide,
  PriceMatch,
  Side,
  StrategyType,
  TimeInForce,
} from "../domain/order.js";
import { clientKey } from "./client-key.js";
import type { TradeRow } from "./store.js";

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS accounts (
  id INTEGER PRIMARY KEY, alias TEXT NOT NULL, created_at INTEGER NOT NULL, dual_side INTEGER NOT NULL DEFAULT 0,
  house TEXT, clock_skew INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE TABLE IF NOT EXISTS leverages (
  account_id INTEGER NOT NULL, symbol TEXT NOT NULL, leverage INTEGER NOT NULL, PRIMARY KEY (account_id, symbol)) STRICT;
CREATE TABLE IF NOT EXISTS marks (symbol TEXT PRIMARY KEY, price INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS market_state (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS api_keys (
  api_key TEXT PRIMARY KEY, account_id INTEGER NOT NULL, type TEXT NOT NULL,
  secret TEXT NOT NULL, public_key TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS balances (
  account_id INTEGER NOT NULL, asset TEXT NOT NULL, units TEXT NOT NULL, update_time INTEGER NOT NULL,
  PRIMARY KEY (account_id, asset)) STRICT;
CREATE TABLE IF NOT EXISTS positions (
  account_id INTEGER NOT NULL, symbol TEXT NOT NULL, position_side TEXT NOT NULL, amount INTEGER NOT NULL,
  entry_acc TEXT NOT NULL, realized TEXT NOT NULL DEFAULT '0', update_time INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (account_id, symbol, position_side)) STRICT;
CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL,
  type TEXT NOT NULL, time_in_force TEXT NOT NULL, price INTEGER NOT NULL, orig_qty INTEGER NOT NULL,
  executed_qty INTEGER NOT NULL, base_acc TEXT NOT NULL, status TEXT NOT NULL, client_order_id TEXT NOT NULL,
  reduce_only INTEGER NOT NULL, position_side TEXT NOT NULL, time INTEGER NOT NULL, update_time INTEGER NOT NULL,
  seq INTEGER NOT NULL, active INTEGER NOT NULL, book INTEGER NOT NULL DEFAULT 0,
  client_key INTEGER NOT NULL DEFAULT 0, price_match TEXT, strategy_id INTEGER, strategy_type TEXT) STRICT;
CREATE INDEX IF NOT EXISTS orders_active ON orders (active, seq) WHERE active = 1;
CREATE TABLE IF NOT EXISTS trades (
  trade_id INTEGER NOT NULL, account_id INTEGER NOT NULL, order_id INTEGER NOT NULL, symbol TEXT NOT NULL,
  side TEXT NOT NULL, position_side TEXT NOT NULL, price INTEGER NOT NULL, qty INTEGER NOT NULL,
  maker INTEGER NOT NULL, time INTEGER NOT NULL, realized_pnl TEXT NOT NULL DEFAULT '0',
  commission TEXT NOT NULL DEFAULT '0', book INTEGER NOT NULL DEFAULT 0, agg_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (trade_id, order_id)) STRICT;
CREATE TABLE IF NOT EXISTS books (code INTEGER PRIMARY KEY, symbol TEXT NOT NULL UNIQUE) STRICT;
`;

/**
 * The per-account indexes, keyed by integers: a symbol by its code in `books`, a client id
 * by its clientKey. An index's rowid is its last column, so (account_id, book) lists an
 * account's orders on a symbol in id order, and (account_id, client_key) lists an id's
 * reuses oldest first. Integer keys keep the entries narrow; every order a commit writes
 * dirties one page of each of these indexes, and those pages are most of what it writes.
 */
export const INDEXES = `
CREATE INDEX IF NOT EXISTS orders_by_book ON orders (account_id, book);
CREATE INDEX IF NOT EXISTS orders_by_client_key ON orders (account_id, client_key);
CREATE INDEX IF NOT EXISTS trades_by_book ON trades (account_id, book, trade_id);
`;

/** The layout `INDEXES` needs; stores written before it are moved to it on open. */
export const LAYOUT = 2;

export interface OrderRecord {
  id: number;
  account_id: number;
  symbol: string;
  side: string;
  type: string;
  time_in_force: string;
  price: number;
  orig_qty: number;
  executed_qty: number;
  base_acc: string;
  status: string;
  client_order_id: string;
  reduce_only: number;
  position_side: string;
  time: number;
  update_time: number;
  seq: number;
  price_match: string | null;
  strategy_id: number | null;
  strategy_type: string | null;
}

/** An order row as `activeOrders` selects it, column by column. */
export type OrderColumns = [
  id: number,
  accountId: number,
  symbol: string,
  side: string,
  type: string,
  timeInForce: string,
  price: number,
  origQty: number,
  executedQty: number,
  baseAcc: string,
  status: string,
  clientOrderId: string,
  reduceOnly: number,
  positionSide: string,
  time: number,
  updateTime: number,
  seq: number,
  priceMatch: string | null,
  strategyId: number | null,
  strategyType: string | null,
];

export interface TradeRecord {
  trade_id: number;
  account_id: number;
  order_id: number;
  symbol: string;
  side: string;
  position_side: string;
  price: number;
  qty: number;
  maker: number;
  time: number;
  realized_pnl: string;
  commission: string;
  agg_id: number;
}

export function toOrder(r: OrderRecord): Order {
  return {
    id: r.id,
    accountId: r.account_id,
    symbol: r.symbol,
    side: r.side as Side,
    type: r.type as OrderType,
    timeInForce: r.time_in_force as TimeInForce,
    price: r.price,
    origQty: r.orig_qty,
    executedQty: r.executed_qty,
    baseAcc: BigInt(r.base_acc),
    status: r.status as OrderStatus,
    clientOrderId: r.client_order_id,
    reduceOnly: r.reduce_only === 1,
    positionSide: r.position_side as PositionSide,
    time: r.time,
    updateTime: r.update_time,
    seq: r.seq,
    priceMatch: (r.price_match ?? undefined) as PriceMatch | undefined,
    placedBy: placedBy(r.strategy_id, r.strategy_type),
    prev: null,
    next: null,
  };
}

/** The conditional order behind an order, from its two columns. */
export function placedBy(id: number | null, type: string | null): PlacedBy | undefined {
  return id === null ? undefined : { id, type: type as StrategyType };
}

export function toTrade(r: TradeRecord): TradeRow {
  return {
    tradeId: r.trade_id,
    accountId: r.account_id,
    orderId: r.order_id,
    symbol: r.symbol,
    side: r.side as Side,
    positionSide: r.position_side as PositionSide,
    price: r.price,
    qty: r.qty,
    maker: r.maker === 1,
    time: r.time,
    realizedPnl: BigInt(r.realized_pnl),
    commission: BigInt(r.commission),
    aggId: r.agg_id,
  };
}

/** Columns added after a table's first release, for data folders made before them. */
export const ADDED_COLUMNS: ReadonlyArray<readonly [table: string, column: string, definition: string]> = [
  ["accounts", "dual_side", "INTEGER NOT NULL DEFAULT 0"],
  ["accounts", "house", "TEXT"],
  ["positions", "entry_acc", "TEXT NOT NULL DEFAULT '0'"],
  ["positions", "realized", "TEXT NOT NULL DEFAULT '0'"],
  ["positions", "update_time", "INTEGER NOT NULL DEFAULT 0"],
  ["trades", "realized_pnl", "TEXT NOT NULL DEFAULT '0'"],
  ["trades", "commission", "TEXT NOT NULL DEFAULT '0'"],
  ["orders", "book", "INTEGER NOT NULL DEFAULT 0"],
  ["orders", "client_key", "INTEGER NOT NULL DEFAULT 0"],
  ["trades", "book", "INTEGER NOT NULL DEFAULT 0"],
  ["trades", "agg_id", "INTEGER NOT NULL DEFAULT 0"],
  ["orders", "price_match", "TEXT"],
  ["accounts", "clock_skew", "INTEGER NOT NULL DEFAULT 0"],
  ["orders", "strategy_id", "INTEGER"],
  ["orders", "strategy_type", "TEXT"],
];

/**
 * Moves a store written before `LAYOUT` to it, in one transaction: every symbol gets a
 * book code, every order and trade its book and every order its client key, and the
 * text-keyed indexes they replace are dropped. On a new store this finds nothing to move.
 */
export function moveToLayout(db: Database.Database): void {
  const layout = db.prepare<[], { value: number }>("SELECT value FROM meta WHERE name = 'layout'").get();
  // An earlier build that wrote to the store after a move recreated its own indexes on
  // open, and wrote rows without a book (0: codes start at 1); move those rows again.
  const earlierIndexes = db
    .prepare<[], { n: number }>(
      `SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index'
       AND name IN ('orders_by_account', 'orders_by_client_id', 'trades_by_account')`,
    )
    .get();
  if ((layout?.value ?? 0) >= LAYOUT && (earlierIndexes?.n ?? 0) === 0) return;
  db.function("client_key", { deterministic: true }, (id: unknown) => clientKey(String(id)));
  db.transaction(() => {
    db.exec(`
      INSERT OR IGNORE INTO books (symbol)
        SELECT symbol FROM orders WHERE book = 0 UNION SELECT symbol FROM trades WHERE book = 0 ORDER BY 1;
      UPDATE orders SET book = (SELECT code FROM books WHERE books.symbol = orders.symbol),
        client_key = client_key(client_order_id) WHERE book = 0;
      UPDATE trades SET book = (SELECT code FROM books WHERE books.symbol = trades.symbol) WHERE book = 0;
      DROP INDEX IF EXISTS orders_by_account;
      DROP INDEX IF EXISTS orders_by_client_id;
      DROP INDEX IF EXISTS trades_by_account;
    `);
    db.prepare("INSERT OR REPLACE INTO meta (name, value) VALUES ('layout', ?)").run(LAYOUT);
  })();
}

/** The WHERE clause of an account's orders or trades on some books: from an id, or within times. */
export function selection(
  idColumn: string,
  timeColumn: string,
  accountId: number,
  books: readonly number[],
  fromId: number | undefined,
  startTime: number | undefined,
  endTime: number | undefined,
): { where: string; args: unknown[] } {
  const parts = ["account_id = ?", `book IN (${books.map(() => "?").join(", ") || "NULL"})`];
  const args: unknown[] = [accountId, ...books];
  if (fromId !== undefined) {
    parts.push(`${idColumn} >= ?`);
    args.push(fromId);
  }
  if (startTime !== undefined) {
    parts.push(`${timeColumn} >= ?`);
    args.push(startTime);
  }
  if (endTime !== undefined) {
    parts.push(`${timeColumn} <= ?`);
    args.push(endTime);
  }
  return { where: parts.join(" AND "), args };
}
