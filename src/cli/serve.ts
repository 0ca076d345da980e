// `papi-venue serve`: runs the venue on one data folder until SIGTERM or SIGINT.
//
// The start is all or nothing. The folder's lock comes first, before anything in the
// folder is read or written (store/folder-lock.ts), so a second venue on a held folder
// changes nothing there. Every later step that fails (the database, the admin token,
// the port) undoes what this start created (the folder itself, or the files it added to
// an existing one) and ends with one line saying what failed (start-failure.ts).

import { randomInt } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import type { RateLimitSettings } from "../api/rate-limits.js";
import { createApp } from "../app.js";
import { type ClockMode, type ClockState, VenueClock } from "../clock/venue-clock.js";
import { applyConfig, type MarketConfig, readConfig } from "../market/config.js";
import {
  joinReplays,
  ReplayedReference,
  type ReplayFile,
  readReplay,
  symbolOfFile,
} from "../market/replay.js";
import { defaultSettings, describeMarket, type MarketSettings } from "../market/settings.js";
import { SimulatedMarket } from "../market/simulated-market.js";
import { FolderLock, LOCK_FILE } from "../store/folder-lock.js";
import { DATABASE_FILE, SqliteStore } from "../store/sqlite.js";
import { ForkedMarketSockets } from "../stream/forked-market-sockets.js";
import { keptClock } from "../time-control.js";
import { Venue } from "../venue/venue.js";
import { readOrMakeToken, TOKEN_FILE, tokenFile } from "./admin-token.js";
import { startExample } from "./example.js";
import { CliFailure } from "./failure.js";
import { describeStartFailure, type StartStage } from "./start-failure.js";

/** How long a shutdown waits for busy connections before cutting them. */
const SHUTDOWN_GRACE_MS = 3000;
/** How often a venue without a market runs its due scheduled work. */
const SCHEDULE_EVERY_MS = 250;

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly data: string;
  readonly adminToken: string | undefined;
  readonly sync: "full" | "normal";
  readonly rateLimits: RateLimitSettings;
  /** Simulated participants on every contract, or a quiet venue. */
  readonly market: "sim" | "replay" | "none";
  /** A JSON file of market settings laid over the defaults (market/config.ts). */
  readonly marketConfig?: string | undefined;
  /** With market replay: the price files, `FILE` or `SYMBOL=FILE`. */
  readonly replay?: readonly string[];
  readonly replaySpeed?: number;
  /** The simulated market's seed; drawn at start when not given. */
  readonly seed?: number | undefined;
  /** The venue clock's mode; undefined: as the data folder kept it, else running. */
  readonly clock?: ClockMode | undefined;
  /** The venue clock's time at start, ms. */
  readonly clockStart?: number | undefined;
  /** Where the market streams' sockets are written: a process of their own, or this one. */
  readonly fanOut?: "process" | "inline";
  readonly logLevel: string;
}

/** Files a start may add to a data folder; on a failed start those it added are removed. */
const VENUE_FILES = [
  TOKEN_FILE,
  LOCK_FILE,
  DATABASE_FILE,
  `${DATABASE_FILE}-wal`,
  `${DATABASE_FILE}-shm`,
  `${DATABASE_FILE}-journal`,
];

/** What this start added to the disk, so that a failed start can take it away again. */
class StartFootprint {
  private constructor(
    private readonly folder: string,
    /** The topmost folder this start made (the data folder or a parent), if any. */
    private readonly madeFolder: string | undefined,
    private readonly existing: ReadonlySet<string>,
  ) {}

  /** Makes the data folder (0700) if it is missing, remembering what was there. */
  static make(folder: string): StartFootprint {
    const stat = fs.statSync(folder, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory())
      throw new CliFailure(
        `data folder ${folder} is a file, not a folder; pass --data naming a folder (it is made if missing)`,
      );
    if (stat) {
      // Asked before the lock is taken, so that an unwritable folder gets a plain answer.
      fs.accessSync(folder, fs.constants.W_OK | fs.constants.X_OK);
      return new StartFootprint(folder, undefined, new Set(fs.readdirSync(folder)));
    }
    const made = fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    return new StartFootprint(folder, made, new Set());
  }

  undo(): void {
    if (this.madeFolder) {
      fs.rmSync(this.madeFolder, { recursive: true, force: true });
      return;
    }
    for (const name of VENUE_FILES)
      if (!this.existing.has(name)) fs.rmSync(path.join(this.folder, name), { force: true });
  }
}

/** The market configuration file, checked; a fault is one line naming the file and the value. */
function marketConfig(file: string, venue: Venue): MarketConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliFailure(`cannot read --market-config ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`--market-config ${file} is not JSON: ${(error as Error).message}`);
  }
  try {
    return readConfig(json, venue.symbols());
  } catch (error) {
    throw new CliFailure(`--market-config ${file}: ${(error as Error).message}`);
  }
}

/** The replayed pairs: each file read, the files of one symbol joined in time order. */
function replayedPairs(
  files: readonly string[],
  speed: number,
  venue: Venue,
): { sources: Map<string, ReplayedReference>; line: string } {
  const bySymbol = new Map<string, ReplayFile[]>();
  for (const given of files) {
    const eq = given.indexOf("=");
    const named = eq > 0 ? given.slice(0, eq) : undefined;
    const file = eq > 0 ? given.slice(eq + 1) : given;
    const symbol = named ?? symbolOfFile(file);
    if (!symbol)
      throw new CliFailure(
        `replay ${file}: name its symbol (SYMBOL=FILE) or give the file Binance's name (BTCUSD_PERP-aggTrades-2026-11-30.csv)`,
      );
    if (!venue.symbol(symbol))
      throw new CliFailure(`replay ${file}: ${symbol} is not a symbol of this venue`);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new CliFailure(`cannot read replay file ${file}: ${(error as Error).message}`);
    }
    try {
      bySymbol.set(symbol, [...(bySymbol.get(symbol) ?? []), readReplay(text, symbol)]);
    } catch (error) {
      throw new CliFailure(`replay ${file}: ${(error as Error).message}`);
    }
  }
  const sources = new Map<string, ReplayedReference>();
  const said: string[] = [];
  for (const [symbol, read] of bySymbol) {
    const pair = venue.symbol(symbol)!.pair;
    if (sources.has(pair)) throw new CliFailure(`replay: two symbols of ${pair} given; one file set a pair`);
    const joined = joinReplays(read);
    sources.set(pair, new ReplayedReference(joined, speed));
    said.push(
      `${pair} from ${read.length} file${read.length === 1 ? "" : "s"} of ${symbol} (${joined.points.length} prices)`,
    );
  }
  return { sources, line: said.length ? `; replayed at ${speed}x: ${said.join(", ")}` : "" };
}

/**
 * The venue clock at start: the flags say how it runs and from when; without them it
 * goes on as the data folder kept it (frozen where it stood, or as far ahead of the wall
 * clock), and a new folder's clock runs with the wall clock.
 */
function startClock(
  kept: ClockState | undefined,
  mode: ClockMode | undefined,
  start: number | undefined,
): VenueClock {
  const clock = kept ? VenueClock.restored(kept) : new VenueClock();
  if (start !== undefined) {
    clock.set(start);
    if (mode !== "frozen") clock.resume();
  } else if (mode === "frozen") clock.freeze();
  else if (mode === "running") clock.resume();
  return clock;
}

export async function serve(options: ServeOptions): Promise<void> {
  const folder = path.resolve(options.data);
  const place = { host: options.host, port: options.port, folder };
  let footprint: StartFootprint;
  let lock: FolderLock;
  try {
    footprint = StartFootprint.make(folder);
    lock = FolderLock.acquire(folder);
  } catch (error) {
    // Nothing to undo: a held folder is left exactly as it was, and a folder this start
    // could not even lock holds nothing of this start's but possibly itself.
    throw describeStartFailure(error, "folder", place);
  }
  const logger = pino({ level: options.logLevel });
  let store: SqliteStore | undefined;
  let closing = false;
  let app: ReturnType<typeof createApp>["app"] | undefined;
  const abandon = async (error: unknown, stage: StartStage): Promise<never> => {
    await app?.close().catch(() => {});
    store?.close();
    footprint.undo();
    lock.release();
    throw describeStartFailure(error, stage, place);
  };
  let token: string;
  let venue: Venue;
  try {
    store = new SqliteStore(folder, { synchronous: options.sync === "normal" ? "NORMAL" : "FULL" });
    venue = new Venue(store, (message, error) => logger.error({ err: error }, message));
  } catch (error) {
    return abandon(error, "database");
  }
  let settings: MarketSettings | undefined;
  let market: SimulatedMarket | undefined;
  let replayLine = "";
  let clock: VenueClock;
  // One seed for the market's draws and the faults'.
  const seed = options.seed ?? randomInt(2 ** 31);
  try {
    clock = startClock(await keptClock(venue), options.clock, options.clockStart);
  } catch (error) {
    return abandon(error, "database");
  }
  const now = () => clock.now();
  try {
    if (options.market !== "none") {
      const defaults = defaultSettings(venue.symbols(), seed);
      settings = options.marketConfig
        ? applyConfig(defaults, marketConfig(options.marketConfig, venue), options.seed)
        : defaults;
      const replays = replayedPairs(options.replay ?? [], options.replaySpeed ?? 1, venue);
      market = await SimulatedMarket.open(venue, settings, now, replays.sources);
      replayLine = replays.line;
    }
  } catch (error) {
    return abandon(error, "database");
  }
  try {
    token = options.adminToken ?? readOrMakeToken(folder);
    app = createApp({
      venue,
      adminToken: token,
      logger,
      rateLimits: options.rateLimits,
      market,
      clock,
      seed,
      marketStream:
        options.fanOut === "inline" ? {} : { sockets: (events) => new ForkedMarketSockets(events) },
    }).app;
  } catch (error) {
    return abandon(error, "folder");
  }
  const server = app;
  const openStore = store;
  let schedule: NodeJS.Timeout | undefined;
  // Stop accepting, let requests already received finish (their commits included), close
  // the streams with 1001, then close the store. Connections still busy after the grace
  // (a request that never finishes arriving) are cut, so a shutdown ends within seconds.
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info("shutting down");
    const grace = setTimeout(() => server.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    grace.unref();
    await market?.stop();
    if (schedule) clearInterval(schedule);
    try {
      await server.close();
    } catch (error) {
      logger.error({ err: error }, "error while closing the server");
    }
    clearTimeout(grace);
    await venue.flushed().catch(() => {});
    openStore.close();
    lock.release();
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // The handlers come first: a SIGTERM right after the address is printed must shut down gracefully.
  try {
    await server.listen({ host: options.host, port: options.port });
  } catch (error) {
    if (closing) return;
    process.off("SIGTERM", shutdown);
    process.off("SIGINT", shutdown);
    return abandon(error, "listen");
  }
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  market?.start();
  // Without a market to drive it, the venue's scheduled work (prices, funding) follows the clock.
  if (!market) {
    schedule = setInterval(() => {
      venue
        .advance(clock.now())
        .catch((error: unknown) => logger.error({ err: error }, "scheduled work failed"));
    }, SCHEDULE_EVERY_MS);
    schedule.unref();
  }
  process.stdout.write(
    settings
      ? `${describeMarket(settings)}${replayLine}\n`
      : "market: none (a quiet venue; --market sim starts simulated makers and takers)\n",
  );
  if (clock.mode === "frozen" || clock.state().aheadMs !== 0)
    process.stdout.write(
      `clock: ${clock.mode} at ${new Date(clock.now()).toISOString()} (POST /admin/v1/clock moves it)\n`,
    );
  process.stdout.write(
    startExample({
      host: options.host,
      port,
      folder: options.data,
      tokenFile: options.adminToken === undefined ? tokenFile(folder) : undefined,
      givenToken: options.adminToken,
    }),
  );
}
