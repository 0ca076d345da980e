// CM conditional orders over the wire: placing, triggering on a stepped price path,
// the order each places, cancelling, the queries, and a restart with armed triggers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit, T0 } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const PATH = "/papi/v1/cm/conditional/order";

let h: Harness;
let alice: Client;
let maker: Client;
let taker: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
  maker = await h.account();
  taker = await h.account();
  // A trade at 30000 sets the last price (and the mark with it).
  await h.place(maker, limit("SELL", 1, "30000.0"));
  await h.place(taker, limit("BUY", 1, "30000.0"));
});
afterEach(async () => {
  await h.close();
});

async function trade(price: string) {
  await h.place(maker, limit("SELL", 1, price));
  await h.place(taker, limit("BUY", 1, price));
}

/** The admin sets the contract's mark. */
const mark = (price: string) =>
  h.request(
    "POST",
    "/admin/v1/markPrice",
    ADMIN,
    JSON.stringify({ symbol: "BTCUSD_PERP", markPrice: price }),
  );

const stopMarket = (
  side: "BUY" | "SELL",
  stopPrice: string,
  extra: Record<string, string | number> = {},
) => ({
  symbol: "BTCUSD_PERP",
  side,
  strategyType: "STOP_MARKET",
  quantity: 1,
  stopPrice,
  newClientStrategyId: "stop-1",
  ...extra,
});

describe("POST /papi/v1/cm/conditional/order", () => {
  it("answers the new strategy with Binance's fields", async () => {
    h.clock = T0 + 5;
    const res = await h.signed(alice, "POST", PATH, stopMarket("SELL", "29000.0"));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      newClientStrategyId: "stop-1",
      strategyId: 1,
      strategyStatus: "NEW",
      strategyType: "STOP_MARKET",
      origQty: "1",
      price: "0",
      reduceOnly: false,
      side: "SELL",
      positionSide: "BOTH",
      stopPrice: "29000",
      symbol: "BTCUSD_PERP",
      pair: "BTCUSD",
      timeInForce: "GTC",
      bookTime: T0 + 5,
      updateTime: T0 + 5,
      workingType: "CONTRACT_PRICE",
      priceProtect: false,
    });
  });

  it("refuses a stop the price has already reached with -2021", async () => {
    const res = await h.signed(alice, "POST", PATH, stopMarket("SELL", "30000.0"));
    expect(res.body).toEqual({ code: -2021, msg: "Order would immediately trigger." });
  });

  it("asks STOP for price and stopPrice, and a trailing stop for a callback rate of 0.1 to 5", async () => {
    const stop = await h.signed(alice, "POST", PATH, {
      ...stopMarket("SELL", "29000.0"),
      strategyType: "STOP",
    });
    expect(stop.status).toBe(400);
    const trailing = await h.signed(alice, "POST", PATH, {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      strategyType: "TRAILING_STOP_MARKET",
      quantity: 1,
      callbackRate: "6",
    });
    expect(trailing.body).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'callbackRate' is not valid.",
    });
  });
});

describe("triggering", () => {
  it("fires a SELL STOP_MARKET when the last price falls to it, and places its MARKET order", async () => {
    const placed = (await h.signed(alice, "POST", PATH, stopMarket("SELL", "29900.0"))).body as {
      strategyId: number;
    };
    await h.place(maker, limit("BUY", 5, "29800.0"));
    await trade("29950.0");
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toHaveLength(1);
    h.clock = T0 + 100;
    await trade("29900.0");
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toEqual([]);
    const history = (
      await h.signed(alice, "GET", "/papi/v1/cm/conditional/orderHistory", {
        symbol: "BTCUSD_PERP",
        strategyId: placed.strategyId,
      })
    ).body as Record<string, unknown>;
    expect(history).toMatchObject({
      strategyStatus: "TRIGGERED",
      triggerTime: T0 + 100,
      status: "FILLED",
      type: "MARKET",
    });
    const order = await h.signed(alice, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: history.orderId as number,
    });
    expect(order.body).toMatchObject({ side: "SELL", type: "MARKET", status: "FILLED", avgPrice: "29800.0" });
  });

  it("fires a BUY TAKE_PROFIT on the mark and places its LIMIT order at its price", async () => {
    await h.signed(alice, "POST", PATH, {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      strategyType: "TAKE_PROFIT",
      quantity: 2,
      price: "29500.0",
      stopPrice: "29600.0",
      workingType: "MARK_PRICE",
    });
    await h.request(
      "POST",
      "/admin/v1/markPrice",
      ADMIN,
      JSON.stringify({ symbol: "BTCUSD_PERP", markPrice: "29600" }),
    );
    const open = (await h.signed(alice, "GET", "/papi/v1/cm/openOrders", {})).body as Record<
      string,
      unknown
    >[];
    expect(open).toMatchObject([{ side: "BUY", type: "LIMIT", price: "29500", origQty: "2", status: "NEW" }]);
  });

  it("trails a SELL stop 1 % under the highest mark once it reaches the activation price", async () => {
    await h.place(maker, limit("BUY", 5, "29000.0"));
    const placed = await h.signed(alice, "POST", PATH, {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      strategyType: "TRAILING_STOP_MARKET",
      quantity: 1,
      activationPrice: "30100.0",
      callbackRate: "1",
      workingType: "MARK_PRICE",
    });
    expect(placed.body).toMatchObject({ activatePrice: "30100", priceRate: "1" });
    await mark("30300"); // armed: highest 30300, stop 29997
    await mark("30000");
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toHaveLength(1);
    await mark("29997");
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toEqual([]);
  });

  it("streams CONDITIONAL_ORDER_TRADE_UPDATE for NEW and TRIGGERED", async () => {
    const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
    const key = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    const ws = await StreamClient.open(`${base}/pm/ws/${(key.body as { listenKey: string }).listenKey}`);
    await h.signed(alice, "POST", PATH, stopMarket("SELL", "29900.0"));
    await h.place(maker, limit("BUY", 5, "29800.0"));
    await trade("29900.0");
    // NEW; the placed order's NEW and TRADE and the position; then TRIGGERED with its orderId.
    const events = (await ws.waitFor(5)) as { e: string; so?: Record<string, unknown> }[];
    ws.close();
    const strategies = events.filter((e) => e.e === "CONDITIONAL_ORDER_TRADE_UPDATE").map((e) => e.so!);
    expect(strategies.map((s) => s.os)).toEqual(["NEW", "TRIGGERED"]);
    expect(strategies[0]).toMatchObject({
      s: "BTCUSD_PERP",
      c: "stop-1",
      si: 1,
      S: "SELL",
      st: "STOP_MARKET",
      sp: "29900",
      wt: "CONTRACT_PRICE",
    });
    expect(strategies[1]!.i).toBeGreaterThan(0);
  });
});

describe("the order a trigger places", () => {
  type OrderUpdate = { e: string; o: Record<string, unknown> };
  const orderUpdates = (messages: unknown[]) =>
    (messages as OrderUpdate[]).filter((m) => m.e === "ORDER_TRADE_UPDATE").map((m) => m.o);

  it("carries st C_STOP_MARKET and si on its NEW and TRADE", async () => {
    const ws = await h.userStream(alice);
    await h.signed(alice, "POST", PATH, stopMarket("SELL", "29900.0"));
    await h.place(maker, limit("BUY", 5, "29800.0"));
    await trade("29900.0");
    const updates = orderUpdates(await ws.waitFor(5));
    expect(updates.map((o) => [o.x, o.o, o.st, o.si])).toEqual([
      ["NEW", "MARKET", "C_STOP_MARKET", 1],
      ["TRADE", "MARKET", "C_STOP_MARKET", 1],
    ]);
  });

  it("does not carry st or si on an order the client placed", async () => {
    const ws = await h.userStream(alice);
    await h.place(alice, limit("BUY", 1, "29000.0"));
    const [update] = orderUpdates(await ws.waitFor(1));
    expect(Object.keys(update!)).not.toContain("st");
    expect(Object.keys(update!)).not.toContain("si");
  });

  it("keeps st C_STOP and si on a resting order across a restart", async () => {
    // The STOP places a LIMIT SELL at 30500 that rests until a buyer comes, after the restart.
    await h.signed(alice, "POST", PATH, {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      strategyType: "STOP",
      quantity: 1,
      price: "30500.0",
      stopPrice: "29900.0",
    });
    await trade("29900.0");
    h = await h.restart();
    const ws = await h.userStream(alice);
    await h.place(taker, limit("BUY", 1, "30500.0"));
    const [fill] = orderUpdates(await ws.waitFor(1));
    expect(fill).toMatchObject({ x: "TRADE", X: "FILLED", p: "30500", st: "C_STOP", si: 1 });
  });
});

describe("cancel and queries", () => {
  it("cancels one by client id, then answers -2011 and -2013 for it", async () => {
    await h.signed(alice, "POST", PATH, stopMarket("SELL", "29000.0"));
    const cancel = await h.signed(alice, "DELETE", PATH, {
      symbol: "BTCUSD_PERP",
      newClientStrategyId: "stop-1",
    });
    expect(cancel.body).toMatchObject({ strategyStatus: "CANCELED", newClientStrategyId: "stop-1" });
    expect((await h.signed(alice, "DELETE", PATH, { symbol: "BTCUSD_PERP", strategyId: 1 })).body).toEqual({
      code: -2011,
      msg: "Unknown order sent.",
    });
    const open = await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrder", {
      symbol: "BTCUSD_PERP",
      strategyId: 1,
    });
    expect(open.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("cancels all of a symbol's and answers Binance's message", async () => {
    await h.signed(alice, "POST", PATH, stopMarket("SELL", "29000.0"));
    await h.signed(alice, "POST", PATH, stopMarket("SELL", "28000.0", { newClientStrategyId: "stop-2" }));
    const res = await h.signed(alice, "DELETE", "/papi/v1/cm/conditional/allOpenOrders", {
      symbol: "BTCUSD_PERP",
    });
    expect(res.body).toEqual({
      code: "200",
      msg: "The operation of cancel all conditional open order is done.",
    });
    const all = (await h.signed(alice, "GET", "/papi/v1/cm/conditional/allOrders", {})).body as Record<
      string,
      unknown
    >[];
    expect(all.map((s) => s.strategyStatus)).toEqual(["CANCELED", "CANCELED"]);
  });

  it("does not find a NEW strategy in orderHistory (-2013)", async () => {
    await h.signed(alice, "POST", PATH, stopMarket("SELL", "29000.0"));
    const res = await h.signed(alice, "GET", "/papi/v1/cm/conditional/orderHistory", {
      symbol: "BTCUSD_PERP",
      strategyId: 1,
    });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("keeps a trailing stop's highest mark across a restart", async () => {
    await h.place(maker, limit("BUY", 5, "29000.0"));
    await h.signed(alice, "POST", PATH, {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      strategyType: "TRAILING_STOP_MARKET",
      quantity: 1,
      activationPrice: "30100.0",
      callbackRate: "1",
      workingType: "MARK_PRICE",
    });
    await mark("30300"); // armed at the highest mark 30300: it fires at 29997 or below
    h = await h.restart();
    await mark("29998");
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toHaveLength(1);
    await mark("29997");
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toEqual([]);
  });

  it("keeps strategies armed across a restart, and fires them after it", async () => {
    await h.signed(alice, "POST", PATH, stopMarket("SELL", "29900.0"));
    h = await h.restart();
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toHaveLength(1);
    await h.place(maker, limit("BUY", 5, "29800.0"));
    await trade("29900.0");
    expect((await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body).toEqual([]);
  });
});
