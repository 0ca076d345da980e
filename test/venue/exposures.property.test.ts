// The running totals of open orders against the simple model they replaced: over random
// sequences of orders opened, partly filled, amended and closed, every total, the
// order count, the closing contracts and the margin the risk code derives from them
// equal what walking every open order of the account gives, and so do the views with
// one order left out and one added that the margin check of a place or modify uses.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { initialMarginUnits } from "../../src/domain/margin.js";
import type { Order, PositionSide, Side } from "../../src/domain/order.js";
import { findSymbol, type SymbolSpec } from "../../src/domain/symbols.js";
import type { HeldPosition } from "../../src/venue/accounts.js";
import { Exposures, exposureOf, notionalOf, type OrderExposure } from "../../src/venue/exposures.js";
import { riskBySymbol, type SymbolRisk } from "../../src/venue/risk.js";

const SYMBOLS = ["BTCUSD_PERP", "ETHUSD_PERP"] as const;
const POSITION_SIDES: readonly PositionSide[] = ["BOTH", "LONG", "SHORT"];
const ACCOUNTS = [1, 2] as const;
const LEVERAGE = 7;

const spec = (symbol: string): SymbolSpec => findSymbol(symbol)!;

// ---- the model: every open order, oldest first, walked each time ----

/** Initial margin of the orders beyond the first `closable` contracts, walked oldest first. */
function walkedReserve(s: SymbolSpec, orders: readonly OrderExposure[], closable: number): bigint {
  let free = closable;
  let total = 0n;
  for (const o of orders) {
    const netted = Math.min(free, o.qty);
    free -= netted;
    total += notionalOf(s, o.qty - netted, o.price);
  }
  return initialMarginUnits(total, LEVERAGE);
}

/** Open-order margin per `symbol|positionSide`, from the flat list of exposures. */
function walkedOrderMargin(
  orders: readonly OrderExposure[],
  amounts: ReadonlyMap<string, number>,
): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const keys = new Set(orders.map((o) => `${o.symbol}|${o.positionSide}`));
  for (const key of keys) {
    const [symbol, positionSide] = key.split("|") as [string, PositionSide];
    const amount = amounts.get(key) ?? 0;
    let closableBuys = 0;
    let closableSells = 0;
    if (positionSide === "BOTH") {
      if (amount > 0) closableSells = amount;
      else closableBuys = -amount;
    } else if (positionSide === "LONG") closableSells = Number.MAX_SAFE_INTEGER;
    else closableBuys = Number.MAX_SAFE_INTEGER;
    const mine = orders.filter((o) => `${o.symbol}|${o.positionSide}` === key);
    const side = (s: Side) => mine.filter((o) => o.side === s);
    out.set(
      key,
      walkedReserve(spec(symbol), side("BUY"), closableBuys) +
        walkedReserve(spec(symbol), side("SELL"), closableSells),
    );
  }
  return out;
}

function orderMarginOf(risk: ReadonlyMap<string, SymbolRisk>): Map<string, bigint> {
  return new Map([...risk].map(([key, r]) => [key, r.openOrderInitialMargin]));
}

function positions(amounts: ReadonlyMap<string, number>): HeldPosition[] {
  return [...amounts].map(([key, amount]) => {
    const [symbol, positionSide] = key.split("|") as [string, PositionSide];
    return { symbol, positionSide, amount, entryAcc: 0n, realized: 0n, updateTime: 0 };
  });
}

// ---- commands ----

const open = fc.record({
  kind: fc.constant("open" as const),
  account: fc.constantFrom(...ACCOUNTS),
  symbol: fc.constantFrom(...SYMBOLS),
  positionSide: fc.constantFrom(...POSITION_SIDES),
  side: fc.constantFrom<Side>("BUY", "SELL"),
  price: fc.integer({ min: 1_000, max: 400_000 }),
  qty: fc.integer({ min: 1, max: 40 }),
  reduceOnly: fc.boolean(),
});
const pick = fc.nat({ max: 1_000 });
const command = fc.oneof(
  open,
  open,
  fc.record({
    kind: fc.constant("fill" as const),
    pick,
    share: fc.double({ min: 0, max: 0.99, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant("amend" as const),
    pick,
    price: fc.integer({ min: 1_000, max: 400_000 }),
    extra: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({ kind: fc.constant("close" as const), pick }),
);
const amountsArb = fc.dictionary(
  fc.constantFrom(...SYMBOLS.flatMap((s) => POSITION_SIDES.map((p) => `${s}|${p}`))),
  fc.integer({ min: -60, max: 60 }),
);

describe("running totals of open orders", () => {
  it("agree with walking every open order, through opens, fills, amends and closes", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 80 }), amountsArb, (commands, amountRecord) => {
        const amounts = new Map(Object.entries(amountRecord));
        const exposures = new Exposures();
        const model: Order[] = [];
        let nextId = 1;
        for (const c of commands) {
          if (c.kind === "open") {
            const order: Order = {
              id: nextId++,
              accountId: c.account,
              symbol: c.symbol,
              side: c.side,
              type: "LIMIT",
              timeInForce: "GTC",
              price: c.price,
              origQty: c.qty,
              executedQty: 0,
              baseAcc: 0n,
              status: "NEW",
              clientOrderId: `c${nextId}`,
              reduceOnly: c.reduceOnly,
              positionSide: c.positionSide,
              time: 0,
              updateTime: 0,
              seq: nextId,
              priceMatch: undefined,
              placedBy: undefined,
              prev: null,
              next: null,
            };
            model.push(order);
            exposures.track(order);
            continue;
          }
          if (model.length === 0) continue;
          const order = model[c.pick % model.length]!;
          if (c.kind === "fill") {
            order.executedQty += Math.floor((order.origQty - order.executedQty) * c.share);
            exposures.track(order);
          } else if (c.kind === "amend") {
            order.price = c.price;
            order.origQty = order.executedQty + 1 + c.extra;
            exposures.track(order);
          } else {
            model.splice(model.indexOf(order), 1);
            exposures.untrack(order);
          }
        }
        for (const account of ACCOUNTS) {
          const mine = model.filter((o) => o.accountId === account);
          for (const symbol of SYMBOLS) {
            expect(exposures.count(account, symbol)).toBe(mine.filter((o) => o.symbol === symbol).length);
            for (const positionSide of POSITION_SIDES) {
              for (const side of ["BUY", "SELL"] as const) {
                const group = mine.filter(
                  (o) => o.symbol === symbol && o.positionSide === positionSide && o.side === side,
                );
                const closing = group.filter((o) => positionSide !== "BOTH" || o.reduceOnly);
                expect(exposures.closing(account, symbol, positionSide, side)).toBe(
                  closing.reduce((n, o) => n + o.origQty - o.executedQty, 0),
                );
              }
            }
          }
          const sources = (orders: ReturnType<Exposures["of"]>) => ({
            symbol: spec,
            mark: () => undefined,
            leverage: () => LEVERAGE,
            positions: positions(amounts),
            orders,
          });
          const flat = mine.map(exposureOf);
          expect(orderMarginOf(riskBySymbol(sources(exposures.of(account))))).toEqual(
            new Map([...positionKeys(amounts), ...walkedOrderMargin(flat, amounts)]),
          );
          // A modify: its order left out, its new version added last; a place: added last.
          const amended = mine[0];
          if (amended) {
            const next: OrderExposure = {
              ...exposureOf(amended),
              qty: amended.origQty + 3,
              price: amended.price + 1,
            };
            const others = flat.filter((_, i) => i !== 0);
            expect(
              orderMarginOf(riskBySymbol(sources(exposures.changed(account, amended, undefined)))),
            ).toEqual(new Map([...positionKeys(amounts), ...walkedOrderMargin(others, amounts)]));
            expect(orderMarginOf(riskBySymbol(sources(exposures.changed(account, amended, next))))).toEqual(
              new Map([...positionKeys(amounts), ...walkedOrderMargin([...others, next], amounts)]),
            );
          }
          const placed: OrderExposure = {
            symbol: "ETHUSD_PERP",
            side: "SELL",
            positionSide: "BOTH",
            qty: 5,
            price: 20_000,
          };
          expect(orderMarginOf(riskBySymbol(sources(exposures.changed(account, undefined, placed))))).toEqual(
            new Map([...positionKeys(amounts), ...walkedOrderMargin([...flat, placed], amounts)]),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Keys with a non-zero position: riskBySymbol lists them with no order margin. */
function positionKeys(amounts: ReadonlyMap<string, number>): Array<[string, bigint]> {
  return [...amounts].filter(([, amount]) => amount !== 0).map(([key]) => [key, 0n]);
}
