// Candles of the venue's index, mark and premium prices on /dapi/v1, drawn each minute
// from the prices the venue computed (venue/prices.ts): indexPriceKlines by pair,
// markPriceKlines and premiumIndexKlines by symbol. Binance's twelve fields, where the
// volumes are "0" and the ninth counts the prices behind the candle ("number of basic
// data": one a second for mark and index, one each 5 s for the premium index). Window,
// limit and weight rules are those of klines (klines.ts).

import { type Candle, type Interval, nextOpenTime } from "../../domain/candles.js";
import { VenueError } from "../../domain/errors.js";
import { format8 } from "../../domain/premium-index.js";
import type { PriceKind } from "../../store/store.js";
import type { ParamReader } from "../read-params.js";
import type { Route, RouteContext } from "../route.js";
import { klineWeight, klineWindow } from "./klines.js";

function row(interval: Interval, c: Candle): unknown[] {
  return [
    c.openTime,
    format8(c.open),
    format8(c.high),
    format8(c.low),
    format8(c.close),
    "0",
    nextOpenTime(interval, c.openTime) - 1,
    "0",
    c.trades,
    "0",
    "0",
    "0",
  ];
}

async function priceCandles(
  kind: PriceKind,
  name: (p: ParamReader, ctx: RouteContext) => string,
  ctx: RouteContext,
) {
  const key = name(ctx.params, ctx);
  const { interval, from, to, limit } = klineWindow(ctx.params, ctx.now);
  const found = await ctx.venue.priceKlines(kind, key, interval, from, to, limit);
  return found.map((c) => row(interval, c));
}

const bySymbol = (p: ParamReader) => p.symbol().symbol;

export const priceKlineRoutes: Route[] = [
  {
    method: "GET",
    url: "/dapi/v1/indexPriceKlines",
    weight: klineWeight,
    security: "NONE",
    handler: (ctx) =>
      priceCandles(
        "index",
        (p, { venue }) => {
          const pair = p.required("pair");
          if (!venue.symbols().some((s) => s.pair === pair)) throw new VenueError("INVALID_SYMBOL");
          return pair;
        },
        ctx,
      ),
  },
  {
    method: "GET",
    url: "/dapi/v1/markPriceKlines",
    weight: klineWeight,
    security: "NONE",
    handler: (ctx) => priceCandles("mark", bySymbol, ctx),
  },
  {
    method: "GET",
    url: "/dapi/v1/premiumIndexKlines",
    weight: klineWeight,
    security: "NONE",
    handler: (ctx) => priceCandles("premium", bySymbol, ctx),
  },
];
