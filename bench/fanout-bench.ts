// Section: the market streams' fan-out. Two venues run as `npm start` runs them, each on
// its own copy of the same prepared store, and take the same steady order flow: signed
// cancels of resting orders from autocannon (64 connections) and, beside them, a trade
// every 50 ms (a maker and a taker order at 30000.0, between the resting bids and asks),
// so the book changes and trades print. One venue has 1,000 WebSocket subscribers on
// `btcusd_perp@depth@100ms` and `btcusd_perp@aggTrade` (bench/subscribers.ts, a process
// of its own, below the venue's priority as clients elsewhere would be); the other has
// none. They take turns in short rounds. Lines: the cancel
// throughput and p99 with the subscribers against the same flow without them, and the
// events delivered per second. After the timing, the first subscriber's local book must
// equal the venue's REST snapshot, and each store must have lost exactly the orders it
// answered CANCELED for; a run where either fails is broken, not slow.

import { type ChildProcess, fork } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkStore,
  contender,
  cpuSeconds,
  type Key,
  orderCounts,
  pooled,
  prepare,
  round,
  type Server,
  Shares,
  startVenue,
  stop,
  summary,
} from "./cancel-load.js";
import { atLeast, atMost, info, type Line, progress, send } from "./report.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SUBSCRIBERS = 1000;
const STREAMS = "btcusd_perp@depth@100ms/btcusd_perp@aggTrade";
const CONNECTIONS = 64;
const WARM_S = 3;
/** Ten rounds each: on these shared cores one round's ratio swings by a fifth either way. */
const ROUNDS = 10;
const ROUND_S = 2;
/** Resting orders each run may cancel (see http-bench.ts): the generator's ceiling here is about 35,000 a second. */
const BUDGET = { warm: 120_000, round: 75_000 } as const;
const ORDERS = BUDGET.warm + ROUNDS * BUDGET.round;
const TRADE_EVERY_MS = 50;
/** The subscribers' process's scheduling priority (see Audience.start). */
const AUDIENCE_NICENESS = 10;

// ---- the subscribers' process ----

class Audience {
  private constructor(private readonly child: ChildProcess) {}

  static start(url: string): Promise<Audience> {
    const child = fork(path.join(HERE, "subscribers.js"), [url, String(SUBSCRIBERS), STREAMS], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    // The subscribers stand for clients on other machines: here they share the venue's two
    // cores, so they run below it and take the time it leaves, as the venue's own fan-out
    // process does. They still receive every event (the rate is printed, the book checked).
    os.setPriority(child.pid!, AUDIENCE_NICENESS);
    return new Promise((resolve, reject) => {
      child.once("message", (m: { ready?: number }) => {
        if (m.ready === SUBSCRIBERS) resolve(new Audience(child));
        else reject(new Error(`subscribers not ready: ${JSON.stringify(m)}`));
      });
      child.once("exit", (code) => reject(new Error(`subscribers exited with ${code}`)));
    });
  }

  private ask<T>(cmd: string): Promise<T> {
    return new Promise((resolve) => {
      this.child.once("message", (m) => resolve(m as T));
      this.child.send({ cmd });
    });
  }

  async received(): Promise<number> {
    return (await this.ask<{ received: number }>("count")).received;
  }

  book() {
    return this.ask<{
      book?: { bids: [string, string][]; asks: [string, string][]; applied: number };
      error?: string;
    }>("book");
  }

  /** CPU seconds the subscribers' process has used so far. */
  cpu(): number | undefined {
    return cpuSeconds(this.child.pid);
  }

  close(): void {
    this.child.removeAllListeners("exit");
    this.child.send({ cmd: "close" });
  }
}

// ---- the trades beside the cancels ----

/** A maker and a taker order at 30000.0 every TRADE_EVERY_MS, signed by one account, while running. */
class Trades {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  sent = 0;
  failed: string | undefined;

  constructor(private readonly key: Key) {}

  start(url: string): void {
    this.timer = setInterval(() => {
      this.inFlight = this.inFlight.then(() => this.trade(url));
    }, TRADE_EVERY_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }

  private async trade(url: string): Promise<void> {
    for (const side of ["SELL", "BUY"]) {
      const query = `symbol=BTCUSD_PERP&side=${side}&type=LIMIT&timeInForce=GTC&quantity=1&price=30000.0&timestamp=${Date.now()}`;
      const signature = createHmac("sha256", this.key.secret).update(query).digest("hex");
      const res = await fetch(`${url}/papi/v1/cm/order?${query}&signature=${signature}`, {
        method: "POST",
        headers: { "x-mbx-apikey": this.key.apiKey },
      });
      const body = await res.text();
      if (res.status !== 200) this.failed ??= `${res.status} ${body}`;
      this.sent++;
    }
  }
}

async function main(): Promise<void> {
  const notes: string[] = [];
  const withDir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-bench-fanout-"));
  const withoutDir = `${withDir}-quiet`;
  const servers: Server[] = [];
  let audience: Audience | undefined;
  try {
    const targets = await prepare(withDir, ORDERS);
    fs.cpSync(withDir, withoutDir, { recursive: true });
    const withBefore = orderCounts(withDir);
    const withoutBefore = orderCounts(withoutDir);
    const started = await Promise.all([startVenue(withDir, "full"), startVenue(withoutDir, "full")]);
    servers.push(...started);
    const [withServer, withoutServer] = started;
    const t0 = performance.now();
    audience = await Audience.start(withServer!.url);
    progress(
      `fanout: ${SUBSCRIBERS} subscribers connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const withShares = new Shares(targets);
    const withoutShares = new Shares(targets);
    const loud = contender(`venue with ${SUBSCRIBERS} subscribers`, withServer!, (n) => withShares.take(n));
    const quiet = contender("venue without subscribers", withoutServer!, (n) => withoutShares.take(n));
    // The trades come from an account whose resting orders are never cancelled by the rounds.
    const trades = new Trades(targets[targets.length - 1]!.key);
    let delivered = 0;
    let deliveredSeconds = 0;
    let audienceCpu = 0;
    const timed = async (c: typeof loud, seconds: number, budget: number) => {
      const before = c === loud ? await audience!.received() : 0;
      const cpu0 = audience!.cpu() ?? 0;
      trades.start(c.server.url);
      const r = await round(c, CONNECTIONS, seconds, budget);
      await trades.stop();
      if (c === loud) {
        delivered += (await audience!.received()) - before;
        deliveredSeconds += r.seconds;
        audienceCpu += (audience!.cpu() ?? 0) - cpu0;
      }
      return r;
    };
    for (const c of [loud, quiet])
      progress(summary(`${c.label} warm-up`, await timed(c, WARM_S, BUDGET.warm)));
    delivered = 0;
    deliveredSeconds = 0;
    audienceCpu = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of r % 2 === 0 ? [loud, quiet] : [quiet, loud])
        c.many.push(await timed(c, ROUND_S, BUDGET.round));
    }
    if (trades.failed) throw new Error(`a trade order was refused: ${trades.failed}`);
    // The last diff window closes within 100 ms; then the subscriber's book must be the venue's.
    await new Promise((r) => setTimeout(r, 300));
    const rest = (await (
      await fetch(`${withServer!.url}/dapi/v1/depth?symbol=BTCUSD_PERP&limit=1000`)
    ).json()) as {
      bids: [string, string][];
      asks: [string, string][];
    };
    const local = await audience.book();
    if (!local.book) throw new Error(`the subscriber's local book broke: ${local.error}`);
    const same =
      JSON.stringify([local.book.bids, local.book.asks]) === JSON.stringify([rest.bids, rest.asks]);
    notes.push(
      `fanout: the first subscriber's local book (${local.book.applied} diffs applied, ${local.book.bids.length} bid and ` +
        `${local.book.asks.length} ask levels) ${same ? "equals" : "DIFFERS FROM"} the REST snapshot; ${trades.sent} trade orders sent`,
    );
    if (!same) throw new Error("the subscriber's local book differs from the venue's");
    audience.close();
    audience = undefined;
    await Promise.all(servers.splice(0).map(stop));
    for (const c of [loud, quiet])
      notes.push(summary(`${c.label}, ${ROUNDS} rounds of ${ROUND_S} s`, c.many));
    checkStore(loud, withDir, withBefore, withShares, notes);
    checkStore(quiet, withoutDir, withoutBefore, withoutShares, notes);

    const pairs = loud.many
      .map((r, i) => pooled([r]).rps / pooled([quiet.many[i]!]).rps)
      .sort((a, b) => a - b);
    notes.push(
      `fanout: each round's throughput with subscribers over the same round's without, sorted: ${pairs
        .map((x) => `${x.toFixed(2)}x`)
        .join(" ")}`,
    );
    const ours = pooled(loud.many);
    const base = pooled(quiet.many);
    const lines: Line[] = [
      atLeast(
        `cancel with ${SUBSCRIBERS} stream subscribers, ${CONNECTIONS} conns`,
        "req/s",
        ours.rps,
        base.rps,
        ours.rps / base.rps,
        0.8,
      ),
      atMost(
        `cancel p99 with ${SUBSCRIBERS} stream subscribers`,
        "ms",
        ours.p99,
        base.p99,
        ours.p99 / base.p99,
        1.5,
      ),
      info(`stream events delivered to ${SUBSCRIBERS} subscribers`, "events/s", delivered / deliveredSeconds),
    ];
    if (ours.cpuPerRequest !== undefined && base.cpuPerRequest !== undefined)
      lines.push(
        info(
          `server CPU per cancel with ${SUBSCRIBERS} subscribers`,
          "µs",
          ours.cpuPerRequest,
          base.cpuPerRequest,
        ),
      );
    notes.push(
      `fanout: the subscribers' process shares this ${os.cpus().length}-core machine with the venue and the load ` +
        `generator during the rounds with subscribers only, and used ${(audienceCpu / deliveredSeconds).toFixed(2)} of a ` +
        "core there; server CPU per cancel compares the venues alone",
    );
    await send({ lines, notes });
  } finally {
    audience?.close();
    await Promise.all(servers.map(stop));
    fs.rmSync(withDir, { recursive: true, force: true });
    fs.rmSync(withoutDir, { recursive: true, force: true });
  }
}

await main();
