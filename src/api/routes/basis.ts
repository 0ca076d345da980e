// The venue's index seen from the futures: GET /futures/data/basis (each period's futures
// price against the index) and GET /dapi/v1/constituents (what the index is made of).
//
// basis: `pair`, `contractType` (PERPETUAL, CURRENT_QUARTER or NEXT_QUARTER, else -4104),
// `period` 5m to 1d, `limit` 30 (at most 500), `startTime`/`endTime`, the last 30 days.
// A row per period that has both prices: `futuresPrice` the contract's last trade by the
// period's end, `indexPrice` the index then (8 decimals), `basis` their difference,
// `basisRate` basis / index and, for a quarterly, `annualizedBasisRate` that rate over a
// year of the time left to delivery (4 decimals; "" for a perpetual); `timestamp` the
// period's open, as takerBuySellVol's. A pair with no contract of the type answers [].
//
// constituents: the venue's index is its own, one source per pair: the simulated or
// replayed market's reference, or the admin's (`{"exchange":"papi-venue","symbol":<pair>}`).

import { openTimeBefore } from "../../domain/candles.js";
import { divHalfUp, formatFixed } from "../../domain/decimal.js";
import { VenueError } from "../../domain/errors.js";
import { tickPrice8 } from "../../domain/funding.js";
import { formatPrice } from "../../domain/inverse.js";
import { format8 } from "../../domain/premium-index.js";
import type { ContractType } from "../../domain/symbols.js";
import type { Route } from "../route.js";
import { KEPT_MS, PERIODS } from "./market-stats.js";

const CONTRACT_TYPES: readonly ContractType[] = ["PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"];
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const PERIOD_MS: Record<(typeof PERIODS)[number], number> = {
  "5m": 5 * 60_000,
  "15m": 15 * 60_000,
  "30m": 30 * 60_000,
  "1h": 3_600_000,
  "2h": 7_200_000,
  "4h": 14_400_000,
  "6h": 21_600_000,
  "12h": 43_200_000,
  "1d": 86_400_000,
};

export const basisRoutes: Route[] = [
  {
    method: "GET",
    url: "/futures/data/basis",
    weight: 1,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const pair = p.required("pair");
      const contractType = p.enumOf("contractType", CONTRACT_TYPES, "INVALID_CONTRACT_TYPE", true);
      const period = p.enumOf("period", PERIODS, "INVALID_PARAM_VALUE", true);
      const limit = p.limit(30, 500);
      const { startTime, endTime } = p.timeRange();
      const ofPair = venue.symbols(now).filter((s) => s.pair === pair);
      if (ofPair.length === 0) throw new VenueError("INVALID_SYMBOL");
      const spec = ofPair.find((s) => s.contractType === contractType);
      if (!spec) return [];
      const kept = now - KEPT_MS;
      const to = Math.min(endTime ?? now, now);
      const from = Math.max(startTime ?? kept, kept, openTimeBefore(period, to, limit - 1));
      const [trades, index] = await Promise.all([
        venue.klines(spec.symbol, period, from, to, limit),
        venue.priceKlines("index", pair, period, from, to, limit),
      ]);
      const indexAt = new Map(index.map((c) => [c.openTime, c.close]));
      return trades.flatMap((c) => {
        const index8 = indexAt.get(c.openTime);
        if (index8 === undefined || index8 <= 0) return [];
        const futures8 = tickPrice8(spec, c.close);
        const basis8 = BigInt(futures8 - index8);
        const left = spec.deliveryDate - (c.openTime + PERIOD_MS[period]);
        const rate = (scale: bigint, den: bigint) => formatFixed(divHalfUp(basis8 * 10_000n * scale, den), 4);
        return [
          {
            indexPrice: format8(index8),
            contractType,
            basisRate: rate(1n, BigInt(index8)),
            futuresPrice: formatPrice(spec, c.close),
            annualizedBasisRate:
              contractType === "PERPETUAL" || left <= 0
                ? ""
                : rate(BigInt(YEAR_MS), BigInt(index8) * BigInt(left)),
            basis: format8(futures8 - index8),
            pair,
            timestamp: c.openTime,
          },
        ];
      });
    },
  },
  {
    method: "GET",
    url: "/dapi/v1/constituents",
    weight: 1,
    security: "NONE",
    handler: ({ params: p, now, venue }) => {
      const pair = p.required("symbol").toUpperCase();
      if (!venue.symbols(now).some((s) => s.pair === pair)) throw new VenueError("INVALID_SYMBOL");
      return { symbol: pair, time: now, constituents: [{ exchange: "papi-venue", symbol: pair }] };
    },
  },
];
