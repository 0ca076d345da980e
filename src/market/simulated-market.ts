// The simulated market: a reference price per pair, and on every trading contract a
// market maker and takers, all acting through the venue's facade like any client (the
// same pipeline, filters, margin checks, commits and stream events; nothing touches a
// book directly). It moves in steps of `stepMs` on the venue clock, at fixed times
// (multiples of the step), one after the other: each step moves every reference, lets
// each contract's maker refresh when its interval is due and its takers arrive, contract
// by contract in listing order, each command at the step's time. So the same seed and
// the same commands at the same venue times give the same trades, whatever the machine.
//
// Each pair's reference is the venue's index for the pair, handed over every second; the
// venue's own scheduled work (prices, funding) is advanced before each step, paused or not.
//
// `advance(to)` runs the steps due up to `to` (tests step the clock through it);
// `start()` runs them as the clock moves, every step's worth of wall time.

import { Random } from "../domain/random.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { Venue } from "../venue/venue.js";
import { patchContract, readPatch } from "./config.js";
import { openHouse } from "./house.js";
import { Maker } from "./maker.js";
import { Reference, type ReferenceSource } from "./reference.js";
import type { MarketSettings } from "./settings.js";
import { Takers } from "./taker.js";

/** Where the references stand is kept every 10 s of the clock, for the next run. */
const KEEP_EVERY_MS = 10_000;
const KEPT = "references";
/** The references are handed to the venue as its index every second. */
const INDEX_EVERY_MS = 1000;

interface Contract {
  readonly spec: SymbolSpec;
  readonly maker: Maker;
  readonly takers: Takers;
  /** Price of one tick, USD. */
  readonly tick: number;
  nextRefresh: number;
}

export class SimulatedMarket {
  private readonly references = new Map<string, ReferenceSource>();
  /** Pairs whose reference follows a replayed file. */
  private readonly replayed = new Set<string>();
  private readonly contracts: Contract[] = [];
  /** Time of the last step taken; the next is one step later. */
  private last: number | undefined;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  /** The house accounts by role. */
  private house = new Map<string, number>();

  private constructor(
    private readonly venue: Venue,
    private settings: MarketSettings,
    private readonly now: () => number,
  ) {}

  /**
   * Opens (or finds again) the house accounts and sets every contract up; takes no step
   * yet. `replays` gives pairs a reference read from a file instead of the random walk.
   */
  static async open(
    venue: Venue,
    settings: MarketSettings,
    now: () => number,
    replays: ReadonlyMap<string, ReferenceSource> = new Map(),
  ): Promise<SimulatedMarket> {
    const market = new SimulatedMarket(venue, settings, now);
    // The first step is the first one after the market opens.
    market.last = Math.floor(now() / settings.stepMs) * settings.stepMs;
    const house = await openHouse(venue, ["maker", "taker"], now());
    market.house = house;
    // A venue restarted on its folder goes on from where its references stood.
    const kept = JSON.parse((await venue.marketState(KEPT)) ?? "{}") as Record<string, number>;
    for (const [pair, reference] of Object.entries(settings.pairs)) {
      const replay = replays.get(pair);
      if (replay) {
        market.replayed.add(pair);
        market.references.set(pair, replay);
        continue;
      }
      const walk = new Reference(reference, new Random(settings.seed, `reference:${pair}`));
      const price = kept[pair];
      if (typeof price === "number") walk.resume(price);
      market.references.set(pair, walk);
    }
    for (const spec of venue.symbols()) {
      const contract = settings.contracts[spec.symbol];
      if (!contract || !market.references.has(spec.pair)) continue;
      market.contracts.push({
        spec,
        maker: new Maker(venue, house.get("maker")!, spec, contract.maker),
        takers: new Takers(
          venue,
          house.get("taker")!,
          spec,
          contract.taker,
          new Random(settings.seed, `takers:${spec.symbol}`),
        ),
        tick: Number(spec.tick.units) / 10 ** spec.tick.scale,
        nextRefresh: 0,
      });
    }
    return market;
  }

  /** The reference a contract is quoted around, USD (its pair's, with the contract's premium). */
  referencePrice(symbol: string): number | undefined {
    const contract = this.contracts.find((c) => c.spec.symbol === symbol);
    if (!contract) return undefined;
    const pair = this.references.get(contract.spec.pair)!;
    return pair.price * (1 + this.settings.contracts[symbol]!.premiumPct / 100);
  }

  /** The settings in force and whether the market is paused (the admin's GET /admin/v1/market). */
  describe(): Record<string, unknown> {
    const references: Record<string, number> = {};
    for (const [pair, r] of this.references) references[pair] = r.price;
    return { paused: this.paused, ...this.settings, references, replayed: [...this.replayed] };
  }

  /** A paused market takes no step (its clock moves on): no quote, no trade, the reference still. */
  pause(paused: boolean): void {
    this.paused = paused;
  }

  /** Moves the reference of the symbol's pair by `pct` % at once; false for a symbol it does not trade. */
  jump(symbol: string, pct: number): boolean {
    const contract = this.contracts.find((c) => c.spec.symbol === symbol);
    if (!contract) return false;
    this.references.get(contract.spec.pair)!.jump(pct);
    return true;
  }

  /**
   * Changes one contract's settings while the market runs: its premium, maker and takers,
   * and its pair's reference (config.ts checks them; a RangeError says what is wrong).
   * False for a symbol the market does not trade.
   */
  configure(symbol: string, json: unknown): boolean {
    const contract = this.contracts.find((c) => c.spec.symbol === symbol);
    if (!contract) return false;
    const patch = readPatch(json);
    const pair = contract.spec.pair;
    const contracts = {
      ...this.settings.contracts,
      [symbol]: patchContract(this.settings.contracts[symbol]!, patch),
    };
    const pairs = { ...this.settings.pairs, [pair]: { ...this.settings.pairs[pair]!, ...patch.reference } };
    this.settings = { ...this.settings, contracts, pairs };
    contract.maker.configure(contracts[symbol]!.maker);
    contract.takers.configure(contracts[symbol]!.taker);
    this.references.get(pair)!.configure(pairs[pair]!);
    return true;
  }

  /** Runs every step due up to `to`, in order; settles when they are done. */
  advance(to: number): Promise<void> {
    const run = (this.running ?? Promise.resolve()).then(() => this.stepUntil(to));
    const tracked: Promise<void> = run
      .catch(() => {})
      .then(() => {
        if (this.running === tracked) this.running = undefined;
      });
    this.running = tracked;
    return run;
  }

  private async stepUntil(to: number): Promise<void> {
    const step = this.settings.stepMs;
    let last = this.last ?? Math.floor(to / step) * step;
    while (last + step <= to) {
      last += step;
      this.last = last;
      // The venue's own scheduled work due by this step (prices, funding) comes first.
      await this.venue.advance(last);
      if (!this.paused) await this.step(last);
    }
  }

  private async step(at: number): Promise<void> {
    const ms = this.settings.stepMs;
    for (const reference of this.references.values()) reference.step(ms);
    // Each pair's reference is its index, set once a second.
    if (at % INDEX_EVERY_MS === 0) {
      const index = new Map<string, number>();
      for (const [pair, r] of this.references) index.set(pair, Math.round(r.price * 1e8));
      await this.venue.setIndexPrices(index, at);
    }
    if (at % KEEP_EVERY_MS === 0) {
      const prices: Record<string, number> = {};
      for (const [pair, r] of this.references) if (!this.replayed.has(pair)) prices[pair] = r.price;
      await this.venue.keepMarketState(KEPT, JSON.stringify(prices), at);
    }
    this.roll(at);
    for (const c of this.contracts) {
      if (at >= c.nextRefresh) {
        c.nextRefresh = at + this.settings.contracts[c.spec.symbol]!.maker.refreshMs;
        await c.maker.refresh(Math.round(this.referencePrice(c.spec.symbol)! / c.tick), at);
      }
      await c.takers.arrive(ms, at);
    }
  }

  /**
   * A quarterly that delivered hands its maker and takers, with its settings, to the
   * pair's next quarterly, listed from the same moment.
   */
  private roll(at: number): void {
    for (const [i, c] of this.contracts.entries()) {
      if (c.spec.contractType === "PERPETUAL" || at < c.spec.deliveryDate) continue;
      const next = this.venue
        .symbols(at)
        .find((s) => s.pair === c.spec.pair && s.contractType === c.spec.contractType);
      if (!next || next.symbol === c.spec.symbol) continue;
      const settings = this.settings.contracts[c.spec.symbol]!;
      this.settings = {
        ...this.settings,
        contracts: { ...this.settings.contracts, [next.symbol]: settings },
      };
      this.contracts[i] = {
        spec: next,
        maker: new Maker(this.venue, this.house.get("maker")!, next, settings.maker),
        takers: new Takers(
          this.venue,
          this.house.get("taker")!,
          next,
          settings.taker,
          new Random(this.settings.seed, `takers:${next.symbol}`),
        ),
        tick: c.tick,
        nextRefresh: 0,
      };
    }
  }

  /** Steps as the clock moves: each step's worth of wall time, what is due. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.running) void this.advance(this.now());
    }, this.settings.stepMs);
    this.timer.unref();
  }

  /** Stops stepping; settles once the step under way is done. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }
}
