// A client keeps a local book over a real WebSocket exactly as Binance's COIN-M page
// "How to manage a local order book correctly" says: open the diff stream, buffer its
// events, take a REST snapshot (limit 1000), drop events with u < lastUpdateId, start at
// the one with U <= lastUpdateId <= u (or, on an idle book, the one whose pu is it), then
// demand pu = the previous u. While several clients place, modify, cancel and take at
// once, the local book ends equal to the venue's, at every speed of the stream.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { depthSnapshot, randomStep, type Snapshot } from "../support/book-workload.js";
import { type Client, Harness } from "../support/harness.js";
import { SOCKET_KINDS, type SocketKind } from "../support/market-sockets.js";
import { random } from "../support/random.js";
import { StreamClient } from "../support/ws-client.js";

let h: Harness;
let kind: SocketKind = "inline";
let clients: Client[];
let wsBase: string;
let sockets: StreamClient[];

beforeEach(async () => {
  h = await Harness.start(undefined, { marketSockets: kind });
  clients = [];
  for (let i = 0; i < 4; i++) clients.push(await h.account({ BTC: "100" }));
  wsBase = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
  sockets = [];
});
afterEach(async () => {
  for (const s of sockets) s.close();
  await h.close();
});

interface Diff {
  U: number;
  u: number;
  pu: number;
  b: [string, string][];
  a: [string, string][];
}

class LocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  private previous: number | undefined;
  applied = 0;

  constructor(private readonly snap: Snapshot) {
    for (const [p, q] of snap.bids) this.bids.set(p, q);
    for (const [p, q] of snap.asks) this.asks.set(p, q);
  }

  apply(e: Diff): void {
    if (e.u < this.snap.lastUpdateId) return;
    if (this.previous === undefined) {
      const covers = e.U <= this.snap.lastUpdateId && e.u >= this.snap.lastUpdateId;
      expect(covers || e.pu === this.snap.lastUpdateId, `first event ${JSON.stringify(e)}`).toBe(true);
    } else expect(e.pu, "pu chains to the previous u").toBe(this.previous);
    // Each book counts on its own, one by one: nothing lies between two events of a stream.
    expect(e.U, "U follows pu").toBe(e.pu + 1);
    this.previous = e.u;
    this.applied++;
    for (const [side, levels] of [
      [this.bids, e.b],
      [this.asks, e.a],
    ] as const) {
      for (const [price, qty] of levels) {
        if (Number(qty) === 0) side.delete(price);
        else side.set(price, qty);
      }
    }
  }

  view() {
    const sorted = (m: Map<string, string>, descending: boolean) =>
      [...m].sort((x, y) => (descending ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
    return { bids: sorted(this.bids, true), asks: sorted(this.asks, false) };
  }
}

/** Several clients act at once, so one commit often carries several of their commands. */
async function burst(next: () => number): Promise<void> {
  const n = 1 + Math.floor(next() * clients.length);
  await Promise.all(clients.slice(0, n).map((c) => randomStep(h, [c], next)));
}

describe.each(SOCKET_KINDS)("with the sockets held %s", (held) => {
  beforeAll(() => {
    kind = held;
  });
  afterAll(() => {
    kind = "inline";
  });

  describe("a local book over the diff stream", () => {
    it.each([
      ["btcusd_perp@depth@100ms", 1],
      ["btcusd_perp@depth", 2],
      ["btcusd_perp@depth@500ms", 3],
      ["btcusd_perp@depth@100ms", 4],
    ])("ends equal to the venue's book on %s (seed %i)", async (stream, seed) => {
      const next = random(seed);
      const socket = await StreamClient.open(`${wsBase}/stream?streams=${stream}`);
      sockets.push(socket);
      const snapAt = 10 + Math.floor(next() * 60);
      let snap: Snapshot | undefined;
      for (let i = 0; i < 120; i++) {
        if (i === snapAt) snap = await depthSnapshot(h);
        await burst(next);
        // The clock moves on by 20 to 120 ms between bursts; each stream speaks at its period.
        h.clock += 20 + Math.floor(next() * 100);
        await h.market.tick();
      }
      h.clock += 500;
      await h.market.tick();
      // A request's answer comes after every event sent before it.
      socket.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 1 }));
      await socket.waitFor(socket.messages.length + 1);
      while ((socket.messages[socket.messages.length - 1] as { id?: number }).id !== 1)
        await socket.waitFor(socket.messages.length + 1);
      const events = socket.messages.slice(0, -1) as { stream: string; data: Diff }[];
      const book = new LocalBook(snap!);
      for (const e of events) {
        expect(e.stream).toBe(stream);
        book.apply(e.data);
      }
      const venue = await depthSnapshot(h);
      expect(book.view()).toEqual({ bids: venue.bids, asks: venue.asks });
      // The book moved after the snapshot and still holds levels, so the check had work to do.
      expect(book.applied).toBeGreaterThan(5);
      expect(venue.bids.length + venue.asks.length).toBeGreaterThan(0);
    });

    it("starts cleanly from a snapshot of an idle book: the next event's pu is its lastUpdateId", async () => {
      const socket = await StreamClient.open(`${wsBase}/ws/btcusd_perp@depth@100ms`);
      sockets.push(socket);
      await h.place(clients[1]!, {
        symbol: "BTCUSD_PERP",
        side: "SELL",
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: 1,
        price: "31000",
      });
      h.clock += 100;
      await h.market.tick();
      await socket.waitFor(1);
      const snap = await depthSnapshot(h);
      await h.place(clients[0]!, {
        symbol: "BTCUSD_PERP",
        side: "BUY",
        type: "LIMIT",
        timeInForce: "GTC",
        quantity: 1,
        price: "29000",
      });
      h.clock += 100;
      await h.market.tick();
      const [, second] = (await socket.waitFor(2)) as Diff[];
      expect(second!.pu).toBe(snap.lastUpdateId);
      expect(second!.U).toBe(snap.lastUpdateId + 1);
    });
  });
});
