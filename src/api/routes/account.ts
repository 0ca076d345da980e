// Account endpoints on /papi/v1: balances and the account summary.

import type { Route } from "../route.js";

export const accountRoutes: Route[] = [];
