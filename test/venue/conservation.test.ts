// Money is conserved: over random order sequences between accounts, the coin in every
// wallet plus the fees the venue collected plus the unrealized PnL of every position
// (all at one mark) stays what was deposited. Each realization and each valuation rounds
// once to 10^-8, so the books may drift by at most one unit per rounding, never more.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { VenueError } from "../../src/domain/errors.js";
import { unrealizedUnits } from "../../src/domain/inverse.js";
import { findSymbol } from "../../src/domain/symbols.js";
import { Harness, T0 } from "../support/harness.js";

const BTC = findSymbol("BTCUSD_PERP")!;
const MARK = 300_000; // 30000.0 in ticks

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const command = fc.oneof(
  fc.record({
    kind: fc.constant("place" as const),
    account: fc.integer({ min: 0, max: 2 }),
    side: fc.constantFrom("BUY" as const, "SELL" as const),
    price: fc.integer({ min: MARK - 500, max: MARK + 500 }),
    qty: fc.integer({ min: 1, max: 8 }),
    tif: fc.constantFrom("GTC" as const, "IOC" as const),
  }),
  fc.record({ kind: fc.constant("cancelAll" as const), account: fc.integer({ min: 0, max: 2 }) }),
);

describe("conservation of coin", () => {
  it("keeps Σ wallet + Σ fees + Σ unrealized equal to the deposits, within one unit per rounding", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 60 }), async (commands) => {
        h = await Harness.start();
        const venue = h.venue;
        const ids: number[] = [];
        for (let i = 0; i < 3; i++) ids.push((await h.account({ BTC: "10" })).accountId);
        await venue.setMarkPrice(BTC.symbol, MARK, h.clock);
        let fees = 0n;
        let roundings = 0;
        venue.subscribe((events) => {
          for (const e of events) {
            if (e.kind === "order" && e.fill) {
              fees += e.fill.commission;
              if (e.fill.realizedPnl !== 0n) roundings++;
            }
          }
        });
        for (const c of commands) {
          const accountId = ids[c.account]!;
          try {
            if (c.kind === "place") {
              await venue.place({
                accountId,
                symbol: BTC,
                side: c.side,
                type: "LIMIT",
                timeInForce: c.tif,
                price: c.price,
                quantity: c.qty,
                reduceOnly: undefined,
                positionSide: undefined,
                respType: "RESULT",
                now: T0,
              });
            } else await venue.cancelAll(accountId, BTC, T0);
          } catch (error) {
            if (!(error instanceof VenueError)) throw error;
          }
        }
        let total = fees;
        let positions = 0;
        for (const accountId of ids) {
          const state = await venue.accountState(accountId);
          total += state.balances.get("BTC")?.units ?? 0n;
          for (const p of state.positions.values()) {
            if (p.amount !== 0) positions++;
            total += unrealizedUnits(BTC, p.amount, p.entryAcc, MARK);
          }
        }
        const deposited = 3n * 10n * 10n ** 8n;
        const drift = total > deposited ? total - deposited : deposited - total;
        expect(drift <= BigInt(roundings + positions)).toBe(true);
        await h.close();
        h = undefined;
      }),
      { numRuns: 25, seed: 20261125 },
    );
  });
});
