// priceMatch: a LIMIT order priced by the book instead of by the client. OPPONENT takes
// the best price of the other side, OPPONENT_5/10/20 its 5th, 10th or 20th best level;
// QUEUE the best price of the order's own side, QUEUE_5/10/20 its deeper levels (Binance's
// New CM Order page lists the eight values; it is not to be sent with `price`). A side
// with fewer levels gives its last one.

import type { PriceMatch, Side } from "./order.js";

export { PRICE_MATCHES, type PriceMatch } from "./order.js";

/** Which side of the book a match reads for an order of `side`, and how deep. */
export function matchLevel(match: PriceMatch, side: Side): { book: Side; depth: number } {
  const [kind, depth] = match.split("_") as [string, string | undefined];
  const opposite: Side = side === "BUY" ? "SELL" : "BUY";
  return { book: kind === "OPPONENT" ? opposite : side, depth: depth === undefined ? 1 : Number(depth) };
}
