// One venue per data folder. Two venues writing one database hand out the same ids and
// lose each other's acknowledged orders, so `serve` holds this lock for its whole life.
//
// The lock is an exclusive SQLite lock on `venue.lock` in the folder: a connection in
// `locking_mode=EXCLUSIVE` that has run one exclusive transaction keeps its lock until it
// closes. SQLite takes it with POSIX advisory locks (fcntl), which the kernel drops when
// the process ends however it ends, so a `kill -9` never leaves a stale lock and the next
// venue starts at once. better-sqlite3 is already here for the store, so no other native
// addon is needed for flock, and a lock file with a PID and a staleness timeout (as
// proper-lockfile does) would stay held after a kill -9 until the timeout. The lock
// lives in its own file, not in `venue.db`, so the database keeps its normal locking
// (tests and tools may still read it, and a writer's busy lock stays a fault the venue
// answers with -1001 instead of a refusal to start).
//
// Taking the lock writes nothing when the folder is held: SQLite opens an existing file
// without changing it, and the refused transaction never starts.

import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

export const LOCK_FILE = "venue.lock";

/** The folder is held by another process (`pid` when the kernel tells who). */
export class FolderHeld extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number | undefined,
  ) {
    super(`data folder ${folder} is in use by another venue${pid === undefined ? "" : ` (PID ${pid})`}`);
  }
}

export class FolderLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the folder's lock (the folder must exist); throws FolderHeld when another process has it. */
  static acquire(folder: string): FolderLock {
    const file = path.join(folder, LOCK_FILE);
    const existed = fs.existsSync(file);
    // timeout 0: a held lock is an answer, not something to wait for.
    const db = new Database(file, { timeout: 0 });
    try {
      if (!existed) fs.chmodSync(file, 0o600);
      db.pragma("locking_mode = EXCLUSIVE");
      // The empty transaction has nothing to roll back; a journal file would only linger.
      db.pragma("journal_mode = MEMORY");
      db.exec("BEGIN EXCLUSIVE; COMMIT");
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === "SQLITE_BUSY") throw new FolderHeld(folder, holderPid(file));
      throw error;
    }
    return new FolderLock(db);
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Who holds a lock on the file, from Linux's /proc/locks (`<n>: POSIX ADVISORY WRITE <pid>
 * <major>:<minor>:<inode> <start> <end>`); undefined where that table is not there or
 * names no other process.
 */
function holderPid(file: string): number | undefined {
  let table: string;
  let inode: number;
  try {
    inode = fs.statSync(file).ino;
    table = fs.readFileSync("/proc/locks", "utf8");
  } catch {
    return undefined;
  }
  for (const line of table.split("\n")) {
    // A "->" line is a process waiting for the lock, not holding it.
    if (line.includes("->")) continue;
    const fields = line.trim().split(/\s+/);
    const pid = Number(fields[4]);
    const at = fields[5]?.split(":");
    if (at?.length === 3 && Number(at[2]) === inode && Number.isInteger(pid) && pid !== process.pid)
      return pid;
  }
  return undefined;
}
