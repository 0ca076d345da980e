// Public market data on /dapi/v1, and the spot/USDⓈ-M/margin lookups ccxt makes on its
// way to a COIN-M order, so that clients load their markets from the venue itself.
// Everything is built from the same symbol table the engine trades (domain/symbols.ts)
// and from the venue's committed books, last trades and mark prices.
//
// Venue choices where Binance publishes nothing:
// - `lastUpdateId` (depth, bookTicker) is the book's update id: every change of a book
//   (an order resting, leaving or filling) takes the book's next number, so each book's
//   ids grow one by one, across restarts too, and a quiet book keeps its id. `T` (depth) and `time` (bookTicker) are that change's time, or the answer's time
//   for a book unchanged since the venue started; depth's `E` is the answer's time.
// - Before a symbol's first trade, ticker/price answers price 0 at pricePrecision and time 0.
// - Without a mark price (no trade and no two-sided book) premiumIndex answers 0 prices.
// - There is no funding and no index: the index and estimated settle prices are the mark;
//   funding and interest rates are 0; perpetuals still name Binance's next 8-hourly time.
// - A `pair` that no listed symbol has is -1121, like an unknown `symbol`.

import { VenueError } from "../../domain/errors.js";
import { formatPriceFixed } from "../../domain/inverse.js";
import { ORDER_TYPES, STRATEGY_TYPES, TIME_IN_FORCES } from "../../domain/order.js";
import { format8, premiumIndex } from "../../domain/premium-index.js";
import type { SymbolSpec } from "../../domain/symbols.js";
import { DAY_MS, dayTicker } from "../../domain/ticker.js";
import type { Venue } from "../../venue/venue.js";
import type { RateLimitSettings } from "../rate-limits.js";
import type { ParamReader } from "../read-params.js";
import type { Route } from "../route.js";

/** Binance lists every COIN-M order type here, conditional ones included. */
const LISTED_ORDER_TYPES = [...ORDER_TYPES, ...STRATEGY_TYPES];

const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];
const DEPTH_LIMITS_TEXT = DEPTH_LIMITS.join(", ");
const DEFAULT_DEPTH_LIMIT = 500;

function rateLimits(limits: RateLimitSettings) {
  if (!limits.enabled) return [];
  return [
    { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: limits.ipWeightLimit },
    { rateLimitType: "ORDERS", interval: "MINUTE", intervalNum: 1, limit: limits.orderLimit },
  ];
}

/** One symbol as /dapi/v1/exchangeInfo lists it, filters in the live key order. */
export function exchangeSymbol(s: SymbolSpec) {
  return {
    symbol: s.symbol,
    pair: s.pair,
    contractType: s.contractType,
    deliveryDate: s.deliveryDate,
    onboardDate: s.onboardDate,
    contractStatus: s.contractStatus,
    contractSize: s.contractSize,
    marginAsset: s.marginAsset,
    maintMarginPercent: s.maintMarginPercent,
    requiredMarginPercent: s.requiredMarginPercent,
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    pricePrecision: s.pricePrecision,
    quantityPrecision: s.quantityPrecision,
    baseAssetPrecision: s.baseAssetPrecision,
    quotePrecision: s.quotePrecision,
    equalQtyPrecision: s.equalQtyPrecision,
    triggerProtect: s.triggerProtect,
    liquidationFee: s.liquidationFee,
    marketTakeBound: s.marketTakeBound,
    maxMoveOrderLimit: s.maxMoveOrderLimit,
    underlyingType: s.underlyingType,
    underlyingSubType: [...s.underlyingSubType],
    filters: [
      {
        minPrice: s.priceFilter.minPrice,
        maxPrice: s.priceFilter.maxPrice,
        filterType: "PRICE_FILTER",
        tickSize: s.priceFilter.tickSize,
      },
      {
        stepSize: s.lotSize.stepSize,
        filterType: "LOT_SIZE",
        maxQty: s.lotSize.maxQty,
        minQty: s.lotSize.minQty,
      },
      {
        stepSize: s.marketLotSize.stepSize,
        filterType: "MARKET_LOT_SIZE",
        maxQty: s.marketLotSize.maxQty,
        minQty: s.marketLotSize.minQty,
      },
      { limit: s.maxNumOrders, filterType: "MAX_NUM_ORDERS" },
      { limit: s.maxNumAlgoOrders, filterType: "MAX_NUM_ALGO_ORDERS" },
      {
        multiplierDown: s.percentPrice.multiplierDown,
        multiplierUp: s.percentPrice.multiplierUp,
        multiplierDecimal: s.percentPrice.multiplierDecimal,
        filterType: "PERCENT_PRICE",
      },
    ],
    orderTypes: [...LISTED_ORDER_TYPES],
    timeInForce: [...TIME_IN_FORCES],
  };
}

/** `symbol` or `pair` (not both, -1128), or every symbol when neither is sent. */
function selectSymbols(p: ParamReader, venue: Venue, now: number): SymbolSpec[] {
  const pair = p.optional("pair");
  if (pair !== undefined && p.optional("symbol") !== undefined) {
    throw new VenueError("OPTIONAL_PARAMS_BAD_COMBO");
  }
  const spec = p.optionalSymbol();
  if (spec) return [spec];
  if (pair === undefined) return venue.symbols(now);
  const ofPair = venue.symbols(now).filter((s) => s.pair === pair);
  if (ofPair.length === 0) throw new VenueError("INVALID_SYMBOL");
  return ofPair;
}

const oneOrAll = (one: number, all: number) => (p: ParamReader) =>
  p.optional("symbol") === undefined ? all : one;

function depthWeight(p: ParamReader): number {
  const sent = Number(p.optional("limit") ?? DEFAULT_DEPTH_LIMIT);
  const limit = Number.isFinite(sent) ? sent : DEFAULT_DEPTH_LIMIT;
  if (limit <= 50) return 2;
  if (limit <= 100) return 5;
  if (limit <= 500) return 10;
  return 20;
}

/** An empty exchangeInfo: the venue lists no spot or USDⓈ-M markets, but clients load them. */
const emptyExchangeInfo = (now: number) => ({
  timezone: "UTC",
  serverTime: now,
  rateLimits: [],
  exchangeFilters: [],
  symbols: [],
});

export const marketRoutes: Route[] = [
  {
    method: "GET",
    url: "/dapi/v1/exchangeInfo",
    weight: 1,
    security: "NONE",
    handler: async ({ now, venue, limits }) => {
      // A quarterly delivered in the last day still shows, DELIVERED, after the listing.
      const delivered = await venue.deliveredSince(now - DAY_MS);
      return {
        timezone: "UTC",
        serverTime: now,
        rateLimits: rateLimits(limits),
        exchangeFilters: [],
        symbols: [
          ...venue.symbols(now).map(exchangeSymbol),
          ...delivered.map((spec) => ({ ...exchangeSymbol(spec), contractStatus: "DELIVERED" })),
        ],
      };
    },
  },
  {
    method: "GET",
    url: "/dapi/v1/depth",
    weight: depthWeight,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const spec = p.symbol();
      const limit = p.long("limit") ?? DEFAULT_DEPTH_LIMIT;
      if (!DEPTH_LIMITS.includes(limit)) throw new VenueError("ILLEGAL_CHARS", "limit", DEPTH_LIMITS_TEXT);
      const book = await venue.depth(spec.symbol, limit);
      const level = (l: { price: number; qty: number }) => [formatPriceFixed(spec, l.price), String(l.qty)];
      return {
        lastUpdateId: book.lastUpdateId,
        E: now,
        T: book.time ?? now,
        symbol: spec.symbol,
        pair: spec.pair,
        bids: book.bids.map(level),
        asks: book.asks.map(level),
      };
    },
  },
  {
    method: "GET",
    url: "/dapi/v1/ticker/24hr",
    weight: oneOrAll(1, 40),
    security: "NONE",
    handler: ({ params: p, now, venue }) =>
      Promise.all(
        selectSymbols(p, venue, now).map(async (spec) => {
          const from = now - DAY_MS;
          const t = dayTicker(spec, await venue.tradeStats(spec.symbol, from, now));
          return {
            symbol: spec.symbol,
            pair: spec.pair,
            priceChange: t.priceChange,
            priceChangePercent: t.priceChangePercent,
            weightedAvgPrice: t.weightedAvgPrice,
            lastPrice: t.lastPrice,
            lastQty: t.lastQty,
            openPrice: t.openPrice,
            highPrice: t.highPrice,
            lowPrice: t.lowPrice,
            volume: t.volume,
            baseVolume: t.baseVolume,
            openTime: from,
            closeTime: now,
            firstId: t.firstId,
            lastId: t.lastId,
            count: t.count,
          };
        }),
      ),
  },
  {
    method: "GET",
    url: "/dapi/v1/ticker/price",
    weight: oneOrAll(1, 2),
    security: "NONE",
    handler: ({ params: p, now, venue }) =>
      Promise.all(
        selectSymbols(p, venue, now).map(async (spec) => {
          const last = await venue.lastTrade(spec.symbol);
          return {
            symbol: spec.symbol,
            ps: spec.pair,
            price: formatPriceFixed(spec, last?.price ?? 0),
            time: last?.time ?? 0,
          };
        }),
      ),
  },
  {
    method: "GET",
    url: "/dapi/v1/ticker/bookTicker",
    weight: oneOrAll(2, 5),
    security: "NONE",
    handler: ({ params: p, now, venue }) =>
      Promise.all(
        selectSymbols(p, venue, now).map(async (spec) => {
          const { bids, asks, lastUpdateId, time } = await venue.depth(spec.symbol, 1);
          const bid = bids[0];
          const ask = asks[0];
          return {
            lastUpdateId,
            symbol: spec.symbol,
            pair: spec.pair,
            bidPrice: formatPriceFixed(spec, bid?.price ?? 0),
            bidQty: String(bid?.qty ?? 0),
            askPrice: formatPriceFixed(spec, ask?.price ?? 0),
            askQty: String(ask?.qty ?? 0),
            time: time ?? now,
          };
        }),
      ),
  },
  {
    // Binance lists the symbols whose funding cap, floor or interval was adjusted; the
    // venue adjusts none.
    method: "GET",
    url: "/dapi/v1/fundingInfo",
    weight: 1,
    security: "NONE",
    handler: () => [],
  },
  {
    // Each funding the venue settled: its rate, oldest first. From `startTime` on, the
    // first `limit`; without it, the last `limit` up to `endTime` (Binance's USDⓈ-M rule;
    // its COIN-M page says nothing). A delivery symbol has none: [].
    method: "GET",
    url: "/dapi/v1/fundingRate",
    weight: 1,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const spec = p.symbol();
      const { startTime, endTime } = p.timeRange();
      const limit = p.limit(100, 1000);
      if (spec.contractType !== "PERPETUAL") return [];
      const rows = await venue.fundings(
        spec.symbol,
        startTime ?? 0,
        endTime ?? now,
        limit,
        startTime === undefined,
      );
      return rows.map((f) => ({
        symbol: f.symbol,
        fundingTime: f.fundingTime,
        fundingRate: format8(f.rate8),
      }));
    },
  },
  {
    method: "GET",
    url: "/dapi/v1/premiumIndex",
    weight: 10,
    security: "NONE",
    handler: async ({ params: p, now, venue }) => {
      const specs = selectSymbols(p, venue, now);
      const prices = await venue.read(() => specs.map((s) => venue.symbolPrices(s)));
      return specs.map((spec, i) => ({
        symbol: spec.symbol,
        pair: spec.pair,
        ...premiumIndex(spec, prices[i]!, now),
        time: now,
      }));
    },
  },
  // What ccxt's loadMarkets fetches besides /dapi: spot and USDⓈ-M markets (none here),
  // server time, and the spot margin pairs (none), which need an API key but no signature.
  {
    method: "GET",
    url: "/api/v3/exchangeInfo",
    weight: 20,
    security: "NONE",
    handler: ({ now }) => emptyExchangeInfo(now),
  },
  {
    method: "GET",
    url: "/fapi/v1/exchangeInfo",
    weight: 1,
    security: "NONE",
    handler: ({ now }) => emptyExchangeInfo(now),
  },
  {
    method: "GET",
    url: "/api/v3/time",
    weight: 1,
    security: "NONE",
    handler: ({ now }) => ({ serverTime: now }),
  },
  {
    method: "GET",
    url: "/fapi/v1/time",
    weight: 1,
    security: "NONE",
    handler: ({ now }) => ({ serverTime: now }),
  },
  { method: "GET", url: "/sapi/v1/margin/allPairs", weight: 1, security: "USER_STREAM", handler: () => [] },
  // ccxt's fetchPositions in Portfolio Margin (and ccxt.pro's position snapshot behind
  // watchOrders) asks for the USDⓈ-M brackets and positions, whatever the market: the venue
  // has no USDⓈ-M symbol, so there are none, and any symbol named is unknown.
  ...(["leverageBracket", "positionRisk"] as const).map(
    (name): Route => ({
      method: "GET",
      url: `/papi/v1/um/${name}`,
      weight: name === "positionRisk" ? 5 : 1,
      security: "SIGNED",
      handler: ({ params: p }) => {
        if (p.optional("symbol") !== undefined) throw new VenueError("INVALID_SYMBOL");
        return [];
      },
    }),
  ),
  {
    method: "GET",
    url: "/sapi/v1/margin/isolated/allPairs",
    weight: 10,
    security: "USER_STREAM",
    handler: () => [],
  },
];
