// The market streams' connections over a real socket: dstream's paths, the requests
// (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY) and their
// errors word for word, ids echoed in their own JSON type, the limits (messages per
// second, streams per connection, lifetime), and connections the venue does not want:
// accepted, then closed with a code, never refused with an HTTP status. Each runs with
// the sockets in the venue's process and in a process of their own.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Client, Harness, type HarnessOptions, limit, T0 } from "../support/harness.js";
import { SOCKET_KINDS, type SocketKind } from "../support/market-sockets.js";
import { rawExchange } from "../support/raw-http.js";
import { until } from "../support/until.js";
import { refusedStatus, StreamClient } from "../support/ws-client.js";

let h: Harness;
let kind: SocketKind = "inline";
let wsBase: string;
let maker: Client;
let taker: Client;
const clients: StreamClient[] = [];

async function start(options: HarnessOptions = {}): Promise<void> {
  h = await Harness.start(undefined, { marketSockets: kind, ...options });
  maker = await h.account();
  taker = await h.account();
  wsBase = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await h.close();
});

async function open(path: string): Promise<StreamClient> {
  const c = await StreamClient.open(`${wsBase}${path}`);
  clients.push(c);
  return c;
}

/** Sends a text frame and waits for the one answer it gets. */
async function ask(c: StreamClient, request: unknown): Promise<unknown> {
  const before = c.messages.length;
  c.ws.send(typeof request === "string" ? request : JSON.stringify(request));
  return (await c.waitFor(before + 1))[before];
}

/** One trade of 1 contract at 30000, the taker buying, and the 100 ms that aggTrade pushes after. */
async function trade(): Promise<void> {
  await h.place(maker, limit("SELL", 1, "30000"));
  await h.place(taker, limit("BUY", 1, "30000"));
  h.clock += 100;
  await h.market.tick();
}

const AGG = {
  e: "aggTrade",
  E: T0 + 100,
  s: "BTCUSD_PERP",
  p: "30000.0",
  q: "1",
  T: T0,
  m: false,
};

describe.each(SOCKET_KINDS)("with the sockets held %s", (held) => {
  beforeAll(() => {
    kind = held;
  });
  afterAll(() => {
    kind = "inline";
  });

  describe("paths", () => {
    it("sends raw events on /ws/<stream>", async () => {
      await start();
      const c = await open("/ws/btcusd_perp@aggTrade");
      await trade();
      const [event] = await c.waitFor(1);
      expect(event).toMatchObject(AGG);
      expect(event).not.toHaveProperty("stream");
    });

    it("wraps events as {stream, data} on /stream?streams=, the stream spelled as subscribed", async () => {
      await start();
      const c = await open("/stream?streams=BTCUSD_PERP@aggTrade/btcusd_perp@trade");
      await trade();
      const events = (await c.waitFor(2)) as { stream: string; data: { e: string } }[];
      expect(events.map((e) => [e.stream, e.data.e])).toEqual([
        ["btcusd_perp@trade", "trade"],
        ["BTCUSD_PERP@aggTrade", "aggTrade"],
      ]);
    });

    it("takes /ws/<anything> and a later SUBSCRIBE there, as ccxt connects", async () => {
      await start();
      const c = await open("/ws/0");
      expect(await ask(c, { method: "SUBSCRIBE", params: ["btcusd_perp@aggTrade"], id: 1 })).toEqual({
        result: null,
        id: 1,
      });
      await trade();
      expect((await c.waitFor(2))[1]).toMatchObject(AGG);
    });

    it("takes /stream with no streams and a SUBSCRIBE after it", async () => {
      await start();
      const c = await open("/stream");
      expect(await ask(c, { method: "SUBSCRIBE", params: ["btcusd_perp@aggTrade"], id: 7 })).toEqual({
        result: null,
        id: 7,
      });
      await trade();
      expect((await c.waitFor(2))[1]).toMatchObject({ stream: "btcusd_perp@aggTrade", data: AGG });
    });

    it("still refuses a path that is no stream with Binance's 404 body", async () => {
      await start();
      expect(await refusedStatus(`${wsBase}/wss/btcusd_perp@aggTrade`)).toBe(404);
    });

    it("answers a handshake without a key with 400 -1100 and keeps nothing of it", async () => {
      await start();
      const port = Number(new URL(wsBase).port);
      const res = await rawExchange(
        port,
        [
          "GET /ws/btcusd_perp@aggTrade HTTP/1.1",
          "Host: 127.0.0.1",
          "Upgrade: websocket",
          "Connection: Upgrade",
          "Sec-WebSocket-Version: 13",
          "",
          "",
        ].join("\r\n"),
      );
      expect(res?.status).toBe(400);
      expect(JSON.parse(res!.body)).toEqual({
        code: -1100,
        msg: "Invalid WebSocket handshake: Missing or invalid Sec-WebSocket-Key header.",
      });
      await until(() => h.market.connectionCount() === 0, "the refused connection to be forgotten");
      expect(h.market.feedCount()).toBe(0);
    });
  });

  describe("requests", () => {
    it("echoes a string id as a string, as the official connector sends it", async () => {
      await start();
      const c = await open("/stream");
      const id = "0123456789abcdef0123456789abcdef";
      expect(await ask(c, { method: "SUBSCRIBE", params: ["btcusd_perp@depth"], id })).toEqual({
        result: null,
        id,
      });
    });

    it("lists subscriptions in the order made, as spelled, and forgets unsubscribed ones", async () => {
      await start();
      const c = await open("/ws/btcusd_perp@aggTrade");
      await ask(c, {
        method: "SUBSCRIBE",
        params: ["btcusd_perp@depth@100ms", "ethusd_perp@kline_1m"],
        id: 1,
      });
      expect(await ask(c, { method: "LIST_SUBSCRIPTIONS", id: 2 })).toEqual({
        result: ["btcusd_perp@aggTrade", "btcusd_perp@depth@100ms", "ethusd_perp@kline_1m"],
        id: 2,
      });
      expect(await ask(c, { method: "UNSUBSCRIBE", params: ["btcusd_perp@aggTrade"], id: 312 })).toEqual({
        result: null,
        id: 312,
      });
      expect(await ask(c, { method: "LIST_SUBSCRIPTIONS", id: 3 })).toEqual({
        result: ["btcusd_perp@depth@100ms", "ethusd_perp@kline_1m"],
        id: 3,
      });
      const before = c.messages.length;
      await trade();
      c.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 4 }));
      await c.waitFor(before + 2);
      // The depth stream still speaks; the unsubscribed aggTrade stream does not.
      expect(
        c.messages.slice(before).map((m) => (m as { e?: string; id?: number }).e ?? (m as { id: number }).id),
      ).toEqual(["depthUpdate", 4]);
    });

    it("subscribes to a well-formed name of no listed stream, which carries nothing", async () => {
      await start();
      const c = await open("/ws");
      expect(await ask(c, { method: "SUBSCRIBE", params: ["xyzusd_perp@aggTrade"], id: 1 })).toEqual({
        result: null,
        id: 1,
      });
      expect(h.market.feedCount()).toBe(0);
    });

    it("turns combined payloads on and off with SET_PROPERTY and tells them with GET_PROPERTY", async () => {
      await start();
      const c = await open("/ws/btcusd_perp@aggTrade");
      expect(await ask(c, { method: "GET_PROPERTY", params: ["combined"], id: 2 })).toEqual({
        result: false,
        id: 2,
      });
      expect(await ask(c, { method: "SET_PROPERTY", params: ["combined", true], id: 5 })).toEqual({
        result: null,
        id: 5,
      });
      expect(await ask(c, { method: "GET_PROPERTY", params: ["combined"], id: 6 })).toEqual({
        result: true,
        id: 6,
      });
      await trade();
      expect((await c.waitFor(4))[3]).toMatchObject({ stream: "btcusd_perp@aggTrade", data: AGG });
    });

    it.each([
      [
        "text that is not JSON",
        '{"method": SUBSCRIBE}',
        { error: { code: 3, msg: "Invalid JSON: expected value at line 1 column 12" }, id: null },
      ],
      [
        "no method",
        '{"params":[],"id":1}',
        { error: { code: 2, msg: "Invalid request: missing field `method` at line 1 column 20" }, id: 1 },
      ],
      [
        "an unknown method",
        '{"method":"SUBSCRIBES","params":[],"id":1}',
        {
          error: {
            code: 2,
            msg: "Invalid request: unknown variant `SUBSCRIBES`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 22",
          },
          id: 1,
        },
      ],
      [
        "no id",
        { method: "SUBSCRIBE", params: [] },
        { error: { code: 2, msg: "Invalid request: request ID must be an unsigned integer" }, id: null },
      ],
      [
        "a negative id",
        { method: "SUBSCRIBE", params: [], id: -1 },
        { error: { code: 2, msg: "Invalid request: request ID must be an unsigned integer" }, id: null },
      ],
      [
        "a malformed stream name",
        { method: "SUBSCRIBE", params: ["not asdfads"], id: 2 },
        { error: { code: 2, msg: "Invalid request: invalid stream" }, id: 2 },
      ],
      [
        "a stream name that is not a string",
        { method: "SUBSCRIBE", params: [1], id: 2 },
        { error: { code: 2, msg: "Invalid request: invalid stream" }, id: 2 },
      ],
      [
        "an unknown property",
        { method: "GET_PROPERTY", params: ["compressed"], id: 3 },
        { error: { code: 0, msg: "Unknown property" }, id: 3 },
      ],
      [
        "a property value that is not a boolean",
        { method: "SET_PROPERTY", params: ["combined", "yes"], id: 3 },
        { error: { code: 1, msg: "Invalid value type: expected Boolean" }, id: 3 },
      ],
      [
        "a property name that is not a string",
        { method: "SET_PROPERTY", params: [true, true], id: 3 },
        { error: { code: 2, msg: "Invalid request: property name must be a string" }, id: 3 },
      ],
      [
        "no property name",
        { method: "GET_PROPERTY", id: 3 },
        { error: { code: 2, msg: "Invalid request: property name must be a string" }, id: 3 },
      ],
      [
        "too many property parameters",
        { method: "SET_PROPERTY", params: ["combined", true, 1], id: 3 },
        { error: { code: 2, msg: "Invalid request: too many parameters" }, id: 3 },
      ],
      [
        "parameters to LIST_SUBSCRIPTIONS",
        { method: "LIST_SUBSCRIPTIONS", params: ["x"], id: 3 },
        { error: { code: 2, msg: "Invalid request: too many parameters" }, id: 3 },
      ],
    ])("answers %s with Binance's error", async (_what, request, answer) => {
      await start();
      const c = await open("/ws");
      expect(await ask(c, request)).toEqual(answer);
      // The connection stays open and keeps answering.
      expect(await ask(c, { method: "LIST_SUBSCRIPTIONS", id: 9 })).toEqual({ result: [], id: 9 });
    });

    it("changes nothing on an erroneous SUBSCRIBE", async () => {
      await start();
      const c = await open("/ws");
      await ask(c, { method: "SUBSCRIBE", params: ["btcusd_perp@aggTrade", "bad name"], id: 1 });
      expect(await ask(c, { method: "LIST_SUBSCRIPTIONS", id: 2 })).toEqual({ result: [], id: 2 });
    });
  });

  describe("limits", () => {
    it("closes a connection with 1008 on its 11th incoming message within one second", async () => {
      await start();
      const c = await open("/ws");
      for (let i = 1; i <= 10; i++)
        expect(await ask(c, { method: "LIST_SUBSCRIPTIONS", id: i })).toMatchObject({ id: i });
      c.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 11 }));
      expect(await c.waitClose()).toEqual({ code: 1008, reason: "too many requests" });
    });

    it("counts incoming messages per second of the venue clock", async () => {
      await start();
      const c = await open("/ws");
      for (let i = 1; i <= 10; i++) await ask(c, { method: "LIST_SUBSCRIPTIONS", id: i });
      h.clock += 1000;
      for (let i = 11; i <= 20; i++)
        expect(await ask(c, { method: "LIST_SUBSCRIPTIONS", id: i })).toMatchObject({ id: i });
    });

    it("counts pings from the client as incoming messages", async () => {
      await start();
      const c = await open("/ws");
      for (let i = 0; i < 11; i++) c.ws.ping();
      expect((await c.waitClose()).code).toBe(1008);
    });

    it("answers a SUBSCRIBE past the streams limit with code 2 and subscribes none of it", async () => {
      await start({ marketStream: { maxStreams: 2 } });
      const c = await open("/ws/btcusd_perp@aggTrade");
      expect(
        await ask(c, { method: "SUBSCRIBE", params: ["btcusd_perp@depth", "btcusd_perp@trade"], id: 1 }),
      ).toEqual({ error: { code: 2, msg: "Invalid request: too many streams" }, id: 1 });
      expect(await ask(c, { method: "LIST_SUBSCRIPTIONS", id: 2 })).toEqual({
        result: ["btcusd_perp@aggTrade"],
        id: 2,
      });
      // Subscribing again to what it has already takes no room.
      expect(
        await ask(c, { method: "SUBSCRIBE", params: ["btcusd_perp@aggTrade", "btcusd_perp@trade"], id: 3 }),
      ).toEqual({
        result: null,
        id: 3,
      });
    });

    it("accepts a URL with too many streams and then closes it with 1008", async () => {
      await start({ marketStream: { maxStreams: 2 } });
      const c = await open("/stream?streams=btcusd_perp@aggTrade/btcusd_perp@depth/btcusd_perp@trade");
      expect(await c.waitClose()).toEqual({ code: 1008, reason: "too many streams" });
      expect(h.market.connectionCount()).toBe(0);
    });

    it("accepts a URL with a malformed stream name and then closes it with 1008", async () => {
      await start();
      const c = await open("/ws/btcusd perp@aggTrade");
      expect(await c.waitClose()).toEqual({ code: 1008, reason: "invalid stream" });
    });

    it("pings every 3 minutes and closes a connection after 24 hours with 1000", async () => {
      await start();
      const c = await open("/ws/btcusd_perp@aggTrade");
      let pings = 0;
      c.ws.on("ping", () => pings++);
      h.clock += 3 * 60_000;
      h.market.sweep();
      await ask(c, { method: "LIST_SUBSCRIPTIONS", id: 1 });
      expect(pings).toBe(1);
      h.clock = T0 + 24 * 60 * 60_000;
      h.market.sweep();
      expect(await c.waitClose()).toEqual({ code: 1000, reason: "connection lifetime ended" });
    });

    it("closes every connection with 1001 when the venue shuts down", async () => {
      await start();
      const c = await open("/ws/btcusd_perp@aggTrade");
      h.market.close();
      expect(await c.waitClose()).toEqual({ code: 1001, reason: "venue shutting down" });
    });
  });
});
