// Injected faults: what the admin asks the wire to do wrong, so a bot can rehearse the
// failures it meets in production. A request fault names a method and a route path (as
// the route table spells it), optionally an account; it hits matching requests once
// their weight, key, signature and order-rate checks have passed (a bad request still
// gets its own error), `count` times at most, each with `probability` drawn from the
// venue's seed. A stream fault cuts or pauses user-data or market-stream connections.
// Faults live in memory: they shape answers, never state, and a restart clears them.

import { Random } from "../domain/random.js";

export const REQUEST_EFFECTS = [
  "unknown-executed",
  "unknown-not-executed",
  "unavailable",
  "throttled",
  "delay",
  "drop",
  "rate-limited",
] as const;
export type RequestEffect = (typeof REQUEST_EFFECTS)[number];
export const STREAM_EFFECTS = ["disconnect", "pause"] as const;
export type StreamEffect = (typeof STREAM_EFFECTS)[number];

export interface RequestFault {
  readonly faultId: number;
  readonly method: string;
  readonly path: string;
  readonly accountId?: number | undefined;
  readonly effect: RequestEffect;
  readonly count?: number | undefined;
  readonly probability?: number | undefined;
  readonly delayMs?: number | undefined;
  /** With `drop`: whether the command runs before the connection is cut. */
  readonly executed?: boolean | undefined;
  /** Requests it has hit so far. */
  hits: number;
}

export interface StreamFault {
  readonly faultId: number;
  readonly stream: "user" | "market";
  readonly accountId?: number | undefined;
  readonly effect: StreamEffect;
  readonly count?: number | undefined;
  readonly delayMs?: number | undefined;
  /** Connections it has cut or paused. */
  hits: number;
}

export type Fault = RequestFault | StreamFault;

/** What the streams do for a stream fault (app.ts hands them in). */
export interface StreamControl {
  /** Cuts matching connections without a close frame, `count` at most; answers how many. */
  cut(stream: "user" | "market", accountId: number | undefined, count: number | undefined): number;
  /** Holds events to matching connections until `release`; answers how many it holds. */
  hold(faultId: number, stream: "user" | "market", accountId: number | undefined): number;
  /** Delivers what a pause held, in order, and lets events flow again. */
  release(faultId: number): void;
}

export class Faults {
  private readonly faults = new Map<number, Fault>();
  private nextId = 1;
  private readonly random: Random;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(
    seed: number,
    private readonly streams: StreamControl | undefined,
  ) {
    this.random = new Random(seed, "faults");
  }

  addRequest(spec: Omit<RequestFault, "faultId" | "hits">): RequestFault {
    const fault: RequestFault = { ...spec, faultId: this.nextId++, hits: 0 };
    this.faults.set(fault.faultId, fault);
    return fault;
  }

  /**
   * A stream fault acts when it is added: a disconnect cuts the connections open now (and
   * stays listed with what it cut); a pause holds them for `delayMs` of wall time, or
   * until it is deleted.
   */
  addStream(spec: Omit<StreamFault, "faultId" | "hits">): StreamFault {
    const fault: StreamFault = { ...spec, faultId: this.nextId++, hits: 0 };
    this.faults.set(fault.faultId, fault);
    if (fault.effect === "disconnect")
      fault.hits = this.streams?.cut(fault.stream, fault.accountId, fault.count) ?? 0;
    else {
      fault.hits = this.streams?.hold(fault.faultId, fault.stream, fault.accountId) ?? 0;
      if (fault.delayMs !== undefined) {
        const timer = setTimeout(() => this.remove(fault.faultId), fault.delayMs);
        timer.unref();
        this.timers.set(fault.faultId, timer);
      }
    }
    return fault;
  }

  list(): Fault[] {
    return [...this.faults.values()];
  }

  remove(faultId: number): boolean {
    const fault = this.faults.get(faultId);
    if (!fault) return false;
    this.faults.delete(faultId);
    clearTimeout(this.timers.get(faultId));
    this.timers.delete(faultId);
    if ("stream" in fault && fault.effect === "pause") this.streams?.release(faultId);
    return true;
  }

  clear(): void {
    for (const id of [...this.faults.keys()]) this.remove(id);
  }

  /**
   * The fault that hits a request, counted; undefined when none does. The first standing
   * fault that matches it decides: its probability is drawn (from the seed, one draw per
   * matching request), and a fault whose count is spent no longer matches.
   */
  hit(method: string, path: string, accountId: number): RequestFault | undefined {
    if (this.faults.size === 0) return undefined;
    for (const fault of this.faults.values()) {
      if ("stream" in fault || fault.method !== method || fault.path !== path) continue;
      if (fault.accountId !== undefined && fault.accountId !== accountId) continue;
      if (fault.count !== undefined && fault.hits >= fault.count) continue;
      if (fault.probability !== undefined && this.random.uniform() >= fault.probability) return undefined;
      fault.hits++;
      return fault;
    }
    return undefined;
  }
}
