// Wire formatting of orders and trades: Binance's field names, in the documented
// order, decimals as strings in the symbol's precision, ids and times as numbers.
// Three order forms exist (spec §2.1): trade (new, cancel), modify, and query.

import { formatStripped } from "../domain/decimal.js";
import { fillBaseAcc, formatAvgPrice, formatBase, formatPrice } from "../domain/inverse.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { TradeRow } from "../store/store.js";
import type { OrderView } from "../venue/venue.js";

export interface TradeForm {
  avgPrice: string;
  clientOrderId: string;
  cumQty: string;
  cumBase: string;
  executedQty: string;
  orderId: number;
  origQty: string;
  price: string;
  reduceOnly: boolean;
  side: string;
  positionSide: string;
  status: string;
  symbol: string;
  pair: string;
  timeInForce: string;
  type: string;
  updateTime: number;
}

export function tradeForm(spec: SymbolSpec, o: OrderView): TradeForm {
  return {
    avgPrice: formatAvgPrice(spec, o.executedQty, o.baseAcc),
    clientOrderId: o.clientOrderId,
    cumQty: String(o.executedQty),
    cumBase: formatBase(spec, o.baseAcc),
    executedQty: String(o.executedQty),
    orderId: o.id,
    origQty: String(o.origQty),
    price: formatPrice(spec, o.price),
    reduceOnly: o.reduceOnly,
    side: o.side,
    positionSide: o.positionSide,
    status: o.status,
    symbol: o.symbol,
    pair: spec.pair,
    timeInForce: o.timeInForce,
    type: o.type,
    updateTime: o.updateTime,
  };
}

export function modifyForm(
  spec: SymbolSpec,
  o: OrderView,
  modifyId: number | undefined,
): Record<string, unknown> {
  const form: Record<string, unknown> = {
    orderId: o.id,
    symbol: o.symbol,
    pair: spec.pair,
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: formatPrice(spec, o.price),
    avgPrice: formatAvgPrice(spec, o.executedQty, o.baseAcc),
    origQty: String(o.origQty),
    executedQty: String(o.executedQty),
    cumQty: String(o.executedQty),
    cumBase: formatBase(spec, o.baseAcc),
    timeInForce: o.timeInForce,
    type: o.type,
    reduceOnly: o.reduceOnly,
    side: o.side,
    positionSide: o.positionSide,
    origType: o.type,
    updateTime: o.updateTime,
  };
  if (modifyId !== undefined) form.modifyId = modifyId;
  return form;
}

export function queryForm(spec: SymbolSpec, o: OrderView): Record<string, unknown> {
  return {
    avgPrice: formatAvgPrice(spec, o.executedQty, o.baseAcc),
    clientOrderId: o.clientOrderId,
    cumBase: formatBase(spec, o.baseAcc),
    executedQty: String(o.executedQty),
    orderId: o.id,
    origQty: String(o.origQty),
    origType: o.type,
    price: formatPrice(spec, o.price),
    reduceOnly: o.reduceOnly,
    side: o.side,
    status: o.status,
    symbol: o.symbol,
    pair: spec.pair,
    positionSide: o.positionSide,
    time: o.time,
    timeInForce: o.timeInForce,
    type: o.type,
    updateTime: o.updateTime,
  };
}

/** One element of /papi/v1/cm/userTrades: realized PnL and commission in the margin coin. */
export function userTrade(spec: SymbolSpec, t: TradeRow): Record<string, unknown> {
  return {
    symbol: t.symbol,
    id: t.tradeId,
    orderId: t.orderId,
    pair: spec.pair,
    side: t.side,
    price: formatPrice(spec, t.price),
    qty: String(t.qty),
    realizedPnl: formatStripped(t.realizedPnl, 8),
    marginAsset: spec.marginAsset,
    baseQty: formatBase(spec, fillBaseAcc(t.qty, t.price)),
    commission: formatStripped(t.commission, 8),
    commissionAsset: spec.marginAsset,
    time: t.time,
    positionSide: t.positionSide,
    buyer: t.side === "BUY",
    maker: t.maker,
  };
}
