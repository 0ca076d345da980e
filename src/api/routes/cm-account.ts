// /papi/v1/cm account settings and risk: position mode, leverage and its brackets,
// commission rates, positions, and the CM account, all from one committed state of the
// venue. Money is in the margin coin: 8-decimal strings as Binance prints them.

import { bracketsOf, maxQtyAt } from "../../domain/brackets.js";
import { formatFixed, formatStripped } from "../../domain/decimal.js";
import { VenueError } from "../../domain/errors.js";
import { MAKER_RATE, TAKER_RATE } from "../../domain/fees.js";
import { formatEntryPrice } from "../../domain/inverse.js";
import { notionalUnits } from "../../domain/margin.js";
import type { PositionSide } from "../../domain/order.js";
import { listSymbols, type SymbolSpec } from "../../domain/symbols.js";
import type { AccountState } from "../../venue/venue.js";
import type { ParamReader } from "../read-params.js";
import type { Route } from "../route.js";

const coin = (units: bigint) => formatFixed(units, 8);
const stripped = (units: bigint) => formatStripped(units, 8);

/** A price in ticks with 8 decimals, as positionRisk prints mark prices. */
function price8(spec: SymbolSpec, ticks: number): string {
  return formatFixed(BigInt(ticks) * spec.tick.units * 10n ** BigInt(8 - spec.tick.scale), 8);
}

function sidesOf(state: AccountState): PositionSide[] {
  return state.dualSide ? ["LONG", "SHORT"] : ["BOTH"];
}

/** positionRisk's rows: every side the account's mode has, on each of `specs`. */
export function positionRows(state: AccountState, specs: readonly SymbolSpec[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const spec of specs) {
    for (const side of sidesOf(state)) {
      const key = `${spec.symbol}|${side}`;
      const pos = state.positions.get(key);
      const amount = pos?.amount ?? 0;
      const mark = state.mark(spec.symbol);
      const risk = state.symbols.get(key);
      const leverage = state.leverage(spec.symbol);
      const liquidation = amount === 0 ? undefined : state.liquidationPrices.get(spec.symbol);
      const notional = mark === undefined ? 0n : notionalUnits(spec, Math.abs(amount), mark);
      rows.push({
        symbol: spec.symbol,
        positionAmt: String(amount),
        entryPrice:
          amount === 0 ? formatFixed(0n, spec.pricePrecision) : formatEntryPrice(spec, amount, pos!.entryAcc),
        markPrice: mark === undefined ? coin(0n) : price8(spec, mark),
        unRealizedProfit: coin(risk?.unrealized ?? 0n),
        // The mark at which the whole account would be liquidated, the rest held; "0" for none.
        liquidationPrice: liquidation === undefined ? "0" : price8(spec, liquidation),
        leverage: String(leverage),
        positionSide: side,
        updateTime: pos?.updateTime ?? 0,
        maxQty: String(maxQtyAt(spec.pair, leverage)),
        notionalValue: coin(amount < 0 ? -notional : notional),
      });
    }
  }
  return rows;
}

/** Symbols listed at `now` a `pair` / `marginAsset` filter keeps (unknown pair: none). */
function selected(p: ParamReader, now: number): SymbolSpec[] {
  const pair = p.optional("pair");
  const asset = p.optional("marginAsset");
  return listSymbols(now).filter(
    (s) => (pair === undefined || s.pair === pair) && (asset === undefined || s.marginAsset === asset),
  );
}

export const cmAccountRoutes: Route[] = [
  {
    method: "GET",
    url: "/papi/v1/cm/positionSide/dual",
    weight: 30,
    security: "SIGNED",
    handler: async ({ accountId, venue }) => ({ dualSidePosition: await venue.dualSide(accountId) }),
  },
  {
    method: "POST",
    url: "/papi/v1/cm/positionSide/dual",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, venue, now }) => {
      p.required("dualSidePosition");
      const dual = p.bool("dualSidePosition")!;
      await venue.setDualSide(accountId, dual, now);
      return { code: 200, msg: "success" };
    },
  },
  {
    method: "POST",
    url: "/papi/v1/cm/leverage",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      p.required("symbol");
      p.required("leverage");
      const spec = p.symbol();
      const leverage = p.long("leverage")!;
      const set = await venue.setLeverage(accountId, spec, leverage, now);
      return { leverage: set.leverage, maxQty: String(set.maxQty), symbol: spec.symbol };
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/leverageBracket",
    weight: 1,
    security: "SIGNED",
    handler: ({ params: p }) => {
      const one = p.optionalSymbol();
      return (one ? [one] : listSymbols()).map((s) => ({
        symbol: s.symbol,
        brackets: bracketsOf(s.pair).map((b) => ({
          bracket: b.bracket,
          initialLeverage: b.initialLeverage,
          qtyCap: b.qtyCap,
          qtyFloor: b.qtyFloor,
          maintMarginRatio: Number(b.maintMarginRatio),
          cum: Number(b.cum),
        })),
      }));
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/commissionRate",
    weight: 20,
    security: "SIGNED",
    handler: ({ params: p }) => {
      const spec = p.symbol();
      return {
        symbol: spec.symbol,
        makerCommissionRate: formatStripped(MAKER_RATE.units, MAKER_RATE.scale),
        takerCommissionRate: formatStripped(TAKER_RATE.units, TAKER_RATE.scale),
      };
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/positionRisk",
    weight: 1,
    security: "SIGNED",
    handler: async ({ params: p, accountId, now, venue }) => {
      // Binance's page: "marginAsset and pair: do not send both" (its Chinese text); -1128.
      if (p.optional("marginAsset") !== undefined && p.optional("pair") !== undefined)
        throw new VenueError("OPTIONAL_PARAMS_BAD_COMBO");
      return positionRows(await venue.accountState(accountId), selected(p, now));
    },
  },
  {
    method: "GET",
    url: "/papi/v1/cm/account",
    weight: 5,
    security: "SIGNED",
    handler: async ({ accountId, now, venue }) => {
      const state = await venue.accountState(accountId);
      const assetNames = new Set([...state.balances.keys(), ...state.assets.keys()]);
      const assets = [...assetNames].sort().map((asset) => {
        const r = state.assets.get(asset);
        const b = state.balances.get(asset);
        const positionIM = r?.positionInitialMargin ?? 0n;
        const orderIM = r?.openOrderInitialMargin ?? 0n;
        return {
          asset,
          crossWalletBalance: coin(b?.units ?? 0n),
          crossUnPnl: coin(r?.unrealized ?? 0n),
          maintMargin: coin(r?.maintMargin ?? 0n),
          initialMargin: coin(positionIM + orderIM),
          positionInitialMargin: coin(positionIM),
          openOrderInitialMargin: coin(orderIM),
          updateTime: b?.updateTime ?? 0,
        };
      });
      const positions: unknown[] = [];
      for (const spec of listSymbols(now)) {
        for (const side of sidesOf(state)) {
          const key = `${spec.symbol}|${side}`;
          const pos = state.positions.get(key);
          const r = state.symbols.get(key);
          const leverage = state.leverage(spec.symbol);
          const amount = pos?.amount ?? 0;
          positions.push({
            symbol: spec.symbol,
            positionAmt: String(amount),
            initialMargin: stripped((r?.positionInitialMargin ?? 0n) + (r?.openOrderInitialMargin ?? 0n)),
            maintMargin: stripped(r?.maintMargin ?? 0n),
            unrealizedProfit: coin(r?.unrealized ?? 0n),
            positionInitialMargin: stripped(r?.positionInitialMargin ?? 0n),
            openOrderInitialMargin: stripped(r?.openOrderInitialMargin ?? 0n),
            leverage: String(leverage),
            positionSide: side,
            entryPrice:
              amount === 0
                ? formatFixed(0n, spec.pricePrecision)
                : formatEntryPrice(spec, amount, pos!.entryAcc),
            maxQty: String(maxQtyAt(spec.pair, leverage)),
            updateTime: pos?.updateTime ?? 0,
          });
        }
      }
      return { assets, positions };
    },
  },
];
