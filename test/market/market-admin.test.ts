// The simulated market's controls on the admin API: the settings in force with the seed,
// pausing and resuming, and a one-off jump of a contract's reference; a quiet venue says
// it runs no market.
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { VenueClock } from "../../src/clock/venue-clock.js";
import { defaultSettings } from "../../src/market/settings.js";
import { SimulatedMarket } from "../../src/market/simulated-market.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { Venue } from "../../src/venue/venue.js";
import { ADMIN_TOKEN, Harness, T0, tempDir } from "../support/harness.js";

let app: FastifyInstance | undefined;
let store: SqliteStore | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await app?.close();
  store?.close();
  await harness?.close();
  app = store = harness = undefined;
});

async function withMarket(seed = 11) {
  const clock = VenueClock.frozen(T0);
  store = new SqliteStore(tempDir(), { synchronous: "NORMAL" });
  const venue = new Venue(store);
  const market = await SimulatedMarket.open(venue, defaultSettings(venue.symbols(), seed), () => clock.now());
  app = createApp({
    venue,
    adminToken: ADMIN_TOKEN,
    clock,
    market,
    marketStream: { tickMs: 0 },
  }).app;
  await app.ready();
  const call = async (method: "GET" | "PUT", body?: unknown) => {
    const res = await app!.inject({
      method,
      url: "/admin/v1/market",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };
  const advance = async (ms: number) => {
    await market.advance(clock.advance(ms));
  };
  const trades = async () =>
    (
      await app!.inject({ method: "GET", url: "/dapi/v1/trades?symbol=BTCUSD_PERP&limit=1000" })
    ).json() as unknown[];
  return { market, call, advance, trades };
}

describe("GET /admin/v1/market", () => {
  it("answers the settings in force, the seed and the references, and that it runs", async () => {
    const { call } = await withMarket(11);
    const res = await call("GET");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ market: "sim", paused: false, seed: 11, stepMs: 100 });
    expect((res.body.references as Record<string, number>).BTCUSD).toBeCloseTo(30000, 6);
    expect(
      (res.body.contracts as Record<string, { maker: { levels: number } }>).BTCUSD_PERP!.maker.levels,
    ).toBe(10);
  });

  it("says a quiet venue runs no market, and refuses to control one", async () => {
    harness = await Harness.start();
    const get = await harness.request("GET", "/admin/v1/market", { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(get).toMatchObject({ status: 200, body: { market: "none" } });
    const put = await harness.request(
      "PUT",
      "/admin/v1/market",
      { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      JSON.stringify({ paused: true }),
    );
    expect(put).toMatchObject({
      status: 409,
      body: { code: -1130, msg: "No simulated market runs; start the venue with --market sim." },
    });
  });
});

describe("PUT /admin/v1/market", () => {
  it("pauses the market, so nothing trades, and resumes it", async () => {
    const { call, advance, trades } = await withMarket();
    await advance(30_000);
    expect((await call("PUT", { paused: true })).body).toMatchObject({ paused: true });
    const before = (await trades()).length;
    await advance(60_000);
    expect((await trades()).length).toBe(before);
    expect((await call("PUT", { paused: false })).body).toMatchObject({ paused: false });
    await advance(60_000);
    expect((await trades()).length).toBeGreaterThan(before);
  });

  it("jumps a contract's reference by the percentage asked, and the book follows", async () => {
    const { call, advance, market } = await withMarket();
    await advance(2_000);
    const before = market.referencePrice("BTCUSD_PERP")!;
    const res = await call("PUT", { symbol: "BTCUSD_PERP", jumpPct: 2 });
    expect(res.status).toBe(200);
    expect((res.body.references as Record<string, number>).BTCUSD).toBeCloseTo(before * 1.02, 6);
    await advance(5_000);
    const book = (
      await app!.inject({ method: "GET", url: "/dapi/v1/depth?symbol=BTCUSD_PERP&limit=5" })
    ).json() as {
      bids: [string][];
    };
    expect(Number(book.bids[0]![0])).toBeGreaterThan(before * 1.015);
  });

  it.each([
    [{ paused: "yes" }, "'paused' must be true or false."],
    [{ symbol: "XYZ", jumpPct: 1 }, "'symbol' must be a listed symbol."],
    [{ symbol: "BTCUSD_PERP", jumpPct: -100 }, "'jumpPct' must be a number above -100 and at most 1000."],
    [
      { speed: 2 },
      'Send {"paused": true|false}, {"symbol": …, "jumpPct": N}, or {"symbol": …} with its settings.',
    ],
    [{ symbol: "BTCUSD_PERP", maker: { levels: 0 } }, "Bad market settings: /maker/levels must be >= 1."],
  ])("refuses %j with 400", async (body, msg) => {
    const { call } = await withMarket();
    expect(await call("PUT", body)).toEqual({ status: 400, body: { code: -1130, msg } });
  });

  it("changes a contract's settings while it runs: a maker of three levels quotes three", async () => {
    const { call, advance } = await withMarket();
    await advance(2_000);
    const res = await call("PUT", { symbol: "ETHUSD_PERP", maker: { levels: 3 }, taker: { perMinute: 0 } });
    expect(res.status).toBe(200);
    const contracts = res.body.contracts as Record<
      string,
      { maker: { levels: number }; taker: { perMinute: number } }
    >;
    expect([contracts.ETHUSD_PERP!.maker.levels, contracts.ETHUSD_PERP!.taker.perMinute]).toEqual([3, 0]);
    await advance(2_000);
    const book = (
      await app!.inject({ method: "GET", url: "/dapi/v1/depth?symbol=ETHUSD_PERP&limit=10" })
    ).json() as {
      bids: unknown[];
      asks: unknown[];
    };
    expect([book.bids.length, book.asks.length]).toEqual([3, 3]);
  });
});
