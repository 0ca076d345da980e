// Request weights and order counts as Binance enforces them, so a bot's back-off can be
// rehearsed. Windows are fixed one-minute windows aligned to UTC minutes (the clock is
// the server's injectable `now`, so tests never sleep). Weight is charged per client IP
// and API family (/papi, /dapi, /fapi, /api, /sapi each have their own pool) before
// any validation, so rejected requests cost weight too; new and modified orders count
// against the account's order limit. Past the IP limit: 429 -1003; three more requests
// in the same window: a 418 ban of 2 minutes, doubling for each repeat within 24 hours,
// capped at 3 days. Bans end by themselves.

import { VenueError } from "../domain/errors.js";

export interface RateLimitSettings {
  /** Off entirely (load tests). */
  readonly enabled: boolean;
  /** REQUEST_WEIGHT per IP and API family per minute. */
  readonly ipWeightLimit: number;
  /** ORDERS per account per minute. */
  readonly orderLimit: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  enabled: true,
  ipWeightLimit: 6000,
  orderLimit: 1200,
};

const MINUTE = 60_000;
const FIRST_BAN = 2 * MINUTE;
const MAX_BAN = 3 * 24 * 60 * MINUTE;
const OFFENCE_MEMORY = 24 * 60 * MINUTE;
/** Requests answered 429 in one window; the next one over the limit starts a ban. */
const LIMITED_BEFORE_BAN = 3;

/** A Binance 429/418: the answer carries Retry-After. */
export class RateLimitError extends VenueError {
  constructor(
    name: "TOO_MANY_REQUESTS" | "IP_BANNED" | "TOO_MANY_ORDERS",
    readonly retryAfterSeconds: number,
    ...args: Array<string | number>
  ) {
    super(name, ...args);
  }
}

interface IpWindow {
  window: number;
  used: number;
  /** Requests answered 429 in this window. */
  limited: number;
}

interface IpRecord {
  readonly pools: Map<string, IpWindow>;
  banUntil: number;
  offences: number;
  lastOffence: number;
}

interface OrderWindow {
  window: number;
  count: number;
}

/** The API family a path's weight is charged to. */
export function weightPool(path: string): string {
  const second = path.indexOf("/", 1);
  return second < 0 ? path : path.slice(0, second);
}

export class RateLimiter {
  private readonly ips = new Map<string, IpRecord>();
  private readonly orders = new Map<number, OrderWindow>();
  private sweptWindow = 0;

  constructor(readonly settings: RateLimitSettings = DEFAULT_RATE_LIMITS) {}

  /** Weight used by the IP in the pool's current window (for the header of any answer). */
  used(ip: string, pool: string, now: number): number {
    const w = this.ips.get(ip)?.pools.get(pool);
    return w && w.window === Math.floor(now / MINUTE) ? w.used : 0;
  }

  /**
   * Charges a request's weight; answers the weight now used, or throws the 429/418.
   * During a ban nothing is charged.
   */
  chargeIp(ip: string, pool: string, weight: number, now: number): number {
    if (!this.settings.enabled) return this.used(ip, pool, now);
    this.sweep(now);
    let record = this.ips.get(ip);
    if (!record) {
      record = { pools: new Map(), banUntil: 0, offences: 0, lastOffence: 0 };
      this.ips.set(ip, record);
    }
    if (now < record.banUntil)
      throw new RateLimitError("IP_BANNED", seconds(record.banUntil - now), record.banUntil);
    const window = Math.floor(now / MINUTE);
    let w = record.pools.get(pool);
    if (!w || w.window !== window) {
      w = { window, used: 0, limited: 0 };
      record.pools.set(pool, w);
    }
    w.used += weight;
    if (w.used <= this.settings.ipWeightLimit) return w.used;
    if (w.limited >= LIMITED_BEFORE_BAN) {
      record.offences = now - record.lastOffence > OFFENCE_MEMORY ? 1 : record.offences + 1;
      record.lastOffence = now;
      record.banUntil = now + Math.min(FIRST_BAN * 2 ** (record.offences - 1), MAX_BAN);
      w.limited = 0;
      throw new RateLimitError("IP_BANNED", seconds(record.banUntil - now), record.banUntil);
    }
    w.limited++;
    throw new RateLimitError(
      "TOO_MANY_REQUESTS",
      seconds((window + 1) * MINUTE - now),
      this.settings.ipWeightLimit,
    );
  }

  /** Orders placed by the account in the current window. */
  orderCount(accountId: number, now: number): number {
    const o = this.orders.get(accountId);
    return o && o.window === Math.floor(now / MINUTE) ? o.count : 0;
  }

  /** Counts one new or modified order; throws -1015 past the account's limit (and does not count it). */
  chargeOrder(accountId: number, now: number): number {
    if (!this.settings.enabled) return this.orderCount(accountId, now);
    const window = Math.floor(now / MINUTE);
    let o = this.orders.get(accountId);
    if (!o || o.window !== window) {
      o = { window, count: 0 };
      this.orders.set(accountId, o);
    }
    if (o.count >= this.settings.orderLimit) {
      throw new RateLimitError(
        "TOO_MANY_ORDERS",
        seconds((window + 1) * MINUTE - now),
        this.settings.orderLimit,
        "MINUTE",
      );
    }
    return ++o.count;
  }

  /** Forgets windows that ended and bans that lapsed, once per minute, so memory stays bounded. */
  private sweep(now: number): void {
    const window = Math.floor(now / MINUTE);
    if (window === this.sweptWindow) return;
    this.sweptWindow = window;
    for (const [ip, record] of this.ips) {
      for (const [pool, w] of record.pools) if (w.window !== window) record.pools.delete(pool);
      if (record.pools.size === 0 && now >= record.banUntil && now - record.lastOffence > OFFENCE_MEMORY) {
        this.ips.delete(ip);
      }
    }
    for (const [accountId, o] of this.orders) if (o.window !== window) this.orders.delete(accountId);
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
