// The one-minute candle of each symbol, kept as fills print: a fill in a later minute
// opens a new candle; one whose time is before the open candle's (a wall clock set back)
// counts in the open one, so candles never go back. Each changed candle is written whole
// with the batch (store/candle-table.ts); klines of every interval are built from these
// minutes (domain/candles.ts) when they are read.

import {
  addFill,
  buildCandles,
  type Candle,
  emptyCandle,
  type Interval,
  openTimeBefore,
  openTimeOf,
} from "../domain/candles.js";
import { fillBaseAcc } from "../domain/inverse.js";
import type { Fill } from "../domain/order.js";
import type { Store } from "../store/store.js";
import type { OpenBatch } from "./group-commit.js";
import type { VenueState } from "./state.js";

export function recordCandles(state: VenueState, batch: OpenBatch, fills: readonly Fill[]): void {
  for (const fill of fills) {
    const minute = openTimeOf("1m", fill.time);
    let candle = state.candles.get(fill.symbol);
    if (!candle || candle.openTime < minute) {
      candle = { symbol: fill.symbol, ...emptyCandle(minute, fill.price) };
      state.candles.set(fill.symbol, candle);
    }
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
