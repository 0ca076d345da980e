// The venue's scheduled work: a price step at every whole second of the venue clock
// (prices.ts: samples, marks, funding at 00:00, 08:00 and 16:00 UTC, price candles).
// `advance(now)` runs the steps due up to `now` in time order, inside one command, so
// what falls due together commits together. The simulated market advances the venue
// before each of its steps; without it, `serve` advances it as the clock moves; tests
// advance it themselves.
//
// A venue that was stopped does not replay the seconds it missed: it goes on from at
// most a minute before `now`, and a funding time it slept through is settled once, at
// the first step after it comes back (a settlement a kill interrupted is redone whole).

import { FUNDING_INTERVAL_MS } from "../domain/funding.js";
import type { Pipeline } from "./pipeline.js";
import { priceStep } from "./prices.js";
import type { VenueState } from "./state.js";

export const STEP_MS = 1000;
/** How far back a restarted venue resumes its steps. */
const CATCH_UP_MS = 60_000;

export function advance(state: VenueState, pipeline: Pipeline, now: number): void {
  const due = Math.floor(now / STEP_MS) * STEP_MS;
  const prices = state.prices;
  // A store that never kept a step (a new venue, or one whose steps changed nothing yet)
  // starts a minute back, like a venue coming back from a stop.
  if (prices.lastStep === 0) prices.lastStep = due - CATCH_UP_MS - STEP_MS;
  if (due <= prices.lastStep) return;
  if (due - prices.lastStep > CATCH_UP_MS) {
    const missedFunding = Math.floor((due - CATCH_UP_MS) / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
    if (missedFunding > prices.lastStep) priceStep(state, pipeline, missedFunding);
    prices.lastStep = due - CATCH_UP_MS;
  }
  for (let at = prices.lastStep + STEP_MS; at <= due; at += STEP_MS) priceStep(state, pipeline, at);
}
