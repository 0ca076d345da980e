// The order record shared by every layer. Prices are integer ticks of the symbol,
// quantities whole contracts, ids and times plain numbers (always < 2^53): strings
// exist only at the HTTP edge. The engine links resting orders into price levels
// through `prev`/`next`, so a resting order costs no allocation beyond itself.

export type Side = "BUY" | "SELL";
export type OrderType = "LIMIT" | "MARKET";
export type TimeInForce = "GTC" | "IOC" | "FOK" | "GTX";
export type PositionSide = "BOTH" | "LONG" | "SHORT";
export type OrderStatus = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "EXPIRED" | "EXPIRED_IN_MATCH";

export const SIDES: readonly Side[] = ["BUY", "SELL"];
export const ORDER_TYPES: readonly OrderType[] = ["LIMIT", "MARKET"];
export const TIME_IN_FORCES: readonly TimeInForce[] = ["GTC", "IOC", "FOK", "GTX"];
export const POSITION_SIDES: readonly PositionSide[] = ["BOTH", "LONG", "SHORT"];

/** priceMatch values (domain/price-match.ts prices them). */
export const PRICE_MATCHES = [
  "OPPONENT",
  "OPPONENT_5",
  "OPPONENT_10",
  "OPPONENT_20",
  "QUEUE",
  "QUEUE_5",
  "QUEUE_10",
  "QUEUE_20",
] as const;
export type PriceMatch = (typeof PRICE_MATCHES)[number];

/** Conditional order types (domain/conditional.ts holds their rules). */
export const STRATEGY_TYPES = [
  "STOP",
  "STOP_MARKET",
  "TAKE_PROFIT",
  "TAKE_PROFIT_MARKET",
  "TRAILING_STOP_MARKET",
] as const;
export type StrategyType = (typeof STRATEGY_TYPES)[number];

/** The conditional order whose trigger placed an order. */
export interface PlacedBy {
  readonly id: number;
  readonly type: StrategyType;
}

/**
 * Fixed-point scale of `Order.baseAcc`: each fill adds `qty * BASE_SCALE / priceTicks`
 * (truncated). The symbol's contract size and tick size turn it into coin at the edge
 * (`domain/inverse.ts`); 10^30 keeps the per-fill truncation far below the 8 decimals
 * Binance prints, so cumBase and avgPrice round as if computed exactly.
 */
export const BASE_SCALE = 10n ** 30n;

export interface Order {
  readonly id: number;
  readonly accountId: number;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** Limit price in ticks; 0 for MARKET. Changed only by modify. */
  price: number;
  /** Ordered contracts. Changed only by modify. */
  origQty: number;
  /** Filled contracts. */
  executedQty: number;
  /** Σ fillQty × BASE_SCALE / fillPriceTicks over this order's fills. */
  baseAcc: bigint;
  status: OrderStatus;
  readonly clientOrderId: string;
  readonly reduceOnly: boolean;
  readonly positionSide: PositionSide;
  /** Creation time, ms. */
  readonly time: number;
  /** Last change of state, ms. */
  updateTime: number;
  /** Time-priority sequence inside the book; renewed when a modify re-queues the order. */
  seq: number;
  /** The priceMatch that priced the order (or its last amendment); undefined when a price was sent. */
  priceMatch: PriceMatch | undefined;
  /** Set on an order a conditional order's trigger placed. */
  readonly placedBy: PlacedBy | undefined;
  /** Neighbours in the price level's FIFO; null when first/last or not resting. */
  prev: Order | null;
  next: Order | null;
}

export function isActive(status: OrderStatus): boolean {
  return status === "NEW" || status === "PARTIALLY_FILLED";
}

/** One match between a resting (maker) and an incoming (taker) order. */
export interface Fill {
  readonly tradeId: number;
  readonly symbol: string;
  /** Execution price in ticks: always the maker's price. */
  readonly price: number;
  readonly qty: number;
  readonly maker: Order;
  readonly taker: Order;
  readonly time: number;
}
