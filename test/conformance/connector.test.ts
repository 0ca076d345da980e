// Binance's official Portfolio Margin connector against a real listening venue, configured
// as the client documentation snippet configures it: only `basePath` changed.
import { generateKeyPairSync } from "node:crypto";
import {
  BadRequestError,
  type DerivativesTradingPortfolioMargin,
  DerivativesTradingPortfolioMarginRestAPI as PM,
} from "@binance/derivatives-trading-portfolio-margin";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "../support/harness.js";
import { calls, type LiveVenue, refuseNonLoopback, startLiveVenue } from "../support/live-venue.js";
import { connectConnector, connectConnectorEd25519, firstConnectorOrder } from "./snippets/connector.js";

const SYMBOL = "BTCUSD_PERP";

let venue: LiveVenue;
let restoreNetwork: () => void;
let bob: Client;
let client: DerivativesTradingPortfolioMargin;

beforeAll(async () => {
  restoreNetwork = refuseNonLoopback();
  venue = await startLiveVenue();
  bob = await venue.account({ BTC: "10" });
  client = connectConnector(venue.url, bob.apiKey, bob.secret);
});
afterAll(async () => {
  await venue.close();
  restoreNetwork();
});
beforeEach(async () => {
  await client.restAPI.cancelAllCmOpenOrders({ symbol: SYMBOL });
  venue.requests.length = 0;
});

const buy = (quantity: number, price: number, newClientOrderId?: string) =>
  client.restAPI
    .newCmOrder({
      symbol: SYMBOL,
      side: PM.NewCmOrderSideEnum.BUY,
      type: PM.NewCmOrderTypeEnum.LIMIT,
      timeInForce: PM.NewCmOrderTimeInForceEnum.GTC,
      quantity,
      price,
      ...(newClientOrderId === undefined ? {} : { newClientOrderId }),
    })
    .then((r) => r.data());

/** The connector's error for a call that fails: its class and Binance code. */
async function failure(call: Promise<unknown>): Promise<{ error: unknown; code: unknown }> {
  try {
    await call;
  } catch (error) {
    return { error, code: (error as { code?: unknown }).code };
  }
  throw new Error("the call succeeded");
}

describe("official Portfolio Margin connector", () => {
  it("runs the documented first order: place, list open, cancel by client order id", async () => {
    const { order, open, canceled } = await firstConnectorOrder(client, "connector-first");
    expect(order).toMatchObject({
      clientOrderId: "connector-first",
      status: "NEW",
      origQty: "1",
      price: "30000",
    });
    expect(open.map((o) => o.orderId)).toEqual([order.orderId]);
    expect(canceled).toMatchObject({ orderId: order.orderId, status: "CANCELED" });
  });

  it("sends every parameter in the query string with a JSON content type and no body", async () => {
    await buy(2, 29000, "wire-1");
    const [post] = venue.requests;
    expect(post).toMatchObject({
      method: "POST",
      path: "/papi/v1/cm/order",
      body: "",
      contentType: "application/json",
      apiKey: true,
    });
    expect(post?.query).toMatch(
      /^symbol=BTCUSD_PERP&side=BUY&type=LIMIT&timeInForce=GTC&quantity=2&price=29000&newClientOrderId=wire-1&timestamp=\d+&signature=[0-9a-f]{64}$/,
    );
  });

  it("places a LIMIT order and gets the full order back without newOrderRespType", async () => {
    const order = await buy(3, 29500);
    expect(Object.keys(order)).toEqual([
      "avgPrice",
      "clientOrderId",
      "cumQty",
      "cumBase",
      "executedQty",
      "orderId",
      "origQty",
      "price",
      "reduceOnly",
      "side",
      "positionSide",
      "status",
      "symbol",
      "pair",
      "timeInForce",
      "type",
      "updateTime",
    ]);
    expect(order).toMatchObject({ status: "NEW", origQty: "3", price: "29500", avgPrice: "0.0" });
  });

  it("lists open orders", async () => {
    const a = await buy(1, 29000);
    const b = await buy(2, 29100);
    const open = await (await client.restAPI.queryAllCurrentCmOpenOrders({ symbol: SYMBOL })).data();
    expect(open.map((o) => [o.orderId, o.origQty, o.status])).toEqual([
      [a.orderId, "1", "NEW"],
      [b.orderId, "2", "NEW"],
    ]);
  });

  it("cancels by orderId", async () => {
    const order = await buy(1, 29000);
    const canceled = await (
      await client.restAPI.cancelCmOrder({ symbol: SYMBOL, orderId: order.orderId })
    ).data();
    expect(canceled).toMatchObject({ orderId: order.orderId, status: "CANCELED" });
    expect(venue.requests.at(-1)?.query).toMatch(/^symbol=BTCUSD_PERP&orderId=\d+&timestamp=\d+&signature=/);
  });

  it("cancels by client order id", async () => {
    await buy(1, 29000, "by-client-id");
    const canceled = await (
      await client.restAPI.cancelCmOrder({ symbol: SYMBOL, origClientOrderId: "by-client-id" })
    ).data();
    expect(canceled).toMatchObject({ clientOrderId: "by-client-id", status: "CANCELED" });
  });

  it("gets a BadRequestError with code -2011 when cancelling an order again", async () => {
    const order = await buy(1, 29000);
    await client.restAPI.cancelCmOrder({ symbol: SYMBOL, orderId: order.orderId });
    const { error, code } = await failure(
      client.restAPI.cancelCmOrder({ symbol: SYMBOL, orderId: order.orderId }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(code).toBe(-2011);
    expect((error as Error).message).toBe("Unknown order sent.");
  });

  it("gets code -1022 with a wrong secret", async () => {
    const wrong = connectConnector(venue.url, bob.apiKey, "0".repeat(64));
    const { error, code } = await failure(wrong.restAPI.queryAllCurrentCmOpenOrders({ symbol: SYMBOL }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(code).toBe(-1022);
  });

  it("trades with an Ed25519 key registered through the admin API", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const apiKey = await venue.addKey(
      bob.accountId,
      "ED25519",
      publicKey.export({ type: "spki", format: "pem" }).toString(),
    );
    const ed = connectConnectorEd25519(
      venue.url,
      apiKey,
      privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    );
    const { order, canceled } = await firstConnectorOrder(ed, "ed25519-first");
    expect(order).toMatchObject({ clientOrderId: "ed25519-first", status: "NEW" });
    expect(canceled).toMatchObject({ orderId: order.orderId, status: "CANCELED" });
    expect(venue.requests.at(-1)?.query).toMatch(/&signature=[A-Za-z0-9%]+$/);
  });

  it("reads the Portfolio Margin balance of one asset as an object", async () => {
    const balance = await (await client.restAPI.accountBalance({ asset: "BTC" })).data();
    expect(balance).toMatchObject({
      asset: "BTC",
      totalWalletBalance: "10.00000000",
      cmWalletBalance: "10.00000000",
    });
  });

  it("calls nothing but /papi: no time sync, no exchangeInfo", async () => {
    await firstConnectorOrder(client, "only-papi");
    expect(calls(venue.requests)).toEqual([
      "POST /papi/v1/cm/order",
      "GET /papi/v1/cm/openOrders",
      "DELETE /papi/v1/cm/order",
    ]);
  });
});
