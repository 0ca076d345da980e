// Trading fees: Binance's regular-tier COIN-M rates, charged in the margin coin on each
// fill's coin value (domain/margin.ts commissionUnits).

import type { Scaled } from "./decimal.js";

/** 0.02 % for the resting side. */
export const MAKER_RATE: Scaled = { units: 2n, scale: 4 };
/** 0.05 % for the taking side. */
export const TAKER_RATE: Scaled = { units: 5n, scale: 4 };
