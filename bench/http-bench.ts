// Section 2: the signed, durable cancel over HTTP. The venue runs as `npm start` runs it
// (`serve` with package.json's Node flags, its own process, SQLite with --sync full by
// default, every request's HMAC-SHA256 signature checked, rate-limit accounting on with
// a limit the run cannot reach), and autocannon drives DELETE /papi/v1/cm/order over keep-alive connections.
// Every request cancels a different order that was really resting: the orders are
// placed through venue.place beforehand, and each request is signed when it is sent,
// so its timestamp is inside recvWindow. The baseline is a bare node:http server
// (bench/bare-server.ts) in its own process answering the same 17-field JSON to the same
// signed requests. The bare server and two venues (--sync full and --sync normal, each
// on its own copy of the prepared store) run side by side and take turns in short
// rounds, so a busy stretch of the machine falls on all of them. Afterwards each store
// is opened and its open orders counted: the orders gone must match the CANCELED answers.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Contender,
  checkStore,
  contender,
  orderCounts,
  pooled,
  prepare,
  round,
  type Server,
  Shares,
  Signer,
  start,
  startVenue,
  stop,
  summary,
} from "./cancel-load.js";
import { atLeast, atMost, info, type Line, progress, send } from "./report.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BARE = path.join(HERE, "bare-server.js");

const CONNECTIONS = 64;
/**
 * Warm-up per contender before the timed rounds: long enough for the JIT and for the
 * venue's first pass over its database pages, which made a first timed round after a
 * one-second warm-up the slowest of every run.
 */
const WARM_S = 3;
/** Rounds per contender, each of ROUND_S seconds on 64 connections and on 1. */
const ROUNDS = 4;
const ROUND_S = 2;
/**
 * Resting orders set aside for each venue run: each run cancels from its own share, so
 * none can eat another's. Sized for the load generator's ceiling on this kind of
 * machine (about 35,000 requests a second); a run that needs more fails, it never
 * cancels an order twice.
 */
const BUDGET = { warm: 120_000, round: 75_000, one: 15_000 } as const;
/** Orders placed before the runs; each venue cancels from its own copy of them. */
const ORDERS = BUDGET.warm + ROUNDS * (BUDGET.round + BUDGET.one);

async function main(): Promise<void> {
  const notes: string[] = [];
  const fullDir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-bench-http-"));
  const normalDir = `${fullDir}-normal`;
  const marketDir = `${fullDir}-market`;
  const servers: Server[] = [];
  try {
    const t0 = performance.now();
    const targets = await prepare(fullDir, ORDERS);
    // Beside the simulated market (around 30000), the resting orders sit at 25000 and 35000.
    const marketTargets = await prepare(marketDir, ORDERS, { bidTop: 249_999, askBottom: 350_001 });
    // The same resting orders for the second venue: a copy of the closed store.
    fs.cpSync(fullDir, normalDir, { recursive: true });
    notes.push(
      `http: ${targets.length} resting orders placed through venue.place in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    progress(notes.at(-1)!);
    const fullBefore = orderCounts(fullDir);
    const normalBefore = orderCounts(normalDir);
    const marketBefore = orderCounts(marketDir);
    // The bare server gets requests signed the same way, for orders it never looks up.
    const bareSigner = new Signer(targets, true);
    const fullShares = new Shares(targets);
    const normalShares = new Shares(targets);
    const marketShares = new Shares(marketTargets);
    const start4 = await Promise.all([
      start([BARE]),
      startVenue(fullDir, "full"),
      startVenue(normalDir, "normal"),
      startVenue(marketDir, "full", ["--market", "sim", "--seed", "1"]),
    ]);
    servers.push(...start4);
    const [bareServer, fullServer, normalServer, marketServer] = start4;
    const bare = contender("bare node:http", bareServer!, () => bareSigner);
    const full = contender("venue --sync full", fullServer!, (n) => fullShares.take(n));
    const normal = contender("venue --sync normal", normalServer!, (n) => normalShares.take(n));
    const market = contender("venue --sync full, simulated market", marketServer!, (n) =>
      marketShares.take(n),
    );
    const contenders = [bare, full, normal, market];

    for (const c of contenders)
      progress(summary(`${c.label} warm-up`, await round(c, CONNECTIONS, WARM_S, BUDGET.warm)));
    // Short rounds, interleaved and in a rotating order, so a busy stretch of this shared
    // machine falls on every contender alike rather than on whichever ran at the time.
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(r + i) % contenders.length]!;
        c.many.push(await round(c, CONNECTIONS, ROUND_S, BUDGET.round));
      }
      for (const c of r % 2 === 0 ? [bare, full] : [full, bare])
        c.one.push(await round(c, 1, ROUND_S, BUDGET.one));
    }
    await Promise.all(servers.splice(0).map(stop));
    for (const c of contenders) {
      notes.push(summary(`${c.label}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${ROUND_S} s`, c.many));
      if (c.one.length > 0)
        notes.push(summary(`${c.label}, 1 connection, ${ROUNDS} rounds of ${ROUND_S} s`, c.one));
    }
    const perRound = (c: Contender) =>
      c.many.map((r, i) => (pooled([r]).rps / pooled([bare.many[i]!]).rps).toFixed(2)).join(", ");
    notes.push(
      `http: rounds against the bare server, --sync full ${perRound(full)}; normal ${perRound(normal)}; with the market ${perRound(market)}`,
    );
    checkStore(full, fullDir, fullBefore, fullShares, notes);
    checkStore(normal, normalDir, normalBefore, normalShares, notes);
    checkStore(market, marketDir, marketBefore, marketShares, notes);

    const bareMany = pooled(bare.many);
    const lines: Line[] = [];
    for (const [sync, c] of [
      ["full", full],
      ["normal", normal],
    ] as const) {
      const ours = pooled(c.many);
      lines.push(
        atLeast(
          `cancel over HTTP, --sync ${sync}, ${CONNECTIONS} conns`,
          "req/s",
          ours.rps,
          bareMany.rps,
          ours.rps / bareMany.rps,
          0.55,
        ),
      );
      lines.push(
        atMost(
          `cancel p99, --sync ${sync}, ${CONNECTIONS} conns`,
          "ms",
          ours.p99,
          bareMany.p99,
          ours.p99 / bareMany.p99,
          2,
        ),
      );
    }
    const withMarket = pooled(market.many);
    lines.push(
      atLeast(
        `cancel over HTTP, simulated market running, ${CONNECTIONS} conns`,
        "req/s",
        withMarket.rps,
        bareMany.rps,
        withMarket.rps / bareMany.rps,
        0.5,
      ),
    );
    const bareOne = pooled(bare.one);
    lines.push(info("cancel p50, --sync full, 1 connection", "ms", pooled(full.one).p50, bareOne.p50));
    const fullCpu = pooled(full.many).cpuPerRequest;
    if (fullCpu !== undefined && bareMany.cpuPerRequest !== undefined) {
      lines.push(
        info(
          `server CPU per cancel, --sync full, ${CONNECTIONS} conns`,
          "µs",
          fullCpu,
          bareMany.cpuPerRequest,
        ),
      );
    }
    // One load generator signs every request; when the bare server answers about as
    // fast on one connection as on 64, the generator, not the server, set its pace.
    notes.push(
      `http: the bare server answered ${Math.round(bareMany.rps)} req/s on ${CONNECTIONS} connections and ` +
        `${Math.round(bareOne.rps)} req/s on 1; the load generator shares this ` +
        `${os.cpus().length}-core machine, so where those are close it bounds the baseline, and server CPU per request is the fairer comparison`,
    );
    await send({ lines, notes });
  } finally {
    await Promise.all(servers.map(stop));
    fs.rmSync(fullDir, { recursive: true, force: true });
    fs.rmSync(normalDir, { recursive: true, force: true });
    fs.rmSync(marketDir, { recursive: true, force: true });
  }
}

await main();
