// The market streams' sockets: the part of the fan-out that touches the network. The
// stream's logic (market-stream.ts: subscriptions, requests, limits, keepalive, faults)
// decides and says so through `MarketSockets`; this side does the WebSocket handshake,
// frames each event once per spelling, writes every socket's events of a burst in one
// write, holds what a pause holds, and drops a socket that lets too much queue up. What
// its sockets say (requests, pings, pongs, closes) goes back through `SocketEvents`.
//
// It runs in the venue's process (`LocalMarketSockets`), or in a process of its own
// (forked-market-sockets.ts and market-sockets-process.ts) so that a thousand
// subscribers' writes are not made on the thread that commits. The calls carry plain
// values and keep their order either way, so both behave alike.
//
// Imports: `ws`, node, the error table, and the stream's frames and close codes; nothing
// of the venue's, so that it can run where the venue is not.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { VenueError } from "../domain/errors.js";
import { textFrame } from "./frames.js";
import { CLOSE, closeSocket, refuse } from "./sockets.js";

/** How long a shutdown lets closing sockets finish. */
const SHUTDOWN_GRACE_MS = 1000;

/** Sockets written per event-loop turn when a burst of events goes out. */
const FLUSH_BATCH = 64;

/** A close the stream's logic asked for: the handshake completes, then the socket closes with it. */
export interface CloseOrder {
  readonly code: number;
  readonly reason: string;
  readonly graceMs?: number | undefined;
}

/** What a socket's peer did, told to the stream's logic by connection id. */
export interface SocketEvents {
  /** A text message (undefined for a binary one). */
  message(id: number, text: string | undefined): void;
  ping(id: number): void;
  pong(id: number): void;
  /** The socket is gone: closed by its peer, failed its handshake, or dropped as too slow. */
  closed(id: number): void;
}

/** What the stream's logic asks of its sockets. Every call is in order and answers nothing. */
export interface MarketSockets {
  /** Takes an upgraded socket as connection `id`; with `close`, it closes right after the handshake. */
  open(id: number, req: IncomingMessage, socket: Duplex, head: Buffer, close?: CloseOrder): void;
  join(id: number, canonical: string, spelled: string): void;
  leave(id: number, canonical: string): void;
  setCombined(id: number, combined: boolean): void;
  /** One event (its JSON) to every socket on the stream, each in its own spelling. */
  publish(canonical: string, json: string): void;
  /** An answer to a request; the events queued before it go first. */
  reply(id: number, json: string): void;
  ping(id: number): void;
  close(id: number, order: CloseOrder): void;
  /** Cuts the socket without a close frame. */
  terminate(id: number): void;
  /** Holds the socket's events until `release`, then sends them in order. */
  hold(id: number): void;
  release(id: number): void;
  /** Settles when every socket is gone (closed, or cut a second after its close frame). */
  shutdown(): Promise<void>;
}

export interface MarketSocketOptions {
  /** Bytes a socket may have queued before it is closed as too slow. */
  readonly maxBufferedBytes?: number;
}

interface Socket {
  readonly id: number;
  ws?: WebSocket;
  /** The socket under the WebSocket: events are written to it as ready-made frames. */
  readonly raw: Duplex;
  /** Event frames waiting for the end of the burst (see `queue`). */
  pending: Buffer[];
  /** Frames a pause holds back, in order, and their size; undefined when not held. */
  held?: Buffer[] | undefined;
  heldBytes: number;
  combined: boolean;
  /** Canonical name -> the name as the client spelled it. */
  readonly streams: Map<string, string>;
}

export class LocalMarketSockets implements MarketSockets {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
  });
  private readonly sockets = new Map<number, Socket>();
  private readonly byRaw = new Map<Duplex, Socket>();
  /** Canonical stream -> its sockets. */
  private readonly subscribers = new Map<string, Set<Socket>>();
  /** Sockets with frames queued, in the order they were first written to. */
  private waiting: Socket[] = [];
  private readonly maxBufferedBytes: number;
  private readonly gone: (() => void)[] = [];

  constructor(
    private readonly events: SocketEvents,
    options: MarketSocketOptions = {},
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.wss.on("wsClientError", (error: Error, raw: Duplex) => {
      const socket = this.byRaw.get(raw);
      refuse(raw, 400, new VenueError("BAD_WEBSOCKET_HANDSHAKE", error.message).toJSON());
      if (socket) this.end(socket);
    });
  }

  open(id: number, req: IncomingMessage, raw: Duplex, head: Buffer, close?: CloseOrder): void {
    const socket: Socket = {
      id,
      raw,
      pending: [],
      heldBytes: 0,
      combined: false,
      streams: new Map(),
    };
    this.sockets.set(id, socket);
    this.byRaw.set(raw, socket);
    // The socket's own close, not ws's: it comes whether or not the handshake completed.
    raw.once("close", () => this.end(socket));
    this.wss.handleUpgrade(req, raw, head, (ws) => {
      if (!this.sockets.has(id)) {
        ws.terminate();
        return;
      }
      socket.ws = ws;
      if (close) {
        this.close(id, close);
        return;
      }
      ws.on("ping", () => this.events.ping(id));
      ws.on("pong", () => this.events.pong(id));
      ws.on("error", () => ws.terminate());
      ws.on("message", (data, isBinary) =>
        this.events.message(id, isBinary ? undefined : (data as Buffer).toString()),
      );
    });
  }

  join(id: number, canonical: string, spelled: string): void {
    const socket = this.sockets.get(id);
    if (!socket || socket.streams.has(canonical)) return;
    socket.streams.set(canonical, spelled);
    let subs = this.subscribers.get(canonical);
    if (!subs) {
      subs = new Set();
      this.subscribers.set(canonical, subs);
    }
    subs.add(socket);
  }

  leave(id: number, canonical: string): void {
    const socket = this.sockets.get(id);
    if (socket) this.unsubscribe(socket, canonical);
  }

  setCombined(id: number, combined: boolean): void {
    const socket = this.sockets.get(id);
    if (socket) socket.combined = combined;
  }

  /**
   * Serializes nothing: the event arrives as JSON, and is framed once per spelling (one
   * text frame, as ws would build it), not once per socket; with a thousand subscribers
   * an event costs one frame, then a queued write per socket.
   */
  publish(canonical: string, json: string): void {
    const subs = this.subscribers.get(canonical);
    if (!subs || subs.size === 0) return;
    let rawFrame: Buffer | undefined;
    let wrapped: Map<string, Buffer> | undefined;
    for (const socket of subs) {
      const ws = socket.ws;
      if (!ws || ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > this.maxBufferedBytes) {
        this.drop(socket, "client too slow");
        continue;
      }
      let frame: Buffer;
      if (!socket.combined) frame = rawFrame ??= textFrame(json);
      else {
        const spelled = socket.streams.get(canonical) ?? canonical;
        wrapped ??= new Map();
        let made = wrapped.get(spelled);
        if (made === undefined) {
          made = textFrame(`{"stream":${JSON.stringify(spelled)},"data":${json}}`);
          wrapped.set(spelled, made);
        }
        frame = made;
      }
      this.queue(socket, frame);
    }
  }

  reply(id: number, json: string): void {
    const socket = this.sockets.get(id);
    const ws = socket?.ws;
    if (!socket || !ws || ws.readyState !== ws.OPEN) return;
    // Events queued before the request go out before its answer.
    if (socket.pending.length > 0) {
      this.writeAll(socket, socket.pending);
      socket.pending = [];
    }
    ws.send(json);
  }

  ping(id: number): void {
    const ws = this.sockets.get(id)?.ws;
    if (ws && ws.readyState === ws.OPEN) ws.ping();
  }

  close(id: number, order: CloseOrder): void {
    const socket = this.sockets.get(id);
    if (!socket) return;
    this.forget(socket);
    if (socket.ws) closeSocket(socket.ws, order.code, order.reason, order.graceMs);
    else socket.raw.destroy();
  }

  terminate(id: number): void {
    const socket = this.sockets.get(id);
    if (!socket) return;
    this.forget(socket);
    if (socket.ws) socket.ws.terminate();
    else socket.raw.destroy();
  }

  hold(id: number): void {
    const socket = this.sockets.get(id);
    if (socket) socket.held ??= [];
  }

  release(id: number): void {
    const socket = this.sockets.get(id);
    if (!socket?.held) return;
    const held = socket.held;
    socket.held = undefined;
    socket.heldBytes = 0;
    for (const frame of held) this.queue(socket, frame);
  }

  /** Closes every socket with one order (the venue that held the logic is gone). */
  closeAll(order: CloseOrder): void {
    for (const id of [...this.sockets.keys()]) this.close(id, order);
  }

  /** Settles when every socket is gone; one still open a second after this is cut (a close of its own may have had a longer grace). */
  shutdown(): Promise<void> {
    this.wss.close();
    if (this.byRaw.size === 0) return Promise.resolve();
    setTimeout(() => {
      for (const raw of [...this.byRaw.keys()]) raw.destroy();
    }, SHUTDOWN_GRACE_MS).unref();
    return new Promise((resolve) => this.gone.push(resolve));
  }

  /**
   * Queues a frame for the socket; the queue is written in one piece once this burst of
   * events (a commit's, or a tick's) is over: every event a burst sends to one socket
   * leaves in one write, not one system call per event. The queues are written a few
   * dozen sockets at a time, one event-loop turn apart, so that a thousand subscribers
   * never hold the process up for a whole round. ws writes its own frames (answers,
   * pings, closes) straight to the socket, so a queue holds only events.
   */
  private queue(socket: Socket, frame: Buffer): void {
    if (socket.held) {
      socket.held.push(frame);
      socket.heldBytes += frame.length;
      // A paused socket that falls this far behind goes the way of a slow one.
      if (socket.heldBytes > this.maxBufferedBytes) this.drop(socket, "client too slow");
      return;
    }
    if (socket.pending.length === 0) {
      if (this.waiting.length === 0) process.nextTick(() => this.flush());
      this.waiting.push(socket);
    }
    socket.pending.push(frame);
  }

  private flush(): void {
    const batch = this.waiting.splice(0, FLUSH_BATCH);
    for (const socket of batch) {
      const frames = socket.pending;
      socket.pending = [];
      const ws = socket.ws;
      if (frames.length === 0 || !ws || ws.readyState !== ws.OPEN) continue;
      this.writeAll(socket, frames);
    }
    if (this.waiting.length > 0) setImmediate(() => this.flush());
  }

  /**
   * Writes frames in one system call without copying them into one buffer: a corked
   * socket hands its queued writes to the kernel together (writev). Each frame is shared
   * by every socket on its stream, so a copy per socket would cost more than the write.
   */
  private writeAll(socket: Socket, frames: readonly Buffer[]): void {
    if (frames.length === 1) {
      socket.raw.write(frames[0]!);
      return;
    }
    socket.raw.cork();
    for (const frame of frames) socket.raw.write(frame);
    socket.raw.uncork();
  }

  /** Closes a socket this side gave up on, and tells the stream's logic it is gone. */
  private drop(socket: Socket, reason: string): void {
    this.close(socket.id, { code: CLOSE.POLICY, reason });
    this.events.closed(socket.id);
  }

  private unsubscribe(socket: Socket, canonical: string): void {
    if (!socket.streams.delete(canonical)) return;
    const subs = this.subscribers.get(canonical);
    subs?.delete(socket);
    if (subs?.size === 0) this.subscribers.delete(canonical);
  }

  /** Takes a socket out of every stream; it says nothing more to the stream's logic. */
  private forget(socket: Socket): void {
    if (!this.sockets.delete(socket.id)) return;
    for (const canonical of [...socket.streams.keys()]) this.unsubscribe(socket, canonical);
    socket.pending = [];
    socket.held = undefined;
  }

  /** The socket closed: forgotten here, told to the stream's logic once. */
  private end(socket: Socket): void {
    const known = this.sockets.has(socket.id);
    this.forget(socket);
    if (!this.byRaw.delete(socket.raw)) return;
    if (known) this.events.closed(socket.id);
    if (this.byRaw.size === 0) for (const resolve of this.gone.splice(0)) resolve();
  }
}
