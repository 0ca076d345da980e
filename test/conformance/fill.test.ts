// A fill between two accounts, each side seen through both real clients: the taker trades
// with ccxt, the maker with the official connector, and each reads the other's view too.
// Numbers follow COIN-M arithmetic: 2 @ 29995.0 + 3 @ 30010.5 is 0.01666428 BTC at an
// average (harmonic) price of 30004.3.
import {
  type DerivativesTradingPortfolioMargin,
  DerivativesTradingPortfolioMarginRestAPI as PM,
} from "@binance/derivatives-trading-portfolio-margin";
import type ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveVenue, refuseNonLoopback, startLiveVenue } from "../support/live-venue.js";
import { connectCcxt } from "./snippets/ccxt.js";
import { connectConnector } from "./snippets/connector.js";

const SYMBOL = "BTCUSD_PERP";
const BTC = "BTC/USD:BTC";

let venue: LiveVenue;
let restoreNetwork: () => void;
let aliceCcxt: InstanceType<typeof ccxt.binance>;
let aliceConnector: DerivativesTradingPortfolioMargin;
let bobCcxt: InstanceType<typeof ccxt.binance>;
let bobConnector: DerivativesTradingPortfolioMargin;
let taker: Awaited<ReturnType<InstanceType<typeof ccxt.binance>["createOrder"]>>;
let makers: number[];

const sell = (quantity: number, price: number) =>
  bobConnector.restAPI
    .newCmOrder({
      symbol: SYMBOL,
      side: PM.NewCmOrderSideEnum.SELL,
      type: PM.NewCmOrderTypeEnum.LIMIT,
      timeInForce: PM.NewCmOrderTimeInForceEnum.GTC,
      quantity,
      price,
    })
    .then((r) => r.data());

beforeAll(async () => {
  restoreNetwork = refuseNonLoopback();
  venue = await startLiveVenue();
  const alice = await venue.account({ BTC: "10" });
  const bob = await venue.account({ BTC: "10" });
  aliceCcxt = connectCcxt(venue.url, alice.apiKey, alice.secret);
  aliceConnector = connectConnector(venue.url, alice.apiKey, alice.secret);
  bobCcxt = connectCcxt(venue.url, bob.apiKey, bob.secret);
  bobConnector = connectConnector(venue.url, bob.apiKey, bob.secret);
  await Promise.all([aliceCcxt.loadMarkets(), bobCcxt.loadMarkets()]);
  makers = [Number((await sell(3, 30010.5)).orderId), Number((await sell(2, 29995)).orderId)];
  taker = await aliceCcxt.createOrder(BTC, "limit", "buy", 5, 30010.5);
});
afterAll(async () => {
  await venue.close();
  restoreNetwork();
});

describe("a fill between two accounts", () => {
  it("ccxt answers the taker's order filled, with cost in BTC and the harmonic average", () => {
    expect(taker).toMatchObject({ status: "closed", amount: 5, filled: 5, remaining: 0 });
    expect(taker.cost).toBe(0.01666428);
    expect(taker.average).toBe(30004.3);
  });

  it("the connector shows the taker's order with the same numbers", async () => {
    const order = await (
      await aliceConnector.restAPI.queryCmOrder({ symbol: SYMBOL, orderId: Number(taker.id) })
    ).data();
    expect(order).toMatchObject({
      status: "FILLED",
      executedQty: "5",
      cumBase: "0.01666428",
      avgPrice: "30004.3",
    });
  });

  it("the connector shows each maker order filled at its own price", async () => {
    const [first, second] = await Promise.all(
      makers.map(async (orderId) =>
        (await bobConnector.restAPI.queryCmOrder({ symbol: SYMBOL, orderId })).data(),
      ),
    );
    expect(first).toMatchObject({
      status: "FILLED",
      executedQty: "3",
      cumBase: "0.0099965",
      avgPrice: "30010.5",
    });
    expect(second).toMatchObject({
      status: "FILLED",
      executedQty: "2",
      cumBase: "0.00666778",
      avgPrice: "29995.0",
    });
  });

  it("ccxt shows the maker orders with the same numbers", async () => {
    const [first, second] = await Promise.all(makers.map((id) => bobCcxt.fetchOrder(String(id), BTC)));
    expect(first).toMatchObject({ status: "closed", filled: 3, cost: 0.0099965, average: 30010.5 });
    expect(second).toMatchObject({ status: "closed", filled: 2, cost: 0.00666778, average: 29995 });
  });

  it("leaves neither account with open orders", async () => {
    expect(await aliceCcxt.fetchOpenOrders(BTC)).toEqual([]);
    expect(await (await bobConnector.restAPI.queryAllCurrentCmOpenOrders({ symbol: SYMBOL })).data()).toEqual(
      [],
    );
  });
});
