// Conditional orders in SQLite: one row per strategy, replaced whole by the commit that
// changes it (its fields as JSON; the columns it is looked up and listed by beside). The
// armed ones (NEW) are loaded on start and re-armed in their order.

import type Database from "better-sqlite3";
import type { Strategy, StrategyStatus } from "../domain/conditional.js";

export const STRATEGY_TABLE = `
CREATE TABLE IF NOT EXISTS strategies (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, symbol TEXT NOT NULL, client_id TEXT NOT NULL,
  status TEXT NOT NULL, book_time INTEGER NOT NULL, body TEXT NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS strategies_by_account ON strategies (account_id, symbol, id);
CREATE INDEX IF NOT EXISTS strategies_open ON strategies (status) WHERE status = 'NEW';`;

interface Row {
  body: string;
}

const decode = (r: Row): Strategy => JSON.parse(r.body) as Strategy;

export interface StrategyQuery {
  readonly accountId: number;
  readonly symbol?: string | undefined;
  readonly fromId?: number | undefined;
  readonly startTime: number;
  readonly endTime: number;
  readonly limit: number;
}

export class StrategyTable {
  private readonly put;
  private readonly open;
  private readonly byId;
  private readonly byClient;

  constructor(private readonly db: Database.Database) {
    this.put = db.prepare<[number, number, string, string, StrategyStatus, number, string]>(
      `INSERT OR REPLACE INTO strategies (id, account_id, symbol, client_id, status, book_time, body)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.open = db.prepare<[], Row>("SELECT body FROM strategies WHERE status = 'NEW' ORDER BY id");
    this.byId = db.prepare<[number, number], Row>(
      "SELECT body FROM strategies WHERE id = ? AND account_id = ?",
    );
    this.byClient = db.prepare<[number, string, string], Row>(
      "SELECT body FROM strategies WHERE account_id = ? AND symbol = ? AND client_id = ? ORDER BY id DESC LIMIT 1",
    );
  }

  write(s: Strategy): void {
    this.put.run(s.id, s.accountId, s.symbol, s.clientStrategyId, s.status, s.bookTime, JSON.stringify(s));
  }

  /** The armed strategies, oldest first. */
  armed(): Strategy[] {
    return this.open.all().map(decode);
  }

  find(accountId: number, id: number): Strategy | undefined {
    const r = this.byId.get(id, accountId);
    return r && decode(r);
  }

  findByClientId(accountId: number, symbol: string, clientId: string): Strategy | undefined {
    const r = this.byClient.get(accountId, symbol, clientId);
    return r && decode(r);
  }

  /** The account's strategies booked in [startTime, endTime], from `fromId` on, oldest first. */
  list(q: StrategyQuery): Strategy[] {
    const parts = ["account_id = @account", "book_time >= @from", "book_time <= @to"];
    const args: Record<string, string | number> = {
      account: q.accountId,
      from: q.startTime,
      to: q.endTime,
      limit: q.limit,
    };
    if (q.symbol !== undefined) {
      parts.push("symbol = @symbol");
      args.symbol = q.symbol;
    }
    if (q.fromId !== undefined) {
      parts.push("id >= @fromId");
      args.fromId = q.fromId;
    }
    return this.db
      .prepare<Record<string, string | number>, Row>(
        `SELECT body FROM strategies WHERE ${parts.join(" AND ")} ORDER BY id LIMIT @limit`,
      )
      .all(args)
      .map(decode);
  }
}
