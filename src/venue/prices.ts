// Index and mark prices as commands. An index comes per pair from the simulated or
// replayed market, or from the admin (`setIndexPrices`); each symbol's mark is then
// computed from it by domain/funding.ts's formulas, at once and again at every price
// step. A price step runs at every whole second of the venue clock (schedule.ts): every
// 5 s it samples each symbol's basis (mid − index) and premium index from the book, then
// it delivers the quarterlies whose time has come (delivery.ts), recomputes the marks,
// settles funding when the step is a funding time (funding.ts),
// draws the one-minute index, mark and premium candles, and reviews the accounts' risk
// levels (portfolio.ts), liquidating those below uniMMR 1.05. A pair without an index has
// no computed mark: its symbols' marks stay the admin's, else the last trade.

import {
  buildCandles,
  type Candle,
  emptyCandle,
  type Interval,
  openTimeBefore,
  openTimeOf,
} from "../domain/candles.js";
import {
  addPremium,
  averagePremium8,
  BASIS_SAMPLES,
  deliveryMark8,
  fundingCap8,
  fundingRate8,
  impactContracts,
  impactPrice8,
  isFundingTime,
  nextFundingTime,
  perpetualMark8,
  premium8,
  SAMPLE_MS,
  tickPrice8,
  ticksOf,
} from "../domain/funding.js";
import { listSymbols, type SymbolSpec } from "../domain/symbols.js";
import type { PriceKind, Store } from "../store/store.js";
import { priceMoved } from "./arming.js";
import { deliver, dueDeliveries, sampleSettlement } from "./delivery.js";
import { settleFunding } from "./funding.js";
import type { OpenBatch } from "./group-commit.js";
import type { Pipeline } from "./pipeline.js";
import { reviewRisk } from "./portfolio.js";
import { PRICE_STATE } from "./price-board.js";
import type { VenueState } from "./state.js";

/** Levels read from each side of a book for the impact prices. */
const IMPACT_LEVELS = 1000;

/**
 * Sets pairs' index prices (price8), or clears them (undefined: their symbols' marks go
 * back to the admin's or the last trade), and recomputes their symbols' marks.
 */
export function setIndexPrices(
  state: VenueState,
  pipeline: Pipeline,
  prices: ReadonlyMap<string, number | undefined>,
  now: number,
): void {
  const batch = pipeline.batch();
  for (const [pair, price] of prices) {
    if (price === undefined) state.prices.index.delete(pair);
    else {
      state.prices.index.set(pair, price);
      drawPrice(state, batch, "index", pair, price, now);
    }
  }
  for (const spec of listSymbols(now)) {
    if (!prices.has(spec.pair)) continue;
    if (prices.get(spec.pair) === undefined) state.prices.symbol(spec.symbol).mark = undefined;
    else markSymbol(state, spec, now);
  }
  reviewRisk(state, pipeline, now);
  batch.priceState.set(PRICE_STATE, state.prices.toJSON());
}

/** The current funding interval's rate so far (what premiumIndex calls lastFundingRate), rate8. */
export function estimatedRate8(state: VenueState, spec: SymbolSpec): number {
  const s = state.prices.symbol(spec.symbol);
  if (s.premium.count === 0 && s.paidRate8 !== undefined) return s.paidRate8;
  return fundingRate8(averagePremium8(s.premium), fundingCap8(spec.pair));
}

/** One price step at `at` (a whole second): samples, marks, funding, candles. */
export function priceStep(state: VenueState, pipeline: Pipeline, at: number): void {
  const prices = state.prices;
  prices.lastStep = at;
  const sampling = at % SAMPLE_MS === 0;
  const funding = isFundingTime(at);
  let changed = false;
  const batch = () => pipeline.batch();
  for (const spec of dueDeliveries(state, at)) {
    deliver(state, pipeline, spec, at);
    changed = true;
  }
  if (sampleSettlement(state, at)) changed = true;
  for (const spec of listSymbols(at)) {
    const index = prices.index.get(spec.pair);
    if (index !== undefined && sampling) {
      sample(state, batch(), spec, index, at);
      changed = true;
    }
    if (index !== undefined) {
      markSymbol(state, spec, at);
      changed = true;
    }
    // The mark in force, whatever sets it (computed, the admin's, the last trade), draws its candle.
    const mark = state.markPrice(spec.symbol);
    if (mark !== undefined) drawPrice(state, batch(), "mark", spec.symbol, tickPrice8(spec, mark), at);
    if (funding && spec.contractType === "PERPETUAL" && at > prices.symbol(spec.symbol).lastFundingTime) {
      const mark = state.markPrice(spec.symbol);
      if (mark !== undefined) {
        settleFunding(state, pipeline, spec, mark, estimatedRate8(state, spec), at);
        changed = true;
      }
    }
  }
  if (changed) batch().priceState.set(PRICE_STATE, prices.toJSON());
  reviewRisk(state, pipeline, at);
}

/** Takes a 5-second sample of the symbol's basis and premium index from its book. */
function sample(state: VenueState, batch: OpenBatch, spec: SymbolSpec, index: number, at: number): void {
  const s = state.prices.symbol(spec.symbol);
  const contracts = impactContracts(spec);
  const bids = state.engine.depth(spec.symbol, "BUY", IMPACT_LEVELS);
  const asks = state.engine.depth(spec.symbol, "SELL", IMPACT_LEVELS);
  if (bids[0] && asks[0]) {
    const mid = (tickPrice8(spec, bids[0].price) + tickPrice8(spec, asks[0].price)) / 2;
    s.basis.push(Math.round(mid) - index);
    if (s.basis.length > BASIS_SAMPLES) s.basis.shift();
  }
  if (spec.contractType !== "PERPETUAL") return;
  const p = premium8(index, impactPrice8(spec, bids, contracts), impactPrice8(spec, asks, contracts));
  s.premium = addPremium(s.premium, p);
  s.lastPremium8 = p;
  drawPrice(state, batch, "premium", spec.symbol, p, at);
}

/** Recomputes the symbol's mark from its pair's index. */
function markSymbol(state: VenueState, spec: SymbolSpec, at: number): void {
  const index = state.prices.index.get(spec.pair);
  if (index === undefined) return;
  const s = state.prices.symbol(spec.symbol);
  const last = state.lastPrice.get(spec.symbol);
  const mark8 =
    spec.contractType === "PERPETUAL"
      ? perpetualMark8({
          index8: index,
          rate8: estimatedRate8(state, spec),
          msToFunding: isFundingTime(at) ? 0 : nextFundingTime(at) - at,
          basis: s.basis,
          last8: last === undefined ? undefined : tickPrice8(spec, last),
        })
      : deliveryMark8(index, s.basis);
  s.mark = ticksOf(spec, mark8);
  priceMoved(state, spec.symbol, "MARK_PRICE", at);
}

/** Adds a price to its one-minute candle. */
function drawPrice(
  state: VenueState,
  batch: OpenBatch,
  kind: PriceKind,
  name: string,
  price: number,
  at: number,
): void {
  const key = `${kind}|${name}`;
  const minute = openTimeOf("1m", at);
  let candle = state.prices.candles.get(key);
  if (!candle || candle.openTime < minute) {
    candle = { kind, name, ...emptyCandle(minute, price) };
    state.prices.candles.set(key, candle);
  }
  candle.high = Math.max(candle.high, price);
  candle.low = Math.min(candle.low, price);
  candle.close = price;
  candle.trades++;
  batch.priceCandles.set(`${key}|${candle.openTime}`, candle);
}

/** A price's candles of an interval opening in [from, to], the last `limit`, as committed. */
export function priceKlines(
  store: Store,
  kind: PriceKind,
  name: string,
  interval: Interval,
  from: number,
  to: number,
  limit: number,
): Candle[] {
  const first = Math.max(openTimeOf(interval, from), openTimeBefore(interval, to, limit - 1));
  const minutes = store.priceCandles(kind, name, first, to);
  const before = store.priceCandleBefore(kind, name, first);
  // The number of prices drawn is the minutes' sum, as trades are for trade candles.
  return buildCandles(interval, minutes, before, first, to, limit);
}
