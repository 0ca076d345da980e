// The market streams' WebSocket server, at dstream's paths on the venue's own port:
// `/ws/<stream>` (raw events; `/ws` alone, or `/ws/<anything>`, and SUBSCRIBE later, as
// ccxt does), and `/stream?streams=a/b` (each event wrapped as {"stream","data"}, the
// stream spelled as the client subscribed it). Requests (stream-requests.ts) are
// answered as Binance answers them; which stream says what, and when, is
// market-feeds.ts. The keepalive is Binance's (sockets.ts). The sockets themselves (the
// handshake, the frames, the writes, a slow reader's buffer) are market-sockets.ts, in
// this process or in one of its own: this file decides, that one writes.
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
import type { Venue } from "../venue/venue.js";
import { MarketFeeds } from "./market-feeds.js";
import {
  type CloseOrder,
  LocalMarketSockets,
  type MarketSockets,
  type SocketEvents,
} from "./market-sockets.js";
import { CLOSE, Keepalive, type KeepaliveOptions, type Kept } from "./sockets.js";
import { parseStream } from "./stream-names.js";
import {
  isStreamError,
  isStreamName,
  readRequest,
  type StreamError,
  type StreamRequest,
} from "./stream-requests.js";

export interface MarketStreamOptions extends KeepaliveOptions {
  /** Bytes a socket may have queued before it is closed as too slow. */
  readonly maxBufferedBytes?: number;
  /** How often pings and lifetimes are checked; 0 leaves it to `sweep()` (tests). */
  readonly sweepIntervalMs?: number;
  /** How often the feeds' clock is looked at; 0 leaves it to `tick()` (tests). */
  readonly tickMs?: number;
  readonly maxStreams?: number;
  readonly maxMessagesPerSecond?: number;
  /** Where the sockets are held; in this process when not given. */
  readonly sockets?: (events: SocketEvents) => MarketSockets;
}

interface Connection extends Kept {
  readonly id: number;
  combined: boolean;
  /** Canonical name -> the name as the client spelled it, in subscription order. */
  readonly streams: Map<string, string>;
  /** The second (of the clock) its incoming messages are being counted in, and how many. */
  second: number;
  messages: number;
  closed: boolean;
}

export class MarketStream {
  private readonly connections = new Map<number, Connection>();
  /** Canonical stream -> its subscribed connections. */
  private readonly subscribers = new Map<string, Set<Connection>>();
  private readonly feeds: MarketFeeds;
  private readonly sockets: MarketSockets;
  private nextId = 0;
  private readonly keepalive: Keepalive;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Runs while some feed does, so an idle venue's clock wakes nobody. */
  private ticker: NodeJS.Timeout | undefined;
  private readonly tickMs: number;
  private readonly maxStreams: number;
  private readonly maxMessages: number;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly venue: Venue,
    private readonly now: () => number,
    options: MarketStreamOptions = {},
  ) {
    this.keepalive = new Keepalive(options);
    this.maxStreams = options.maxStreams ?? 1024;
    this.maxMessages = options.maxMessagesPerSecond ?? 10;
    this.feeds = new MarketFeeds(venue, now, (canonical, event) => this.publish(canonical, event));
    const events: SocketEvents = {
      message: (id, text) => {
        const conn = this.connections.get(id);
        if (!conn || !this.counted(conn) || text === undefined) return;
        this.answer(conn, readRequest(text));
      },
      ping: (id) => {
        const conn = this.connections.get(id);
        if (conn) this.counted(conn);
      },
      pong: (id) => {
        const conn = this.connections.get(id);
        if (!conn) return;
        conn.lastPong = this.now();
        this.counted(conn);
      },
      closed: (id) => {
        const conn = this.connections.get(id);
        if (conn) this.forget(conn);
      },
    };
    this.sockets =
      options.sockets?.(events) ??
      new LocalMarketSockets(events, { maxBufferedBytes: options.maxBufferedBytes });
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
    const id = ++this.nextId;
    const refusal: CloseOrder | undefined = this.closing
      ? { code: CLOSE.GOING_AWAY, reason: "venue shutting down", graceMs: 1000 }
      : names.some((n) => !isStreamName(n))
        ? { code: CLOSE.POLICY, reason: "invalid stream" }
        : names.length > this.maxStreams
          ? { code: CLOSE.POLICY, reason: "too many streams" }
          : undefined;
    if (refusal) {
      this.sockets.open(id, req, socket, head, refusal);
      return;
    }
    const at = this.now();
    const conn: Connection = {
      id,
      ws: { ping: () => this.sockets.ping(id), terminate: () => this.sockets.terminate(id) },
      combined,
      streams: new Map(),
      connectedAt: at,
      lastPing: at,
      lastPong: at,
      second: Math.floor(at / 1000),
      messages: 0,
      closed: false,
    };
    // Known before the socket is opened: a handshake that fails is told at once, and forgets it.
    this.connections.set(id, conn);
    this.sockets.open(id, req, socket, head);
    if (conn.closed) return;
    if (combined) this.sockets.setCombined(id, true);
    for (const name of names) this.join(conn, name);
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
        for (const name of request.streams) {
          const canonical = canonicalOf(name, this.venue);
          if (this.leave(conn, canonical)) this.sockets.leave(conn.id, canonical);
        }
        this.reply(conn, { result: null, id });
        return;
      case "LIST_SUBSCRIPTIONS":
        this.reply(conn, { result: [...conn.streams.values()], id });
        return;
      case "SET_PROPERTY":
        conn.combined = request.combined;
        this.sockets.setCombined(conn.id, request.combined);
        this.reply(conn, { result: null, id });
        return;
      case "GET_PROPERTY":
        this.reply(conn, { result: conn.combined, id });
        return;
    }
  }

  private reply(conn: Connection, body: unknown): void {
    this.sockets.reply(conn.id, JSON.stringify(body));
  }

  private join(conn: Connection, name: string, parsed = parseStream(name, this.venue)): void {
    const canonical = parsed?.canonical ?? name;
    if (conn.streams.has(canonical)) return;
    conn.streams.set(canonical, name);
    this.sockets.join(conn.id, canonical, name);
    let subs = this.subscribers.get(canonical);
    if (!subs) {
      subs = new Set();
      this.subscribers.set(canonical, subs);
      if (parsed) {
        this.feeds.add(canonical, parsed.key);
        if (!this.ticker && this.tickMs > 0) {
          this.ticker = setInterval(() => void this.tick(), this.tickMs);
          this.ticker.unref();
        }
      }
    }
    subs.add(conn);
  }

  /** Takes the connection off a stream here (the sockets' side is told by the caller); false if it was not on it. */
  private leave(conn: Connection, canonical: string): boolean {
    if (!conn.streams.delete(canonical)) return false;
    const subs = this.subscribers.get(canonical);
    if (!subs) return true;
    subs.delete(conn);
    if (subs.size === 0) {
      this.subscribers.delete(canonical);
      this.feeds.remove(canonical);
      if (this.feeds.size === 0 && this.ticker) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    }
    return true;
  }

  /** Forgets a connection here; the sockets' side forgets it as it closes or cuts it. */
  private forget(conn: Connection): void {
    conn.closed = true;
    for (const canonical of [...conn.streams.keys()]) this.leave(conn, canonical);
    this.connections.delete(conn.id);
  }

  private drop(conn: Connection, code: number, reason: string, graceMs?: number): void {
    this.forget(conn);
    this.sockets.close(conn.id, { code, reason, graceMs });
  }

  /** Hands one event to the sockets of its stream: serialized once, framed there once per spelling. */
  private publish(canonical: string, event: unknown): void {
    const subs = this.subscribers.get(canonical);
    if (!subs || subs.size === 0) return;
    this.sockets.publish(canonical, JSON.stringify(event));
  }

  /** Lets the feeds whose period has come speak (market-feeds.ts); settles when they have. */
  tick(at: number = this.now()): Promise<void> {
    return this.feeds.tick(at);
  }

  /** Pings, and drops connections past their lifetime or silent too long. */
  sweep(): void {
    const at = this.now();
    this.keepalive.sweep(
      this.connections.values(),
      at,
      (conn, code, reason) => this.drop(conn, code, reason),
      (conn) => this.forget(conn),
    );
  }

  /** Cuts connections without a close frame, as a network fault would; `count` at most. */
  cut(count: number | undefined): number {
    let cut = 0;
    for (const conn of [...this.connections.values()]) {
      if (count !== undefined && cut >= count) break;
      this.forget(conn);
      this.sockets.terminate(conn.id);
      cut++;
    }
    return cut;
  }

  /** Holds the events of every open connection until `release(faultId)`; answers how many. */
  hold(faultId: number): number {
    for (const conn of this.connections.values()) {
      conn.holds ??= new Set();
      if (conn.holds.size === 0) this.sockets.hold(conn.id);
      conn.holds.add(faultId);
    }
    return this.connections.size;
  }

  /** Sends what a pause held, in order, to the connections it no longer holds. */
  release(faultId: number): void {
    for (const conn of this.connections.values()) {
      if (!conn.holds?.delete(faultId) || conn.holds.size > 0) continue;
      this.sockets.release(conn.id);
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

  /**
   * Stops the timers and closes every socket with 1001; a peer that does not answer
   * within a second is cut off. Settles when the sockets are gone.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    for (const timer of this.timers) clearInterval(timer);
    if (this.ticker) clearInterval(this.ticker);
    this.feeds.stop();
    for (const conn of [...this.connections.values()])
      this.drop(conn, CLOSE.GOING_AWAY, "venue shutting down", 1000);
    this.closing = this.sockets.shutdown();
    return this.closing;
  }
}

function canonicalOf(name: string, venue: Venue): string {
  return parseStream(name, venue)?.canonical ?? name;
}
