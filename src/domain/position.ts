// A position on an inverse contract: signed contracts and the coin value they were
// opened at (Σ q × BASE_SCALE / ticks over the open contracts, as orders keep theirs).
// The entry price is then the harmonic mean of the opening fills; reducing a position
// keeps it, flipping starts a new one at the fill's price.

import { BASE_SCALE, type Side } from "./order.js";

export interface Position {
  /** Contracts: positive long, negative short. */
  readonly amount: number;
  /** Entry value of the |amount| open contracts, in BASE_SCALE units per tick. */
  readonly entryAcc: bigint;
}

export const FLAT: Position = { amount: 0, entryAcc: 0n };

export interface PositionChange {
  readonly after: Position;
  /** Contracts this fill closed (0 when it only opened or added). */
  readonly closedQty: number;
  /** Entry value of the closed contracts. */
  readonly closedEntryAcc: bigint;
}

export function applyFill(before: Position, side: Side, qty: number, priceTicks: number): PositionChange {
  const signed = side === "BUY" ? qty : -qty;
  const open = Math.abs(before.amount);
  if (before.amount === 0 || Math.sign(before.amount) === Math.sign(signed)) {
    const after = { amount: before.amount + signed, entryAcc: before.entryAcc + opening(qty, priceTicks) };
    return { after, closedQty: 0, closedEntryAcc: 0n };
  }
  const closedQty = Math.min(qty, open);
  // The closed share of the entry value; the rest keeps the same entry price.
  const closedEntryAcc = (before.entryAcc * BigInt(closedQty)) / BigInt(open);
  const remainingOpen = open - closedQty;
  if (remainingOpen > 0) {
    const after = { amount: before.amount + signed, entryAcc: before.entryAcc - closedEntryAcc };
    return { after, closedQty, closedEntryAcc };
  }
  const flipped = qty - closedQty;
  const after =
    flipped === 0 ? FLAT : { amount: Math.sign(signed) * flipped, entryAcc: opening(flipped, priceTicks) };
  return { after, closedQty, closedEntryAcc: before.entryAcc };
}

function opening(qty: number, priceTicks: number): bigint {
  return (BigInt(qty) * BASE_SCALE) / BigInt(priceTicks);
}
