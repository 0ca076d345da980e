// The one durability interface. The venue hands a whole batch (every command of one
// event-loop turn) to `commit`, which makes it durable atomically or throws; only then
// are its responses sent. Reads serve committed history that the in-memory state does
// not keep (finished orders, trades). SQLite is the embedded default (store/sqlite.ts).

import type { Candle } from "../domain/candles.js";
import type { Strategy } from "../domain/conditional.js";
import type { Order, PositionSide, Side } from "../domain/order.js";
import type { PairStats } from "../domain/pair-stats.js";
import type { DayStats } from "../domain/ticker.js";
import type { StrategyQuery } from "./strategy-table.js";

export type KeyType = "HMAC" | "ED25519" | "RSA";

export interface AccountRow {
  readonly id: number;
  readonly alias: string;
  readonly createdAt: number;
  /** Hedge mode (`dualSidePosition`); one-way when false. */
  readonly dualSide: boolean;
  /** The simulated market's role for a house account (market/house.ts); undefined for a client's. */
  readonly house?: string | undefined;
  /** How far off the venue clock this account's requests are checked, ms (the admin's clockSkew). */
  readonly clockSkewMs?: number | undefined;
}

/** An account's leverage on a symbol, when set. */
export interface LeverageRow {
  readonly accountId: number;
  readonly symbol: string;
  readonly leverage: number;
}

export interface ApiKeyRow {
  readonly apiKey: string;
  readonly accountId: number;
  readonly type: KeyType;
  /** HMAC secret; empty for public-key types. */
  readonly secret: string;
  /** PEM public key for ED25519/RSA; empty for HMAC. */
  readonly publicKey: string;
  readonly createdAt: number;
}

/** A balance in 10^-8 units of the asset. */
export interface BalanceRow {
  readonly accountId: number;
  readonly asset: string;
  readonly units: bigint;
  readonly updateTime: number;
}

/** One side of a fill, as the account that owns the order sees it. */
export interface TradeRow {
  readonly tradeId: number;
  readonly accountId: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly side: Side;
  readonly positionSide: PositionSide;
  /** Ticks. */
  readonly price: number;
  readonly qty: number;
  readonly maker: boolean;
  readonly time: number;
  /** Realized PnL of this fill, 10^-8 of the margin coin. */
  readonly realizedPnl: bigint;
  /** Commission charged for this fill, 10^-8 of the margin coin. */
  readonly commission: bigint;
  /** The aggregate trade the fill belongs to, on the taker's row; 0 on the maker's. */
  readonly aggId: number;
}

/** A market trade: one fill, as its taker's row records it. */
export interface MarketTrade {
  readonly tradeId: number;
  readonly aggId: number;
  /** Ticks. */
  readonly price: number;
  /** Contracts. */
  readonly qty: number;
  readonly time: number;
  readonly takerSide: Side;
}

/** Consecutive fills of one taker order at one price. */
export interface AggTrade {
  readonly aggId: number;
  readonly price: number;
  readonly qty: number;
  readonly firstId: number;
  readonly lastId: number;
  readonly time: number;
  readonly takerSide: Side;
}

/** Market trades of a symbol: the newest `limit`, or `limit` from trade `fromId` on. */
export interface MarketTradeQuery {
  readonly symbol: string;
  readonly fromId?: number | undefined;
  readonly limit: number;
}

/** Aggregates of a symbol from aggregate `fromId`, or within a time window; the newest without either start. */
export interface AggTradeQuery {
  readonly symbol: string;
  readonly fromId?: number | undefined;
  readonly startTime?: number | undefined;
  readonly endTime?: number | undefined;
  readonly limit: number;
}

/** Signed contracts held by an account on a symbol and position side. */
export interface PositionRow {
  readonly accountId: number;
  readonly symbol: string;
  readonly positionSide: PositionSide;
  readonly amount: number;
  /** Entry value of the open contracts (domain/position.ts). */
  readonly entryAcc: bigint;
  /** Realized PnL accumulated on this position, 10^-8 coin. */
  readonly realized: bigint;
  readonly updateTime: number;
}

/** Which price a price candle draws: a pair's index, a symbol's mark, a symbol's premium index. */
export type PriceKind = "index" | "mark" | "premium";

/** A one-minute candle of a price (volumes zero; `trades` counts the prices drawn). */
export interface PriceCandleRow extends Candle {
  readonly kind: PriceKind;
  /** The pair for an index, the symbol otherwise. */
  readonly name: string;
}

/** One funding of a perpetual: the rate paid (10^-8) and the mark it was paid at (ticks). */
export interface FundingRow {
  readonly symbol: string;
  readonly fundingTime: number;
  readonly rate8: number;
  readonly markPrice: number;
}

/** Binance's income types (its spelling, DELIVERED_SETTELMENT included). */
export const INCOME_TYPES = [
  "TRANSFER",
  "WELCOME_BONUS",
  "FUNDING_FEE",
  "REALIZED_PNL",
  "COMMISSION",
  "INSURANCE_CLEAR",
  "DELIVERED_SETTELMENT",
] as const;
export type IncomeType = (typeof INCOME_TYPES)[number];

/** One income of an account, 10^-8 units of its coin, signed. */
export interface IncomeRow {
  /** tranId. */
  readonly id: number;
  readonly accountId: number;
  /** "" for a transfer. */
  readonly symbol: string;
  readonly incomeType: IncomeType;
  /** "" on rows read from trades: the symbol's margin coin. */
  readonly asset: string;
  readonly units: bigint;
  readonly info: string;
  readonly time: number;
  readonly tradeId?: number | undefined;
}

export interface IncomeQuery {
  readonly accountId: number;
  readonly symbol?: string | undefined;
  readonly incomeType?: IncomeType | undefined;
  readonly startTime: number;
  readonly endTime: number;
  readonly limit: number;
  /** From 1. */
  readonly page: number;
}

/** One command the venue ran, as the journal keeps it (its body is the venue's JSON). */
export interface JournalRow {
  readonly seq: number;
  /** The command's venue time, ms. */
  readonly time: number;
  readonly kind: string;
  readonly body: string;
}

/** One accepted modify of an order: price (ticks) and quantity before and after. */
export interface AmendmentRow {
  /** Given by the store; 0 on the way in. */
  readonly amendmentId: number;
  readonly accountId: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly time: number;
  readonly priceBefore: number;
  readonly priceAfter: number;
  readonly qtyBefore: number;
  readonly qtyAfter: number;
  /** The order's how-many-th amendment this is (read back; 0 on the way in). */
  readonly count: number;
}

export type { StrategyQuery } from "./strategy-table.js";

export interface Counters {
  nextOrderId: number;
  nextTradeId: number;
  nextSeq: number;
  nextAccountId: number;
  /** Next book update id, shared by every symbol's book (each symbol's ids only increase). */
  nextUpdateId: number;
  /** Next aggregate trade id, handed out in trade-id order. */
  nextAggTradeId: number;
  /** Next id of an income row (funding fees, transfers, settlements). */
  nextIncomeId: number;
  /** Next conditional order id (strategyId). */
  nextStrategyId: number;
  /** Next journal sequence number. */
  nextJournalSeq: number;
}

export interface Batch {
  /** Final state of every order changed in the batch (insert or update). */
  readonly orders: Iterable<Order>;
  readonly trades: readonly TradeRow[];
  readonly accounts: readonly AccountRow[];
  readonly apiKeys: readonly ApiKeyRow[];
  readonly balances: Iterable<BalanceRow>;
  readonly positions: Iterable<PositionRow>;
  /** Position mode changes: account id → hedge mode. */
  readonly modes: ReadonlyMap<number, boolean>;
  /** Accounts whose clock skew changed, with the new skew in ms. */
  readonly clockSkews: ReadonlyMap<number, number>;
  readonly leverages: Iterable<LeverageRow>;
  /** Mark prices set by the admin (ticks), or null where the mark was handed back to the last trade. */
  readonly marks: ReadonlyMap<string, number | null>;
  /** What the simulated market keeps between runs, by name (JSON it writes and reads itself). */
  readonly marketState: ReadonlyMap<string, string>;
  /** One-minute candles as they stand after the batch (insert or replace). */
  readonly candles: Iterable<CandleRow>;
  /** The pairs' statistics snapshots taken by the batch (domain/pair-stats.ts). */
  readonly pairStats: readonly PairStats[];
  /** Price candles as they stand after the batch (insert or replace). */
  readonly priceCandles: Iterable<PriceCandleRow>;
  readonly fundings: readonly FundingRow[];
  readonly incomes: readonly IncomeRow[];
  readonly amendments: readonly AmendmentRow[];
  /** The batch's commands, in the order they ran. */
  readonly journal: readonly JournalRow[];
  /** Conditional orders as they stand after the batch (insert or replace). */
  readonly strategies: Iterable<Strategy>;
  /** The venue's price state between runs, by name (venue/prices.ts). */
  readonly priceState: ReadonlyMap<string, string>;
  readonly counters: Counters;
}

/** A symbol's one-minute candle. */
export interface CandleRow extends Candle {
  readonly symbol: string;
}

export interface Snapshot {
  readonly accounts: AccountRow[];
  readonly apiKeys: ApiKeyRow[];
  readonly balances: BalanceRow[];
  readonly positions: PositionRow[];
  readonly leverages: LeverageRow[];
  /** Mark prices set by the admin, ticks. */
  readonly marks: Array<{ symbol: string; price: number }>;
  /** What the simulated market kept, by name. */
  readonly marketState: ReadonlyMap<string, string>;
  /** Active orders (NEW, PARTIALLY_FILLED) in ascending time priority. */
  readonly activeOrders: Order[];
  /** Each symbol's latest trade: price in ticks and time. */
  readonly lastPrices: Array<{ symbol: string; price: number; time: number }>;
  /** Each symbol's latest one-minute candle. */
  readonly lastCandles: CandleRow[];
  /** The boundary of the newest pair statistics snapshot; 0 before the first. */
  readonly pairStatsTime: number;
  /** Each kind and name's latest price candle. */
  readonly lastPriceCandles: PriceCandleRow[];
  /** Each perpetual's latest funding. */
  readonly lastFundings: FundingRow[];
  /** Conditional orders still armed (NEW), oldest first. */
  readonly armedStrategies: Strategy[];
  readonly priceState: ReadonlyMap<string, string>;
  readonly counters: Counters;
}

export interface OrderQuery {
  readonly accountId: number;
  /** Exactly one of symbol or pair. */
  readonly symbol?: string;
  readonly symbols?: readonly string[];
  readonly fromOrderId?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
  /** Only liquidation orders (`autoclose-…`), auto-deleveraging ones (`adl_autoclose…`), or both. */
  readonly autoClose?: "LIQUIDATION" | "ADL" | "ANY";
}

export interface TradeQuery {
  readonly accountId: number;
  readonly symbols: readonly string[];
  readonly fromId?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
}

/** One symbol's fills over a window, each fill counted once (the figures of domain/ticker.ts). */
export type TradeStats = DayStats;

export interface Store {
  load(): Snapshot;
  commit(batch: Batch): void;
  /** An order of the account by id, in any state. */
  orderById(accountId: number, orderId: number): Order | undefined;
  /** The account's most recent order with this client id on the symbol, in any state. */
  orderByClientId(accountId: number, symbol: string, clientOrderId: string): Order | undefined;
  /** Orders ascending by id: from `fromOrderId` on, else within the times, else the latest `limit`. */
  orders(query: OrderQuery): Order[];
  /** Fill statistics of a symbol between two times (inclusive); undefined without fills. */
  tradeStats(symbol: string, from: number, to: number): TradeStats | undefined;
  /** Trades ascending by id, same selection rules as `orders`. */
  trades(query: TradeQuery): TradeRow[];
  /** The symbol's market trades, oldest first. */
  marketTrades(query: MarketTradeQuery): MarketTrade[];
  /** The symbol's aggregate trades, oldest first. */
  aggTrades(query: AggTradeQuery): AggTrade[];
  /** The symbol's one-minute candles opening in [from, to], oldest first. */
  candles(symbol: string, from: number, to: number): Candle[];
  /** The symbol's last one-minute candle opening before `time`. */
  candleBefore(symbol: string, time: number): Candle | undefined;
  /** The pair's statistics snapshots in [from, to], then the first one after `to`, oldest first. */
  pairStats(pair: string, from: number, to: number): PairStats[];
  /** A price's one-minute candles opening in [from, to], oldest first. */
  priceCandles(kind: PriceKind, name: string, from: number, to: number): Candle[];
  /** A price's last one-minute candle opening before `time`. */
  priceCandleBefore(kind: PriceKind, name: string, time: number): Candle | undefined;
  /** The perpetual's fundings in [from, to], oldest first: the first `limit`, or the last when `newest`. */
  fundings(symbol: string, from: number, to: number, limit: number, newest: boolean): FundingRow[];
  /** A conditional order of the account by id, in any state. */
  strategyById(accountId: number, id: number): Strategy | undefined;
  /** The account's latest conditional order with this client id on the symbol. */
  strategyByClientId(accountId: number, symbol: string, clientId: string): Strategy | undefined;
  /** The account's conditional orders booked in a window, oldest first. */
  strategies(query: StrategyQuery): Strategy[];
  /** Up to `limit` journal rows from `fromSeq` on, in sequence order. */
  journal(fromSeq: number, limit: number): JournalRow[];
  /** An order's amendments in [from, to], newest first. */
  amendments(accountId: number, orderId: number, from: number, to: number, limit: number): AmendmentRow[];
  /** The account's incomes, oldest first (store/income-table.ts). */
  incomes(query: IncomeQuery): IncomeRow[];
  /** The time of the symbol's first trade; undefined before it. */
  firstTradeTime(symbol: string): number | undefined;
  close(): void;
}
