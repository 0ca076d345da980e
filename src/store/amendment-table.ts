// Order amendments in SQLite (GET /papi/v1/cm/orderAmendment): one row per accepted
// modify, its price and quantity before and after. The row's id is the amendmentId;
// `count` (the order's how-many-th amendment) is counted when read.

import type Database from "better-sqlite3";
import type { AmendmentRow } from "./store.js";

export const AMENDMENT_TABLE = `
CREATE TABLE IF NOT EXISTS amendments (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, order_id INTEGER NOT NULL, symbol TEXT NOT NULL,
  client_order_id TEXT NOT NULL, time INTEGER NOT NULL, price_before INTEGER NOT NULL, price_after INTEGER NOT NULL,
  qty_before INTEGER NOT NULL, qty_after INTEGER NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS amendments_by_order ON amendments (order_id, id);`;

interface Columns {
  id: number;
  order_id: number;
  symbol: string;
  client_order_id: string;
  time: number;
  price_before: number;
  price_after: number;
  qty_before: number;
  qty_after: number;
  count: number;
}

export class AmendmentTable {
  private readonly put;
  private readonly byOrder;

  constructor(db: Database.Database) {
    this.put = db.prepare<[number, number, string, string, number, number, number, number, number]>(
      `INSERT INTO amendments (account_id, order_id, symbol, client_order_id, time, price_before, price_after,
         qty_before, qty_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byOrder = db.prepare<[number, number, number, number, number], Columns>(
      `SELECT * FROM (
         SELECT *, ROW_NUMBER() OVER (ORDER BY id) AS count FROM amendments WHERE order_id = ? AND account_id = ?)
       WHERE time >= ? AND time <= ? ORDER BY id DESC LIMIT ?`,
    );
  }

  write(a: AmendmentRow): void {
    this.put.run(
      a.accountId,
      a.orderId,
      a.symbol,
      a.clientOrderId,
      a.time,
      a.priceBefore,
      a.priceAfter,
      a.qtyBefore,
      a.qtyAfter,
    );
  }

  /** The order's amendments in [from, to], newest first, at most `limit`. */
  read(accountId: number, orderId: number, from: number, to: number, limit: number): AmendmentRow[] {
    return this.byOrder.all(orderId, accountId, from, to, limit).map((r) => ({
      amendmentId: r.id,
      accountId,
      orderId: r.order_id,
      symbol: r.symbol,
      clientOrderId: r.client_order_id,
      time: r.time,
      priceBefore: r.price_before,
      priceAfter: r.price_after,
      qtyBefore: r.qty_before,
      qtyAfter: r.qty_after,
      count: r.count,
    }));
  }
}
