// What the market holds, computed from the venue's own accounts: open interest now.
// The statistics over periods (/futures/data/*) land here as they come.

import type { Route } from "../route.js";

export const marketStatsRoutes: Route[] = [
  {
    method: "GET",
    url: "/dapi/v1/openInterest",
    weight: 1,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const spec = p.symbol();
      return {
        symbol: spec.symbol,
        pair: spec.pair,
        // Contracts held long, which equal those held short.
        openInterest: String(await venue.openInterest(spec.symbol)),
        contractType: spec.contractType,
        time: now,
      };
    },
  },
];
