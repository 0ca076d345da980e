// Binance's user-data events, field by field: ORDER_TRADE_UPDATE and ACCOUNT_UPDATE with
// "fs":"CM", riskLevelChange, short keys in the documented order, decimals as strings (zero as "0"),
// ids and times as numbers (spec §7.3, §7.4).

import { formatCallbackRate } from "../domain/conditional.js";
import { formatFixed, formatStripped } from "../domain/decimal.js";
import {
  formatAvgPrice,
  formatBase,
  formatCoin,
  formatEntryPrice,
  formatPrice,
  unrealizedUnits,
} from "../domain/inverse.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { AccountEvent, ConfigEvent, OrderEvent, RiskEvent, StrategyEvent } from "../venue/events.js";

/** Liquidation orders (`autoclose-…`) and auto-deleveraging ones (`adl_autoclose`). */
function isLiquidation(clientOrderId: string): boolean {
  return clientOrderId.startsWith("autoclose-") || clientOrderId.startsWith("adl_autoclose");
}

/** ACCOUNT_CONFIG_UPDATE for a leverage change, as Portfolio Margin's event page shows it (with `fs`). */
export function accountConfigUpdate(e: ConfigEvent, eventTime: number) {
  return {
    e: "ACCOUNT_CONFIG_UPDATE",
    fs: "CM",
    E: eventTime,
    T: e.time,
    ac: { s: e.symbol, l: e.leverage },
  };
}

/** CONDITIONAL_ORDER_TRADE_UPDATE, as Portfolio Margin's event page lists `so`. */
export function conditionalOrderTradeUpdate(e: StrategyEvent, spec: SymbolSpec, eventTime: number) {
  const s = e.strategy;
  const trailing = s.type === "TRAILING_STOP_MARKET";
  return {
    e: "CONDITIONAL_ORDER_TRADE_UPDATE",
    T: s.updateTime,
    E: eventTime,
    fs: "CM",
    so: {
      s: s.symbol,
      c: s.clientStrategyId,
      si: s.id,
      S: s.side,
      st: s.type,
      f: s.timeInForce,
      q: String(s.quantity),
      p: formatPrice(spec, s.price),
      sp: formatPrice(spec, s.stopPrice),
      os: s.status,
      T: s.bookTime,
      ut: s.updateTime,
      R: s.reduceOnly,
      wt: s.working,
      ps: s.positionSide,
      cp: false,
      ...(trailing
        ? { AP: formatPrice(spec, s.activatePrice), cr: formatCallbackRate(s.callbackRate4) }
        : {}),
      ...(s.orderId > 0 ? { i: s.orderId } : {}),
      V: "EXPIRE_NONE",
      gtd: 0,
    },
  };
}

/** riskLevelChange: uniMMR, equity, actual equity and maintenance margin (USD) at 8 decimals. */
export function riskLevelChange(e: RiskEvent, eventTime: number) {
  return {
    e: "riskLevelChange",
    E: eventTime,
    u: formatFixed(e.uniMMR8, 8),
    s: e.level,
    eq: formatFixed(e.equity, 8),
    ae: formatFixed(e.actualEquity, 8),
    m: formatFixed(e.maint, 8),
  };
}

export function orderTradeUpdate(e: OrderEvent, spec: SymbolSpec, alias: string, eventTime: number) {
  const o = e.order;
  return {
    e: "ORDER_TRADE_UPDATE",
    fs: "CM",
    E: eventTime,
    T: e.time,
    i: alias,
    o: {
      s: o.symbol,
      c: o.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: String(o.origQty),
      p: formatPrice(spec, o.price),
      ap: o.executedQty === 0 ? "0" : formatAvgPrice(spec, o.executedQty, o.baseAcc),
      sp: "0",
      // A liquidation's fills are Binance's CALCULATED executions.
      x: e.execution === "TRADE" && isLiquidation(o.clientOrderId) ? "CALCULATED" : e.execution,
      X: o.status,
      i: o.id,
      l: String(e.fill?.qty ?? 0),
      z: String(o.executedQty),
      L: e.fill ? formatPrice(spec, e.fill.price) : "0",
      N: spec.marginAsset,
      n: formatStripped(e.fill?.commission ?? 0n, 8),
      T: e.time,
      t: e.fill?.tradeId ?? 0,
      b: formatBase(spec, e.openBid),
      a: formatBase(spec, e.openAsk),
      m: e.fill?.maker ?? false,
      R: o.reduceOnly,
      ps: o.positionSide,
      rp: formatStripped(e.fill?.realizedPnl ?? 0n, 8),
      // Only on an order a conditional order's trigger placed. Portfolio Margin's page shows
      // "C_TAKE_PROFIT" for a take-profit: the strategy type behind "C_".
      ...(o.placedBy ? { st: `C_${o.placedBy.type}`, si: o.placedBy.id } : {}),
      V: "EXPIRE_NONE",
      // A live capture shows PM_NONE without a match; the COIN-M page shows the match's name.
      pm: o.priceMatch ?? "PM_NONE",
      gtd: 0,
      // The modifyId the client sent, on the AMENDMENT it asked for (as a string, Binance's type).
      ...(e.modifyId === undefined ? {} : { M: String(e.modifyId) }),
    },
  };
}

export function accountUpdate(
  e: AccountEvent,
  alias: string,
  eventTime: number,
  symbol: (name: string) => SymbolSpec,
  markPrice: (name: string) => number | undefined,
) {
  return {
    e: "ACCOUNT_UPDATE",
    T: e.time,
    E: eventTime,
    i: alias,
    fs: "CM",
    a: {
      B: e.balances.map((b) => ({
        a: b.asset,
        wb: formatCoin(b.units),
        cw: formatCoin(b.units),
        bc: formatStripped(b.change, 8),
      })),
      P: e.positions.map((p) => {
        const spec = symbol(p.symbol);
        const ep = formatEntryPrice(spec, p.amount, p.entryAcc);
        const mark = markPrice(p.symbol) ?? 0;
        return {
          s: p.symbol,
          pa: String(p.amount),
          ep,
          cr: formatStripped(p.realized, 8),
          up: formatCoin(unrealizedUnits(spec, p.amount, p.entryAcc, mark)),
          ps: p.positionSide,
          // No fees in the entry yet: break-even is the entry price.
          bep: Number(ep),
        };
      }),
      m: e.reason,
    },
  };
}
