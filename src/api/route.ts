// What a route is: its path, its IP weight (a number, or a function of the parameters
// for endpoints whose weight depends on them), its security, and a handler that
// returns the response body or throws a VenueError. The server (api/server.ts) turns
// this table into fastify routes with the signed-request checks in front.

import type { VenueError } from "../domain/errors.js";
import type { Venue } from "../venue/venue.js";
import type { Security } from "./auth.js";
import type { RateLimitSettings } from "./rate-limits.js";
import type { ParamReader } from "./read-params.js";

export interface RouteContext {
  readonly params: ParamReader;
  /** Set for SIGNED and USER_STREAM routes. */
  readonly accountId: number;
  readonly now: number;
  readonly venue: Venue;
  readonly limits: RateLimitSettings;
}

export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly url: string;
  readonly weight: number | ((params: ParamReader) => number);
  /** Counts against the account's ORDERS limit. */
  readonly order?: boolean;
  readonly security: Security;
  readonly handler: (ctx: RouteContext) => Promise<unknown> | unknown;
}

export type { VenueError };
