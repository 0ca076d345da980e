// priceMatch on new and modified CM orders: the price read from the book, and its rules.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit } from "../support/harness.js";

let h: Harness;
let maker: Client;
let alice: Client;

beforeEach(async () => {
  h = await Harness.start();
  maker = await h.account();
  alice = await h.account();
  // Asks 30010 and 30020; bids 29990 down to 29950, a tick of 10 USD apart.
  for (const price of ["30010.0", "30020.0"]) await h.place(maker, limit("SELL", 1, price));
  for (const price of ["29990.0", "29980.0", "29970.0", "29960.0", "29950.0"])
    await h.place(maker, limit("BUY", 1, price));
});
afterEach(async () => {
  await h.close();
});

const matched = (side: "BUY" | "SELL", priceMatch: string, extra: Record<string, string> = {}) => ({
  symbol: "BTCUSD_PERP",
  side,
  type: "LIMIT",
  timeInForce: "GTC",
  quantity: 1,
  priceMatch,
  newOrderRespType: "RESULT",
  ...extra,
});

async function order(params: Record<string, string | number>) {
  return h.signed(alice, "POST", "/papi/v1/cm/order", params);
}

describe("priceMatch on a new order", () => {
  it("OPPONENT buys at the best ask, and takes it", async () => {
    const res = await order(matched("BUY", "OPPONENT"));
    expect(res.body).toMatchObject({ price: "30010", status: "FILLED", avgPrice: "30010.0" });
  });

  it("QUEUE buys at the best bid, and rests there", async () => {
    const res = await order(matched("BUY", "QUEUE"));
    expect(res.body).toMatchObject({ price: "29990", status: "NEW" });
  });

  it("QUEUE_5 takes the fifth best bid, OPPONENT_5 the last ask when there are fewer than five", async () => {
    expect((await order(matched("BUY", "QUEUE_5"))).body).toMatchObject({ price: "29950", status: "NEW" });
    expect((await order(matched("BUY", "OPPONENT_5"))).body).toMatchObject({
      price: "30020",
      status: "FILLED",
    });
  });

  it("refuses priceMatch with price (-1106), an unknown value (-1130) and a MARKET order with it (-1106)", async () => {
    expect((await order(matched("BUY", "QUEUE", { price: "29990.0" }))).body).toEqual({
      code: -1106,
      msg: "Parameter 'price' sent when not required.",
    });
    expect((await order(matched("BUY", "FOO"))).body).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'priceMatch' is not valid.",
    });
    const market = {
      symbol: "BTCUSD_PERP",
      side: "BUY",
      type: "MARKET",
      quantity: 1,
      priceMatch: "OPPONENT",
    };
    expect((await order(market)).body).toEqual({
      code: -1106,
      msg: "Parameter 'priceMatch' sent when not required.",
    });
  });

  it("refuses a match on an empty side with -1130, and places nothing", async () => {
    const res = await h.signed(alice, "POST", "/papi/v1/cm/order", {
      ...matched("BUY", "QUEUE"),
      symbol: "ETHUSD_PERP",
    });
    expect(res.body).toEqual({ code: -1130, msg: "Data sent for parameter 'priceMatch' is not valid." });
    expect((await h.signed(alice, "GET", "/papi/v1/cm/openOrders", {})).body).toEqual([]);
  });
});

describe("priceMatch on a modify", () => {
  it("moves a resting order to the price the book names", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "29900.0"));
    const res = await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 1,
      priceMatch: "QUEUE",
    });
    expect(res.body).toMatchObject({ price: "29990", status: "NEW" });
  });
});

describe("priceMatch on the stream", () => {
  type OrderUpdate = { e: string; o: Record<string, unknown> };
  const pm = (messages: unknown[]) =>
    (messages as OrderUpdate[]).filter((m) => m.e === "ORDER_TRADE_UPDATE").map((m) => [m.o.x, m.o.pm]);

  it("tells the order's match as pm, and PM_NONE once an amendment sends a price", async () => {
    const ws = await h.userStream(alice);
    const placed = await order(matched("BUY", "QUEUE"));
    await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: (placed.body as { orderId: number }).orderId,
      side: "BUY",
      quantity: 1,
      price: "29900.0",
    });
    expect(pm(await ws.waitFor(2))).toEqual([
      ["NEW", "QUEUE"],
      ["AMENDMENT", "PM_NONE"],
    ]);
  });

  it("keeps the match on a resting order across a restart", async () => {
    await order(matched("BUY", "QUEUE")); // rests at 29990 behind the maker's bid
    h = await h.restart();
    const ws = await h.userStream(alice);
    await h.place(maker, limit("SELL", 2, "29990.0"));
    expect(pm(await ws.waitFor(1))).toEqual([["TRADE", "QUEUE"]]);
  });
});
