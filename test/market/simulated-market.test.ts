// The simulated market on a stepped venue clock: a book on both sides of every contract
// within a few ticks of the reference, trades printing with the last price following
// the reference, a lone account's limit order at the best price filled, the same trades
// from the same seed, and house accounts that are ordinary accounts, marked as such.
import { afterEach, describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/market/settings.js";
import { SimulatedMarket } from "../../src/market/simulated-market.js";
import { ADMIN_TOKEN, Harness, limit, T0 } from "../support/harness.js";

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

async function start(seed = 7): Promise<{ h: Harness; market: SimulatedMarket }> {
  const h = await Harness.start();
  harnesses.push(h);
  const market = await SimulatedMarket.open(h.venue, defaultSettings(h.venue.symbols(), seed), () => h.clock);
  return { h, market };
}

/** Moves the venue clock on by `ms` and lets the market take the steps due. */
async function run(h: Harness, market: SimulatedMarket, ms: number): Promise<void> {
  h.clock += ms;
  await market.advance(h.clock);
}

interface Depth {
  bids: [string, string][];
  asks: [string, string][];
}

async function depth(h: Harness, symbol: string): Promise<Depth> {
  return (await h.request("GET", `/dapi/v1/depth?symbol=${symbol}&limit=20`)).body as Depth;
}

describe("the simulated market", () => {
  it("quotes both sides of every contract within a few ticks of its reference", async () => {
    const { h, market } = await start();
    await run(h, market, 10_000);
    const settings = defaultSettings(h.venue.symbols(), 7);
    for (const spec of h.venue.symbols()) {
      const book = await depth(h, spec.symbol);
      const tick = Number(spec.tick.units) / 10 ** spec.tick.scale;
      const reference = market.referencePrice(spec.symbol)!;
      const { stepTicks, levels } = settings.contracts[spec.symbol]!.maker;
      // The best quotes are a tick away at each refresh; takers eat them and the reference moves in between.
      const reach = 2 * stepTicks * tick;
      const bid = Number(book.bids[0]![0]);
      const ask = Number(book.asks[0]![0]);
      expect(bid, spec.symbol).toBeLessThan(ask);
      expect(reference - bid, `${spec.symbol} bid`).toBeLessThanOrEqual(reach);
      expect(ask - reference, `${spec.symbol} ask`).toBeLessThanOrEqual(reach);
      expect(book.bids.length, spec.symbol).toBeGreaterThanOrEqual(levels - 1);
      expect(book.asks.length, spec.symbol).toBeGreaterThanOrEqual(levels - 1);
    }
  });

  it("quotes the best bid and ask a tick either side of the reference at each refresh", async () => {
    const h = await Harness.start();
    harnesses.push(h);
    const defaults = defaultSettings(h.venue.symbols(), 7);
    // Takers off, so nothing eats the best levels between a refresh and the look.
    const contracts = Object.fromEntries(
      Object.entries(defaults.contracts).map(([s, c]) => [s, { ...c, taker: { ...c.taker, perMinute: 0 } }]),
    );
    const market = await SimulatedMarket.open(h.venue, { ...defaults, contracts }, () => h.clock);
    // Refreshes fall on the first step and every second after it.
    for (const at of [100, 5_100, 30_100]) {
      h.clock = T0 + at;
      await market.advance(h.clock);
      for (const spec of h.venue.symbols()) {
        const tick = Number(spec.tick.units) / 10 ** spec.tick.scale;
        const reference = market.referencePrice(spec.symbol)! / tick;
        const book = await depth(h, spec.symbol);
        const bid = Number(book.bids[0]![0]) / tick;
        const ask = Number(book.asks[0]![0]) / tick;
        expect(reference - bid, `${spec.symbol} bid at ${at}`).toBeGreaterThanOrEqual(0.5 - 1e-6);
        expect(reference - bid, `${spec.symbol} bid at ${at}`).toBeLessThanOrEqual(1.5 + 1e-6);
        expect(ask - reference, `${spec.symbol} ask at ${at}`).toBeGreaterThanOrEqual(0.5 - 1e-6);
        expect(ask - reference, `${spec.symbol} ask at ${at}`).toBeLessThanOrEqual(1.5 + 1e-6);
      }
    }
  });

  it("hands each pair's reference to the venue as its index every second, and the marks follow it", async () => {
    const { h, market } = await start();
    await run(h, market, 30_000);
    const rows = (await h.request("GET", "/dapi/v1/premiumIndex?pair=BTCUSD")).body as {
      symbol: string;
      markPrice: string;
      indexPrice: string;
    }[];
    const reference = (market.describe().references as Record<string, number>).BTCUSD!;
    for (const row of rows) {
      expect(row.indexPrice, row.symbol).toBe(reference.toFixed(8));
      // The perpetual quotes around the index, the quarterly 0.2 % above it: each mark within 0.3 % of it.
      expect(Math.abs(Number(row.markPrice) / reference - 1), row.symbol).toBeLessThan(0.003);
    }
    const quarterly = rows.find((r) => r.symbol === "BTCUSD_261225")!;
    expect(Number(quarterly.markPrice)).toBeGreaterThan(reference);
  });

  it("prints trades, and the last price follows the reference", async () => {
    const { h, market } = await start();
    for (let minute = 0; minute < 5; minute++) await run(h, market, 60_000);
    const trades = (await h.request("GET", "/dapi/v1/trades?symbol=BTCUSD_PERP&limit=1000")).body as {
      price: string;
      time: number;
    }[];
    // 30 takers a minute: about 150 in five minutes.
    expect(trades.length).toBeGreaterThan(100);
    expect(trades.at(-1)!.time).toBeGreaterThan(h.clock - 60_000);
    const last = Number(trades.at(-1)!.price);
    const reference = market.referencePrice("BTCUSD_PERP")!;
    expect(Math.abs(last - reference) / reference).toBeLessThan(0.001);
    // The reference moved, and the trades with it.
    const prices = new Set(trades.map((t) => t.price));
    expect(prices.size).toBeGreaterThan(10);
  });

  it("fills a lone account's limit order at the best bid within a minute", async () => {
    const { h, market } = await start();
    await run(h, market, 5_000);
    const bot = await h.account({ BTC: "1" });
    const best = (await depth(h, "BTCUSD_PERP")).bids[0]![0];
    const placed = await h.place(bot, limit("BUY", 1, best));
    let status = placed.status;
    for (let second = 0; second < 60 && status !== "FILLED"; second++) {
      await run(h, market, 1_000);
      const order = await h.signed(bot, "GET", "/papi/v1/cm/order", {
        symbol: "BTCUSD_PERP",
        orderId: placed.orderId as number,
      });
      status = (order.body as { status: string }).status;
    }
    expect(status).toBe("FILLED");
  });

  it("clusters the takers' arrivals in bursts when excitation is set (Hawkes), and not without", async () => {
    /** Variance over mean of BTCUSD_PERP's taker orders per 30 s over 20 minutes: about 1 for Poisson. */
    const dispersion = async (excitation: number) => {
      const h = await Harness.start();
      harnesses.push(h);
      const defaults = defaultSettings(h.venue.symbols(), 13);
      const btc = defaults.contracts.BTCUSD_PERP!;
      const settings = {
        ...defaults,
        pairs: { BTCUSD: defaults.pairs.BTCUSD! },
        contracts: {
          BTCUSD_PERP: {
            ...btc,
            taker: { ...btc.taker, perMinute: 12, excitation, excitationHalfLifeMs: 10_000 },
          },
        },
      };
      const market = await SimulatedMarket.open(h.venue, settings, () => h.clock);
      for (let i = 0; i < 20; i++) await run(h, market, 60_000);
      const trades = (await h.request("GET", "/dapi/v1/aggTrades?symbol=BTCUSD_PERP&limit=1000")).body as {
        T: number;
      }[];
      // One taker order may take several levels, each an aggregate: count each step's time once.
      const windows = new Map<number, number>();
      for (const time of new Set(trades.map((t) => t.T)))
        windows.set(Math.floor(time / 30_000), (windows.get(Math.floor(time / 30_000)) ?? 0) + 1);
      const counts = Array.from(
        { length: 40 },
        (_, i) => windows.get(Math.floor((T0 + 1) / 30_000) + 1 + i) ?? 0,
      );
      const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
      const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1);
      return { mean, dispersion: variance / mean };
    };
    const poisson = await dispersion(0);
    // A branching ratio of 0.72: each arrival begets 0.72 more on average, soon after.
    const hawkes = await dispersion(3);
    // With 40 windows a Poisson count's dispersion strays from 1 by about 0.2 either way.
    expect(poisson.dispersion).toBeLessThan(2);
    expect(hawkes.dispersion).toBeGreaterThan(poisson.dispersion * 1.5);
    expect(hawkes.mean).toBeGreaterThan(poisson.mean * 2);
  });

  it("gives the same trades and stream events from the same seed and the same client commands", async () => {
    const record = async () => {
      const { h, market } = await start(21);
      const events: string[] = [];
      h.venue.subscribe((batch) => {
        for (const e of batch)
          events.push(JSON.stringify(e, (_k, v) => (typeof v === "bigint" ? String(v) : v)));
      });
      const bot = await h.account({ BTC: "5" });
      await run(h, market, 20_000);
      const best = (await depth(h, "BTCUSD_PERP")).bids[0]![0];
      await h.place(bot, limit("BUY", 3, best, { newClientOrderId: "bot-1" }));
      await run(h, market, 40_000);
      await h.place(bot, {
        symbol: "BTCUSD_PERP",
        side: "SELL",
        type: "MARKET",
        quantity: 1,
        newClientOrderId: "bot-2",
      });
      await run(h, market, 20_000);
      const trades = (await h.request("GET", "/dapi/v1/trades?symbol=BTCUSD_PERP&limit=1000")).text;
      return { trades, events };
    };
    const first = await record();
    const second = await record();
    expect(second.trades).toBe(first.trades);
    expect(second.events).toEqual(first.events);
    expect(first.events.length).toBeGreaterThan(100);
  });

  it("gives the same trades from the same seed, and other trades from another", async () => {
    const tape = async (seed: number) => {
      const { h, market } = await start(seed);
      await run(h, market, 120_000);
      return (await h.request("GET", "/dapi/v1/trades?symbol=ETHUSD_PERP&limit=1000")).text;
    };
    const first = await tape(3);
    expect(await tape(3)).toBe(first);
    expect(await tape(4)).not.toBe(first);
    expect(JSON.parse(first).length).toBeGreaterThan(20);
  });

  it("trades through ordinary accounts, marked as house accounts, found again after a restart", async () => {
    const { h } = await start();
    const list = async (venue: Harness) =>
      (await venue.request("GET", "/admin/v1/accounts", { authorization: `Bearer ${ADMIN_TOKEN}` })).body as {
        accountId: number;
        house: boolean;
      }[];
    const client = await h.account();
    expect((await list(h)).map((a) => [a.accountId, a.house])).toEqual([
      [1, true],
      [2, true],
      [client.accountId, false],
    ]);
    const again = await h.restart();
    harnesses.splice(0, 1, again);
    await SimulatedMarket.open(again.venue, defaultSettings(again.venue.symbols(), 7), () => again.clock);
    expect((await list(again)).length).toBe(3);
    expect(again.clock).toBe(T0);
  });

  it("goes on after a restart from where its references stood, kept every 10 seconds", async () => {
    const { h, market } = await start(5);
    await run(h, market, 65_000);
    // The last keep was at a multiple of 10 s: compare with where the reference stood then.
    const kept = JSON.parse((await h.venue.marketState("references"))!) as Record<string, number>;
    expect(Object.keys(kept).sort()).toEqual(["BNBUSD", "BTCUSD", "DOGEUSD", "ETHUSD", "LINKUSD", "XRPUSD"]);
    expect(kept.BTCUSD).not.toBe(30000);
    await market.stop();
    const again = await h.restart();
    harnesses.splice(harnesses.indexOf(h), 1, again);
    const resumed = await SimulatedMarket.open(
      again.venue,
      defaultSettings(again.venue.symbols(), 5),
      () => again.clock,
    );
    expect(resumed.referencePrice("BTCUSD_PERP")).toBe(kept.BTCUSD);
  });
});
