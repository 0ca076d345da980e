// Auto-deleveraging quantiles (GET /papi/v1/cm/adlQuantile): where each position stands in
// the queue that would be closed against a bankrupt account. Every open position on a
// symbol's side is ranked by Binance's score, PnL ratio × effective leverage when in
// profit and PnL ratio / effective leverage at a loss (PnL ratio = unrealized / entry
// value, effective leverage = the position's value / its account's equity in the coin),
// and its rank among them (1 to n, ties sharing the higher rank) falls into five buckets:
// quantile = ceil(5 × rank / n) − 1, 0 (last in the queue) to 4 (first).

import { baseUnits, unrealizedUnits } from "../domain/inverse.js";
import { notionalUnits } from "../domain/margin.js";
import { findSymbol } from "../domain/symbols.js";
import type { HeldPosition } from "./accounts.js";
import type { VenueState } from "./state.js";

/** A position's place in the deleveraging queue: higher goes first. */
export function adlScore(state: VenueState, accountId: number, p: HeldPosition): number {
  const spec = findSymbol(p.symbol)!;
  const mark = state.markPrice(p.symbol);
  if (mark === undefined) return 0;
  const entry = Number(baseUnits(spec, p.entryAcc));
  const pnl = Number(unrealizedUnits(spec, p.amount, p.entryAcc, mark));
  const value = Number(notionalUnits(spec, Math.abs(p.amount), mark));
  let equity = Number(state.accounts.get(accountId)?.balances.get(spec.marginAsset)?.units ?? 0n);
  for (const other of state.accounts.positionsOf(accountId)) {
    const os = findSymbol(other.symbol)!;
    const m = state.markPrice(other.symbol);
    if (os.marginAsset === spec.marginAsset && m !== undefined && other.amount !== 0)
      equity += Number(unrealizedUnits(os, other.amount, other.entryAcc, m));
  }
  const ratio = entry === 0 ? 0 : pnl / entry;
  const leverage = equity > 0 ? value / equity : Number.MAX_SAFE_INTEGER;
  return ratio >= 0 ? ratio * leverage : ratio / leverage;
}

/** The account's quantile per position key (`symbol|positionSide`) it holds, 0 to 4. */
export function adlQuantiles(state: VenueState, accountId: number): Map<string, number> {
  const out = new Map<string, number>();
  const mine = state.accounts.positionsOf(accountId).filter((p) => p.amount !== 0);
  for (const p of mine) {
    const long = p.amount > 0;
    const scores: number[] = [];
    for (const [holder, positions] of state.accounts.holdings()) {
      for (const q of positions.values()) {
        if (q.symbol === p.symbol && q.amount !== 0 && q.amount > 0 === long)
          scores.push(adlScore(state, holder, q));
      }
    }
    const own = adlScore(state, accountId, p);
    const rank = scores.filter((s) => s <= own).length;
    out.set(
      `${p.symbol}|${p.positionSide}`,
      Math.min(4, Math.max(0, Math.ceil((5 * rank) / scores.length) - 1)),
    );
  }
  return out;
}
