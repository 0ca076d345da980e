// /papi/v1/cm account settings and risk: position mode, leverage, brackets, commission
// rates, positions.

import type { Route } from "../route.js";

export const cmAccountRoutes: Route[] = [];
