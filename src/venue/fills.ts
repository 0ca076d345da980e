// Fill accounting: what a fill does to each side's account. The position moves (entry at
// the harmonic mean of opening fills), what it closes realizes PnL at the fill price, the
// side pays its maker or taker commission, and the wallet of the margin coin takes both.
// Every change goes to the state and to the open batch together.

import { MAKER_RATE, TAKER_RATE } from "../domain/fees.js";
import { commissionUnits, realizedUnits } from "../domain/margin.js";
import type { Fill } from "../domain/order.js";
import { applyFill } from "../domain/position.js";
import { findSymbol } from "../domain/symbols.js";
import { type Account, type HeldPosition, positionKey } from "./accounts.js";
import type { FillMoney } from "./events.js";
import type { OpenBatch } from "./group-commit.js";
import type { VenueState } from "./state.js";

/** Sets a wallet balance (10^-8 units) in memory and in the batch. */
export function setBalance(
  batch: OpenBatch,
  account: Account,
  asset: string,
  units: bigint,
  now: number,
): void {
  account.balances.set(asset, { units, updateTime: now });
  batch.balances.set(`${account.id}|${asset}`, { accountId: account.id, asset, units, updateTime: now });
}

export interface FillsApplied {
  /** The positions each account ended with, by position key. */
  readonly touched: Map<number, Map<string, HeldPosition>>;
  /** Each fill side's realized PnL and commission, by `tradeId|orderId`. */
  readonly money: Map<string, FillMoney>;
  /** Each fill's aggregate trade id, in fill order. */
  readonly aggIds: number[];
}

/** Applies fills to trades, positions and wallets, and notes each symbol's last trade. */
export function applyFills(
  state: VenueState,
  batch: OpenBatch,
  fills: readonly Fill[],
  now: number,
): FillsApplied {
  const touched = new Map<number, Map<string, HeldPosition>>();
  const money = new Map<string, FillMoney>();
  const aggIds: number[] = [];
  let previous: Fill | undefined;
  let aggId = 0;
  for (const fill of fills) {
    // An aggregate: consecutive fills of one taker order at one price.
    if (previous?.taker.id !== fill.taker.id || previous.price !== fill.price) aggId = state.nextAggTradeId++;
    previous = fill;
    aggIds.push(aggId);
    state.lastPrice.set(fill.symbol, fill.price);
    state.lastTradeTime.set(fill.symbol, fill.time);
    const spec = findSymbol(fill.symbol)!;
    for (const [order, maker] of [
      [fill.maker, true],
      [fill.taker, false],
    ] as const) {
      const before = state.accounts.position(order.accountId, fill.symbol, order.positionSide);
      const change = applyFill(before, order.side, fill.qty, fill.price);
      const realizedPnl = realizedUnits(
        spec,
        before.amount > 0,
        change.closedQty,
        change.closedEntryAcc,
        fill.price,
      );
      const commission = commissionUnits(spec, fill.qty, fill.price, maker ? MAKER_RATE : TAKER_RATE);
      money.set(`${fill.tradeId}|${order.id}`, { realizedPnl, commission });
      batch.trades.push({
        tradeId: fill.tradeId,
        accountId: order.accountId,
        orderId: order.id,
        symbol: fill.symbol,
        side: order.side,
        positionSide: order.positionSide,
        price: fill.price,
        qty: fill.qty,
        maker,
        time: fill.time,
        realizedPnl,
        commission,
        aggId: maker ? 0 : aggId,
      });
      const account = state.accounts.get(order.accountId);
      if (account) {
        const wallet = account.balances.get(spec.marginAsset)?.units ?? 0n;
        setBalance(batch, account, spec.marginAsset, wallet + realizedPnl - commission, now);
      }
      const after: HeldPosition = {
        symbol: fill.symbol,
        positionSide: order.positionSide,
        amount: change.after.amount,
        entryAcc: change.after.entryAcc,
        realized: before.realized + realizedPnl,
        updateTime: fill.time,
      };
      state.accounts.setPosition(order.accountId, after);
      const key = positionKey(order.accountId, fill.symbol, order.positionSide);
      batch.positions.set(key, { accountId: order.accountId, ...after });
      let mine = touched.get(order.accountId);
      if (!mine) {
        mine = new Map();
        touched.set(order.accountId, mine);
      }
      mine.set(key, after);
    }
  }
  return { touched, money, aggIds };
}
