// An account's margin in one coin, computed from the state the venue holds: wallet,
// unrealized PnL at the mark, initial margin of positions (notional at the mark over
// the symbol's leverage) and of open orders (notional at the order's price over the
// leverage), and maintenance margin from the brackets. Open orders that would only
// close a position reserve nothing: in one-way mode the opposite side's first |position|
// contracts are netted, in hedge mode orders that close LONG or SHORT are free. A new
// order is checked by computing the same numbers with it included.

import { baseUnits, unrealizedUnits } from "../domain/inverse.js";
import { initialMarginUnits, maintMarginUnits, notionalUnits } from "../domain/margin.js";
import type { PositionSide } from "../domain/order.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { HeldPosition } from "./accounts.js";
import type { AccountExposures, SideTotals } from "./exposures.js";

export interface RiskSources {
  readonly symbol: (name: string) => SymbolSpec;
  readonly mark: (symbol: string) => number | undefined;
  readonly leverage: (symbol: string) => number;
  readonly positions: Iterable<HeldPosition>;
  readonly orders: AccountExposures;
}

export interface SymbolRisk {
  readonly unrealized: bigint;
  readonly positionInitialMargin: bigint;
  readonly openOrderInitialMargin: bigint;
  readonly maintMargin: bigint;
}

export interface AssetRisk extends SymbolRisk {
  readonly asset: string;
}

const ZERO: SymbolRisk = {
  unrealized: 0n,
  positionInitialMargin: 0n,
  openOrderInitialMargin: 0n,
  maintMargin: 0n,
};

/** Risk per symbol and position side (`symbol|positionSide`). */
export function riskBySymbol(src: RiskSources): Map<string, SymbolRisk> {
  const out = new Map<string, SymbolRisk>();
  const add = (key: string, part: Partial<SymbolRisk>) => {
    const r = out.get(key) ?? ZERO;
    out.set(key, {
      unrealized: r.unrealized + (part.unrealized ?? 0n),
      positionInitialMargin: r.positionInitialMargin + (part.positionInitialMargin ?? 0n),
      openOrderInitialMargin: r.openOrderInitialMargin + (part.openOrderInitialMargin ?? 0n),
      maintMargin: r.maintMargin + (part.maintMargin ?? 0n),
    });
  };
  const held = new Map<string, number>();
  for (const p of src.positions) {
    held.set(`${p.symbol}|${p.positionSide}`, p.amount);
    if (p.amount === 0) continue;
    const spec = src.symbol(p.symbol);
    const mark = src.mark(p.symbol);
    // Without a mark the position is valued at its entry: Σ qty × contractSize / entry.
    const notional =
      mark === undefined ? baseUnits(spec, p.entryAcc) : notionalUnits(spec, Math.abs(p.amount), mark);
    add(`${p.symbol}|${p.positionSide}`, {
      unrealized: mark === undefined ? 0n : unrealizedUnits(spec, p.amount, p.entryAcc, mark),
      positionInitialMargin: initialMarginUnits(notional, src.leverage(p.symbol)),
      maintMargin: maintMarginUnits(spec.pair, notional).units,
    });
  }
  // Open orders: what they would add to each position if they all filled.
  for (const [key, s] of src.orders) {
    if (s.BUY.count === 0 && s.SELL.count === 0) continue;
    const [symbol, positionSide] = key.split("|") as [string, PositionSide];
    const spec = src.symbol(symbol);
    const amount = held.get(key) ?? 0;
    // Contracts of each side that would only close the position.
    let closableBuys = 0;
    let closableSells = 0;
    if (positionSide === "BOTH") {
      if (amount > 0) closableSells = amount;
      else closableBuys = -amount;
    } else if (positionSide === "LONG") closableSells = Number.MAX_SAFE_INTEGER;
    else closableBuys = Number.MAX_SAFE_INTEGER;
    const im =
      reserve(spec, s.BUY, closableBuys, src.leverage(symbol)) +
      reserve(spec, s.SELL, closableSells, src.leverage(symbol));
    add(key, { openOrderInitialMargin: im });
  }
  return out;
}

/**
 * Initial margin of a side's orders beyond the first `closable` contracts, netted from
 * the oldest order on. Only a side that would partly close needs its orders walked.
 */
function reserve(spec: SymbolSpec, side: SideTotals, closable: number, leverage: number): bigint {
  if (closable <= 0) return initialMarginUnits(side.notional, leverage);
  if (closable >= side.qty) return initialMarginUnits(0n, leverage);
  let free = closable;
  let total = 0n;
  for (const o of side.exposures()) {
    const netted = Math.min(free, o.qty);
    free -= netted;
    if (o.qty - netted > 0 && o.price > 0) total += notionalUnits(spec, o.qty - netted, o.price);
  }
  return initialMarginUnits(total, leverage);
}

/** Sums the per-symbol risk into per-coin totals. */
export function riskByAsset(src: RiskSources): Map<string, AssetRisk> {
  const out = new Map<string, AssetRisk>();
  for (const [key, r] of riskBySymbol(src)) {
    const asset = src.symbol(key.split("|")[0]!).marginAsset;
    const a = out.get(asset) ?? { asset, ...ZERO };
    out.set(asset, {
      asset,
      unrealized: a.unrealized + r.unrealized,
      positionInitialMargin: a.positionInitialMargin + r.positionInitialMargin,
      openOrderInitialMargin: a.openOrderInitialMargin + r.openOrderInitialMargin,
      maintMargin: a.maintMargin + r.maintMargin,
    });
  }
  return out;
}
