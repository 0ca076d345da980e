// The admin's forced fill: one open order filled at its own price against the house,
// in part or whole, ahead of its queue, with the trades, positions and stream events of
// any fill, and the race it exists for: a fill that lands before the bot's cancel.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit } from "../support/harness.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

let h: Harness;
let alice: Client;
let bob: Client;
beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
  bob = await h.account();
});
afterEach(async () => {
  await h.close();
});

const fill = (body: Record<string, unknown>) =>
  h.request("POST", "/admin/v1/orders/fill", ADMIN, JSON.stringify({ symbol: "BTCUSD_PERP", ...body }));

describe("POST /admin/v1/orders/fill", () => {
  it("fills the whole order at its price and answers it as the order query does", async () => {
    const placed = await h.place(alice, limit("BUY", 3, "29000.0"));
    const res = await fill({ orderId: placed.orderId });
    expect(res.status).toBe(200);
    const query = await h.signed(alice, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    expect(res.body).toEqual(query.body);
    expect(res.body).toMatchObject({ status: "FILLED", executedQty: "3", avgPrice: "29000.0" });
  });

  it("gives the order's account the position, and the tape the trade", async () => {
    const placed = await h.place(alice, limit("BUY", 3, "29000.0"));
    await fill({ orderId: placed.orderId });
    const risk = (await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      symbol: string;
      positionAmt: string;
      entryPrice: string;
    }[];
    expect(risk.find((p) => p.symbol === "BTCUSD_PERP")).toMatchObject({
      positionAmt: "3",
      entryPrice: "29000.00000000",
    });
    const mine = (await h.signed(alice, "GET", "/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" })).body as {
      maker: boolean;
      qty: string;
      price: string;
    }[];
    expect(mine.map((t) => [t.price, t.qty, t.maker])).toEqual([["29000", "3", true]]);
    const tape = (await h.request("GET", "/dapi/v1/trades?symbol=BTCUSD_PERP")).body as {
      price: string;
      qty: string;
    }[];
    expect(tape.map((t) => [t.price, t.qty])).toEqual([["29000.0", "3"]]);
  });

  it("fills part of the order, which keeps its place on the book with what is left", async () => {
    const placed = await h.place(alice, limit("BUY", 3, "29000.0"));
    const res = await fill({ orderId: placed.orderId, quantity: 1 });
    expect(res.body).toMatchObject({ status: "PARTIALLY_FILLED", executedQty: "1" });
    const depth = (await h.request("GET", "/dapi/v1/depth?symbol=BTCUSD_PERP")).body as { bids: string[][] };
    expect(depth.bids).toEqual([["29000.0", "2"]]);
  });

  it("fills the order named, not the one ahead of it at its price", async () => {
    const ahead = await h.place(bob, limit("BUY", 2, "29000.0"));
    const behind = await h.place(alice, limit("BUY", 2, "29000.0"));
    await fill({ orderId: behind.orderId });
    const bobs = await h.signed(bob, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: ahead.orderId as number,
    });
    expect(bobs.body).toMatchObject({ status: "NEW", executedQty: "0" });
  });

  it("lands between a place and its cancel: the cancel answers -2011 and the stream told the fill first", async () => {
    const ws = await h.userStream(alice);
    const placed = await h.place(alice, limit("SELL", 1, "31000.0"));
    await fill({ orderId: placed.orderId });
    const cancel = await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    expect([cancel.status, cancel.body]).toEqual([400, { code: -2011, msg: "Unknown order sent." }]);
    const events = (await ws.waitFor(3)) as { e: string; o?: { x: string; X: string } }[];
    expect(events.map((e) => [e.e, e.o?.x, e.o?.X])).toEqual([
      ["ORDER_TRADE_UPDATE", "NEW", "NEW"],
      ["ORDER_TRADE_UPDATE", "TRADE", "FILLED"],
      ["ACCOUNT_UPDATE", undefined, undefined],
    ]);
  });

  it("keeps the fill across a restart", async () => {
    const placed = await h.place(alice, limit("BUY", 2, "29000.0"));
    await fill({ orderId: placed.orderId, quantity: 1 });
    h = await h.restart();
    const query = await h.signed(alice, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    expect(query.body).toMatchObject({ status: "PARTIALLY_FILLED", executedQty: "1" });
  });

  it.each([
    [{ orderId: 99 }, 400, { code: -2013, msg: "Order does not exist." }],
    [{ orderId: "1" }, 400, { code: -1130, msg: "'orderId' must be a positive integer." }],
    [{ symbol: "NOPE", orderId: 1 }, 400, { code: -1130, msg: "'symbol' must be a listed symbol." }],
    [
      { orderId: 1, quantity: 0 },
      400,
      { code: -1130, msg: "'quantity' must be a positive whole number of contracts." },
    ],
  ])("refuses %j", async (body, status, answer) => {
    await h.place(alice, limit("BUY", 2, "29000.0"));
    const res = await fill(body);
    expect([res.status, res.body]).toEqual([status, answer]);
  });

  it("refuses more than the order has left, and fills nothing", async () => {
    const placed = await h.place(alice, limit("BUY", 2, "29000.0"));
    const res = await fill({ orderId: placed.orderId, quantity: 3 });
    expect([res.status, res.body]).toEqual([
      400,
      { code: -1130, msg: "'quantity' is more than the 2 contracts the order has left." },
    ]);
    expect((await h.request("GET", "/dapi/v1/trades?symbol=BTCUSD_PERP")).body).toEqual([]);
  });
});
