// When each market stream speaks and what it says. Feeds exist only while someone
// subscribes to them (market-stream.ts keeps the subscribers), and all of them read the
// venue's committed state: what the venue publishes after each commit (book diffs and
// trades, in commit order), and reads through the venue, which wait for any commit in
// flight. So no stream ever shows what REST could not.
//
// - Real time, on each committed batch: `@trade` (each fill), `@bookTicker` and
//   `!bookTicker` (when the best bid or ask moved, price or quantity).
// - At their speed, on the clock's ticks (`tick(at)`):
//   `@aggTrade` every 100 ms, as Binance pushes it: one event per run of one taker
//   order's fills at one price since the last push;
//   `@depth` diffs merged over the window (U of the first diff, u and the levels' last
//   quantities of the last, pu of the first: so pu is the u of the stream's previous
//   event); `@depth<N>` top levels when the book changed;
//   `@kline_*` and `@continuousKline_*` when a trade printed, and once more with
//   `x: true` when the interval closes; `@ticker`, `@miniTicker` and their `!…@arr` when
//   a trade printed; `@markPrice` and `@indexPrice` every period, changed or not.
//   A stream just subscribed speaks at its next period, so a client sees where things
//   stand without waiting for the market to move.
// - `@forceOrder` and `!forceOrder@arr` tell each liquidation order as it ends, at once
//   (Binance sends the latest within each second). `!contractInfo` tells a quarterly's
//   delivery and its successor's listing as they commit.
//
// Periods are aligned to the clock (a 500 ms stream speaks when `at` crosses a multiple
// of 500), so the same clock gives the same events.

import type { Candle, Interval } from "../domain/candles.js";
import { openTimeOf } from "../domain/candles.js";
import { premiumIndex } from "../domain/premium-index.js";
import type { SymbolSpec } from "../domain/symbols.js";
import { DAY_MS, dayTicker } from "../domain/ticker.js";
import type {
  DepthEvent,
  ForceOrderEvent,
  LevelChange,
  MarketEvent,
  TradeEvent,
  Venue,
} from "../venue/venue.js";
import {
  aggTrade,
  bookTicker,
  continuousKline,
  contractInfo,
  depthUpdate,
  forceOrder,
  indexPriceUpdate,
  kline,
  markPriceUpdate,
  miniTicker,
  type TradeSpan,
  ticker,
  trade,
} from "./market-wire.js";
import { type PriceKlineState, speakPriceKline } from "./price-kline-feed.js";
import type { StreamKey } from "./stream-names.js";

/** Hands one event to every subscriber of a stream (market-stream.ts). */
export type Publish = (canonical: string, event: unknown) => void;

interface DiffWindow {
  first: number;
  previous: number;
  last: number;
  time: number;
  readonly bids: Map<number, number>;
  readonly asks: Map<number, number>;
}

interface Feed {
  readonly canonical: string;
  readonly key: StreamKey;
  /** The period it last spoke in (floor(at / period)); -1 before its first. */
  lastPeriod: number;
  /** Something to tell since it last spoke. */
  dirty: boolean;
  /** A read for it is in flight: the next period waits for it. */
  busy: boolean;
  /** Diff streams: what the window holds. */
  window?: DiffWindow | undefined;
  /** Partial depth: u of its last event. */
  lastU?: number;
  /** Partial depth: U of the window's first change. */
  firstU?: number;
  /** Klines: open time of the candle it last showed. */
  openTime?: number;
  /** Mark and index klines: what they last showed (price-kline-feed.ts). */
  priceKline?: PriceKlineState;
  /** All-market tickers: symbols that printed a trade since it last spoke. */
  changed?: Set<string>;
  /** Aggregate trades: the runs of fills since it last spoke, each one aggregate. */
  runs?: TradeEvent[][];
}

const PERIOD_MS: Record<string, number> = {
  aggTrade: 100,
  kline: 250,
  continuousKline: 250,
  markPriceKline: 250,
  indexPriceKline: 250,
  ticker: 500,
  miniTicker: 500,
  allTicker: 1000,
  allMiniTicker: 1000,
};

function periodOf(key: StreamKey): number | undefined {
  switch (key.kind) {
    case "depth":
    case "partialDepth":
    case "markPrice":
    case "pairMarkPrice":
    case "indexPrice":
      return key.speed;
    default:
      return PERIOD_MS[key.kind];
  }
}

export class MarketFeeds {
  private readonly feeds = new Map<string, Feed>();
  /** By lowercase symbol: the feeds an event of that symbol concerns. */
  private readonly bySymbol = new Map<string, Set<Feed>>();
  private readonly allBook = new Set<Feed>();
  private readonly allTickers = new Set<Feed>();
  private readonly allForceOrders = new Set<Feed>();
  private readonly allContractInfo = new Set<Feed>();
  /** The best levels each symbol's bookTicker last told. */
  private readonly lastBest = new Map<string, string>();

  /** Set while any feed runs: the venue builds market events only while someone listens. */
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly venue: Venue,
    private readonly now: () => number,
    private readonly publish: Publish,
  ) {}

  /** Starts a stream's feed (its first subscriber). */
  add(canonical: string, key: StreamKey): void {
    if (this.feeds.has(canonical)) return;
    this.unsubscribe ??= this.venue.subscribeMarket((events) => this.onEvents(events, this.now()));
    const feed: Feed = { canonical, key, lastPeriod: -1, dirty: true, busy: false };
    this.feeds.set(canonical, feed);
    if ("symbol" in key) {
      const s = key.symbol.symbol;
      let set = this.bySymbol.get(s);
      if (!set) {
        set = new Set();
        this.bySymbol.set(s, set);
      }
      set.add(feed);
    }
    // A bookTicker stream just started tells the best levels as they stand at the next change.
    if (key.kind === "bookTicker") this.lastBest.delete(key.symbol.symbol);
    if (key.kind === "allBookTicker") {
      this.allBook.add(feed);
      this.lastBest.clear();
    }
    if (key.kind === "allTicker" || key.kind === "allMiniTicker") {
      feed.changed = new Set();
      this.allTickers.add(feed);
    }
    if (key.kind === "allForceOrder") this.allForceOrders.add(feed);
    if (key.kind === "contractInfo") this.allContractInfo.add(feed);
  }

  /** Ends a stream's feed (its last subscriber left). */
  remove(canonical: string): void {
    const feed = this.feeds.get(canonical);
    if (!feed) return;
    this.feeds.delete(canonical);
    if ("symbol" in feed.key) this.bySymbol.get(feed.key.symbol.symbol)?.delete(feed);
    this.allBook.delete(feed);
    this.allTickers.delete(feed);
    this.allForceOrders.delete(feed);
    this.allContractInfo.delete(feed);
    if (this.feeds.size === 0) this.stop();
  }

  /** Stops listening to the venue (the last feed ended, or the server closes). */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  get size(): number {
    return this.feeds.size;
  }

  /** A committed batch's market events, in commit order. */
  private onEvents(events: readonly MarketEvent[], at: number): void {
    if (this.feeds.size === 0) return;
    let run: TradeEvent[] = [];
    const flushRun = () => {
      if (run.length === 0) return;
      const first = run[0]!;
      for (const feed of this.bySymbol.get(first.symbol) ?? [])
        if (feed.key.kind === "aggTrade") {
          feed.runs ??= [];
          feed.runs.push(run);
        }
      run = [];
    };
    for (const event of events) {
      if (event.kind === "trade") {
        if (run.length > 0 && (run[0]!.aggId !== event.aggId || run[0]!.symbol !== event.symbol)) flushRun();
        run.push(event);
        this.onTrade(event, at);
      } else if (event.kind === "forceOrder") {
        flushRun();
        this.onForceOrder(event, at);
      } else if (event.kind === "contractInfo") {
        flushRun();
        const spec = this.venue.symbol(event.symbol);
        if (spec)
          for (const feed of this.allContractInfo)
            this.publish(feed.canonical, contractInfo(spec, at, event));
      } else {
        flushRun();
        this.onDepth(event, at);
      }
    }
    flushRun();
  }

  private onTrade(event: TradeEvent, at: number): void {
    for (const feed of this.allTickers) feed.changed?.add(event.symbol);
    for (const feed of this.bySymbol.get(event.symbol) ?? []) {
      const kind = feed.key.kind;
      if (kind === "trade") this.publish(feed.canonical, trade(feed.key.symbol, at, event));
      else if (kind === "kline" || kind === "continuousKline" || kind === "ticker" || kind === "miniTicker")
        feed.dirty = true;
    }
  }

  /** A liquidation order, told as it ends on `@forceOrder` and `!forceOrder@arr`. */
  private onForceOrder(event: ForceOrderEvent, at: number): void {
    const spec = this.venue.symbol(event.symbol);
    if (!spec) return;
    let body: ReturnType<typeof forceOrder> | undefined;
    for (const feed of [...(this.bySymbol.get(event.symbol) ?? []), ...this.allForceOrders]) {
      if (feed.key.kind !== "forceOrder" && feed.key.kind !== "allForceOrder") continue;
      body ??= forceOrder(spec, at, event);
      this.publish(feed.canonical, body);
    }
  }

  private onDepth(event: DepthEvent, at: number): void {
    const feeds = this.bySymbol.get(event.symbol);
    let spec: SymbolSpec | undefined;
    let bestChanged: boolean | undefined;
    const best = () => {
      if (bestChanged === undefined) {
        const text = `${event.bestBid?.join(",")}|${event.bestAsk?.join(",")}`;
        bestChanged = this.lastBest.get(event.symbol) !== text;
        this.lastBest.set(event.symbol, text);
      }
      return bestChanged;
    };
    for (const feed of feeds ?? []) {
      const key = feed.key;
      if (key.kind === "depth") merge(feed, event);
      else if (key.kind === "partialDepth") {
        if (!feed.dirty || feed.firstU === undefined) feed.firstU = event.firstUpdateId;
        feed.dirty = true;
      } else if (key.kind === "bookTicker" && best()) {
        spec = key.symbol;
        this.publish(feed.canonical, bookTicker(key.symbol, at, event));
      }
    }
    if (this.allBook.size > 0) {
      spec ??= this.venue.symbol(event.symbol);
      if (spec && best())
        for (const feed of this.allBook) this.publish(feed.canonical, bookTicker(spec, at, event));
    }
  }

  /**
   * Lets every feed whose period `at` has entered speak. Settles when what it sent is
   * out (reads included), so a test can step the clock and then look.
   */
  async tick(at: number): Promise<void> {
    const work: Promise<void>[] = [];
    for (const feed of this.feeds.values()) {
      const period = periodOf(feed.key);
      if (period === undefined || feed.busy) continue;
      const current = Math.floor(at / period);
      if (current === feed.lastPeriod) continue;
      feed.lastPeriod = current;
      const spoken = this.speak(feed, at);
      if (spoken) {
        feed.busy = true;
        work.push(
          spoken.finally(() => {
            feed.busy = false;
          }),
        );
      }
    }
    if (work.length > 0) await Promise.allSettled(work);
  }

  /** One feed's turn; a promise when it has to read first. */
  private speak(feed: Feed, at: number): Promise<void> | undefined {
    const key = feed.key;
    switch (key.kind) {
      case "depth": {
        const w = feed.window;
        if (!w) return undefined;
        feed.window = undefined;
        const side = (m: Map<number, number>, bids: boolean): LevelChange[] =>
          [...m].sort((a, b) => (bids ? b[0] - a[0] : a[0] - b[0]));
        this.publish(
          feed.canonical,
          depthUpdate(
            key.symbol,
            at,
            { first: w.first, last: w.last, previous: w.previous, time: w.time },
            side(w.bids, true),
            side(w.asks, false),
          ),
        );
        return undefined;
      }
      case "partialDepth":
        if (!feed.dirty) return undefined;
        feed.dirty = false;
        return this.venue.depth(key.symbol.symbol, key.levels).then((book) => {
          const levels = (side: readonly { price: number; qty: number }[]) =>
            side.map((l) => [l.price, l.qty] as const);
          const previous = feed.lastU ?? Math.max(0, (feed.firstU ?? book.lastUpdateId) - 1);
          const first = feed.firstU ?? book.lastUpdateId;
          feed.firstU = undefined;
          feed.lastU = book.lastUpdateId;
          this.publish(
            feed.canonical,
            depthUpdate(
              key.symbol,
              at,
              { first, last: book.lastUpdateId, previous, time: book.time ?? at },
              levels(book.bids),
              levels(book.asks),
            ),
          );
        });
      case "aggTrade": {
        const runs = feed.runs;
        if (!runs) return undefined;
        feed.runs = undefined;
        for (const r of runs) this.publish(feed.canonical, aggTrade(key.symbol, at, r));
        return undefined;
      }
      case "kline":
      case "continuousKline":
        return this.speakKline(feed, key.symbol, key.interval, at);
      case "markPriceKline":
      case "indexPriceKline":
        feed.priceKline ??= {};
        return speakPriceKline(this.venue, key, feed.priceKline, at, (e) => this.publish(feed.canonical, e));
      case "ticker":
      case "miniTicker":
        if (!feed.dirty) return undefined;
        feed.dirty = false;
        return this.dayTicker(key.symbol, at).then((t) =>
          this.publish(
            feed.canonical,
            key.kind === "ticker"
              ? ticker(key.symbol, at, t, { from: at - DAY_MS, to: at })
              : miniTicker(key.symbol, at, t),
          ),
        );
      case "allTicker":
      case "allMiniTicker":
        return this.speakAllTickers(feed, key.kind, at);
      case "markPrice":
        return this.venue
          .read(() => this.venue.symbolPrices(key.symbol))
          .then((prices) =>
            this.publish(
              feed.canonical,
              markPriceUpdate(key.symbol, at, premiumIndex(key.symbol, prices, at)),
            ),
          );
      case "pairMarkPrice": {
        const specs = this.venue.symbols().filter((s) => s.pair === key.pair);
        return this.venue
          .read(() => specs.map((s) => this.venue.symbolPrices(s)))
          .then((prices) =>
            this.publish(
              feed.canonical,
              specs.map((s, i) => markPriceUpdate(s, at, premiumIndex(s, prices[i]!, at))),
            ),
          );
      }
      case "indexPrice": {
        const spec =
          this.venue.symbols().find((s) => s.pair === key.pair && s.contractType === "PERPETUAL") ??
          this.venue.symbols().find((s) => s.pair === key.pair);
        if (!spec) return undefined;
        return this.venue
          .read(() => premiumIndex(spec, this.venue.symbolPrices(spec), at).indexPrice)
          .then((index) => this.publish(feed.canonical, indexPriceUpdate(spec, at, index)));
      }
      default:
        return undefined;
    }
  }

  private async speakKline(feed: Feed, spec: SymbolSpec, interval: Interval, at: number): Promise<void> {
    const open = openTimeOf(interval, at);
    const shown = feed.openTime;
    const build = (c: Candle, span: TradeSpan, closed: boolean) =>
      feed.key.kind === "continuousKline"
        ? continuousKline(spec, at, interval, c, span, closed)
        : kline(spec, at, interval, c, span, closed);
    // The candle it showed has closed: show it once more, final.
    if (shown !== undefined && shown < open) {
      const closed = await this.candle(spec, interval, shown, open - 1);
      if (closed) this.publish(feed.canonical, build(closed.candle, closed.span, true));
      feed.dirty = true;
    }
    if (!feed.dirty) return;
    feed.dirty = false;
    const current = await this.candle(spec, interval, open, at);
    if (!current) return;
    feed.openTime = current.candle.openTime;
    this.publish(feed.canonical, build(current.candle, current.span, false));
  }

  /** The candle opening at `open` as it stands at `to`, with its trades' ids; none before the first trade. */
  private async candle(spec: SymbolSpec, interval: Interval, open: number, to: number) {
    const [candles, stats] = await Promise.all([
      this.venue.klines(spec.symbol, interval, open, to, 1),
      this.venue.tradeStats(spec.symbol, open, to),
    ]);
    const candle = candles[candles.length - 1];
    if (!candle || candle.openTime !== open) return undefined;
    return { candle, span: { firstId: stats?.firstId ?? -1, lastId: stats?.lastId ?? -1 } };
  }

  private async dayTicker(spec: SymbolSpec, at: number) {
    return dayTicker(spec, await this.venue.tradeStats(spec.symbol, at - DAY_MS, at));
  }

  private async speakAllTickers(feed: Feed, kind: "allTicker" | "allMiniTicker", at: number): Promise<void> {
    // Only tickers that changed, as Binance sends them; every listed one the first time.
    const first = feed.dirty;
    feed.dirty = false;
    const changed = feed.changed ?? new Set<string>();
    const specs = this.venue.symbols().filter((s) => first || changed.has(s.symbol));
    changed.clear();
    if (specs.length === 0) return;
    const tickers = await Promise.all(specs.map((s) => this.dayTicker(s, at)));
    this.publish(
      feed.canonical,
      specs.map((s, i) =>
        kind === "allTicker"
          ? ticker(s, at, tickers[i]!, { from: at - DAY_MS, to: at })
          : miniTicker(s, at, tickers[i]!),
      ),
    );
  }
}

/** Adds a book diff to a diff stream's window: the window keeps each level's last quantity. */
function merge(feed: Feed, event: DepthEvent): void {
  let w = feed.window;
  if (!w) {
    w = {
      first: event.firstUpdateId,
      previous: event.previousUpdateId,
      last: event.lastUpdateId,
      time: event.time,
      bids: new Map(),
      asks: new Map(),
    };
    feed.window = w;
  }
  w.last = event.lastUpdateId;
  w.time = event.time;
  for (const [price, qty] of event.bids) w.bids.set(price, qty);
  for (const [price, qty] of event.asks) w.asks.set(price, qty);
}
