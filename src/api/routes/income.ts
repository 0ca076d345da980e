// GET /papi/v1/cm/income: the account's income history, weight 30. What the venue
// produces: TRANSFER (the admin's deposits and withdrawals, and an account's opening
// balances), REALIZED_PNL and COMMISSION (from each fill), FUNDING_FEE, and later the
// settlements. Binance's English page: `startTime`/`endTime` inclusive, at most 200 days
// apart, the last 200 days when neither is sent; `limit` default 100, max 1000; `page`
// from 1. Oldest first. tranId and tradeId are strings, tradeId "" where no trade.

import { formatFixed } from "../../domain/decimal.js";
import { VenueError } from "../../domain/errors.js";
import { INCOME_TYPES } from "../../store/store.js";
import type { Route } from "../route.js";

const WINDOW_DAYS = 200;
const WINDOW_MS = WINDOW_DAYS * 24 * 60 * 60 * 1000;

export const incomeRoutes: Route[] = [
  {
    method: "GET",
    url: "/papi/v1/cm/income",
    weight: 30,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      const spec = p.optionalSymbol();
      const incomeType = p.enumOf("incomeType", INCOME_TYPES, "INVALID_PARAM_VALUE", false);
      const { startTime, endTime } = p.timeRange();
      if (startTime !== undefined && endTime !== undefined && endTime - startTime > WINDOW_MS)
        throw new VenueError("INVALID_TIME_INTERVAL", WINDOW_DAYS);
      const limit = p.limit(100, 1000);
      const page = p.long("page") ?? 1;
      if (page < 1) throw new VenueError("INVALID_PARAM_VALUE", "page");
      const to = endTime ?? (startTime === undefined ? now : startTime + WINDOW_MS);
      const from = startTime ?? to - WINDOW_MS;
      const rows = await venue.incomes({
        accountId,
        symbol: spec?.symbol,
        incomeType,
        startTime: from,
        endTime: to,
        limit,
        page,
      });
      return rows.map((r) => ({
        symbol: r.symbol,
        incomeType: r.incomeType,
        income: formatFixed(r.units, 8),
        asset: r.asset,
        info: r.info,
        time: r.time,
        tranId: String(r.id),
        tradeId: r.tradeId === undefined ? "" : String(r.tradeId),
      }));
    },
  },
];
