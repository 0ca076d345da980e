// One-minute candles in SQLite: one row per book and minute, replaced whole by the
// commit that changes it (the venue keeps the candle in memory and writes what it holds),
// read back by time for the kline endpoints and, on start, the latest per book. Base
// volumes are BASE_SCALE sums and exceed 64 bits, so they are kept as text.

import type Database from "better-sqlite3";
import { addFill, type Candle, minuteFor } from "../domain/candles.js";
import { fillBaseAcc } from "../domain/inverse.js";
import type { CandleRow } from "./store.js";

export const CANDLES_TABLE = `
CREATE TABLE IF NOT EXISTS candles (
  book INTEGER NOT NULL, open_time INTEGER NOT NULL, open INTEGER NOT NULL, high INTEGER NOT NULL,
  low INTEGER NOT NULL, close INTEGER NOT NULL, volume INTEGER NOT NULL, base_acc TEXT NOT NULL,
  trades INTEGER NOT NULL, taker_buy_volume INTEGER NOT NULL, taker_buy_base_acc TEXT NOT NULL,
  PRIMARY KEY (book, open_time)) STRICT, WITHOUT ROWID;`;

interface CandleColumns {
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  base_acc: string;
  trades: number;
  taker_buy_volume: number;
  taker_buy_base_acc: string;
}

const COLUMNS =
  "open_time, open, high, low, close, volume, base_acc, trades, taker_buy_volume, taker_buy_base_acc";

function toCandle(r: CandleColumns): Candle {
  return {
    openTime: r.open_time,
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    volume: r.volume,
    baseAcc: BigInt(r.base_acc),
    trades: r.trades,
    takerBuyVolume: r.taker_buy_volume,
    takerBuyBaseAcc: BigInt(r.taker_buy_base_acc),
  };
}

export class CandleTable {
  private readonly put;
  private readonly range;
  private readonly before;
  private readonly latest;

  constructor(private readonly db: Database.Database) {
    this.put = db.prepare<
      [number, number, number, number, number, number, number, string, number, number, string]
    >(`INSERT OR REPLACE INTO candles (book, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.range = db.prepare<[number, number, number], CandleColumns>(
      `SELECT ${COLUMNS} FROM candles WHERE book = ? AND open_time >= ? AND open_time <= ? ORDER BY open_time`,
    );
    this.before = db.prepare<[number, number], CandleColumns>(
      `SELECT ${COLUMNS} FROM candles WHERE book = ? AND open_time < ? ORDER BY open_time DESC LIMIT 1`,
    );
    this.latest = db.prepare<[], CandleColumns & { symbol: string }>(
      `SELECT b.symbol, ${COLUMNS.split(", ")
        .map((c) => `c.${c}`)
        .join(", ")}
       FROM candles c JOIN books b ON b.code = c.book
       WHERE c.open_time = (SELECT MAX(open_time) FROM candles WHERE book = c.book)`,
    );
  }

  write(book: number, c: Candle): void {
    this.put.run(
      book,
      c.openTime,
      c.open,
      c.high,
      c.low,
      c.close,
      c.volume,
      c.baseAcc.toString(),
      c.trades,
      c.takerBuyVolume,
      c.takerBuyBaseAcc.toString(),
    );
  }

  candles(book: number | undefined, from: number, to: number): Candle[] {
    return book === undefined ? [] : this.range.all(book, from, to).map(toCandle);
  }

  candleBefore(book: number | undefined, time: number): Candle | undefined {
    const r = book === undefined ? undefined : this.before.get(book, time);
    return r && toCandle(r);
  }

  lastCandles(): CandleRow[] {
    return this.latest.all().map((r) => ({ symbol: r.symbol, ...toCandle(r) }));
  }

  /** Builds the candles of a store written before candles existed from its market trades. */
  backfill(): void {
    const trades = this.db
      .prepare<[], { book: number; price: number; qty: number; time: number; side: string }>(
        "SELECT book, price, qty, time, side FROM trades WHERE maker = 0 ORDER BY trade_id",
      )
      .iterate();
    const open = new Map<number, Candle>();
    for (const t of trades) {
      const previous = open.get(t.book);
      const candle = minuteFor(previous, t.time, t.price);
      if (previous && candle !== previous) this.write(t.book, previous);
      open.set(t.book, candle);
      addFill(candle, t.price, t.qty, fillBaseAcc(t.qty, t.price), t.side === "BUY");
    }
    for (const [book, candle] of open) this.write(book, candle);
  }
}
