// Every row of every table of a data folder's database, each table's rows sorted, read
// without writing: what "the same store, byte for byte" compares.

import path from "node:path";
import Database from "better-sqlite3";

export function storeDump(dir: string): Record<string, string[]> {
  const db = new Database(path.join(dir, "venue.db"), { readonly: true });
  try {
    const out: Record<string, string[]> = {};
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all();
    for (const { name } of tables)
      out[name] = db
        .prepare(`SELECT * FROM "${name}"`)
        .raw()
        .all()
        .map((row) => JSON.stringify(row))
        .sort();
    return out;
  } finally {
    db.close();
  }
}
