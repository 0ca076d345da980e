// DELETE /papi/v1/cm/order — the seed endpoint, behaviour by behaviour (spec §2.2).
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

const cancel = (client: Client, params: Record<string, string | number>) =>
  h.signed(client, "DELETE", "/papi/v1/cm/order", params);

describe("DELETE /papi/v1/cm/order", () => {
  it("cancels a resting order by orderId and answers the 17 fields of the trade form", async () => {
    const placed = await h.place(alice, limit("BUY", 2, "30000", { newClientOrderId: "myOrder1" }));
    h.clock = T0 + 38;
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      JSON.stringify({
        avgPrice: "0.0",
        clientOrderId: "myOrder1",
        cumQty: "0",
        cumBase: "0",
        executedQty: "0",
        orderId: placed.orderId,
        origQty: "2",
        price: "30000",
        reduceOnly: false,
        side: "BUY",
        positionSide: "BOTH",
        status: "CANCELED",
        symbol: "BTCUSD_PERP",
        pair: "BTCUSD",
        timeInForce: "GTC",
        type: "LIMIT",
        updateTime: T0 + 38,
      }),
    );
  });

  it("cancels by origClientOrderId", async () => {
    const placed = await h.place(alice, limit("SELL", 1, "31000", { newClientOrderId: "mine-1" }));
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", origClientOrderId: "mine-1" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ orderId: placed.orderId, clientOrderId: "mine-1", status: "CANCELED" });
  });

  it("lets orderId decide when both ids are sent and they agree", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "both" }));
    const res = await cancel(alice, {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
      origClientOrderId: "both",
    });
    expect(res.body).toMatchObject({ orderId: placed.orderId, status: "CANCELED" });
  });

  it("answers -2011 when both ids are sent and name different orders", async () => {
    const a = await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "a" }));
    await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "b" }));
    const res = await cancel(alice, {
      symbol: "BTCUSD_PERP",
      orderId: a.orderId as number,
      origClientOrderId: "b",
    });
    expect(res).toMatchObject({ status: 400, body: { code: -2011, msg: "Unknown order sent." } });
    const still = await h.signed(alice, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" });
    expect((still.body as unknown[]).length).toBe(2);
  });

  it("keeps the fills of a partially filled order and prints cumBase and avgPrice as inverse sums", async () => {
    // Bob bids 3 @ 30010.5 and 2 @ 29995.0; Alice sells 10 @ 29995.0, takes both, rests 5.
    await h.place(bob, limit("BUY", 3, "30010.5"));
    await h.place(bob, limit("BUY", 2, "29995.0"));
    const sell = await h.place(alice, limit("SELL", 10, "29995.0", { newClientOrderId: "myOrder2" }));
    expect(sell.status).toBe("PARTIALLY_FILLED");
    h.clock = T0 + 123;
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", orderId: sell.orderId as number });
    // 3×100/30010.5 + 2×100/29995 = 0.016664277… → 0.01666428; 500 / 0.016664277… = 30004.298… → 30004.3
    expect(res.text).toBe(
      JSON.stringify({
        avgPrice: "30004.3",
        clientOrderId: "myOrder2",
        cumQty: "5",
        cumBase: "0.01666428",
        executedQty: "5",
        orderId: sell.orderId,
        origQty: "10",
        price: "29995",
        reduceOnly: false,
        side: "SELL",
        positionSide: "BOTH",
        status: "CANCELED",
        symbol: "BTCUSD_PERP",
        pair: "BTCUSD",
        timeInForce: "GTC",
        type: "LIMIT",
        updateTime: T0 + 123,
      }),
    );
  });

  it("prints a zero avgPrice with the symbol's price precision (ETHUSD_PERP: 0.00)", async () => {
    const placed = await h.place(alice, { ...limit("BUY", 1, "2000"), symbol: "ETHUSD_PERP" });
    const res = await cancel(alice, { symbol: "ETHUSD_PERP", orderId: placed.orderId as number });
    expect(res.body).toMatchObject({
      avgPrice: "0.00",
      price: "2000",
      symbol: "ETHUSD_PERP",
      pair: "ETHUSD",
    });
  });

  it("answers -2011 for an id that never existed", async () => {
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", orderId: 999999 });
    expect(res).toMatchObject({ status: 400, body: { code: -2011, msg: "Unknown order sent." } });
  });

  it("answers -2011 for an order already cancelled", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    await cancel(alice, { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    expect(res).toMatchObject({ status: 400, body: { code: -2011, msg: "Unknown order sent." } });
  });

  it("answers -2011 for a filled order (the cancel lost the race)", async () => {
    const resting = await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", orderId: resting.orderId as number });
    expect(res).toMatchObject({ status: 400, body: { code: -2011, msg: "Unknown order sent." } });
  });

  it("answers -2011 for another account's order and leaves it resting", async () => {
    const theirs = await h.place(bob, limit("BUY", 1, "30000", { newClientOrderId: "bobs" }));
    const byId = await cancel(alice, { symbol: "BTCUSD_PERP", orderId: theirs.orderId as number });
    const byClientId = await cancel(alice, { symbol: "BTCUSD_PERP", origClientOrderId: "bobs" });
    expect(byId.body).toEqual({ code: -2011, msg: "Unknown order sent." });
    expect(byClientId.body).toEqual({ code: -2011, msg: "Unknown order sent." });
    const open = await h.signed(bob, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" });
    expect((open.body as Array<{ orderId: number }>).map((o) => o.orderId)).toEqual([theirs.orderId]);
  });

  it("answers -2011 when the order lives on another symbol", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await cancel(alice, { symbol: "ETHUSD_PERP", orderId: placed.orderId as number });
    expect(res.body).toEqual({ code: -2011, msg: "Unknown order sent." });
  });

  it("answers -1102 when symbol is missing", async () => {
    const res = await cancel(alice, { orderId: 1 });
    expect(res).toMatchObject({
      status: 400,
      body: { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." },
    });
  });

  it("answers -1102 when symbol is empty", async () => {
    const res = await cancel(alice, { symbol: "", orderId: 1 });
    expect(res.body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
    });
  });

  it("answers -1102 when neither orderId nor origClientOrderId is sent", async () => {
    const res = await cancel(alice, { symbol: "BTCUSD_PERP" });
    expect(res).toMatchObject({
      status: 400,
      body: {
        code: -1102,
        msg: "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!",
      },
    });
  });

  it("answers -1121 for a symbol that is not listed", async () => {
    const res = await cancel(alice, { symbol: "BTCUSD", orderId: 1 });
    expect(res).toMatchObject({ status: 400, body: { code: -1121, msg: "Invalid symbol." } });
  });

  it("answers -1121 for a symbol in the wrong case", async () => {
    const res = await cancel(alice, { symbol: "btcusd_perp", orderId: 1 });
    expect(res.body).toEqual({ code: -1121, msg: "Invalid symbol." });
  });

  it("answers -1100 for an orderId that is not a LONG", async () => {
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", orderId: "12a" });
    expect(res).toMatchObject({
      status: 400,
      body: {
        code: -1100,
        msg: "Illegal characters found in parameter 'orderId'; legal range is '^[0-9]{1,20}$'.",
      },
    });
  });

  it("answers -2011 for an origClientOrderId that only a finished order carried", async () => {
    await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "gone" }));
    await cancel(alice, { symbol: "BTCUSD_PERP", origClientOrderId: "gone" });
    const res = await cancel(alice, { symbol: "BTCUSD_PERP", origClientOrderId: "gone" });
    expect(res.body).toEqual({ code: -2011, msg: "Unknown order sent." });
  });

  it("takes the order off the book, so a crossing order no longer fills against it", async () => {
    const resting = await h.place(alice, limit("BUY", 1, "30000"));
    await cancel(alice, { symbol: "BTCUSD_PERP", orderId: resting.orderId as number });
    const sell = await h.place(bob, limit("SELL", 1, "30000"));
    expect(sell).toMatchObject({ status: "NEW", executedQty: "0" });
  });

  it("accepts the parameters in a form body, as ccxt sends them", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const res = await h.signed(
      alice,
      "DELETE",
      "/papi/v1/cm/order",
      { symbol: "BTCUSD_PERP", orderId: placed.orderId as number, recvWindow: 10000 },
      { form: true },
    );
    expect(res.body).toMatchObject({ orderId: placed.orderId, status: "CANCELED" });
  });
});
