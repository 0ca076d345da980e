// The market streams' sockets in a process of their own (market-sockets-process.ts),
// seen from the venue's process as the same `MarketSockets`. Each upgraded connection is
// handed over, with its request's line, headers and first bytes, as a handle on the IPC
// channel; every later call is one message on that one channel, so the calls arrive in
// the order they were made, and an event published after a commit reaches each socket
// after every answer and event before it. So a thousand subscribers' writes are made on
// the other core, not on the thread that commits.
//
// If that process ends on its own, its sockets end with it: each is told closed, and a
// new process takes the next upgrades. When the venue's process ends, even by kill -9,
// the channel closes and the sockets' process closes its sockets with 1001 and exits.

import { type ChildProcess, fork } from "node:child_process";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import os from "node:os";
import type { Duplex } from "node:stream";
import type { CloseOrder, MarketSocketOptions, MarketSockets, SocketEvents } from "./market-sockets.js";

/** What the venue's process sends (see market-sockets-process.ts, which reads them). */
export type SocketOrder =
  | {
      readonly o: "open";
      readonly id: number;
      readonly method: string;
      readonly url: string;
      readonly headers: IncomingMessage["headers"];
      readonly head: Uint8Array;
      readonly close?: CloseOrder | undefined;
    }
  | { readonly o: "join"; readonly id: number; readonly canonical: string; readonly spelled: string }
  | { readonly o: "leave"; readonly id: number; readonly canonical: string }
  | { readonly o: "combined"; readonly id: number; readonly combined: boolean }
  | { readonly o: "publish"; readonly canonical: string; readonly json: string }
  | { readonly o: "reply"; readonly id: number; readonly json: string }
  | { readonly o: "ping" | "terminate" | "hold" | "release"; readonly id: number }
  | { readonly o: "close"; readonly id: number; readonly order: CloseOrder }
  | { readonly o: "shutdown" };

/** What the sockets' process tells back. */
export type SocketNews =
  | { readonly e: "message"; readonly id: number; readonly text?: string | undefined }
  | { readonly e: "ping" | "pong" | "closed"; readonly id: number };

export interface ForkedSocketOptions extends MarketSocketOptions {
  /** The sockets' process's module; the compiled market-sockets-process.js beside this one when not given. */
  readonly entry?: string | URL;
}

/** The sockets' process's scheduling priority, below the venue's (0). */
const FAN_OUT_NICENESS = 10;

/** Event characters the channel may hold for the sockets' process before it counts as stuck. */
const MAX_BACKLOG_CHARS = 64 * 1024 * 1024;

/** How long a shutdown waits for the sockets' process before it is killed. */
const SHUTDOWN_WAIT_MS = 3000;

export class ForkedMarketSockets implements MarketSockets {
  private child: ChildProcess;
  /** Connections handed over and not yet told closed or closed from here. */
  private readonly handedOver = new Set<number>();
  /** Connections whose handle is queued on the channel: this process still holds their socket. */
  private readonly inFlight = new Map<number, Duplex>();
  /** When the running process was started, and the wait before the next one if it ends soon. */
  private spawnedAt = 0;
  private respawnDelayMs = 0;
  private respawn: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  /** Characters of events sent and not yet written to the channel. */
  private backlog = 0;

  constructor(
    private readonly events: SocketEvents,
    private readonly options: ForkedSocketOptions = {},
  ) {
    this.child = this.spawn();
  }

  private spawn(): ChildProcess {
    const entry = this.options.entry ?? new URL("./market-sockets-process.js", import.meta.url);
    const child = fork(entry, [JSON.stringify({ maxBufferedBytes: this.options.maxBufferedBytes })], {
      // Structured clone: an event's JSON crosses as a string, not escaped into another JSON.
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      execArgv: [],
    });
    // The engine before the fan-out: when the cores are busy, the commits go first.
    try {
      if (child.pid !== undefined) os.setPriority(child.pid, FAN_OUT_NICENESS);
    } catch {
      // A system that refuses it runs both at one priority.
    }
    this.spawnedAt = Date.now();
    child.on("message", (news: SocketNews) => this.heard(news));
    // A write to a process that just died fails; its exit, below, does the cleaning up.
    child.on("error", () => {});
    child.on("exit", () => {
      if (child !== this.child) return;
      // Handles still queued never reached it: their sockets are this process's to end.
      for (const socket of this.inFlight.values()) socket.destroy();
      this.inFlight.clear();
      // Its sockets went with it.
      for (const id of [...this.handedOver]) {
        this.handedOver.delete(id);
        this.events.closed(id);
      }
      this.backlog = 0;
      if (this.stopping) return;
      // One that ends as soon as it starts (a broken install, no file descriptors left)
      // is started again ever more slowly rather than in a tight loop.
      const lived = Date.now() - this.spawnedAt;
      this.respawnDelayMs = lived < 1000 ? Math.min(Math.max(this.respawnDelayMs * 2, 100), 10_000) : 0;
      this.respawn = setTimeout(() => {
        this.respawn = undefined;
        if (!this.stopping) this.child = this.spawn();
      }, this.respawnDelayMs);
      this.respawn.unref();
    });
    return child;
  }

  private heard(news: SocketNews): void {
    switch (news.e) {
      case "message":
        this.events.message(news.id, news.text);
        return;
      case "ping":
        this.events.ping(news.id);
        return;
      case "pong":
        this.events.pong(news.id);
        return;
      case "closed":
        if (this.handedOver.delete(news.id)) this.events.closed(news.id);
        return;
    }
  }

  private send(order: SocketOrder): void {
    // With a callback, a failed write is handed to it instead of thrown as an 'error'.
    if (this.child.connected) this.child.send(order, ignore);
  }

  /** The sockets' process, while it runs. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Hands the connection's own handle over, not the `net.Socket`: Node tracks a socket
   * sent whole as its server's, and that server's close then waits on the process it
   * went to, for ever once that process is gone. This process's copy is closed once
   * the handle is across; the connection lives on in the other. A client says nothing
   * before the handshake's answer, which only the other process sends, so no byte is
   * read here in between.
   */
  open(id: number, req: IncomingMessage, socket: Duplex, head: Buffer, close?: CloseOrder): void {
    const handle = (socket as Socket & { _handle?: unknown })._handle;
    if (!handle || !this.child.connected) {
      // No process to take it (one is being started again): the client may retry.
      socket.destroy();
      if (!close) setImmediate(() => this.events.closed(id));
      return;
    }
    if (!close) this.handedOver.add(id);
    const order: SocketOrder = {
      o: "open",
      id,
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      head,
      close,
    };
    this.inFlight.set(id, socket);
    this.child.send(order, handle as Socket, (error) => {
      this.inFlight.delete(id);
      socket.destroy();
      // The client left, or the process went, before the handle was across.
      if (error && this.handedOver.delete(id)) this.events.closed(id);
    });
  }

  join(id: number, canonical: string, spelled: string): void {
    this.send({ o: "join", id, canonical, spelled });
  }

  leave(id: number, canonical: string): void {
    this.send({ o: "leave", id, canonical });
  }

  setCombined(id: number, combined: boolean): void {
    this.send({ o: "combined", id, combined });
  }

  /**
   * Events the sockets' process has not taken off the channel yet are counted; one that
   * falls this far behind (starved of CPU, or stuck) is ended and started again, its
   * clients cut as a slow one would be, rather than the venue holding its backlog.
   */
  publish(canonical: string, json: string): void {
    const child = this.child;
    if (!child.connected) return;
    // Characters, not bytes: a bound, not an account.
    this.backlog += json.length;
    child.send({ o: "publish", canonical, json } satisfies SocketOrder, () => {
      if (child === this.child) this.backlog -= json.length;
    });
    if (this.backlog > MAX_BACKLOG_CHARS) {
      this.backlog = 0;
      child.kill("SIGKILL");
    }
  }

  reply(id: number, json: string): void {
    this.send({ o: "reply", id, json });
  }

  ping(id: number): void {
    this.send({ o: "ping", id });
  }

  close(id: number, order: CloseOrder): void {
    this.handedOver.delete(id);
    this.send({ o: "close", id, order });
  }

  terminate(id: number): void {
    this.handedOver.delete(id);
    this.send({ o: "terminate", id });
  }

  hold(id: number): void {
    this.send({ o: "hold", id });
  }

  release(id: number): void {
    this.send({ o: "release", id });
  }

  shutdown(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.respawn) clearTimeout(this.respawn);
    const child = this.child;
    this.stopping = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const kill = setTimeout(() => child.kill("SIGKILL"), SHUTDOWN_WAIT_MS);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      this.send({ o: "shutdown" });
    });
    return this.stopping;
  }
}

function ignore(): void {}
