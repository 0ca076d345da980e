// Section 3: durable commit. Orders go into the store the way the venue writes them
// (an OpenBatch handed to SqliteStore.commit, one transaction each), on the same kind of
// SQLite file (WAL, synchronous=FULL): many orders per commit, as the group commit does
// with every command of an event-loop turn, against one commit per order, as a venue
// without group commit would. Each order written is one event.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SqliteStore } from "../src/store/sqlite.js";
import { OpenBatch } from "../src/venue/group-commit.js";
import { atLeast, info, type Line, progress, send } from "./report.js";
import { countersAfter, storedOrder } from "./stored-orders.js";

const ACCOUNTS = 1000;
/** Orders per group commit; a burst of commands in one turn. */
const GROUP = 1000;
/** What 64 connections can put in one turn at most, one request each. */
const SMALL_GROUP = 64;
const GROUPED_ORDERS = 100_000;
/** One commit per order runs this long (an fsync each). */
const SINGLE_MS = 3000;

function freshStore(label: string): { store: SqliteStore; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `papi-bench-${label}-`));
  return { store: new SqliteStore(dir, { synchronous: "FULL" }), dir };
}

/** Orders per second committed `group` at a time, `total` orders in all. */
function grouped(group: number, total: number): number {
  const { store, dir } = freshStore(`group${group}`);
  try {
    const now = Date.now();
    let id = 0;
    let elapsed = 0;
    while (id < total) {
      const batch = new OpenBatch();
      for (let i = 0; i < group; i++) batch.orders.add(storedOrder(++id, ACCOUNTS, now));
      const t0 = performance.now();
      store.commit(batch.toBatch(countersAfter(id, ACCOUNTS)));
      elapsed += performance.now() - t0;
    }
    return id / (elapsed / 1000);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Orders per second with one transaction per order, for SINGLE_MS. */
function single(): number {
  const { store, dir } = freshStore("single");
  try {
    const now = Date.now();
    let id = 0;
    let elapsed = 0;
    while (elapsed < SINGLE_MS) {
      const batch = new OpenBatch();
      batch.orders.add(storedOrder(++id, ACCOUNTS, now));
      const t0 = performance.now();
      store.commit(batch.toBatch(countersAfter(id, ACCOUNTS)));
      elapsed += performance.now() - t0;
    }
    return id / (elapsed / 1000);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // Alternate so a busy disk or CPU stretch is shared.
  const perOrder1 = single();
  const many = grouped(GROUP, GROUPED_ORDERS);
  const few = grouped(SMALL_GROUP, GROUPED_ORDERS / 4);
  const perOrder2 = single();
  const perOrder = (perOrder1 + perOrder2) / 2;
  progress(`commit: one per order ${Math.round(perOrder)}/s, ${GROUP} per commit ${Math.round(many)}/s`);
  const lines: Line[] = [
    atLeast(
      `group commit, ${GROUP} orders/commit vs 1/commit`,
      "events/s",
      many,
      perOrder,
      many / perOrder,
      20,
    ),
    info(`group commit, ${SMALL_GROUP} orders/commit vs 1/commit`, "events/s", few, perOrder),
  ];
  const notes = [
    `commit: SQLite WAL, synchronous=FULL; ${GROUPED_ORDERS} orders in commits of ${GROUP}; one commit per order for ${SINGLE_MS / 1000} s, twice`,
  ];
  await send({ lines, notes });
}

await main();
