// What Portfolio Margin tells an account about its liquidations: GET
// /papi/v1/cm/forceOrders (its liquidation and auto-deleveraging orders) and GET
// /papi/v1/cm/adlQuantile (where its positions stand in the deleveraging queue).
//
// forceOrders: weight 20 with `symbol`, 50 without; `autoCloseType` LIQUIDATION or ADL
// (both when not sent); `startTime`/`endTime`, the 7 days before `endTime` (now by
// default) when `startTime` is not sent; `limit` 50, at most 100; oldest first.

import { findSymbol } from "../../domain/symbols.js";
import { queryForm } from "../format.js";
import type { Route } from "../route.js";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const AUTO_CLOSE = ["LIQUIDATION", "ADL"] as const;

export const liquidationRoutes: Route[] = [
  {
    method: "GET",
    url: "/papi/v1/cm/forceOrders",
    weight: (p) => (p.optional("symbol") === undefined ? 50 : 20),
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const spec = p.optionalSymbol();
      const autoClose = p.enumOf("autoCloseType", AUTO_CLOSE, "INVALID_PARAM_VALUE", false);
      const { startTime, endTime } = p.timeRange();
      const limit = p.limit(50, 100);
      const to = endTime ?? now;
      const orders = await venue.allOrders(
        {
          accountId,
          symbols: spec ? [spec.symbol] : venue.symbols().map((s) => s.symbol),
          startTime: startTime ?? to - WEEK_MS,
          endTime: to,
          limit,
          autoClose: autoClose ?? "ANY",
        },
        now,
      );
      // The fields of a queried order (Binance's example lists the same ones).
      return orders.map((o) => queryForm(findSymbol(o.symbol)!, o));
    },
  },
  {
    // One row per symbol the account holds: LONG, SHORT and BOTH in one-way mode; in
    // hedge mode LONG and SHORT share the higher of the two and HEDGE stands for BOTH
    // ("only a sign, ignore the value", Binance says).
    method: "GET",
    url: "/papi/v1/cm/adlQuantile",
    weight: 5,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const spec = p.optionalSymbol();
      const [quantiles, dualSide] = await Promise.all([
        venue.adlQuantiles(accountId),
        venue.dualSide(accountId),
      ]);
      const rows = new Map<string, Record<string, number>>();
      for (const [key, q] of [...quantiles].sort((a, b) => a[0].localeCompare(b[0]))) {
        const [symbol] = key.split("|") as [string];
        if (spec && spec.symbol !== symbol) continue;
        const row =
          rows.get(symbol) ?? (dualSide ? { LONG: 0, SHORT: 0, HEDGE: 0 } : { LONG: 0, SHORT: 0, BOTH: 0 });
        if (dualSide) {
          const both = Math.max(row.LONG!, q);
          row.LONG = both;
          row.SHORT = both;
        } else {
          row.BOTH = q;
          const long = (await venue.netPosition(accountId, symbol)) > 0;
          if (long) row.LONG = q;
          else row.SHORT = q;
        }
        rows.set(symbol, row);
      }
      return [...rows].map(([symbol, adlQuantile]) => ({ symbol, adlQuantile }));
    },
  },
];
