// The market streams' event JSON, field for field as Binance's COIN-M pages give them:
// prices at the symbol's pricePrecision, mark and index prices at 8 decimals, quantities
// and volumes as strings (contracts; `q` base volumes in coin), ids and times as numbers.
// `<symbol>@trade` is not on the COIN-M pages (ccxt subscribes to it, and dstream answers);
// it takes the trade event of Binance's spot stream, without its ignored `M`.

import { type Candle, type Interval, nextOpenTime } from "../domain/candles.js";
import { formatAvgPrice, formatBase, formatPrice, formatPriceFixed } from "../domain/inverse.js";
import type { PremiumIndex } from "../domain/premium-index.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { DayTicker } from "../domain/ticker.js";
import type {
  ContractInfoEvent,
  DepthEvent,
  ForceOrderEvent,
  LevelChange,
  TradeEvent,
} from "../venue/venue.js";

type Level = readonly [string, string];

const level = (spec: SymbolSpec, [price, qty]: LevelChange): Level => [
  formatPriceFixed(spec, price),
  String(qty),
];

/** A depth diff or a partial-depth snapshot: Binance calls both depthUpdate. */
export function depthUpdate(
  spec: SymbolSpec,
  at: number,
  ids: { readonly first: number; readonly last: number; readonly previous: number; readonly time: number },
  bids: readonly LevelChange[],
  asks: readonly LevelChange[],
) {
  return {
    e: "depthUpdate",
    E: at,
    T: ids.time,
    s: spec.symbol,
    ps: spec.pair,
    U: ids.first,
    u: ids.last,
    pu: ids.previous,
    b: bids.map((l) => level(spec, l)),
    a: asks.map((l) => level(spec, l)),
  };
}

export function bookTicker(spec: SymbolSpec, at: number, e: DepthEvent) {
  const [bidPrice, bidQty] = e.bestBid ?? [0, 0];
  const [askPrice, askQty] = e.bestAsk ?? [0, 0];
  return {
    e: "bookTicker",
    u: e.lastUpdateId,
    s: spec.symbol,
    ps: spec.pair,
    b: formatPriceFixed(spec, bidPrice),
    B: String(bidQty),
    a: formatPriceFixed(spec, askPrice),
    A: String(askQty),
    T: e.time,
    E: at,
  };
}

export function trade(spec: SymbolSpec, at: number, t: TradeEvent) {
  return {
    e: "trade",
    E: at,
    T: t.time,
    s: spec.symbol,
    t: t.tradeId,
    p: formatPriceFixed(spec, t.price),
    q: String(t.qty),
    m: t.buyerMaker,
  };
}

/** One aggregate: consecutive trade events of one taker order at one price. */
export function aggTrade(spec: SymbolSpec, at: number, trades: readonly TradeEvent[]) {
  const first = trades[0]!;
  const last = trades[trades.length - 1]!;
  let qty = 0;
  for (const t of trades) qty += t.qty;
  return {
    e: "aggTrade",
    E: at,
    a: first.aggId,
    s: spec.symbol,
    p: formatPriceFixed(spec, first.price),
    q: String(qty),
    f: first.tradeId,
    l: last.tradeId,
    T: last.time,
    m: first.buyerMaker,
  };
}

/** First and last trade id of the candle's trades; -1 for none. */
export interface TradeSpan {
  readonly firstId: number;
  readonly lastId: number;
}

function klineBody(spec: SymbolSpec, interval: Interval, c: Candle, span: TradeSpan, closed: boolean) {
  const price = (ticks: number) => formatPriceFixed(spec, ticks);
  return {
    t: c.openTime,
    T: nextOpenTime(interval, c.openTime) - 1,
    s: spec.symbol,
    i: interval,
    f: span.firstId,
    L: span.lastId,
    o: price(c.open),
    c: price(c.close),
    h: price(c.high),
    l: price(c.low),
    v: String(c.volume),
    n: c.trades,
    x: closed,
    q: formatBase(spec, c.baseAcc),
    V: String(c.takerBuyVolume),
    Q: formatBase(spec, c.takerBuyBaseAcc),
    B: "0",
  };
}

export function kline(
  spec: SymbolSpec,
  at: number,
  interval: Interval,
  c: Candle,
  span: TradeSpan,
  closed: boolean,
) {
  return { e: "kline", E: at, s: spec.symbol, k: klineBody(spec, interval, c, span, closed) };
}

/** The continuous contract's candle: the pair and contract type, and no symbol in `k`. */
export function continuousKline(
  spec: SymbolSpec,
  at: number,
  interval: Interval,
  c: Candle,
  span: TradeSpan,
  closed: boolean,
) {
  const { s: _symbol, ...k } = klineBody(spec, interval, c, span, closed);
  return { e: "continuous_kline", E: at, ps: spec.pair, ct: spec.contractType, k };
}

export function ticker(spec: SymbolSpec, at: number, t: DayTicker, window: { from: number; to: number }) {
  return {
    e: "24hrTicker",
    E: at,
    s: spec.symbol,
    ps: spec.pair,
    p: t.priceChange,
    P: t.priceChangePercent,
    w: t.weightedAvgPrice,
    c: t.lastPrice,
    Q: t.lastQty,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.baseVolume,
    O: window.from,
    C: window.to,
    F: t.firstId,
    L: t.lastId,
    n: t.count,
  };
}

export function miniTicker(spec: SymbolSpec, at: number, t: DayTicker) {
  return {
    e: "24hrMiniTicker",
    E: at,
    s: spec.symbol,
    ps: spec.pair,
    c: t.lastPrice,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.baseVolume,
  };
}

export function markPriceUpdate(spec: SymbolSpec, at: number, p: PremiumIndex) {
  return {
    e: "markPriceUpdate",
    E: at,
    s: spec.symbol,
    p: p.markPrice,
    P: p.estimatedSettlePrice,
    i: p.indexPrice,
    r: p.lastFundingRate,
    T: p.nextFundingTime,
  };
}

/** `index` is premiumIndex's indexPrice: the pair's index, or its mark without one. */
export function indexPriceUpdate(spec: SymbolSpec, at: number, index: string) {
  return { e: "indexPriceUpdate", E: at, i: spec.pair, p: index };
}

/** A liquidation order as it ended: `l` is its last fill, which the venue does not keep, so its whole executed quantity. */
export function forceOrder(spec: SymbolSpec, at: number, e: ForceOrderEvent) {
  const o = e.order;
  return {
    e: "forceOrder",
    E: at,
    o: {
      s: spec.symbol,
      ps: spec.pair,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: String(o.origQty),
      p: formatPrice(spec, o.price),
      ap: o.executedQty === 0 ? "0" : formatAvgPrice(spec, o.executedQty, o.baseAcc),
      X: o.status,
      l: String(o.executedQty),
      z: String(o.executedQty),
      T: e.time,
    },
  };
}

/** A listing or a delivery; `bks` only comes with a bracket change, which the venue never makes. */
export function contractInfo(spec: SymbolSpec, at: number, e: ContractInfoEvent) {
  return {
    e: "contractInfo",
    E: at,
    s: spec.symbol,
    ps: spec.pair,
    ct: spec.contractType,
    dt: spec.deliveryDate,
    ot: spec.onboardDate,
    cs: e.status,
  };
}
