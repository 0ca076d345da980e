// GET /papi/v1/rateLimit/order: the account's order limits as the venue enforces them.

import type { Route } from "../route.js";

export const rateLimitRoutes: Route[] = [
  {
    method: "GET",
    url: "/papi/v1/rateLimit/order",
    weight: 1,
    security: "SIGNED",
    handler: ({ limits }) =>
      limits.enabled
        ? [{ rateLimitType: "ORDERS", interval: "MINUTE", intervalNum: 1, limit: limits.orderLimit }]
        : [],
  },
];
