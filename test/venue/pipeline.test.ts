// The command pipeline: group commit, answers only after commit, rebuild after a failed
// commit, and recovery of books, ids and client ids from the store on restart.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findSymbol } from "../../src/domain/symbols.js";
import type { PlaceCommand } from "../../src/venue/venue.js";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

const BTC = findSymbol("BTCUSD_PERP")!;

let h: Harness;
let alice: Client;
let bob: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
  bob = await h.account();
});
afterEach(() => h.close());

const order = (accountId: number, side: "BUY" | "SELL", priceTicks: number, qty = 1): PlaceCommand => ({
  accountId,
  symbol: BTC,
  side,
  type: "LIMIT",
  timeInForce: "GTC",
  price: priceTicks,
  quantity: qty,
  reduceOnly: false,
  positionSide: "BOTH",
  respType: "RESULT",
  now: T0,
});

describe("group commit", () => {
  it("commits every command of one event-loop turn in one transaction", async () => {
    const commit = vi.spyOn(h.store, "commit");
    const answers = Array.from({ length: 100 }, (_, i) =>
      h.venue.place(order(alice.accountId, "BUY", 300000 - i)),
    );
    await Promise.all(answers);
    expect(commit).toHaveBeenCalledTimes(1);
  });

  it("answers nothing before the batch is committed", async () => {
    const events: string[] = [];
    const commit = h.store.commit.bind(h.store);
    vi.spyOn(h.store, "commit").mockImplementation((batch) => {
      events.push("commit");
      commit(batch);
    });
    await h.venue.place(order(alice.accountId, "BUY", 300000)).then(() => events.push("answer"));
    expect(events).toEqual(["commit", "answer"]);
  });

  it("answers -1001 when the commit fails and forgets what the batch applied", async () => {
    vi.spyOn(h.store, "commit").mockImplementationOnce(() => {
      throw new Error("disk I/O error");
    });
    await expect(h.venue.place(order(alice.accountId, "BUY", 300000))).rejects.toMatchObject({
      code: -1001,
      status: 503,
    });
    expect(await h.venue.openOrders(alice.accountId, undefined)).toEqual([]);
    const next = await h.venue.place(order(alice.accountId, "BUY", 300000));
    expect(next.status).toBe("NEW");
  });

  it("makes a read wait for the commit of what was applied before it", async () => {
    const placing = h.venue.place(order(alice.accountId, "BUY", 300000));
    const open = await h.venue.openOrders(alice.accountId, undefined);
    expect(open.map((o) => o.id)).toEqual([(await placing).id]);
  });
});

describe("restart", () => {
  it("rebuilds the book in time priority, so the oldest order at a price fills first", async () => {
    const first = await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(bob, limit("BUY", 1, "30000"));
    h = await h.restart();
    await h.place(bob, limit("SELL", 1, "30000"));
    const q = await h.signed(alice, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: first.orderId as number,
    });
    expect(q.body).toMatchObject({ status: "FILLED" });
  });

  it("keeps partially filled orders with their fills", async () => {
    const resting = await h.place(alice, limit("SELL", 5, "30010.5"));
    await h.place(bob, limit("BUY", 2, "30010.5"));
    h = await h.restart();
    const q = await h.signed(alice, "GET", "/papi/v1/cm/openOrder", {
      symbol: "BTCUSD_PERP",
      orderId: resting.orderId as number,
    });
    // 2 × 100 / 30010.5 = 0.0066643341… → 0.00666433
    expect(q.body).toMatchObject({
      status: "PARTIALLY_FILLED",
      executedQty: "2",
      cumBase: "0.00666433",
      avgPrice: "30010.5",
    });
  });

  it("continues order ids and trade ids after the highest ever given", async () => {
    await h.place(alice, limit("SELL", 1, "30000"));
    const last = await h.place(bob, limit("BUY", 1, "30000"));
    h = await h.restart();
    await h.place(alice, limit("SELL", 1, "30000"));
    const next = await h.place(bob, limit("BUY", 1, "30000"));
    expect(next.orderId).toBe((last.orderId as number) + 2);
    const trades = await h.signed(bob, "GET", "/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" });
    expect((trades.body as Array<{ id: number }>).map((t) => t.id)).toEqual([1, 2]);
  });

  it("keeps client order ids of open orders, for cancels and duplicate checks", async () => {
    await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "kept" }));
    h = await h.restart();
    const dup = await h.signed(
      alice,
      "POST",
      "/papi/v1/cm/order",
      limit("BUY", 1, "30000", { newClientOrderId: "kept" }),
    );
    expect(dup.body).toEqual({ code: -4116, msg: "ClientOrderId is duplicated." });
    const res = await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      origClientOrderId: "kept",
    });
    expect(res.body).toMatchObject({ status: "CANCELED" });
  });

  it("keeps accounts, keys and positions (a reduce-only order still sees the position)", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    await h.place(alice, limit("BUY", 1, "30000"));
    h = await h.restart();
    const res = await h.place(alice, { ...limit("SELL", 1, "30000"), reduceOnly: "true" });
    expect(res).toMatchObject({ reduceOnly: true, status: "NEW" });
  });

  it("keeps the last trade price as the mark for PERCENT_PRICE", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    await h.place(alice, limit("BUY", 1, "30000"));
    h = await h.restart();
    const res = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "40000"));
    expect(res.body).toMatchObject({ code: -4016 });
  });
});

describe("store faults", () => {
  it("answers -1001 while the store cannot be read back, and recovers when it can", async () => {
    vi.spyOn(h.store, "commit").mockImplementationOnce(() => {
      throw new Error("disk I/O error");
    });
    const load = vi.spyOn(h.store, "load").mockImplementationOnce(() => {
      throw new Error("disk I/O error");
    });
    await expect(h.venue.place(order(alice.accountId, "BUY", 300000))).rejects.toMatchObject({ code: -1001 });
    expect(load).toHaveBeenCalledTimes(1);
    // The next command rebuilds from the store (now readable) and proceeds.
    const next = await h.venue.place(order(alice.accountId, "BUY", 300000));
    expect(next.status).toBe("NEW");
    expect((await h.venue.openOrders(alice.accountId, undefined)).map((o) => o.id)).toEqual([next.id]);
  });
});
