// The SQLite store on a real file: the order lookups behind query and cancel by client
// id and the history queries, through the integer-keyed indexes, and the move of a store
// written with the earlier text-keyed indexes.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { Order } from "../../src/domain/order.js";
import { clientKey } from "../../src/store/client-key.js";
import { DATABASE_FILE, SqliteStore } from "../../src/store/sqlite.js";
import type { Counters, TradeRow } from "../../src/store/store.js";
import { OpenBatch } from "../../src/venue/group-commit.js";

const dirs: string[] = [];
const stores: SqliteStore[] = [];

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-store-"));
  dirs.push(dir);
  return dir;
}

function open(dir: string): SqliteStore {
  const store = new SqliteStore(dir);
  stores.push(store);
  return store;
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const COUNTERS: Counters = {
  nextOrderId: 100,
  nextTradeId: 100,
  nextSeq: 100,
  nextAccountId: 10,
  nextUpdateId: 100,
  nextAggTradeId: 100,
  nextIncomeId: 100,
  nextStrategyId: 100,
  nextJournalSeq: 100,
};

function order(id: number, symbol: string, clientOrderId: string, accountId = 1): Order {
  return {
    id,
    accountId,
    symbol,
    side: "BUY",
    type: "LIMIT",
    timeInForce: "GTC",
    price: 300_000,
    origQty: 1,
    executedQty: 0,
    baseAcc: 0n,
    status: "NEW",
    clientOrderId,
    reduceOnly: false,
    positionSide: "BOTH",
    time: 1_700_000_000_000 + id,
    updateTime: 1_700_000_000_000 + id,
    seq: id,
    priceMatch: undefined,
    placedBy: undefined,
    prev: null,
    next: null,
  };
}

function trade(tradeId: number, orderId: number, symbol: string): TradeRow {
  return {
    tradeId,
    accountId: 1,
    orderId,
    symbol,
    side: "BUY",
    positionSide: "BOTH",
    price: 300_000,
    qty: 1,
    maker: true,
    time: 1_700_000_000_000 + tradeId,
    realizedPnl: 0n,
    commission: 6n,
    aggId: 0,
  };
}

function commit(store: SqliteStore, orders: Order[], trades: TradeRow[] = []): void {
  const batch = new OpenBatch();
  for (const o of orders) batch.orders.add(o);
  batch.trades.push(...trades);
  store.commit(batch.toBatch(COUNTERS));
}

function ids(orders: readonly Order[]): number[] {
  return orders.map((o) => o.id);
}

describe("order lookups", () => {
  it("finds an order by client id on its symbol only", () => {
    const store = open(freshDir());
    commit(store, [order(1, "BTCUSD_PERP", "alpha"), order(2, "ETHUSD_PERP", "alpha")]);
    expect(store.orderByClientId(1, "BTCUSD_PERP", "alpha")?.id).toBe(1);
    expect(store.orderByClientId(1, "ETHUSD_PERP", "alpha")?.id).toBe(2);
    expect(store.orderByClientId(1, "BNBUSD_PERP", "alpha")).toBeUndefined();
    expect(store.orderByClientId(2, "BTCUSD_PERP", "alpha")).toBeUndefined();
  });

  it("answers the newest order of a reused client id", () => {
    const store = open(freshDir());
    commit(store, [order(1, "BTCUSD_PERP", "again"), order(5, "BTCUSD_PERP", "again")]);
    expect(store.orderByClientId(1, "BTCUSD_PERP", "again")?.id).toBe(5);
  });

  it("tells apart two client ids that share a key", () => {
    const store = open(freshDir());
    commit(store, [order(1, "BTCUSD_PERP", "alpha"), order(2, "BTCUSD_PERP", "beta")]);
    // Give "beta" the key of "alpha", as a hash collision would.
    store.connection.prepare("UPDATE orders SET client_key = ? WHERE id = 2").run(clientKey("alpha"));
    expect(store.orderByClientId(1, "BTCUSD_PERP", "alpha")?.id).toBe(1);
  });

  it("lists an account's orders on the asked symbols in id order", () => {
    const store = open(freshDir());
    commit(store, [
      order(1, "BTCUSD_PERP", "a"),
      order(2, "ETHUSD_PERP", "b"),
      order(3, "BTCUSD_PERP", "c"),
      order(4, "BTCUSD_PERP", "d", 2),
      order(5, "BTCUSD_261225", "e"),
    ]);
    expect(ids(store.orders({ accountId: 1, symbol: "BTCUSD_PERP", limit: 10 }))).toEqual([1, 3]);
    expect(ids(store.orders({ accountId: 1, symbols: ["BTCUSD_PERP", "BTCUSD_261225"], limit: 10 }))).toEqual(
      [1, 3, 5],
    );
    expect(ids(store.orders({ accountId: 1, symbol: "BTCUSD_PERP", fromOrderId: 2, limit: 10 }))).toEqual([
      3,
    ]);
    expect(ids(store.orders({ accountId: 1, symbol: "DOGEUSD_PERP", limit: 10 }))).toEqual([]);
  });

  it("looks orders up through the integer-keyed indexes, not a scan", () => {
    const store = open(freshDir());
    const plan = (sql: string, ...args: unknown[]): string =>
      store.connection
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...args)
        .map((r) => r.detail)
        .join("; ");
    // The statements of orderByClientId and of orders() for one symbol.
    expect(
      plan(
        "SELECT * FROM orders WHERE account_id = ? AND client_key = ? AND symbol = ? AND client_order_id = ? ORDER BY id DESC LIMIT 1",
        1,
        clientKey("x"),
        "BTCUSD_PERP",
        "x",
      ),
    ).toBe("SEARCH orders USING INDEX orders_by_client_key (account_id=? AND client_key=?)");
    expect(
      plan(
        "SELECT * FROM orders WHERE account_id = ? AND book IN (?) AND id >= ? ORDER BY id ASC LIMIT ?",
        1,
        1,
        5,
        10,
      ),
    ).toBe("SEARCH orders USING INDEX orders_by_book (account_id=? AND book=? AND rowid>?)");
  });

  it("keeps a symbol's code when its first commit failed and a later one wrote it", () => {
    const dir = freshDir();
    const store = open(dir);
    const failing = new OpenBatch();
    failing.orders.add(order(1, "LINKUSD_PERP", "first"));
    // The same account twice breaks the transaction after the order row is written.
    failing.accounts.push({ id: 1, alias: "a", createdAt: 0, dualSide: false });
    failing.accounts.push({ id: 1, alias: "a", createdAt: 0, dualSide: false });
    expect(() => store.commit(failing.toBatch(COUNTERS))).toThrow();
    commit(store, [order(2, "LINKUSD_PERP", "second")]);
    expect(ids(store.orders({ accountId: 1, symbol: "LINKUSD_PERP", limit: 10 }))).toEqual([2]);
    store.close();
    stores.splice(stores.indexOf(store), 1);
    const reopened = open(dir);
    expect(ids(reopened.orders({ accountId: 1, symbol: "LINKUSD_PERP", limit: 10 }))).toEqual([2]);
    expect(reopened.orderByClientId(1, "LINKUSD_PERP", "second")?.id).toBe(2);
  });

  it("changes a stored order in place: new state, same book and client id", () => {
    const dir = freshDir();
    const store = open(dir);
    commit(store, [order(1, "BTCUSD_PERP", "kept")]);
    const canceled: Order = {
      ...order(1, "BTCUSD_PERP", "kept"),
      status: "CANCELED",
      updateTime: 1_800_000_000_000,
    };
    commit(store, [canceled]);
    const found = store.orderByClientId(1, "BTCUSD_PERP", "kept");
    expect(found).toMatchObject({ id: 1, status: "CANCELED", updateTime: 1_800_000_000_000 });
    expect(ids(store.orders({ accountId: 1, symbol: "BTCUSD_PERP", limit: 10 }))).toEqual([1]);
    expect(store.load().activeOrders).toEqual([]);
  });

  it("writes an order whose id was given out before the last commit but never written", () => {
    const store = open(freshDir());
    // The counters say ids below 100 are given out; order 7 was never written.
    commit(store, [order(1, "BTCUSD_PERP", "a")]);
    commit(store, [order(7, "BTCUSD_PERP", "late")]);
    expect(store.orderByClientId(1, "BTCUSD_PERP", "late")?.id).toBe(7);
  });

  it("lists an account's trades on the asked symbols", () => {
    const store = open(freshDir());
    commit(
      store,
      [order(1, "BTCUSD_PERP", "a"), order(2, "ETHUSD_PERP", "b")],
      [trade(1, 1, "BTCUSD_PERP"), trade(2, 2, "ETHUSD_PERP"), trade(3, 1, "BTCUSD_PERP")],
    );
    const trades = store.trades({ accountId: 1, symbols: ["BTCUSD_PERP"], limit: 10 });
    expect(trades.map((t) => t.tradeId)).toEqual([1, 3]);
    expect(store.trades({ accountId: 1, symbols: ["XRPUSD_PERP"], limit: 10 })).toEqual([]);
  });
});

describe("client keys", () => {
  // The keys are on disk: a change to the function would strand every stored one.
  it("are the same numbers they were when the layout was made", () => {
    expect([
      clientKey(""),
      clientKey("alpha"),
      clientKey("x-xcKtGhcu1a2b3c4d5e6f7g8h9i0j"),
      clientKey("ÿ€"),
    ]).toEqual([4542716993959640, 3291309497971012, 1747841159589104, 81558087605949]);
  });

  it("are non-negative safe integers", () => {
    for (const id of ["", "a", "0123456789abcdefghijklmnopqrstuvwxyz", "web_1", "\uffff\uffff"]) {
      const key = clientKey(id);
      expect(Number.isSafeInteger(key) && key >= 0).toBe(true);
    }
  });
});

describe("a store written with the text-keyed indexes", () => {
  const EARLIER_SCHEMA = `
    CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL,
      type TEXT NOT NULL, time_in_force TEXT NOT NULL, price INTEGER NOT NULL, orig_qty INTEGER NOT NULL,
      executed_qty INTEGER NOT NULL, base_acc TEXT NOT NULL, status TEXT NOT NULL, client_order_id TEXT NOT NULL,
      reduce_only INTEGER NOT NULL, position_side TEXT NOT NULL, time INTEGER NOT NULL, update_time INTEGER NOT NULL,
      seq INTEGER NOT NULL, active INTEGER NOT NULL) STRICT;
    CREATE INDEX orders_by_account ON orders (account_id, symbol, id);
    CREATE INDEX orders_by_client_id ON orders (account_id, symbol, client_order_id);
    CREATE INDEX orders_active ON orders (active, seq) WHERE active = 1;
    CREATE TABLE trades (
      trade_id INTEGER NOT NULL, account_id INTEGER NOT NULL, order_id INTEGER NOT NULL, symbol TEXT NOT NULL,
      side TEXT NOT NULL, position_side TEXT NOT NULL, price INTEGER NOT NULL, qty INTEGER NOT NULL,
      maker INTEGER NOT NULL, time INTEGER NOT NULL, realized_pnl TEXT NOT NULL DEFAULT '0',
      commission TEXT NOT NULL DEFAULT '0', PRIMARY KEY (trade_id, order_id)) STRICT;
    CREATE INDEX trades_by_account ON trades (account_id, symbol, trade_id);
  `;

  function earlierStore(): string {
    const dir = freshDir();
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.exec(EARLIER_SCHEMA);
    const insert = db.prepare(
      `INSERT INTO orders VALUES (?, 1, ?, 'BUY', 'LIMIT', 'GTC', 300000, 1, 0, '0', ?, ?, 0, 'BOTH', ?, ?, ?, ?)`,
    );
    insert.run(1, "BTCUSD_PERP", "FILLED", "done", 1, 1, 1, 0);
    insert.run(2, "ETHUSD_PERP", "NEW", "open", 2, 2, 2, 1);
    insert.run(3, "BTCUSD_PERP", "CANCELED", "gone", 3, 3, 3, 0);
    db.prepare(
      `INSERT INTO trades VALUES (1, 1, 1, 'BTCUSD_PERP', 'BUY', 'BOTH', 300000, 1, 0, 1, '0', '16')`,
    ).run();
    db.close();
    return dir;
  }

  it("finds its orders by client id after opening", () => {
    const store = open(earlierStore());
    expect(store.orderByClientId(1, "BTCUSD_PERP", "done")?.status).toBe("FILLED");
    expect(store.orderByClientId(1, "ETHUSD_PERP", "open")?.status).toBe("NEW");
    expect(store.orderByClientId(1, "BTCUSD_PERP", "open")).toBeUndefined();
  });

  it("lists its orders and trades by symbol after opening", () => {
    const store = open(earlierStore());
    expect(ids(store.orders({ accountId: 1, symbol: "BTCUSD_PERP", limit: 10 }))).toEqual([1, 3]);
    expect(
      store.trades({ accountId: 1, symbols: ["BTCUSD_PERP"], limit: 10 }).map((t) => t.commission),
    ).toEqual([16n]);
  });

  it("makes each of its fills an aggregate of its own, and hands out aggregate ids after them", () => {
    const store = open(earlierStore());
    expect(store.aggTrades({ symbol: "BTCUSD_PERP", limit: 10 })).toEqual([
      { aggId: 1, price: 300000, qty: 1, firstId: 1, lastId: 1, time: 1, takerSide: "BUY" },
    ]);
    expect(store.marketTrades({ symbol: "BTCUSD_PERP", limit: 10 })).toEqual([
      { tradeId: 1, aggId: 1, price: 300000, qty: 1, time: 1, takerSide: "BUY" },
    ]);
    expect(store.load().counters.nextAggTradeId).toBe(2);
  });

  it("loads its open orders as before", () => {
    const store = open(earlierStore());
    expect(ids(store.load().activeOrders)).toEqual([2]);
  });

  it("drops the text-keyed indexes and keeps new symbols on codes of their own", () => {
    const dir = earlierStore();
    const store = open(dir);
    commit(store, [order(4, "DOGEUSD_PERP", "new")]);
    const indexes = store.connection
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
      .map((r) => r.name);
    expect(indexes).toEqual([
      "amendments_by_order",
      "incomes_by_account",
      "market_trades",
      "orders_active",
      "orders_by_book",
      "orders_by_client_key",
      "strategies_by_account",
      "strategies_open",
      "trades_by_book",
    ]);
    const books = store.connection
      .prepare<[], { code: number; symbol: string }>("SELECT code, symbol FROM books ORDER BY code")
      .all();
    expect(books).toEqual([
      { code: 1, symbol: "BTCUSD_PERP" },
      { code: 2, symbol: "ETHUSD_PERP" },
      { code: 3, symbol: "DOGEUSD_PERP" },
    ]);
  });

  it("moves again what an earlier build wrote after the move, and drops the indexes it made", () => {
    const dir = earlierStore();
    open(dir).close();
    stores.pop();
    // An earlier build opening the moved store recreates its indexes and writes rows
    // without a book or client key.
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.exec("CREATE INDEX orders_by_account ON orders (account_id, symbol, id)");
    db.prepare(
      `INSERT INTO orders (id, account_id, symbol, side, type, time_in_force, price, orig_qty, executed_qty, base_acc,
         status, client_order_id, reduce_only, position_side, time, update_time, seq, active)
       VALUES (9, 1, 'XRPUSD_PERP', 'BUY', 'LIMIT', 'GTC', 5000, 1, 0, '0', 'NEW', 'written-back', 0, 'BOTH', 9, 9, 9, 1)`,
    ).run();
    db.close();
    const store = open(dir);
    expect(store.orderByClientId(1, "XRPUSD_PERP", "written-back")?.id).toBe(9);
    expect(ids(store.orders({ accountId: 1, symbol: "XRPUSD_PERP", limit: 10 }))).toEqual([9]);
    expect(ids(store.orders({ accountId: 1, symbol: "BTCUSD_PERP", limit: 10 }))).toEqual([1, 3]);
    const earlier = store.connection
      .prepare("SELECT name FROM sqlite_master WHERE name = 'orders_by_account'")
      .all();
    expect(earlier).toEqual([]);
  });

  it("opens again without moving anything twice", () => {
    const dir = earlierStore();
    open(dir).close();
    stores.pop();
    const store = open(dir);
    expect(store.orderByClientId(1, "BTCUSD_PERP", "gone")?.id).toBe(3);
    expect(ids(store.orders({ accountId: 1, symbol: "ETHUSD_PERP", limit: 10 }))).toEqual([2]);
  });
});
