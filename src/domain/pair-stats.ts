// The market statistics of a pair at one moment, as /futures/data/* reports them: open
// interest per contract, and how the accounts holding the pair lean (long/short ratios,
// for every holder and for the top traders). Taken every 5 minutes of the venue clock,
// Binance's shortest period; longer periods read the snapshot at their close.
//
// Venue choices where Binance's pages leave room:
// - An account's position on a pair is its net contracts over the pair's contracts
//   (all of a pair's contracts are the same size): net long, net short, or flat. Every
//   account holding a position counts once; a flat one (hedged to zero) counts in the
//   total only.
// - The top traders are the top 20 % of the holders (at least one) by margin balance in
//   the pair's margin coin (wallet plus unrealized PnL at the mark), ties to the older
//   account; their position is the sum of their net contracts on each side.
// - A ratio whose short side is zero is printed as 0.

import { divHalfUp, formatFixed } from "./decimal.js";

/** Snapshots are taken at multiples of 5 minutes. */
export const STATS_STEP_MS = 5 * 60_000;

export function statsBoundary(time: number): number {
  return Math.floor(time / STATS_STEP_MS) * STATS_STEP_MS;
}

/** One account's stake in a pair. */
export interface Holder {
  readonly accountId: number;
  /** Net contracts over the pair's contracts: above zero long, below short. */
  readonly net: number;
  /** Margin balance in the pair's margin coin, 10^-8 units. */
  readonly marginBalance: bigint;
}

export interface ContractInterest {
  readonly symbol: string;
  /** Contracts held long (equal to those held short). */
  readonly openInterest: number;
  /** Their value in the margin coin at the mark, 10^-8 units. */
  readonly valueUnits: bigint;
}

export interface PairStats {
  readonly pair: string;
  /** The 5-minute boundary the snapshot stands for. */
  readonly time: number;
  readonly contracts: readonly ContractInterest[];
  /** Holders: all, net long, net short. */
  readonly holders: number;
  readonly longAccounts: number;
  readonly shortAccounts: number;
  /** The same counts for the top traders, and their long and short contracts. */
  readonly topHolders: number;
  readonly topLongAccounts: number;
  readonly topShortAccounts: number;
  readonly topLongContracts: number;
  readonly topShortContracts: number;
}

export const TOP_TRADER_SHARE = 0.2;

export function pairStats(
  pair: string,
  time: number,
  contracts: readonly ContractInterest[],
  holders: readonly Holder[],
): PairStats {
  const ranked = [...holders].sort((a, b) =>
    a.marginBalance === b.marginBalance
      ? a.accountId - b.accountId
      : a.marginBalance > b.marginBalance
        ? -1
        : 1,
  );
  const top =
    holders.length === 0 ? [] : ranked.slice(0, Math.max(1, Math.ceil(holders.length * TOP_TRADER_SHARE)));
  const count = (list: readonly Holder[], long: boolean) =>
    list.filter((h) => (long ? h.net > 0 : h.net < 0)).length;
  let topLong = 0;
  let topShort = 0;
  for (const h of top) {
    if (h.net > 0) topLong += h.net;
    else topShort -= h.net;
  }
  return {
    pair,
    time,
    contracts,
    holders: holders.length,
    longAccounts: count(holders, true),
    shortAccounts: count(holders, false),
    topHolders: top.length,
    topLongAccounts: count(top, true),
    topShortAccounts: count(top, false),
    topLongContracts: topLong,
    topShortContracts: topShort,
  };
}

const RATIO_SCALE = 4;
const ONE = 10n ** BigInt(RATIO_SCALE);

/** `part / whole` at 4 decimals, half-up; 0 for an empty whole. */
export function shareText(part: number, whole: number): string {
  return formatFixed(whole === 0 ? 0n : divHalfUp(BigInt(part) * ONE, BigInt(whole)), RATIO_SCALE);
}

/** Long over short at 4 decimals, half-up; 0 when nothing is short. */
export function ratioText(long: number, short: number): string {
  return formatFixed(short === 0 ? 0n : divHalfUp(BigInt(long) * ONE, BigInt(short)), RATIO_SCALE);
}
