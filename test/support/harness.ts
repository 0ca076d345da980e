// A real venue for tests: a real SQLite file in a fresh temp folder, the real HTTP
// stack (fastify inject, or a real socket via `listen`), and a clock the test sets.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { RateLimitSettings } from "../../src/api/rate-limits.js";
import type { ServerOptions } from "../../src/api/server.js";
import { hmacHex } from "../../src/api/signature.js";
import { createApp } from "../../src/app.js";
import { VenueClock } from "../../src/clock/venue-clock.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import type { MarketStream, MarketStreamOptions } from "../../src/stream/market-stream.js";
import type { UserStream, UserStreamOptions } from "../../src/stream/user-stream.js";
import { Venue } from "../../src/venue/venue.js";
import { type SocketKind, socketsOf } from "./market-sockets.js";
import { StreamClient } from "./ws-client.js";

export const ADMIN_TOKEN = "test-admin-token";
export const T0 = 1_700_000_000_000;

export interface Client {
  readonly accountId: number;
  readonly apiKey: string;
  readonly secret: string;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly headers: Record<string, unknown>;
}

export interface SignedOptions {
  /** Send the parameters as a form body instead of the query string. */
  readonly form?: boolean;
  /** Override the timestamp (defaults to the clock). */
  readonly timestamp?: number | string | null;
  readonly apiKey?: string | null;
  readonly secret?: string;
  readonly signature?: string;
  readonly contentType?: string;
  /** The client's IP as the server sees it. */
  readonly ip?: string;
}

export interface HarnessOptions {
  readonly rateLimits?: RateLimitSettings;
  readonly stream?: UserStreamOptions;
  readonly marketStream?: MarketStreamOptions;
  /** Where the market streams' sockets are held: this process (the default) or one of their own. */
  readonly marketSockets?: SocketKind;
  /** Request limits of the HTTP server (body, URL, headers, time). */
  readonly limits?: Pick<ServerOptions, "bodyLimit" | "maxUrlLength" | "maxHeaderSize" | "requestTimeoutMs">;
}

export class Harness {
  /** The venue clock, frozen: tests place each command at the time they set. */
  readonly venueClock = VenueClock.frozen(T0);
  readonly app: FastifyInstance;
  readonly stream: UserStream;
  readonly market: MarketStream;
  readonly venue: Venue;
  readonly store: SqliteStore;

  constructor(
    readonly dir: string,
    readonly options: HarnessOptions = {},
  ) {
    this.store = new SqliteStore(dir, { synchronous: "NORMAL" });
    this.venue = new Venue(this.store);
    const built = createApp({
      venue: this.venue,
      adminToken: ADMIN_TOKEN,
      clock: this.venueClock,
      rateLimits: options.rateLimits,
      ...options.limits,
      // Tests drive expiry and pings through `stream.sweep()` with the test clock.
      stream: { sweepIntervalMs: 0, ...options.stream },
      // ... and the market streams' periods through `market.tick()`.
      marketStream: {
        sweepIntervalMs: 0,
        tickMs: 0,
        ...socketsOf(options.marketSockets ?? "inline", options.marketStream?.maxBufferedBytes),
        ...options.marketStream,
      },
    });
    this.app = built.app;
    this.stream = built.stream;
    this.market = built.market;
  }

  /** The venue clock's time; setting it moves the clock there, forward or back. */
  get clock(): number {
    return this.venueClock.now();
  }

  set clock(time: number) {
    this.venueClock.set(time);
  }

  static async start(dir = tempDir(), options: HarnessOptions = {}): Promise<Harness> {
    const h = new Harness(dir, options);
    await h.app.ready();
    return h;
  }

  /** Closes this venue and opens a new one on the same data folder, as a restart would. */
  async restart(): Promise<Harness> {
    await this.close();
    const next = await Harness.start(this.dir, this.options);
    next.clock = this.clock;
    return next;
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.venue.flushed().catch(() => {});
    this.store.close();
  }

  async account(balances: Record<string, string> = { BTC: "100", ETH: "1000" }): Promise<Client> {
    const res = await this.app.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      payload: JSON.stringify({ balances }),
    });
    const body = res.json() as { accountId: number; apiKey: string; secretKey: string };
    return { accountId: body.accountId, apiKey: body.apiKey, secret: body.secretKey };
  }

  async request(
    method: string,
    url: string,
    headers: Record<string, string> = {},
    payload?: string,
    remoteAddress = "127.0.0.1",
  ): Promise<Answer> {
    const res = await this.app.inject({
      method: method as "GET",
      url,
      headers,
      remoteAddress,
      ...(payload === undefined ? {} : { payload }),
    });
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, body, text: res.body, headers: res.headers };
  }

  /** A SIGNED request the way Binance's clients build it: params in order, timestamp, signature last. */
  signed(
    client: Client,
    method: string,
    pathName: string,
    params: Record<string, string | number | boolean>,
    options: SignedOptions = {},
  ): Promise<Answer> {
    const pairs = Object.entries(params).map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    );
    if (options.timestamp !== null) pairs.push(`timestamp=${options.timestamp ?? this.clock}`);
    const text = pairs.join("&");
    const signature = options.signature ?? hmacHex(options.secret ?? client.secret, text);
    const signedText = `${text}&signature=${signature}`;
    const headers: Record<string, string> = {};
    if (options.apiKey !== null) headers["x-mbx-apikey"] = options.apiKey ?? client.apiKey;
    if (options.form) {
      headers["content-type"] = options.contentType ?? "application/x-www-form-urlencoded";
      return this.request(method, pathName, headers, signedText, options.ip);
    }
    if (options.contentType) headers["content-type"] = options.contentType;
    return this.request(method, `${pathName}?${signedText}`, headers, undefined, options.ip);
  }

  /** The account's user-data stream over a real socket (the venue listens on a free port once). */
  async userStream(client: Client): Promise<StreamClient> {
    const address = this.app.server.address();
    const port =
      typeof address === "object" && address
        ? address.port
        : Number(new URL(await this.app.listen({ host: "127.0.0.1", port: 0 })).port);
    const key = await this.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": client.apiKey });
    return StreamClient.open(`ws://127.0.0.1:${port}/pm/ws/${(key.body as { listenKey: string }).listenKey}`);
  }

  /** Places an order and returns its JSON body, failing loudly if it was rejected. */
  async place(
    client: Client,
    params: Record<string, string | number | boolean>,
  ): Promise<Record<string, unknown>> {
    const res = await this.signed(client, "POST", "/papi/v1/cm/order", {
      newOrderRespType: "RESULT",
      ...params,
    });
    if (res.status !== 200) throw new Error(`order rejected: ${res.text}`);
    return res.body as Record<string, unknown>;
  }
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "papi-venue-test-"));
}

export const limit = (
  side: "BUY" | "SELL",
  quantity: number,
  price: string,
  extra: Record<string, string> = {},
) => ({
  symbol: "BTCUSD_PERP",
  side,
  type: "LIMIT",
  timeInForce: "GTC",
  quantity,
  price,
  ...extra,
});

/** Parameters as the strings they travel as. */
export const textParams = (params: Record<string, string | number | boolean>): Record<string, string> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
