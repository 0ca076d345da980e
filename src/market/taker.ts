// The takers on one contract: market orders arriving as a Poisson process (or a Hawkes
// process, each arrival raising the rate for a while, when `excitation` is set), sizes drawn
// from a geometric distribution, each side equally likely while the takers are flat and
// leaning towards flattening as their net position grows, so they neither run away nor
// stop the last price from following the reference. They take whatever rests at the
// best prices, a bot's orders as much as the maker's.

import type { Random } from "../domain/random.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { Venue } from "../venue/venue.js";
import type { TakerSettings } from "./settings.js";

export class Takers {
  private sequence = 0;

  constructor(
    private readonly venue: Venue,
    private readonly accountId: number,
    private readonly spec: SymbolSpec,
    private settings: TakerSettings,
    private readonly random: Random,
  ) {}

  configure(settings: TakerSettings): void {
    this.settings = settings;
  }

  /** The rate arrivals have added above the base rate, a minute (Hawkes; 0 for Poisson). */
  private excited = 0;

  /** The arrivals of one step of `ms` milliseconds, each a market order at `now`. */
  async arrive(ms: number, now: number): Promise<void> {
    const s = this.settings;
    const count = this.random.poisson(((s.perMinute + this.excited) * ms) / 60_000);
    this.excited = this.excited * 0.5 ** (ms / s.excitationHalfLifeMs) + count * s.excitation;
    if (count === 0) return;
    let inventory = await this.venue.netPosition(this.accountId, this.spec.symbol);
    for (let i = 0; i < count; i++) {
      const lean = Math.tanh(inventory / s.maxInventory);
      const side = this.random.uniform() < 0.5 - 0.4 * lean ? "BUY" : "SELL";
      const quantity = Math.min(this.random.size(s.meanSize), this.spec.marketLot.max);
      const placed = await this.venue
        .place({
          accountId: this.accountId,
          symbol: this.spec,
          side,
          type: "MARKET",
          timeInForce: "GTC",
          price: 0,
          quantity,
          clientOrderId: `tk-${now.toString(36)}-${(this.sequence++ % 1e6).toString(36)}`,
          reduceOnly: undefined,
          positionSide: undefined,
          respType: "RESULT",
          now,
        })
        // An order the book cannot take (nothing resting on that side) is simply not filled.
        .catch(() => undefined);
      if (placed) inventory += side === "BUY" ? placed.executedQty : -placed.executedQty;
    }
  }
}
