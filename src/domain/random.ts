// The venue's randomness (the simulated market's, the injected faults' draws), all of it
// from one seed (pure-rand's xoroshiro128+). Each participant draws from a stream of its
// own, forked from the seed by its name, so adding a symbol or an agent leaves every
// other stream's numbers as they were.

import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

type Generator = ReturnType<typeof xoroshiro128plus>;

/**
 * The seed of a named stream: FNV-1a over the seed and the name, then a finalizer that
 * spreads every input bit, so that nearby seeds start far apart (xoroshiro128+'s first
 * outputs follow its seed closely).
 */
function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte & 0xff;
    h = Math.imul(h, 0x01000193);
  };
  for (let i = 0; i < 4; i++) mix(seed >>> (i * 8));
  for (let i = 0; i < name.length; i++) mix(name.charCodeAt(i));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class Random {
  private readonly generator: Generator;
  /** A second normal from the last Box-Muller pair, not yet used. */
  private spare: number | undefined;

  constructor(seed: number, name = "") {
    this.generator = xoroshiro128plus(streamSeed(seed, name));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.generator);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** How many events of a Poisson process with this mean fall in one draw (Knuth's method; means are small here). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  /** An integer in [1, ∞) with this mean (geometric): order sizes. */
  size(mean: number): number {
    if (mean <= 1) return 1;
    const p = 1 / mean;
    return 1 + Math.floor(Math.log(1 - this.uniform()) / Math.log(1 - p));
  }
}
