import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fill, Order, OrderType, Side, TimeInForce } from "../../src/domain/order.js";
import type { MatchingEngine, ModifyOutcome, PlaceOutcome } from "../../src/engine/contract.js";
import { Engine } from "../../src/engine/engine.js";
import { ReferenceBook } from "../../src/engine/reference-book.js";
import { cloneOrder, newOrder, SYMBOL } from "./helpers.js";

type Command =
  | {
      kind: "place";
      side: Side;
      type: OrderType;
      tif: TimeInForce;
      price: number;
      qty: number;
      accountId: number;
    }
  | { kind: "cancel"; pick: number }
  | { kind: "modify"; pick: number; price: number; qty: number }
  | { kind: "fill"; pick: number; qty: number; takerQty: number };

// A narrow tick band keeps the two sides crossing often, so every path gets exercised.
const price = fc.integer({ min: 95, max: 105 });
/** Every price a command can name, and one beyond each end. */
const LEVEL_PRICES = Array.from({ length: 13 }, (_, i) => 94 + i);
const side = fc.constantFrom<Side>("BUY", "SELL");

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("place" as const),
      side,
      type: fc.oneof(
        { weight: 9, arbitrary: fc.constant<OrderType>("LIMIT") },
        fc.constant<OrderType>("MARKET"),
      ),
      tif: fc.constantFrom<TimeInForce>("GTC", "GTC", "IOC", "FOK", "GTX"),
      price,
      qty: fc.integer({ min: 1, max: 20 }),
      accountId: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("modify" as const),
      pick: fc.nat(),
      price,
      qty: fc.integer({ min: 1, max: 25 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("fill" as const),
      pick: fc.nat(),
      qty: fc.integer({ min: 1, max: 25 }),
      takerQty: fc.integer({ min: 1, max: 25 }),
    }),
  },
);

function orderView(o: Order): string {
  return `${o.id}/${o.status}/${o.price}/${o.origQty}/${o.executedQty}/${o.baseAcc}/${o.seq}/${o.updateTime}`;
}

function fillsView(fills: readonly Fill[]): string[] {
  return fills.map(
    (f) => `${f.tradeId}:${f.maker.id}>${f.taker.id}@${f.price}x${f.qty}/${f.time}/${f.symbol}`,
  );
}

function placeView(out: PlaceOutcome): unknown {
  if (!out.ok) return { reject: out.reject };
  return { order: orderView(out.order), fills: fillsView(out.fills), changed: out.changed.map(orderView) };
}

function modifyView(out: ModifyOutcome | undefined): unknown {
  if (out === undefined) return null;
  return {
    order: orderView(out.order),
    canceled: out.canceled,
    fills: fillsView(out.fills),
    changed: out.changed.map(orderView),
  };
}

function bookView(engine: MatchingEngine): unknown {
  const resting = engine.resting(SYMBOL);
  return {
    nextTradeId: engine.nextTradeId,
    nextSeq: engine.nextSeq,
    resting: resting.map(orderView),
    // get must find exactly the resting orders, as the same objects.
    gets: resting.every((o) => engine.get(SYMBOL, o.id) === o),
    bids: engine.depth(SYMBOL, "BUY", 1000),
    asks: engine.depth(SYMBOL, "SELL", 1000),
    // Each level's quantity by price, as the book diffs read it, for every price a level could hold.
    levels: LEVEL_PRICES.map((p) => [engine.levelQty(SYMBOL, "BUY", p), engine.levelQty(SYMBOL, "SELL", p)]),
  };
}

/** Runs one command on both engines and fails with a readable diff on the first divergence. */
function step(
  fast: Engine,
  ref: ReferenceBook,
  cmd: Command,
  now: number,
  placed: number[],
  index: number,
): void {
  let got: unknown;
  let want: unknown;
  if (cmd.kind === "place") {
    const id = placed.length + 1;
    placed.push(id);
    const order = newOrder({
      id,
      side: cmd.side,
      type: cmd.type,
      tif: cmd.tif,
      price: cmd.price,
      qty: cmd.qty,
      accountId: cmd.accountId,
      time: now,
    });
    got = placeView(fast.place(cloneOrder(order), now));
    want = placeView(ref.place(cloneOrder(order), now));
  } else {
    // Mostly resting ids (the interesting case), sometimes any id ever placed or one never placed.
    const resting = ref.resting(SYMBOL);
    const span = resting.length + placed.length + 1;
    const k = cmd.pick % span;
    const id = k < resting.length ? resting[k]!.id : k - resting.length + 1;
    if (cmd.kind === "fill") {
      // A forced fill: an order outside the book takes `qty` of one resting order.
      const resting = ref.get(SYMBOL, id);
      const taker = newOrder({
        id: 1_000_000 + index,
        side: resting?.side === "BUY" ? "SELL" : "BUY",
        type: "LIMIT",
        tif: "IOC",
        price: resting?.price ?? 100,
        qty: cmd.takerQty,
        accountId: 9,
        time: now,
      });
      const a = fast.fillResting(SYMBOL, id, cmd.qty, cloneOrder(taker), now);
      const b = ref.fillResting(SYMBOL, id, cmd.qty, cloneOrder(taker), now);
      got = a === undefined ? null : placeView(a);
      want = b === undefined ? null : placeView(b);
    } else if (cmd.kind === "cancel") {
      const a = fast.cancel(SYMBOL, id, now);
      const b = ref.cancel(SYMBOL, id, now);
      got = a === undefined ? null : orderView(a);
      want = b === undefined ? null : orderView(b);
    } else {
      got = modifyView(fast.modify(SYMBOL, id, cmd.price, cmd.qty, now));
      want = modifyView(ref.modify(SYMBOL, id, cmd.price, cmd.qty, now));
    }
  }
  // Structure first: a corrupted list could otherwise make the snapshot walk loop.
  const broken = fast.audit(SYMBOL);
  if (broken !== undefined) expect.fail(`command ${index} ${JSON.stringify(cmd)} broke the book: ${broken}`);
  const gotAll = JSON.stringify({ outcome: got, book: bookView(fast) });
  const wantAll = JSON.stringify({ outcome: want, book: bookView(ref) });
  // Comparing strings first keeps the common, equal case cheap.
  if (gotAll !== wantAll) {
    expect({ index, cmd, ...JSON.parse(gotAll) }).toEqual({ index, cmd, ...JSON.parse(wantAll) });
  }
}

describe("engine against the reference book", () => {
  it("agrees on every outcome and book snapshot over random command sequences", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 300, size: "max" }), (commands) => {
        const fast = new Engine();
        const ref = new ReferenceBook();
        const placed: number[] = [];
        commands.forEach((cmd, i) => {
          step(fast, ref, cmd, 1000 + i, placed, i);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("agrees after a restore and resume of the reference's resting orders", () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 150, size: "max" }),
        fc.array(command, { maxLength: 150, size: "max" }),
        (before, after) => {
          const ref = new ReferenceBook();
          const warm = new Engine();
          const placed: number[] = [];
          before.forEach((cmd, i) => {
            step(warm, ref, cmd, 1000 + i, placed, i);
          });
          // A fresh fast engine recovered from the reference's state, as the venue does on start.
          const fast = new Engine();
          const stored = ref.resting(SYMBOL).slice();
          stored.sort((a, b) => a.seq - b.seq);
          for (const o of stored) fast.restore(cloneOrder(o));
          fast.resume(ref.nextTradeId, ref.nextSeq);
          expect(fast.audit(SYMBOL)).toBeUndefined();
          expect(bookView(fast)).toEqual(bookView(ref));
          after.forEach((cmd, i) => {
            step(fast, ref, cmd, 5000 + i, placed, before.length + i);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
