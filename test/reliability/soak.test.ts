// Load held: the venue takes a steady stream of orders, crossing orders, modifies,
// cancels and queries from several accounts over keep-alive connections, with a
// user-data stream open, for SOAK_SECONDS (20 in the suite; `npm run soak` runs a longer
// one). Every request is answered (no 5xx, no backlog that keeps growing), and at the end
// the heap after garbage collection has not grown beyond a small allowance since the
// warm-up, and no socket, timer or file descriptor is left over once clients close.
import fs from "node:fs";
import http from "node:http";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { hmacHex } from "../../src/api/signature.js";
import { type Client, Harness, tempDir } from "../support/harness.js";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 20);
const RATE = Number(process.env.SOAK_RATE ?? 300);
const ACCOUNTS = 6;
/** Allowed heap growth after the warm-up: far below what one leaked object per request would add up to. */
const HEAP_ALLOWANCE = 3 * 1024 * 1024;
/** Requests not yet answered may never pile up past this (a few seconds at the rate). */
const MAX_BACKLOG = RATE * 3;

v8.setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

function openFds(): number | undefined {
  try {
    return fs.readdirSync("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}

/** Active handles by kind (sockets, timers, servers), as Node reports them. */
function handles(): Record<string, number> {
  const count: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo().sort()) count[kind] = (count[kind] ?? 0) + 1;
  return count;
}

/** Kinds of handle more numerous now than in `before`. */
function leftOver(before: Record<string, number>): string[] {
  return Object.entries(handles())
    .filter(([kind, n]) => n > (before[kind] ?? 0))
    .map(([kind, n]) => `${kind}: ${before[kind] ?? 0} → ${n}`);
}

interface Load {
  sent: number;
  answered: number;
  failed: string[];
  backlog: number;
  maxBacklog: number;
}

function request(
  agent: http.Agent,
  port: number,
  method: string,
  target: string,
  apiKey: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path: target, agent, headers: { "x-mbx-apikey": apiKey } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A steady generator: `RATE` requests a second, spread over the accounts, for `ms`. */
async function drive(h: Harness, port: number, clients: Client[], agent: http.Agent, ms: number, load: Load) {
  const open = clients.map(() => [] as Array<{ id: number; side: string }>);
  let n = 0;
  const signed = (c: number, method: string, pathName: string, params: string) => {
    const text = `${params}&timestamp=${h.clock}`;
    const target = `${pathName}?${text}&signature=${hmacHex(clients[c]!.secret, text)}`;
    load.sent++;
    load.backlog++;
    load.maxBacklog = Math.max(load.maxBacklog, load.backlog);
    return request(agent, port, method, target, clients[c]!.apiKey).then(
      (res) => {
        load.backlog--;
        load.answered++;
        if (res.status >= 500 || (res.status !== 200 && !/"code":-(2011|2013|5022|5027)\b/.test(res.body))) {
          load.failed.push(`${method} ${pathName} ${res.status} ${res.body}`);
        }
        return res;
      },
      (error: Error) => {
        load.backlog--;
        load.failed.push(`${method} ${pathName} ${error.message}`);
        return undefined;
      },
    );
  };
  const one = () => {
    const i = n++;
    const c = i % clients.length;
    const mine = open[c]!;
    const r = (i * 7919) % 100;
    const price = 29990 + ((i * 31) % 21);
    const side = (i >> 1) % 2 === 0 ? "BUY" : "SELL";
    if (r < 45 || mine.length === 0) {
      const tif = r % 9 === 0 ? "IOC" : r % 13 === 0 ? "GTX" : "GTC";
      void signed(
        c,
        "POST",
        "/papi/v1/cm/order",
        `symbol=BTCUSD_PERP&side=${side}&type=LIMIT&timeInForce=${tif}&quantity=${1 + (i % 3)}&price=${price}&newOrderRespType=RESULT`,
      ).then((res) => {
        const o =
          res?.status === 200 ? (JSON.parse(res.body) as { orderId: number; status: string }) : undefined;
        if (o && (o.status === "NEW" || o.status === "PARTIALLY_FILLED")) mine.push({ id: o.orderId, side });
      });
    } else if (r < 75 || mine.length > 50) {
      const { id } = mine.shift()!;
      void signed(c, "DELETE", "/papi/v1/cm/order", `symbol=BTCUSD_PERP&orderId=${id}`);
    } else if (r < 85) {
      const target = mine[mine.length - 1]!;
      void signed(
        c,
        "PUT",
        "/papi/v1/cm/order",
        `symbol=BTCUSD_PERP&orderId=${target.id}&side=${target.side}&quantity=${2 + (i % 3)}&price=${price}`,
      );
    } else if (r < 93) void signed(c, "GET", "/papi/v1/cm/openOrders", "symbol=BTCUSD_PERP");
    else void signed(c, "GET", "/papi/v1/cm/userTrades", "symbol=BTCUSD_PERP&limit=20");
  };
  // Open loop: requests go out on the clock, whether or not earlier ones were answered.
  const start = Date.now();
  let issued = 0;
  for (let elapsed = 0; elapsed < ms; elapsed = Date.now() - start) {
    for (const due = Math.floor((elapsed * RATE) / 1000); issued < due; issued++) one();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  while (load.backlog > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

interface Outcome {
  readonly load: Load;
  readonly streamed: number;
  readonly heapWarm: number;
  readonly heapEnd: number;
  readonly handlesLeft: string[];
  readonly fdsBefore: number | undefined;
  readonly fdsAfter: number | undefined;
}

/** The soak itself: a venue on a loopback socket, a stream open, the load, then the measurements. */
async function soak(h: Harness): Promise<Outcome> {
  const url = await h.app.listen({ host: "127.0.0.1", port: 0 });
  const port = Number(new URL(url).port);
  const clients = await Promise.all(Array.from({ length: ACCOUNTS }, () => h.account({ BTC: "1000" })));
  const key = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": clients[0]!.apiKey });
  const ws = new WebSocket(`ws://127.0.0.1:${port}/pm/ws/${(key.body as { listenKey: string }).listenKey}`);
  let streamed = 0;
  ws.on("message", () => {
    streamed++;
  });
  await new Promise((resolve) => ws.once("open", resolve));

  const handlesBefore = handles();
  const fdsBefore = openFds();
  const load: Load = { sent: 0, answered: 0, failed: [], backlog: 0, maxBacklog: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const warmUp = Math.min(5000, (SECONDS * 1000) / 4);
  await drive(h, port, clients, agent, warmUp, load);
  const heapWarm = heapAfterGc();
  await drive(h, port, clients, agent, SECONDS * 1000 - warmUp, load);
  agent.destroy();
  // Closed sockets leave the handle list over a few turns, later on a busy machine.
  for (let waited = 0; waited < 5000 && leftOver(handlesBefore).length > 0; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const heapEnd = heapAfterGc();
  const outcome = {
    load,
    streamed,
    heapWarm,
    heapEnd,
    handlesLeft: leftOver(handlesBefore),
    fdsBefore,
    fdsAfter: openFds(),
  };
  ws.terminate();
  return outcome;
}

describe(`load held: ${RATE} requests a second for ${SECONDS} s`, () => {
  let h: Harness;
  let outcome: Outcome;
  beforeAll(
    async () => {
      h = await Harness.start(tempDir(), {
        rateLimits: { enabled: false, ipWeightLimit: 6000, orderLimit: 1200 },
      });
      outcome = await soak(h);
    },
    SECONDS * 1000 + 60_000,
  );
  afterAll(() => h.close());

  it("answers every request at the steady rate, with no 5xx and no backlog that keeps growing", () => {
    const { load } = outcome;
    expect(load.failed.slice(0, 5)).toEqual([]);
    expect(load.answered).toBe(load.sent);
    expect(load.sent).toBeGreaterThan(RATE * SECONDS * 0.8);
    expect(load.maxBacklog).toBeLessThan(MAX_BACKLOG);
    expect(outcome.streamed).toBeGreaterThan(0);
  });

  it("keeps its heap after garbage collection within a small allowance of the warm-up's", () => {
    const { heapWarm, heapEnd } = outcome;
    expect(heapEnd - heapWarm, `heap ${heapWarm} → ${heapEnd}`).toBeLessThan(HEAP_ALLOWANCE);
  });

  it("leaves no socket, timer or file descriptor behind once the clients close", () => {
    expect(outcome.handlesLeft).toEqual([]);
    if (outcome.fdsBefore !== undefined) expect(outcome.fdsAfter).toBeLessThanOrEqual(outcome.fdsBefore);
  });
});
