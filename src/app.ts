// Puts the venue's faces together on one HTTP server: the REST API (api/), the
// user-data stream (stream/) with its listenKey routes, and the market streams, sharing
// one clock. The CLI and the tests build the venue's server through this one function.

import type { FastifyInstance } from "fastify";
import { Faults } from "./api/faults.js";
import { buildServer, type ServerOptions } from "./api/server.js";
import { VenueClock } from "./clock/venue-clock.js";
import { ListenKeys } from "./stream/listen-keys.js";
import { MarketStream, type MarketStreamOptions } from "./stream/market-stream.js";
import { listenKeyRoutes } from "./stream/routes.js";
import { routeUpgrades } from "./stream/upgrades.js";
import { UserStream, type UserStreamOptions } from "./stream/user-stream.js";
import { clockControl } from "./time-control.js";

export interface AppOptions extends Omit<ServerOptions, "routes" | "now" | "clock" | "faults"> {
  /** The venue clock; a running one from the wall clock when none is given. */
  readonly clock?: VenueClock;
  /** The venue's seed: injected faults draw their probabilities from it. */
  readonly seed?: number;
  readonly stream?: UserStreamOptions;
  readonly marketStream?: MarketStreamOptions;
}

export interface App {
  readonly app: FastifyInstance;
  readonly stream: UserStream;
  readonly market: MarketStream;
  readonly listenKeys: ListenKeys;
  readonly faults: Faults;
}

export function createApp(options: AppOptions): App {
  const clock = options.clock ?? new VenueClock();
  const now = () => clock.now();
  const listenKeys = new ListenKeys(now);
  const holder: { stream?: UserStream; market?: MarketStream } = {};
  const faults = new Faults(options.seed ?? 0, {
    cut: (stream, accountId, count) =>
      (stream === "user" ? holder.stream?.cut(accountId, count) : holder.market?.cut(count)) ?? 0,
    hold: (faultId, stream, accountId) =>
      (stream === "user" ? holder.stream?.hold(faultId, accountId) : holder.market?.hold(faultId)) ?? 0,
    release: (faultId) => {
      holder.stream?.release(faultId);
      holder.market?.release(faultId);
    },
  });
  const app = buildServer({
    ...options,
    now,
    faults,
    clock: clockControl(clock, options.venue, options.market, () => holder.stream?.sweep()),
    routes: listenKeyRoutes(listenKeys, (key) => holder.stream?.closeKey(key)),
  });
  const stream = new UserStream(options.venue, listenKeys, now, options.stream);
  holder.stream = stream;
  const market = new MarketStream(options.venue, now, options.marketStream);
  holder.market = market;
  routeUpgrades(app.server, stream, market);
  app.addHook("preClose", async () => {
    stream.close();
    await market.close();
  });
  return { app, stream, market, listenKeys, faults };
}
