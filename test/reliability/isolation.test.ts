// Account isolation: another account can never see, cancel, modify or stream an
// account's orders, trades, positions or balances, through any endpoint, by order id
// (guessed or known) or by client order id (the same one in both accounts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROUTES } from "../../src/api/server.js";
import { type Client, Harness, limit, tempDir } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

const SYMBOL = "BTCUSD_PERP";
type Params = Record<string, string | number>;
let h: Harness;
let url: string;
let alice: Client;
let bob: Client;
let carol: Client;
/** Alice's resting order, client id "shared-id" (bob has one with the same client id). */
let aliceOpen: number;
/** Alice's filled order. */
let aliceFilled: number;
let bobOpen: number;

beforeEach(async () => {
  h = await Harness.start(tempDir(), {
    rateLimits: { enabled: false, ipWeightLimit: 6000, orderLimit: 1200 },
  });
  url = await h.app.listen({ host: "127.0.0.1", port: 0 });
  alice = await h.account({ BTC: "100" });
  bob = await h.account({ BTC: "7" });
  carol = await h.account({ BTC: "50" });
  aliceOpen = (await h.place(alice, limit("BUY", 2, "29000", { newClientOrderId: "shared-id" })))
    .orderId as number;
  aliceFilled = (await h.place(alice, limit("SELL", 3, "30000", { newClientOrderId: "alice-private" })))
    .orderId as number;
  await h.place(carol, limit("BUY", 3, "30000"));
  bobOpen = (await h.place(bob, limit("BUY", 1, "28000", { newClientOrderId: "shared-id" })))
    .orderId as number;
});
afterEach(() => h.close());

const order = (id: number) => h.venue.queryOrder(alice.accountId, SYMBOL, { orderId: id }, h.clock);

describe("isolation", () => {
  it("GET cm/order: another account's order id is -2013, even for a finished order", async () => {
    for (const orderId of [aliceOpen, aliceFilled]) {
      const res = await h.signed(bob, "GET", "/papi/v1/cm/order", { symbol: SYMBOL, orderId });
      expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
    }
  });

  it("GET cm/order: a client order id both accounts use finds the caller's own order", async () => {
    const res = await h.signed(bob, "GET", "/papi/v1/cm/order", {
      symbol: SYMBOL,
      origClientOrderId: "shared-id",
    });
    expect(res.body).toMatchObject({ orderId: bobOpen, price: "28000" });
    const other = await h.signed(bob, "GET", "/papi/v1/cm/order", {
      symbol: SYMBOL,
      origClientOrderId: "alice-private",
    });
    expect(other.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("GET cm/order: guessing every id that exists finds only the caller's own", async () => {
    const found: number[] = [];
    for (let orderId = 1; orderId <= bobOpen + 2; orderId++) {
      const res = await h.signed(bob, "GET", "/papi/v1/cm/order", { symbol: SYMBOL, orderId });
      if (res.status === 200) found.push(orderId);
    }
    expect(found).toEqual([bobOpen]);
  });

  it("DELETE cm/order: another account's order id is -2011 and the order stays open", async () => {
    const res = await h.signed(bob, "DELETE", "/papi/v1/cm/order", { symbol: SYMBOL, orderId: aliceOpen });
    expect(res.body).toEqual({ code: -2011, msg: "Unknown order sent." });
    expect((await order(aliceOpen))?.status).toBe("NEW");
  });

  it("DELETE cm/order: a shared client order id cancels only the caller's own order", async () => {
    const res = await h.signed(bob, "DELETE", "/papi/v1/cm/order", {
      symbol: SYMBOL,
      origClientOrderId: "shared-id",
    });
    expect(res.body).toMatchObject({ orderId: bobOpen, status: "CANCELED" });
    expect((await order(aliceOpen))?.status).toBe("NEW");
  });

  it("PUT cm/order: another account's order is -2013 and keeps its price and quantity", async () => {
    const res = await h.signed(bob, "PUT", "/papi/v1/cm/order", {
      symbol: SYMBOL,
      orderId: aliceOpen,
      side: "BUY",
      quantity: 5,
      price: "29500",
    });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
    expect(await order(aliceOpen)).toMatchObject({ status: "NEW", origQty: 2, price: 290000 });
  });

  it("PUT cm/order: a shared client order id modifies only the caller's own order", async () => {
    const res = await h.signed(bob, "PUT", "/papi/v1/cm/order", {
      symbol: SYMBOL,
      origClientOrderId: "shared-id",
      side: "BUY",
      quantity: 1,
      price: "28100",
    });
    expect(res.body).toMatchObject({ orderId: bobOpen, price: "28100" });
    expect(await order(aliceOpen)).toMatchObject({ origQty: 2, price: 290000 });
  });

  it("GET cm/openOrder: another account's open order is -2013", async () => {
    const res = await h.signed(bob, "GET", "/papi/v1/cm/openOrder", { symbol: SYMBOL, orderId: aliceOpen });
    expect(res.body).toEqual({ code: -2013, msg: "Order does not exist." });
  });

  it("GET cm/openOrders: lists the caller's own orders only, with and without a symbol", async () => {
    for (const params of [{ symbol: SYMBOL }, {}, { pair: "BTCUSD" }] as Params[]) {
      const res = await h.signed(bob, "GET", "/papi/v1/cm/openOrders", params);
      expect((res.body as Array<{ orderId: number }>).map((o) => o.orderId)).toEqual([bobOpen]);
    }
  });

  it("GET cm/allOrders: lists the caller's own orders only, from any order id or time", async () => {
    const queries: Params[] = [
      { symbol: SYMBOL },
      { symbol: SYMBOL, orderId: 1 },
      { pair: "BTCUSD", startTime: 0 },
    ];
    for (const params of queries) {
      const res = await h.signed(bob, "GET", "/papi/v1/cm/allOrders", params);
      expect((res.body as Array<{ orderId: number }>).map((o) => o.orderId)).toEqual([bobOpen]);
    }
  });

  it("DELETE cm/allOpenOrders: cancels the caller's own orders and leaves another account's", async () => {
    const res = await h.signed(bob, "DELETE", "/papi/v1/cm/allOpenOrders", { symbol: SYMBOL });
    expect(res.status).toBe(200);
    expect((await order(aliceOpen))?.status).toBe("NEW");
    expect(await h.venue.openOrders(bob.accountId, undefined)).toEqual([]);
  });

  it("GET cm/userTrades: another account's trades are never listed, from any id", async () => {
    for (const params of [
      { symbol: SYMBOL },
      { symbol: SYMBOL, fromId: 1 },
      { pair: "BTCUSD" },
    ] as Params[]) {
      const res = await h.signed(bob, "GET", "/papi/v1/cm/userTrades", params);
      expect(res.body).toEqual([]);
    }
    const mine = await h.signed(alice, "GET", "/papi/v1/cm/userTrades", { symbol: SYMBOL });
    expect((mine.body as Array<{ orderId: number }>).map((t) => t.orderId)).toEqual([aliceFilled]);
  });

  it("GET balance: shows the caller's own coins only", async () => {
    const res = await h.signed(bob, "GET", "/papi/v1/balance", {});
    expect(res.body).toEqual([expect.objectContaining({ asset: "BTC", totalWalletBalance: "7.00000000" })]);
  });

  it("GET account: values the caller's own coins only", async () => {
    // 7 BTC at the last trade price of 30000 USD.
    const res = await h.signed(bob, "GET", "/papi/v1/account", {});
    expect(res.body).toMatchObject({ accountEquity: "210000.00000000", actualEquity: "210000.00000000" });
  });

  it("GET cm/positionRisk: shows the caller's own positions only", async () => {
    const held = async (c: Client) =>
      ((await h.signed(c, "GET", "/papi/v1/cm/positionRisk", {})).body as Array<{ positionAmt: string }>)
        .map((p) => p.positionAmt)
        .filter((amount) => amount !== "0");
    expect(await held(alice)).toEqual(["-3"]);
    expect(await held(bob)).toEqual([]);
  });

  it("GET cm/account: shows the caller's own positions only", async () => {
    const res = await h.signed(bob, "GET", "/papi/v1/cm/account", {});
    const positions = (res.body as { positions: Array<{ positionAmt: string }> }).positions;
    expect(positions.filter((p) => p.positionAmt !== "0")).toEqual([]);
  });

  it("POST cm/leverage and positionSide/dual: change the caller's own settings only", async () => {
    const before = await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", {});
    const leverage = await h.signed(bob, "POST", "/papi/v1/cm/leverage", { symbol: SYMBOL, leverage: 3 });
    expect(leverage.status).toBe(200);
    // Position mode changes only without open orders or positions: a fresh account.
    const dave = await h.account();
    const dual = await h.signed(dave, "POST", "/papi/v1/cm/positionSide/dual", { dualSidePosition: "true" });
    expect(dual.status).toBe(200);
    expect((await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", {})).body).toEqual(before.body);
    const mode = await h.signed(alice, "GET", "/papi/v1/cm/positionSide/dual", {});
    expect(mode.body).toEqual({ dualSidePosition: false });
  });

  it("no signed GET endpoint answers another account anything of an account's orders", async () => {
    const answers: string[] = [];
    for (const route of ROUTES.filter((r) => r.method === "GET" && r.security === "SIGNED")) {
      for (const params of [{ symbol: SYMBOL }, { pair: "BTCUSD" }, {}] as Params[]) {
        answers.push((await h.signed(bob, "GET", route.url, params)).text);
      }
    }
    expect(answers.filter((text) => text.includes("alice-private"))).toEqual([]);
  });

  it("listenKey: each account gets its own key, and another account's DELETE leaves it live", async () => {
    const a = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    const b = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": bob.apiKey });
    const aliceKey = (a.body as { listenKey: string }).listenKey;
    expect((b.body as { listenKey: string }).listenKey).not.toBe(aliceKey);
    await h.request("DELETE", "/papi/v1/listenKey", { "x-mbx-apikey": bob.apiKey });
    const keep = await h.request("PUT", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    expect(keep).toMatchObject({ status: 200, body: {} });
  });

  it("listenKey: a keepalive from an account without a key is -1125 while another account has one", async () => {
    await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    const res = await h.request("PUT", "/papi/v1/listenKey", { "x-mbx-apikey": bob.apiKey });
    expect(res.body).toMatchObject({ code: -1125 });
  });

  it("stream: an account's socket never carries another account's events", async () => {
    const key = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": bob.apiKey });
    const ws = await StreamClient.open(
      `${url.replace("http", "ws")}/pm/ws/${(key.body as { listenKey: string }).listenKey}`,
    );
    try {
      await h.place(alice, limit("SELL", 1, "29000"));
      await h.signed(alice, "DELETE", "/papi/v1/cm/order", { symbol: SYMBOL, orderId: aliceOpen });
      await h.place(carol, limit("SELL", 1, "30500", { newClientOrderId: "carol-1" }));
      await h.place(bob, limit("BUY", 1, "27000", { newClientOrderId: "bob-marker" }));
      // Events arrive in commit order: if any of the others' had been sent, it would come first.
      const [first] = await ws.waitFor(1);
      expect(first).toMatchObject({ e: "ORDER_TRADE_UPDATE", o: { c: "bob-marker" } });
      expect(ws.messages).toHaveLength(1);
    } finally {
      ws.close();
    }
  });

  it("signature: an API key with another account's secret is -1022", async () => {
    const res = await h.signed(bob, "GET", "/papi/v1/cm/openOrders", {}, { secret: alice.secret });
    expect(res.body).toEqual({ code: -1022, msg: "Signature for this request is not valid." });
  });
});
