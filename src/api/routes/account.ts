// What an account holds, as Portfolio Margin answers it: /papi/v1/balance and
// /papi/v1/account, plus the wallet's coin list on /sapi that ccxt loads its currencies
// from. The venue keeps every coin in the COIN-M wallet of the Portfolio Margin
// account, so that is where balances show; margin numbers (initial, maintenance,
// unrealized PnL) are zero until the venue computes margin.
//
// Venue choices where Binance publishes nothing:
// - `updateTime` of a balance is 0: the venue does not report when a balance last changed.
// - `/papi/v1/balance?asset=X` for a coin the account does not hold answers X with zeros.
// - Account equity is in USD at each coin's mark price (its <COIN>USD_PERP); a coin with
//   no mark or no perpetual adds nothing. `uniMMR` with no maintenance margin is
//   Binance's "99999999" sentinel.
// - The /sapi coin list names the venue's margin coins and the account's coins, with
//   nothing in the spot wallet (free 0) and no networks: the venue has no deposits or
//   withdrawals.

import { divHalfUp, formatFixed, formatStripped } from "../../domain/decimal.js";
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

function balanceEntry(asset: string, units: bigint) {
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
    cmUnrealizedPNL: ZERO,
    updateTime: 0,
    negativeBalance: ZERO,
  };
}

/** Σ balance × USD mark of the coin's perpetual, in 10^-8 USD. */
function usdValue(venue: Venue, held: ReadonlyMap<string, bigint>): bigint {
  let total = 0n;
  for (const [asset, units] of held) {
    const spec = venue.symbol(`${asset}USD_PERP`);
    const mark = spec ? venue.markPrice(spec.symbol) : undefined;
    if (!spec || mark === undefined) continue;
    total += divHalfUp(units * BigInt(mark) * spec.tick.units, 10n ** BigInt(spec.tick.scale));
  }
  return total;
}

export const accountRoutes: Route[] = [
  {
    method: "GET",
    url: "/papi/v1/balance",
    weight: 20,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue }) => {
      const held = await balances(venue, accountId);
      const asset = p.optional("asset");
      if (asset !== undefined) return balanceEntry(asset, held.get(asset) ?? 0n);
      return [...held.keys()].sort().map((a) => balanceEntry(a, held.get(a)!));
    },
  },
  {
    method: "GET",
    url: "/papi/v1/account",
    weight: 20,
    security: "SIGNED",
    handler: async ({ accountId, now, venue }) => {
      const held = await balances(venue, accountId);
      const equity = coin(await venue.read(() => usdValue(venue, held)));
      return {
        uniMMR: NO_MAINT_MARGIN_MMR,
        accountEquity: equity,
        actualEquity: equity,
        accountInitialMargin: ZERO,
        accountMaintMargin: ZERO,
        accountStatus: "NORMAL",
        virtualMaxWithdrawAmount: equity,
        totalAvailableBalance: equity,
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
