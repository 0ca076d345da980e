// The market's trades as the public endpoints read them from SQLite: each fill once,
// from its taker's row, and its aggregates (consecutive fills of one taker order at one
// price, which share an agg_id). Both read through one partial index,
// market_trades (book, agg_id, trade_id) WHERE maker = 0. Aggregate ids are handed out
// in trade-id order across all books, so that index's order is trade-id order too, and
// a trade id is found through the aggregate that holds it.

import type Database from "better-sqlite3";
import type { Side } from "../domain/order.js";
import type { AggTrade, AggTradeQuery, MarketTrade, MarketTradeQuery } from "./store.js";

export const MARKET_TRADES_INDEX =
  "CREATE INDEX IF NOT EXISTS market_trades ON trades (book, agg_id, trade_id) WHERE maker = 0;";

/** Stores written before aggregates existed: each of their fills is an aggregate of its own. */
export const BACKFILL_AGGREGATES = "UPDATE trades SET agg_id = trade_id WHERE maker = 0 AND agg_id = 0;";

interface TradeColumns {
  trade_id: number;
  agg_id: number;
  price: number;
  qty: number;
  time: number;
  side: string;
}

interface AggColumns {
  agg_id: number;
  price: number;
  qty: number;
  first_id: number;
  last_id: number;
  time: number;
  side: string;
}

export class MarketTrades {
  private readonly newest;
  private readonly fromTrade;
  constructor(private readonly db: Database.Database) {
    this.newest = db.prepare<[number, number], TradeColumns>(
      `SELECT trade_id, agg_id, price, qty, time, side FROM trades WHERE book = ? AND maker = 0
       ORDER BY agg_id DESC, trade_id DESC LIMIT ?`,
    );
    // The first aggregate that can hold trade `fromId`: the one of the first trade at or after it, in any book.
    this.fromTrade = db.prepare<[number, number, number, number], TradeColumns>(
      `SELECT trade_id, agg_id, price, qty, time, side FROM trades
       WHERE book = ? AND maker = 0 AND trade_id >= ?
         AND agg_id >= (SELECT agg_id FROM trades WHERE trade_id >= ? AND maker = 0 ORDER BY trade_id LIMIT 1)
       ORDER BY agg_id, trade_id LIMIT ?`,
    );
  }

  trades(book: number | undefined, q: MarketTradeQuery): MarketTrade[] {
    if (book === undefined) return [];
    if (q.fromId === undefined) return this.newest.all(book, q.limit).reverse().map(toTrade);
    return this.fromTrade.all(book, q.fromId, q.fromId, q.limit).map(toTrade);
  }

  aggregates(book: number | undefined, q: AggTradeQuery): AggTrade[] {
    if (book === undefined) return [];
    const where = ["book = ?", "maker = 0"];
    const args: number[] = [book];
    if (q.fromId !== undefined) {
      where.push("agg_id >= ?");
      args.push(q.fromId);
    }
    if (q.startTime !== undefined) {
      where.push("time >= ?");
      args.push(q.startTime);
    }
    if (q.endTime !== undefined) {
      where.push("time <= ?");
      args.push(q.endTime);
    }
    const newestFirst = q.fromId === undefined && q.startTime === undefined;
    const rows = this.db
      .prepare<number[], AggColumns>(
        `SELECT agg_id, price, SUM(qty) AS qty, MIN(trade_id) AS first_id, MAX(trade_id) AS last_id,
           MIN(time) AS time, side
         FROM trades WHERE ${where.join(" AND ")}
         GROUP BY agg_id ORDER BY agg_id ${newestFirst ? "DESC" : "ASC"} LIMIT ?`,
      )
      .all(...args, q.limit);
    if (newestFirst) rows.reverse();
    return rows.map((r) => ({
      aggId: r.agg_id,
      price: r.price,
      qty: r.qty,
      firstId: r.first_id,
      lastId: r.last_id,
      time: r.time,
      takerSide: r.side as Side,
    }));
  }
}

function toTrade(r: TradeColumns): MarketTrade {
  return {
    tradeId: r.trade_id,
    aggId: r.agg_id,
    price: r.price,
    qty: r.qty,
    time: r.time,
    takerSide: r.side as Side,
  };
}
