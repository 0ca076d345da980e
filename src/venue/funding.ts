// Funding at a funding time: every position on the perpetual pays or receives
// contracts × contract size / mark × rate in its coin (longs pay shorts when the rate is
// positive). One total is rounded for the whole open interest and shared out on each side
// by largest remainder (domain/funding.ts's shareOut), so the shorts receive exactly what
// the longs pay. It runs inside one price step, so a settlement is in one batch: committed
// whole or not at all. Each account hears ACCOUNT_UPDATE `FUNDING_FEE` with its coin's
// balance only (Binance sends no position for a cross position's funding), and gets a
// FUNDING_FEE income row.

import { divHalfUp } from "../domain/decimal.js";
import { fundingValue, shareOut } from "../domain/funding.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { AccountEvent } from "./events.js";
import { setBalance } from "./fills.js";
import type { Pipeline } from "./pipeline.js";
import type { VenueState } from "./state.js";

interface Holder {
  readonly accountId: number;
  readonly contracts: number;
}

export function settleFunding(
  state: VenueState,
  pipeline: Pipeline,
  spec: SymbolSpec,
  markTicks: number,
  rate8: number,
  at: number,
): void {
  const batch = pipeline.batch();
  const s = state.prices.symbol(spec.symbol);
  s.lastFundingTime = at;
  s.paidRate8 = rate8;
  s.premium = { weighted: 0, count: 0 };
  batch.fundings.push({ symbol: spec.symbol, fundingTime: at, rate8, markPrice: markTicks });
  // Holders in account order, each side's positions summed per account.
  const longs = new Map<number, number>();
  const shorts = new Map<number, number>();
  for (const [accountId, positions] of state.accounts.holdings()) {
    for (const p of positions.values()) {
      if (p.symbol !== spec.symbol || p.amount === 0) continue;
      const side = p.amount > 0 ? longs : shorts;
      side.set(accountId, (side.get(accountId) ?? 0) + Math.abs(p.amount));
    }
  }
  const sorted = (m: Map<number, number>): Holder[] =>
    [...m].sort((a, b) => a[0] - b[0]).map(([accountId, contracts]) => ({ accountId, contracts }));
  const longHolders = sorted(longs);
  const shortHolders = sorted(shorts);
  const interest = longHolders.reduce((n, h) => n + h.contracts, 0);
  if (interest === 0 || rate8 === 0) return;
  const value = fundingValue(spec, interest, markTicks, rate8);
  const total = divHalfUp(value.num, value.den);
  // A positive rate: longs pay (negative income), shorts receive.
  const fees = new Map<number, bigint>();
  const share = (holders: Holder[], sign: bigint) => {
    const shares = shareOut(
      total,
      holders.map((h) => h.contracts),
    );
    for (const [i, h] of holders.entries()) {
      fees.set(h.accountId, (fees.get(h.accountId) ?? 0n) + sign * shares[i]!);
    }
  };
  share(longHolders, -1n);
  share(shortHolders, 1n);
  for (const accountId of [...fees.keys()].sort((a, b) => a - b)) {
    const fee = fees.get(accountId)!;
    const account = state.accounts.get(accountId);
    if (!account || fee === 0n) continue;
    const units = (account.balances.get(spec.marginAsset)?.units ?? 0n) + fee;
    setBalance(batch, account, spec.marginAsset, units, at);
    batch.incomes.push({
      id: state.nextIncomeId++,
      accountId,
      symbol: spec.symbol,
      incomeType: "FUNDING_FEE",
      asset: spec.marginAsset,
      units: fee,
      info: "",
      time: at,
    });
    if (!pipeline.wanted(accountId)) continue;
    const event: AccountEvent = {
      kind: "account",
      accountId,
      time: at,
      reason: "FUNDING_FEE",
      balances: [{ asset: spec.marginAsset, units, change: fee }],
      positions: [],
    };
    batch.events.push(event);
  }
}
