// Resting orders written straight through the store, for the sections that need many
// of them on disk (group commit, recovery): the same Order record the venue commits,
// NEW and unfilled, with time priority in id order. Every symbol's book gets bids below
// and asks above a mid inside its price filter, so a rebuilt book never crosses.

import type { Order } from "../src/domain/order.js";
import { listSymbols } from "../src/domain/symbols.js";
import type { Counters } from "../src/store/store.js";

const SYMBOLS = listSymbols().map((s) => ({
  symbol: s.symbol,
  // A mid well inside the filter; 500 levels a side fit under it for every contract.
  mid: Math.max(s.minPriceTicks * 4, 10_000),
}));

/** Resting order number `id` (from 1), spread over accounts, symbols, sides and levels. */
export function storedOrder(id: number, accounts: number, now: number): Order {
  const s = SYMBOLS[id % SYMBOLS.length]!;
  const sell = (id >> 3) % 2 === 1;
  const level = 1 + ((id * 7) % 500);
  return {
    id,
    accountId: 1 + (id % accounts),
    symbol: s.symbol,
    side: sell ? "SELL" : "BUY",
    type: "LIMIT",
    timeInForce: "GTC",
    price: sell ? s.mid + level : s.mid - level,
    origQty: 1 + (id % 5),
    executedQty: 0,
    baseAcc: 0n,
    status: "NEW",
    clientOrderId: `b${id}`,
    reduceOnly: false,
    positionSide: "BOTH",
    time: now,
    updateTime: now,
    seq: id,
    priceMatch: undefined,
    placedBy: undefined,
    prev: null,
    next: null,
  };
}

export function symbolNames(): string[] {
  return SYMBOLS.map((s) => s.symbol);
}

/** Counters a store holding orders 1..lastId (and no trades) would carry. */
export function countersAfter(lastId: number, accounts: number): Counters {
  return {
    nextOrderId: lastId + 1,
    nextTradeId: 1,
    nextSeq: lastId + 1,
    nextAccountId: accounts + 1,
    nextUpdateId: lastId + 1,
    nextAggTradeId: 1,
    nextIncomeId: 1,
    nextStrategyId: 1,
    nextJournalSeq: 1,
  };
}
