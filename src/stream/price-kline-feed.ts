// The index and mark price kline streams: `<pair>@indexPriceKline_<interval>` and
// `<symbol>@markPriceKline_<interval>`, from the price candles the venue draws each second
// (venue/prices.ts). A feed speaks at its period (250 ms, as Binance's page gives it) only
// when its candle changed, and once more with `x: true` when the interval closes, as the
// trade klines do (market-feeds.ts calls in).

import { type Candle, type Interval, nextOpenTime, openTimeOf } from "../domain/candles.js";
import { format8 } from "../domain/premium-index.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { Venue } from "../venue/venue.js";

export type PriceKlineKey =
  | { readonly kind: "markPriceKline"; readonly symbol: SymbolSpec; readonly interval: Interval }
  | { readonly kind: "indexPriceKline"; readonly pair: string; readonly interval: Interval };

/** What a price kline feed remembers between periods. */
export interface PriceKlineState {
  /** Open time of the candle it last showed. */
  openTime?: number;
  /** That candle as it last showed it. */
  shown?: string;
}

function body(key: PriceKlineKey, at: number, c: Candle, closed: boolean) {
  const k = {
    t: c.openTime,
    T: nextOpenTime(key.interval, c.openTime) - 1,
    s: key.kind === "markPriceKline" ? key.symbol.symbol : "0",
    i: key.interval,
    f: c.openTime,
    L: Math.min(at, nextOpenTime(key.interval, c.openTime) - 1),
    o: format8(c.open),
    c: format8(c.close),
    h: format8(c.high),
    l: format8(c.low),
    v: "0",
    n: c.trades,
    x: closed,
    q: "0",
    V: "0",
    Q: "0",
    B: "0",
  };
  const pair = key.kind === "markPriceKline" ? key.symbol.pair : key.pair;
  return { e: key.kind === "markPriceKline" ? "markPrice_kline" : "indexPrice_kline", E: at, ps: pair, k };
}

/** Tells the feed's candle if it changed, and the one before, final, when it closed. */
export async function speakPriceKline(
  venue: Venue,
  key: PriceKlineKey,
  state: PriceKlineState,
  at: number,
  publish: (event: unknown) => void,
): Promise<void> {
  const kind = key.kind === "markPriceKline" ? "mark" : "index";
  const name = key.kind === "markPriceKline" ? key.symbol.symbol : key.pair;
  const open = openTimeOf(key.interval, at);
  if (state.openTime !== undefined && state.openTime < open) {
    const [closed] = await venue.priceKlines(kind, name, key.interval, state.openTime, state.openTime, 1);
    if (closed) publish(body(key, at, closed, true));
    state.shown = undefined;
  }
  const candles = await venue.priceKlines(kind, name, key.interval, open, at, 1);
  const current = candles[candles.length - 1];
  if (!current || current.openTime !== open) return;
  state.openTime = open;
  const shown = `${current.open}|${current.high}|${current.low}|${current.close}|${current.trades}`;
  if (shown === state.shown) return;
  state.shown = shown;
  publish(body(key, at, current, false));
}
