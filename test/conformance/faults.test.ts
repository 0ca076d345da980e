// What real clients make of the rehearsal controls: ccxt on a cancel whose answer is
// -1007 although it ran, and on a skewed clock; the official connector on -1007, and its
// own retry of a cancel that ran; a forced fill landing before ccxt's cancel.
import {
  DerivativesTradingPortfolioMargin,
  DerivativesTradingPortfolioMarginRestAPI as PM,
} from "@binance/derivatives-trading-portfolio-margin";
import ccxt from "ccxt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client } from "../support/harness.js";
import { calls, type LiveVenue, refuseNonLoopback, startLiveVenue } from "../support/live-venue.js";
import { connectCcxt } from "./snippets/ccxt.js";
import { connectConnector } from "./snippets/connector.js";

const BTC = "BTC/USD:BTC";
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

let venue: LiveVenue;
let restoreNetwork: () => void;
let alice: Client;
let exchange: InstanceType<typeof ccxt.binance>;

beforeAll(async () => {
  restoreNetwork = refuseNonLoopback();
  venue = await startLiveVenue();
  alice = await venue.account({ BTC: "10" });
  exchange = connectCcxt(venue.url, alice.apiKey, alice.secret);
  await exchange.loadMarkets();
});
afterEach(async () => {
  await venue.h.request("DELETE", "/admin/v1/faults", ADMIN);
});
afterAll(async () => {
  await venue.close();
  restoreNetwork();
});

const admin = (method: string, path: string, body: unknown) =>
  venue.h.request(method, path, ADMIN, JSON.stringify(body));

describe("ccxt binance with portfolioMargin", () => {
  it("raises RequestTimeout for a cancel answered -1007 that ran, and fetchOrder then shows it cancelled", async () => {
    const order = await exchange.createOrder(BTC, "limit", "buy", 1, 29000);
    await admin("POST", "/admin/v1/faults", {
      method: "DELETE",
      path: "/papi/v1/cm/order",
      effect: "unknown-executed",
    });
    const cancel = exchange.cancelOrder(order.id!, BTC);
    await expect(cancel).rejects.toBeInstanceOf(ccxt.RequestTimeout);
    await expect(cancel).rejects.toThrow("-1007");
    expect(await exchange.fetchOrder(order.id!, BTC)).toMatchObject({ id: order.id, status: "canceled" });
  });

  it("is refused -1021 when its account's clock is skewed, while another account's ccxt trades", async () => {
    const bob = await venue.account({ BTC: "10" });
    const bobs = connectCcxt(venue.url, bob.apiKey, bob.secret);
    await bobs.loadMarkets();
    await admin("POST", `/admin/v1/accounts/${alice.accountId}/clockSkew`, { ms: 30_000 });
    try {
      await expect(exchange.fetchBalance()).rejects.toThrow("-1021");
      expect((await bobs.fetchBalance()).info).toBeDefined();
    } finally {
      await admin("POST", `/admin/v1/accounts/${alice.accountId}/clockSkew`, { ms: 0 });
    }
    expect((await exchange.fetchBalance()).info).toBeDefined();
  });

  it("raises OrderNotFound for a cancel a forced fill got to first", async () => {
    const order = await exchange.createOrder(BTC, "limit", "sell", 1, 31000);
    const filled = await admin("POST", "/admin/v1/orders/fill", {
      symbol: "BTCUSD_PERP",
      orderId: Number(order.id),
    });
    expect(filled.body).toMatchObject({ status: "FILLED" });
    await expect(exchange.cancelOrder(order.id!, BTC)).rejects.toBeInstanceOf(ccxt.OrderNotFound);
    expect(await exchange.fetchOrder(order.id!, BTC)).toMatchObject({ status: "closed", filled: 1 });
  });
});

describe("official Portfolio Margin connector", () => {
  const newOrder = (client: DerivativesTradingPortfolioMargin) =>
    client.restAPI.newCmOrder({
      symbol: "BTCUSD_PERP",
      side: PM.NewCmOrderSideEnum.BUY,
      type: PM.NewCmOrderTypeEnum.LIMIT,
      timeInForce: PM.NewCmOrderTimeInForceEnum.GTC,
      quantity: 1,
      price: 28000,
    });

  it("throws its ServerError with status 503 for -1007, and the order that did not run is nowhere", async () => {
    const bob = await venue.account({ BTC: "10" });
    const client = connectConnector(venue.url, bob.apiKey, bob.secret);
    await admin("POST", "/admin/v1/faults", {
      method: "POST",
      path: "/papi/v1/cm/order",
      accountId: bob.accountId,
      effect: "unknown-not-executed",
    });
    await expect(newOrder(client)).rejects.toMatchObject({ name: "ServerError", statusCode: 503 });
    const open = await (await client.restAPI.queryAllCurrentCmOpenOrders({})).data();
    expect(open).toEqual([]);
  });

  it("retries a cancel answered 503 on its own, and its retry is told -2011: the first one ran", async () => {
    const bob = await venue.account({ BTC: "10" });
    // The connector's own retry settings (three by default); a short backoff keeps the test quick.
    const client = new DerivativesTradingPortfolioMargin({
      configurationRestAPI: { apiKey: bob.apiKey, apiSecret: bob.secret, basePath: venue.url, backoff: 10 },
    });
    const placed = await (await newOrder(client)).data();
    await admin("POST", "/admin/v1/faults", {
      method: "DELETE",
      path: "/papi/v1/cm/order",
      accountId: bob.accountId,
      effect: "unknown-executed",
      count: 1,
    });
    const before = venue.requests.length;
    const cancel = client.restAPI.cancelCmOrder({ symbol: "BTCUSD_PERP", orderId: Number(placed.orderId) });
    await expect(cancel).rejects.toMatchObject({ name: "BadRequestError", code: -2011 });
    expect(calls(venue.requests.slice(before))).toEqual([
      "DELETE /papi/v1/cm/order",
      "DELETE /papi/v1/cm/order",
    ]);
  });
});
