// Index, mark and funding formulas (domain/funding.ts), each worked by hand.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addPremium,
  averagePremium8,
  fundingCap8,
  fundingRate8,
  fundingValue,
  impactContracts,
  impactPrice8,
  NO_PREMIUM,
  perpetualMark8,
  premium8,
  shareOut,
  ticksOf,
} from "../../src/domain/funding.js";
import { findSymbol } from "../../src/domain/symbols.js";

const BTC = findSymbol("BTCUSD_PERP")!;
const ETH = findSymbol("ETHUSD_PERP")!;
const usd = (price: number) => Math.round(price * 1e8);
const HOUR = 3_600_000;

describe("impact prices", () => {
  it("takes 200 USD of margin at 125x: 250 BTC contracts of 100 USD, 2500 ETH contracts of 10 USD", () => {
    expect(impactContracts(BTC)).toBe(250);
    expect(impactContracts(ETH)).toBe(2500);
  });

  it("averages the levels it walks harmonically: 100 at 30000 and 150 at 30010 give 250 / (100/30000 + 150/30010)", () => {
    const levels = [
      { price: 300_000, qty: 100 },
      { price: 300_100, qty: 200 },
    ];
    expect(impactPrice8(BTC, levels, 250)).toBe(3_000_599_920_011);
  });

  it("prices what a thin side cannot fill at its last level, and has no price for an empty side", () => {
    expect(impactPrice8(BTC, [{ price: 300_000, qty: 10 }], 250)).toBe(usd(30000));
    expect(impactPrice8(BTC, [], 250)).toBeUndefined();
  });
});

describe("premium index", () => {
  it("is (impact bid − index) / index when bids stand above the index: 30 / 30000 = 0.1 %", () => {
    expect(premium8(usd(30000), usd(30030), usd(30040))).toBe(100_000);
  });

  it("is −(index − impact ask) / index when asks stand below it", () => {
    expect(premium8(usd(30000), usd(29950), usd(29985))).toBe(-50_000);
  });

  it("is 0 when the index is inside the impact spread or a side is empty", () => {
    expect(premium8(usd(30000), usd(29990), usd(30010))).toBe(0);
    expect(premium8(usd(30000), undefined, undefined)).toBe(0);
  });

  it("averages samples with weights 1, 2, 3: (10 + 2·20 + 3·30) / 6 = 23.33 → 23", () => {
    let avg = NO_PREMIUM;
    for (const p of [10, 20, 30]) avg = addPremium(avg, p);
    expect(averagePremium8(avg)).toBe(23);
    expect(averagePremium8(NO_PREMIUM)).toBe(0);
  });
});

describe("funding rate", () => {
  it("caps at ±75 % of (1/125 − 0.4 %) = ±0.3 % for BTCUSD", () => {
    expect(fundingCap8("BTCUSD")).toBe(300_000);
  });

  it("is the interest rate, 0.01 %, when the premium is within 0.05 % of it", () => {
    expect(fundingRate8(0, 300_000)).toBe(10_000);
    expect(fundingRate8(20_000, 300_000)).toBe(10_000);
    expect(fundingRate8(-30_000, 300_000)).toBe(10_000);
  });

  it("is P − 0.05 % above that band and P + 0.05 % below it", () => {
    expect(fundingRate8(100_000, 300_000)).toBe(50_000);
    expect(fundingRate8(-100_000, 300_000)).toBe(-50_000);
  });

  it("stops at the cap", () => {
    expect(fundingRate8(500_000, 300_000)).toBe(300_000);
    expect(fundingRate8(-500_000, 300_000)).toBe(-300_000);
  });
});

describe("mark price", () => {
  it("is the median of index × (1 + rate × 4h/8h), index + basis average and the last price", () => {
    // 30000 × (1 + 0.0005 × 0.5) = 30007.5; 30000 + (30 + 40) / 2 = 30035; last 30040.
    const mark = perpetualMark8({
      index8: usd(30000),
      rate8: 50_000,
      msToFunding: 4 * HOUR,
      basis: [usd(30), usd(40)],
      last8: usd(30040),
    });
    expect(mark).toBe(usd(30035));
  });

  it("is the mean of the first two prices before any trade", () => {
    const mark = perpetualMark8({
      index8: usd(30000),
      rate8: 50_000,
      msToFunding: 4 * HOUR,
      basis: [],
      last8: undefined,
    });
    expect(mark).toBe(usd(30003.75));
  });

  it("rounds to the tick, half up", () => {
    expect(ticksOf(BTC, usd(30003.75))).toBe(300_038);
  });
});

describe("funding in coin", () => {
  it("is 10 contracts × 100 USD / 30000 × 0.01 % = 0.0000033333 BTC: 1000/3 units of 10^-8", () => {
    const v = fundingValue(BTC, 10, 300_000, 10_000);
    expect(v.num * 3n).toBe(v.den * 1000n);
  });

  it("shares 333 units over 3 and 7 contracts as 99.9 and 233.1: 100 and 233, the unit left to the larger remainder", () => {
    expect(shareOut(333n, [3, 7])).toEqual([100n, 233n]);
    expect(shareOut(-333n, [3, 7])).toEqual([-100n, -233n]);
  });

  it("shares any total exactly, each share within one unit of its exact part", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -1_000_000_000_000n, max: 1_000_000_000_000n }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const shares = shareOut(total, weights);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(total);
          const sum = BigInt(weights.reduce((a, b) => a + b, 0));
          for (const [i, w] of weights.entries()) {
            const exact = total * BigInt(w);
            const diff = shares[i]! * sum - exact;
            expect(diff < 0n ? -diff : diff).toBeLessThan(sum);
          }
        },
      ),
    );
  });
});
