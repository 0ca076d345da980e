// Section 4: recovery. A data folder is prepared with 1,000,000 resting orders (accounts
// made through the venue, orders written through SqliteStore.commit in big batches),
// then a fresh process times `new SqliteStore(dir)` + `new Venue(store)`, which rebuilds
// every book in time priority and the venue's order indexes, and checks that every
// order is back on a book. A second read of the store alone splits the time.

import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SqliteStore } from "../src/store/sqlite.js";
import { OpenBatch } from "../src/venue/group-commit.js";
import { Venue } from "../src/venue/venue.js";
import { info, type Line, progress, send } from "./report.js";
import { countersAfter, storedOrder, symbolNames } from "./stored-orders.js";

const ORDERS = 1_000_000;
const ACCOUNTS = 1000;
const BATCH = 50_000;

interface Timing {
  readonly totalMs: number;
  readonly storeMs: number;
  readonly resting: number;
}

async function prepare(dir: string): Promise<void> {
  const store = new SqliteStore(dir, { synchronous: "NORMAL" });
  const venue = new Venue(store);
  const now = Date.now();
  await Promise.all(
    Array.from({ length: ACCOUNTS }, () => venue.createAccount(new Map([["BTC", 100n * 10n ** 8n]]), now)),
  );
  await venue.flushed();
  for (let id = 0; id < ORDERS; ) {
    const batch = new OpenBatch();
    for (let i = 0; i < BATCH && id < ORDERS; i++) batch.orders.add(storedOrder(++id, ACCOUNTS, now));
    store.commit(batch.toBatch(countersAfter(id, ACCOUNTS)));
  }
  store.close();
}

/** In the child: the timed start of a venue on the prepared folder. */
async function recover(dir: string): Promise<Timing> {
  const t0 = performance.now();
  const store = new SqliteStore(dir);
  const venue = new Venue(store);
  const totalMs = performance.now() - t0;
  let resting = 0;
  for (const symbol of symbolNames()) {
    const depth = await venue.depth(symbol, Number.MAX_SAFE_INTEGER);
    for (const level of [...depth.bids, ...depth.asks]) resting += level.orders;
  }
  const t1 = performance.now();
  store.load();
  const storeMs = performance.now() - t1;
  store.close();
  return { totalMs, storeMs, resting };
}

function child(dir: string): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const c = fork(fileURLToPath(import.meta.url), ["--child", dir], {
      execArgv: ["--max-old-space-size=8192"],
    });
    let result: Timing | undefined;
    c.on("message", (m) => {
      result = m as Timing;
    });
    c.on("error", reject);
    c.on("exit", (code) =>
      code === 0 && result ? resolve(result) : reject(new Error(`recovery child exited ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-bench-recovery-"));
  try {
    const t0 = performance.now();
    await prepare(dir);
    const prepS = (performance.now() - t0) / 1000;
    progress(`recovery: ${ORDERS} orders written in ${prepS.toFixed(1)} s`);
    const t = await child(dir);
    if (t.resting !== ORDERS) throw new Error(`recovered ${t.resting} resting orders, expected ${ORDERS}`);
    const rate = ORDERS / (t.totalMs / 1000);
    const lines: Line[] = [info(`recovery, ${ORDERS.toLocaleString("en-US")} open orders`, "orders/s", rate)];
    const notes = [
      `recovery: ${ORDERS} open orders (${ACCOUNTS} accounts, ${symbolNames().length} symbols) rebuilt in ` +
        `${(t.totalMs / 1000).toFixed(2)} s; reading them from SQLite alone takes ${(t.storeMs / 1000).toFixed(2)} s ` +
        `(warm), the rest is the books and indexes; all ${t.resting} back on their books`,
    ];
    await send({ lines, notes });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  const timing = await recover(process.argv[3]!);
  process.send!(timing, () => process.exit(0));
} else {
  await main();
}
