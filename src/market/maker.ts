// A market maker on one contract: a ladder of limit orders, the best bid and ask a half
// spread either side of the reference and the levels behind them on a grid of
// `stepTicks`, leaning away from its inventory. Each refresh reads its open
// orders and changes only what differs: orders off the ladder are cancelled first (so
// the new ladder never meets the old), then missing levels are placed, and a level that
// takers have eaten below half its size is placed again, behind whoever waits there.

import type { Side } from "../domain/order.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { Venue } from "../venue/venue.js";
import type { MakerSettings } from "./settings.js";

export class Maker {
  private sequence = 0;

  constructor(
    private readonly venue: Venue,
    private readonly accountId: number,
    private readonly spec: SymbolSpec,
    private settings: MakerSettings,
  ) {}

  configure(settings: MakerSettings): void {
    this.settings = settings;
  }

  /**
   * The ladder for a reference price in ticks: the best bid and ask `halfSpreadTicks`
   * either side of the (leaning) reference, the levels behind them on the grid of
   * `stepTicks`, so that a moving reference replaces the best levels and only the grid
   * levels it crosses. Price → contracts, by side.
   */
  ladder(referenceTicks: number, inventory: number): { BUY: Map<number, number>; SELL: Map<number, number> } {
    const s = this.settings;
    const lean = Math.max(-1, Math.min(1, inventory / s.maxInventory)) * s.skewTicks;
    const center = referenceTicks - lean;
    const step = s.stepTicks;
    const bestBid = Math.round(center - s.halfSpreadTicks);
    const bestAsk = Math.max(bestBid + 1, Math.round(center + s.halfSpreadTicks));
    const size = (i: number) => Math.max(1, Math.round(s.size * (1 + s.sizeGrowth * i)));
    const out = { BUY: new Map<number, number>(), SELL: new Map<number, number>() };
    const floor = Math.max(1, this.spec.minPriceTicks);
    if (bestBid >= floor) out.BUY.set(bestBid, size(0));
    out.SELL.set(bestAsk, size(0));
    const firstBid = Math.floor((bestBid - 1) / step) * step;
    const firstAsk = Math.ceil((bestAsk + 1) / step) * step;
    for (let i = 1; i < s.levels; i++) {
      const bid = firstBid - (i - 1) * step;
      if (bid >= floor) out.BUY.set(bid, size(i));
      out.SELL.set(firstAsk + (i - 1) * step, size(i));
    }
    return out;
  }

  async refresh(referenceTicks: number, now: number): Promise<void> {
    const inventory = await this.venue.netPosition(this.accountId, this.spec.symbol);
    const target = this.ladder(referenceTicks, inventory);
    const open = await this.venue.openOrders(this.accountId, [this.spec.symbol]);
    const kept = { BUY: new Set<number>(), SELL: new Set<number>() };
    for (const order of open) {
      const want = target[order.side].get(order.price);
      const left = order.origQty - order.executedQty;
      if (want !== undefined && !kept[order.side].has(order.price) && left * 2 >= want) {
        kept[order.side].add(order.price);
        continue;
      }
      await this.venue
        .cancel({ accountId: this.accountId, symbol: this.spec, ref: { orderId: order.id }, now })
        .catch(() => {});
    }
    // Best levels first: the ones takers meet.
    for (const side of ["BUY", "SELL"] as const) {
      const prices = [...target[side].keys()].sort((a, b) => (side === "BUY" ? b - a : a - b));
      for (const price of prices) {
        if (kept[side].has(price)) continue;
        await this.place(side, price, target[side].get(price)!, now);
      }
    }
  }

  private place(side: Side, price: number, quantity: number, now: number): Promise<unknown> {
    return this.venue
      .place({
        accountId: this.accountId,
        symbol: this.spec,
        side,
        type: "LIMIT",
        timeInForce: "GTC",
        price,
        quantity,
        clientOrderId: `mm-${now.toString(36)}-${(this.sequence++ % 1e6).toString(36)}`,
        reduceOnly: undefined,
        positionSide: undefined,
        respType: "ACK",
        now,
      })
      .catch(() => {
        // A quote the filters refuse (a price outside PERCENT_PRICE after a jump) waits for the next refresh.
      });
  }
}
