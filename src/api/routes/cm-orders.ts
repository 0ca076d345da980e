// /papi/v1/cm order endpoints: new, cancel, cancel all, modify, and the order queries.
// Each handler reads its parameters in the venue's validation order (spec §2.3):
// presence, symbol, enums, number syntax, precision and filters, then the venue's
// state-dependent rules.

import { VenueError } from "../../domain/errors.js";
import { checkPrice, checkQuantity } from "../../domain/filters.js";
import { formatPrice } from "../../domain/inverse.js";
import { ORDER_TYPES, POSITION_SIDES, SIDES, TIME_IN_FORCES } from "../../domain/order.js";
import { PRICE_MATCHES, type PriceMatch } from "../../domain/price-match.js";
import type { SymbolSpec } from "../../domain/symbols.js";
import { listSymbols } from "../../domain/symbols.js";
import type { OrderRef } from "../../venue/venue.js";
import { modifyForm, queryForm, tradeForm, userTrade } from "../format.js";
import type { ParamReader } from "../read-params.js";
import type { Route } from "../route.js";

const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,32}$/;
const RESP_TYPES = ["ACK", "RESULT"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `orderId` / `origClientOrderId`: at least one; `orderId` decides when both are sent. */
function orderRef(p: ParamReader): OrderRef {
  const orderId = p.long("orderId");
  const clientOrderId = p.optional("origClientOrderId");
  if (orderId === undefined && clientOrderId === undefined) {
    throw new VenueError("MANDATORY_ONE_OF", "orderId", "origClientOrderId");
  }
  return { orderId, clientOrderId };
}

/** Symbol, then the order reference: the shared head of cancel, query and modify. */
function symbolAndRef(p: ParamReader): { spec: SymbolSpec; ref: OrderRef } {
  p.required("symbol");
  const ref = orderRef(p);
  return { spec: p.symbol(), ref };
}

/** `symbol` or `pair`, exactly one: the symbols they name. */
function symbolOrPair(p: ParamReader): string[] {
  const symbol = p.optional("symbol");
  const pair = p.optional("pair");
  if (symbol !== undefined && pair !== undefined) throw new VenueError("OPTIONAL_PARAMS_BAD_COMBO");
  if (symbol === undefined && pair === undefined) throw new VenueError("MANDATORY_ONE_OF", "symbol", "pair");
  if (symbol !== undefined) return [p.symbol().symbol];
  return symbolsOfPair(pair!);
}

function symbolsOfPair(pair: string): string[] {
  return listSymbols()
    .filter((s) => s.pair === pair)
    .map((s) => s.symbol);
}

/** History queries cost 20 for one symbol and 40 for a whole pair. */
function historyWeight(p: ParamReader): number {
  return p.optional("pair") !== undefined && p.optional("symbol") === undefined ? 40 : 20;
}

/**
 * priceMatch as Binance's New and Modify CM Order pages take it: one of the eight values
 * (-1130 otherwise), for LIMIT orders only, never with `price` (both -1106, the code
 * Binance answers a parameter sent where it is not wanted).
 */
function readPriceMatch(p: ParamReader, limit: boolean): PriceMatch | undefined {
  const match = p.enumOf("priceMatch", PRICE_MATCHES, "INVALID_PARAM_VALUE", false);
  if (match === undefined) return undefined;
  if (!limit) throw new VenueError("PARAM_NOT_REQUIRED", "priceMatch");
  if (p.optional("price") !== undefined) throw new VenueError("PARAM_NOT_REQUIRED", "price");
  return match;
}

export const cmOrderRoutes: Route[] = [
  {
    // An order's modify history, newest first (Binance's example): `symbol`, `orderId` or
    // `origClientOrderId` (orderId wins), `startTime`/`endTime` inclusive, `limit` 50
    // (at most 100). Weight 1, counted as Binance counts it: against the order limit too.
    method: "GET",
    url: "/papi/v1/cm/orderAmendment",
    weight: 1,
    order: true,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const { spec, ref } = symbolAndRef(p);
      const { startTime, endTime } = p.timeRange();
      const limit = p.limit(50, 100);
      const rows = await venue.amendments(
        accountId,
        spec.symbol,
        ref,
        startTime ?? 0,
        endTime ?? Number.MAX_SAFE_INTEGER,
        limit,
      );
      return rows.map((a) => ({
        amendmentId: a.amendmentId,
        symbol: a.symbol,
        pair: spec.pair,
        orderId: a.orderId,
        clientOrderId: a.clientOrderId,
        time: a.time,
        amendment: {
          price: { before: formatPrice(spec, a.priceBefore), after: formatPrice(spec, a.priceAfter) },
          origQty: { before: String(a.qtyBefore), after: String(a.qtyAfter) },
          count: a.count,
        },
      }));
    },
  },
  {
    method: "POST",
    url: "/papi/v1/cm/order",
    weight: 1,
    order: true,
    security: "SIGNED",
    handler: ({ params: p, accountId, now, venue }) => {
      p.required("symbol");
      p.required("side");
      p.required("type");
      const spec = p.symbol();
      const side = p.enumOf("side", SIDES, "INVALID_SIDE", true);
      const type = p.enumOf("type", ORDER_TYPES, "INVALID_ORDER_TYPE", true);
      const limit = type === "LIMIT";
      if (limit) p.required("timeInForce");
      p.required("quantity");
      const priceMatch = readPriceMatch(p, limit);
      if (limit && !priceMatch) p.required("price");
      const timeInForce = limit ? p.enumOf("timeInForce", TIME_IN_FORCES, "INVALID_TIF", true) : "GTC";
      // Both stay undefined when not sent: hedge mode needs to know reduceOnly was absent.
      const positionSide = p.enumOf("positionSide", POSITION_SIDES, "INVALID_POSITION_SIDE", false);
      const respType = p.enumOf("newOrderRespType", RESP_TYPES, "INVALID_RESP_TYPE", false) ?? "ACK";
      const reduceOnly = p.bool("reduceOnly");
      if (!limit && p.optional("price") !== undefined) throw new VenueError("PARAM_NOT_REQUIRED", "price");
      const quantity = p.decimal("quantity", true)!;
      const price = limit && !priceMatch ? p.decimal("price", true)! : undefined;
      const priceTicks = price ? checkPrice(spec, price) : 0;
      const contracts = checkQuantity(spec, quantity, !limit);
      const clientOrderId = p.optional("newClientOrderId");
      if (clientOrderId !== undefined && !CLIENT_ORDER_ID.test(clientOrderId)) {
        throw new VenueError("INVALID_CLIENT_ORDER_ID");
      }
      return venue
        .place({
          accountId,
          symbol: spec,
          side,
          type,
          timeInForce,
          price: priceTicks,
          quantity: contracts,
          clientOrderId,
          reduceOnly,
          positionSide,
          respType,
          priceMatch,
          now,
        })
        .then((o) => tradeForm(spec, o));
    },
  },
  {
    method: "DELETE",
    url: "/papi/v1/cm/order",
    weight: 1,
    security: "SIGNED",
    handler: ({ params: p, accountId, now, venue }) => {
      const { spec, ref } = symbolAndRef(p);
      return venue.cancel({ accountId, symbol: spec, ref, now }).then((o) => tradeForm(spec, o));
    },
  },
  {
    method: "DELETE",
    url: "/papi/v1/cm/allOpenOrders",
    weight: 1,
    security: "SIGNED",
    handler: ({ params: p, accountId, now, venue }) => {
      const spec = p.symbol();
      return venue
        .cancelAll(accountId, spec, now)
        .then(() => ({ code: 200, msg: "The operation of cancel all open order is done." }));
    },
  },
  {
    method: "PUT",
    url: "/papi/v1/cm/order",
    weight: 1,
    order: true,
    security: "SIGNED",
    handler: ({ params: p, accountId, now, venue }) => {
      p.required("symbol");
      const ref = orderRef(p);
      p.required("side");
      p.required("quantity");
      const priceMatch = readPriceMatch(p, true);
      if (!priceMatch) p.required("price");
      const spec = p.symbol();
      const side = p.enumOf("side", SIDES, "INVALID_SIDE", true);
      const modifyId = p.long("modifyId");
      const quantity = p.decimal("quantity", true)!;
      const price = priceMatch ? undefined : p.decimal("price", true)!;
      const priceTicks = price ? checkPrice(spec, price) : 0;
      const contracts = checkQuantity(spec, quantity, false);
      return venue
        .modify({
          accountId,
          symbol: spec,
          ref,
          side,
          price: priceTicks,
          quantity: contracts,
          priceMatch,
          modifyId,
          now,
        })
        .then((o) => modifyForm(spec, o, modifyId));
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/order",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const { spec, ref } = symbolAndRef(p);
      const o = await venue.queryOrder(accountId, spec.symbol, ref, now);
      if (!o) throw new VenueError("NO_SUCH_ORDER");
      return queryForm(spec, o);
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/openOrder",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const { spec, ref } = symbolAndRef(p);
      const o = await venue.queryOpenOrder(accountId, spec.symbol, ref);
      if (!o) throw new VenueError("NO_SUCH_ORDER");
      return queryForm(spec, o);
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/openOrders",
    weight: (p) => (p.optional("symbol") === undefined ? 40 : 1),
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const spec = p.optionalSymbol();
      const pair = p.optional("pair");
      const symbols = spec ? [spec.symbol] : pair !== undefined ? symbolsOfPair(pair) : undefined;
      const orders = await venue.openOrders(accountId, symbols);
      return orders.map((o) => queryForm(venue.symbol(o.symbol)!, o));
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/allOrders",
    weight: historyWeight,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const symbols = symbolOrPair(p);
      const fromOrderId = p.long("orderId");
      const { startTime, endTime } = p.timeRange();
      const limit = p.limit(50, 100);
      const orders = await venue.allOrders(
        { accountId, symbols, fromOrderId, startTime, endTime, limit },
        now,
      );
      return orders.map((o) => queryForm(venue.symbol(o.symbol)!, o));
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/userTrades",
    weight: historyWeight,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const symbols = symbolOrPair(p);
      const fromId = p.long("fromId");
      let { startTime, endTime } = p.timeRange();
      const limit = p.limit(50, 1000);
      if (
        fromId !== undefined &&
        (p.optional("pair") !== undefined || startTime !== undefined || endTime !== undefined)
      ) {
        throw new VenueError("OPTIONAL_PARAMS_BAD_COMBO");
      }
      if (fromId === undefined) {
        if (startTime !== undefined && endTime !== undefined && endTime - startTime > DAY_MS) {
          throw new VenueError("TOO_LONG_WINDOW", 24);
        }
        if (startTime === undefined && endTime === undefined) {
          endTime = now;
          startTime = now - DAY_MS;
        } else if (startTime === undefined) startTime = endTime! - DAY_MS;
        else if (endTime === undefined) endTime = startTime + DAY_MS;
      }
      const trades = await venue.userTrades({ accountId, symbols, fromId, startTime, endTime, limit });
      return trades.map((t) => userTrade(venue.symbol(t.symbol)!, t));
    },
  },
];
