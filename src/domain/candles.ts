// Candles (klines) from trades: Binance's intervals and their UTC alignment, the
// one-minute candle the venue keeps per symbol, and the candles of any interval built
// from one-minute ones. Prices are ticks, volumes contracts, base volumes in
// BASE_SCALE units (Σ qty / price, as cumBase), so that building a candle from minutes
// loses nothing. An interval without trades is still a candle, as Binance draws it: its
// open, high, low and close are the previous close and its volumes are zero.

export const INTERVALS = [
  "1m",
  "3m",
  "5m",
  "15m",
  "30m",
  "1h",
  "2h",
  "4h",
  "6h",
  "8h",
  "12h",
  "1d",
  "3d",
  "1w",
  "1M",
] as const;
export type Interval = (typeof INTERVALS)[number];

export const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01 was a Thursday: weeks open on Mondays, four days later. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

const FIXED_MS: Record<Exclude<Interval, "1M">, number> = {
  "1m": MINUTE_MS,
  "3m": 3 * MINUTE_MS,
  "5m": 5 * MINUTE_MS,
  "15m": 15 * MINUTE_MS,
  "30m": 30 * MINUTE_MS,
  "1h": HOUR_MS,
  "2h": 2 * HOUR_MS,
  "4h": 4 * HOUR_MS,
  "6h": 6 * HOUR_MS,
  "8h": 8 * HOUR_MS,
  "12h": 12 * HOUR_MS,
  "1d": DAY_MS,
  "3d": 3 * DAY_MS,
  "1w": 7 * DAY_MS,
};

export function isInterval(text: string): text is Interval {
  return (INTERVALS as readonly string[]).includes(text);
}

/** The open time of the interval's candle that holds `time` (UTC; weeks from Monday, months by the calendar). */
export function openTimeOf(interval: Interval, time: number): number {
  if (interval === "1M") {
    const d = new Date(time);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const ms = FIXED_MS[interval];
  const offset = interval === "1w" ? FIRST_MONDAY_MS : 0;
  return Math.floor((time - offset) / ms) * ms + offset;
}

/** The open time of the candle `count` intervals before the one that holds `time`. */
export function openTimeBefore(interval: Interval, time: number, count: number): number {
  const open = openTimeOf(interval, time);
  if (interval !== "1M") return open - count * FIXED_MS[interval];
  const d = new Date(open);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - count, 1);
}

/** The open time of the candle after the one opening at `openTime`. */
export function nextOpenTime(interval: Interval, openTime: number): number {
  if (interval === "1M") {
    const d = new Date(openTime);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return openTime + FIXED_MS[interval];
}

export interface Candle {
  readonly openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Contracts. */
  volume: number;
  /** Σ qty × BASE_SCALE / price. */
  baseAcc: bigint;
  trades: number;
  takerBuyVolume: number;
  takerBuyBaseAcc: bigint;
}

export function emptyCandle(openTime: number, price: number): Candle {
  return {
    openTime,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: 0,
    baseAcc: 0n,
    trades: 0,
    takerBuyVolume: 0,
    takerBuyBaseAcc: 0n,
  };
}

/**
 * The one-minute candle a fill at `time` goes into: the open one, unless the fill is in a
 * later minute, which opens a new candle at `price`. A fill stamped before the open minute
 * (a wall clock set back) counts in the open one, so candles never go back.
 */
export function minuteFor(open: Candle | undefined, time: number, price: number): Candle {
  const minute = openTimeOf("1m", time);
  return open && open.openTime >= minute ? open : emptyCandle(minute, price);
}

/** Adds one fill to a candle (the first fill of an empty candle sets its open). */
export function addFill(
  candle: Candle,
  price: number,
  qty: number,
  baseAcc: bigint,
  takerBought: boolean,
): void {
  if (candle.trades === 0) {
    candle.open = price;
    candle.high = price;
    candle.low = price;
  } else {
    candle.high = Math.max(candle.high, price);
    candle.low = Math.min(candle.low, price);
  }
  candle.close = price;
  candle.volume += qty;
  candle.baseAcc += baseAcc;
  candle.trades++;
  if (takerBought) {
    candle.takerBuyVolume += qty;
    candle.takerBuyBaseAcc += baseAcc;
  }
}

/**
 * The interval's candles opening in [from, to], built from one-minute candles, the last
 * `limit` of them. `minutes` are ascending one-minute candles from the open of the
 * interval holding `from` up to `to`; `before` is the last one-minute candle before
 * them, whose close an interval without trades carries. No candle is drawn before the
 * symbol's first trade.
 */
export function buildCandles(
  interval: Interval,
  minutes: readonly Candle[],
  before: Candle | undefined,
  from: number,
  to: number,
  limit: number,
): Candle[] {
  const out: Candle[] = [];
  let carry = before?.close;
  let next = 0;
  for (let open = openTimeOf(interval, from); open <= to; open = nextOpenTime(interval, open)) {
    const close = nextOpenTime(interval, open);
    let candle: Candle | undefined;
    for (; next < minutes.length && minutes[next]!.openTime < close; next++) {
      const m = minutes[next]!;
      if (m.openTime < open) continue;
      candle ??= emptyCandle(open, m.open);
      candle.high = Math.max(candle.high, m.high);
      candle.low = Math.min(candle.low, m.low);
      candle.close = m.close;
      candle.volume += m.volume;
      candle.baseAcc += m.baseAcc;
      candle.trades += m.trades;
      candle.takerBuyVolume += m.takerBuyVolume;
      candle.takerBuyBaseAcc += m.takerBuyBaseAcc;
    }
    if (!candle && carry !== undefined) candle = emptyCandle(open, carry);
    if (candle) {
      carry = candle.close;
      out.push(candle);
    }
  }
  return out.length > limit ? out.slice(out.length - limit) : out;
}
