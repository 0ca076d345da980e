// Record and replay: every command the venue runs is journaled with its time, sequence
// number and the identifiers it drew; running a journal again on an empty venue gives
// the same events and the same store, byte for byte, keys and secrets included. Here on
// a run with the simulated market on, client orders, a refused order, a forced fill, a
// conditional order that fires and a funding settlement.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { replayJournal } from "../../src/cli/replay.js";
import { defaultSettings } from "../../src/market/settings.js";
import { SimulatedMarket } from "../../src/market/simulated-market.js";
import { openJournal, SqliteStore } from "../../src/store/sqlite.js";
import { journalEntry, Venue } from "../../src/venue/venue.js";
import { ADMIN_TOKEN, Harness, limit, tempDir } from "../support/harness.js";
import { storeDump } from "../support/store-dump.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
/** 2023-11-15 00:00 UTC, a funding time, 20 s after the run starts. */
const FUNDING = 1_700_006_400_000;

const harnesses: Harness[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const s of stores.splice(0)) s.close();
});

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));

/**
 * Every event a venue publishes, as text, in order: the user events and the market
 * events apart, since how commands are grouped into commits (and so how the two
 * interleave) is the event loop's, not the journal's.
 */
function recordEvents(venue: Venue): { user: string[]; market: string[] } {
  const events = { user: [] as string[], market: [] as string[] };
  venue.subscribe((batch) => {
    for (const e of batch) events.user.push(json(e));
  });
  venue.subscribeMarket((batch) => {
    for (const e of batch) events.market.push(json(e));
  });
  return events;
}

/** A run: the market for 40 s of venue clock across a funding time, with clients among it. */
async function recordedRun(): Promise<{ h: Harness; events: { user: string[]; market: string[] } }> {
  const h = await Harness.start();
  harnesses.push(h);
  h.clock = FUNDING - 20_000;
  const events = recordEvents(h.venue);
  const market = await SimulatedMarket.open(h.venue, defaultSettings(h.venue.symbols(), 3), () => h.clock);
  const step = async (ms: number) => {
    h.clock += ms;
    await market.advance(h.clock);
  };
  const alice = await h.account({ BTC: "5" });
  await step(5_000);
  const resting = await h.place(alice, limit("BUY", 2, "25000.0"));
  await h.place(alice, limit("SELL", 100_000, "31000.0")).catch(() => {}); // refused: no margin for it
  await h.signed(alice, "POST", "/papi/v1/cm/conditional/order", {
    symbol: "BTCUSD_PERP",
    side: "BUY",
    strategyType: "STOP_MARKET",
    quantity: 1,
    stopPrice: "29000.0",
  });
  await step(10_000);
  await h.request(
    "POST",
    "/admin/v1/orders/fill",
    ADMIN,
    JSON.stringify({ symbol: "BTCUSD_PERP", orderId: resting.orderId, quantity: 1 }),
  );
  await step(25_000);
  await h.venue.flushed();
  return { h, events };
}

describe("the journal", () => {
  it("notes every command with its sequence number, venue time and kind, refused ones too", async () => {
    const h = await Harness.start();
    harnesses.push(h);
    const alice = await h.account({ BTC: "1" });
    h.clock += 1000;
    await h.place(alice, limit("BUY", 1, "29000.0"));
    await h.place(alice, limit("SELL", 100_000, "31000.0")).catch(() => {}); // refused: no margin for it
    // It changed nothing, so its entry waits, in its place, for the next commit.
    expect((await h.venue.journal(1, 10)).map((e) => e.seq)).toEqual([1, 2]);
    await h.place(alice, limit("BUY", 1, "28000.0"));
    const entries = await h.venue.journal(1, 10);
    expect(entries.map((e) => [e.seq, e.time - h.clock, e.kind])).toEqual([
      [1, -1000, "createAccount"],
      [2, 0, "place"],
      [3, 0, "place"],
      [4, 0, "place"],
    ]);
    expect(entries[2]!.args).toMatchObject({ side: "SELL", quantity: 100_000 });
    expect(entries[1]!.args).toMatchObject({
      symbol: "BTCUSD_PERP",
      side: "BUY",
      price: 290_000,
      quantity: 1,
    });
  });

  it("notes the identifiers a command drew: the account's alias, API key and secret", async () => {
    const h = await Harness.start();
    harnesses.push(h);
    const alice = await h.account({ BTC: "1" });
    const [created] = await h.venue.journal(1, 1);
    expect(created!.draws!.map((d) => d.kind)).toEqual(["alias", "apiKey", "secret"]);
    expect(created!.draws!.slice(1).map((d) => d.value)).toEqual([alice.apiKey, alice.secret]);
  });

  it("exports JSON lines from fromSeq on, with the secrets left out", async () => {
    const h = await Harness.start();
    harnesses.push(h);
    const alice = await h.account({ BTC: "1" });
    await h.place(alice, limit("BUY", 1, "29000.0"));
    const res = await h.request("GET", "/admin/v1/journal?fromSeq=1", ADMIN);
    expect(res.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    const lines = res.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([1, 2]);
    expect(lines[0].draws).toEqual([
      { kind: "alias", value: expect.any(String) },
      { kind: "apiKey", value: alice.apiKey },
      { kind: "secret", value: null },
    ]);
    expect(res.text).not.toContain(alice.secret);
    const from2 = await h.request("GET", "/admin/v1/journal?fromSeq=2", ADMIN);
    expect(
      from2.text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).seq),
    ).toEqual([2]);
  });
});

describe("replay", () => {
  it("makes the same events and the same store, byte for byte, from a run with the market on", async () => {
    const { h, events } = await recordedRun();
    expect(events.user.length).toBeGreaterThan(500);
    expect(events.market.length).toBeGreaterThan(500);
    const kinds = new Set((await h.venue.journal(1, 100_000)).map((e) => e.kind));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        "advance",
        "createAccount",
        "forceFill",
        "place",
        "placeStrategy",
        "setIndexPrices",
      ]),
    );
    const funded = await h.request("GET", "/dapi/v1/fundingRate?symbol=BTCUSD_PERP");
    expect((funded.body as unknown[]).length).toBe(1);

    const dir = tempDir();
    const store = new SqliteStore(dir, { synchronous: "NORMAL" });
    stores.push(store);
    const replayed = new Venue(store);
    const replayedEvents = recordEvents(replayed);
    const source = openJournal(h.dir);
    try {
      await replayJournal(replayed, (from) => source.read(from, 1000).map(journalEntry));
    } finally {
      source.close();
    }
    expect(replayedEvents).toEqual(events);
    expect(storeDump(dir)).toEqual(storeDump(h.dir));
  });

  it("stops after --until's sequence number, with the venue as it stood then", async () => {
    const h = await Harness.start();
    harnesses.push(h);
    const alice = await h.account({ BTC: "1" });
    await h.place(alice, limit("BUY", 1, "29000.0"));
    await h.place(alice, limit("BUY", 1, "28000.0"));
    const dir = tempDir();
    const store = new SqliteStore(dir, { synchronous: "NORMAL" });
    stores.push(store);
    const venue = new Venue(store);
    const summary = await replayJournal(venue, (from) => h.store.journal(from, 1000).map(journalEntry), 2);
    expect([summary.commands, summary.lastSeq]).toEqual([2, 2]);
    expect((await venue.openOrders(alice.accountId, undefined)).map((o) => o.price)).toEqual([290_000]);
    expect(fs.existsSync(path.join(dir, "venue.db"))).toBe(true);
  });
});
