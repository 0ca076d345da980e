// The reference price process: the same path from the same seed, the volatility it was
// given, jumps as asked, and the pull back to the start price when reversion is on.
import { describe, expect, it } from "vitest";
import { Random } from "../../src/domain/random.js";
import { Reference, type ReferenceSettings } from "../../src/market/reference.js";

const HOUR = 3_600_000;
const CALM: ReferenceSettings = {
  start: 30000,
  volatility: 0.6,
  drift: 0,
  jumpsPerDay: 0,
  jumpPct: 0,
  reversion: 0,
};

function path(settings: ReferenceSettings, seed: number, steps: number, ms: number): number[] {
  const r = new Reference(settings, new Random(seed, "reference:BTCUSD"));
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    r.step(ms);
    out.push(r.price);
  }
  return out;
}

describe("the reference price", () => {
  it("follows the same path from the same seed, and another from another seed", () => {
    expect(path(CALM, 1, 100, 1000)).toEqual(path(CALM, 1, 100, 1000));
    expect(path(CALM, 2, 100, 1000)).not.toEqual(path(CALM, 1, 100, 1000));
  });

  it("moves with the volatility it was given: hourly log returns over a year, annualized", () => {
    const prices = [CALM.start, ...path(CALM, 5, 24 * 365, HOUR)];
    const returns = prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
    const annual = Math.sqrt(variance * 24 * 365);
    expect(annual).toBeGreaterThan(0.6 * 0.95);
    expect(annual).toBeLessThan(0.6 * 1.05);
  });

  it("jumps by the percentage asked", () => {
    const r = new Reference(CALM, new Random(1));
    r.jump(10);
    expect(r.price).toBeCloseTo(33000, 6);
  });

  it("is pulled back towards its start when reversion is on", () => {
    const pulled = new Reference({ ...CALM, volatility: 0.01, reversion: 36.5 }, new Random(1));
    pulled.jump(20);
    // A half-life of ln 2 / 36.5 years is about a week: four weeks take the jump down to about 1/16 of it.
    for (let i = 0; i < 28 * 24; i++) pulled.step(HOUR);
    expect(Math.abs(pulled.price / 30000 - 1)).toBeLessThan(0.02);
  });

  it("jumps at the rate and size it was given", () => {
    const jumpy: ReferenceSettings = { ...CALM, volatility: 0, jumpsPerDay: 24, jumpPct: 1 };
    const prices = [CALM.start, ...path(jumpy, 9, 24 * 30, HOUR)];
    const moves = prices.slice(1).filter((p, i) => Math.abs(p / prices[i]! - 1) > 1e-6).length;
    // About one jump an hour, Poisson: most hours have one or more.
    expect(moves).toBeGreaterThan(24 * 30 * 0.55);
    expect(moves).toBeLessThan(24 * 30 * 0.72);
  });
});
