// Notional and leverage brackets per pair, as /papi/v1/cm/leverageBracket lists them:
// the size of a position in base coin picks the bracket, which caps the leverage and
// sets the maintenance margin rate. `cum` follows Binance's rule
// cum[n] = cum[n-1] + floor[n] × (mmr[n] − mmr[n-1]), so maintenance margin is
// notional × mmr − cum and continuous across brackets. The BTC tiers are Binance's
// published COIN-M shape; other pairs use the same rates at caps scaled to their coin
// (a venue choice: no recent capture of their tables was found).

import { formatStripped, parseDecimal, rescale, type Scaled } from "./decimal.js";

export interface Bracket {
  readonly bracket: number;
  readonly initialLeverage: number;
  /** Upper bound of the bracket, base coin. */
  readonly qtyCap: number;
  readonly qtyFloor: number;
  /** Decimal text, e.g. "0.004". */
  readonly maintMarginRatio: string;
  readonly cum: string;
}

const TIERS: ReadonlyArray<readonly [leverage: number, cap: number, mmr: string]> = [
  [125, 5, "0.004"],
  [50, 10, "0.005"],
  [25, 20, "0.01"],
  [10, 50, "0.025"],
  [5, 100, "0.05"],
  [4, 200, "0.1"],
  [2, 400, "0.125"],
  [1, 1000, "0.5"],
];

/** How many coins of each pair's base stand for one BTC of bracket size. */
const CAP_SCALE: Readonly<Record<string, number>> = {
  BTCUSD: 1,
  ETHUSD: 25,
  BNBUSD: 100,
  LINKUSD: 5000,
  XRPUSD: 100000,
  DOGEUSD: 1000000,
};

function scaled(text: string): Scaled {
  const d = parseDecimal(text);
  if (!d) throw new Error(`bad decimal ${text}`);
  return d;
}

/** Decimals the maintenance rates are written with; cum comes out at the same scale. */
const RATE_SCALE = 4;

function table(scale: number): Bracket[] {
  const out: Bracket[] = [];
  let floor = 0;
  let cum = 0n;
  let previous = 0n;
  TIERS.forEach(([leverage, cap, mmr], i) => {
    const rate = rescale(scaled(mmr), RATE_SCALE);
    if (i > 0) cum += BigInt(floor) * (rate - previous);
    out.push({
      bracket: i + 1,
      initialLeverage: leverage,
      qtyCap: cap * scale,
      qtyFloor: floor,
      maintMarginRatio: mmr,
      cum: formatStripped(cum, RATE_SCALE),
    });
    floor = cap * scale;
    previous = rate;
  });
  return out;
}

const TABLES = new Map(Object.entries(CAP_SCALE).map(([pair, scale]) => [pair, table(scale)]));

export function bracketsOf(pair: string): readonly Bracket[] {
  return TABLES.get(pair) ?? TABLES.get("BTCUSD")!;
}

/** The highest leverage any bracket allows. */
export function maxLeverage(pair: string): number {
  return bracketsOf(pair)[0]!.initialLeverage;
}

/** The bracket a position of `notionalCoin` (base coin, 10^-8 units) falls in. */
export function bracketFor(pair: string, notionalUnits: bigint): Bracket {
  const brackets = bracketsOf(pair);
  for (const b of brackets) if (notionalUnits <= BigInt(b.qtyCap) * 10n ** 8n) return b;
  return brackets[brackets.length - 1]!;
}

/** The largest position (base coin) that may be held at this leverage. */
export function maxQtyAt(pair: string, leverage: number): number {
  let cap = 0;
  for (const b of bracketsOf(pair)) if (b.initialLeverage >= leverage) cap = b.qtyCap;
  return cap;
}
