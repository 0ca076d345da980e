// Every market stream's payload over a real socket, field for field and type for type
// as Binance's COIN-M pages give them, and each one's timing on the venue clock: real
// time (trade, aggTrade, bookTicker), or at its period when there is something to tell
// (depth diffs, top levels, klines, tickers), or every period (mark and index prices).
// Where REST serves the same figures, the stream must say what REST says.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit, T0 } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

let h: Harness;
let wsBase: string;
let maker: Client;
let taker: Client;
const clients: StreamClient[] = [];
const ADMIN = { authorization: "Bearer test-admin-token", "content-type": "application/json" };

beforeEach(async () => {
  h = await Harness.start();
  maker = await h.account();
  taker = await h.account();
  wsBase = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h.close();
});

type Json = Record<string, unknown>;

async function open(...streams: string[]): Promise<StreamClient> {
  const c = await StreamClient.open(`${wsBase}/ws/${streams.join("/")}`);
  clients.push(c);
  return c;
}

/** Everything the socket got until now: a request's answer comes after every event sent before it. */
async function drain(c: StreamClient): Promise<Json[]> {
  const id = c.messages.length + 1000;
  c.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id }));
  await c.waitFor(c.messages.length + 1);
  for (;;) {
    const last = c.messages[c.messages.length - 1] as Json;
    if (last.id === id) break;
    await c.waitFor(c.messages.length + 1);
  }
  const got = c.messages.splice(0) as Json[];
  return got.slice(0, -1);
}

async function get(path: string): Promise<unknown> {
  return (await h.request("GET", path)).body;
}

/** The book's update id as REST tells it. */
async function bookId(symbol = "BTCUSD_PERP"): Promise<number> {
  return ((await get(`/dapi/v1/depth?symbol=${symbol}&limit=5`)) as { lastUpdateId: number }).lastUpdateId;
}

async function tick(ms: number): Promise<void> {
  h.clock += ms;
  await h.market.tick();
}

describe("trade (real time) and aggTrade (every 100 ms)", () => {
  it("sends each fill on @trade as REST's trades list it", async () => {
    const c = await open("btcusd_perp@trade");
    await h.place(maker, limit("SELL", 2, "30000"));
    await h.place(taker, limit("BUY", 2, "30000"));
    const [rest] = (await get("/dapi/v1/trades?symbol=BTCUSD_PERP")) as Json[];
    expect(await drain(c)).toEqual([
      { e: "trade", E: T0, T: T0, s: "BTCUSD_PERP", t: rest!.id, p: "30000.0", q: "2", m: false },
    ]);
  });

  it("sends one aggTrade per run of a taker order's fills at one price since the last 100 ms, as REST's aggTrades", async () => {
    const c = await open("btcusd_perp@aggTrade");
    await h.place(maker, limit("BUY", 1, "30000"));
    await h.place(maker, limit("BUY", 2, "30000"));
    await h.place(maker, limit("BUY", 4, "29990"));
    h.clock = T0 + 5;
    await h.place(taker, limit("SELL", 5, "29990"));
    const rest = (await get("/dapi/v1/aggTrades?symbol=BTCUSD_PERP")) as Json[];
    expect(rest).toHaveLength(2);
    expect(await drain(c)).toEqual([]);
    await tick(95);
    const events = await drain(c);
    expect(events).toEqual(
      rest.map((a) => ({
        e: "aggTrade",
        E: T0 + 100,
        a: a.a,
        s: "BTCUSD_PERP",
        p: a.p,
        q: a.q,
        f: a.f,
        l: a.l,
        T: a.T,
        m: true,
      })),
    );
    expect(events.map((e) => [e.p, e.q, (e.l as number) - (e.f as number)])).toEqual([
      ["30000.0", "3", 1],
      ["29990.0", "2", 0],
    ]);
  });
});

describe("bookTicker (real time)", () => {
  it("tells the best levels when either moves, and nothing when a deeper level changes", async () => {
    const c = await open("btcusd_perp@bookTicker");
    await h.place(maker, limit("SELL", 2, "30010"));
    const first = await bookId();
    await h.place(maker, limit("SELL", 1, "30020"));
    h.clock = T0 + 7;
    await h.place(maker, limit("BUY", 3, "29990"));
    const last = await bookId();
    expect(await drain(c)).toEqual([
      {
        e: "bookTicker",
        u: first,
        s: "BTCUSD_PERP",
        ps: "BTCUSD",
        b: "0.0",
        B: "0",
        a: "30010.0",
        A: "2",
        T: T0,
        E: T0,
      },
      {
        e: "bookTicker",
        u: last,
        s: "BTCUSD_PERP",
        ps: "BTCUSD",
        b: "29990.0",
        B: "3",
        a: "30010.0",
        A: "2",
        T: T0 + 7,
        E: T0 + 7,
      },
    ]);
  });

  it("tells every symbol's best levels on !bookTicker", async () => {
    const c = await open("!bookTicker");
    await h.place(maker, limit("SELL", 2, "30010"));
    await h.place(maker, {
      symbol: "ETHUSD_PERP",
      side: "BUY",
      type: "LIMIT",
      timeInForce: "GTC",
      quantity: 1,
      price: "2000",
    });
    expect((await drain(c)).map((e) => [e.s, e.b, e.a])).toEqual([
      ["BTCUSD_PERP", "0.0", "30010.0"],
      ["ETHUSD_PERP", "2000.00", "0.00"],
    ]);
  });
});

describe("depth diffs (at their speed)", () => {
  it("merges a window's diffs into one event: U of the first, u of the last, pu of the one before", async () => {
    const c = await open("btcusd_perp@depth@100ms");
    const before = await bookId();
    await h.place(maker, limit("SELL", 2, "30010"));
    const order = await h.place(maker, limit("BUY", 3, "29990"));
    h.clock = T0 + 40;
    await h.place(maker, limit("BUY", 1, "29980"));
    await h.signed(maker, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: order.orderId as number,
    });
    const after = await bookId();
    await tick(100);
    expect(await drain(c)).toEqual([
      {
        e: "depthUpdate",
        E: T0 + 140,
        T: T0 + 40,
        s: "BTCUSD_PERP",
        ps: "BTCUSD",
        U: before + 1,
        u: after,
        pu: before,
        b: [
          ["29990.0", "0"],
          ["29980.0", "1"],
        ],
        a: [["30010.0", "2"]],
      },
    ]);
  });

  it("chains pu to the previous event's u, and sends nothing for a quiet window", async () => {
    const c = await open("btcusd_perp@depth@100ms");
    await h.place(maker, limit("SELL", 2, "30010"));
    await tick(100);
    await tick(100);
    await h.place(maker, limit("SELL", 1, "30010"));
    await tick(100);
    const [one, two, ...rest] = await drain(c);
    expect(rest).toEqual([]);
    expect(two!.pu).toBe(one!.u);
    expect(two!.a).toEqual([["30010.0", "3"]]);
  });

  it("speaks every 250 ms on @depth and every 500 ms on @depth@500ms", async () => {
    const c = await open("btcusd_perp@depth", "btcusd_perp@depth@500ms");
    const sent = async () => (await drain(c)).map((e) => (e.E as number) - T0);
    // T0 is a multiple of 500; each stream speaks at its first period with something to tell.
    await h.place(maker, limit("SELL", 1, "30010"));
    await tick(0);
    expect(await sent()).toEqual([0, 0]);
    await h.place(maker, limit("SELL", 1, "30020"));
    await tick(100);
    expect(await sent()).toEqual([]);
    await tick(150);
    expect(await sent()).toEqual([250]);
    // The 250 ms stream told the second change at 250: only the 500 ms one has it left.
    await tick(250);
    expect(await sent()).toEqual([500]);
  });
});

describe("top levels (@depth<N>)", () => {
  it("sends the best N levels of each side when the book changed, with U, u and pu", async () => {
    const c = await open("btcusd_perp@depth5@100ms");
    for (let i = 0; i < 7; i++) await h.place(maker, limit("SELL", 1 + i, (30010 + i * 10).toFixed(1)));
    await h.place(maker, limit("BUY", 2, "29990"));
    const id = await bookId();
    await tick(100);
    const [event] = await drain(c);
    expect(event).toEqual({
      e: "depthUpdate",
      E: T0 + 100,
      T: T0,
      s: "BTCUSD_PERP",
      ps: "BTCUSD",
      U: id - 7,
      u: id,
      pu: id - 8,
      b: [["29990.0", "2"]],
      a: [
        ["30010.0", "1"],
        ["30020.0", "2"],
        ["30030.0", "3"],
        ["30040.0", "4"],
        ["30050.0", "5"],
      ],
    });
    await tick(100);
    expect(await drain(c)).toEqual([]);
    await h.place(maker, limit("BUY", 1, "29980"));
    await tick(100);
    const [next] = await drain(c);
    expect(next).toMatchObject({
      U: id + 1,
      u: id + 1,
      pu: id,
      b: [
        ["29990.0", "2"],
        ["29980.0", "1"],
      ],
    });
  });
});

describe("klines (every 250 ms after a trade, and once more when closed)", () => {
  // T0 is 22:13:20 UTC; its minute opened 20 s before.
  const OPEN = T0 - 20_000;

  it("sends the current candle as REST's klines draw it, then closes it with x: true", async () => {
    const c = await open("btcusd_perp@kline_1m");
    await h.place(maker, limit("SELL", 3, "30000"));
    await h.place(taker, limit("BUY", 3, "30000"));
    const [trade] = (await get("/dapi/v1/trades?symbol=BTCUSD_PERP")) as Json[];
    await tick(250);
    const [row] = (await get("/dapi/v1/klines?symbol=BTCUSD_PERP&interval=1m")) as unknown[][];
    const candle = {
      t: OPEN,
      T: OPEN + 59_999,
      s: "BTCUSD_PERP",
      i: "1m",
      f: trade!.id,
      L: trade!.id,
      o: "30000.0",
      c: "30000.0",
      h: "30000.0",
      l: "30000.0",
      v: "3",
      n: 1,
      x: false,
      q: "0.01",
      V: "3",
      Q: "0.01",
      B: "0",
    };
    expect(await drain(c)).toEqual([{ e: "kline", E: T0 + 250, s: "BTCUSD_PERP", k: candle }]);
    expect([
      candle.t,
      candle.o,
      candle.h,
      candle.l,
      candle.c,
      candle.v,
      candle.T,
      candle.q,
      candle.n,
      candle.V,
      candle.Q,
    ]).toEqual(row!.slice(0, 11));
    // Quiet until the minute closes; then the final candle, and the next one at the previous close.
    await tick(250);
    expect(await drain(c)).toEqual([]);
    h.clock = OPEN + 60_000;
    await h.market.tick();
    expect(await drain(c)).toEqual([
      { e: "kline", E: OPEN + 60_000, s: "BTCUSD_PERP", k: { ...candle, x: true } },
      {
        e: "kline",
        E: OPEN + 60_000,
        s: "BTCUSD_PERP",
        k: {
          ...candle,
          t: OPEN + 60_000,
          T: OPEN + 119_999,
          f: -1,
          L: -1,
          v: "0",
          n: 0,
          q: "0",
          V: "0",
          Q: "0",
        },
      },
    ]);
  });

  it("sends the continuous contract's candle with its pair and contract type, and no symbol in k", async () => {
    const c = await open("btcusd_perpetual@continuousKline_1m");
    await h.place(maker, limit("SELL", 1, "30000"));
    await h.place(taker, limit("BUY", 1, "30000"));
    await tick(250);
    const [event] = await drain(c);
    expect(event).toMatchObject({ e: "continuous_kline", E: T0 + 250, ps: "BTCUSD", ct: "PERPETUAL" });
    expect(Object.keys(event!.k as Json)).toEqual([
      "t",
      "T",
      "i",
      "f",
      "L",
      "o",
      "c",
      "h",
      "l",
      "v",
      "n",
      "x",
      "q",
      "V",
      "Q",
      "B",
    ]);
    expect(event!.k).toMatchObject({ t: OPEN, i: "1m", o: "30000.0", v: "1", x: false });
  });

  it("draws nothing before a symbol's first trade", async () => {
    const c = await open("btcusd_perp@kline_5m");
    await tick(250);
    expect(await drain(c)).toEqual([]);
  });
});

describe("tickers (every 500 ms after a trade; the arrays every second)", () => {
  async function twoTrades() {
    await h.place(maker, limit("SELL", 1, "30000"));
    await h.place(taker, limit("BUY", 1, "30000"));
    h.clock += 10;
    await h.place(maker, limit("BUY", 2, "29900"));
    await h.place(taker, limit("SELL", 2, "29900"));
  }

  it("sends @ticker with REST's 24-hour figures", async () => {
    const c = await open("btcusd_perp@ticker");
    await twoTrades();
    await tick(500);
    const [rest] = (await get("/dapi/v1/ticker/24hr?symbol=BTCUSD_PERP")) as Json[];
    expect(await drain(c)).toEqual([
      {
        e: "24hrTicker",
        E: h.clock,
        s: "BTCUSD_PERP",
        ps: "BTCUSD",
        p: "-100.0",
        P: "-0.333",
        w: rest!.weightedAvgPrice,
        c: "29900.0",
        Q: "2",
        o: "30000.0",
        h: "30000.0",
        l: "29900.0",
        v: "3",
        q: rest!.baseVolume,
        O: h.clock - 86_400_000,
        C: h.clock,
        F: rest!.firstId,
        L: rest!.lastId,
        n: 2,
      },
    ]);
    await tick(500);
    expect(await drain(c)).toEqual([]);
  });

  it("sends @miniTicker", async () => {
    const c = await open("btcusd_perp@miniTicker");
    await twoTrades();
    await tick(500);
    const [rest] = (await get("/dapi/v1/ticker/24hr?symbol=BTCUSD_PERP")) as Json[];
    expect(await drain(c)).toEqual([
      {
        e: "24hrMiniTicker",
        E: h.clock,
        s: "BTCUSD_PERP",
        ps: "BTCUSD",
        c: "29900.0",
        o: "30000.0",
        h: "30000.0",
        l: "29900.0",
        v: "3",
        q: rest!.baseVolume,
      },
    ]);
  });

  it("sends every symbol on !ticker@arr at first, then only those that traded", async () => {
    const c = await open("!ticker@arr", "!miniTicker@arr");
    await tick(1000);
    const [all, allMini] = await drain(c);
    const symbols = ((await get("/dapi/v1/exchangeInfo")) as { symbols: Json[] }).symbols.map(
      (s) => s.symbol,
    );
    expect((all as unknown as Json[]).map((t) => t.s)).toEqual(symbols);
    expect((allMini as unknown as Json[]).map((t) => [t.e, t.s])).toEqual(
      symbols.map((s) => ["24hrMiniTicker", s]),
    );
    await twoTrades();
    await tick(1000);
    const [changed, changedMini] = (await drain(c)) as unknown as Json[][];
    expect(changed!.map((t) => [t.e, t.s, t.n])).toEqual([["24hrTicker", "BTCUSD_PERP", 2]]);
    expect(changedMini!.map((t) => t.s)).toEqual(["BTCUSD_PERP"]);
    await tick(1000);
    expect(await drain(c)).toEqual([]);
  });
});

describe("mark and index prices (every period)", () => {
  async function mark(symbol: string, markPrice: string) {
    await h.request("POST", "/admin/v1/markPrice", ADMIN, JSON.stringify({ symbol, markPrice }));
  }

  it("sends @markPrice@1s every second, as premiumIndex tells it", async () => {
    await mark("BTCUSD_PERP", "30012.3");
    const c = await open("btcusd_perp@markPrice@1s");
    await tick(1000);
    await tick(1000);
    const [rest] = (await get("/dapi/v1/premiumIndex?symbol=BTCUSD_PERP")) as Json[];
    const event = (at: number) => ({
      e: "markPriceUpdate",
      E: at,
      s: "BTCUSD_PERP",
      p: "30012.30000000",
      P: "30012.30000000",
      i: "30012.30000000",
      r: "0.00010000",
      T: rest!.nextFundingTime,
    });
    expect(await drain(c)).toEqual([event(T0 + 1000), event(T0 + 2000)]);
  });

  it("sends @markPrice every 3 seconds, with no funding on a delivery contract", async () => {
    await mark("BTCUSD_261225", "30500");
    const c = await open("btcusd_261225@markPrice");
    // Periods are multiples of 3 s on the clock: T0 + 1 s opens one, T0 + 4 s the next.
    for (let i = 0; i < 4; i++) await tick(1000);
    expect(await drain(c)).toEqual([
      {
        e: "markPriceUpdate",
        E: T0 + 1000,
        s: "BTCUSD_261225",
        p: "30500.00000000",
        P: "30500.00000000",
        i: "30500.00000000",
        r: "",
        T: 0,
      },
      expect.objectContaining({ E: T0 + 4000 }),
    ]);
  });

  it("sends an array over the pair's symbols on <pair>@markPrice", async () => {
    const c = await open("btcusd@markPrice@1s");
    await tick(1000);
    const [event] = (await drain(c)) as unknown as Json[][];
    expect(event!.map((e) => [e.e, e.s])).toEqual([
      ["markPriceUpdate", "BTCUSD_PERP"],
      ["markPriceUpdate", "BTCUSD_261225"],
    ]);
  });

  it("sends the pair's index on <pair>@indexPrice", async () => {
    await mark("BTCUSD_PERP", "30012.3");
    const c = await open("btcusd@indexPrice@1s");
    await tick(1000);
    expect(await drain(c)).toEqual([
      { e: "indexPriceUpdate", E: T0 + 1000, i: "BTCUSD", p: "30012.30000000" },
    ]);
  });
});

describe("streams with nothing to tell yet", () => {
  it("takes @forceOrder, !forceOrder@arr and !contractInfo and keeps them quiet: nothing is liquidated", async () => {
    const c = await open("btcusd_perp@forceOrder", "!forceOrder@arr", "!contractInfo");
    await h.place(maker, limit("SELL", 1, "30000"));
    await h.place(taker, limit("BUY", 1, "30000"));
    await tick(1000);
    expect(await drain(c)).toEqual([]);
    expect(h.market.feedCount()).toBe(3);
  });
});

describe("index and mark price klines (when their candle changes)", () => {
  const MINUTE = T0 - 20_000; // T0 is 20 s into its minute
  const index = (indexPrice: string) =>
    h.request("POST", "/admin/v1/indexPrice", ADMIN, JSON.stringify({ pair: "BTCUSD", indexPrice }));
  const k = (o: string, c: string, hi: string, lo: string, n: number, at: number, x: boolean) => ({
    t: MINUTE,
    T: MINUTE + 59_999,
    s: "0",
    i: "1m",
    f: MINUTE,
    L: Math.min(at, MINUTE + 59_999),
    o,
    c,
    h: hi,
    l: lo,
    v: "0",
    n,
    x,
    q: "0",
    V: "0",
    Q: "0",
    B: "0",
  });

  it("sends @indexPriceKline_1m when the index moves, nothing when it stands, and the closed candle once", async () => {
    await index("30000");
    const c = await open("btcusd@indexPriceKline_1m");
    await tick(250);
    await tick(250);
    const p = "30000.00000000";
    expect(await drain(c)).toEqual([
      { e: "indexPrice_kline", E: T0 + 250, ps: "BTCUSD", k: k(p, p, p, p, 1, T0 + 250, false) },
    ]);
    await index("30010.5");
    await tick(250);
    const q = "30010.50000000";
    expect(await drain(c)).toEqual([
      { e: "indexPrice_kline", E: T0 + 750, ps: "BTCUSD", k: k(p, q, q, p, 2, T0 + 750, false) },
    ]);
    h.clock = MINUTE + 60_000;
    await tick(0);
    const [closed, next] = await drain(c);
    expect(closed).toEqual({
      e: "indexPrice_kline",
      E: MINUTE + 60_000,
      ps: "BTCUSD",
      k: k(p, q, q, p, 2, MINUTE + 60_000, true),
    });
    expect((next!.k as Json).t).toBe(MINUTE + 60_000);
  });

  it("sends @markPriceKline_1m with the symbol in k.s, from the marks the price steps draw", async () => {
    await h.venue.advance(h.clock);
    await h.request(
      "POST",
      "/admin/v1/markPrice",
      ADMIN,
      JSON.stringify({ symbol: "BTCUSD_PERP", markPrice: "30012.3" }),
    );
    h.clock += 1000;
    await h.venue.advance(h.clock);
    const c = await open("btcusd_perp@markPriceKline_1m");
    await tick(250);
    const [event] = await drain(c);
    const m = "30012.30000000";
    expect(event).toMatchObject({
      e: "markPrice_kline",
      ps: "BTCUSD",
      k: { s: "BTCUSD_PERP", i: "1m", o: m, c: m, h: m, l: m, x: false },
    });
  });
});
