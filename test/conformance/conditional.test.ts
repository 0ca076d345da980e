// Conditional orders from real clients: ccxt's binance with portfolioMargin (a stop-market
// and a take-profit on BTC/USD:BTC, routed to /papi/v1/cm/conditional/order), and Binance's
// official Portfolio Margin connector's conditional calls.
import { DerivativesTradingPortfolioMarginRestAPI as PM } from "@binance/derivatives-trading-portfolio-margin";
import type ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../support/harness.js";
import { calls, type LiveVenue, refuseNonLoopback, startLiveVenue } from "../support/live-venue.js";
import { connectCcxt } from "./snippets/ccxt.js";
import { connectConnector } from "./snippets/connector.js";

const BTC = "BTC/USD:BTC";

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
  // A trade at 30000 gives the contract a last price.
  const maker = await venue.account({ BTC: "10" });
  const taker = await venue.account({ BTC: "10" });
  await venue.h.place(maker, {
    symbol: "BTCUSD_PERP",
    side: "SELL",
    type: "LIMIT",
    timeInForce: "GTC",
    quantity: 1,
    price: "30000",
  });
  await venue.h.place(taker, { symbol: "BTCUSD_PERP", side: "BUY", type: "MARKET", quantity: 1 });
});
afterAll(async () => {
  await venue.close();
  restoreNetwork();
});

describe("ccxt binance with portfolioMargin", () => {
  it("places a stop-market, lists it among the trigger orders and cancels it", async () => {
    const order = await exchange.createOrder(BTC, "STOP_MARKET", "sell", 1, undefined, { stopPrice: 29000 });
    expect(calls(venue.requests).at(-1)).toBe("POST /papi/v1/cm/conditional/order");
    expect(order).toMatchObject({ symbol: BTC, side: "sell", amount: 1, triggerPrice: 29000 });
    const open = await exchange.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(calls(venue.requests).at(-1)).toBe("GET /papi/v1/cm/conditional/openOrders");
    expect(open.map((o) => o.id)).toEqual([order.id]);
    const canceled = await exchange.cancelOrder(order.id!, BTC, { trigger: true });
    expect(calls(venue.requests).at(-1)).toBe("DELETE /papi/v1/cm/conditional/order");
    expect(canceled).toMatchObject({ id: order.id, status: "canceled" });
  });

  it("places a take-profit limit order with its trigger and price", async () => {
    const order = await exchange.createOrder(BTC, "TAKE_PROFIT", "sell", 2, 31500, { stopPrice: 31000 });
    expect(order).toMatchObject({ price: 31500, triggerPrice: 31000, amount: 2 });
    await exchange.cancelOrder(order.id!, BTC, { trigger: true });
  });
});

describe("official Portfolio Margin connector", () => {
  it("places, queries and cancels a CM conditional order", async () => {
    const client = connectConnector(venue.url, alice.apiKey, alice.secret);
    const placed = await (
      await client.restAPI.newCmConditionalOrder({
        symbol: "BTCUSD_PERP",
        side: PM.NewCmConditionalOrderSideEnum.SELL,
        strategyType: PM.NewCmConditionalOrderStrategyTypeEnum.STOP_MARKET,
        quantity: 1,
        stopPrice: 29000,
        newClientStrategyId: "connector-stop",
      })
    ).data();
    expect(placed).toMatchObject({
      newClientStrategyId: "connector-stop",
      strategyStatus: "NEW",
      stopPrice: "29000",
    });
    const open = await (
      await client.restAPI.queryCurrentCmOpenConditionalOrder({
        symbol: "BTCUSD_PERP",
        strategyId: placed.strategyId!,
      })
    ).data();
    expect(open).toMatchObject({ strategyId: placed.strategyId, strategyType: "STOP_MARKET" });
    const canceled = await (
      await client.restAPI.cancelCmConditionalOrder({ symbol: "BTCUSD_PERP", strategyId: placed.strategyId! })
    ).data();
    expect(canceled).toMatchObject({ strategyId: placed.strategyId, strategyStatus: "CANCELED" });
  });
});
