// POST /papi/v1/cm/order: parameter rules, filters, time in force, response types (spec §2.3, §6.3).
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

const post = (client: Client, params: Record<string, string | number | boolean>) =>
  h.signed(client, "POST", "/papi/v1/cm/order", params);
const openCount = async (client: Client) =>
  ((await h.signed(client, "GET", "/papi/v1/cm/openOrders", {})).body as unknown[]).length;

async function rejects(params: Record<string, string | number | boolean>, code: number, msg: string) {
  const res = await post(alice, params);
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ code, msg });
  expect(await openCount(alice)).toBe(0);
}

describe("POST /papi/v1/cm/order — answers", () => {
  it("answers ACK by default with the order as accepted", async () => {
    const res = await post(alice, limit("BUY", 2, "30000.0", { newClientOrderId: "ack-1" }));
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      JSON.stringify({
        avgPrice: "0.0",
        clientOrderId: "ack-1",
        cumQty: "0",
        cumBase: "0",
        executedQty: "0",
        orderId: (res.body as { orderId: number }).orderId,
        origQty: "2",
        price: "30000",
        reduceOnly: false,
        side: "BUY",
        positionSide: "BOTH",
        status: "NEW",
        symbol: "BTCUSD_PERP",
        pair: "BTCUSD",
        timeInForce: "GTC",
        type: "LIMIT",
        updateTime: T0,
      }),
    );
  });

  it("answers ACK as accepted even when the order fills at once", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await post(alice, limit("BUY", 1, "30000"));
    expect(res.body).toMatchObject({ status: "NEW", executedQty: "0" });
    const query = await h.signed(alice, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: (res.body as { orderId: number }).orderId,
    });
    expect(query.body).toMatchObject({ status: "FILLED", executedQty: "1" });
  });

  it("answers RESULT with the state after matching", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await post(alice, { ...limit("BUY", 1, "30000"), newOrderRespType: "RESULT" });
    expect(res.body).toMatchObject({
      status: "FILLED",
      executedQty: "1",
      cumQty: "1",
      cumBase: "0.00333333",
      avgPrice: "30000.0",
    });
  });

  it("generates a 22-character client order id when none is sent", async () => {
    const res = await post(alice, limit("BUY", 1, "30000"));
    expect((res.body as { clientOrderId: string }).clientOrderId).toMatch(/^[A-Za-z0-9]{22}$/);
  });

  it("gives increasing order ids", async () => {
    const a = await h.place(alice, limit("BUY", 1, "30000"));
    const b = await h.place(alice, limit("BUY", 1, "30000"));
    expect(b.orderId as number).toBeGreaterThan(a.orderId as number);
  });

  it("rests GTC at its price and fills a later crossing order at the maker's price", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await h.place(alice, limit("BUY", 1, "30500"));
    expect(res).toMatchObject({ status: "FILLED", avgPrice: "30000.0", price: "30500" });
  });

  it("expires the unfilled part of an IOC order", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await h.place(alice, { ...limit("BUY", 3, "30000"), timeInForce: "IOC" });
    expect(res).toMatchObject({ status: "EXPIRED", executedQty: "1", timeInForce: "IOC" });
    expect(await openCount(alice)).toBe(0);
  });

  it("rejects a FOK order the book cannot fill with -5021 and records nothing", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    await rejects(
      { ...limit("BUY", 2, "30000"), timeInForce: "FOK" },
      -5021,
      "Due to the order could not be filled immediately, the FOK order has been rejected.",
    );
    expect(await openCount(bob)).toBe(1);
  });

  it("fills a FOK order the book can fill", async () => {
    await h.place(bob, limit("SELL", 2, "30000"));
    const res = await h.place(alice, { ...limit("BUY", 2, "30000"), timeInForce: "FOK" });
    expect(res).toMatchObject({ status: "FILLED", executedQty: "2" });
  });

  it("rejects a GTX order that would take with -5022", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    await rejects(
      { ...limit("BUY", 1, "30000"), timeInForce: "GTX" },
      -5022,
      "Due to the order could not be executed as maker, the Post Only order will be rejected.",
    );
  });

  it("rests a GTX order that would not take", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    const res = await h.place(alice, { ...limit("BUY", 1, "29999.9"), timeInForce: "GTX" });
    expect(res).toMatchObject({ status: "NEW", timeInForce: "GTX" });
  });

  it("fills a MARKET order across levels and reports price 0 and GTC", async () => {
    await h.place(bob, limit("SELL", 1, "20000"));
    await h.place(bob, limit("SELL", 1, "40000"));
    const res = await h.place(alice, { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 2 });
    // Harmonic mean: 200 / (100/20000 + 100/40000) = 26666.67 → 26666.7
    expect(res).toMatchObject({
      status: "FILLED",
      price: "0",
      timeInForce: "GTC",
      type: "MARKET",
      avgPrice: "26666.7",
      cumBase: "0.0075",
    });
  });

  it("expires a MARKET order on an empty book", async () => {
    const res = await h.place(alice, { symbol: "BTCUSD_PERP", side: "SELL", type: "MARKET", quantity: 1 });
    expect(res).toMatchObject({ status: "EXPIRED", executedQty: "0", avgPrice: "0.0" });
  });

  it("records the fill for both sides in userTrades", async () => {
    const maker = await h.place(bob, limit("SELL", 1, "8800"));
    h.clock = T0 + 5;
    const taker = await h.place(alice, limit("BUY", 1, "8800"));
    const mine = await h.signed(alice, "GET", "/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" });
    const theirs = await h.signed(bob, "GET", "/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" });
    const trade = {
      symbol: "BTCUSD_PERP",
      id: 1,
      orderId: taker.orderId,
      pair: "BTCUSD",
      side: "BUY",
      price: "8800",
      qty: "1",
      realizedPnl: "0",
      marginAsset: "BTC",
      baseQty: "0.01136364",
      // Taker 0.05 % of 0.01136364 BTC = 0.00000568(2) → truncated
      commission: "0.00000568",
      commissionAsset: "BTC",
      time: T0 + 5,
      positionSide: "BOTH",
      buyer: true,
      maker: false,
    };
    expect(mine.text).toBe(JSON.stringify([trade]));
    // Maker 0.02 % of 0.01136364 BTC = 0.00000227(2) → truncated
    expect(theirs.body).toEqual([
      { ...trade, orderId: maker.orderId, side: "SELL", buyer: false, maker: true, commission: "0.00000227" },
    ]);
  });
});

describe("POST /papi/v1/cm/order — parameter rules", () => {
  const mandatory = (name: string) =>
    `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`;

  it("answers -1102 without side", async () => {
    const { side: _, ...rest } = limit("BUY", 1, "30000");
    await rejects(rest, -1102, mandatory("side"));
  });

  it("answers -1102 without type", async () => {
    const { type: _, ...rest } = limit("BUY", 1, "30000");
    await rejects(rest, -1102, mandatory("type"));
  });

  it("answers -1102 without quantity", async () => {
    const { quantity: _, ...rest } = limit("BUY", 1, "30000");
    await rejects(rest, -1102, mandatory("quantity"));
  });

  it("answers -1102 for a LIMIT order without price", async () => {
    const { price: _, ...rest } = limit("BUY", 1, "30000");
    await rejects(rest, -1102, mandatory("price"));
  });

  it("answers -1102 for a LIMIT order without timeInForce", async () => {
    const { timeInForce: _, ...rest } = limit("BUY", 1, "30000");
    await rejects(rest, -1102, mandatory("timeInForce"));
  });

  it("answers -1121 for an unknown symbol", async () => {
    await rejects({ ...limit("BUY", 1, "30000"), symbol: "BTCUSDT" }, -1121, "Invalid symbol.");
  });

  it("answers -1117 for an unknown side", async () => {
    await rejects({ ...limit("BUY", 1, "30000"), side: "buy" }, -1117, "Invalid side.");
  });

  it("answers -1116 for an order type the endpoint does not take", async () => {
    await rejects({ ...limit("BUY", 1, "30000"), type: "STOP" }, -1116, "Invalid orderType.");
  });

  it("answers -1115 for an unknown timeInForce", async () => {
    await rejects({ ...limit("BUY", 1, "30000"), timeInForce: "GTD" }, -1115, "Invalid timeInForce.");
  });

  it("answers -4060 for an unknown positionSide", async () => {
    await rejects({ ...limit("BUY", 1, "30000"), positionSide: "UP" }, -4060, "Invalid position side.");
  });

  it("answers -4061 for LONG in one-way mode", async () => {
    await rejects(
      { ...limit("BUY", 1, "30000"), positionSide: "LONG" },
      -4061,
      "Order's position side does not match user's setting.",
    );
  });

  it("answers -1136 for an unknown newOrderRespType", async () => {
    await rejects(
      { ...limit("BUY", 1, "30000"), newOrderRespType: "FULL" },
      -1136,
      "Invalid newOrderRespType.",
    );
  });

  it("answers -1130 for a reduceOnly that is neither true nor false", async () => {
    await rejects(
      { ...limit("BUY", 1, "30000"), reduceOnly: "yes" },
      -1130,
      "Data sent for parameter 'reduceOnly' is not valid.",
    );
  });

  it("answers -2022 for a reduce-only order with no position to reduce", async () => {
    await rejects(
      { ...limit("BUY", 1, "30000"), reduceOnly: "true" },
      -2022,
      "ReduceOnly Order is rejected.",
    );
  });

  it("accepts a reduce-only order that faces an open position", async () => {
    await h.place(bob, limit("SELL", 2, "30000"));
    await h.place(alice, limit("BUY", 2, "30000"));
    const res = await h.place(alice, { ...limit("SELL", 1, "31000"), reduceOnly: "true" });
    expect(res).toMatchObject({ status: "NEW", reduceOnly: true });
  });

  it("answers -1106 for a MARKET order with a price", async () => {
    await rejects(
      { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 1, price: "30000" },
      -1106,
      "Parameter 'price' sent when not required.",
    );
  });

  it("answers -1100 for a quantity that is not a decimal", async () => {
    await rejects(
      limit("BUY", 1, "30000", { quantity: "1e3" }),
      -1100,
      "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.",
    );
  });

  it("answers -1111 for a price with more decimals than the symbol's precision", async () => {
    await rejects(
      limit("BUY", 1, "30000.05"),
      -1111,
      "Precision is over the maximum defined for this asset.",
    );
  });

  it("answers -1111 for a fractional quantity of contracts", async () => {
    await rejects(
      limit("BUY", 1, "30000", { quantity: "1.5" }),
      -1111,
      "Precision is over the maximum defined for this asset.",
    );
  });

  it("accepts trailing zeros beyond the precision", async () => {
    const res = await h.place(alice, limit("BUY", 1, "30000.10", { quantity: "1.0" }));
    expect(res).toMatchObject({ price: "30000.1", origQty: "1" });
  });

  it("answers -4014 for a price off the tick (DOGEUSD_PERP ticks by 0.00001)", async () => {
    await rejects(
      { ...limit("BUY", 1, "0.100005"), symbol: "DOGEUSD_PERP" },
      -4014,
      "Price not increased by tick size.",
    );
  });

  it("answers -4013 below the minimum price", async () => {
    await rejects(limit("BUY", 1, "999.9"), -4013, "Price less than min price.");
  });

  it("answers -4002 above the maximum price", async () => {
    await rejects(limit("BUY", 1, "4520958.1"), -4002, "Price greater than max price.");
  });

  it("answers -4001 for a zero price", async () => {
    await rejects(limit("BUY", 1, "0"), -4001, "Price less than 0.");
  });

  it("answers -4003 for a zero quantity", async () => {
    await rejects(limit("BUY", 1, "30000", { quantity: "0" }), -4003, "Quantity less than zero.");
  });

  it("answers -4005 above LOT_SIZE maxQty", async () => {
    await rejects(
      limit("BUY", 1, "30000", { quantity: "1000001" }),
      -4005,
      "Quantity greater than max quantity.",
    );
  });

  it("answers -4005 above MARKET_LOT_SIZE maxQty for a MARKET order", async () => {
    await rejects(
      { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 60001 },
      -4005,
      "Quantity greater than max quantity.",
    );
  });

  it("answers -4015 for a client order id outside ^[.A-Z:/a-z0-9_-]{1,32}$", async () => {
    await rejects(
      limit("BUY", 1, "30000", { newClientOrderId: "has space" }),
      -4015,
      "Client order id is not valid.",
    );
  });

  it("answers -4015 for a client order id of 33 characters", async () => {
    await rejects(
      limit("BUY", 1, "30000", { newClientOrderId: "x".repeat(33) }),
      -4015,
      "Client order id is not valid.",
    );
  });

  it("accepts ccxt's 32-character client order ids", async () => {
    const id = "x-xcKtGhcu0123456789abcdef012345";
    const res = await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: id }));
    expect(res.clientOrderId).toBe(id);
  });

  it("answers -4116 for a client order id equal to an open order's", async () => {
    await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "dup" }));
    const res = await post(alice, limit("BUY", 1, "30000", { newClientOrderId: "dup" }));
    expect(res.body).toEqual({ code: -4116, msg: "ClientOrderId is duplicated." });
  });

  it("allows a client order id again once its order is finished", async () => {
    const first = await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "again" }));
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: first.orderId as number,
    });
    const res = await post(alice, limit("BUY", 1, "30000", { newClientOrderId: "again" }));
    expect(res.status).toBe(200);
  });

  it("lets two accounts use the same client order id", async () => {
    await h.place(alice, limit("BUY", 1, "30000", { newClientOrderId: "shared" }));
    const res = await post(bob, limit("BUY", 1, "30000", { newClientOrderId: "shared" }));
    expect(res.status).toBe(200);
  });

  it("answers -4016 for a BUY above mark × 1.05 once the symbol has traded", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    await h.place(alice, limit("BUY", 1, "30000"));
    const res = await post(alice, limit("BUY", 1, "31500.1"));
    expect(res.body).toEqual({ code: -4016, msg: "Price is higher than mark price multiplier cap." });
    expect((await post(alice, limit("BUY", 1, "31500"))).status).toBe(200);
  });

  it("answers -4024 for a SELL below mark × 0.95 once the symbol has traded", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    await h.place(alice, limit("BUY", 1, "30000"));
    const res = await post(alice, limit("SELL", 1, "28499.9"));
    expect(res.body).toEqual({ code: -4024, msg: "Price is lower than mark price multiplier floor." });
  });

  it("answers -4131 for a MARKET order whose best counter price is outside PERCENT_PRICE", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    await h.place(alice, limit("BUY", 1, "30000"));
    // Mark is 30000; an ask at 32000 is allowed (a SELL only has a floor) but lies above 30000 × 1.05.
    await h.place(bob, limit("SELL", 1, "32000"));
    const res = await post(alice, { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 1 });
    expect(res.body).toEqual({
      code: -4131,
      msg: "The counterparty's best price does not meet the PERCENT_PRICE filter limit",
    });
    expect(await openCount(bob)).toBe(1);
  });

  it("answers -2025 when the account has 200 open orders on the symbol", async () => {
    for (let i = 0; i < 200; i++) await h.place(alice, limit("BUY", 1, "30000"));
    const res = await post(alice, limit("BUY", 1, "30000"));
    expect(res.body).toEqual({ code: -2025, msg: "Reach max open order limit." });
  });

  it("ignores parameters it does not know", async () => {
    const res = await post(alice, { ...limit("BUY", 1, "30000"), colour: "blue" });
    expect(res.status).toBe(200);
  });
});
