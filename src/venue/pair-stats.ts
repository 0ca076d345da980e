// The pairs' statistics snapshots (domain/pair-stats.ts) without scheduled work: the
// first command after a 5-minute boundary snapshots every traded pair before it changes
// anything, so the snapshot is the state at the boundary (nothing changed since the
// command before it, which came before the boundary). A boundary with no snapshot of its
// own therefore stands as the next snapshot after it does, and a boundary after the last
// snapshot stands as the state does now. Commands that can move what a snapshot counts
// (positions, wallets, marks, books) call `snapshotPairs` first.

import { type Interval, nextOpenTime, openTimeBefore, openTimeOf } from "../domain/candles.js";
import { unrealizedUnits } from "../domain/inverse.js";
import { notionalUnits } from "../domain/margin.js";
import { type Holder, type PairStats, pairStats, statsBoundary } from "../domain/pair-stats.js";
import { findSymbol, listSymbols, type SymbolSpec } from "../domain/symbols.js";
import type { Store } from "../store/store.js";
import type { Pipeline } from "./pipeline.js";
import type { VenueState } from "./state.js";

/** Only the last 30 days of statistics are served, as Binance's pages say. */
const KEPT_MS = 30 * 24 * 60 * 60 * 1000;

/** Snapshots every traded pair at the boundary `now` has entered, once per boundary. */
export function snapshotPairs(state: VenueState, pipeline: Pipeline, now: number): void {
  const time = statsBoundary(now);
  if (time <= state.pairStatsTime) return;
  state.pairStatsTime = time;
  const batch = pipeline.batch();
  const pairs = new Set<string>();
  for (const symbol of state.lastPrice.keys()) {
    const spec = findSymbol(symbol);
    if (spec) pairs.add(spec.pair);
  }
  for (const pair of [...pairs].sort()) batch.pairStats.push(pairStatsNow(state, pair, time));
}

/** The pair's statistics as the state stands, stamped `time`. */
export function pairStatsNow(state: VenueState, pair: string, time: number): PairStats {
  const specs = listSymbols().filter((s) => s.pair === pair);
  const mark = (spec: SymbolSpec) => state.markPrice(spec.symbol);
  const contracts = specs.map((spec) => {
    const openInterest = state.accounts.openInterest(spec.symbol);
    const at = mark(spec);
    return {
      symbol: spec.symbol,
      openInterest,
      valueUnits: at === undefined || openInterest === 0 ? 0n : notionalUnits(spec, openInterest, at),
    };
  });
  const asset = specs[0]?.marginAsset;
  const holders: Holder[] = [];
  for (const [accountId, positions] of state.accounts.holdings()) {
    let held = false;
    let net = 0;
    let unrealized = 0n;
    for (const p of positions.values()) {
      if (p.amount === 0) continue;
      const spec = findSymbol(p.symbol);
      if (!spec || spec.marginAsset !== asset) continue;
      const at = mark(spec);
      if (at !== undefined) unrealized += unrealizedUnits(spec, p.amount, p.entryAcc, at);
      if (spec.pair !== pair) continue;
      held = true;
      net += p.amount;
    }
    if (!held) continue;
    const wallet = (asset && state.accounts.get(accountId)?.balances.get(asset)?.units) || 0n;
    holders.push({ accountId, net, marginBalance: wallet + unrealized });
  }
  return pairStats(pair, time, contracts, holders);
}

/**
 * The pair's statistics at the close of each period of `interval` (multiples of it on
 * the clock) from the pair's first trade, within the last 30 days and [startTime,
 * endTime], the last `limit` of them, oldest first.
 */
export function pairStatsSeries(
  state: VenueState,
  store: Store,
  pair: string,
  interval: Interval,
  range: { startTime?: number | undefined; endTime?: number | undefined },
  limit: number,
  now: number,
): PairStats[] {
  const firsts = listSymbols()
    .filter((s) => s.pair === pair)
    .map((s) => store.firstTradeTime(s.symbol))
    .filter((t): t is number => t !== undefined);
  if (firsts.length === 0) return [];
  const to = Math.min(range.endTime ?? now, now);
  const last = openTimeOf(interval, to);
  const from = Math.max(
    Math.min(...firsts),
    range.startTime ?? 0,
    now - KEPT_MS,
    openTimeBefore(interval, to, limit - 1),
  );
  let boundary = openTimeOf(interval, from);
  if (boundary < from) boundary = nextOpenTime(interval, boundary);
  if (boundary > last) return [];
  const rows = store.pairStats(pair, boundary, last);
  const out: PairStats[] = [];
  let next = 0;
  // Every boundary past the last snapshot stands as things stand now: counted once.
  let live: PairStats | undefined;
  for (; boundary <= last; boundary = nextOpenTime(interval, boundary)) {
    while (next < rows.length && rows[next]!.time < boundary) next++;
    // A boundary stands as the first snapshot at or after it; past the last, as things stand.
    let stats = rows[next];
    if (!stats) {
      live ??= pairStatsNow(state, pair, boundary);
      stats = live;
    }
    out.push({ ...stats, time: boundary });
  }
  return out.slice(-limit);
}
