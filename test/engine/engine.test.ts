import { describe, expect, it } from "vitest";
import { BASE_SCALE, type Order } from "../../src/domain/order.js";
import type { MatchingEngine, PlaceOutcome } from "../../src/engine/contract.js";
import { createEngine, Engine } from "../../src/engine/engine.js";
import { ReferenceBook } from "../../src/engine/reference-book.js";
import { newOrder, type OrderSpec, SYMBOL } from "./helpers.js";

type Placed = Extract<PlaceOutcome, { ok: true }>;

function placed(outcome: PlaceOutcome): Placed {
  if (!outcome.ok) throw new Error(`unexpected reject ${outcome.reject}`);
  return outcome;
}

function ids(orders: readonly Order[]): number[] {
  return orders.map((o) => o.id);
}

const engines: [string, () => MatchingEngine][] = [
  ["engine", createEngine],
  ["reference book", () => new ReferenceBook()],
];

describe.each(engines)("%s", (_name, make) => {
  /** Places orders that must not trade, e.g. to set up a book. */
  function setup(specs: OrderSpec[]): MatchingEngine {
    const engine = make();
    for (const spec of specs) {
      const out = placed(engine.place(newOrder(spec), 1));
      expect(out.fills).toHaveLength(0);
    }
    return engine;
  }

  it("GTC without a cross rests as NEW with a fresh seq", () => {
    const engine = make();
    const out = placed(engine.place(newOrder({ id: 1, side: "BUY", price: 100, qty: 5 }), 7));
    expect(out.order.status).toBe("NEW");
    expect(out.order.seq).toBe(1);
    expect(out.order.updateTime).toBe(7);
    expect(out.fills).toHaveLength(0);
    expect(ids(out.changed)).toEqual([1]);
    expect(engine.get(SYMBOL, 1)).toBe(out.order);
    expect(engine.nextSeq).toBe(2);
    expect(engine.depth(SYMBOL, "BUY", 10)).toEqual([{ price: 100, qty: 5, orders: 1 }]);
  });

  it("partial fill rests the remainder as PARTIALLY_FILLED and fills the maker", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 4 }]);
    const out = placed(engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 10 }), 5));
    expect(out.fills.map((f) => [f.tradeId, f.maker.id, f.taker.id, f.price, f.qty])).toEqual([
      [1, 1, 2, 100, 4],
    ]);
    expect(out.order.status).toBe("PARTIALLY_FILLED");
    expect(out.order.executedQty).toBe(4);
    expect(out.changed[0]!.status).toBe("FILLED");
    expect(engine.get(SYMBOL, 1)).toBeUndefined();
    expect(engine.depth(SYMBOL, "SELL", 10)).toEqual([]);
    expect(engine.depth(SYMBOL, "BUY", 10)).toEqual([{ price: 100, qty: 6, orders: 1 }]);
  });

  it("price priority: better levels fill first across levels", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 102, qty: 1 },
      { id: 2, side: "SELL", price: 101, qty: 1 },
      { id: 3, side: "SELL", price: 103, qty: 1 },
    ]);
    const out = placed(engine.place(newOrder({ id: 4, side: "BUY", price: 103, qty: 3 }), 2));
    expect(out.fills.map((f) => [f.maker.id, f.price])).toEqual([
      [2, 101],
      [1, 102],
      [3, 103],
    ]);
    expect(out.order.status).toBe("FILLED");
  });

  it("time priority: within a level the oldest order fills first", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 100, qty: 2 },
      { id: 2, side: "BUY", price: 100, qty: 2 },
      { id: 3, side: "BUY", price: 100, qty: 2 },
    ]);
    const out = placed(engine.place(newOrder({ id: 4, side: "SELL", price: 100, qty: 3 }), 2));
    expect(out.fills.map((f) => [f.maker.id, f.qty])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(ids(engine.resting(SYMBOL))).toEqual([2, 3]);
  });

  it("executes at the maker's price, not the taker's limit", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 100, qty: 1 },
      { id: 2, side: "BUY", price: 90, qty: 1 },
    ]);
    const buy = placed(engine.place(newOrder({ id: 3, side: "BUY", price: 105, qty: 1 }), 2));
    expect(buy.fills[0]!.price).toBe(100);
    const sell = placed(engine.place(newOrder({ id: 4, side: "SELL", price: 80, qty: 1 }), 3));
    expect(sell.fills[0]!.price).toBe(90);
  });

  it("IOC expires its remainder even after a partial fill and never rests", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 3 }]);
    const out = placed(engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 5, tif: "IOC" }), 2));
    expect(out.order.status).toBe("EXPIRED");
    expect(out.order.executedQty).toBe(3);
    expect(engine.get(SYMBOL, 2)).toBeUndefined();
    expect(engine.resting(SYMBOL)).toEqual([]);
    expect(engine.nextSeq).toBe(2);
  });

  it("IOC that fills completely is FILLED", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 5 }]);
    const out = placed(engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 5, tif: "IOC" }), 2));
    expect(out.order.status).toBe("FILLED");
  });

  it("FOK the book cannot fill is rejected and leaves the book unchanged", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 100, qty: 3 },
      { id: 2, side: "SELL", price: 101, qty: 3 },
      { id: 3, side: "SELL", price: 102, qty: 10 },
    ]);
    const before = engine.resting(SYMBOL).map((o) => ({ ...o, prev: null, next: null }));
    const out = engine.place(newOrder({ id: 4, side: "BUY", price: 101, qty: 7, tif: "FOK" }), 2);
    expect(out).toEqual({ ok: false, reject: "FOK_UNFILLABLE" });
    expect(engine.resting(SYMBOL).map((o) => ({ ...o, prev: null, next: null }))).toEqual(before);
    expect(engine.nextTradeId).toBe(1);
    expect(engine.nextSeq).toBe(4);
    expect(engine.get(SYMBOL, 4)).toBeUndefined();
  });

  it("FOK with enough crossing liquidity fills completely across levels", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 100, qty: 3 },
      { id: 2, side: "SELL", price: 101, qty: 4 },
    ]);
    const out = placed(engine.place(newOrder({ id: 3, side: "BUY", price: 101, qty: 7, tif: "FOK" }), 2));
    expect(out.order.status).toBe("FILLED");
    expect(out.fills.map((f) => f.qty)).toEqual([3, 4]);
    expect(engine.resting(SYMBOL)).toEqual([]);
  });

  it("GTX that would take is rejected and changes nothing", () => {
    const engine = setup([{ id: 1, side: "BUY", price: 100, qty: 3 }]);
    const out = engine.place(newOrder({ id: 2, side: "SELL", price: 100, qty: 1, tif: "GTX" }), 2);
    expect(out).toEqual({ ok: false, reject: "GTX_WOULD_TAKE" });
    expect(ids(engine.resting(SYMBOL))).toEqual([1]);
    expect(engine.nextSeq).toBe(2);
  });

  it("GTX that would not take rests as NEW", () => {
    const engine = setup([{ id: 1, side: "BUY", price: 100, qty: 3 }]);
    const out = placed(engine.place(newOrder({ id: 2, side: "SELL", price: 101, qty: 1, tif: "GTX" }), 2));
    expect(out.order.status).toBe("NEW");
    expect(out.order.seq).toBe(2);
    expect(engine.depth(SYMBOL, "SELL", 5)).toEqual([{ price: 101, qty: 1, orders: 1 }]);
  });

  it("MARKET on an empty book expires with no fills", () => {
    const engine = make();
    const out = placed(engine.place(newOrder({ id: 1, side: "BUY", type: "MARKET", qty: 5 }), 3));
    expect(out.order.status).toBe("EXPIRED");
    expect(out.order.executedQty).toBe(0);
    expect(out.order.updateTime).toBe(3);
    expect(out.fills).toHaveLength(0);
    expect(ids(out.changed)).toEqual([1]);
    expect(engine.resting(SYMBOL)).toEqual([]);
  });

  it("MARKET sweeps every level at any price and expires the remainder", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 100, qty: 2 },
      { id: 2, side: "BUY", price: 50, qty: 2 },
      { id: 3, side: "BUY", price: 1, qty: 2 },
    ]);
    const out = placed(engine.place(newOrder({ id: 4, side: "SELL", type: "MARKET", qty: 10 }), 2));
    expect(out.fills.map((f) => [f.maker.id, f.price, f.qty])).toEqual([
      [1, 100, 2],
      [2, 50, 2],
      [3, 1, 2],
    ]);
    expect(out.order.status).toBe("EXPIRED");
    expect(out.order.executedQty).toBe(6);
    expect(engine.depth(SYMBOL, "BUY", 10)).toEqual([]);
  });

  it("MARKET that is fully filled is FILLED and leaves the rest of the level", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 5 }]);
    const out = placed(engine.place(newOrder({ id: 2, side: "BUY", type: "MARKET", qty: 2 }), 2));
    expect(out.order.status).toBe("FILLED");
    expect(engine.get(SYMBOL, 1)!.status).toBe("PARTIALLY_FILLED");
    expect(engine.depth(SYMBOL, "SELL", 10)).toEqual([{ price: 100, qty: 3, orders: 1 }]);
  });

  it("changed lists each hit maker once in execution order, then the taker, all stamped now", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 100, qty: 1 },
      { id: 2, side: "SELL", price: 100, qty: 1 },
      { id: 3, side: "SELL", price: 101, qty: 5 },
    ]);
    const out = placed(engine.place(newOrder({ id: 4, side: "BUY", price: 101, qty: 4 }), 9));
    expect(ids(out.changed)).toEqual([1, 2, 3, 4]);
    expect(out.changed.map((o) => o.updateTime)).toEqual([9, 9, 9, 9]);
    expect(out.changed.map((o) => o.status)).toEqual(["FILLED", "FILLED", "PARTIALLY_FILLED", "FILLED"]);
    expect(out.fills.map((f) => f.tradeId)).toEqual([1, 2, 3]);
    expect(out.fills.every((f) => f.time === 9 && f.symbol === SYMBOL)).toBe(true);
    expect(engine.nextTradeId).toBe(4);
  });

  it("self-trades match like any other trade", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 1, accountId: 2 }]);
    const out = placed(engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 1, accountId: 2 }), 2));
    expect(out.fills).toHaveLength(1);
    expect(out.order.status).toBe("FILLED");
  });

  it("cancel unlinks the order, drops its emptied level and marks it CANCELED", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 100, qty: 1 },
      { id: 2, side: "BUY", price: 99, qty: 2 },
      { id: 3, side: "BUY", price: 98, qty: 3 },
    ]);
    const canceled = engine.cancel(SYMBOL, 2, 5);
    expect(canceled?.id).toBe(2);
    expect(canceled?.status).toBe("CANCELED");
    expect(canceled?.updateTime).toBe(5);
    expect(engine.get(SYMBOL, 2)).toBeUndefined();
    expect(engine.depth(SYMBOL, "BUY", 10).map((l) => l.price)).toEqual([100, 98]);
  });

  it("cancel in the middle of a level keeps the rest of the FIFO in order", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 100, qty: 1 },
      { id: 2, side: "SELL", price: 100, qty: 2 },
      { id: 3, side: "SELL", price: 100, qty: 3 },
    ]);
    engine.cancel(SYMBOL, 2, 5);
    expect(ids(engine.resting(SYMBOL))).toEqual([1, 3]);
    expect(engine.depth(SYMBOL, "SELL", 1)).toEqual([{ price: 100, qty: 4, orders: 2 }]);
    const out = placed(engine.place(newOrder({ id: 4, side: "BUY", price: 100, qty: 4 }), 6));
    expect(out.fills.map((f) => f.maker.id)).toEqual([1, 3]);
  });

  it("cancel of an unknown, filled or already canceled order is undefined", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 100, qty: 1 },
      { id: 2, side: "SELL", price: 101, qty: 1 },
    ]);
    engine.place(newOrder({ id: 3, side: "BUY", price: 100, qty: 1 }), 2);
    expect(engine.cancel(SYMBOL, 99, 3)).toBeUndefined();
    expect(engine.cancel(SYMBOL, 1, 3)).toBeUndefined();
    expect(engine.cancel("ETHUSD_PERP", 2, 3)).toBeUndefined();
    expect(engine.cancel(SYMBOL, 2, 3)?.status).toBe("CANCELED");
    expect(engine.cancel(SYMBOL, 2, 4)).toBeUndefined();
  });

  it("modify re-queues the order with a new seq, losing time priority even when only shrinking", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 100, qty: 5 },
      { id: 2, side: "BUY", price: 100, qty: 5 },
    ]);
    const out = engine.modify(SYMBOL, 1, 100, 4, 7)!;
    expect(out.canceled).toBe(false);
    expect(out.order.status).toBe("NEW");
    expect(out.order.seq).toBe(3);
    expect(out.order.origQty).toBe(4);
    expect(out.order.updateTime).toBe(7);
    expect(ids(out.changed)).toEqual([1]);
    expect(ids(engine.resting(SYMBOL))).toEqual([2, 1]);
    const sell = placed(engine.place(newOrder({ id: 3, side: "SELL", price: 100, qty: 1 }), 8));
    expect(sell.fills[0]!.maker.id).toBe(2);
  });

  it("modify to a crossing price matches at the makers' prices and rests the remainder", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 99, qty: 5 },
      { id: 2, side: "SELL", price: 101, qty: 3 },
      { id: 3, side: "SELL", price: 102, qty: 3 },
    ]);
    const out = engine.modify(SYMBOL, 1, 101, 6, 4)!;
    expect(out.canceled).toBe(false);
    expect(out.fills.map((f) => [f.maker.id, f.taker.id, f.price, f.qty])).toEqual([[2, 1, 101, 3]]);
    expect(ids(out.changed)).toEqual([2, 1]);
    expect(out.order.status).toBe("PARTIALLY_FILLED");
    expect(out.order.seq).toBe(4);
    expect(engine.depth(SYMBOL, "BUY", 5)).toEqual([{ price: 101, qty: 3, orders: 1 }]);
    expect(engine.depth(SYMBOL, "SELL", 5)).toEqual([{ price: 102, qty: 3, orders: 1 }]);
  });

  it("modify that crosses for its whole quantity ends FILLED and off the book", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 105, qty: 2 },
      { id: 2, side: "BUY", price: 100, qty: 5 },
    ]);
    const out = engine.modify(SYMBOL, 1, 100, 2, 4)!;
    expect(out.order.status).toBe("FILLED");
    expect(out.fills.map((f) => f.price)).toEqual([100]);
    expect(engine.get(SYMBOL, 1)).toBeUndefined();
    expect(engine.depth(SYMBOL, "BUY", 5)).toEqual([{ price: 100, qty: 3, orders: 1 }]);
  });

  it("modify to a quantity at or below executedQty cancels the order", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 5 }]);
    engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 2 }), 2);
    const out = engine.modify(SYMBOL, 1, 100, 2, 3)!;
    expect(out.canceled).toBe(true);
    expect(out.order.status).toBe("CANCELED");
    expect(out.order.updateTime).toBe(3);
    expect(out.fills).toHaveLength(0);
    expect(ids(out.changed)).toEqual([1]);
    expect(engine.resting(SYMBOL)).toEqual([]);
  });

  it("modify of a GTX order to a crossing price cancels it", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 100, qty: 5 },
      { id: 2, side: "SELL", price: 101, qty: 2, tif: "GTX" },
    ]);
    const out = engine.modify(SYMBOL, 2, 100, 2, 3)!;
    expect(out.canceled).toBe(true);
    expect(out.order.status).toBe("CANCELED");
    expect(out.fills).toHaveLength(0);
    expect(ids(engine.resting(SYMBOL))).toEqual([1]);
    expect(engine.get(SYMBOL, 1)!.executedQty).toBe(0);
  });

  it("modify of a GTX order to a non-crossing price re-queues it", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 100, qty: 5 },
      { id: 2, side: "SELL", price: 103, qty: 2, tif: "GTX" },
    ]);
    const out = engine.modify(SYMBOL, 2, 101, 3, 3)!;
    expect(out.canceled).toBe(false);
    expect(out.order.status).toBe("NEW");
    expect(engine.depth(SYMBOL, "SELL", 5)).toEqual([{ price: 101, qty: 3, orders: 1 }]);
  });

  it("modify of an order that is not resting is undefined", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 1 }]);
    engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 1 }), 2);
    expect(engine.modify(SYMBOL, 1, 100, 5, 3)).toBeUndefined();
    expect(engine.modify(SYMBOL, 42, 100, 5, 3)).toBeUndefined();
  });

  it("baseAcc of a two-fill order is the exact sum of the truncated per-fill terms", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 97, qty: 3 },
      { id: 2, side: "SELL", price: 101, qty: 7 },
    ]);
    const out = placed(engine.place(newOrder({ id: 3, side: "BUY", price: 101, qty: 10 }), 2));
    const first = (3n * BASE_SCALE) / 97n;
    const second = (7n * BASE_SCALE) / 101n;
    expect(out.order.baseAcc).toBe(first + second);
    expect(out.changed[0]!.baseAcc).toBe(first);
    expect(out.changed[1]!.baseAcc).toBe(second);
  });

  it("depth shows best levels first, aggregated and cut at the limit", () => {
    const engine = setup([
      { id: 1, side: "BUY", price: 98, qty: 1 },
      { id: 2, side: "BUY", price: 100, qty: 2 },
      { id: 3, side: "BUY", price: 100, qty: 3 },
      { id: 4, side: "BUY", price: 99, qty: 4 },
      { id: 5, side: "SELL", price: 103, qty: 1 },
      { id: 6, side: "SELL", price: 101, qty: 1 },
    ]);
    expect(engine.depth(SYMBOL, "BUY", 2)).toEqual([
      { price: 100, qty: 5, orders: 2 },
      { price: 99, qty: 4, orders: 1 },
    ]);
    expect(engine.depth(SYMBOL, "SELL", 10).map((l) => l.price)).toEqual([101, 103]);
    expect(engine.depth(SYMBOL, "SELL", 0)).toEqual([]);
    expect(engine.depth("ETHUSD_PERP", "SELL", 10)).toEqual([]);
  });

  it("resting lists bids best first then asks best first, each level in time priority", () => {
    const engine = setup([
      { id: 1, side: "SELL", price: 103, qty: 1 },
      { id: 2, side: "BUY", price: 99, qty: 1 },
      { id: 3, side: "BUY", price: 100, qty: 1 },
      { id: 4, side: "SELL", price: 101, qty: 1 },
      { id: 5, side: "BUY", price: 100, qty: 1 },
    ]);
    expect(ids(engine.resting(SYMBOL))).toEqual([3, 5, 2, 4, 1]);
    expect(engine.resting("ETHUSD_PERP")).toEqual([]);
  });

  it("restore appends at the tail of its level without matching and advances nextSeq", () => {
    const engine = make();
    const a = { ...newOrder({ id: 10, side: "BUY", price: 100, qty: 5 }), seq: 4 };
    const b = { ...newOrder({ id: 11, side: "BUY", price: 100, qty: 5 }), seq: 9, executedQty: 2 };
    b.status = "PARTIALLY_FILLED";
    const c = { ...newOrder({ id: 12, side: "SELL", price: 100, qty: 1 }), seq: 12 };
    engine.restore(a);
    engine.restore(b);
    engine.restore(c);
    expect(engine.nextSeq).toBe(13);
    expect(engine.nextTradeId).toBe(1);
    expect(ids(engine.resting(SYMBOL))).toEqual([10, 11, 12]);
    expect(engine.depth(SYMBOL, "BUY", 5)).toEqual([{ price: 100, qty: 8, orders: 2 }]);
    expect(c.status).toBe("NEW");
  });

  it("resume continues trade ids and seqs from the stored counters", () => {
    const engine = make();
    engine.resume(500, 70);
    expect(engine.nextTradeId).toBe(500);
    expect(engine.nextSeq).toBe(70);
    const maker = placed(engine.place(newOrder({ id: 1, side: "SELL", price: 100, qty: 2 }), 1));
    expect(maker.order.seq).toBe(70);
    const taker = placed(engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 1 }), 2));
    expect(taker.fills[0]!.tradeId).toBe(500);
    expect(engine.nextTradeId).toBe(501);
    expect(engine.nextSeq).toBe(71);
  });

  it("books of different symbols never match each other", () => {
    const engine = setup([{ id: 1, side: "SELL", price: 100, qty: 1 }]);
    const eth = { ...newOrder({ id: 2, side: "BUY", price: 100, qty: 1 }), symbol: "ETHUSD_PERP" };
    const out = placed(engine.place(eth, 2));
    expect(out.fills).toHaveLength(0);
    expect(ids(engine.resting("ETHUSD_PERP"))).toEqual([2]);
    expect(ids(engine.resting(SYMBOL))).toEqual([1]);
    expect(engine.get(SYMBOL, 2)).toBeUndefined();
  });
});

describe("engine book audit", () => {
  it("audit finds no fault in a book built by normal operations", () => {
    const engine = new Engine();
    for (let id = 1; id <= 6; id++) {
      engine.place(
        newOrder({ id, side: id % 2 ? "BUY" : "SELL", price: id % 2 ? 100 - id : 100 + id, qty: 2 }),
        1,
      );
    }
    engine.cancel(SYMBOL, 3, 2);
    engine.modify(SYMBOL, 2, 99, 3, 3);
    expect(engine.audit(SYMBOL)).toBeUndefined();
  });

  it("audit reports a broken FIFO link instead of looping over it", () => {
    const engine = new Engine();
    engine.place(newOrder({ id: 1, side: "BUY", price: 100, qty: 1 }), 1);
    engine.place(newOrder({ id: 2, side: "BUY", price: 100, qty: 1 }), 1);
    const second = engine.get(SYMBOL, 2)!;
    second.next = second;
    expect(engine.audit(SYMBOL)).toMatch(/more orders than count/);
  });
});
