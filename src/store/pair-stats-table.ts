// The pairs' 5-minute statistics snapshots in SQLite (domain/pair-stats.ts): one row per
// pair and boundary, written by the first command after the boundary, read back by time
// for /futures/data/*. Only the last 30 days are kept, as Binance keeps them. Also the
// time of a book's first trade, where a pair's statistics begin.

import type Database from "better-sqlite3";
import type { PairStats } from "../domain/pair-stats.js";

export const PAIR_STATS_TABLE = `
CREATE TABLE IF NOT EXISTS pair_stats (
  pair TEXT NOT NULL, time INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (pair, time)) STRICT, WITHOUT ROWID;`;

/** How long snapshots are kept. */
export const PAIR_STATS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

interface Row {
  body: string;
}

function encode(s: PairStats): string {
  return JSON.stringify({
    ...s,
    contracts: s.contracts.map((c) => ({ ...c, valueUnits: c.valueUnits.toString() })),
  });
}

function decode(r: Row): PairStats {
  const s = JSON.parse(r.body) as PairStats & {
    contracts: { symbol: string; openInterest: number; valueUnits: string }[];
  };
  return { ...s, contracts: s.contracts.map((c) => ({ ...c, valueUnits: BigInt(c.valueUnits) })) };
}

export class PairStatsTable {
  private readonly put;
  private readonly prune;
  private readonly range;
  private readonly after;
  private readonly newest;
  private readonly firstTrade;

  constructor(db: Database.Database) {
    this.put = db.prepare<[string, number, string]>(
      "INSERT OR REPLACE INTO pair_stats (pair, time, body) VALUES (?, ?, ?)",
    );
    this.prune = db.prepare<[string, number]>("DELETE FROM pair_stats WHERE pair = ? AND time < ?");
    this.range = db.prepare<[string, number, number], Row>(
      "SELECT body FROM pair_stats WHERE pair = ? AND time >= ? AND time <= ? ORDER BY time",
    );
    this.after = db.prepare<[string, number], Row>(
      "SELECT body FROM pair_stats WHERE pair = ? AND time > ? ORDER BY time LIMIT 1",
    );
    this.newest = db.prepare<[], { t: number | null }>("SELECT MAX(time) AS t FROM pair_stats");
    // Through the market_trades index: a book's first taker row.
    this.firstTrade = db.prepare<[number], { time: number }>(
      "SELECT time FROM trades WHERE book = ? AND maker = 0 ORDER BY agg_id, trade_id LIMIT 1",
    );
  }

  write(s: PairStats): void {
    this.put.run(s.pair, s.time, encode(s));
    this.prune.run(s.pair, s.time - PAIR_STATS_KEPT_MS);
  }

  /** The pair's snapshots in [from, to], then the first one after `to` if any, oldest first. */
  read(pair: string, from: number, to: number): PairStats[] {
    const rows = this.range.all(pair, from, to).map(decode);
    const next = this.after.get(pair, to);
    if (next) rows.push(decode(next));
    return rows;
  }

  /** The boundary of the newest snapshot of any pair; 0 before the first. */
  newestTime(): number {
    return this.newest.get()?.t ?? 0;
  }

  firstTradeTime(book: number | undefined): number | undefined {
    return book === undefined ? undefined : this.firstTrade.get(book)?.time;
  }
}
