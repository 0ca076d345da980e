// The venue clock on a wall clock the test moves: running ahead by what was advanced,
// frozen where it stood, and going on from there when it runs again.
import { describe, expect, it } from "vitest";
import { VenueClock } from "../../src/clock/venue-clock.js";

function wallAt(start: number) {
  const wall = { time: start, now: () => wall.time };
  return wall;
}

describe("VenueClock", () => {
  it("runs with the wall clock when new", () => {
    const wall = wallAt(1_000);
    const clock = new VenueClock(wall.now);
    wall.time = 5_000;
    expect([clock.now(), clock.mode]).toEqual([5_000, "running"]);
  });

  it("runs ahead of the wall clock by what was advanced", () => {
    const wall = wallAt(1_000);
    const clock = new VenueClock(wall.now);
    expect(clock.advance(60_000)).toBe(61_000);
    wall.time = 2_000;
    expect(clock.now()).toBe(62_000);
  });

  it("stands still while frozen, and moves only by an advance", () => {
    const wall = wallAt(1_000);
    const clock = new VenueClock(wall.now);
    clock.freeze();
    wall.time = 9_000;
    expect(clock.now()).toBe(1_000);
    expect(clock.advance(500)).toBe(1_500);
    expect(clock.mode).toBe("frozen");
  });

  it("goes on from where it stood when it runs again, never back", () => {
    const wall = wallAt(1_000);
    const clock = VenueClock.frozen(50_000, wall.now);
    wall.time = 3_000;
    clock.resume();
    expect(clock.now()).toBe(50_000);
    wall.time = 4_000;
    expect(clock.now()).toBe(51_000);
  });

  it("refuses to move back or by a fraction of a ms", () => {
    const clock = VenueClock.frozen(1_000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(0.5)).toThrow(RangeError);
    expect(clock.now()).toBe(1_000);
  });

  it("comes back from its kept state: frozen where it stood, running as far ahead", () => {
    const wall = wallAt(10_000);
    expect(VenueClock.restored({ mode: "frozen", time: 7_000, aheadMs: 0 }, wall.now).now()).toBe(7_000);
    expect(VenueClock.restored({ mode: "running", time: 15_000, aheadMs: 5_000 }, wall.now).now()).toBe(
      15_000,
    );
  });

  it("never comes back behind the time it kept, even when the wall clock went back", () => {
    const wall = wallAt(8_000);
    const clock = VenueClock.restored({ mode: "running", time: 15_000, aheadMs: 5_000 }, wall.now);
    expect(clock.now()).toBe(15_000);
  });
});
