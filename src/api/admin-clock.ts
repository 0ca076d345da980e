// The venue clock on the admin API. GET /admin/v1/clock answers the venue's time, its
// mode and how far it runs ahead of the wall clock; POST takes {"freeze": true|false}
// and {"advanceMs": N} (either or both: the freeze applies first) and answers the same
// once what fell due in between has run, in time order. The clock and what runs when it
// moves are handed in by app.ts, as this interface.

import type { FastifyInstance } from "fastify";
import type { ClockMode } from "../clock/venue-clock.js";
import { badRequest, type Handle, jsonBody } from "./admin-body.js";

/** The longest advance one request takes: a day of the market's steps, each run in turn. */
export const MAX_ADVANCE_MS = 86_400_000;

export interface ClockControl {
  describe(): { serverTime: number; mode: ClockMode; aheadMs: number };
  /** Freezes or resumes the clock, then moves it `advanceMs` forward, running what falls due. */
  change(freeze: boolean | undefined, advanceMs: number): Promise<void>;
}

export function registerClockAdmin(app: FastifyInstance, handle: Handle, clock: ClockControl): void {
  app.get(
    "/admin/v1/clock",
    handle(async () => clock.describe()),
  );

  app.post(
    "/admin/v1/clock",
    handle(async (req) => {
      const body = jsonBody(req);
      const unknown = Object.keys(body).filter((k) => k !== "freeze" && k !== "advanceMs");
      if (unknown.length > 0 || Object.keys(body).length === 0)
        throw badRequest('Send {"advanceMs": N} and/or {"freeze": true|false}.');
      const { freeze, advanceMs = 0 } = body;
      if (freeze !== undefined && typeof freeze !== "boolean")
        throw badRequest("'freeze' must be true or false.");
      if (
        typeof advanceMs !== "number" ||
        !Number.isSafeInteger(advanceMs) ||
        advanceMs < 0 ||
        advanceMs > MAX_ADVANCE_MS
      )
        throw badRequest(`'advanceMs' must be an integer from 0 to ${MAX_ADVANCE_MS}.`);
      await clock.change(freeze, advanceMs);
      return clock.describe();
    }),
  );
}
