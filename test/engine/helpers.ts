import type { Order, OrderType, Side, TimeInForce } from "../../src/domain/order.js";

export const SYMBOL = "BTCUSD_PERP";

export interface OrderSpec {
  id: number;
  side: Side;
  /** Ticks; ignored (0) for MARKET. */
  price?: number;
  qty: number;
  type?: OrderType;
  tif?: TimeInForce;
  accountId?: number;
  time?: number;
}

/** A fresh, NEW, unfilled order as the venue hands it to the engine. */
export function newOrder(spec: OrderSpec): Order {
  const type = spec.type ?? "LIMIT";
  const time = spec.time ?? 0;
  return {
    id: spec.id,
    accountId: spec.accountId ?? 1,
    symbol: SYMBOL,
    side: spec.side,
    type,
    timeInForce: spec.tif ?? "GTC",
    price: type === "MARKET" ? 0 : (spec.price ?? 0),
    origQty: spec.qty,
    executedQty: 0,
    baseAcc: 0n,
    status: "NEW",
    clientOrderId: `c${spec.id}`,
    reduceOnly: false,
    positionSide: "BOTH",
    time,
    updateTime: time,
    seq: 0,
    priceMatch: undefined,
    placedBy: undefined,
    prev: null,
    next: null,
  };
}

/** An independent copy without book links, so two engines never share an Order. */
export function cloneOrder(order: Order): Order {
  return { ...order, prev: null, next: null };
}
