// The reads: orders, trades, books, accounts, as committed. Each runs inside
// pipeline.read, after everything applied so far is durable, and answers copies (views.ts).
// Open orders come from memory; finished ones and trades from the store.

import type { Order } from "../domain/order.js";
import type { Store } from "../store/store.js";
import type { Account, Balance, HeldPosition } from "./accounts.js";
import { riskSources } from "./checks.js";
import type { OrderRef } from "./commands.js";
import { liquidationPrice } from "./portfolio.js";
import { riskByAsset, riskBySymbol } from "./risk.js";
import type { VenueState } from "./state.js";
import { type AccountState, type AccountView, type OrderView, viewOf } from "./views.js";

/** Orders that no longer rest, have no fills and are older than this are gone from queries (Binance prunes them). */
export const PRUNE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;

function isPruned(order: Order, now: number): boolean {
  return (
    (order.status === "CANCELED" || order.status === "EXPIRED") &&
    order.executedQty === 0 &&
    now - order.time > PRUNE_AFTER_MS
  );
}

/** GET order: open orders from memory, finished ones from the store; pruned ones are gone. */
export function queryOrder(
  state: VenueState,
  store: Store,
  accountId: number,
  symbol: string,
  ref: OrderRef,
  now: number,
): OrderView | undefined {
  const open = state.findOpen(accountId, symbol, ref);
  if (open) return viewOf(open);
  const stored =
    ref.orderId !== undefined
      ? store.orderById(accountId, ref.orderId)
      : store.orderByClientId(accountId, symbol, ref.clientOrderId ?? "");
  if (!stored || stored.symbol !== symbol) return undefined;
  if (ref.clientOrderId !== undefined && stored.clientOrderId !== ref.clientOrderId) return undefined;
  if (isPruned(stored, now)) return undefined;
  return viewOf(stored);
}

/** Open orders of the account on the given symbols (all when undefined), ascending id. */
export function openOrders(
  state: VenueState,
  accountId: number,
  symbols: readonly string[] | undefined,
): OrderView[] {
  const wanted = symbols ? new Set(symbols) : undefined;
  const out: OrderView[] = [];
  for (const o of state.open.get(accountId)?.values() ?? []) {
    if (!wanted || wanted.has(o.symbol)) out.push(viewOf(o));
  }
  return out.sort((a, b) => a.id - b.id);
}

export function allOrders(store: Store, q: Parameters<Store["orders"]>[0], now: number): OrderView[] {
  return store.orders(q).filter((o) => !isPruned(o, now));
}

/** The symbol's last trade (price in ticks, time); undefined before the first. */
export function lastTrade(state: VenueState, symbol: string): { price: number; time: number } | undefined {
  const price = state.lastPrice.get(symbol);
  const time = state.lastTradeTime.get(symbol);
  return price === undefined || time === undefined ? undefined : { price, time };
}

export function accountView(state: VenueState, account: Account): AccountView {
  const balances = new Map([...account.balances].map(([asset, b]) => [asset, b.units]));
  const apiKeys = account.apiKeys.map((apiKey) => ({ apiKey, type: state.accounts.key(apiKey)!.type }));
  return { accountId: account.id, alias: account.alias, balances, apiKeys, house: account.house };
}

/** Accounts from `fromId` on, in id order, at most `limit` of them. */
export function accountList(state: VenueState, fromId: number, limit: number): AccountView[] {
  const views: AccountView[] = [];
  for (let id = fromId; id < state.nextAccountId && views.length < limit; id++) {
    const account = state.accounts.get(id);
    if (account) views.push(accountView(state, account));
  }
  return views;
}

/**
 * Everything the account endpoints show, from one committed state: balances with their
 * times, risk per coin and per symbol and position side, positions and leverages.
 */
export function accountState(state: VenueState, accountId: number): AccountState {
  const account = state.accounts.get(accountId);
  const sources = riskSources(state, accountId, state.exposures.of(accountId));
  const positions = new Map<string, HeldPosition>();
  for (const p of state.accounts.positionsOf(accountId)) positions.set(`${p.symbol}|${p.positionSide}`, p);
  return {
    dualSide: account?.dualSide ?? false,
    balances: new Map([...(account?.balances ?? new Map<string, Balance>())].map(([a, b]) => [a, { ...b }])),
    assets: riskByAsset(sources),
    symbols: riskBySymbol(sources),
    positions,
    leverage: (symbol: string) => state.accounts.leverage(accountId, symbol),
    mark: (symbol: string) => state.markPrice(symbol),
    liquidationPrices: new Map(
      [...new Set([...positions.values()].filter((p) => p.amount !== 0).map((p) => p.symbol))].flatMap(
        (symbol) => {
          const price = liquidationPrice(state, accountId, symbol);
          return price === undefined ? [] : [[symbol, price] as const];
        },
      ),
    ),
  };
}
