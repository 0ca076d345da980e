// The /futures/data statistics read from the pairs' 5-minute snapshots (venue's
// pair-stats.ts, domain/pair-stats.ts for what is counted): open interest history and
// the long/short ratios, each row the state at the close of its period, `timestamp`
// that close, from the pair's first trade, within the last 30 days, the last `limit`
// rows (default 30, at most 500) up to endTime.
//
// Venue choice: Binance's page names topLongShortAccountRatio's parameter `symbol` (its
// official connector sends that) and the others `pair`; each takes either, a pair
// (BTCUSD) or a contract of it (BTCUSD_PERP).

import { formatFixed } from "../../domain/decimal.js";
import { VenueError } from "../../domain/errors.js";
import { type PairStats, ratioText, shareText } from "../../domain/pair-stats.js";
import type { ContractType } from "../../domain/symbols.js";
import type { Venue } from "../../venue/venue.js";
import type { ParamReader } from "../read-params.js";
import type { Route } from "../route.js";
import { CONTRACT_FILTERS, PERIODS } from "./market-stats.js";

/** The pair a request names, by `pair` or `symbol`; -1121 for none listed. */
function pairOf(p: ParamReader, venue: Venue, first: "pair" | "symbol"): string {
  const second = first === "pair" ? "symbol" : "pair";
  const sent = p.optional(first) ?? p.optional(second);
  if (sent === undefined) p.required(first);
  const name = sent!.toUpperCase();
  const pair = venue.symbol(name)?.pair ?? name;
  if (!venue.symbols().some((s) => s.pair === pair)) throw new VenueError("INVALID_SYMBOL");
  return pair;
}

async function series(p: ParamReader, venue: Venue, now: number, pair: string): Promise<PairStats[]> {
  const period = p.enumOf("period", PERIODS, "INVALID_PARAM_VALUE", true);
  const limit = p.limit(30, 500);
  const range = p.timeRange();
  return venue.pairStats(pair, period, range, limit, now);
}

function ratioRoute(
  url: string,
  param: "pair" | "symbol",
  row: (s: PairStats) => Record<string, string>,
): Route {
  return {
    method: "GET",
    url,
    weight: 1,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const pair = pairOf(p, venue, param);
      return (await series(p, venue, now, pair)).map((s) => ({ pair, ...row(s), timestamp: s.time }));
    },
  };
}

export const pairStatsRoutes: Route[] = [
  {
    method: "GET",
    url: "/futures/data/openInterestHist",
    weight: 1,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const pair = pairOf(p, venue, "pair");
      const contractType = p.enumOf("contractType", CONTRACT_FILTERS, "INVALID_CONTRACT_TYPE", true);
      const symbols = new Set(
        venue
          .symbols()
          .filter(
            (s) =>
              s.pair === pair &&
              (contractType === "ALL" || s.contractType === (contractType as ContractType)),
          )
          .map((s) => s.symbol),
      );
      return (await series(p, venue, now, pair)).map((s) => {
        let contracts = 0;
        let units = 0n;
        for (const c of s.contracts) {
          if (!symbols.has(c.symbol)) continue;
          contracts += c.openInterest;
          units += c.valueUnits;
        }
        return {
          pair,
          contractType,
          sumOpenInterest: String(contracts),
          sumOpenInterestValue: formatFixed(units, 8),
          timestamp: s.time,
        };
      });
    },
  },
  ratioRoute("/futures/data/topLongShortAccountRatio", "symbol", (s) => ({
    longShortRatio: ratioText(s.topLongAccounts, s.topShortAccounts),
    longAccount: shareText(s.topLongAccounts, s.topHolders),
    shortAccount: shareText(s.topShortAccounts, s.topHolders),
  })),
  ratioRoute("/futures/data/topLongShortPositionRatio", "pair", (s) => ({
    longShortRatio: ratioText(s.topLongContracts, s.topShortContracts),
    longPosition: shareText(s.topLongContracts, s.topLongContracts + s.topShortContracts),
    shortPosition: shareText(s.topShortContracts, s.topLongContracts + s.topShortContracts),
  })),
  ratioRoute("/futures/data/globalLongShortAccountRatio", "pair", (s) => ({
    longShortRatio: ratioText(s.longAccounts, s.shortAccounts),
    longAccount: shareText(s.longAccounts, s.holders),
    shortAccount: shareText(s.shortAccounts, s.holders),
  })),
];
