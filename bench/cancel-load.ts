// The signed-cancel load both HTTP sections run: resting orders placed through the venue
// itself, the venue started as `npm start` starts it, autocannon sending signed
// DELETE /papi/v1/cm/order requests that each cancel a different resting order, the
// answers timed one by one, and the store checked afterwards against the answers.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon, { type Result } from "autocannon";
import Database from "better-sqlite3";
import { DATABASE_FILE, SqliteStore } from "../src/store/sqlite.js";
import { Venue } from "../src/venue/venue.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, "..", "src", "cli.js");
/** The Node flags `npm start` runs the venue with (package.json `config.node_flags`). */
const NODE_FLAGS: string[] = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(HERE, "..", "..", "..", "package.json"), "utf8")) as {
    config?: { node_flags?: string };
  };
  return (pkg.config?.node_flags ?? "").split(/\s+/).filter(Boolean);
})();
export const SYMBOL = "BTCUSD_PERP";
export const ADMIN_TOKEN = "bench-admin-token";
/** High enough that no run reaches it, so the accounting runs but never refuses. */
const IP_WEIGHT_LIMIT = 1_000_000_000;
/** Orders per account: few, so consecutive requests come from many accounts, as from many clients. */
const PER_ACCOUNT = 10;

export interface Key {
  readonly apiKey: string;
  readonly secret: string;
}

export interface Target {
  readonly key: Key;
  readonly orderId: number;
}

// ---- preparing the data folder through the venue itself ----

/**
 * Places `orders` resting orders through the venue itself, one in `spread` ticks of each
 * side: bids from `bidTop` down and asks from `askBottom` up (ticks of 0.1), so nothing
 * crosses. The defaults sit around 30000; a run beside the simulated market puts them far
 * from where it trades, so that its takers never take what the run cancels.
 */
export async function prepare(
  dir: string,
  orders: number,
  prices: { bidTop: number; askBottom: number } = { bidTop: 299_999, askBottom: 300_001 },
): Promise<Target[]> {
  const store = new SqliteStore(dir, { synchronous: "NORMAL" });
  const venue = new Venue(store);
  const spec = venue.symbol(SYMBOL);
  if (!spec) throw new Error(`${SYMBOL} is not listed`);
  const perAccount = Math.min(PER_ACCOUNT, spec.maxNumOrders);
  const accounts = Math.ceil(orders / perAccount);
  const now = Date.now();
  const keys: Key[] = [];
  const made = await Promise.all(
    Array.from({ length: accounts }, () => venue.createAccount(new Map([["BTC", 1000n * 10n ** 8n]]), now)),
  );
  for (const m of made) keys.push({ apiKey: m.apiKey, secret: m.secretKey! });
  // By default bids 29,900.0-29,999.9 and asks 30,000.1-30,100.0 (ticks of 0.1): nothing
  // crosses, and every price stays inside PERCENT_PRICE around the book's mid (a bid may
  // be any distance below it, an ask any distance above).
  const byAccount: number[][] = made.map(() => []);
  for (let k = 0; k < perAccount; k++) {
    const placed = made.map((m, a) => {
      const sell = (a + k) % 2 === 1;
      const price = sell ? prices.askBottom + ((a * 7 + k) % 1000) : prices.bidTop - ((a * 7 + k) % 1000);
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

/**
 * Open and cancelled orders of the clients in the venue's database, read directly
 * (loading the venue would take seconds); a simulated market's own orders are not counted.
 */
const CLIENTS = "account_id NOT IN (SELECT id FROM accounts WHERE house IS NOT NULL)";

export function orderCounts(dir: string): { open: number; canceled: number } {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      open: count(`SELECT COUNT(*) AS n FROM orders WHERE active = 1 AND ${CLIENTS}`),
      canceled: count(`SELECT COUNT(*) AS n FROM orders WHERE status = 'CANCELED' AND ${CLIENTS}`),
    };
  } finally {
    db.close();
  }
}

// ---- processes ----

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

export function start(args: string[]): Promise<Server> {
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

export function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.removeAllListeners("exit");
    server.child.on("exit", () => resolve());
    server.child.kill("SIGTERM");
  });
}

export function startVenue(
  dir: string,
  sync: "full" | "normal",
  extra: readonly string[] = [],
): Promise<Server> {
  return start([
    ...NODE_FLAGS,
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
    ...extra,
  ]);
}

// ---- load ----

/** Hands out the next order to cancel, signing its request at the moment it is sent. */
export class Signer {
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

export function cpuSeconds(pid: number | undefined): number | undefined {
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

export interface LoadResult {
  readonly result: Result;
  /** Server CPU seconds over the load; undefined where it cannot be read. */
  readonly cpuSeconds: number | undefined;
  /** Wall seconds the load ran. */
  readonly seconds: number;
  /** Each answered request's latency, ms, from our own microsecond timings. */
  readonly latencies: readonly number[];
  readonly canceled: number;
  readonly other: number;
  readonly firstOther: string | undefined;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function load(
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
  return {
    result,
    cpuSeconds: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0,
    seconds: elapsed,
    latencies,
    canceled,
    other,
    firstOther,
  };
}

export function summary(label: string, loads: LoadResult | readonly LoadResult[]): string {
  const all = Array.isArray(loads) ? (loads as readonly LoadResult[]) : [loads as LoadResult];
  const r = pooled(all);
  const sum = (f: (l: LoadResult) => number) => all.reduce((n, l) => n + f(l), 0);
  const firstOther = all.find((l) => l.firstOther)?.firstOther;
  return (
    `${label}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ` +
    `server CPU ${r.cpuPerRequest === undefined ? "?" : r.cpuPerRequest.toFixed(1)} µs/request, ` +
    `${sum((l) => l.canceled)} CANCELED, ${sum((l) => l.other)} other answers${firstOther ? ` (first: ${firstOther.slice(0, 120)})` : ""}, ` +
    `${sum((l) => l.result.errors)} errors, ${sum((l) => l.result.timeouts)} timeouts`
  );
}

/** Hands out disjoint shares of the resting orders, one per run. */
export class Shares {
  private next = 0;
  readonly signers: Signer[] = [];

  constructor(private readonly targets: readonly Target[]) {}

  take(count: number): Signer {
    const share = this.targets.slice(this.next, this.next + count);
    if (share.length < count) throw new Error(`only ${this.targets.length} orders were placed`);
    this.next += count;
    const signer = new Signer(share);
    this.signers.push(signer);
    return signer;
  }
}

/** One server under test, with the loads it has had so far. */
export interface Contender {
  readonly label: string;
  readonly server: Server;
  /** Where its orders come from: the bare server cycles, a venue takes fresh shares. */
  readonly signer: (budget: number) => Signer;
  readonly many: LoadResult[];
  readonly one: LoadResult[];
  /** CANCELED answers over every load, warm-up included. */
  answered: number;
}

export function contender(label: string, server: Server, signer: (budget: number) => Signer): Contender {
  return { label, server, signer, many: [], one: [], answered: 0 };
}

export async function round(
  c: Contender,
  connections: number,
  seconds: number,
  budget: number,
): Promise<LoadResult> {
  const r = await load(c.server, connections, seconds, c.signer(budget));
  c.answered += r.canceled;
  return r;
}

/** Everything the rounds of one contender add up to. */
export function pooled(results: readonly LoadResult[]): {
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequest: number | undefined;
} {
  const seconds = results.reduce((t, r) => t + r.seconds, 0);
  const answers = results.reduce((n, r) => n + r.latencies.length, 0);
  const sorted = Float64Array.from(results.flatMap((r) => [...r.latencies])).sort();
  const cpu = results.every((r) => r.cpuSeconds !== undefined)
    ? results.reduce((t, r) => t + r.cpuSeconds!, 0)
    : undefined;
  return {
    rps: answers / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuPerRequest: cpu === undefined ? undefined : (cpu * 1e6) / Math.max(1, answers),
  };
}

/** Checks that a venue's store lost exactly the orders it answered CANCELED for. */
export function checkStore(
  c: Contender,
  dir: string,
  before: { open: number; canceled: number },
  shares: Shares,
  notes: string[],
): void {
  if (shares.signers.some((s) => s.exhausted))
    throw new Error("a run sent more cancels than its share of resting orders: raise BUDGET");
  const after = orderCounts(dir);
  const gone = before.open - after.open;
  const canceled = after.canceled - before.canceled;
  const sent = shares.signers.reduce((n, s) => n + s.used, 0);
  // Requests still in flight when a run ends may have been cancelled without an answer read.
  const ok = gone === canceled && gone >= c.answered && gone <= sent;
  notes.push(
    `${c.label}: ${c.answered} CANCELED answers, ${gone} orders no longer open and ${canceled} ` +
      `more CANCELED in the store, ${sent} requests sent: ${ok ? "consistent" : "INCONSISTENT"}`,
  );
  if (!ok)
    throw new Error(
      `cancels do not add up: ${c.answered} answered, ${gone} gone, ${canceled} canceled, ${sent} sent`,
    );
  for (const r of [...c.many, ...c.one]) {
    if (r.other > 0 || r.result.errors > 0)
      throw new Error(`${c.label} had failures: ${r.other} other answers, ${r.result.errors} errors`);
  }
}
