// dstream's stream names, read into what a feed needs: which symbol or pair, which
// kind, at which speed. The symbol or pair part is matched without regard to case (the
// docs write it in lowercase; the event's own fields name it as the venue lists it);
// the part after `@` is matched exactly, as Binance spells it. A name that is not a
// stream of a listed contract answers undefined: a client may subscribe to it, and it
// carries nothing.
//
// The canonical name (lowercase symbol, the rest as spelled) is what feeds are kept
// under, so two clients spelling one stream differently share its feed; each still
// gets the `stream` field of a combined event spelled as it subscribed.

import { type Interval, isInterval } from "../domain/candles.js";
import type { ContractType, SymbolSpec } from "../domain/symbols.js";

import type { PriceKlineKey } from "./price-kline-feed.js";

/** Push speeds, in milliseconds. */
export type DepthSpeed = 100 | 250 | 500;
export type PriceSpeed = 1000 | 3000;
export type DepthLevels = 5 | 10 | 20;

export type StreamKey =
  | {
      readonly kind: "trade" | "aggTrade" | "bookTicker" | "ticker" | "miniTicker" | "forceOrder";
      readonly symbol: SymbolSpec;
    }
  | { readonly kind: "depth"; readonly symbol: SymbolSpec; readonly speed: DepthSpeed }
  | {
      readonly kind: "partialDepth";
      readonly symbol: SymbolSpec;
      readonly levels: DepthLevels;
      readonly speed: DepthSpeed;
    }
  | { readonly kind: "kline"; readonly symbol: SymbolSpec; readonly interval: Interval }
  | {
      readonly kind: "continuousKline";
      readonly symbol: SymbolSpec;
      readonly pair: string;
      readonly contractType: ContractType;
      readonly interval: Interval;
    }
  | { readonly kind: "markPrice"; readonly symbol: SymbolSpec; readonly speed: PriceSpeed }
  | PriceKlineKey
  | { readonly kind: "pairMarkPrice" | "indexPrice"; readonly pair: string; readonly speed: PriceSpeed }
  | { readonly kind: "allBookTicker" | "allTicker" | "allMiniTicker" | "allForceOrder" | "contractInfo" };

export interface ParsedStream {
  /** The name feeds are kept under. */
  readonly canonical: string;
  readonly key: StreamKey;
}

const ALL: Record<string, StreamKey["kind"]> = {
  "!bookTicker": "allBookTicker",
  "!ticker@arr": "allTicker",
  "!miniTicker@arr": "allMiniTicker",
  "!forceOrder@arr": "allForceOrder",
  "!contractInfo": "contractInfo",
};

const SYMBOL_KINDS = ["trade", "aggTrade", "bookTicker", "ticker", "miniTicker", "forceOrder"] as const;
const CONTRACT_TYPES: Record<string, ContractType> = {
  perpetual: "PERPETUAL",
  current_quarter: "CURRENT_QUARTER",
  next_quarter: "NEXT_QUARTER",
};

export interface Listing {
  symbol(name: string): SymbolSpec | undefined;
  symbols(): readonly SymbolSpec[];
}

/** Reads a stream name; undefined when it names no stream of a listed contract. */
export function parseStream(name: string, listing: Listing): ParsedStream | undefined {
  const all = ALL[name];
  if (all) return { canonical: name, key: { kind: all } as StreamKey };
  const at = name.indexOf("@");
  if (at <= 0) return undefined;
  const subject = name.slice(0, at).toLowerCase();
  const rest = name.slice(at + 1);
  const canonical = `${subject}@${rest}`;
  const symbol = listing.symbol(subject.toUpperCase());
  const found = (key: StreamKey): ParsedStream => ({ canonical, key });

  if (symbol) {
    if ((SYMBOL_KINDS as readonly string[]).includes(rest))
      return found({ kind: rest as (typeof SYMBOL_KINDS)[number], symbol });
    const depth = /^depth(5|10|20)?(?:@(100|250|500)ms)?$/.exec(rest);
    if (depth) {
      const speed = Number(depth[2] ?? 250) as DepthSpeed;
      // Binance's diff stream is @depth (250 ms), @depth@500ms or @depth@100ms; 250 is never written.
      if (depth[2] === "250") return undefined;
      return depth[1]
        ? found({ kind: "partialDepth", symbol, levels: Number(depth[1]) as DepthLevels, speed })
        : found({ kind: "depth", symbol, speed });
    }
    const kline = /^kline_(.+)$/.exec(rest);
    if (kline && isInterval(kline[1]!)) return found({ kind: "kline", symbol, interval: kline[1] });
    const markKline = /^markPriceKline_(.+)$/.exec(rest);
    if (markKline && isInterval(markKline[1]!))
      return found({ kind: "markPriceKline", symbol, interval: markKline[1] });
    if (rest === "markPrice" || rest === "markPrice@1s")
      return found({ kind: "markPrice", symbol, speed: rest === "markPrice" ? 3000 : 1000 });
    return undefined;
  }

  const pair = subject.toUpperCase();
  const listed = listing.symbols();
  if (listed.some((s) => s.pair === pair)) {
    if (rest === "markPrice" || rest === "markPrice@1s")
      return found({ kind: "pairMarkPrice", pair, speed: rest === "markPrice" ? 3000 : 1000 });
    if (rest === "indexPrice" || rest === "indexPrice@1s")
      return found({ kind: "indexPrice", pair, speed: rest === "indexPrice" ? 3000 : 1000 });
    const indexKline = /^indexPriceKline_(.+)$/.exec(rest);
    if (indexKline && isInterval(indexKline[1]!))
      return found({ kind: "indexPriceKline", pair, interval: indexKline[1] });
    return undefined;
  }

  // <pair>_<contractType>@continuousKline_<interval>
  const continuous = /^continuousKline_(.+)$/.exec(rest);
  if (!continuous || !isInterval(continuous[1]!)) return undefined;
  const split = subject.indexOf("_");
  if (split <= 0) return undefined;
  const contractPair = subject.slice(0, split).toUpperCase();
  const contractType = CONTRACT_TYPES[subject.slice(split + 1)];
  if (!contractType) return undefined;
  const contract = listed.find((s) => s.pair === contractPair && s.contractType === contractType);
  if (!contract) return undefined;
  return found({
    kind: "continuousKline",
    symbol: contract,
    pair: contractPair,
    contractType,
    interval: continuous[1],
  });
}
