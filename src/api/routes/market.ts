// Public market data on /dapi/v1 (and what clients fetch on their way to an order),
// built from the venue's symbol table and live books.

import type { Route } from "../route.js";

export const marketRoutes: Route[] = [];
