// Candle intervals and building candles from minutes: UTC alignment (weeks from Monday,
// months by the calendar), and candles of every interval built from one-minute candles
// equal to candles drawn straight from the trades (fast-check against that model).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addFill,
  buildCandles,
  type Candle,
  emptyCandle,
  INTERVALS,
  type Interval,
  nextOpenTime,
  openTimeBefore,
  openTimeOf,
} from "../../src/domain/candles.js";

/** Tuesday 2023-11-14 22:13:20 UTC. */
const T = 1_700_000_000_000;
const DAY = 86_400_000;

describe("candle intervals", () => {
  it("open on the UTC boundary of their length", () => {
    expect(openTimeOf("1m", T)).toBe(Date.UTC(2023, 10, 14, 22, 13));
    expect(openTimeOf("15m", T)).toBe(Date.UTC(2023, 10, 14, 22, 0));
    expect(openTimeOf("4h", T)).toBe(Date.UTC(2023, 10, 14, 20));
    expect(openTimeOf("1d", T)).toBe(Date.UTC(2023, 10, 14));
  });

  it("open weeks on Monday 00:00 UTC", () => {
    expect(openTimeOf("1w", T)).toBe(Date.UTC(2023, 10, 13));
    expect(openTimeOf("1w", Date.UTC(2023, 10, 13))).toBe(Date.UTC(2023, 10, 13));
    expect(openTimeOf("1w", Date.UTC(2023, 10, 12, 23, 59))).toBe(Date.UTC(2023, 10, 6));
  });

  it("open months on the first of the month, whatever their length", () => {
    expect(openTimeOf("1M", T)).toBe(Date.UTC(2023, 10, 1));
    expect(nextOpenTime("1M", Date.UTC(2023, 10, 1))).toBe(Date.UTC(2023, 11, 1));
    expect(nextOpenTime("1M", Date.UTC(2023, 11, 1))).toBe(Date.UTC(2024, 0, 1));
    expect(openTimeBefore("1M", T, 11)).toBe(Date.UTC(2022, 11, 1));
  });

  it("open three-day candles every third day from 1970-01-01", () => {
    expect(openTimeOf("3d", T) % (3 * DAY)).toBe(0);
    expect(T - openTimeOf("3d", T)).toBeLessThan(3 * DAY);
  });
});

interface Trade {
  readonly time: number;
  readonly price: number;
  readonly qty: number;
  readonly bought: boolean;
}

const baseOf = (qty: number, price: number) => (BigInt(qty) * 10n ** 30n) / BigInt(price);

/** The model: each interval's candle drawn straight from its trades, closes carried through quiet ones. */
function drawn(interval: Interval, trades: readonly Trade[], from: number, to: number): Candle[] {
  const out: Candle[] = [];
  let carry: number | undefined;
  let i = 0;
  for (let open = openTimeOf(interval, from); open <= to; open = nextOpenTime(interval, open)) {
    const close = nextOpenTime(interval, open);
    let candle: Candle | undefined;
    for (; i < trades.length && trades[i]!.time < close; i++) {
      const t = trades[i]!;
      candle ??= emptyCandle(open, t.price);
      addFill(candle, t.price, t.qty, baseOf(t.qty, t.price), t.bought);
    }
    if (!candle && carry !== undefined) candle = emptyCandle(open, carry);
    if (candle) {
      carry = candle.close;
      out.push(candle);
    }
  }
  return out;
}

describe("candles built from minutes", () => {
  it("equal candles drawn straight from the trades, for every interval and limit", () => {
    // Across a month's end, so months, weeks and three-day candles all turn over.
    const start = Date.UTC(2024, 0, 31, 22);
    const to = start + 3 * DAY;
    const trades = fc.array(
      fc.record({
        time: fc.integer({ min: start, max: to }),
        price: fc.integer({ min: 290_000, max: 310_000 }),
        qty: fc.integer({ min: 1, max: 50 }),
        bought: fc.boolean(),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        trades,
        fc.constantFrom(...INTERVALS),
        fc.integer({ min: 1, max: 2000 }),
        (list, interval, limit) => {
          const sorted = [...list].sort((a, b) => a.time - b.time);
          const minutes = drawn("1m", sorted, start, to).filter((c) => c.trades > 0);
          const expected = drawn(interval, sorted, start, to);
          const built = buildCandles(interval, minutes, undefined, start, to, limit);
          expect(built).toEqual(expected.slice(Math.max(0, expected.length - limit)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("carries the close of the minute before the window into a window without trades", () => {
    const before = emptyCandle(Date.UTC(2024, 0, 1, 0, 0), 300_000);
    addFill(before, 301_000, 2, baseOf(2, 301_000), true);
    const built = buildCandles("1h", [], before, Date.UTC(2024, 0, 1, 5), Date.UTC(2024, 0, 1, 6, 30), 10);
    expect(built).toEqual([
      emptyCandle(Date.UTC(2024, 0, 1, 5), 301_000),
      emptyCandle(Date.UTC(2024, 0, 1, 6), 301_000),
    ]);
  });
});
