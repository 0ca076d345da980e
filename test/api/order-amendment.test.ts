// GET /papi/v1/cm/orderAmendment: an order's modify history, newest first.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
let alice: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
});
afterEach(async () => {
  await h.close();
});

async function modify(orderId: number, quantity: number, price: string) {
  const res = await h.signed(alice, "PUT", "/papi/v1/cm/order", {
    symbol: "BTCUSD_PERP",
    orderId,
    side: "BUY",
    quantity,
    price,
  });
  expect(res.status).toBe(200);
}

describe("GET /papi/v1/cm/orderAmendment", () => {
  it("lists each accepted modify with its price and quantity before and after, newest first, counted", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "mine" }));
    const orderId = placed.orderId as number;
    h.clock = T0 + 10;
    await modify(orderId, 1, "29990");
    h.clock = T0 + 20;
    await modify(orderId, 3, "29990");
    const res = await h.signed(alice, "GET", "/papi/v1/cm/orderAmendment", {
      symbol: "BTCUSD_PERP",
      orderId,
    });
    const rows = res.body as Record<string, unknown>[];
    const entry = (count: number, time: number, price: [string, string], qty: [string, string]) => ({
      symbol: "BTCUSD_PERP",
      pair: "BTCUSD",
      orderId,
      clientOrderId: "mine",
      time,
      amendment: {
        price: { before: price[0], after: price[1] },
        origQty: { before: qty[0], after: qty[1] },
        count,
      },
    });
    expect(rows).toMatchObject([
      entry(2, T0 + 20, ["29990", "29990"], ["1", "3"]),
      entry(1, T0 + 10, ["30000", "29990"], ["1", "1"]),
    ]);
    expect(rows[0]!.amendmentId as number).toBeGreaterThan(rows[1]!.amendmentId as number);
  });

  it("finds the order by its client id, and keeps to the time window", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "mine" }));
    h.clock = T0 + 10;
    await modify(placed.orderId as number, 1, "29990");
    const byClient = await h.signed(alice, "GET", "/papi/v1/cm/orderAmendment", {
      symbol: "BTCUSD_PERP",
      origClientOrderId: "mine",
    });
    expect(byClient.body).toHaveLength(1);
    const later = await h.signed(alice, "GET", "/papi/v1/cm/orderAmendment", {
      symbol: "BTCUSD_PERP",
      origClientOrderId: "mine",
      startTime: T0 + 11,
    });
    expect(later.body).toEqual([]);
  });

  it("asks for orderId or origClientOrderId, and answers [] for another account's order", async () => {
    const missing = await h.signed(alice, "GET", "/papi/v1/cm/orderAmendment", { symbol: "BTCUSD_PERP" });
    expect(missing.status).toBe(400);
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    await modify(placed.orderId as number, 2, "30000");
    const bob = await h.account();
    const foreign = await h.signed(bob, "GET", "/papi/v1/cm/orderAmendment", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    expect(foreign.body).toEqual([]);
  });
});
