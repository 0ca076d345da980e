// The seven CM conditional order endpoints of Portfolio Margin, under
// /papi/v1/cm/conditional/: order (POST, DELETE), allOpenOrders (DELETE), openOrder,
// openOrders, allOrders and orderHistory, as Binance's pages give their parameters,
// weights and answers (venue/conditional.ts for what a strategy does).
//
// Parameters of a new one: `symbol`, `side`, `strategyType` (-1116 otherwise), and by
// type STOP/TAKE_PROFIT `quantity`, `price`, `stopPrice`; STOP_MARKET/TAKE_PROFIT_MARKET
// `stopPrice`; TRAILING_STOP_MARKET `callbackRate` (0.1 to 5, else -1130) and an optional
// `activationPrice` (the mark when not sent). `quantity` is asked of every type here (the
// venue does not close whole positions). `workingType` MARK_PRICE or CONTRACT_PRICE
// (default), `priceProtect` "TRUE"/"FALSE", `timeInForce` for STOP/TAKE_PROFIT (GTC by
// default), `reduceOnly` (not in hedge mode), `positionSide`, `newClientStrategyId`
// (`^[\.A-Z\:/a-z0-9_-]{1,36}$`, else -4015).

import {
  formatCallbackRate,
  STRATEGY_TYPES,
  type Strategy,
  WORKING_TYPES,
} from "../../domain/conditional.js";
import { rescale } from "../../domain/decimal.js";
import { VenueError } from "../../domain/errors.js";
import { checkPrice, checkQuantity } from "../../domain/filters.js";
import { formatPrice } from "../../domain/inverse.js";
import { POSITION_SIDES, SIDES, TIME_IN_FORCES } from "../../domain/order.js";
import { findSymbol, type SymbolSpec } from "../../domain/symbols.js";
import type { StrategyRef } from "../../venue/venue.js";
import type { ParamReader } from "../read-params.js";
import type { Route } from "../route.js";

const CLIENT_STRATEGY_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** The fields every answer about a strategy carries (Binance's New CM Conditional Order example). */
export function strategyForm(spec: SymbolSpec, s: Strategy): Record<string, unknown> {
  const trailing = s.type === "TRAILING_STOP_MARKET";
  return {
    newClientStrategyId: s.clientStrategyId,
    strategyId: s.id,
    strategyStatus: s.status,
    strategyType: s.type,
    origQty: String(s.quantity),
    price: formatPrice(spec, s.price),
    reduceOnly: s.reduceOnly,
    side: s.side,
    positionSide: s.positionSide,
    stopPrice: formatPrice(spec, s.stopPrice),
    symbol: s.symbol,
    pair: spec.pair,
    timeInForce: s.timeInForce,
    ...(trailing
      ? { activatePrice: formatPrice(spec, s.activatePrice), priceRate: formatCallbackRate(s.callbackRate4) }
      : {}),
    bookTime: s.bookTime,
    updateTime: s.updateTime,
    workingType: s.working,
    priceProtect: s.priceProtect,
  };
}

/** Symbol, then the strategy reference: the shared head of cancel, openOrder and orderHistory. */
function symbolAndRef(p: ParamReader): { spec: SymbolSpec; ref: StrategyRef } {
  p.required("symbol");
  const ref = strategyRef(p);
  return { spec: p.symbol(), ref };
}

function strategyRef(p: ParamReader): StrategyRef {
  const strategyId = p.long("strategyId");
  const clientStrategyId = p.optional("newClientStrategyId");
  if (strategyId === undefined && clientStrategyId === undefined)
    throw new VenueError("MANDATORY_ONE_OF", "strategyId", "newClientStrategyId");
  return { strategyId, clientStrategyId };
}

const oneOrAll = (one: number, all: number) => (p: ParamReader) =>
  p.optional("symbol") === undefined ? all : one;

export const cmConditionalRoutes: Route[] = [
  {
    method: "POST",
    url: "/papi/v1/cm/conditional/order",
    weight: 1,
    order: true,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      p.required("symbol");
      p.required("side");
      p.required("strategyType");
      const spec = p.symbol();
      const side = p.enumOf("side", SIDES, "INVALID_SIDE", true);
      const type = p.enumOf("strategyType", STRATEGY_TYPES, "INVALID_ORDER_TYPE", true);
      const trailing = type === "TRAILING_STOP_MARKET";
      const limit = type === "STOP" || type === "TAKE_PROFIT";
      p.required("quantity");
      if (limit) p.required("price");
      if (!trailing) p.required("stopPrice");
      if (trailing) p.required("callbackRate");
      const working =
        p.enumOf("workingType", WORKING_TYPES, "INVALID_PARAM_VALUE", false) ?? "CONTRACT_PRICE";
      const protect = p.optional("priceProtect");
      if (protect !== undefined && !/^(true|false)$/i.test(protect))
        throw new VenueError("INVALID_PARAM_VALUE", "priceProtect");
      const positionSide = p.enumOf("positionSide", POSITION_SIDES, "INVALID_POSITION_SIDE", false);
      const reduceOnly = p.bool("reduceOnly");
      const timeInForce = limit
        ? (p.enumOf("timeInForce", TIME_IN_FORCES, "INVALID_TIF", false) ?? "GTC")
        : "GTC";
      const quantity = checkQuantity(spec, p.decimal("quantity", true)!, !limit);
      const price = limit ? checkPrice(spec, p.decimal("price", true)!) : 0;
      const stopPrice = trailing ? 0 : checkPrice(spec, p.decimal("stopPrice", true)!);
      const activation = p.decimal("activationPrice", false);
      const activatePrice = trailing && activation ? checkPrice(spec, activation) : undefined;
      let callbackRate4 = 0;
      if (trailing) {
        const r = p.decimal("callbackRate", true)!;
        if (r.scale > 2) throw new VenueError("INVALID_PARAM_VALUE", "callbackRate");
        callbackRate4 = Number(rescale(r, 2));
        if (callbackRate4 < 10 || callbackRate4 > 500)
          throw new VenueError("INVALID_PARAM_VALUE", "callbackRate");
      }
      const clientStrategyId = p.optional("newClientStrategyId");
      if (clientStrategyId !== undefined && !CLIENT_STRATEGY_ID.test(clientStrategyId))
        throw new VenueError("INVALID_CLIENT_ORDER_ID");
      const s = await venue.placeStrategy({
        accountId,
        symbol: spec,
        side,
        positionSide,
        type,
        working,
        stopPrice,
        price,
        quantity,
        timeInForce,
        reduceOnly,
        priceProtect: protect?.toLowerCase() === "true",
        clientStrategyId,
        activatePrice,
        callbackRate4,
        now,
      });
      return strategyForm(spec, s);
    },
  },
  {
    method: "DELETE",
    url: "/papi/v1/cm/conditional/order",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const { spec, ref } = symbolAndRef(p);
      return strategyForm(spec, await venue.cancelStrategy(accountId, spec.symbol, ref, now));
    },
  },
  {
    method: "DELETE",
    url: "/papi/v1/cm/conditional/allOpenOrders",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const spec = p.symbol();
      await venue.cancelAllStrategies(accountId, spec.symbol, now);
      return { code: "200", msg: "The operation of cancel all conditional open order is done." };
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/conditional/openOrder",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const { spec, ref } = symbolAndRef(p);
      const s = await venue.openStrategy(accountId, spec.symbol, ref);
      if (!s) throw new VenueError("NO_SUCH_ORDER");
      return strategyForm(spec, s);
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/conditional/openOrders",
    weight: oneOrAll(1, 40),
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const spec = p.optionalSymbol();
      const list = await venue.openStrategies(accountId, spec?.symbol);
      return list.map((s) => strategyForm(findSymbol(s.symbol)!, s));
    },
  },
  {
    // Strategies booked in a window of less than 7 days (the last 7 by default), from
    // `strategyId` on, oldest first; `limit` 500 (at most 1000).
    method: "GET",
    url: "/papi/v1/cm/conditional/allOrders",
    weight: oneOrAll(1, 40),
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const spec = p.optionalSymbol();
      const fromId = p.long("strategyId");
      const { startTime, endTime } = p.timeRange();
      const limit = p.limit(500, 1000);
      const to = endTime ?? (startTime === undefined ? now : startTime + WEEK_MS);
      const from = startTime ?? to - WEEK_MS;
      if (to - from > WEEK_MS) throw new VenueError("INVALID_TIME_INTERVAL", 7);
      const list = await venue.strategies({
        accountId,
        symbol: spec?.symbol,
        fromId,
        startTime: from,
        endTime: to,
        limit,
      });
      return list.map((s) => historyForm(findSymbol(s.symbol)!, s, undefined));
    },
  },
  {
    // One strategy that has left NEW (Binance: "NEW orders will not be found", -2013),
    // with the order it placed.
    method: "GET",
    url: "/papi/v1/cm/conditional/orderHistory",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const { spec, ref } = symbolAndRef(p);
      const found = await venue.strategy(accountId, spec.symbol, ref);
      if (!found || found.strategy.status === "NEW") throw new VenueError("NO_SUCH_ORDER");
      return historyForm(spec, found.strategy, found.order);
    },
  },
];

/** A strategy with what it placed: orderId, that order's status and type, triggerTime. */
function historyForm(
  spec: SymbolSpec,
  s: Strategy,
  order: { status: string; type: string } | undefined,
): Record<string, unknown> {
  const base = strategyForm(spec, s);
  const placed = s.orderId > 0;
  return {
    ...base,
    ...(placed ? { orderId: s.orderId } : {}),
    ...(placed && order ? { status: order.status, type: order.type } : {}),
    triggerTime: s.triggerTime,
    priceMatch: "NONE",
  };
}
