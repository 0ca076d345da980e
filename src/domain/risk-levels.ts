// Portfolio Margin's risk ladder on uniMMR = account equity / account maintenance margin
// (both in USD): above 1.5 the account trades freely; at 1.5 and down to 1.2 it is in
// margin call; from 1.2 down to 1.05 it may only reduce (new orders that add exposure are
// refused with -4087); below 1.05 it is liquidated. Ratios are "ratio8": whole 10^-8.

export type RiskLevel = "NORMAL" | "MARGIN_CALL" | "REDUCE_ONLY" | "FORCE_LIQUIDATION";

const RATIO8 = 100_000_000n;
export const MARGIN_CALL_AT = (RATIO8 * 15n) / 10n;
export const REDUCE_ONLY_AT = (RATIO8 * 12n) / 10n;
export const LIQUIDATION_BELOW = (RATIO8 * 105n) / 100n;

/** uniMMR × 10^8, rounded down; undefined without maintenance margin. */
export function uniMMR8(equityUsd: bigint, maintUsd: bigint): bigint | undefined {
  if (maintUsd <= 0n) return undefined;
  return (equityUsd * RATIO8) / maintUsd;
}

export function riskLevel(ratio8: bigint | undefined): RiskLevel {
  if (ratio8 === undefined || ratio8 > MARGIN_CALL_AT) return "NORMAL";
  if (ratio8 > REDUCE_ONLY_AT) return "MARGIN_CALL";
  if (ratio8 >= LIQUIDATION_BELOW) return "REDUCE_ONLY";
  return "FORCE_LIQUIDATION";
}

/** Whether an account at this level may only place orders that reduce its positions. */
export function mayOnlyReduce(level: RiskLevel): boolean {
  return level === "REDUCE_ONLY" || level === "FORCE_LIQUIDATION";
}
