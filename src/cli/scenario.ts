// `papi-venue scenario FILE`: runs a JSON or YAML list of steps against a running venue,
// one after the other, through its admin API, so a team keeps its race reproductions as
// files. Each step is an object with one action and, optionally, `after` (wall-clock ms
// to wait before it) and `note` (printed with it):
//
//   advance: N                           move the venue clock N ms (what falls due runs)
//   freeze: true | false                 stop the venue clock, or let it run again
//   mark: {symbol, markPrice}            set a mark (null hands it back to the last trade)
//   index: {pair, indexPrice}            set an index (null clears it)
//   fault: {...}                         add a fault (POST /admin/v1/faults takes the same)
//   clearFaults: true                    lift every fault
//   fill: {symbol, orderId, quantity?}   force a fill
//   skew: {accountId, ms}                skew an account's clock
//   balance: {accountId, asset, amount}  deposit (or withdraw, negative)
//   market: {paused}                     pause or resume the simulated market
//   wait: N                              wait N ms of wall time
//   expect: {accountId | stream, event?, match?, withinMs?}
//                                        wait for an event on the account's user-data
//                                        stream (or a market stream, e.g. btcusd_perp@trade)
//                                        whose fields include `match`; 5000 ms by default
//
// The streams an `expect` names are opened before the first step, and each `expect`
// takes the first matching event after the one the previous `expect` on that stream
// took. A step the venue refuses, or an `expect` that times out, ends the run (exit 1).

import fs from "node:fs";
import WebSocket from "ws";
import { parse as parseYaml } from "yaml";
import { ADVANCE_TIMEOUT_MS, type AdminTarget, admin } from "./admin-call.js";
import { CliFailure } from "./failure.js";

const ACTIONS = [
  "advance",
  "freeze",
  "mark",
  "index",
  "fault",
  "clearFaults",
  "fill",
  "skew",
  "balance",
  "market",
  "wait",
  "expect",
] as const;
type Action = (typeof ACTIONS)[number];

interface Step {
  readonly action: Action;
  readonly value: unknown;
  readonly after: number;
  readonly note: string | undefined;
}

interface Expectation {
  readonly accountId?: number;
  readonly stream?: string;
  readonly event?: string;
  readonly match?: Record<string, unknown>;
  readonly withinMs?: number;
}

function stepsOf(file: string): Step[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliFailure(`scenario: cannot read ${file}: ${(error as Error).message}`);
  }
  let list: unknown;
  try {
    list = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CliFailure(
      `scenario: ${file} is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(list)) throw new CliFailure(`scenario: ${file} must hold a list of steps`);
  return list.map((raw, i): Step => {
    const where = `scenario: step ${i + 1}`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      throw new CliFailure(`${where} is not an object`);
    const { after = 0, note, ...rest } = raw as Record<string, unknown>;
    const keys = Object.keys(rest);
    if (keys.length !== 1 || !ACTIONS.includes(keys[0] as Action))
      throw new CliFailure(
        `${where} must have one action of ${ACTIONS.join(", ")} (it has ${keys.join(", ") || "none"})`,
      );
    if (typeof after !== "number" || !Number.isSafeInteger(after) || after < 0)
      throw new CliFailure(`${where}: 'after' must be a whole number of ms`);
    if (note !== undefined && typeof note !== "string") throw new CliFailure(`${where}: 'note' must be text`);
    return { action: keys[0] as Action, value: rest[keys[0]!], after, note };
  });
}

/** Whether `value` has every field of `pattern`, objects compared field by field. */
function matches(value: unknown, pattern: unknown): boolean {
  if (typeof pattern !== "object" || pattern === null) return value === pattern;
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(pattern).every(([k, v]) => matches((value as Record<string, unknown>)[k], v));
}

/** A stream's events as they arrive, and a cursor past those an `expect` took. */
class Watched {
  readonly events: unknown[] = [];
  taken = 0;
  private wake: (() => void) | undefined;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.events.push(message);
      this.wake?.();
    });
  }

  async take(want: (e: unknown) => boolean, withinMs: number): Promise<unknown | undefined> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      for (; this.taken < this.events.length; this.taken++) {
        const e = this.events[this.taken];
        if (want(e)) {
          this.taken++;
          return e;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("open", () => resolve(ws));
    ws.once("error", (error) => reject(new CliFailure(`scenario: cannot open ${url}: ${error.message}`)));
  });
}

async function openStreams(target: AdminTarget, steps: readonly Step[]): Promise<Map<string, Watched>> {
  const streams = new Map<string, Watched>();
  const base = target.url.replace(/^http/, "ws").replace(/\/$/, "");
  for (const step of steps) {
    if (step.action !== "expect") continue;
    const e = step.value as Expectation;
    const name = streamName(e);
    if (streams.has(name)) continue;
    if (e.accountId !== undefined) {
      const account = (await admin(target, "GET", `/admin/v1/accounts/${e.accountId}`)) as {
        apiKeys: { apiKey: string }[];
      };
      const apiKey = account.apiKeys[0]?.apiKey;
      if (apiKey === undefined) throw new CliFailure(`scenario: account ${e.accountId} has no API key`);
      const res = await fetch(new URL("/papi/v1/listenKey", target.url), {
        method: "POST",
        headers: { "x-mbx-apikey": apiKey },
      });
      const { listenKey } = (await res.json()) as { listenKey?: string };
      if (listenKey === undefined) throw new CliFailure(`scenario: no listenKey for account ${e.accountId}`);
      streams.set(name, new Watched(await open(`${base}/pm/ws/${listenKey}`)));
    } else streams.set(name, new Watched(await open(`${base}/ws/${e.stream}`)));
  }
  return streams;
}

function streamName(e: Expectation): string {
  if (e.accountId !== undefined) return `account ${e.accountId}`;
  if (typeof e.stream === "string" && e.stream !== "") return e.stream;
  throw new CliFailure("scenario: an expect names an 'accountId' or a market 'stream'");
}

async function run(target: AdminTarget, step: Step, streams: Map<string, Watched>): Promise<string> {
  const v = step.value as Record<string, unknown>;
  switch (step.action) {
    case "advance":
      await admin(target, "POST", "/admin/v1/clock", { advanceMs: step.value }, ADVANCE_TIMEOUT_MS);
      return `advanced ${String(step.value)} ms`;
    case "freeze":
      await admin(target, "POST", "/admin/v1/clock", { freeze: step.value });
      return step.value ? "froze the clock" : "let the clock run";
    case "mark":
      await admin(target, "POST", "/admin/v1/markPrice", v);
      return `marked ${String(v.symbol)} at ${String(v.markPrice)}`;
    case "index":
      await admin(target, "POST", "/admin/v1/indexPrice", v);
      return `set ${String(v.pair)}'s index to ${String(v.indexPrice)}`;
    case "fault": {
      const { faultId } = (await admin(target, "POST", "/admin/v1/faults", v)) as { faultId: number };
      return `added fault ${faultId} (${String(v.effect)})`;
    }
    case "clearFaults":
      await admin(target, "DELETE", "/admin/v1/faults");
      return "lifted every fault";
    case "fill": {
      const order = (await admin(target, "POST", "/admin/v1/orders/fill", v)) as { status: string };
      return `filled order ${String(v.orderId)}: ${order.status}`;
    }
    case "skew":
      await admin(target, "POST", `/admin/v1/accounts/${String(v.accountId)}/clockSkew`, { ms: v.ms });
      return `skewed account ${String(v.accountId)} by ${String(v.ms)} ms`;
    case "balance":
      await admin(target, "POST", `/admin/v1/accounts/${String(v.accountId)}/balances`, {
        asset: v.asset,
        amount: v.amount,
      });
      return `moved ${String(v.amount)} ${String(v.asset)} on account ${String(v.accountId)}`;
    case "market":
      await admin(target, "PUT", "/admin/v1/market", v);
      return v.paused ? "paused the market" : "resumed the market";
    case "wait":
      if (typeof step.value !== "number" || step.value < 0) throw new CliFailure("scenario: 'wait' takes ms");
      await new Promise((r) => setTimeout(r, step.value as number));
      return `waited ${step.value} ms`;
    case "expect": {
      const e = step.value as Expectation;
      const name = streamName(e);
      const withinMs = e.withinMs ?? 5000;
      const want = (event: unknown) =>
        (e.event === undefined || (event as { e?: unknown }).e === e.event) && matches(event, e.match ?? {});
      const got = await streams.get(name)!.take(want, withinMs);
      if (got === undefined)
        throw new CliFailure(
          `scenario: no ${e.event ?? "event"} matching ${JSON.stringify(e.match ?? {})} on ${name} within ${withinMs} ms`,
        );
      return `saw on ${name}: ${JSON.stringify(got)}`;
    }
  }
}

/** Runs the file's steps; answers what each did, one line a step. */
export async function scenario(
  target: AdminTarget,
  file: string,
  say: (line: string) => void,
): Promise<void> {
  const steps = stepsOf(file);
  const streams = await openStreams(target, steps);
  try {
    for (const [i, step] of steps.entries()) {
      if (step.after > 0) await new Promise((r) => setTimeout(r, step.after));
      let done: string;
      try {
        done = await run(target, step, streams);
      } catch (error) {
        if (error instanceof CliFailure)
          throw new CliFailure(`step ${i + 1} (${step.action}): ${error.message}`);
        throw error;
      }
      say(`step ${i + 1} ${step.action}${step.note ? ` (${step.note})` : ""}: ${done}\n`);
    }
    say(`scenario ${file}: ${steps.length} steps done\n`);
  } finally {
    for (const w of streams.values()) w.ws.terminate();
  }
}
