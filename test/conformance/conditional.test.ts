// Conditional orders from real clients: ccxt's binance with portfolioMargin (a stop-market
// and a take-profit on BTC/USD:BTC, routed to /papi/v1/cm/conditional/order), and Binance's
// official Portfolio Margin connector's conditional calls; and a trigger as each sees it on
// its user-data stream.
import {
  DerivativesTradingPortfolioMargin,
  DerivativesTradingPortfolioMarginRestAPI as PM,
} from "@binance/derivatives-trading-portfolio-margin";
import type ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../support/harness.js";
import { calls, type LiveVenue, refuseNonLoopback, startLiveVenue } from "../support/live-venue.js";
import { until } from "../support/until.js";
import { connectCcxt } from "./snippets/ccxt.js";
import { connectCcxtPro } from "./snippets/ccxt-pro.js";
import { connectConnector } from "./snippets/connector.js";

const BTC = "BTC/USD:BTC";

let venue: LiveVenue;
let restoreNetwork: () => void;
let alice: Client;
let exchange: InstanceType<typeof ccxt.binance>;
let maker: Client;
let taker: Client;

beforeAll(async () => {
  restoreNetwork = refuseNonLoopback();
  venue = await startLiveVenue();
  alice = await venue.account({ BTC: "10" });
  exchange = connectCcxt(venue.url, alice.apiKey, alice.secret);
  await exchange.loadMarkets();
  // A trade at 30000 gives the contract a last price.
  maker = await venue.account({ BTC: "10" });
  taker = await venue.account({ BTC: "10" });
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

/** Waits on the network's time, not the venue clock's. */

/** Bob's stop-market SELL at `stop`, fired by a trade there, fills against a bid 100 below it. */
async function fireStop(bob: Client, stop: number, clientStrategyId: string): Promise<void> {
  const order = { symbol: "BTCUSD_PERP", type: "LIMIT", timeInForce: "GTC" } as const;
  const placed = await venue.h.signed(bob, "POST", "/papi/v1/cm/conditional/order", {
    symbol: "BTCUSD_PERP",
    side: "SELL",
    strategyType: "STOP_MARKET",
    quantity: 1,
    stopPrice: String(stop),
    newClientStrategyId: clientStrategyId,
  });
  if (placed.status !== 200) throw new Error(`strategy refused: ${placed.text}`);
  await venue.h.place(maker, { ...order, side: "BUY", quantity: 1, price: String(stop - 100) });
  await venue.h.place(maker, { ...order, side: "SELL", quantity: 1, price: String(stop) });
  await venue.h.place(taker, { ...order, side: "BUY", quantity: 1, price: String(stop) });
}

describe("a trigger on the clients' user-data streams", () => {
  it("ccxt.pro's watchOrders receives the order the stop placed, filled", async () => {
    const bob = await venue.account({ BTC: "10" });
    const pro = await connectCcxtPro(venue.url, bob.apiKey, bob.secret);
    try {
      await pro.loadMarkets();
      const connections = venue.h.stream.connectionCount();
      const watched = pro.watchOrders(BTC);
      await until(() => venue.h.stream.connectionCount() > connections, "ccxt's user-data socket");
      await fireStop(bob, 29500, "pro-stop");
      let orders = await watched;
      while (orders.at(-1)?.status !== "closed") orders = await pro.watchOrders(BTC);
      expect(orders.at(-1)).toMatchObject({
        symbol: BTC,
        type: "market",
        side: "sell",
        amount: 1,
        filled: 1,
        status: "closed",
      });
      expect(orders.at(-1)!.average).toBe(29400);
      // ccxt.pro fetches a position snapshot beside the stream (a future it keeps on the
      // socket's client); closing before it lands would reject it with nobody listening.
      const socket = Object.values(pro.clients).find((c) => c.url.includes("/pm/ws/"))!;
      await (socket.futures as Record<string, Promise<unknown>>)["delivery:fetchPositionsSnapshot"];
    } finally {
      await pro.close();
    }
  });

  it("the official connector receives TRIGGERED, and the placed order's st and si", async () => {
    const bob = await venue.account({ BTC: "10" });
    const { listenKey } = (
      await venue.h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": bob.apiKey })
    ).body as { listenKey: string };
    const client = new DerivativesTradingPortfolioMargin({
      configurationWebsocketStreams: { wsURL: `${venue.url.replace("http://", "ws://")}/pm` },
    });
    const connections = venue.h.stream.connectionCount();
    const connection = await client.websocketStreams.connect();
    const received: Array<Record<string, Record<string, unknown> | string>> = [];
    connection.userData(listenKey).on("message", (data) => {
      received.push(data as unknown as Record<string, Record<string, unknown> | string>);
    });
    try {
      await until(() => venue.h.stream.connectionCount() > connections, "the connector's socket");
      await new Promise((r) => setTimeout(r, 100)); // its subscription follows the socket
      await fireStop(bob, 29200, "connector-trigger");
      const statuses = () =>
        received
          .filter((e) => e.e === "CONDITIONAL_ORDER_TRADE_UPDATE")
          .map((e) => (e.so as Record<string, unknown>).os);
      await until(() => statuses().includes("TRIGGERED"), "TRIGGERED");
      const triggered = received.find(
        (e) =>
          e.e === "CONDITIONAL_ORDER_TRADE_UPDATE" && (e.so as Record<string, unknown>).os === "TRIGGERED",
      )!.so as Record<string, unknown>;
      expect(triggered).toMatchObject({ c: "connector-trigger", st: "STOP_MARKET", sp: "29200" });
      const placed = received
        .filter((e) => e.e === "ORDER_TRADE_UPDATE")
        .map((e) => e.o as Record<string, unknown>);
      expect(placed.map((o) => [o.x, o.st, o.si, o.i])).toEqual([
        ["NEW", "C_STOP_MARKET", triggered.si, triggered.i],
        ["TRADE", "C_STOP_MARKET", triggered.si, triggered.i],
      ]);
    } finally {
      await connection.disconnect();
    }
  });
});
