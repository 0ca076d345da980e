// Liquidation of a Portfolio Margin account below uniMMR 1.05 (portfolio.ts decides
// when), inside the command that found it, so it commits whole or not at all:
//
// 1. Every open order of the account is cancelled.
// 2. Each position, in symbol order, is closed by a LIMIT IOC order at its bankruptcy
//    price (`autoclose-<time><number>`), which takes what the book offers up to there.
// 3. What the book could not take goes to the insurance fund (a house account) at the
//    bankruptcy price, in a fill outside the book (engine `cross`), unless the mark has
//    gone past that price by more than the fund holds: then it is auto-deleveraged
//    against the opposite positions, first in the queue first (`adl_autoclose`).
// 4. The coin is then cleared with the insurance fund (INSURANCE_CLEAR): a wallet left
//    below zero is made up by the fund; a wallet above zero pays the liquidation fee
//    (the contract's liquidationFee of the coin value liquidated), at most what it holds.
//
// The bankruptcy price of a position is the mark at which its coin's equity (wallet plus
// every position's unrealized PnL in that coin) would be zero, the rest held: a long's is
// where its notional q × cs / p equals its entry value plus that equity, a short's where
// it equals its entry value less it. It is rounded towards the position's side (up for a
// long, down for a short) and kept inside the price filter.

import { baseUnits, fillBaseAcc, unrealizedUnits } from "../domain/inverse.js";
import { notionalUnits } from "../domain/margin.js";
import type { Order, PositionSide, Side } from "../domain/order.js";
import { findSymbol, type SymbolSpec } from "../domain/symbols.js";
import { createAccount } from "./account-commands.js";
import type { Account, HeldPosition } from "./accounts.js";
import { adlScore } from "./adl.js";
import { setBalance } from "./fills.js";
import { forceOrderEvent } from "./market-events.js";
import type { Pipeline } from "./pipeline.js";
import { record } from "./record.js";
import type { VenueState } from "./state.js";

export const INSURANCE_ROLE = "insurance";
const COIN = 10n ** 8n;

export function liquidate(state: VenueState, pipeline: Pipeline, accountId: number, at: number): void {
  const account = state.accounts.get(accountId);
  if (!account) return;
  cancelEverything(state, pipeline, accountId, at);
  const liquidated = new Map<string, bigint>();
  const positions = state.accounts
    .positionsOf(accountId)
    .filter((p) => p.amount !== 0)
    .sort((a, b) =>
      a.symbol === b.symbol ? a.positionSide.localeCompare(b.positionSide) : a.symbol.localeCompare(b.symbol),
    );
  for (const p of positions) {
    const spec = findSymbol(p.symbol)!;
    const price = bankruptcyTicks(state, account, spec, p);
    const side: Side = p.amount > 0 ? "SELL" : "BUY";
    const qty = Math.abs(p.amount);
    const order = newOrder(
      state,
      accountId,
      spec,
      side,
      p.positionSide,
      qty,
      price,
      autoclose(state, at),
      at,
    );
    const outcome = state.engine.place(order, at);
    if (!outcome.ok) continue;
    record(state, pipeline, { execution: "NEW", order }, outcome.fills, outcome.changed, at);
    if (pipeline.marketWanted()) pipeline.batch().marketEvents.push(forceOrderEvent(outcome.order, at));
    const left = qty - outcome.order.executedQty;
    if (left > 0) {
      const fund = insuranceFund(state, pipeline, at);
      if (fundCanTake(state, fund, spec, p.amount > 0, left, price)) {
        const long = p.amount > 0;
        const taken = newOrder(
          state,
          fund,
          spec,
          long ? "BUY" : "SELL",
          "BOTH",
          left,
          price,
          `insurance-${at}`,
          at,
        );
        closeAgainst(state, pipeline, taken, accountId, spec, side, p.positionSide, left, price, at);
      } else deleverage(state, pipeline, accountId, spec, p, left, price, at);
    }
    liquidated.set(spec.marginAsset, (liquidated.get(spec.marginAsset) ?? 0n) + feeOn(spec, qty, price));
  }
  for (const [asset, fee] of liquidated) clear(state, pipeline, account, asset, fee, at);
}

/** Fills `left` of the liquidated position against `maker` outside the book. */
function closeAgainst(
  state: VenueState,
  pipeline: Pipeline,
  maker: Order,
  accountId: number,
  spec: SymbolSpec,
  side: Side,
  positionSide: PositionSide,
  left: number,
  price: number,
  at: number,
): void {
  const rest = newOrder(state, accountId, spec, side, positionSide, left, price, autoclose(state, at), at);
  const crossed = state.engine.cross(maker, rest, at);
  if (!crossed.ok) return;
  record(state, pipeline, { execution: "NEW", order: rest }, crossed.fills, crossed.changed, at);
  if (pipeline.marketWanted()) pipeline.batch().marketEvents.push(forceOrderEvent(rest, at));
}

/**
 * Whether the fund can take `qty` at the bankruptcy price and keep its coin's equity at
 * or above zero at the mark: it cannot when the mark has already gone past that price
 * by more than the fund holds.
 */
function fundCanTake(
  state: VenueState,
  fund: number,
  spec: SymbolSpec,
  long: boolean,
  qty: number,
  price: number,
): boolean {
  const account = state.accounts.get(fund)!;
  let equity = account.balances.get(spec.marginAsset)?.units ?? 0n;
  for (const p of state.accounts.positionsOf(fund)) {
    const os = findSymbol(p.symbol)!;
    const mark = state.markPrice(p.symbol);
    if (os.marginAsset === spec.marginAsset && p.amount !== 0 && mark !== undefined)
      equity += unrealizedUnits(os, p.amount, p.entryAcc, mark);
  }
  const mark = state.markPrice(spec.symbol) ?? price;
  equity += unrealizedUnits(spec, long ? qty : -qty, fillBaseAcc(qty, price), mark);
  return equity >= 0n;
}

/**
 * Auto-deleveraging: what neither the book nor the fund can take is closed against the
 * opposite positions on the symbol, first in the queue first (adl.ts: highest score, ties
 * to the lower account id), each by an `adl_autoclose` order of theirs at the bankruptcy
 * price. House accounts are deleveraged like any other; the fund is not.
 */
function deleverage(
  state: VenueState,
  pipeline: Pipeline,
  accountId: number,
  spec: SymbolSpec,
  p: HeldPosition,
  qty: number,
  price: number,
  at: number,
): void {
  const side: Side = p.amount > 0 ? "SELL" : "BUY";
  const queue: Array<{ accountId: number; position: HeldPosition; score: number }> = [];
  for (const [holder, positions] of state.accounts.holdings()) {
    if (holder === accountId || state.accounts.get(holder)?.house === INSURANCE_ROLE) continue;
    for (const q of positions.values()) {
      if (q.symbol !== spec.symbol || q.amount === 0 || q.amount > 0 === p.amount > 0) continue;
      queue.push({ accountId: holder, position: q, score: adlScore(state, holder, q) });
    }
  }
  queue.sort((a, b) => (a.score === b.score ? a.accountId - b.accountId : b.score - a.score));
  let left = qty;
  for (const { accountId: holder, position } of queue) {
    if (left === 0) break;
    const take = Math.min(left, Math.abs(position.amount));
    const closing: Side = position.amount > 0 ? "SELL" : "BUY";
    const maker = newOrder(
      state,
      holder,
      spec,
      closing,
      position.positionSide,
      take,
      price,
      "adl_autoclose",
      at,
    );
    closeAgainst(state, pipeline, maker, accountId, spec, side, p.positionSide, take, price, at);
    left -= take;
  }
}

function cancelEverything(state: VenueState, pipeline: Pipeline, accountId: number, at: number): void {
  const bySymbol = new Map<string, Order[]>();
  for (const o of [...(state.open.get(accountId)?.values() ?? [])].sort((a, b) => a.id - b.id)) {
    const canceled = state.engine.cancel(o.symbol, o.id, at);
    if (!canceled) continue;
    const list = bySymbol.get(o.symbol) ?? [];
    list.push(canceled);
    bySymbol.set(o.symbol, list);
  }
  for (const [, changed] of [...bySymbol].sort((a, b) => a[0].localeCompare(b[0])))
    record(state, pipeline, undefined, [], changed, at);
}

/** The liquidation fee of closing `qty` at `price`: liquidationFee × its coin value. */
function feeOn(spec: SymbolSpec, qty: number, price: number): bigint {
  const [whole, frac = ""] = spec.liquidationFee.split(".");
  const rate = BigInt(whole! + frac);
  return (notionalUnits(spec, qty, price) * rate) / 10n ** BigInt(frac.length);
}

/** Clears the account's coin with the insurance fund after its positions are closed. */
function clear(
  state: VenueState,
  pipeline: Pipeline,
  account: Account,
  asset: string,
  fee: bigint,
  at: number,
): void {
  const wallet = account.balances.get(asset)?.units ?? 0n;
  // Below zero the fund makes it up; above, the account pays the fee out of what is left.
  const change = wallet < 0n ? -wallet : -(fee < wallet ? fee : wallet);
  if (change === 0n) return;
  const fund = state.accounts.get(insuranceFund(state, pipeline, at))!;
  const batch = pipeline.batch();
  for (const [holder, delta] of [
    [account, change],
    [fund, -change],
  ] as const) {
    const units = (holder.balances.get(asset)?.units ?? 0n) + delta;
    setBalance(batch, holder, asset, units, at);
    batch.incomes.push({
      id: state.nextIncomeId++,
      accountId: holder.id,
      symbol: "",
      incomeType: "INSURANCE_CLEAR",
      asset,
      units: delta,
      info: "",
      time: at,
    });
    if (pipeline.wanted(holder.id))
      batch.events.push({
        kind: "account",
        accountId: holder.id,
        time: at,
        reason: "INSURANCE_CLEAR",
        balances: [{ asset, units, change: delta }],
        positions: [],
      });
  }
}

/** The mark at which the position's coin equity would be zero, the rest held (ticks). */
export function bankruptcyTicks(
  state: VenueState,
  account: Account,
  spec: SymbolSpec,
  p: HeldPosition,
): number {
  let equity = account.balances.get(spec.marginAsset)?.units ?? 0n;
  for (const other of state.accounts.positionsOf(account.id)) {
    if (other === p || other.amount === 0) continue;
    const os = findSymbol(other.symbol)!;
    if (os.marginAsset !== spec.marginAsset) continue;
    const mark = state.markPrice(other.symbol);
    if (mark !== undefined) equity += unrealizedUnits(os, other.amount, other.entryAcc, mark);
  }
  const entry = baseUnits(spec, p.entryAcc);
  const notional = p.amount > 0 ? entry + equity : entry - equity;
  const max = spec.maxPriceTicks > 0 ? spec.maxPriceTicks : Number.MAX_SAFE_INTEGER;
  const min = Math.max(1, spec.minPriceTicks);
  if (notional <= 0n) return p.amount > 0 ? min : max;
  const num = BigInt(Math.abs(p.amount)) * BigInt(spec.contractSize) * 10n ** BigInt(spec.tick.scale) * COIN;
  const den = notional * spec.tick.units;
  const ticks = p.amount > 0 ? (num + den - 1n) / den : num / den;
  return Math.min(max, Math.max(min, Number(ticks > BigInt(max) ? BigInt(max) : ticks)));
}

/** The insurance fund's account, opened (empty) the first time it is needed. */
function insuranceFund(state: VenueState, pipeline: Pipeline, at: number): number {
  for (let id = 1; id < state.nextAccountId; id++)
    if (state.accounts.get(id)?.house === INSURANCE_ROLE) return id;
  return createAccount(state, pipeline, new Map(), at, INSURANCE_ROLE).accountId;
}

function autoclose(state: VenueState, at: number): string {
  return `autoclose-${at}${String(state.nextOrderId % 1_000_000).padStart(6, "0")}`;
}

function newOrder(
  state: VenueState,
  accountId: number,
  spec: SymbolSpec,
  side: Side,
  positionSide: PositionSide,
  qty: number,
  price: number,
  clientOrderId: string,
  at: number,
): Order {
  return {
    id: state.nextOrderId++,
    accountId,
    symbol: spec.symbol,
    side,
    type: "LIMIT",
    timeInForce: "IOC",
    price,
    origQty: qty,
    executedQty: 0,
    baseAcc: 0n,
    status: "NEW",
    clientOrderId,
    reduceOnly: false,
    positionSide,
    time: at,
    updateTime: at,
    seq: 0,
    priceMatch: undefined,
    placedBy: undefined,
    prev: null,
    next: null,
  };
}
