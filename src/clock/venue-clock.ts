// The venue clock: the one source of `now` for requests, streams, the simulated market
// and the scheduled work. It runs with the wall clock (ahead of it by what was advanced)
// or stands frozen; advancing moves it forward and never back, and a frozen clock that
// runs again goes on from where it stood. What falls due when it moves is for its
// caller to run (app.ts); the clock only tells time. Imports nothing.

export type ClockMode = "running" | "frozen";

/** What a data folder keeps of its clock, so a restart does not move time back. */
export interface ClockState {
  readonly mode: ClockMode;
  /** The frozen time, or the running clock's time when it was kept. */
  readonly time: number;
  /** How far a running clock is ahead of the wall clock, ms. */
  readonly aheadMs: number;
}

export class VenueClock {
  /** ms added to the wall clock while running. */
  private aheadMs = 0;
  private frozenAt: number | undefined;

  constructor(private readonly wall: () => number = Date.now) {}

  /** A clock frozen at `time`. */
  static frozen(time: number, wall: () => number = Date.now): VenueClock {
    const clock = new VenueClock(wall);
    clock.frozenAt = time;
    return clock;
  }

  /** A clock as a data folder kept it: frozen where it stood, or running as far ahead. */
  static restored(state: ClockState, wall: () => number = Date.now): VenueClock {
    const clock = new VenueClock(wall);
    if (state.mode === "frozen") clock.frozenAt = state.time;
    // A running clock never starts behind the time it had when it was kept.
    else clock.aheadMs = Math.max(state.aheadMs, state.time - wall());
    return clock;
  }

  now(): number {
    return this.frozenAt ?? this.wall() + this.aheadMs;
  }

  get mode(): ClockMode {
    return this.frozenAt === undefined ? "running" : "frozen";
  }

  state(): ClockState {
    return { mode: this.mode, time: this.now(), aheadMs: this.aheadMs };
  }

  /** Stops the clock where it stands; nothing when it is frozen already. */
  freeze(): void {
    this.frozenAt ??= this.now();
  }

  /** Lets a frozen clock run again from where it stands. */
  resume(): void {
    if (this.frozenAt === undefined) return;
    this.aheadMs = this.frozenAt - this.wall();
    this.frozenAt = undefined;
  }

  /** Moves the clock `ms` forward (running or frozen); answers the new time. */
  advance(ms: number): number {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError("a clock moves forward by whole ms");
    if (this.frozenAt === undefined) this.aheadMs += ms;
    else this.frozenAt += ms;
    return this.now();
  }

  /**
   * Sets a frozen clock's time, forward or back: for `serve --clock-start` before anything
   * runs, and for tests that place each command at a time of their choosing.
   */
  set(time: number): void {
    this.frozenAt = time;
  }
}
