// The note every move of a working price leaves for the conditional orders' triggers,
// taken by conditional.ts after the command. Kept apart from conditional.ts so that the
// files that move prices (record.ts, marks.ts, prices.ts) need not import it.

import type { Strategy } from "../domain/conditional.js";
import type { VenueState } from "./state.js";

/**
 * Notes that a symbol's working price moved in the command under way, so the triggers on
 * it are checked after the command (conditional.ts's fireTriggers). Nothing to note
 * while no strategy is armed.
 */
export function priceMoved(
  state: VenueState,
  symbol: string,
  working: Strategy["working"],
  at: number,
): void {
  if (state.strategies.size > 0) state.movedPrices.set(`${symbol}|${working}`, at);
}
