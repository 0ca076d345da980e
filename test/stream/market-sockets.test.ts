// Where the market streams' sockets live: a client that stops reading, or that a pause
// holds too much for, is closed with 1008 whichever process holds the sockets; held in a
// process of their own (as `serve` holds them), that process can end without taking the
// venue with it, and it ends with the venue's shutdown.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { INTERVALS } from "../../src/domain/candles.js";
import { ForkedMarketSockets } from "../../src/stream/forked-market-sockets.js";
import { ADMIN_TOKEN, type Client, Harness, limit, tempDir } from "../support/harness.js";
import { SOCKET_KINDS, SOCKETS_PROCESS } from "../support/market-sockets.js";
import { until } from "../support/until.js";
import { StreamClient } from "../support/ws-client.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

let h: Harness | undefined;
const sockets: StreamClient[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h?.close();
  h = undefined;
});

const listening = new WeakMap<Harness, string>();

async function open(venue: Harness, path: string): Promise<StreamClient> {
  let base = listening.get(venue);
  if (base === undefined) {
    base = (await venue.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
    listening.set(venue, base);
  }
  const ws = await StreamClient.open(`${base}${path}`);
  sockets.push(ws);
  return ws;
}

/** Each call trades `n` times at 30000.0 between the two accounts. */
async function trades(venue: Harness, maker: Client, taker: Client, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await venue.place(maker, limit("SELL", 1, "30000.0"));
    await venue.place(taker, limit("BUY", 1, "30000.0"));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A venue whose sockets' process the test can reach. */
async function forkedVenue(): Promise<{ venue: Harness; forked: ForkedMarketSockets }> {
  let forked: ForkedMarketSockets | undefined;
  const venue = await Harness.start(undefined, {
    marketStream: {
      sockets: (events) => {
        forked = new ForkedMarketSockets(events, { entry: SOCKETS_PROCESS });
        return forked;
      },
    },
  });
  return { venue, forked: forked! };
}

describe.each(SOCKET_KINDS)("market sockets held %s", (held) => {
  it("closes a socket a pause holds too much for with 1008", async () => {
    h = await Harness.start(undefined, { marketSockets: held, marketStream: { maxBufferedBytes: 2000 } });
    const [maker, taker] = [await h.account(), await h.account()];
    const ws = await open(h, "/ws/btcusd_perp@trade");
    await h.request("POST", "/admin/v1/faults", ADMIN, JSON.stringify({ stream: "market", effect: "pause" }));
    await trades(h, maker, taker, 20);
    expect(await ws.waitClose()).toEqual({ code: 1008, reason: "client too slow" });
    await until(() => h!.market.connectionCount() === 0, "the venue to forget the socket");
  });
});

describe("market sockets in a process of their own", () => {
  it("closes a client that stops reading with 1008 once too much queues up for it (the code the venue runs inline too)", async () => {
    h = await Harness.start(undefined, {
      marketSockets: "process",
      marketStream: { maxBufferedBytes: 64 * 1024 },
      rateLimits: { enabled: false, ipWeightLimit: 1, orderLimit: 1 },
    });
    const [maker, taker] = [await h.account(), await h.account()];
    // A wide book, and a candle of every interval: each trade's events are long.
    await Promise.all(
      Array.from({ length: 150 }, (_, i) => h!.place(maker, limit("SELL", 1, (30100 + i).toFixed(1)))),
    );
    const streams = [
      ...INTERVALS.flatMap((i) => [`btcusd_perp@kline_${i}`, `btcusd_perpetual@continuousKline_${i}`]),
      "btcusd_perp@depth20",
      "btcusd_perp@ticker",
    ];
    const ws = await open(h, `/stream?streams=${streams.join("/")}`);
    ws.ws.pause();
    for (let round = 0; round < 2000 && h.market.connectionCount() > 0; round++) {
      await trades(h, maker, taker, 1);
      h.clock += 250;
      await h.market.tick();
    }
    ws.ws.resume();
    expect(await ws.waitClose()).toEqual({ code: 1008, reason: "client too slow" });
  });

  it("cuts its clients when that process dies, and a new one serves the next connection", async () => {
    const { venue, forked } = await forkedVenue();
    h = venue;
    const [maker, taker] = [await h.account(), await h.account()];
    const first = await open(h, "/ws/btcusd_perp@trade");
    const dead = forked.pid!;
    process.kill(dead, "SIGKILL");
    expect((await first.waitClose()).code).toBe(1006);
    await until(() => h!.market.connectionCount() === 0 && forked.pid !== dead, "a new sockets' process");
    const next = await open(h, "/ws/btcusd_perp@trade");
    await trades(h, maker, taker, 1);
    expect(await next.waitFor(1)).toMatchObject([{ e: "trade", s: "BTCUSD_PERP", p: "30000.0", q: "1" }]);
  });

  it("starts a process that ends at once again ever more slowly, not in a tight loop", async () => {
    const dir = tempDir();
    const starts = path.join(dir, "starts");
    const entry = path.join(dir, "broken.mjs");
    // Stands for a broken install: it notes that it started, and exits.
    fs.writeFileSync(
      entry,
      `import fs from "node:fs"; fs.appendFileSync(${JSON.stringify(starts)}, "x"); process.exit(1);\n`,
    );
    const broken = new ForkedMarketSockets(
      { message: () => {}, ping: () => {}, pong: () => {}, closed: () => {} },
      { entry },
    );
    try {
      await until(() => fs.existsSync(starts) && fs.readFileSync(starts, "utf8").length >= 4, "four starts");
      const seen = fs.readFileSync(starts, "utf8").length;
      // Waits of 100, 200, 400 and 800 ms came before the fifth start; the next is 1.6 s away.
      await new Promise((r) => setTimeout(r, 500));
      expect(fs.readFileSync(starts, "utf8").length).toBeLessThanOrEqual(seen + 1);
    } finally {
      await broken.shutdown();
    }
  });

  it("ends with the venue's shutdown, after closing its clients with 1001", async () => {
    const { venue, forked } = await forkedVenue();
    h = venue;
    const ws = await open(h, "/stream?streams=btcusd_perp@aggTrade");
    const pid = forked.pid!;
    await h.close();
    h = undefined;
    expect(await ws.waitClose()).toEqual({ code: 1001, reason: "venue shutting down" });
    expect(alive(pid)).toBe(false);
  });
});
