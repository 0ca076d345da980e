// Graceful shutdown of the venue as a child process: on SIGTERM it stops accepting
// connections, answers what it has received (each order acknowledged then is durable
// after a restart; one refused with -1001 never happened), closes user-data streams with
// 1001, cuts a connection that never finishes its request, and exits 0 within 5 s.
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { tempDir } from "../support/harness.js";
import { type Key, Remote, type Reply } from "../support/remote.js";
import { StreamClient } from "../support/ws-client.js";

const TOKEN = "shutdown-token";
const EXIT_WITHIN_MS = 5000;
let child: ChildVenue | undefined;

afterEach(async () => {
  await child?.kill9();
  child = undefined;
});

async function start(dir: string): Promise<{ venue: ChildVenue; remote: Remote }> {
  const venue = await spawnVenue(dir, { args: ["--admin-token", TOKEN, "--no-rate-limits"] });
  child = venue;
  return { venue, remote: new Remote(venue.base, TOKEN) };
}

/** SIGTERM, then how the process ended and how long it took. */
async function terminate(venue: ChildVenue): Promise<{ code: number | null; ms: number }> {
  const sent = Date.now();
  venue.child.kill("SIGTERM");
  const exit = await venue.exited;
  return { code: exit.code, ms: exit.at - sent };
}

const order = (i: number) => ({
  symbol: "BTCUSD_PERP",
  side: i % 2 === 0 ? "BUY" : "SELL",
  type: "LIMIT",
  timeInForce: "GTC",
  quantity: 1,
  // Bids below asks: every acknowledged order rests, so it must be found open afterwards.
  price: i % 2 === 0 ? "29000" : "31000",
  newClientOrderId: `sd-${i}`,
});

describe("graceful shutdown", () => {
  it("answers the requests in flight, keeps every acknowledged order, and exits 0 within 5 s", async () => {
    const dir = tempDir();
    const { venue, remote } = await start(dir);
    const key: Key = await remote.createAccount({ BTC: "100" });
    const outcomes: Array<Reply | "no answer"> = [];
    let first!: () => void;
    const firstAnswer = new Promise<void>((resolve) => {
      first = resolve;
    });
    const inflight = Array.from({ length: 150 }, (_, i) =>
      remote.signed(key, "POST", "/papi/v1/cm/order", order(i)).then(
        (r) => {
          outcomes[i] = r;
          first();
        },
        () => {
          outcomes[i] = "no answer";
        },
      ),
    );
    await firstAnswer;
    const exit = await terminate(venue);
    await Promise.all(inflight);
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(EXIT_WITHIN_MS);

    const acknowledged = outcomes.flatMap((r, i) => (r !== "no answer" && r.status === 200 ? [i] : []));
    const refused = outcomes.flatMap((r, i) => (r !== "no answer" && r.status !== 200 ? [i] : []));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const i of refused) {
      expect(outcomes[i]).toMatchObject({
        status: 503,
        body: { code: -1001, msg: "Internal error; unable to process your request. Please try again." },
      });
    }

    const { remote: after } = await start(dir);
    const open = await after.signed(key, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" });
    const openIds = new Set((open.body as Array<{ clientOrderId: string }>).map((o) => o.clientOrderId));
    for (const i of acknowledged) expect(openIds.has(`sd-${i}`), `sd-${i} acknowledged`).toBe(true);
    for (const i of refused) expect(openIds.has(`sd-${i}`), `sd-${i} refused`).toBe(false);
  });

  it("exits 0 on a SIGTERM sent the moment it prints its address", async () => {
    const { venue } = await start(tempDir());
    expect(await terminate(venue)).toMatchObject({ code: 0 });
  });

  it("closes user-data streams with 1001", async () => {
    const { venue, remote } = await start(tempDir());
    const key = await remote.createAccount();
    const listenKey = ((await remote.keyed(key, "POST", "/papi/v1/listenKey")).body as { listenKey: string })
      .listenKey;
    const stream = await StreamClient.open(`${venue.base.replace("http", "ws")}/pm/ws/${listenKey}`);
    const exit = await terminate(venue);
    expect(await stream.waitClose()).toMatchObject({ code: 1001 });
    expect(exit.code).toBe(0);
  });

  it("refuses new connections at once and cuts a request that never finishes arriving", async () => {
    const { venue } = await start(tempDir());
    const stalled = net.connect({ host: "127.0.0.1", port: venue.port });
    stalled.on("error", () => {});
    await new Promise((resolve) => stalled.once("connect", resolve));
    stalled.write("POST /papi/v1/cm/order HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nsymbol=");
    // Long enough for the venue to have read the headers: the request is under way when SIGTERM comes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exiting = terminate(venue);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await new Promise<string>((resolve) => {
      const probe = net.connect({ host: "127.0.0.1", port: venue.port });
      probe.once("connect", () => {
        probe.destroy();
        resolve("connected");
      });
      probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    });
    expect(refused).toBe("ECONNREFUSED");
    const exit = await exiting;
    stalled.destroy();
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(EXIT_WITHIN_MS);
  });
});
