// The user-data stream over a real socket: listenKey REST, ORDER_TRADE_UPDATE and
// ACCOUNT_UPDATE field by field, expiry, keepalive, and commit order (spec §7).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit, T0 } from "../support/harness.js";
import { refusedStatus, StreamClient } from "../support/ws-client.js";

let h: Harness;
let alice: Client;
let bob: Client;
let wsBase: string;
const clients: StreamClient[] = [];

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
  bob = await h.account();
  wsBase = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h.close();
});

async function listenKey(client: Client): Promise<string> {
  const res = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": client.apiKey });
  expect(res.status).toBe(200);
  return (res.body as { listenKey: string }).listenKey;
}

async function subscribe(client: Client, path = "/pm/ws/"): Promise<StreamClient> {
  const key = await listenKey(client);
  const c = await StreamClient.open(`${wsBase}${path}${key}`);
  clients.push(c);
  return c;
}

type Event = { e: string; o: Record<string, unknown>; a: Record<string, unknown> } & Record<string, unknown>;

describe("listenKey REST", () => {
  it("creates a 64-character key and answers the same live key again", async () => {
    const first = await listenKey(alice);
    expect(first).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(await listenKey(alice)).toBe(first);
    expect(await listenKey(bob)).not.toBe(first);
  });

  it("needs only the API key header, not a signature", async () => {
    const res = await h.request("POST", "/papi/v1/listenKey", {});
    expect(res).toMatchObject({ status: 401, body: { code: -2014, msg: "API-key format invalid." } });
  });

  it("answers PUT with {} while the key is live", async () => {
    await listenKey(alice);
    const res = await h.request("PUT", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    expect(res).toMatchObject({ status: 200, text: "{}" });
  });

  it("answers PUT with -1125 when the account has no live key", async () => {
    const res = await h.request("PUT", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    expect(res).toMatchObject({
      status: 400,
      body: {
        code: -1125,
        msg: "This listenKey does not exist. Please use POST /papi/v1/listenKey to recreate listenKey",
      },
    });
  });

  it("closes the key's sockets on DELETE and refuses the key afterwards", async () => {
    const key = await listenKey(alice);
    const ws = await StreamClient.open(`${wsBase}/pm/ws/${key}`);
    clients.push(ws);
    const res = await h.request("DELETE", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    expect(res).toMatchObject({ status: 200, text: "{}" });
    expect((await ws.waitClose()).code).toBe(1000);
    expect(await refusedStatus(`${wsBase}/pm/ws/${key}`)).toBe(400);
  });

  it("refuses a WebSocket upgrade for an unknown key with HTTP 400", async () => {
    expect(await refusedStatus(`${wsBase}/pm/ws/${"x".repeat(64)}`)).toBe(400);
  });
});

describe("ORDER_TRADE_UPDATE", () => {
  it("streams NEW when an order rests, with every field", async () => {
    const ws = await subscribe(alice);
    h.clock = T0 + 1;
    const placed = await h.place(alice, limit("BUY", 2, "30000", { newClientOrderId: "s-new" }));
    const [event] = await ws.waitFor(1);
    expect(JSON.stringify(event)).toBe(
      JSON.stringify({
        e: "ORDER_TRADE_UPDATE",
        fs: "CM",
        E: T0 + 1,
        T: T0 + 1,
        i: (await h.venue.account(alice.accountId))!.alias,
        o: {
          s: "BTCUSD_PERP",
          c: "s-new",
          S: "BUY",
          o: "LIMIT",
          f: "GTC",
          q: "2",
          p: "30000",
          ap: "0",
          sp: "0",
          x: "NEW",
          X: "NEW",
          i: placed.orderId,
          l: "0",
          z: "0",
          L: "0",
          N: "BTC",
          n: "0",
          T: T0 + 1,
          t: 0,
          b: "0.00666667",
          a: "0",
          m: false,
          R: false,
          ps: "BOTH",
          rp: "0",
          V: "EXPIRE_NONE",
          pm: "PM_NONE",
          gtd: 0,
        },
      }),
    );
  });

  it("streams exactly one CANCELED event for a cancel, agreeing with the REST answer", async () => {
    await h.place(bob, limit("BUY", 3, "30010.5"));
    await h.place(bob, limit("BUY", 2, "29995.0"));
    const ws = await subscribe(alice);
    const sell = await h.place(alice, limit("SELL", 10, "29995.0", { newClientOrderId: "myOrder2" }));
    await ws.waitFor(4); // NEW, two TRADEs, ACCOUNT_UPDATE
    h.clock = T0 + 123;
    const rest = (
      await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
        symbol: "BTCUSD_PERP",
        orderId: sell.orderId as number,
      })
    ).body as Record<string, unknown>;
    const [, , , , cancel] = (await ws.waitFor(5)) as Event[];
    expect(cancel!.o).toMatchObject({
      s: rest.symbol,
      c: rest.clientOrderId,
      S: rest.side,
      o: rest.type,
      f: rest.timeInForce,
      q: rest.origQty,
      p: rest.price,
      ap: rest.avgPrice,
      x: "CANCELED",
      X: "CANCELED",
      i: rest.orderId,
      l: "0",
      z: rest.executedQty,
      L: "0",
      T: rest.updateTime,
      t: 0,
      a: "0",
      R: rest.reduceOnly,
      ps: rest.positionSide,
    });
    expect(cancel!.o.ap).toBe("30004.3");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ws.messages.filter((m) => (m as Event).o?.x === "CANCELED")).toHaveLength(1);
  });

  it("streams a matching pair of TRADE events to maker and taker, then an ACCOUNT_UPDATE each", async () => {
    const makerWs = await subscribe(bob);
    const takerWs = await subscribe(alice);
    const maker = await h.place(bob, limit("SELL", 3, "30000"));
    h.clock = T0 + 5;
    const taker = await h.place(alice, limit("BUY", 2, "30000"));
    const [, makerTrade, makerAccount] = (await makerWs.waitFor(3)) as Event[];
    const [takerNew, takerTrade, takerAccount] = (await takerWs.waitFor(3)) as Event[];
    expect(takerNew!.o).toMatchObject({ x: "NEW", X: "NEW", i: taker.orderId });
    expect(makerTrade!.o).toMatchObject({
      x: "TRADE",
      X: "PARTIALLY_FILLED",
      i: maker.orderId,
      l: "2",
      z: "2",
      L: "30000",
      ap: "30000.0",
      t: 1,
      m: true,
      T: T0 + 5,
      a: "0.00333333",
    });
    expect(takerTrade!.o).toMatchObject({
      x: "TRADE",
      X: "FILLED",
      i: taker.orderId,
      l: "2",
      z: "2",
      L: "30000",
      t: 1,
      m: false,
    });
    // Commission of each side in the margin coin: 0.00666666… BTC × 0.05 % (taker), × 0.02 % (maker)
    expect(takerTrade!.o).toMatchObject({ N: "BTC", n: "0.00000333", rp: "0" });
    expect(makerTrade!.o).toMatchObject({ N: "BTC", n: "0.00000133", rp: "0" });
    expect(takerAccount).toEqual({
      e: "ACCOUNT_UPDATE",
      T: T0 + 5,
      E: T0 + 5,
      i: (await h.venue.account(alice.accountId))!.alias,
      fs: "CM",
      a: {
        // Taker fee: 2 × 100 / 30000 = 0.00666666… BTC × 0.05 % = 0.00000333 (truncated)
        B: [{ a: "BTC", wb: "99.99999667", cw: "99.99999667", bc: "0" }],
        P: [
          {
            s: "BTCUSD_PERP",
            pa: "2",
            ep: "30000.00000000",
            cr: "0",
            up: "0.00000000",
            ps: "BOTH",
            bep: 30000,
          },
        ],
        m: "ORDER",
      },
    });
    expect(makerAccount!.a).toMatchObject({ P: [{ pa: "-2", ep: "30000.00000000" }] });
  });

  it("streams EXPIRED after the fills of an IOC order", async () => {
    await h.place(bob, limit("SELL", 1, "30000"));
    const ws = await subscribe(alice);
    await h.place(alice, { ...limit("BUY", 3, "30000"), timeInForce: "IOC" });
    const events = (await ws.waitFor(4)) as Event[];
    expect(events.map((e) => (e.e === "ORDER_TRADE_UPDATE" ? `${e.o.x}/${e.o.X}/${e.o.z}` : e.e))).toEqual([
      "NEW/NEW/0",
      "TRADE/PARTIALLY_FILLED/1",
      "EXPIRED/EXPIRED/1",
      "ACCOUNT_UPDATE",
    ]);
  });

  it("streams AMENDMENT for an accepted modify", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const ws = await subscribe(alice);
    await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 2,
      price: "29000",
    });
    const [event] = (await ws.waitFor(1)) as Event[];
    expect(event!.o).toMatchObject({ x: "AMENDMENT", X: "NEW", q: "2", p: "29000", i: placed.orderId });
    expect(event!.o).not.toHaveProperty("M");
  });

  it("streams ACCOUNT_CONFIG_UPDATE when the leverage changes, and nothing when it stays", async () => {
    const ws = await subscribe(alice);
    h.clock = T0 + 5;
    await h.signed(alice, "POST", "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage: 25 });
    await h.signed(alice, "POST", "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage: 25 });
    await h.signed(alice, "POST", "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage: 10 });
    const events = await ws.waitFor(2);
    expect(events).toEqual([
      { e: "ACCOUNT_CONFIG_UPDATE", fs: "CM", E: T0 + 5, T: T0 + 5, ac: { s: "BTCUSD_PERP", l: 25 } },
      { e: "ACCOUNT_CONFIG_UPDATE", fs: "CM", E: T0 + 5, T: T0 + 5, ac: { s: "BTCUSD_PERP", l: 10 } },
    ]);
  });

  it("tells the modifyId back as M on the AMENDMENT it asked for", async () => {
    const placed = await h.place(alice, limit("BUY", 1, "30000"));
    const ws = await subscribe(alice);
    await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 2,
      price: "29000",
      modifyId: 77,
    });
    const [event] = (await ws.waitFor(1)) as Event[];
    expect(event!.o).toMatchObject({ x: "AMENDMENT", M: "77" });
  });

  it("never streams another account's orders", async () => {
    const ws = await subscribe(alice);
    await h.place(bob, limit("BUY", 1, "30000"));
    await h.place(alice, limit("BUY", 1, "29000"));
    const [event] = (await ws.waitFor(1)) as Event[];
    expect(event!.o).toMatchObject({ p: "29000" });
    expect(ws.messages).toHaveLength(1);
  });

  it("wraps events as {stream, data} on /pm/stream", async () => {
    const key = await listenKey(alice);
    const ws = await StreamClient.open(`${wsBase}/pm/stream?streams=${key}`);
    clients.push(ws);
    await h.place(alice, limit("BUY", 1, "30000"));
    const [message] = (await ws.waitFor(1)) as Array<{ stream: string; data: Event }>;
    expect(message!.stream).toBe(key);
    expect(message!.data).toMatchObject({ e: "ORDER_TRADE_UPDATE", o: { x: "NEW" } });
  });

  it("keeps streaming to a client that reconnects with its live key", async () => {
    const key = await listenKey(alice);
    const first = await StreamClient.open(`${wsBase}/pm/ws/${key}`);
    first.close();
    const again = await StreamClient.open(`${wsBase}/pm/ws/${key}`);
    clients.push(again);
    await h.place(alice, limit("BUY", 1, "30000"));
    expect(((await again.waitFor(1)) as Event[])[0]!.o).toMatchObject({ x: "NEW" });
  });

  it("streams in commit order under 1,000 concurrent orders", async () => {
    const ws = await subscribe(alice);
    // Buys and sells at one price: they keep filling each other, so every order streams NEW and TRADEs.
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        h.signed(alice, "POST", "/papi/v1/cm/order", limit(i % 2 === 0 ? "BUY" : "SELL", 1, "30000")),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(1000).fill(200));
    await ws.waitFor(1000 + 1000 + 500); // 1000 NEW, 2 × 500 TRADE, 500 ACCOUNT_UPDATE
    const orders = (ws.messages as Event[]).filter((e) => e.e === "ORDER_TRADE_UPDATE");
    const news = orders.filter((e) => e.o.x === "NEW").map((e) => e.o.i as number);
    // Ids are handed out as commands are applied, so commit order is ascending id order.
    expect(news).toEqual([...news].sort((a, b) => a - b));
    expect(new Set(news).size).toBe(1000);
    const seen = new Set<number>();
    for (const e of orders) {
      if (e.o.x === "NEW") seen.add(e.o.i as number);
      else expect(seen.has(e.o.i as number)).toBe(true);
    }
    const trades = orders.filter((e) => e.o.x === "TRADE").map((e) => e.o.t as number);
    expect(trades).toEqual([...trades].sort((a, b) => a - b));
  });
});

describe("expiry and liveness", () => {
  it("sends listenKeyExpired and closes when the key lapses", async () => {
    const ws = await subscribe(alice);
    h.clock = T0 + 60 * 60_000;
    h.stream.sweep();
    expect(await ws.waitFor(1)).toEqual([{ e: "listenKeyExpired", E: T0 + 60 * 60_000 }]);
    expect((await ws.waitClose()).code).toBe(1000);
  });

  it("extends the key by 60 minutes on keepalive", async () => {
    const ws = await subscribe(alice);
    h.clock = T0 + 50 * 60_000;
    await h.request("PUT", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    h.clock = T0 + 100 * 60_000;
    h.stream.sweep();
    await h.place(alice, limit("BUY", 1, "30000"));
    expect(((await ws.waitFor(1)) as Event[])[0]!.e).toBe("ORDER_TRADE_UPDATE");
    h.clock = T0 + 110 * 60_000;
    h.stream.sweep();
    expect(((await ws.waitFor(2)) as Event[])[1]!.e).toBe("listenKeyExpired");
  });

  it("pings every 3 minutes and drops a peer that has not answered for 10", async () => {
    const key = await listenKey(alice);
    const silent = await StreamClient.open(`${wsBase}/pm/ws/${key}`, { autoPong: false });
    clients.push(silent);
    let pings = 0;
    silent.ws.on("ping", () => pings++);
    for (let minute = 3; minute <= 9; minute += 3) {
      h.clock = T0 + minute * 60_000;
      await h.request("PUT", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
      h.stream.sweep();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pings).toBe(3);
    expect(silent.closed).toBeUndefined();
    h.clock = T0 + 10 * 60_000;
    h.stream.sweep();
    expect((await silent.waitClose()).code).toBe(1006);
  });

  it("keeps a peer that answers pings", async () => {
    const ws = await subscribe(alice);
    for (let minute = 3; minute <= 12; minute += 3) {
      h.clock = T0 + minute * 60_000;
      h.stream.sweep();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(ws.closed).toBeUndefined();
  });
});
