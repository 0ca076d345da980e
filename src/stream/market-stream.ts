// The market streams' WebSocket server, at dstream's paths on the venue's own port:
// `/ws/<stream>` (raw events; `/ws` alone, or `/ws/<anything>`, and SUBSCRIBE later, as
// ccxt does), and `/stream?streams=a/b` (each event wrapped as {"stream","data"}, the
// stream spelled as the client subscribed it). Requests (stream-requests.ts) are
// answered as Binance answers them; which stream says what, and when, is
// market-feeds.ts. The keepalive is Binance's (sockets.ts).
//
// A connection the venue does not want is accepted and then closed with a close code,
// never refused with an HTTP error: Binance's official connector turns a refused
// upgrade into an uncaught exception that ends the user's program. So a malformed
// stream name or more than 1,024 streams in the URL, more than 10 incoming messages
// (frames of text, ping or pong) in one second, or a client that lets a few MB of
// events queue up is closed with 1008, and a venue shutting down closes with 1001.
//
// Venue choices where Binance's pages leave room: a SUBSCRIBE past 1,024 streams is
// answered with code 2 "Invalid request: too many streams" and subscribes none of them;
// a well-formed name that is no stream of a listed contract is subscribed (and listed)
// and carries nothing.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { VenueError } from "../domain/errors.js";
import type { Venue } from "../venue/venue.js";
import { textFrame } from "./frames.js";
import { MarketFeeds } from "./market-feeds.js";
import { CLOSE, closeSocket, Keepalive, type KeepaliveOptions, type Kept, refuse } from "./sockets.js";
import { parseStream } from "./stream-names.js";
import {
  isStreamError,
  isStreamName,
  readRequest,
  type StreamError,
  type StreamRequest,
} from "./stream-requests.js";

/** Sockets written per event-loop turn when a burst of events goes out. */
const FLUSH_BATCH = 64;

export interface MarketStreamOptions extends KeepaliveOptions {
  /** Bytes a socket may have queued before it is closed as too slow. */
  readonly maxBufferedBytes?: number;
  /** How often pings and lifetimes are checked; 0 leaves it to `sweep()` (tests). */
  readonly sweepIntervalMs?: number;
  /** How often the feeds' clock is looked at; 0 leaves it to `tick()` (tests). */
  readonly tickMs?: number;
  readonly maxStreams?: number;
  readonly maxMessagesPerSecond?: number;
}

interface Connection extends Kept {
  /** The socket under the WebSocket: events are written to it as ready-made frames. */
  readonly socket: Duplex;
  /** Event frames waiting for the end of the burst (see `write`). */
  pending: Buffer[];
  /** Event frames a pause fault holds back, in order, and their size. */
  held?: Buffer[] | undefined;
  heldBytes?: number;
  combined: boolean;
  /** Canonical name -> the name as the client spelled it, in subscription order. */
  readonly streams: Map<string, string>;
  /** The second (of the clock) its incoming messages are being counted in, and how many. */
  second: number;
  messages: number;
  closed: boolean;
}

export class MarketStream {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
  });
  private readonly connections = new Set<Connection>();
  /** Canonical stream -> each subscribed connection with its spelling of the stream. */
  private readonly subscribers = new Map<string, Map<Connection, string>>();
  private readonly feeds: MarketFeeds;
  /** Sockets with frames queued, in the order they were first written to. */
  private waiting: Connection[] = [];
  private readonly keepalive: Keepalive;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Runs while some feed does, so an idle venue's clock wakes nobody. */
  private ticker: NodeJS.Timeout | undefined;
  private readonly tickMs: number;
  private readonly maxBufferedBytes: number;
  private readonly maxStreams: number;
  private readonly maxMessages: number;
  private closing = false;

  constructor(
    private readonly venue: Venue,
    private readonly now: () => number,
    options: MarketStreamOptions = {},
  ) {
    this.keepalive = new Keepalive(options);
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.maxStreams = options.maxStreams ?? 1024;
    this.maxMessages = options.maxMessagesPerSecond ?? 10;
    this.feeds = new MarketFeeds(venue, now, (canonical, event) => this.publish(canonical, event));
    this.wss.on("wsClientError", (error: Error, socket: Duplex) => {
      refuse(socket, 400, new VenueError("BAD_WEBSOCKET_HANDSHAKE", error.message).toJSON());
    });
    const sweepMs = options.sweepIntervalMs ?? 1000;
    if (sweepMs > 0) this.timers.push(setInterval(() => this.sweep(), sweepMs));
    this.tickMs = options.tickMs ?? 25;
    for (const timer of this.timers) timer.unref();
  }

  /** Whether a path is a market stream's. */
  static takes(pathname: string): boolean {
    return (
      pathname === "/ws" || pathname.startsWith("/ws/") || pathname === "/stream" || pathname === "/stream/"
    );
  }

  /** Takes an upgrade for one of the market streams' paths (upgrades.ts routes it here). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const combined = url.pathname.startsWith("/stream");
    const names = (combined ? (url.searchParams.get("streams") ?? "") : url.pathname.slice("/ws".length))
      .split("/")
      .filter((n) => n !== "");
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const at = this.now();
      const conn: Connection = {
        ws,
        socket,
        pending: [],
        combined,
        streams: new Map(),
        connectedAt: at,
        lastPing: at,
        lastPong: at,
        second: Math.floor(at / 1000),
        messages: 0,
        closed: false,
      };
      if (this.closing) {
        closeSocket(ws, CLOSE.GOING_AWAY, "venue shutting down", 1000);
        return;
      }
      if (names.some((n) => !isStreamName(n))) {
        closeSocket(ws, CLOSE.POLICY, "invalid stream");
        return;
      }
      if (names.length > this.maxStreams) {
        closeSocket(ws, CLOSE.POLICY, "too many streams");
        return;
      }
      this.connections.add(conn);
      for (const name of names) this.join(conn, name);
      ws.on("ping", () => this.counted(conn));
      ws.on("pong", () => {
        conn.lastPong = this.now();
        this.counted(conn);
      });
      ws.on("close", () => this.forget(conn));
      ws.on("error", () => ws.terminate());
      ws.on("message", (data, isBinary) => {
        if (!this.counted(conn) || isBinary) return;
        this.answer(conn, readRequest(data.toString()));
      });
    });
  }

  /** Counts an incoming message; false (and the connection closed) past the limit. */
  private counted(conn: Connection): boolean {
    if (conn.closed) return false;
    const second = Math.floor(this.now() / 1000);
    if (second !== conn.second) {
      conn.second = second;
      conn.messages = 0;
    }
    conn.messages++;
    if (conn.messages <= this.maxMessages) return true;
    this.drop(conn, CLOSE.POLICY, "too many requests");
    return false;
  }

  private answer(conn: Connection, request: StreamRequest | StreamError): void {
    if (isStreamError(request)) {
      this.reply(conn, request);
      return;
    }
    const id = request.id;
    switch (request.method) {
      case "SUBSCRIBE": {
        const named = request.streams.map((name) => ({ name, parsed: parseStream(name, this.venue) }));
        const fresh = new Set(named.map((n) => n.parsed?.canonical ?? n.name));
        for (const c of conn.streams.keys()) fresh.delete(c);
        if (conn.streams.size + fresh.size > this.maxStreams) {
          this.reply(conn, { error: { code: 2, msg: "Invalid request: too many streams" }, id });
          return;
        }
        for (const { name, parsed } of named) this.join(conn, name, parsed);
        this.reply(conn, { result: null, id });
        return;
      }
      case "UNSUBSCRIBE":
        for (const name of request.streams) this.leave(conn, canonicalOf(name, this.venue));
        this.reply(conn, { result: null, id });
        return;
      case "LIST_SUBSCRIPTIONS":
        this.reply(conn, { result: [...conn.streams.values()], id });
        return;
      case "SET_PROPERTY":
        conn.combined = request.combined;
        this.reply(conn, { result: null, id });
        return;
      case "GET_PROPERTY":
        this.reply(conn, { result: conn.combined, id });
        return;
    }
  }

  private reply(conn: Connection, body: unknown): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    // Events queued before the request go out before its answer.
    if (conn.pending.length > 0) {
      conn.socket.write(Buffer.concat(conn.pending));
      conn.pending = [];
    }
    conn.ws.send(JSON.stringify(body));
  }

  private join(conn: Connection, name: string, parsed = parseStream(name, this.venue)): void {
    const canonical = parsed?.canonical ?? name;
    if (conn.streams.has(canonical)) return;
    conn.streams.set(canonical, name);
    let subs = this.subscribers.get(canonical);
    if (!subs) {
      subs = new Map();
      this.subscribers.set(canonical, subs);
      if (parsed) {
        this.feeds.add(canonical, parsed.key);
        if (!this.ticker && this.tickMs > 0) {
          this.ticker = setInterval(() => void this.tick(), this.tickMs);
          this.ticker.unref();
        }
      }
    }
    subs.set(conn, name);
  }

  private leave(conn: Connection, canonical: string): void {
    if (!conn.streams.delete(canonical)) return;
    const subs = this.subscribers.get(canonical);
    if (!subs) return;
    subs.delete(conn);
    if (subs.size === 0) {
      this.subscribers.delete(canonical);
      this.feeds.remove(canonical);
      if (this.feeds.size === 0 && this.ticker) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    }
  }

  private forget(conn: Connection): void {
    conn.closed = true;
    for (const canonical of [...conn.streams.keys()]) this.leave(conn, canonical);
    this.connections.delete(conn);
  }

  private drop(conn: Connection, code: number, reason: string, graceMs?: number): void {
    this.forget(conn);
    closeSocket(conn.ws, code, reason, graceMs);
  }

  /**
   * Sends one event to every subscriber of the stream. It is serialized and framed once
   * per spelling (one text frame, as ws would build it), not once per socket, and the
   * frame is written to each socket directly: with a thousand subscribers an event costs
   * one JSON.stringify and one frame, then a write per socket.
   */
  private publish(canonical: string, event: unknown): void {
    const subs = this.subscribers.get(canonical);
    if (!subs || subs.size === 0) return;
    const raw = JSON.stringify(event);
    let rawFrame: Buffer | undefined;
    let wrapped: Map<string, Buffer> | undefined;
    for (const [conn, spelled] of subs) {
      if (conn.ws.readyState !== conn.ws.OPEN) continue;
      if (conn.ws.bufferedAmount > this.maxBufferedBytes) {
        this.drop(conn, CLOSE.POLICY, "client too slow");
        continue;
      }
      let frame: Buffer;
      if (!conn.combined) frame = rawFrame ??= textFrame(raw);
      else {
        wrapped ??= new Map();
        let made = wrapped.get(spelled);
        if (made === undefined) {
          made = textFrame(`{"stream":${JSON.stringify(spelled)},"data":${raw}}`);
          wrapped.set(spelled, made);
        }
        frame = made;
      }
      this.write(conn, frame);
    }
  }

  /**
   * Queues a frame for the socket; the queue is written in one piece once this burst of
   * events (a commit's, or a tick's) is over: every event a burst sends to one socket
   * leaves in one write, not one system call per event. The queues are written a few
   * dozen sockets at a time, one event-loop turn apart, so that a thousand subscribers
   * never hold the venue's requests up for a whole round. ws writes its own frames
   * (answers, pings, closes) straight to the socket, so a queue holds only events.
   */
  private write(conn: Connection, frame: Buffer): void {
    if (conn.holds?.size) {
      conn.held ??= [];
      conn.held.push(frame);
      conn.heldBytes = (conn.heldBytes ?? 0) + frame.length;
      // A paused socket that falls this far behind goes the way of a slow one.
      if (conn.heldBytes > this.maxBufferedBytes) this.drop(conn, CLOSE.POLICY, "client too slow");
      return;
    }
    if (conn.pending.length === 0) {
      if (this.waiting.length === 0) process.nextTick(() => this.flush());
      this.waiting.push(conn);
    }
    conn.pending.push(frame);
  }

  private flush(): void {
    const batch = this.waiting.splice(0, FLUSH_BATCH);
    for (const conn of batch) {
      const frames = conn.pending;
      conn.pending = [];
      if (frames.length === 0 || conn.ws.readyState !== conn.ws.OPEN) continue;
      conn.socket.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
    }
    if (this.waiting.length > 0) setImmediate(() => this.flush());
  }

  /** Lets the feeds whose period has come speak (market-feeds.ts); settles when they have. */
  tick(at: number = this.now()): Promise<void> {
    return this.feeds.tick(at);
  }

  /** Pings, and drops connections past their lifetime or silent too long. */
  sweep(): void {
    const at = this.now();
    this.keepalive.sweep(
      this.connections,
      at,
      (conn, code, reason) => this.drop(conn, code, reason),
      (conn) => this.forget(conn),
    );
  }

  /** Cuts connections without a close frame, as a network fault would; `count` at most. */
  cut(count: number | undefined): number {
    let cut = 0;
    for (const conn of [...this.connections]) {
      if (count !== undefined && cut >= count) break;
      this.forget(conn);
      conn.ws.terminate();
      cut++;
    }
    return cut;
  }

  /** Holds the events of every open connection until `release(faultId)`; answers how many. */
  hold(faultId: number): number {
    for (const conn of this.connections) {
      conn.holds ??= new Set();
      conn.holds.add(faultId);
    }
    return this.connections.size;
  }

  /** Sends what a pause held, in order, to the connections it no longer holds. */
  release(faultId: number): void {
    for (const conn of this.connections) {
      if (!conn.holds?.delete(faultId) || conn.holds.size > 0) continue;
      const held = conn.held ?? [];
      conn.held = undefined;
      conn.heldBytes = 0;
      for (const frame of held) this.write(conn, frame);
    }
  }

  /** Open market-stream connections. */
  connectionCount(): number {
    return this.connections.size;
  }

  /** Streams with a feed running (someone subscribed to a stream of a listed contract). */
  feedCount(): number {
    return this.feeds.size;
  }

  /** Stops the timers and closes every socket with 1001; a peer that does not answer within a second is cut off. */
  close(): void {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.ticker) clearInterval(this.ticker);
    this.feeds.stop();
    for (const conn of [...this.connections]) this.drop(conn, CLOSE.GOING_AWAY, "venue shutting down", 1000);
    this.wss.close();
  }
}

function canonicalOf(name: string, venue: Venue): string {
  return parseStream(name, venue)?.canonical ?? name;
}
