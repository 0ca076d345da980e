// Records one command's effects in the open batch: the book's update id when the book
// changed, its fills (fills.ts), the orders it changed (written, and tracked or
// untracked as open), and the events to publish once
// the batch is durable: ORDER events for every change of an order, then one ACCOUNT
// event per account whose positions moved. Events are built only for accounts a
// listener wants, so a command without a listening socket pays nothing for them.

import { type Fill, isActive, type Order } from "../domain/order.js";
import { findSymbol } from "../domain/symbols.js";
import { priceMoved } from "./arming.js";
import { recordCandles } from "./candles.js";
import { type Lead, orderEvents } from "./events.js";
import { applyFills } from "./fills.js";
import { depthEvent, type LeftLevel, tradeEvent } from "./market-events.js";
import type { Pipeline } from "./pipeline.js";
import type { VenueState } from "./state.js";

export function record(
  state: VenueState,
  pipeline: Pipeline,
  lead: Lead,
  fills: readonly Fill[],
  changed: readonly Order[],
  now: number,
  left: readonly LeftLevel[] = [],
): void {
  const batch = pipeline.batch();
  // The book changed when something filled, left it or came to rest on it (an IOC that
  // expired untouched did not): measured before the changed orders are tracked anew.
  const onBook = (o: Order) => fills.length > 0 || state.isOpen(o) || isActive(o.status);
  const first = changed.find(onBook);
  if (first) {
    const update = state.bookChanged(first.symbol, now);
    // A level changed where an order rested before the command or rests after it; a
    // taker that filled in full never stood on its own price.
    const stood = (o: Order) => state.isOpen(o) || isActive(o.status);
    if (pipeline.marketWanted())
      batch.marketEvents.push(depthEvent(state, first.symbol, update, now, changed.filter(stood), left));
  }
  const { touched, money, aggIds } = applyFills(state, batch, fills, now);
  if (fills.length > 0 && pipeline.marketWanted())
    for (let i = 0; i < fills.length; i++) batch.marketEvents.push(tradeEvent(fills[i]!, aggIds[i]!));
  recordCandles(state, batch, fills);
  // The last price moved (and the mark with it where it follows the last trade).
  if (fills.length > 0) {
    const symbol = fills[0]!.symbol;
    priceMoved(state, symbol, "CONTRACT_PRICE", now);
    priceMoved(state, symbol, "MARK_PRICE", now);
  }
  for (const order of changed) {
    batch.orders.add(order);
    if (isActive(order.status)) state.track(order);
    else state.untrack(order);
  }
  const notional = new Map<string, { bid: bigint; ask: bigint }>();
  const openNotional = (order: Order) => {
    const key = `${order.accountId}|${order.symbol}`;
    let value = notional.get(key);
    if (!value) {
      value = state.openNotional(order.accountId, order.symbol);
      notional.set(key, value);
    }
    return value;
  };
  const wanted = new Map<number, boolean>();
  const wants = (accountId: number): boolean => {
    let yes = wanted.get(accountId);
    if (yes === undefined) {
      yes = pipeline.wanted(accountId);
      wanted.set(accountId, yes);
    }
    return yes;
  };
  // Without a listening socket for any account involved there is no event to build.
  if (
    changed.some((o) => wants(o.accountId)) ||
    fills.some((f) => wants(f.maker.accountId) || wants(f.taker.accountId))
  ) {
    for (const e of orderEvents(lead, fills, changed, now, openNotional, money))
      if (wants(e.accountId)) batch.events.push(e);
  }
  for (const [accountId, positions] of touched) {
    if (!wants(accountId)) continue;
    const account = state.accounts.get(accountId);
    const assets = new Set([...positions.values()].map((p) => findSymbol(p.symbol)!.marginAsset));
    const balances = [...assets].map((asset) => ({
      asset,
      units: account?.balances.get(asset)?.units ?? 0n,
      change: 0n,
    }));
    batch.events.push({
      kind: "account",
      accountId,
      time: now,
      reason: "ORDER",
      balances,
      positions: [...positions.values()],
    });
  }
}
