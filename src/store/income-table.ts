// An account's income history in SQLite (GET /papi/v1/cm/income). Funding fees,
// transfers and settlements are rows of their own; realized PnL and commissions are
// read from the account's trades, where each fill already records them, so the hot
// path writes nothing more per fill. tranId is unique per account and income type (as
// Binance promises): the row's id for the rows here, 2 × tradeId (+1 for the maker's
// side) for those read from trades.

import type Database from "better-sqlite3";
import type { IncomeQuery, IncomeRow, IncomeType } from "./store.js";

export const INCOME_TABLE = `
CREATE TABLE IF NOT EXISTS incomes (
  id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, symbol TEXT NOT NULL, type TEXT NOT NULL,
  asset TEXT NOT NULL, units TEXT NOT NULL, info TEXT NOT NULL, time INTEGER NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS incomes_by_account ON incomes (account_id, time);`;

interface Columns {
  symbol: string;
  type: IncomeType;
  units: string;
  asset: string;
  info: string;
  time: number;
  tran_id: number;
  trade_id: number | null;
}

/** The three sources as one list, for an account from a time to a time. Ties keep the kinds apart, oldest first. */
const UNION = `
  SELECT symbol, type, units, asset, info, time, id AS tran_id, NULL AS trade_id, 0 AS part
    FROM incomes WHERE account_id = @account AND time >= @from AND time <= @to
  UNION ALL
  SELECT symbol, 'REALIZED_PNL', realized_pnl, '', '', time, 2 * trade_id + maker, trade_id, 1
    FROM trades WHERE account_id = @account AND time >= @from AND time <= @to AND realized_pnl != '0'
  UNION ALL
  SELECT symbol, 'COMMISSION', CASE WHEN commission LIKE '-%' THEN substr(commission, 2) ELSE '-' || commission END,
      '', '', time, 2 * trade_id + maker, trade_id, 2
    FROM trades WHERE account_id = @account AND time >= @from AND time <= @to AND commission != '0'`;

export class IncomeTable {
  private readonly put;
  /** One statement per combination of filters. */
  private readonly reads = new Map<string, Database.Statement<Record<string, string | number>, Columns>>();

  constructor(private readonly db: Database.Database) {
    this.put = db.prepare<[number, number, string, string, string, string, string, number]>(
      "INSERT INTO incomes (id, account_id, symbol, type, asset, units, info, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
  }

  write(r: IncomeRow): void {
    this.put.run(r.id, r.accountId, r.symbol, r.incomeType, r.asset, r.units.toString(), r.info, r.time);
  }

  /**
   * The account's incomes in [startTime, endTime], oldest first, page `page` (from 1) of
   * `limit`; trade rows carry no asset (the caller knows each symbol's margin coin).
   */
  read(q: IncomeQuery): IncomeRow[] {
    const where: string[] = [];
    const args: Record<string, string | number> = { account: q.accountId, from: q.startTime, to: q.endTime };
    if (q.symbol !== undefined) {
      where.push("symbol = @symbol");
      args.symbol = q.symbol;
    }
    if (q.incomeType !== undefined) {
      where.push("type = @type");
      args.type = q.incomeType;
    }
    args.limit = q.limit;
    args.offset = (q.page - 1) * q.limit;
    const filter = where.join(" AND ");
    let read = this.reads.get(filter);
    if (!read) {
      read = this.db.prepare<Record<string, string | number>, Columns>(
        `SELECT * FROM (${UNION}) ${filter ? `WHERE ${filter}` : ""}
         ORDER BY time, part, tran_id LIMIT @limit OFFSET @offset`,
      );
      this.reads.set(filter, read);
    }
    return read.all(args).map((r) => ({
      id: r.tran_id,
      accountId: q.accountId,
      symbol: r.symbol,
      incomeType: r.type,
      asset: r.asset,
      units: BigInt(r.units),
      info: r.info,
      time: r.time,
      tradeId: r.trade_id ?? undefined,
    }));
  }
}
