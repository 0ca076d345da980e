// The simulated market's controls on the admin API: GET /admin/v1/market answers the
// settings in force and whether the market is paused; PUT takes {"paused": bool}, a
// one-off jump of a contract's reference, {"symbol": …, "jumpPct": N}, or a contract's
// settings, {"symbol": …, "maker": {…}, "taker": {…}, "premiumPct": N, "reference": {…}}. The market is
// handed in by whoever starts it, as this interface: api/ does not import market/.

import type { FastifyInstance } from "fastify";
import { findSymbol } from "../domain/symbols.js";
import { AdminError, badRequest, type Handle, jsonBody } from "./admin-body.js";

export interface MarketControl {
  /** The settings in force and `paused`, as JSON. */
  describe(): Record<string, unknown>;
  pause(paused: boolean): void;
  /** Moves the reference of the symbol's pair by `pct` %; false when the market does not trade it. */
  jump(symbol: string, pct: number): boolean;
  /** Changes a contract's settings; false when the market does not trade it; a RangeError says a bad setting. */
  configure(symbol: string, settings: unknown): boolean;
  /** Runs the market's steps (and the venue's scheduled work before each) due by `to`. */
  advance(to: number): Promise<void>;
}

export function registerMarketAdmin(
  app: FastifyInstance,
  handle: Handle,
  market: MarketControl | undefined,
): void {
  const running = (): MarketControl => {
    if (!market)
      throw new AdminError(409, -1130, "No simulated market runs; start the venue with --market sim.");
    return market;
  };

  app.get(
    "/admin/v1/market",
    handle(async () => (market ? { market: "sim", ...market.describe() } : { market: "none" })),
  );

  app.put(
    "/admin/v1/market",
    handle(async (req) => {
      const body = jsonBody(req);
      const control = running();
      if ("paused" in body) {
        if (typeof body.paused !== "boolean") throw badRequest("'paused' must be true or false.");
        control.pause(body.paused);
      } else if ("jumpPct" in body) {
        const spec = typeof body.symbol === "string" ? findSymbol(body.symbol) : undefined;
        if (!spec) throw badRequest("'symbol' must be a listed symbol.");
        const pct = body.jumpPct;
        if (typeof pct !== "number" || !Number.isFinite(pct) || pct <= -100 || Math.abs(pct) > 1000)
          throw badRequest("'jumpPct' must be a number above -100 and at most 1000.");
        if (!control.jump(spec.symbol, pct)) throw badRequest(`The market does not trade ${spec.symbol}.`);
      } else if ("symbol" in body) {
        const spec = typeof body.symbol === "string" ? findSymbol(body.symbol) : undefined;
        if (!spec) throw badRequest("'symbol' must be a listed symbol.");
        const { symbol: _symbol, ...settings } = body;
        let done: boolean;
        try {
          done = control.configure(spec.symbol, settings);
        } catch (error) {
          if (error instanceof RangeError) throw badRequest(`Bad market settings: ${error.message}.`);
          throw error;
        }
        if (!done) throw badRequest(`The market does not trade ${spec.symbol}.`);
      } else
        throw badRequest(
          'Send {"paused": true|false}, {"symbol": …, "jumpPct": N}, or {"symbol": …} with its settings.',
        );
      return { market: "sim", ...control.describe() };
    }),
  );
}
