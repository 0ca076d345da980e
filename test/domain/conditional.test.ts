// Conditional order rules (domain/conditional.ts), each from Binance's New CM Conditional Order page.
import { describe, expect, it } from "vitest";
import {
  followTrail,
  protectedEnough,
  reaches,
  startTrail,
  trailingStop,
  triggerDirection,
} from "../../src/domain/conditional.js";

describe("stop directions", () => {
  it("fires a BUY stop on a rise to it and a SELL stop on a fall, take-profits the other way", () => {
    expect(triggerDirection("STOP_MARKET", "BUY")).toBe("RISE");
    expect(triggerDirection("STOP", "SELL")).toBe("FALL");
    expect(triggerDirection("TAKE_PROFIT_MARKET", "BUY")).toBe("FALL");
    expect(triggerDirection("TAKE_PROFIT", "SELL")).toBe("RISE");
  });

  it("reaches the stop at it and beyond, not short of it", () => {
    expect(reaches("RISE", 100, 100)).toBe(true);
    expect(reaches("RISE", 100, 99)).toBe(false);
    expect(reaches("FALL", 100, 100)).toBe(true);
    expect(reaches("FALL", 100, 101)).toBe(false);
  });
});

describe("trailing stops", () => {
  // A SELL trailing stop, activation 105, callback 1 % (100): it arms once the highest
  // price seen reaches 105 and fires when the price falls 1 % below that highest.
  it("arms at the activation price and fires 1 % under the highest price seen", () => {
    let trail = startTrail("SELL", 1050, 1000);
    expect(trail).toEqual({ extreme: 1000, active: false });
    let step = followTrail("SELL", 1050, 100, trail, 1040);
    expect(step).toEqual({ trail: { extreme: 1040, active: false }, fires: false });
    step = followTrail("SELL", 1050, 100, step.trail, 1100);
    expect(step).toEqual({ trail: { extreme: 1100, active: true }, fires: false });
    expect(trailingStop("SELL", 100, step.trail)).toBe(1089);
    trail = step.trail;
    expect(followTrail("SELL", 1050, 100, trail, 1090).fires).toBe(false);
    expect(followTrail("SELL", 1050, 100, trail, 1089).fires).toBe(true);
  });

  it("follows the lowest price for a BUY and fires 1 % above it", () => {
    const trail = followTrail("BUY", 950, 100, startTrail("BUY", 950, 1000), 900).trail;
    expect(trail).toEqual({ extreme: 900, active: true });
    expect(trailingStop("BUY", 100, trail)).toBe(909);
    expect(followTrail("BUY", 950, 100, trail, 908).fires).toBe(false);
    expect(followTrail("BUY", 950, 100, trail, 909).fires).toBe(true);
  });
});

describe("price protection", () => {
  it("lets a stop fire while the mark and the last price are within triggerProtect (5 %)", () => {
    expect(protectedEnough(10_000, 10_500, 500)).toBe(true);
    expect(protectedEnough(10_000, 10_501, 500)).toBe(false);
  });
});
