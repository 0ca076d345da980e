// Quarterly delivery dates and names, and the contracts listed as time goes on.
import { describe, expect, it } from "vitest";
import { deliveryOf, nextDelivery, previousDelivery, quarterlyName } from "../../src/domain/quarterlies.js";
import { findSymbol, listSymbols, tradingAt } from "../../src/domain/symbols.js";

const D261225 = Date.UTC(2026, 11, 25, 8);
const D270326 = Date.UTC(2027, 2, 26, 8);

describe("quarterly deliveries", () => {
  it("fall on the last Friday of March, June, September and December at 08:00 UTC", () => {
    expect(nextDelivery(Date.UTC(2026, 11, 2))).toBe(D261225);
    expect(nextDelivery(D261225)).toBe(D270326);
    expect(nextDelivery(D270326)).toBe(Date.UTC(2027, 5, 25, 8));
    expect(nextDelivery(Date.UTC(2027, 5, 25, 8))).toBe(Date.UTC(2027, 8, 24, 8));
    expect(previousDelivery(D270326)).toBe(D261225);
  });

  it("name the contract after the day: BTCUSD_270326, and read a name back only on a delivery day", () => {
    expect(quarterlyName("BTCUSD", D270326)).toBe("BTCUSD_270326");
    expect(deliveryOf("BTCUSD_270326")).toEqual({ pair: "BTCUSD", delivery: D270326 });
    expect(deliveryOf("BTCUSD_270327")).toBeUndefined();
    expect(deliveryOf("BTCUSD_270226")).toBeUndefined();
  });
});

describe("the listing over time", () => {
  it("lists BTCUSD_261225 until it delivers, then BTCUSD_270326 from that moment", () => {
    const quarterly = (t: number) =>
      listSymbols(t).find((s) => s.pair === "BTCUSD" && s.contractType !== "PERPETUAL")!;
    expect(quarterly(D261225 - 1).symbol).toBe("BTCUSD_261225");
    const next = quarterly(D261225);
    expect(next.symbol).toBe("BTCUSD_270326");
    expect(next.deliveryDate).toBe(D270326);
    expect(next.onboardDate).toBe(D261225);
    expect(next.contractType).toBe("CURRENT_QUARTER");
    expect(findSymbol("BTCUSD_270326")).toBe(next);
  });

  it("trades a quarterly from its listing until its delivery", () => {
    const next = findSymbol("BTCUSD_270326")!;
    expect(tradingAt(next, D261225 - 1)).toBe(false);
    expect(tradingAt(next, D261225)).toBe(true);
    expect(tradingAt(next, D270326)).toBe(false);
    expect(tradingAt(findSymbol("BTCUSD_261225")!, D261225)).toBe(false);
    expect(findSymbol("BTCUSD_260925")).toBeUndefined();
  });
});
