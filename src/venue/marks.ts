// The admin's mark prices: a mark set for a symbol wins over its last trade (state.ts's
// markPrice) until it is cleared. Index prices, funding and the mark formula land here.

import { priceMoved } from "./arming.js";
import { snapshotPairs } from "./pair-stats.js";
import type { Pipeline } from "./pipeline.js";
import { reviewRisk } from "./portfolio.js";
import type { VenueState } from "./state.js";

/** Sets (ticks) or clears (undefined: back to the last trade) a symbol's mark price. */
export function setMarkPrice(
  state: VenueState,
  pipeline: Pipeline,
  symbol: string,
  price: number | undefined,
  now: number,
): void {
  snapshotPairs(state, pipeline, now);
  if (price === undefined) state.marks.delete(symbol);
  else state.marks.set(symbol, price);
  pipeline.batch().marks.set(symbol, price ?? null);
  priceMoved(state, symbol, "MARK_PRICE", now);
  reviewRisk(state, pipeline, now);
}

/** Keeps a value of the simulated market's between runs (its references), with the batch. */
export function keepMarketState(state: VenueState, pipeline: Pipeline, name: string, value: string): void {
  state.marketState.set(name, value);
  pipeline.batch().marketState.set(name, value);
}
