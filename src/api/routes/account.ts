// What an account holds, as Portfolio Margin answers it: /papi/v1/balance and
// /papi/v1/account, plus the wallet's coin list on /sapi that ccxt loads its currencies
// from. The venue keeps every coin in the COIN-M wallet of the Portfolio Margin
// account, so that is where balances show, with the CM unrealized PnL at the mark;
// /papi/v1/account turns every coin's equity and margin into USD at its pair's index
// (else its mark), with uniMMR and the risk level (venue/portfolio.ts).
//
// Venue choices where Binance publishes nothing:
// - `/papi/v1/balance?asset=X` for a coin the account does not hold answers X with zeros.
// - Account equity is in USD at each coin's index (<COIN>USD), else at its perpetual's
//   mark; a coin with neither adds nothing. `uniMMR` with no maintenance margin is
//   Binance's "99999999" sentinel.
// - The /sapi coin list names the venue's margin coins and the account's coins, with
//   nothing in the spot wallet (free 0) and no networks: the venue has no deposits or
//   withdrawals.

import { formatFixed, formatStripped } from "../../domain/decimal.js";
import type { Venue } from "../../venue/venue.js";
import type { Route } from "../route.js";

const COIN_SCALE = 8;
const ZERO = formatFixed(0n, COIN_SCALE);
/** Binance's uniMMR when the account has no maintenance margin. */
const NO_MAINT_MARGIN_MMR = formatFixed(99999999n * 10n ** BigInt(COIN_SCALE), COIN_SCALE);

const coin = (units: bigint) => formatFixed(units, COIN_SCALE);

async function balances(venue: Venue, accountId: number): Promise<ReadonlyMap<string, bigint>> {
  return (await venue.account(accountId))?.balances ?? new Map<string, bigint>();
}

function balanceEntry(asset: string, units: bigint, unrealized: bigint, updateTime: number) {
  return {
    asset,
    totalWalletBalance: coin(units),
    crossMarginAsset: ZERO,
    crossMarginBorrowed: ZERO,
    crossMarginFree: ZERO,
    crossMarginInterest: ZERO,
    crossMarginLocked: ZERO,
    umWalletBalance: ZERO,
    umUnrealizedPNL: ZERO,
    cmWalletBalance: coin(units),
    cmUnrealizedPNL: coin(unrealized),
    updateTime,
    negativeBalance: ZERO,
  };
}

export const accountRoutes: Route[] = [
  {
    method: "GET",
    url: "/papi/v1/balance",
    weight: 20,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const state = await venue.accountState(accountId);
      const entry = (asset: string) => {
        const b = state.balances.get(asset);
        return balanceEntry(
          asset,
          b?.units ?? 0n,
          state.assets.get(asset)?.unrealized ?? 0n,
          b?.updateTime ?? 0,
        );
      };
      const asset = p.optional("asset");
      if (asset !== undefined) {
        // Binance's one-asset example ("when asset sent") has no crossMarginAsset.
        const { crossMarginAsset: _omitted, ...one } = entry(asset);
        return one;
      }
      return [...state.balances.keys()].sort().map(entry);
    },
  },
  {
    method: "GET",
    url: "/papi/v1/account",
    weight: 20,
    security: "SIGNED",
    handler: async ({ accountId, now, venue }) => {
      const p = await venue.portfolio(accountId);
      const available = p.equity - p.initial;
      return {
        // Equity over maintenance margin, as a ratio with 8 decimals.
        uniMMR: p.uniMMR8 === undefined ? NO_MAINT_MARGIN_MMR : formatFixed(p.uniMMR8, COIN_SCALE),
        accountEquity: coin(p.equity),
        actualEquity: coin(p.actualEquity),
        accountInitialMargin: coin(p.initial),
        accountMaintMargin: coin(p.maint),
        // The level the venue last noted (price steps and price changes review it).
        accountStatus: p.noted,
        virtualMaxWithdrawAmount: coin(available > 0n ? available : 0n),
        totalAvailableBalance: coin(available > 0n ? available : 0n),
        totalMarginOpenLoss: ZERO,
        updateTime: now,
      };
    },
  },
  {
    method: "GET",
    url: "/sapi/v1/capital/config/getall",
    weight: 10,
    security: "SIGNED",
    handler: async ({ accountId, venue }) => {
      const held = await balances(venue, accountId);
      const coins = new Set([...venue.symbols().map((s) => s.marginAsset), ...held.keys()]);
      const none = formatStripped(0n, COIN_SCALE);
      return [...coins].sort().map((c) => ({
        coin: c,
        depositAllEnable: false,
        withdrawAllEnable: false,
        name: c,
        free: none,
        locked: none,
        freeze: none,
        withdrawing: none,
        ipoing: none,
        ipoable: none,
        storage: none,
        isLegalMoney: false,
        trading: true,
        networkList: [],
      }));
    },
  },
];
