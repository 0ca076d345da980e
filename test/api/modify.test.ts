// PUT /papi/v1/cm/order: amend price and quantity of a resting LIMIT order (spec §2.5).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
let alice: Client;
let bob: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
  bob = await h.account();
});
afterEach(() => h.close());

const modify = (client: Client, params: Record<string, string | number>) =>
  h.signed(client, "PUT", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", ...params });

describe("PUT /papi/v1/cm/order", () => {
  it("amends price and quantity and answers the modify form", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "amend-me" }));
    h.clock = T0 + 7;
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 3,
      price: "30005",
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      JSON.stringify({
        orderId: placed.orderId,
        symbol: "BTCUSD_PERP",
        pair: "BTCUSD",
        status: "NEW",
        clientOrderId: "amend-me",
        price: "30005",
        avgPrice: "0.0",
        origQty: "3",
        executedQty: "0",
        cumQty: "0",
        cumBase: "0",
        timeInForce: "GTC",
        type: "LIMIT",
        reduceOnly: false,
        side: "BUY",
        positionSide: "BOTH",
        origType: "LIMIT",
        updateTime: T0 + 7,
      }),
    );
  });

  it("echoes modifyId when the request carries one", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 2,
      price: "30000",
      modifyId: 42,
    });
    expect(res.body).toMatchObject({ modifyId: 42, origQty: "2" });
  });

  it("finds the order by origClientOrderId", async () => {
    await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "by-client" }));
    const res = await modify(alice, {
      origClientOrderId: "by-client",
      side: "BUY",
      quantity: 1,
      price: "29000",
    });
    expect(res.body).toMatchObject({ clientOrderId: "by-client", price: "29000" });
  });

  it("re-queues the order behind others at its price", async () => {
    const first = await h.place(alice, limit("BUY", 1, "30000"));
    const second = await h.place(alice, limit("BUY", 1, "30000"));
    await modify(alice, { orderId: first.orderId as number, side: "BUY", quantity: 2, price: "30000" });
    const sell = await h.place(bob, limit("SELL", 1, "30000"));
    expect(sell.status).toBe("FILLED");
    const q = await h.signed(alice, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: second.orderId as number,
    });
    expect(q.body).toMatchObject({ status: "FILLED" });
  });

  it("fills at once when the new price crosses the book", async () => {
    await h.place(bob, limit("SELL", 1, "30100"));
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 1,
      price: "30100",
    });
    expect(res.body).toMatchObject({ status: "FILLED", executedQty: "1", avgPrice: "30100.0" });
  });

  it("cancels, unamended, a partially filled order whose new quantity is not above executedQty", async () => {
    const placed = await h.place(alice, limit("BUY", 5, "30000"));
    await h.place(bob, limit("SELL", 2, "30000"));
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 2,
      price: "30000",
    });
    expect(res).toMatchObject({ status: 200, body: { status: "CANCELED", executedQty: "2", origQty: "5" } });
  });

  it("answers -5027 when neither price nor quantity changes", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 1,
      price: "30000.0",
    });
    expect(res).toMatchObject({ status: 400, body: { code: -5027, msg: "No need to modify the order." } });
  });

  it("answers -2013 for an unknown order", async () => {
    const res = await modify(alice, { orderId: 777, side: "BUY", quantity: 1, price: "30000" });
    expect(res).toMatchObject({ status: 400, body: { code: -2013, msg: "Order does not exist." } });
  });

  it("answers -2013 for another account's order", async () => {
    const theirs = await h.place(bob, limit("BUY", 1, "30000"));
    const res = await modify(alice, {
      orderId: theirs.orderId as number,
      side: "BUY",
      quantity: 2,
      price: "30000",
    });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("answers -2013 for a filled order", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 2,
      price: "30000",
    });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("answers -1117 when side differs from the order's side", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "SELL",
      quantity: 2,
      price: "30000",
    });
    expect(res.body).toEqual({ code: -1117, msg: "Invalid side." });
  });

  it("answers -1102 without quantity", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await modify(alice, { orderId: placed.orderId as number, side: "BUY", price: "30000" });
    expect(res.body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.",
    });
  });

  it("answers -1111 for a new price finer than the precision and leaves the order as it was", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 1,
      price: "30000.15",
    });
    expect(res.body).toMatchObject({ code: -1111 });
    const q = await h.signed(alice, "GET", "/papi/v1/cm/openOrder", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    expect(q.body).toMatchObject({ price: "30000", origQty: "1" });
  });

  it("cancels a GTX order whose new price would take", async () => {
    await h.place(bob, limit("SELL", 1, "30100"));
    const placed = await h.place(alice, { ...limit("BUY", 1, "30000"), timeInForce: "GTX" });
    const res = await modify(alice, {
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 1,
      price: "30100",
    });
    expect(res.body).toMatchObject({ status: "CANCELED", executedQty: "0" });
    const bobs = await h.signed(bob, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" });
    expect((bobs.body as unknown[]).length).toBe(1);
  });
});
