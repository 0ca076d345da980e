// What the venue tells the world after a commit: one OrderEvent per change of an order
// (in the order the engine made them, each carrying the order as it stood right after
// that change) and one AccountEvent per account whose positions or balances a command
// moved. They are published only after their batch is durable, in commit order; the
// user-data stream turns them into Binance's ORDER_TRADE_UPDATE and ACCOUNT_UPDATE.

import type { Strategy } from "../domain/conditional.js";
import { fillBaseAcc } from "../domain/inverse.js";
import type { Fill, Order } from "../domain/order.js";
import type { HeldPosition } from "./accounts.js";
import type { OrderView } from "./views.js";

export type ExecutionType = "NEW" | "TRADE" | "CANCELED" | "EXPIRED" | "AMENDMENT";

export interface OrderEvent {
  readonly kind: "order";
  readonly accountId: number;
  readonly execution: ExecutionType;
  /** The order right after this change. */
  readonly order: OrderView;
  /** The fill behind a TRADE, with what it realized and cost this order's account. */
  readonly fill?: {
    readonly tradeId: number;
    readonly price: number;
    readonly qty: number;
    readonly maker: boolean;
  } & FillMoney;
  /** Transaction time. */
  readonly time: number;
  /** The client's modifyId, on the AMENDMENT it asked for. */
  readonly modifyId?: number | undefined;
  /** Σ remaining × BASE_SCALE / ticks over the account's open orders on the symbol, per side, after the command. */
  readonly openBid: bigint;
  readonly openAsk: bigint;
}

/** Money one side of a fill moved, 10^-8 of the margin coin. */
export interface FillMoney {
  readonly realizedPnl: bigint;
  readonly commission: bigint;
}

export interface AccountEvent {
  readonly kind: "account";
  readonly accountId: number;
  readonly time: number;
  /** Binance's reason: fills, the admin's deposits and withdrawals, funding. */
  readonly reason: "ORDER" | "DEPOSIT" | "WITHDRAW" | "FUNDING_FEE" | "INSURANCE_CLEAR" | "ADJUSTMENT";
  /** Balances of the coins involved after the change, and the change other than PnL and fees, 10^-8 units. */
  readonly balances: ReadonlyArray<{
    readonly asset: string;
    readonly units: bigint;
    readonly change: bigint;
  }>;
  readonly positions: readonly HeldPosition[];
}

/** A change of the account's Portfolio Margin risk level (portfolio.ts); USD at 10^-8. */
export interface RiskEvent {
  readonly kind: "risk";
  readonly accountId: number;
  readonly time: number;
  readonly level: "MARGIN_CALL" | "REDUCE_ONLY" | "FORCE_LIQUIDATION";
  readonly uniMMR8: bigint;
  readonly equity: bigint;
  readonly actualEquity: bigint;
  readonly maint: bigint;
}

/** A change of the account's leverage on a symbol (ACCOUNT_CONFIG_UPDATE). */
export interface ConfigEvent {
  readonly kind: "config";
  readonly accountId: number;
  readonly time: number;
  readonly symbol: string;
  readonly leverage: number;
}

/** A conditional order as it stands after a change (CONDITIONAL_ORDER_TRADE_UPDATE). */
export interface StrategyEvent {
  readonly kind: "strategy";
  readonly accountId: number;
  readonly strategy: Strategy;
}

export type VenueEvent = OrderEvent | AccountEvent | RiskEvent | ConfigEvent | StrategyEvent;

function snapshot(order: Order, executedQty: number, baseAcc: bigint, status: Order["status"]): OrderView {
  const { prev: _p, next: _n, ...rest } = order;
  return { ...rest, executedQty, baseAcc, status };
}

function fillStatus(order: Order, executedQty: number): Order["status"] {
  return executedQty >= order.origQty ? "FILLED" : "PARTIALLY_FILLED";
}

/**
 * Replays one command's fills to give each order's intermediate states: every order
 * in `changed` is known in its final state, so its state before the command is the
 * final one less its fills, and each TRADE adds one fill back.
 */
/** The change a command's ORDER events lead with: a new order, or an accepted modify; none for a cancel. */
export type Lead =
  | { readonly execution: "NEW" | "AMENDMENT"; readonly order: Order; readonly modifyId?: number | undefined }
  | undefined;

export function orderEvents(
  lead: Lead,
  fills: readonly Fill[],
  changed: readonly Order[],
  time: number,
  openNotional: (order: Order) => { bid: bigint; ask: bigint },
  money: ReadonlyMap<string, FillMoney>,
): OrderEvent[] {
  const running = new Map<Order, { executedQty: number; baseAcc: bigint }>();
  for (const order of changed) running.set(order, { executedQty: order.executedQty, baseAcc: order.baseAcc });
  for (const fill of fills) {
    for (const order of [fill.maker, fill.taker]) {
      const r = running.get(order) ?? { executedQty: order.executedQty, baseAcc: order.baseAcc };
      r.executedQty -= fill.qty;
      r.baseAcc -= fillBaseAcc(fill.qty, fill.price);
      running.set(order, r);
    }
  }
  const events: OrderEvent[] = [];
  const push = (
    order: Order,
    execution: ExecutionType,
    view: OrderView,
    fill?: OrderEvent["fill"],
    modifyId?: number,
  ) => {
    const open = openNotional(order);
    events.push({
      kind: "order",
      accountId: order.accountId,
      execution,
      order: view,
      fill,
      time,
      ...(modifyId === undefined ? {} : { modifyId }),
      openBid: open.bid,
      openAsk: open.ask,
    });
  };
  if (lead) {
    const r = running.get(lead.order) ?? { executedQty: lead.order.executedQty, baseAcc: lead.order.baseAcc };
    const status = r.executedQty === 0 ? "NEW" : "PARTIALLY_FILLED";
    const view = snapshot(lead.order, r.executedQty, r.baseAcc, status);
    push(
      lead.order,
      lead.execution,
      view,
      undefined,
      lead.execution === "AMENDMENT" ? lead.modifyId : undefined,
    );
  }
  for (const fill of fills) {
    for (const [order, maker] of [
      [fill.maker, true],
      [fill.taker, false],
    ] as const) {
      const r = running.get(order)!;
      r.executedQty += fill.qty;
      r.baseAcc += fillBaseAcc(fill.qty, fill.price);
      const view = snapshot(order, r.executedQty, r.baseAcc, fillStatus(order, r.executedQty));
      const paid = money.get(`${fill.tradeId}|${order.id}`) ?? { realizedPnl: 0n, commission: 0n };
      push(order, "TRADE", view, { tradeId: fill.tradeId, price: fill.price, qty: fill.qty, maker, ...paid });
    }
  }
  for (const order of changed) {
    if (order.status === "EXPIRED" || order.status === "CANCELED") {
      push(order, order.status, snapshot(order, order.executedQty, order.baseAcc, order.status));
    }
  }
  return events;
}
