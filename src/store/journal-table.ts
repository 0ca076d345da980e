// The command journal in SQLite: one row per command the venue ran, by sequence number,
// with its venue time, its kind and its body (the command's arguments and the random
// identifiers it drew, as JSON). Rows are written with the batch of their command, so the
// journal holds exactly what was committed. Read in sequence order, from a number on.

import type Database from "better-sqlite3";
import type { JournalRow } from "./store.js";

export const JOURNAL_TABLE = `
CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL) STRICT;`;

export class JournalTable {
  private readonly put;
  private readonly from;
  private readonly last;

  constructor(db: Database.Database) {
    this.put = db.prepare<[number, number, string, string]>(
      "INSERT INTO journal (seq, time, kind, body) VALUES (?, ?, ?, ?)",
    );
    this.from = db.prepare<[number, number], JournalRow>(
      "SELECT seq, time, kind, body FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?",
    );
    this.last = db.prepare<[], { m: number | null }>("SELECT MAX(seq) AS m FROM journal");
  }

  write(row: JournalRow): void {
    this.put.run(row.seq, row.time, row.kind, row.body);
  }

  /** Up to `limit` rows from `fromSeq` on, in sequence order. */
  read(fromSeq: number, limit: number): JournalRow[] {
    return this.from.all(fromSeq, limit);
  }

  /** The next sequence number, for a store written before the counter was kept. */
  nextSeq(): number {
    return (this.last.get()?.m ?? 0) + 1;
  }
}

/**
 * Reads another data folder's journal without writing to it or taking its lock, so a
 * venue may keep running on it: read-only, page by page.
 */
export class JournalFile {
  private readonly db: Database.Database;
  private readonly table: JournalTable | undefined;

  constructor(file: string, open: (file: string) => Database.Database) {
    this.db = open(file);
    const has = this.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'journal'").get() !== undefined;
    this.table = has ? new JournalTable(this.db) : undefined;
  }

  read(fromSeq: number, limit: number): JournalRow[] {
    return this.table?.read(fromSeq, limit) ?? [];
  }

  close(): void {
    this.db.close();
  }
}
