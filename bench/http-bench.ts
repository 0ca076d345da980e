// Section 2: the signed, durable cancel over HTTP. The venue runs as the CLI does
// (`serve`, its own process, SQLite with --sync full by default, every request's
// HMAC-SHA256 signature checked, rate-limit accounting on with a limit the run cannot
// reach), and autocannon drives DELETE /papi/v1/cm/order over keep-alive connections.
// Every request cancels a different order that was really resting: the orders are
// placed through venue.place beforehand, and each request is signed when it is sent,
// so its timestamp is inside recvWindow. The baseline is a bare node:http server
// (bench/bare-server.ts) in its own process answering the same 17-field JSON to the same
// signed requests, measured in the same run, before and after the venue so a busy
// stretch of the machine is shared. After each venue run the store is opened and its
// open orders counted: the orders gone must match the CANCELED answers.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Result } from "autocannon";
import Database from "better-sqlite3";
import { DATABASE_FILE, SqliteStore } from "../src/store/sqlite.js";
import { Venue } from "../src/venue/venue.js";
import { atLeast, atMost, info, type Line, progress, send } from "./report.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, "..", "src", "cli.js");
const BARE = path.join(HERE, "bare-server.js");
const SYMBOL = "BTCUSD_PERP";
const ADMIN_TOKEN = "bench-admin-token";
/** High enough that no run reaches it, so the accounting runs but never refuses. */
const IP_WEIGHT_LIMIT = 1_000_000_000;

const CONNECTIONS = 64;
const WARM_S = 1;
const RUN_S = 6;
const SINGLE_RUN_S = 4;
/**
 * Resting orders set aside for each venue run: each run cancels from its own share, so
 * none can eat another's. Sized for the load generator's ceiling on this kind of
 * machine (about 35,000 requests a second); a run that needs more fails, it never
 * cancels an order twice.
 */
const BUDGET = { warm: 50_000, many: 200_000, one: 30_000 } as const;
/** Orders placed before the runs: --sync full takes warm + many + one, normal warm + many. */
const ORDERS = 2 * BUDGET.warm + 2 * BUDGET.many + BUDGET.one;
/**
 * Orders per account. Few, because placing an order re-derives the account's margin
 * from all its open orders (see the report), so preparation time grows with this.
 */
const PER_ACCOUNT = 10;

interface Key {
  readonly apiKey: string;
  readonly secret: string;
}

interface Target {
  readonly key: Key;
  readonly orderId: number;
}

// ---- preparing the data folder through the venue itself ----

async function prepare(dir: string): Promise<Target[]> {
  const store = new SqliteStore(dir, { synchronous: "NORMAL" });
  const venue = new Venue(store);
  const spec = venue.symbol(SYMBOL);
  if (!spec) throw new Error(`${SYMBOL} is not listed`);
  const perAccount = Math.min(PER_ACCOUNT, spec.maxNumOrders);
  const accounts = Math.ceil(ORDERS / perAccount);
  const now = Date.now();
  const keys: Key[] = [];
  const made = await Promise.all(
    Array.from({ length: accounts }, () => venue.createAccount(new Map([["BTC", 1000n * 10n ** 8n]]), now)),
  );
  for (const m of made) keys.push({ apiKey: m.apiKey, secret: m.secretKey! });
  // Bids 29,900.0-29,999.9 and asks 30,000.1-30,100.0 (ticks of 0.1): nothing crosses,
  // and every price stays inside PERCENT_PRICE around the book's mid.
  const byAccount: number[][] = made.map(() => []);
  for (let k = 0; k < perAccount; k++) {
    const placed = made.map((m, a) => {
      const sell = (a + k) % 2 === 1;
      const price = sell ? 300_001 + ((a * 7 + k) % 1000) : 299_999 - ((a * 7 + k) % 1000);
      return venue.place({
        accountId: m.accountId,
        symbol: spec,
        side: sell ? "SELL" : "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        price,
        quantity: 1,
        clientOrderId: undefined,
        reduceOnly: false,
        positionSide: "BOTH",
        respType: "ACK",
        now,
      });
    });
    const views = await Promise.all(placed);
    for (const [a, v] of views.entries()) byAccount[a]!.push(v.id);
  }
  await venue.flushed();
  store.close();
  // Consecutive requests come from different accounts, as they would from many clients.
  const targets: Target[] = [];
  for (let k = 0; k < perAccount; k++) {
    for (let a = 0; a < accounts; a++) {
      const id = byAccount[a]![k];
      if (id !== undefined) targets.push({ key: keys[a]!, orderId: id });
    }
  }
  return targets;
}

/** Open and cancelled orders in the venue's database, read directly (loading the venue would take seconds). */
function orderCounts(dir: string): { open: number; canceled: number } {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      open: count("SELECT COUNT(*) AS n FROM orders WHERE active = 1"),
      canceled: count("SELECT COUNT(*) AS n FROM orders WHERE status = 'CANCELED'"),
    };
  } finally {
    db.close();
  }
}

// ---- processes ----

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

function start(args: string[]): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve({ url: m[1]!, child });
      }
    };
    child.stdout!.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`server exited with ${code} before listening: ${out}`)));
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.removeAllListeners("exit");
    server.child.on("exit", () => resolve());
    server.child.kill("SIGTERM");
  });
}

function startVenue(dir: string, sync: "full" | "normal"): Promise<Server> {
  return start([
    CLI,
    "serve",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--data",
    dir,
    "--admin-token",
    ADMIN_TOKEN,
    "--sync",
    sync,
    "--ip-weight-limit",
    String(IP_WEIGHT_LIMIT),
  ]);
}

// ---- load ----

/** Hands out the next order to cancel, signing its request at the moment it is sent. */
class Signer {
  private next = 0;

  /** @param cycle reuse the targets round and round (the bare server looks nothing up). */
  constructor(
    private readonly targets: readonly Target[],
    private readonly cycle = false,
  ) {}

  get used(): number {
    return this.next;
  }

  /** True once more requests were asked for than this signer has orders. */
  get exhausted(): boolean {
    return !this.cycle && this.next > this.targets.length;
  }

  request(): { path: string; headers: Record<string, string> } {
    const at = this.next++;
    // Past the end, repeat the last order: its second cancel is refused, which fails the run.
    const target =
      this.targets[this.cycle ? at % this.targets.length : Math.min(at, this.targets.length - 1)]!;
    const query = `symbol=${SYMBOL}&orderId=${target.orderId}&timestamp=${Date.now()}`;
    const signature = createHmac("sha256", target.key.secret).update(query).digest("hex");
    return {
      path: `/papi/v1/cm/order?${query}&signature=${signature}`,
      headers: { "x-mbx-apikey": target.key.apiKey },
    };
  }
}

/** CPU seconds a process has used so far (Linux /proc), or undefined where that is not readable. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may itself hold spaces: state is [0], utime [11], stime [12].
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

interface LoadResult {
  readonly result: Result;
  /** Server CPU time per answered request, µs; undefined where it cannot be read. */
  readonly cpuPerRequest: number | undefined;
  /** Answers per second over the whole run. */
  readonly rps: number;
  /** Latency percentiles in ms, from our own microsecond timings. */
  readonly p50: number;
  readonly p99: number;
  readonly canceled: number;
  readonly other: number;
  readonly firstOther: string | undefined;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function load(
  server: Server,
  connections: number,
  duration: number,
  signer: Signer,
): Promise<LoadResult> {
  const cpu0 = cpuSeconds(server.child.pid);
  let canceled = 0;
  let other = 0;
  let firstOther: string | undefined;
  // autocannon's own histogram has whole milliseconds; a connection carries one request
  // at a time, so the time from building a request to its answer is that request's latency.
  const latencies: number[] = [];
  const started = performance.now();
  const result = await autocannon({
    url: server.url,
    connections,
    duration,
    requests: [
      {
        method: "DELETE",
        setupRequest: (req, context) => {
          const signed = signer.request();
          context.sentAt = performance.now();
          return { ...req, ...signed };
        },
        onResponse: (status, body, context) => {
          latencies.push(performance.now() - (context.sentAt as number));
          if (status === 200 && body.includes('"status":"CANCELED"')) canceled++;
          else {
            other++;
            firstOther ??= `${status} ${body}`;
          }
        },
      },
    ],
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu1 = cpuSeconds(server.child.pid);
  const sorted = Float64Array.from(latencies).sort();
  return {
    result,
    cpuPerRequest:
      cpu0 === undefined || cpu1 === undefined
        ? undefined
        : ((cpu1 - cpu0) * 1e6) / Math.max(1, latencies.length),
    rps: latencies.length / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    canceled,
    other,
    firstOther,
  };
}

function summary(label: string, r: LoadResult): string {
  const res = r.result;
  return (
    `${label}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ` +
    `server CPU ${r.cpuPerRequest === undefined ? "?" : r.cpuPerRequest.toFixed(1)} µs/request, ` +
    `${r.canceled} CANCELED, ${r.other} other answers${r.firstOther ? ` (first: ${r.firstOther.slice(0, 120)})` : ""}, ` +
    `${res.errors} errors, ${res.timeouts} timeouts`
  );
}

/** Runs the venue over `runs`, then checks the store lost exactly the orders that were cancelled. */
/** Hands out disjoint shares of the resting orders, one per run. */
class Shares {
  private next = 0;

  constructor(private readonly targets: readonly Target[]) {}

  take(count: number): Signer {
    const share = this.targets.slice(this.next, this.next + count);
    if (share.length < count) throw new Error(`only ${this.targets.length} orders were placed`);
    this.next += count;
    return new Signer(share);
  }
}

interface VenueRun {
  readonly connections: number;
  readonly seconds: number;
  readonly budget: number;
}

async function venueRuns(
  dir: string,
  sync: "full" | "normal",
  shares: Shares,
  runs: VenueRun[],
  notes: string[],
): Promise<LoadResult[]> {
  const before = orderCounts(dir);
  const server = await startVenue(dir, sync);
  const out: LoadResult[] = [];
  const signers: Signer[] = [];
  let answered = 0;
  try {
    const warmSigner = shares.take(BUDGET.warm);
    signers.push(warmSigner);
    const warm = await load(server, CONNECTIONS, WARM_S, warmSigner);
    answered += warm.canceled;
    progress(summary(`venue --sync ${sync} warm-up`, warm));
    for (const run of runs) {
      const signer = shares.take(run.budget);
      signers.push(signer);
      const r = await load(server, run.connections, run.seconds, signer);
      answered += r.canceled;
      out.push(r);
      notes.push(summary(`venue --sync ${sync}, ${run.connections} connection(s)`, r));
      progress(notes.at(-1)!);
    }
  } finally {
    await stop(server);
  }
  if (signers.some((s) => s.exhausted))
    throw new Error("a run sent more cancels than its share of resting orders: raise BUDGET");
  const after = orderCounts(dir);
  const gone = before.open - after.open;
  const canceled = after.canceled - before.canceled;
  const sent = signers.reduce((n, s) => n + s.used, 0);
  // Requests still in flight when a run ends may have been cancelled without an answer read.
  const ok = gone === canceled && gone >= answered && gone <= sent;
  notes.push(
    `venue --sync ${sync}: ${answered} CANCELED answers, ${gone} orders no longer open and ${canceled} ` +
      `more CANCELED in the store, ${sent} requests sent: ${ok ? "consistent" : "INCONSISTENT"}`,
  );
  if (!ok)
    throw new Error(
      `cancels do not add up: ${answered} answered, ${gone} gone, ${canceled} canceled, ${sent} sent`,
    );
  for (const r of out) {
    if (r.other > 0 || r.result.errors > 0)
      throw new Error(`the venue run had failures: ${r.other} other answers, ${r.result.errors} errors`);
  }
  return out;
}

async function bareRuns(signer: Signer, notes: string[], round: number): Promise<LoadResult[]> {
  const server = await start([BARE]);
  try {
    await load(server, CONNECTIONS, WARM_S, signer);
    const many = await load(server, CONNECTIONS, RUN_S, signer);
    const one = await load(server, 1, SINGLE_RUN_S, signer);
    notes.push(summary(`bare node:http round ${round}, ${CONNECTIONS} connections`, many));
    notes.push(summary(`bare node:http round ${round}, 1 connection`, one));
    progress(notes.at(-2)!);
    progress(notes.at(-1)!);
    return [many, one];
  } finally {
    await stop(server);
  }
}

async function main(): Promise<void> {
  const notes: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-bench-http-"));
  try {
    const t0 = performance.now();
    const targets = await prepare(dir);
    notes.push(
      `http: ${targets.length} resting orders placed through venue.place in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    progress(notes.at(-1)!);
    // The bare server gets requests signed the same way, for orders it never looks up.
    const bareSigner = new Signer(targets, true);
    const shares = new Shares(targets);

    const [bare1Many, bare1One] = await bareRuns(bareSigner, notes, 1);
    const [fullMany, fullOne] = await venueRuns(
      dir,
      "full",
      shares,
      [
        { connections: CONNECTIONS, seconds: RUN_S, budget: BUDGET.many },
        { connections: 1, seconds: SINGLE_RUN_S, budget: BUDGET.one },
      ],
      notes,
    );
    const [normalMany] = await venueRuns(
      dir,
      "normal",
      shares,
      [{ connections: CONNECTIONS, seconds: RUN_S, budget: BUDGET.many }],
      notes,
    );
    const [bare2Many, bare2One] = await bareRuns(bareSigner, notes, 2);

    const mean = (a: number, b: number) => (a + b) / 2;
    const bareRps = mean(bare1Many!.rps, bare2Many!.rps);
    const bareP99 = mean(bare1Many!.p99, bare2Many!.p99);
    const bareP50One = mean(bare1One!.p50, bare2One!.p50);
    const lines: Line[] = [];
    for (const [sync, r] of [
      ["full", fullMany!],
      ["normal", normalMany!],
    ] as const) {
      const rps = r.rps;
      const p99 = r.p99;
      lines.push(
        atLeast(
          `cancel over HTTP, --sync ${sync}, ${CONNECTIONS} conns`,
          "req/s",
          rps,
          bareRps,
          rps / bareRps,
          0.55,
        ),
      );
      lines.push(
        atMost(`cancel p99, --sync ${sync}, ${CONNECTIONS} conns`, "ms", p99, bareP99, p99 / bareP99, 2),
      );
    }
    const p50 = fullOne!.p50;
    lines.push(info("cancel p50, --sync full, 1 connection", "ms", p50, bareP50One));
    const bareCpu = [bare1Many!.cpuPerRequest, bare2Many!.cpuPerRequest];
    if (fullMany!.cpuPerRequest !== undefined && bareCpu[0] !== undefined && bareCpu[1] !== undefined) {
      const bare = mean(bareCpu[0], bareCpu[1]);
      lines.push(
        info(`server CPU per cancel, --sync full, ${CONNECTIONS} conns`, "µs", fullMany!.cpuPerRequest, bare),
      );
    }
    // One load generator signs every request; when the bare server answers about as
    // fast on one connection as on 64, the generator, not the server, set its pace.
    notes.push(
      `http: the bare server answered ${Math.round(bareRps)} req/s on ${CONNECTIONS} connections and ` +
        `${Math.round(mean(bare1One!.rps, bare2One!.rps))} req/s on 1; the load generator shares this ` +
        `${os.cpus().length}-core machine, so where those are close it bounds the baseline, and server CPU per request is the fairer comparison`,
    );
    await send({ lines, notes });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
