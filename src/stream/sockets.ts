// What every stream socket of the venue shares: the close codes it uses, the keepalive
// Binance's stream servers run (a ping every 3 minutes, a peer silent for 10 dropped,
// at most 24 hours per connection), closing a socket so a peer that never reads cannot
// hold it open, and answering an upgrade the venue does not take with an HTTP error
// and a Binance error body.

import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";

/** Close codes the venue uses. */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** Policy violation: too slow, too many requests or streams. */
  POLICY: 1008,
} as const;

export interface KeepaliveOptions {
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  readonly maxLifetimeMs?: number;
}

/** What the keepalive does to a socket: a WebSocket, or a market socket held elsewhere (market-sockets.ts). */
export interface Pingable {
  ping(): void;
  terminate(): void;
}

/** A socket as the keepalive sees it. */
export interface Kept {
  readonly ws: Pingable;
  readonly connectedAt: number;
  lastPing: number;
  lastPong: number;
  /** The admin's pause faults holding this socket's events, by faultId (api/faults.ts). */
  holds?: Set<number>;
}

export class Keepalive {
  private readonly pingIntervalMs: number;
  private readonly pongTimeoutMs: number;
  private readonly maxLifetimeMs: number;

  constructor(options: KeepaliveOptions = {}) {
    this.pingIntervalMs = options.pingIntervalMs ?? 3 * 60_000;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 10 * 60_000;
    this.maxLifetimeMs = options.maxLifetimeMs ?? 24 * 60 * 60_000;
  }

  /**
   * Pings each connection when due; closes one that outlived its day with 1000 (`drop`)
   * and cuts one that stopped answering (`forget`, then terminate).
   */
  sweep<C extends Kept>(
    connections: Iterable<C>,
    at: number,
    drop: (conn: C, code: number, reason: string) => void,
    forget: (conn: C) => void,
  ): void {
    for (const conn of [...connections]) {
      const state = this.check(conn, at);
      if (state === "lifetime") drop(conn, CLOSE.NORMAL, "connection lifetime ended");
      else if (state === "silent") {
        forget(conn);
        conn.ws.terminate();
      }
    }
  }

  /** Pings when due; says whether the connection outlived its day or stopped answering. */
  check(conn: Kept, at: number): "alive" | "lifetime" | "silent" {
    if (at - conn.connectedAt >= this.maxLifetimeMs) return "lifetime";
    // Only a ping left unanswered counts: a clock that jumps forward drops nobody.
    if (conn.lastPing > conn.lastPong && at - conn.lastPong >= this.pongTimeoutMs) return "silent";
    if (at - conn.lastPing >= this.pingIntervalMs) {
      conn.lastPing = at;
      conn.ws.ping();
    }
    return "alive";
  }
}

/**
 * Closes with a code; the close frame waits behind whatever is queued, so a peer that
 * never reads it is cut off after `graceMs`.
 */
export function closeSocket(ws: WebSocket, code: number, reason: string, graceMs = 10_000): void {
  ws.close(code, reason);
  setTimeout(() => ws.terminate(), graceMs).unref();
}

/** Answers an upgrade with an HTTP error and a Binance error body, then lets the socket go. */
export function refuse(socket: Duplex, status: number, body: { code: number; msg: string }): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
  // A peer that never closes its side would keep the socket (and a shutdown) open.
  setTimeout(() => socket.destroy(), 1000).unref();
}
