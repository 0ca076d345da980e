// Order queries and cancel-all: GET order / openOrder / openOrders / allOrders, DELETE allOpenOrders (spec §2.4, §2.6, §2.7).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PRUNE_AFTER_MS } from "../../src/venue/venue.js";
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

const get = (client: Client, path: string, params: Record<string, string | number>) =>
  h.signed(client, "GET", `/papi/v1/cm/${path}`, params);

describe("GET /papi/v1/cm/order", () => {
  it("answers the query form of an open order", async () => {
    const placed = await h.place(alice, limit("BUY", 2, "30000", { newClientOrderId: "abc" }));
    const res = await get(alice, "order", { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    expect(res.text).toBe(
      JSON.stringify({
        avgPrice: "0.0",
        clientOrderId: "abc",
        cumBase: "0",
        executedQty: "0",
        orderId: placed.orderId,
        origQty: "2",
        origType: "LIMIT",
        price: "30000",
        reduceOnly: false,
        side: "BUY",
        status: "NEW",
        symbol: "BTCUSD_PERP",
        pair: "BTCUSD",
        positionSide: "BOTH",
        time: T0,
        timeInForce: "GTC",
        type: "LIMIT",
        updateTime: T0,
      }),
    );
  });

  it("answers a finished order from history", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    h.clock = T0 + 10;
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await get(alice, "order", { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    expect(res.body).toMatchObject({
      status: "FILLED",
      executedQty: "1",
      avgPrice: "30000.0",
      time: T0,
      updateTime: T0 + 10,
    });
  });

  it("finds an order by origClientOrderId after it finished", async () => {
    await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "later" }));
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      origClientOrderId: "later",
    });
    const res = await get(alice, "order", { symbol: "BTCUSD_PERP", origClientOrderId: "later" });
    expect(res.body).toMatchObject({ clientOrderId: "later", status: "CANCELED" });
  });

  it("answers -2013 for an unknown order", async () => {
    const res = await get(alice, "order", { symbol: "BTCUSD_PERP", orderId: 12345 });
    expect(res).toMatchObject({ status: 400, body: { code: -2013, msg: "Order does not exist." } });
  });

  it("answers -2013 for another account's order", async () => {
    const theirs = await h.place(bob, limit("BUY", 1, "30000"));
    const res = await get(alice, "order", { symbol: "BTCUSD_PERP", orderId: theirs.orderId as number });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("answers -2013 for a cancelled, unfilled order older than three days", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    h.clock = T0 + PRUNE_AFTER_MS + 1;
    const res = await get(alice, "order", { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("answers -1102 without either id", async () => {
    const res = await get(alice, "order", { symbol: "BTCUSD_PERP" });
    expect(res.body).toEqual({
      code: -1102,
      msg: "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!",
    });
  });
});

describe("GET /papi/v1/cm/openOrder", () => {
  it("answers an open order", async () => {
    const placed = await h.place(alice, limit("SELL", 1, "31000"));
    const res = await get(alice, "openOrder", { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    expect(res.body).toMatchObject({ orderId: placed.orderId, status: "NEW", side: "SELL" });
  });

  it("answers -2013 for an order that is no longer open", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    const res = await get(alice, "openOrder", { symbol: "BTCUSD_PERP", orderId: placed.orderId as number });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });
});

describe("GET /papi/v1/cm/openOrders", () => {
  it("answers [] with no open orders", async () => {
    expect((await get(alice, "openOrders", { symbol: "BTCUSD_PERP" })).text).toBe("[]");
  });

  it("answers the account's open orders on the symbol, oldest first", async () => {
    const a = await h.place(alice, limit("BUY", 1, "30000"));
    const b = await h.place(alice, limit("SELL", 1, "31000"));
    await h.place(alice, { ...limit("BUY", 1, "2000"), symbol: "ETHUSD_PERP" });
    await h.place(bob, limit("BUY", 1, "30000"));
    const res = await get(alice, "openOrders", { symbol: "BTCUSD_PERP" });
    expect((res.body as Array<{ orderId: number }>).map((o) => o.orderId)).toEqual([a.orderId, b.orderId]);
  });

  it("answers every symbol without a symbol parameter", async () => {
    await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(alice, { ...limit("BUY", 1, "2000"), symbol: "ETHUSD_PERP" });
    const res = await get(alice, "openOrders", {});
    expect((res.body as Array<{ symbol: string }>).map((o) => o.symbol)).toEqual([
      "BTCUSD_PERP",
      "ETHUSD_PERP",
    ]);
  });

  it("answers -1121 for an unknown symbol", async () => {
    expect((await get(alice, "openOrders", { symbol: "XYZ" })).body).toEqual({
      code: -1121,
      msg: "Invalid symbol.",
    });
  });
});

describe("GET /papi/v1/cm/allOrders", () => {
  it("answers open and finished orders ascending by id", async () => {
    const a = await h.place(alice, limit("BUY", 1, "30000"));
    const b = await h.place(alice, limit("BUY", 1, "29000"));
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: a.orderId as number,
    });
    const res = await get(alice, "allOrders", { symbol: "BTCUSD_PERP" });
    expect(
      (res.body as Array<{ orderId: number; status: string }>).map((o) => [o.orderId, o.status]),
    ).toEqual([
      [a.orderId, "CANCELED"],
      [b.orderId, "NEW"],
    ]);
  });

  it("answers the most recent `limit` orders", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await h.place(alice, limit("BUY", 1, "30000"))).orderId as number);
    const res = await get(alice, "allOrders", { symbol: "BTCUSD_PERP", limit: 2 });
    expect((res.body as Array<{ orderId: number }>).map((o) => o.orderId)).toEqual(ids.slice(2));
  });

  it("answers orders from orderId on", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await h.place(alice, limit("BUY", 1, "30000"))).orderId as number);
    const res = await get(alice, "allOrders", { symbol: "BTCUSD_PERP", orderId: ids[1]!, limit: 2 });
    expect((res.body as Array<{ orderId: number }>).map((o) => o.orderId)).toEqual(ids.slice(1, 3));
  });

  it("answers by pair across its contracts", async () => {
    await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(alice, { ...limit("BUY", 1, "30000"), symbol: "BTCUSD_261225" });
    const res = await get(alice, "allOrders", { pair: "BTCUSD" });
    expect((res.body as Array<{ symbol: string }>).map((o) => o.symbol)).toEqual([
      "BTCUSD_PERP",
      "BTCUSD_261225",
    ]);
  });

  it("answers -1128 for symbol and pair together", async () => {
    const res = await get(alice, "allOrders", { symbol: "BTCUSD_PERP", pair: "BTCUSD" });
    expect(res.body).toEqual({ code: -1128, msg: "Combination of optional parameters invalid." });
  });

  it("answers -1102 for neither symbol nor pair", async () => {
    const res = await get(alice, "allOrders", {});
    expect(res.body).toEqual({
      code: -1102,
      msg: "Param 'symbol' or 'pair' must be sent, but both were empty/null!",
    });
  });

  it("answers -1130 for a limit above 100", async () => {
    const res = await get(alice, "allOrders", { symbol: "BTCUSD_PERP", limit: 101 });
    expect(res.body).toEqual({ code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  });

  it("answers -1023 when startTime is after endTime", async () => {
    const res = await get(alice, "allOrders", { symbol: "BTCUSD_PERP", startTime: T0, endTime: T0 - 1 });
    expect(res.body).toEqual({ code: -1023, msg: "Start time is greater than end time." });
  });

  it("never answers another account's orders", async () => {
    await h.place(bob, limit("BUY", 1, "30000"));
    expect((await get(alice, "allOrders", { symbol: "BTCUSD_PERP" })).text).toBe("[]");
  });
});

describe("GET /papi/v1/cm/userTrades", () => {
  it("answers -1127 for a window longer than 24 hours", async () => {
    const res = await get(alice, "userTrades", {
      symbol: "BTCUSD_PERP",
      startTime: T0,
      endTime: T0 + 24 * 3600_000 + 1,
    });
    expect(res.body).toEqual({ code: -1127, msg: "More than 24 hours between startTime and endTime." });
  });

  it("answers -1128 for fromId with a time", async () => {
    const res = await get(alice, "userTrades", { symbol: "BTCUSD_PERP", fromId: 1, startTime: T0 });
    expect(res.body).toEqual({ code: -1128, msg: "Combination of optional parameters invalid." });
  });

  it("answers trades from fromId on", async () => {
    await h.place(bob, limit("SELL", 3, "30000"));
    for (let i = 0; i < 3; i++) await h.place(alice, limit("BUY", 1, "30000"));
    const res = await get(alice, "userTrades", { symbol: "BTCUSD_PERP", fromId: 2 });
    expect((res.body as Array<{ id: number }>).map((t) => t.id)).toEqual([2, 3]);
  });

  it("answers only the last 24 hours without times", async () => {
    await h.place(bob, limit("SELL", 2, "30000"));
    await h.place(alice, limit("BUY", 1, "30000"));
    h.clock = T0 + 25 * 3600_000;
    await h.place(alice, limit("BUY", 1, "30000"));
    const res = await get(alice, "userTrades", { symbol: "BTCUSD_PERP" });
    expect((res.body as Array<{ id: number }>).map((t) => t.id)).toEqual([2]);
  });
});

describe("DELETE /papi/v1/cm/allOpenOrders", () => {
  it("cancels every open order of the account on the symbol and answers code 200", async () => {
    await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(alice, limit("SELL", 1, "31000"));
    await h.place(alice, { ...limit("BUY", 1, "2000"), symbol: "ETHUSD_PERP" });
    await h.place(bob, limit("BUY", 1, "30000"));
    const res = await h.signed(alice, "DELETE", "/papi/v1/cm/allOpenOrders", { symbol: "BTCUSD_PERP" });
    expect(res).toMatchObject({ status: 200 });
    expect(res.text).toBe('{"code":200,"msg":"The operation of cancel all open order is done."}');
    expect((await get(alice, "openOrders", {})).body).toMatchObject([{ symbol: "ETHUSD_PERP" }]);
    expect(((await get(bob, "openOrders", {})).body as unknown[]).length).toBe(1);
  });

  it("answers the same body when nothing is open", async () => {
    const res = await h.signed(alice, "DELETE", "/papi/v1/cm/allOpenOrders", { symbol: "BTCUSD_PERP" });
    expect(res.body).toEqual({ code: 200, msg: "The operation of cancel all open order is done." });
  });

  it("answers -1102 without symbol", async () => {
    const res = await h.signed(alice, "DELETE", "/papi/v1/cm/allOpenOrders", {});
    expect(res.body).toMatchObject({ code: -1102 });
  });
});
