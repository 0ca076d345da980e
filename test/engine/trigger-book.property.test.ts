// The trigger book against its naive model: over random arms, cancels and price moves
// on two symbols and both working prices, both fire the same triggers in the same order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReferenceTriggers } from "../../src/engine/reference-triggers.js";
import { type Trigger, TriggerBook } from "../../src/engine/trigger-book.js";

const symbol = fc.constantFrom("BTCUSD_PERP", "ETHUSD_PERP");
const working = fc.constantFrom("MARK_PRICE" as const, "CONTRACT_PRICE" as const);
const price = fc.integer({ min: 90, max: 110 });

const command = fc.oneof(
  fc.record({
    kind: fc.constant("arm" as const),
    symbol,
    working,
    stop: price,
    direction: fc.constantFrom("RISE" as const, "FALL" as const),
  }),
  fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("move" as const), symbol, working, price }),
);

describe("the trigger book", () => {
  it("fires what the naive model fires, in the same order, over any commands", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 200 }), (commands) => {
        const book = new TriggerBook();
        const model = new ReferenceTriggers();
        const armed: number[] = [];
        let next = 1;
        for (const c of commands) {
          if (c.kind === "arm") {
            const t: Trigger = {
              id: next,
              symbol: c.symbol,
              working: c.working,
              stop: c.stop,
              direction: c.direction,
              seq: next,
            };
            next++;
            book.arm(t);
            model.arm(t);
            armed.push(t.id);
          } else if (c.kind === "cancel") {
            const id = armed.length === 0 ? 0 : armed[c.pick % armed.length]!;
            expect(book.cancel(id)).toEqual(model.cancel(id));
          } else {
            expect(book.move(c.symbol, c.working, c.price).map((t) => t.id)).toEqual(
              model.move(c.symbol, c.working, c.price).map((t) => t.id),
            );
          }
          expect(book.size).toBe(model.size);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fires rising stops lowest first and falling ones highest first, the earlier armed first on a tie", () => {
    const book = new TriggerBook();
    const arm = (id: number, stop: number, direction: "RISE" | "FALL") =>
      book.arm({ id, symbol: "BTCUSD_PERP", working: "MARK_PRICE", stop, direction, seq: id });
    arm(1, 105, "RISE");
    arm(2, 101, "RISE");
    arm(3, 101, "RISE");
    arm(4, 120, "RISE");
    expect(book.move("BTCUSD_PERP", "MARK_PRICE", 106).map((t) => t.id)).toEqual([2, 3, 1]);
    arm(5, 95, "FALL");
    arm(6, 99, "FALL");
    expect(book.move("BTCUSD_PERP", "MARK_PRICE", 94).map((t) => t.id)).toEqual([6, 5]);
    expect(book.move("BTCUSD_PERP", "CONTRACT_PRICE", 200)).toEqual([]);
    expect(book.size).toBe(1);
  });
});
