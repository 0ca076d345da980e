// The one-minute candle of each symbol, kept as fills print (domain/candles.ts's
// minuteFor says which minute a fill goes into). Each changed candle is written whole
// with the batch (store/candle-table.ts); klines of every interval are built from these
// minutes (domain/candles.ts) when they are read.

import {
  addFill,
  buildCandles,
  type Candle,
  type Interval,
  minuteFor,
  openTimeBefore,
  openTimeOf,
} from "../domain/candles.js";
import { fillBaseAcc } from "../domain/inverse.js";
import type { Fill } from "../domain/order.js";
import type { CandleRow, Store } from "../store/store.js";
import type { OpenBatch } from "./group-commit.js";
import type { VenueState } from "./state.js";

export function recordCandles(state: VenueState, batch: OpenBatch, fills: readonly Fill[]): void {
  for (const fill of fills) {
    const open = state.candles.get(fill.symbol);
    const minute = minuteFor(open, fill.time, fill.price);
    const candle: CandleRow =
      open !== undefined && minute === open ? open : { symbol: fill.symbol, ...minute };
    if (candle !== open) state.candles.set(fill.symbol, candle);
    addFill(candle, fill.price, fill.qty, fillBaseAcc(fill.qty, fill.price), fill.taker.side === "BUY");
    batch.candles.set(`${fill.symbol}|${candle.openTime}`, candle);
  }
}

/** The symbol's candles of an interval opening in [from, to], the last `limit` of them, as committed. */
export function klines(
  store: Store,
  symbol: string,
  interval: Interval,
  from: number,
  to: number,
  limit: number,
): Candle[] {
  // Only the last `limit` intervals up to `to` can be answered: read no minute before them.
  const first = Math.max(openTimeOf(interval, from), openTimeBefore(interval, to, limit - 1));
  const minutes = store.candles(symbol, first, to);
  const before = store.candleBefore(symbol, first);
  return buildCandles(interval, minutes, before, first, to, limit);
}
