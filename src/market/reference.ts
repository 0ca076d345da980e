// A pair's reference price (the venue's index once it keeps one): geometric Brownian
// motion with Poisson jumps, optionally pulled back to its start price (an
// Ornstein-Uhlenbeck drift on the log price). Steps are in milliseconds of the venue
// clock; the same seed and steps give the same path.
//
// Per step of dt years: log S += (drift − vol²/2 − reversion × log(S / start)) dt
// + vol √dt Z + Σ jumps, the number of jumps Poisson(jumpsPerYear × dt), each normal
// with standard deviation jumpPct %.

import type { Random } from "../domain/random.js";

export interface ReferenceSettings {
  /** USD. */
  readonly start: number;
  /** Annual volatility, e.g. 0.6 for 60 %. */
  readonly volatility: number;
  /** Annual drift. */
  readonly drift: number;
  /** Jumps per day. */
  readonly jumpsPerDay: number;
  /** Standard deviation of a jump, % of the price. */
  readonly jumpPct: number;
  /** Pull towards the start price, per year (0: none; 36.5: a half-life of about a week). */
  readonly reversion: number;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** What the market reads a pair's reference from: this process, or a replayed file (replay.ts). */
export interface ReferenceSource {
  readonly price: number;
  step(ms: number): void;
  jump(pct: number): void;
  configure(settings: ReferenceSettings): void;
}

export class Reference implements ReferenceSource {
  private logPrice: number;

  constructor(
    private settings: ReferenceSettings,
    private readonly random: Random,
  ) {
    this.logPrice = Math.log(settings.start);
  }

  get price(): number {
    return Math.exp(this.logPrice);
  }

  configure(settings: ReferenceSettings): void {
    this.settings = settings;
  }

  step(ms: number): void {
    const s = this.settings;
    const dt = ms / YEAR_MS;
    const pull = s.reversion * (this.logPrice - Math.log(s.start));
    this.logPrice += (s.drift - (s.volatility * s.volatility) / 2 - pull) * dt;
    this.logPrice += s.volatility * Math.sqrt(dt) * this.random.normal();
    const jumps = this.random.poisson((s.jumpsPerDay * 365 * ms) / YEAR_MS);
    for (let i = 0; i < jumps; i++) this.logPrice += Math.log1p((s.jumpPct / 100) * this.random.normal());
  }

  /** Goes on from `price` (where a previous run left it). */
  resume(price: number): void {
    if (price > 0) this.logPrice = Math.log(price);
  }

  /** Moves the price by `pct` % at once (an admin's jump). */
  jump(pct: number): void {
    this.logPrice += Math.log1p(pct / 100);
  }
}
