// The Portfolio Margin account as a whole, in USD: equity (every coin's wallet plus its
// unrealized PnL), initial and maintenance margin, uniMMR and its risk level
// (domain/risk-levels.ts). A coin is valued at its pair's index (<COIN>USD), else at its
// perpetual's mark; a coin with neither counts nothing. Collateral rates are 1, so the
// actual equity is the equity.
//
// `reviewRisk` walks the accounts that hold positions (or stood at a level other than
// NORMAL), notes each one's new level, tells a change with a riskLevelChange event, and
// liquidates an account below 1.05 (liquidation.ts). The levels are kept with the price
// state, so a restart does not tell a change twice.

import { divHalfUp } from "../domain/decimal.js";
import { tickPrice8 } from "../domain/funding.js";
import { type RiskLevel, riskLevel, uniMMR8 } from "../domain/risk-levels.js";
import { findSymbol } from "../domain/symbols.js";
import { riskSources } from "./checks.js";
import type { RiskEvent } from "./events.js";
import { liquidate } from "./liquidation.js";
import type { Pipeline } from "./pipeline.js";
import { riskByAsset } from "./risk.js";
import type { VenueState } from "./state.js";

export const RISK_STATE = "risk";

export interface Portfolio {
  /** 10^-8 USD. */
  readonly equity: bigint;
  readonly actualEquity: bigint;
  readonly initial: bigint;
  readonly maint: bigint;
  readonly uniMMR8: bigint | undefined;
  readonly level: RiskLevel;
}

/** Marks by symbol (ticks): the state's, or the state's with one symbol moved. */
type Marks = (symbol: string) => number | undefined;

/** The USD price of a coin, 10^-8 USD: its pair's index, else its perpetual's mark. */
export function usdPrice8(
  state: VenueState,
  asset: string,
  marks: Marks = (s) => state.markPrice(s),
): number | undefined {
  const index = state.prices.index.get(`${asset}USD`);
  if (index !== undefined) return index;
  const spec = findSymbol(`${asset}USD_PERP`);
  const mark = spec && marks(spec.symbol);
  return spec && mark !== undefined ? tickPrice8(spec, mark) : undefined;
}

export function portfolioOf(
  state: VenueState,
  accountId: number,
  marks: Marks = (s) => state.markPrice(s),
): Portfolio {
  const account = state.accounts.get(accountId);
  const risk = riskByAsset({ ...riskSources(state, accountId, state.exposures.of(accountId)), mark: marks });
  let equity = 0n;
  let initial = 0n;
  let maint = 0n;
  const assets = new Set([...(account?.balances.keys() ?? []), ...risk.keys()]);
  for (const asset of assets) {
    const price = usdPrice8(state, asset, marks);
    if (price === undefined) continue;
    const usd = (units: bigint) => divHalfUp(units * BigInt(price), 100_000_000n);
    const r = risk.get(asset);
    equity += usd((account?.balances.get(asset)?.units ?? 0n) + (r?.unrealized ?? 0n));
    if (r) {
      initial += usd(r.positionInitialMargin + r.openOrderInitialMargin);
      maint += usd(r.maintMargin);
    }
  }
  const ratio = uniMMR8(equity, maint);
  return { equity, actualEquity: equity, initial, maint, uniMMR8: ratio, level: riskLevel(ratio) };
}

/** The level the account was last noted at. */
export function levelOf(state: VenueState, accountId: number): RiskLevel {
  return state.riskLevels.get(accountId) ?? "NORMAL";
}

/** Reviews every account with positions: new levels, their events, liquidations. */
export function reviewRisk(state: VenueState, pipeline: Pipeline, at: number): void {
  const ids = new Set<number>(state.riskLevels.keys());
  for (const [accountId, positions] of state.accounts.holdings()) {
    for (const p of positions.values()) {
      if (p.amount !== 0) {
        ids.add(accountId);
        break;
      }
    }
  }
  let changed = false;
  for (const accountId of [...ids].sort((a, b) => a - b)) {
    if (state.accounts.get(accountId)?.house !== undefined) continue;
    let portfolio = portfolioOf(state, accountId);
    if (portfolio.level === levelOf(state, accountId)) continue;
    changed = true;
    note(state, pipeline, accountId, portfolio, at);
    if (portfolio.level !== "FORCE_LIQUIDATION") continue;
    liquidate(state, pipeline, accountId, at);
    portfolio = portfolioOf(state, accountId);
    if (portfolio.level !== "FORCE_LIQUIDATION") note(state, pipeline, accountId, portfolio, at);
  }
  if (changed)
    pipeline.batch().priceState.set(RISK_STATE, JSON.stringify(Object.fromEntries(state.riskLevels)));
}

function note(state: VenueState, pipeline: Pipeline, accountId: number, p: Portfolio, at: number): void {
  if (p.level === "NORMAL") state.riskLevels.delete(accountId);
  else state.riskLevels.set(accountId, p.level);
  // Binance tells the levels it names; coming back to NORMAL it says nothing.
  if (p.level === "NORMAL" || !pipeline.wanted(accountId)) return;
  const event: RiskEvent = {
    kind: "risk",
    accountId,
    time: at,
    level: p.level,
    uniMMR8: p.uniMMR8 ?? 0n,
    equity: p.equity,
    actualEquity: p.actualEquity,
    maint: p.maint,
  };
  pipeline.batch().events.push(event);
}

/**
 * The mark of `symbol` at which the account would be liquidated (uniMMR below 1.05),
 * everything else held, in ticks; undefined when no mark inside the price filter would
 * do it or the account holds no net position there. It looks on the side the account's
 * net position loses (down for a net long, up for a net short), by bisection: uniMMR
 * only falls as the mark moves that way.
 */
export function liquidationPrice(state: VenueState, accountId: number, symbol: string): number | undefined {
  const spec = findSymbol(symbol);
  const mark = state.markPrice(symbol);
  if (!spec || mark === undefined) return undefined;
  const net = state.accounts
    .positionsOf(accountId)
    .filter((p) => p.symbol === symbol)
    .reduce((n, p) => n + p.amount, 0);
  if (net === 0) return undefined;
  const liquidatedAt = (ticks: number) =>
    portfolioOf(state, accountId, (s) => (s === symbol ? ticks : state.markPrice(s))).level ===
    "FORCE_LIQUIDATION";
  if (liquidatedAt(mark)) return mark;
  const far =
    net > 0 ? Math.max(1, spec.minPriceTicks) : spec.maxPriceTicks > 0 ? spec.maxPriceTicks : mark * 100;
  if (!liquidatedAt(far)) return undefined;
  // `safe` is never liquidated, `lost` always; they close in on the first liquidated tick.
  let safe = mark;
  let lost = far;
  while (Math.abs(lost - safe) > 1) {
    const mid = Math.floor((safe + lost) / 2);
    if (liquidatedAt(mid)) lost = mid;
    else safe = mid;
  }
  return lost;
}
