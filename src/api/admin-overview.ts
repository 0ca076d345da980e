// GET /admin/v1/accounts/{id}/overview: one account as the console's accounts view shows
// it, in the wire's own forms: its Portfolio Margin risk level and uniMMR, balances,
// positions held (positionRisk's rows), open orders (the order query's form), armed
// conditional orders (their query's form) and its fills of the last day, newest 50.
// The admin reads what a signed client would, without the account's secret.

import type { FastifyInstance, FastifyRequest } from "fastify";
import { formatFixed, formatStripped } from "../domain/decimal.js";
import { listSymbols } from "../domain/symbols.js";
import { DAY_MS } from "../domain/ticker.js";
import type { Venue } from "../venue/venue.js";
import { AdminError, type Handle } from "./admin-body.js";
import { queryForm, userTrade } from "./format.js";
import { positionRows } from "./routes/cm-account.js";
import { strategyForm } from "./routes/cm-conditional.js";

const COIN_SCALE = 8;
const RECENT_FILLS = 50;

export function registerOverview(
  app: FastifyInstance,
  handle: Handle,
  venue: Venue,
  now: () => number,
  accountIdParam: (req: FastifyRequest) => number,
): void {
  app.get(
    "/admin/v1/accounts/:accountId/overview",
    handle(async (req) => {
      const accountId = accountIdParam(req);
      const account = await venue.account(accountId);
      if (!account) throw new AdminError(404, -1130, "Unknown account.");
      const at = now();
      const symbols = listSymbols(at);
      const [portfolio, state, orders, strategies, fills] = await Promise.all([
        venue.portfolio(accountId),
        venue.accountState(accountId),
        venue.openOrders(accountId, undefined),
        venue.openStrategies(accountId, undefined),
        venue.userTrades({
          accountId,
          symbols: symbols.map((s) => s.symbol),
          startTime: at - DAY_MS,
          endTime: at,
          limit: 1000,
        }),
      ]);
      const balances: Record<string, string> = {};
      for (const [asset, units] of account.balances) balances[asset] = formatStripped(units, COIN_SCALE);
      return {
        accountId,
        alias: account.alias,
        house: account.house !== undefined,
        riskLevel: portfolio.noted,
        uniMMR: portfolio.uniMMR8 === undefined ? null : formatFixed(portfolio.uniMMR8, COIN_SCALE),
        balances,
        apiKeys: account.apiKeys,
        positions: positionRows(state, symbols).filter((p) => p.positionAmt !== "0"),
        openOrders: orders.map((o) => queryForm(venue.symbol(o.symbol)!, o)),
        conditionalOrders: strategies.map((s) => strategyForm(venue.symbol(s.symbol)!, s)),
        fills: fills
          .slice(-RECENT_FILLS)
          .reverse()
          .map((t) => userTrade(venue.symbol(t.symbol)!, t)),
      };
    }),
  );
}
