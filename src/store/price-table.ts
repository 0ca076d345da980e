// Index, mark and premium prices in SQLite: their one-minute candles (one row per kind,
// name and minute, replaced whole by the commit that changes it, as trade candles are),
// each perpetual's funding history, and the venue's price state between runs (the
// index per pair, the samples behind the marks and the funding rates: JSON the venue
// writes and reads itself).

import type Database from "better-sqlite3";
import { type Candle, emptyCandle } from "../domain/candles.js";
import type { FundingRow, PriceCandleRow, PriceKind } from "./store.js";

export const PRICE_TABLES = `
CREATE TABLE IF NOT EXISTS price_candles (
  kind TEXT NOT NULL, name TEXT NOT NULL, open_time INTEGER NOT NULL, open INTEGER NOT NULL,
  high INTEGER NOT NULL, low INTEGER NOT NULL, close INTEGER NOT NULL, samples INTEGER NOT NULL,
  PRIMARY KEY (kind, name, open_time)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS funding_rates (
  symbol TEXT NOT NULL, funding_time INTEGER NOT NULL, rate INTEGER NOT NULL, mark INTEGER NOT NULL,
  PRIMARY KEY (symbol, funding_time)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS price_state (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;`;

interface CandleColumns {
  open_time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  samples: number;
}

const COLUMNS = "open_time, open, high, low, close, samples";

function toCandle(r: CandleColumns): Candle {
  // `trades` counts the prices the minute was drawn from (Binance's "number of basic data").
  return { ...emptyCandle(r.open_time, r.open), high: r.high, low: r.low, close: r.close, trades: r.samples };
}

interface FundingColumns {
  symbol: string;
  funding_time: number;
  rate: number;
  mark: number;
}

const toFunding = (r: FundingColumns): FundingRow => ({
  symbol: r.symbol,
  fundingTime: r.funding_time,
  rate8: r.rate,
  markPrice: r.mark,
});

export class PriceTable {
  private readonly putCandle;
  private readonly range;
  private readonly before;
  private readonly latest;
  private readonly putFunding;
  private readonly fundingRange;
  private readonly fundingNewest;
  private readonly lastFunding;
  private readonly putState;
  private readonly states;

  constructor(db: Database.Database) {
    this.putCandle = db.prepare<[string, string, number, number, number, number, number, number]>(
      `INSERT OR REPLACE INTO price_candles (kind, name, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.range = db.prepare<[string, string, number, number], CandleColumns>(
      `SELECT ${COLUMNS} FROM price_candles WHERE kind = ? AND name = ? AND open_time >= ? AND open_time <= ?
       ORDER BY open_time`,
    );
    this.before = db.prepare<[string, string, number], CandleColumns>(
      `SELECT ${COLUMNS} FROM price_candles WHERE kind = ? AND name = ? AND open_time < ?
       ORDER BY open_time DESC LIMIT 1`,
    );
    this.latest = db.prepare<[], CandleColumns & { kind: PriceKind; name: string }>(
      `SELECT kind, name, ${COLUMNS} FROM price_candles c
       WHERE open_time = (SELECT MAX(open_time) FROM price_candles WHERE kind = c.kind AND name = c.name)`,
    );
    this.putFunding = db.prepare<[string, number, number, number]>(
      "INSERT OR REPLACE INTO funding_rates (symbol, funding_time, rate, mark) VALUES (?, ?, ?, ?)",
    );
    this.fundingRange = db.prepare<[string, number, number, number], FundingColumns>(
      `SELECT * FROM funding_rates WHERE symbol = ? AND funding_time >= ? AND funding_time <= ?
       ORDER BY funding_time LIMIT ?`,
    );
    this.fundingNewest = db.prepare<[string, number, number, number], FundingColumns>(
      `SELECT * FROM funding_rates WHERE symbol = ? AND funding_time >= ? AND funding_time <= ?
       ORDER BY funding_time DESC LIMIT ?`,
    );
    this.lastFunding = db.prepare<[], FundingColumns>(
      `SELECT * FROM funding_rates f
       WHERE funding_time = (SELECT MAX(funding_time) FROM funding_rates WHERE symbol = f.symbol)`,
    );
    this.putState = db.prepare<[string, string]>(
      "INSERT INTO price_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    );
    this.states = db.prepare<[], { name: string; value: string }>("SELECT name, value FROM price_state");
  }

  writeCandle(c: PriceCandleRow): void {
    this.putCandle.run(c.kind, c.name, c.openTime, c.open, c.high, c.low, c.close, c.trades);
  }

  writeFunding(f: FundingRow): void {
    this.putFunding.run(f.symbol, f.fundingTime, f.rate8, f.markPrice);
  }

  writeState(name: string, value: string): void {
    this.putState.run(name, value);
  }

  candles(kind: PriceKind, name: string, from: number, to: number): Candle[] {
    return this.range.all(kind, name, from, to).map(toCandle);
  }

  candleBefore(kind: PriceKind, name: string, time: number): Candle | undefined {
    const r = this.before.get(kind, name, time);
    return r && toCandle(r);
  }

  lastCandles(): PriceCandleRow[] {
    return this.latest.all().map((r) => ({ kind: r.kind, name: r.name, ...toCandle(r) }));
  }

  /** The symbol's fundings in [from, to], oldest first: the first `limit`, or the last ones when `newest`. */
  fundings(symbol: string, from: number, to: number, limit: number, newest: boolean): FundingRow[] {
    if (newest) return this.fundingNewest.all(symbol, from, to, limit).map(toFunding).reverse();
    return this.fundingRange.all(symbol, from, to, limit).map(toFunding);
  }

  /** Each symbol's latest funding. */
  lastFundings(): FundingRow[] {
    return this.lastFunding.all().map(toFunding);
  }

  state(): Map<string, string> {
    return new Map(this.states.all().map((r) => [r.name, r.value]));
  }
}
