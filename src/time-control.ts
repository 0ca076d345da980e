// What moving the venue clock runs, for the admin API's clock controls: a freeze or a
// resume, then an advance, after which everything that fell due runs in time order
// through the venue like any command (the simulated market's steps, each after the
// venue's own scheduled work: prices, funding, delivery, triggers; without a market, the
// scheduled work alone), and the user-data stream expires the listenKeys that ran out.
// The clock's state is kept in the store after each change, so a restart does not move
// time back. Changes run one after the other.

import type { ClockControl } from "./api/admin-clock.js";
import type { MarketControl } from "./api/admin-market.js";
import type { ClockState, VenueClock } from "./clock/venue-clock.js";
import type { Venue } from "./venue/venue.js";

/** The longest stretch one call of the venue's scheduled work runs second by second. */
const STEP_LIMIT_MS = 60_000;

/** Where the venue keeps its clock's state (beside the market's, by name). */
export const KEPT_CLOCK = "clock";

export function clockControl(
  clock: VenueClock,
  venue: Venue,
  market: MarketControl | undefined,
  expire: () => void,
): ClockControl {
  let queue: Promise<void> = Promise.resolve();
  const change = async (freeze: boolean | undefined, advanceMs: number): Promise<void> => {
    if (freeze === true) clock.freeze();
    if (freeze === false) clock.resume();
    const from = clock.now();
    const to = clock.advance(advanceMs);
    if (market) await market.advance(to);
    // The venue's own steps take a gap over a minute as a restart (one funding for all
    // it slept through); an advance is time that passed, so it goes a minute at a time.
    else
      for (let at = Math.min(from + STEP_LIMIT_MS, to); ; at = Math.min(at + STEP_LIMIT_MS, to)) {
        await venue.advance(at);
        if (at === to) break;
      }
    expire();
    await venue.keepMarketState(KEPT_CLOCK, JSON.stringify(clock.state()), clock.now());
  };
  return {
    describe: () => {
      const state = clock.state();
      return { serverTime: state.time, mode: state.mode, aheadMs: state.aheadMs };
    },
    change: (freeze, advanceMs) => {
      const run = queue.then(() => change(freeze, advanceMs));
      queue = run.catch(() => {});
      return run;
    },
  };
}

/** The clock state a data folder kept, if any. */
export async function keptClock(venue: Venue): Promise<ClockState | undefined> {
  const kept = await venue.marketState(KEPT_CLOCK);
  return kept === undefined ? undefined : (JSON.parse(kept) as ClockState);
}
