// The book diffs the venue publishes after each commit: ids chain (U = u, pu = the
// previous u), and a client that keeps a local book by Binance's COIN-M algorithm (buffer
// the diffs, take a REST snapshot at L, skip diffs with u < L, start at the one covering L
// or the one whose pu is L, then demand pu = previous u) ends with the venue's book,
// whenever it took its snapshot, while several clients place, modify, cancel and take.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DepthEvent } from "../../src/venue/venue.js";
import { depthSnapshot, randomStep, type Snapshot } from "../support/book-workload.js";
import { type Client, Harness, limit } from "../support/harness.js";
import { random } from "../support/random.js";

let h: Harness;
let clients: Client[];
let diffs: DepthEvent[];

beforeEach(async () => {
  h = await Harness.start();
  clients = [];
  for (let i = 0; i < 4; i++) clients.push(await h.account({ BTC: "100" }));
  diffs = [];
  h.venue.subscribeMarket((events) => {
    for (const e of events) if (e.kind === "depth" && e.symbol === "BTCUSD_PERP") diffs.push(e);
  });
});
afterEach(() => h.close());

type Levels = Map<string, string>;

const snapshot = () => depthSnapshot(h);
const step = (next: () => number) => randomStep(h, clients, next);

/** Binance's COIN-M local book: a snapshot, then the buffered and later diffs in order. */
function localBook(snap: Snapshot, buffered: readonly DepthEvent[]): { bids: Levels; asks: Levels } {
  const bids: Levels = new Map(snap.bids.map(([p, q]) => [p, q]));
  const asks: Levels = new Map(snap.asks.map(([p, q]) => [p, q]));
  let previous: number | undefined;
  for (const e of buffered) {
    if (e.lastUpdateId < snap.lastUpdateId) continue;
    if (previous === undefined) {
      const covers = e.firstUpdateId <= snap.lastUpdateId && e.lastUpdateId >= snap.lastUpdateId;
      expect(covers || e.previousUpdateId === snap.lastUpdateId, `first diff ${JSON.stringify(e)}`).toBe(
        true,
      );
    } else expect(e.previousUpdateId).toBe(previous);
    previous = e.lastUpdateId;
    for (const [side, levels] of [
      [bids, e.bids],
      [asks, e.asks],
    ] as const) {
      for (const [price, qty] of levels) {
        const key = (price / 10).toFixed(1);
        if (qty === 0) side.delete(key);
        else side.set(key, String(qty));
      }
    }
  }
  return { bids, asks };
}

const sorted = (levels: Levels, descending: boolean) =>
  [...levels].sort((a, b) => (descending ? Number(b[0]) - Number(a[0]) : Number(a[0]) - Number(b[0])));

describe("book diffs", () => {
  it.each([1, 2, 3, 4, 5])(
    "keep a local book equal to the venue's, snapshot taken at a random moment (seed %i)",
    async (seed) => {
      const next = random(seed);
      const snapAt = 20 + Math.floor(next() * 120);
      let snap: Snapshot | undefined;
      for (let i = 0; i < 200; i++) {
        if (i === snapAt) snap = await snapshot();
        await step(next);
      }
      const local = localBook(snap!, diffs);
      const venue = await snapshot();
      expect({ bids: sorted(local.bids, true), asks: sorted(local.asks, false) }).toEqual({
        bids: venue.bids,
        asks: venue.asks,
      });
      // Something happened on both sides, so the check had work to do.
      expect(diffs.length).toBeGreaterThan(50);
    },
  );

  it("chain every diff to the one before: U = u, pu = the previous u", async () => {
    const next = random(9);
    for (let i = 0; i < 100; i++) await step(next);
    for (const [i, e] of diffs.entries()) {
      expect(e.firstUpdateId).toBe(e.lastUpdateId);
      expect(e.previousUpdateId).toBe(i === 0 ? 0 : diffs[i - 1]!.lastUpdateId);
    }
  });

  it("start cleanly on an idle book: the next diff's pu is the snapshot's id", async () => {
    await h.place(clients[0]!, limit("BUY", 1, "30000"));
    const snap = await snapshot();
    diffs.length = 0;
    await h.place(clients[1]!, limit("SELL", 2, "30010"));
    expect(diffs).toEqual([
      {
        kind: "depth",
        symbol: "BTCUSD_PERP",
        time: h.clock,
        firstUpdateId: snap.lastUpdateId + 1,
        lastUpdateId: snap.lastUpdateId + 1,
        previousUpdateId: snap.lastUpdateId,
        bids: [],
        asks: [[300_100, 2]],
        bestBid: [300_000, 1],
        bestAsk: [300_100, 2],
      },
    ]);
  });

  it("leave out the price of a taker that filled in full: it never stood on the book", async () => {
    await h.place(clients[0]!, limit("SELL", 3, "30000"));
    diffs.length = 0;
    await h.place(clients[1]!, limit("BUY", 1, "30010"));
    expect(diffs.map((e) => [e.bids, e.asks])).toEqual([[[], [[300_000, 2]]]]);
  });

  it("show the price a taker came to rest at after filling in part", async () => {
    await h.place(clients[0]!, limit("SELL", 1, "30000"));
    diffs.length = 0;
    await h.place(clients[1]!, limit("BUY", 3, "30010"));
    expect(diffs.map((e) => [e.bids, e.asks])).toEqual([[[[300_100, 2]], [[300_000, 0]]]]);
  });

  it("show a modify's old level emptied and its new one filled", async () => {
    const placed = await h.place(clients[0]!, limit("BUY", 3, "30000"));
    diffs.length = 0;
    await h.signed(clients[0]!, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 3,
      price: "29990",
    });
    expect(diffs.map((e) => e.bids)).toEqual([
      [
        [300_000, 0],
        [299_900, 3],
      ],
    ]);
  });
});
