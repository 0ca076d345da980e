// Quarterly delivery, as a price step's work: at 08:00 UTC on the delivery day the
// quarterly stops trading, its open orders are cancelled and every position on it is
// settled at the delivery price, its PnL credited to the wallet as income
// DELIVERED_SETTELMENT (Binance's spelling) and told as ACCOUNT_UPDATE (`m`
// "ADJUSTMENT": Binance names no delivery reason). The next quarterly is listed from the
// same moment (domain/symbols.ts), so trading goes on; !contractInfo tells both changes.
//
// The delivery price is the average of the pair's index over the 30 minutes before
// delivery, one price a second (Binance's rule since 2024-11-11: 1,800 index values;
// the hour before it, earlier), rounded to the contract's tick. A pair without an index
// in that window delivers at the contract's mark at delivery.

import { tickPrice8, ticksOf } from "../domain/funding.js";
import { realizedUnits } from "../domain/margin.js";
import { nextDelivery, quarterlyName } from "../domain/quarterlies.js";
import { findSymbol, listSymbols, type SymbolSpec } from "../domain/symbols.js";
import type { HeldPosition } from "./accounts.js";
import { setBalance } from "./fills.js";
import type { Pipeline } from "./pipeline.js";
import { record } from "./record.js";
import type { VenueState } from "./state.js";

export const SETTLE_WINDOW_MS = 30 * 60 * 1000;

/** Adds the second's index to each quarterly's delivery average in its last 30 minutes. */
export function sampleSettlement(state: VenueState, at: number): boolean {
  let sampled = false;
  for (const spec of listSymbols(at)) {
    if (
      spec.contractType === "PERPETUAL" ||
      at < spec.deliveryDate - SETTLE_WINDOW_MS ||
      at >= spec.deliveryDate
    )
      continue;
    const index = state.prices.index.get(spec.pair);
    if (index === undefined) continue;
    const acc = state.prices.settle.get(spec.symbol) ?? { sum: 0, count: 0 };
    state.prices.settle.set(spec.symbol, { sum: acc.sum + index, count: acc.count + 1 });
    sampled = true;
  }
  return sampled;
}

/** The delivery average so far (price8); undefined outside the window or without an index. */
export function settlementSoFar(state: VenueState, symbol: string): number | undefined {
  const acc = state.prices.settle.get(symbol);
  return acc && acc.count > 0 ? Math.round(acc.sum / acc.count) : undefined;
}

/** The quarterlies that have reached their delivery time by `at` and are not delivered yet. */
export function dueDeliveries(state: VenueState, at: number): SymbolSpec[] {
  const due: SymbolSpec[] = [];
  for (const first of listSymbols()) {
    if (first.contractType === "PERPETUAL") continue;
    for (let spec: SymbolSpec | undefined = first; spec && spec.deliveryDate <= at; ) {
      if (!state.prices.delivered.has(spec.symbol)) due.push(spec);
      spec = findSymbol(quarterlyName(spec.pair, nextDelivery(spec.deliveryDate)));
    }
  }
  return due;
}

export function deliver(state: VenueState, pipeline: Pipeline, spec: SymbolSpec, at: number): void {
  const mark = state.markPrice(spec.symbol);
  const average = settlementSoFar(state, spec.symbol);
  const price8 = average ?? (mark === undefined ? undefined : tickPrice8(spec, mark));
  state.prices.delivered.set(spec.symbol, { time: at, price8: price8 ?? 0 });
  state.prices.settle.delete(spec.symbol);
  const canceled = state.engine
    .resting(spec.symbol)
    .sort((a, b) => a.id - b.id)
    .flatMap((o) => state.engine.cancel(spec.symbol, o.id, at) ?? []);
  if (canceled.length > 0) record(state, pipeline, undefined, [], canceled, at);
  if (pipeline.marketWanted()) {
    const next = quarterlyName(spec.pair, nextDelivery(spec.deliveryDate));
    pipeline
      .batch()
      .marketEvents.push(
        { kind: "contractInfo", symbol: spec.symbol, status: "DELIVERED", time: at },
        { kind: "contractInfo", symbol: next, status: "TRADING", time: at },
      );
  }
  if (price8 === undefined) return;
  const ticks = ticksOf(spec, price8);
  const batch = pipeline.batch();
  const holders = [...state.accounts.holdings()].sort((a, b) => a[0] - b[0]);
  for (const [accountId, positions] of holders) {
    const account = state.accounts.get(accountId);
    const settled: HeldPosition[] = [];
    let total = 0n;
    for (const p of [...positions.values()].sort((a, b) => a.positionSide.localeCompare(b.positionSide))) {
      if (p.symbol !== spec.symbol || p.amount === 0) continue;
      const pnl = realizedUnits(spec, p.amount > 0, Math.abs(p.amount), p.entryAcc, ticks);
      const after: HeldPosition = {
        ...p,
        amount: 0,
        entryAcc: 0n,
        realized: p.realized + pnl,
        updateTime: at,
      };
      state.accounts.setPosition(accountId, after);
      batch.positions.set(`${accountId}|${p.symbol}|${p.positionSide}`, { accountId, ...after });
      settled.push(after);
      total += pnl;
      batch.incomes.push({
        id: state.nextIncomeId++,
        accountId,
        symbol: spec.symbol,
        incomeType: "DELIVERED_SETTELMENT",
        asset: spec.marginAsset,
        units: pnl,
        info: "",
        time: at,
      });
    }
    if (!account || settled.length === 0) continue;
    const units = (account.balances.get(spec.marginAsset)?.units ?? 0n) + total;
    setBalance(batch, account, spec.marginAsset, units, at);
    if (pipeline.wanted(accountId))
      batch.events.push({
        kind: "account",
        accountId,
        time: at,
        reason: "ADJUSTMENT",
        balances: [{ asset: spec.marginAsset, units, change: total }],
        positions: settled,
      });
  }
}
