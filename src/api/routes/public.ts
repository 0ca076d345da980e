// Public endpoints that need no key: connectivity and server time.

import type { Route } from "../route.js";

export const publicRoutes: Route[] = [
  { method: "GET", url: "/papi/v1/ping", weight: 1, security: "NONE", handler: () => ({}) },
  { method: "GET", url: "/dapi/v1/ping", weight: 1, security: "NONE", handler: () => ({}) },
  {
    method: "GET",
    url: "/dapi/v1/time",
    weight: 1,
    security: "NONE",
    handler: ({ now }) => ({ serverTime: now }),
  },
];
