// The venue's prices beyond the last trade: each pair's index, and per symbol the samples
// its mark and funding rate are computed from (venue/prices.ts), the computed mark, and
// what the last funding paid. Kept in memory with the state and, whole, as one JSON value
// in the store whenever a step changes it, so a restart goes on from the same samples.

import type { PremiumAverage } from "../domain/funding.js";
import { NO_PREMIUM } from "../domain/funding.js";
import type { PriceCandleRow, Snapshot } from "../store/store.js";

export const PRICE_STATE = "prices";

export interface SymbolPrices {
  /** The last 30 samples of mid − index, price8, oldest first. */
  basis: number[];
  /** The premium samples of the funding interval under way. */
  premium: PremiumAverage;
  /** The latest premium sample, rate8. */
  lastPremium8: number | undefined;
  /** The mark computed from the index (ticks); undefined without an index. */
  mark: number | undefined;
  /** The rate the last funding paid, rate8; undefined before the first. */
  paidRate8: number | undefined;
  /** Time of the last funding settled (0 before the first). */
  lastFundingTime: number;
}

interface Kept {
  lastStep: number;
  index: Record<string, number>;
  symbols: Record<string, SymbolPrices>;
  settle?: Record<string, Settlement>;
  delivered?: Record<string, Delivered>;
}

/** A quarterly's delivery average so far: Σ index (price8) and how many seconds. */
export interface Settlement {
  readonly sum: number;
  readonly count: number;
}

/** A delivered quarterly: when, and at what price (price8; 0 when it had no price). */
export interface Delivered {
  readonly time: number;
  readonly price8: number;
}

export class PriceBoard {
  /** Each pair's index, price8. */
  readonly index = new Map<string, number>();
  readonly symbols = new Map<string, SymbolPrices>();
  /** Each price's latest one-minute candle, by `kind|name`. */
  readonly candles = new Map<string, PriceCandleRow>();
  /** The quarterlies' delivery averages in their last 30 minutes (delivery.ts). */
  readonly settle = new Map<string, Settlement>();
  readonly delivered = new Map<string, Delivered>();
  /** Time of the last price step taken (0 before the first). */
  lastStep = 0;

  load(snap: Snapshot): void {
    this.index.clear();
    this.symbols.clear();
    this.candles.clear();
    this.settle.clear();
    this.delivered.clear();
    this.lastStep = 0;
    for (const c of snap.lastPriceCandles) this.candles.set(`${c.kind}|${c.name}`, { ...c });
    const text = snap.priceState.get(PRICE_STATE);
    if (text !== undefined) {
      const kept = JSON.parse(text) as Kept;
      this.lastStep = kept.lastStep;
      for (const [pair, price] of Object.entries(kept.index)) this.index.set(pair, price);
      for (const [symbol, prices] of Object.entries(kept.symbols)) this.symbols.set(symbol, prices);
      for (const [symbol, acc] of Object.entries(kept.settle ?? {})) this.settle.set(symbol, acc);
      for (const [symbol, d] of Object.entries(kept.delivered ?? {})) this.delivered.set(symbol, d);
    }
    for (const f of snap.lastFundings) {
      const s = this.symbol(f.symbol);
      if (f.fundingTime >= s.lastFundingTime) {
        s.lastFundingTime = f.fundingTime;
        s.paidRate8 = f.rate8;
      }
    }
  }

  symbol(name: string): SymbolPrices {
    let s = this.symbols.get(name);
    if (!s) {
      s = {
        basis: [],
        premium: NO_PREMIUM,
        lastPremium8: undefined,
        mark: undefined,
        paidRate8: undefined,
        lastFundingTime: 0,
      };
      this.symbols.set(name, s);
    }
    return s;
  }

  /** The whole board as the store keeps it. */
  toJSON(): string {
    const kept: Kept = {
      lastStep: this.lastStep,
      index: Object.fromEntries(this.index),
      symbols: Object.fromEntries(this.symbols),
      settle: Object.fromEntries(this.settle),
      delivered: Object.fromEntries(this.delivered),
    };
    return JSON.stringify(kept);
  }
}
