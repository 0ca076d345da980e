// The simulated market's settings: a reference process per pair (reference.ts), and per
// contract a market maker's ladder and the takers' arrivals. The defaults aim at a
// book that looks like a quiet hour on Binance's COIN-M: quotes a few ticks either side
// of the reference, a level every 1.5 basis points, trades every couple of seconds.

import type { SymbolSpec } from "../domain/symbols.js";
import type { ReferenceSettings } from "./reference.js";

export interface MakerSettings {
  /** Ticks from the reference to the best bid and to the best ask. */
  readonly halfSpreadTicks: number;
  /** Levels quoted on each side. */
  readonly levels: number;
  /** Ticks between levels: quotes sit on multiples of it. */
  readonly stepTicks: number;
  /** Contracts at the best level; each level further out adds `sizeGrowth` of it. */
  readonly size: number;
  readonly sizeGrowth: number;
  /** Ticks the ladder leans away from the maker's inventory at `maxInventory` contracts. */
  readonly skewTicks: number;
  readonly maxInventory: number;
  /** How often the ladder is brought back to the reference. */
  readonly refreshMs: number;
}

export interface TakerSettings {
  /** Arrivals per minute, the base rate (Poisson when `excitation` is 0). */
  readonly perMinute: number;
  /**
   * Hawkes arrivals: each arrival raises the rate by this many a minute, the rise halving
   * every `excitationHalfLifeMs`, so trades come in bursts. 0: Poisson arrivals.
   */
  readonly excitation: number;
  readonly excitationHalfLifeMs: number;
  /** Mean contracts per taker order (geometric). */
  readonly meanSize: number;
  /** Net contracts at which the takers lean fully towards flattening. */
  readonly maxInventory: number;
}

export interface ContractSettings {
  /** The contract trades at the pair's reference × (1 + premiumPct / 100). */
  readonly premiumPct: number;
  readonly maker: MakerSettings;
  readonly taker: TakerSettings;
}

export interface MarketSettings {
  readonly seed: number;
  /** The market moves in steps of this many milliseconds of the venue clock. */
  readonly stepMs: number;
  readonly pairs: Readonly<Record<string, ReferenceSettings>>;
  readonly contracts: Readonly<Record<string, ContractSettings>>;
}

/** Start prices and volatilities of the listed pairs. */
const PAIRS: Record<string, { start: number; volatility: number }> = {
  BTCUSD: { start: 30000, volatility: 0.6 },
  ETHUSD: { start: 2000, volatility: 0.75 },
  BNBUSD: { start: 300, volatility: 0.7 },
  LINKUSD: { start: 15, volatility: 0.9 },
  XRPUSD: { start: 0.5, volatility: 0.9 },
  DOGEUSD: { start: 0.08, volatility: 1.0 },
};

function tickSize(spec: SymbolSpec): number {
  return Number(spec.tick.units) / 10 ** spec.tick.scale;
}

export function defaultSettings(symbols: readonly SymbolSpec[], seed: number): MarketSettings {
  const pairs: Record<string, ReferenceSettings> = {};
  const contracts: Record<string, ContractSettings> = {};
  for (const spec of symbols) {
    if (spec.contractStatus !== "TRADING") continue;
    const pair = PAIRS[spec.pair] ?? { start: 100, volatility: 0.8 };
    pairs[spec.pair] ??= {
      start: pair.start,
      volatility: pair.volatility,
      drift: 0,
      jumpsPerDay: 2,
      jumpPct: 1,
      reversion: 36.5,
    };
    const stepTicks = Math.max(1, Math.round((pair.start * 1.5e-4) / tickSize(spec)));
    // BTCUSD contracts are 100 USD, the others 10 USD.
    const lot = spec.contractSize >= 100 ? 1 : 10;
    contracts[spec.symbol] = {
      premiumPct: spec.contractType === "PERPETUAL" ? 0 : 0.2,
      maker: {
        halfSpreadTicks: 1,
        levels: 10,
        stepTicks,
        size: 20 * lot,
        sizeGrowth: 0.5,
        skewTicks: stepTicks * 2,
        maxInventory: 2000 * lot,
        refreshMs: 1000,
      },
      taker: {
        perMinute: 30,
        excitation: 0,
        excitationHalfLifeMs: 5000,
        meanSize: 5 * lot,
        maxInventory: 2000 * lot,
      },
    };
  }
  return { seed, stepMs: 100, pairs, contracts };
}

/** One line saying the market in force, seed first, so that a run can be started again alike. */
export function describeMarket(settings: MarketSettings): string {
  const pairs = Object.entries(settings.pairs)
    .map(([pair, r]) => `${pair} from ${r.start} (volatility ${Math.round(r.volatility * 100)} %)`)
    .join(", ");
  return `market: simulated, seed ${settings.seed} (--seed ${settings.seed} starts it again alike; every setting: papi-venue market status): ${pairs}`;
}
