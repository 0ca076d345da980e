// The WebSocket side of the user-data stream (ws), on the venue's own port:
// `/pm/ws/<listenKey>` sends raw events, `/pm/stream?streams=<listenKey>` wraps each as
// {"stream","data"}. Events come from the venue after their batch commits, in commit
// order, to every socket of the account's live key. The keepalive is Binance's
// (sockets.ts); a client that lets more than a few MB queue up is closed with 1008
// instead of growing memory; a lapsed key gets {"e":"listenKeyExpired"} and a close.
// Upgrades bypass the REST stack, so every refusal here (bad key, bad handshake) is
// answered with a Binance error body too, and nothing a client sends may throw out of
// the upgrade listener.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { VenueError } from "../domain/errors.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { VenueEvent } from "../venue/events.js";
import type { Venue } from "../venue/venue.js";
import type { ListenKeys } from "./listen-keys.js";
import { CLOSE, closeSocket, Keepalive, type KeepaliveOptions, refuse } from "./sockets.js";
import {
  accountConfigUpdate,
  accountUpdate,
  conditionalOrderTradeUpdate,
  orderTradeUpdate,
  riskLevelChange,
} from "./wire.js";

export interface UserStreamOptions extends KeepaliveOptions {
  /** Bytes a socket may have queued before it is closed as too slow. */
  readonly maxBufferedBytes?: number;
  /** How often expiry, pings and lifetimes are checked; 0 leaves it to `sweep()` (tests). */
  readonly sweepIntervalMs?: number;
}

interface Connection {
  readonly ws: WebSocket;
  /** The listenKeys this socket receives. */
  readonly keys: Set<string>;
  /** Combined-stream socket: events wrapped as {"stream","data"}, SUBSCRIBE accepted. */
  readonly combined: boolean;
  readonly connectedAt: number;
  lastPong: number;
  lastPing: number;
  holds?: Set<number>;
  /** Events a pause fault holds back, in order, as they would have been sent, and their size. */
  held?: string[] | undefined;
  heldBytes?: number;
}

export class UserStream {
  // Clients only ever send small SUBSCRIBE messages; ws would otherwise buffer up to 100 MB.
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
  });
  private readonly byKey = new Map<string, Set<Connection>>();
  private readonly connections = new Set<Connection>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private readonly keepalive: Keepalive;
  private readonly maxBufferedBytes: number;
  private closing = false;

  constructor(
    private readonly venue: Venue,
    private readonly keys: ListenKeys,
    private readonly now: () => number,
    options: UserStreamOptions = {},
  ) {
    this.keepalive = new Keepalive(options);
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.unsubscribe = venue.subscribe(
      (events) => this.publish(events),
      (accountId) => {
        const key = this.keys.keyOf(accountId);
        return key !== undefined && (this.byKey.get(key)?.size ?? 0) > 0;
      },
    );
    // ws answers a bad handshake with a text body unless someone listens for it.
    this.wss.on("wsClientError", (error: Error, socket: Duplex) => {
      refuse(socket, 400, new VenueError("BAD_WEBSOCKET_HANDSHAKE", error.message).toJSON());
    });
    const every = options.sweepIntervalMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => this.sweep(), every);
      this.timer.unref();
    }
  }

  /** Whether a path is the user-data stream's. */
  static takes(pathname: string): boolean {
    return pathname.startsWith("/pm/ws/") || pathname === "/pm/stream";
  }

  /** Takes an upgrade for one of the user-data stream's paths (upgrades.ts routes it here). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    if (this.closing) {
      refuse(socket, 503, new VenueError("DISCONNECTED").toJSON());
      return;
    }
    let keys: string[];
    let combined = false;
    if (url.pathname.startsWith("/pm/ws/")) keys = [url.pathname.slice("/pm/ws/".length)];
    else {
      combined = true;
      keys = (url.searchParams.get("streams") ?? "").split("/").filter((k) => k !== "");
    }
    // A combined stream may open empty and SUBSCRIBE later, as Binance's connectors do.
    if ((!combined && keys.length === 0) || keys.some((k) => this.keys.accountOf(k) === undefined)) {
      refuse(socket, 400, new VenueError("INVALID_LISTEN_KEY").toJSON());
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const at = this.now();
      const conn: Connection = { ws, keys: new Set(), combined, connectedAt: at, lastPong: at, lastPing: at };
      this.connections.add(conn);
      for (const key of keys) this.join(conn, key);
      ws.on("pong", () => {
        conn.lastPong = this.now();
      });
      ws.on("close", () => this.forget(conn));
      ws.on("error", () => ws.terminate());
      ws.on("message", (data) => this.request(conn, data.toString()));
    });
  }

  /** SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS on a combined stream; anything else is ignored. */
  private request(conn: Connection, text: string): void {
    if (!conn.combined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    // `null`, numbers and strings are valid JSON too.
    if (typeof parsed !== "object" || parsed === null) return;
    const message = parsed as { method?: unknown; params?: unknown; id?: unknown };
    const id = typeof message.id === "number" || typeof message.id === "string" ? message.id : null;
    const params = Array.isArray(message.params)
      ? message.params.filter((p): p is string => typeof p === "string")
      : [];
    if (message.method === "SUBSCRIBE") {
      if (params.some((k) => this.keys.accountOf(k) === undefined)) {
        conn.ws.send(JSON.stringify({ error: new VenueError("INVALID_LISTEN_KEY").toJSON(), id }));
        return;
      }
      for (const key of params) this.join(conn, key);
      conn.ws.send(JSON.stringify({ result: null, id }));
    } else if (message.method === "UNSUBSCRIBE") {
      for (const key of params) this.leave(conn, key);
      conn.ws.send(JSON.stringify({ result: null, id }));
    } else if (message.method === "LIST_SUBSCRIPTIONS") {
      conn.ws.send(JSON.stringify({ result: [...conn.keys], id }));
    }
  }

  private join(conn: Connection, key: string): void {
    conn.keys.add(key);
    let set = this.byKey.get(key);
    if (!set) {
      set = new Set();
      this.byKey.set(key, set);
    }
    set.add(conn);
  }

  private leave(conn: Connection, key: string): void {
    conn.keys.delete(key);
    this.byKey.get(key)?.delete(conn);
  }

  private forget(conn: Connection): void {
    for (const key of conn.keys) this.byKey.get(key)?.delete(conn);
    conn.keys.clear();
    this.connections.delete(conn);
  }

  private publish(events: readonly VenueEvent[]): void {
    const at = this.now();
    for (const event of events) {
      const key = this.keys.keyOf(event.accountId);
      if (!key) continue;
      const conns = this.byKey.get(key);
      if (!conns || conns.size === 0) continue;
      const alias = this.venue.alias(event.accountId) ?? "";
      const body =
        event.kind === "order"
          ? orderTradeUpdate(event, this.symbol(event.order.symbol), alias, at)
          : event.kind === "risk"
            ? riskLevelChange(event, at)
            : event.kind === "config"
              ? accountConfigUpdate(event, at)
              : event.kind === "strategy"
                ? conditionalOrderTradeUpdate(event, this.symbol(event.strategy.symbol), at)
                : accountUpdate(
                    event,
                    alias,
                    at,
                    (s) => this.symbol(s),
                    (s) => this.venue.markPrice(s),
                  );
      this.send(conns, key, JSON.stringify(body));
    }
  }

  private symbol(name: string): SymbolSpec {
    const spec = this.venue.symbol(name);
    if (!spec) throw new Error(`event for unlisted symbol ${name}`);
    return spec;
  }

  private send(conns: Iterable<Connection>, key: string, raw: string): void {
    let wrapped: string | undefined;
    for (const conn of conns) {
      if (conn.ws.readyState !== conn.ws.OPEN) continue;
      if (conn.ws.bufferedAmount > this.maxBufferedBytes) {
        this.drop(conn, CLOSE.POLICY, "client too slow");
        continue;
      }
      if (conn.combined) wrapped ??= `{"stream":${JSON.stringify(key)},"data":${raw}}`;
      const text = conn.combined ? wrapped! : raw;
      if (conn.holds?.size) {
        conn.held ??= [];
        conn.held.push(text);
        conn.heldBytes = (conn.heldBytes ?? 0) + text.length;
        // A paused socket that falls this far behind goes the way of a slow one.
        if (conn.heldBytes > this.maxBufferedBytes) this.drop(conn, CLOSE.POLICY, "client too slow");
      } else conn.ws.send(text);
    }
  }

  /** Whether one of the socket's listenKeys is the account's. */
  private owns(conn: Connection, accountId: number): boolean {
    for (const key of conn.keys) if (this.keys.accountOf(key) === accountId) return true;
    return false;
  }

  /**
   * Cuts the account's connections (every one without an account) with no close frame,
   * as a network fault would; `count` at most; answers how many.
   */
  cut(accountId: number | undefined, count: number | undefined): number {
    let cut = 0;
    for (const conn of [...this.connections]) {
      if (count !== undefined && cut >= count) break;
      if (accountId !== undefined && !this.owns(conn, accountId)) continue;
      this.forget(conn);
      conn.ws.terminate();
      cut++;
    }
    return cut;
  }

  /** Holds the events of the account's open connections (every one's without an account) until `release`. */
  hold(faultId: number, accountId: number | undefined): number {
    let held = 0;
    for (const conn of this.connections) {
      if (accountId !== undefined && !this.owns(conn, accountId)) continue;
      conn.holds ??= new Set();
      conn.holds.add(faultId);
      held++;
    }
    return held;
  }

  /** Sends what a pause held, in order, to the connections it no longer holds. */
  release(faultId: number): void {
    for (const conn of this.connections) {
      if (!conn.holds?.delete(faultId) || conn.holds.size > 0) continue;
      const held = conn.held ?? [];
      conn.held = undefined;
      conn.heldBytes = 0;
      for (const text of held) if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(text);
    }
  }

  private drop(conn: Connection, code: number, reason: string, graceMs = 10_000): void {
    this.forget(conn);
    closeSocket(conn.ws, code, reason, graceMs);
  }

  /** Open stream connections. */
  connectionCount(): number {
    return this.connections.size;
  }

  /** Closes the sockets of a key that was deleted. */
  closeKey(key: string): void {
    for (const conn of [...(this.byKey.get(key) ?? [])]) this.drop(conn, CLOSE.NORMAL, "listenKey closed");
    this.byKey.delete(key);
  }

  /** Expires lapsed keys (telling their sockets), pings, and drops dead or too old connections. */
  sweep(): void {
    const at = this.now();
    for (const key of this.keys.expire()) {
      const conns = [...(this.byKey.get(key) ?? [])];
      this.send(conns, key, JSON.stringify({ e: "listenKeyExpired", E: at }));
      for (const conn of conns) this.drop(conn, CLOSE.NORMAL, "listenKey expired");
      this.byKey.delete(key);
    }
    this.keepalive.sweep(
      this.connections,
      at,
      (conn, code, reason) => this.drop(conn, code, reason),
      (conn) => this.forget(conn),
    );
  }

  /**
   * Stops the timers and closes every socket with 1001. A peer that does not answer the
   * close within a second is cut off, so it cannot hold the server's shutdown open.
   */
  close(): void {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    for (const conn of [...this.connections]) {
      this.drop(conn, CLOSE.GOING_AWAY, "venue shutting down", 1000);
    }
    this.byKey.clear();
    this.wss.close();
  }
}
