// Quarterly contracts over time. Binance's COIN-M quarterlies deliver on the last Friday
// of March, June, September and December at 08:00 UTC and are named <pair>_YYMMDD after
// that day. The venue lists one quarterly per pair that has one (BTCUSD): the first in
// its table (BTCUSD_261225) until it delivers, then at each delivery the next, listed
// from that moment (its onboardDate) with the same rules and filters.

/** The months (0-based) whose last Friday a quarterly delivers on. */
const QUARTER_MONTHS = [2, 5, 8, 11];
const DELIVERY_HOUR = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The last Friday of a month at 08:00 UTC. */
function lastFriday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  const back = (last.getUTCDay() - 5 + 7) % 7;
  return Date.UTC(year, month, last.getUTCDate() - back, DELIVERY_HOUR);
}

/** The first delivery time strictly after `time`. */
export function nextDelivery(time: number): number {
  const d = new Date(time);
  for (let year = d.getUTCFullYear(); ; year++) {
    for (const month of QUARTER_MONTHS) {
      const at = lastFriday(year, month);
      if (at > time) return at;
    }
  }
}

/** The delivery time before the quarterly delivering at `delivery`: the one before it in the cycle. */
export function previousDelivery(delivery: number): number {
  let at = nextDelivery(delivery - 120 * DAY_MS);
  for (;;) {
    const next = nextDelivery(at);
    if (next >= delivery) return at;
    at = next;
  }
}

/** <pair>_YYMMDD for a delivery time. */
export function quarterlyName(pair: string, delivery: number): string {
  const d = new Date(delivery);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${pair}_${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
}

/** The delivery time a quarterly's name stands for; undefined when it is not a delivery day. */
export function deliveryOf(name: string): { pair: string; delivery: number } | undefined {
  const m = /^([A-Z]+USD)_(\d{2})(\d{2})(\d{2})$/.exec(name);
  if (!m) return undefined;
  const delivery = Date.UTC(2000 + Number(m[2]), Number(m[3]) - 1, Number(m[4]), DELIVERY_HOUR);
  const month = Number(m[3]) - 1;
  if (!QUARTER_MONTHS.includes(month) || lastFriday(2000 + Number(m[2]), month) !== delivery)
    return undefined;
  return { pair: m[1]!, delivery };
}
