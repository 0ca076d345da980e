// The HTTP face (fastify). Bodies are taken raw, whatever the Content-Type, because the
// signature is computed over the bytes as sent (and the official connector sends
// `Content-Type: application/json` with an empty body). Only form bodies carry
// parameters. Every answer that is not a success is a Binance error body: VenueErrors
// map to their status; fastify's own client errors (oversized body, bad header) become
// 4xx with a Binance code; anything unexpected is logged with its stack and answered
// -1000 without internals.

import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { ERRORS, VenueError } from "../domain/errors.js";
import type { Venue } from "../venue/venue.js";
import { registerAdmin } from "./admin.js";
import { checkSigned, requireApiKey } from "./auth.js";
import { parseParams } from "./params.js";
import {
  DEFAULT_RATE_LIMITS,
  RateLimitError,
  RateLimiter,
  type RateLimitSettings,
  weightPool,
} from "./rate-limits.js";
import { ParamReader } from "./read-params.js";
import type { Route } from "./route.js";
import { accountRoutes } from "./routes/account.js";
import { cmAccountRoutes } from "./routes/cm-account.js";
import { cmOrderRoutes } from "./routes/cm-orders.js";
import { marketRoutes } from "./routes/market.js";
import { publicRoutes } from "./routes/public.js";
import { rateLimitRoutes } from "./routes/rate-limit.js";

export interface ServerOptions {
  readonly venue: Venue;
  /** Admin API is served only when a token is set. */
  readonly adminToken?: string | undefined;
  readonly now?: () => number;
  /** A pino logger; none logs nothing. */
  readonly logger?: FastifyBaseLogger;
  readonly bodyLimit?: number;
  readonly rateLimits?: RateLimitSettings;
  /** Routes served beside the venue's own (the user-data stream's listenKey calls). */
  readonly routes?: readonly Route[];
}

const USED_WEIGHT = "X-MBX-USED-WEIGHT-1M";
const ORDER_COUNT = "X-MBX-ORDER-COUNT-1M";

export const ROUTES: readonly Route[] = [
  ...publicRoutes,
  ...marketRoutes,
  ...cmOrderRoutes,
  ...accountRoutes,
  ...cmAccountRoutes,
  ...rateLimitRoutes,
];

const unknownError = () => ({ code: ERRORS.UNKNOWN.code, msg: ERRORS.UNKNOWN.msg });

function isFormBody(req: FastifyRequest): boolean {
  const type = req.headers["content-type"];
  return typeof type === "string" && type.toLowerCase().startsWith("application/x-www-form-urlencoded");
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { venue } = options;
  const now = options.now ?? Date.now;
  const limiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // Binance answers 404 for /path/ too: no slash or case folding.
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: false },
    return503OnClosing: true,
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: unknown, req, reply) => {
    if (error instanceof RateLimitError) reply.header("Retry-After", String(error.retryAfterSeconds));
    if (error instanceof VenueError) return reply.code(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return reply.code(status).send({ code: -1100, msg: "Illegal characters found in a parameter." });
    }
    req.log.error({ err: error }, "unexpected error");
    return reply.code(500).send(unknownError());
  });

  // Binance's own test venues answer an unknown path or method this way (production sends an HTML page).
  app.setNotFoundHandler((req, reply) => {
    const pathName = (req.raw.url ?? "").split("?")[0] ?? "";
    reply.header(USED_WEIGHT, String(limiter.used(req.ip, weightPool(pathName), now())));
    return reply.code(404).send(new VenueError("PATH_INVALID", pathName, req.method).toJSON());
  });

  for (const route of [...ROUTES, ...(options.routes ?? [])]) {
    const pool = weightPool(route.url);
    app.route({
      method: route.method,
      url: route.url,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const url = req.raw.url ?? "";
        const q = url.indexOf("?");
        const rawQuery = q < 0 ? "" : url.slice(q + 1);
        const rawBody = isFormBody(req) && typeof req.body === "string" ? req.body : "";
        const params = parseParams(rawQuery, rawBody);
        const reader = new ParamReader(params.values);
        const at = now();
        const weight = typeof route.weight === "number" ? route.weight : route.weight(reader);
        try {
          limiter.chargeIp(req.ip, pool, weight, at);
        } finally {
          reply.header(USED_WEIGHT, String(limiter.used(req.ip, pool, at)));
        }
        let accountId = 0;
        if (route.security !== "NONE") {
          const key = requireApiKey(req.headers["x-mbx-apikey"], (k) => venue.apiKey(k), req.ip);
          if (route.security === "SIGNED") checkSigned(key, params, at);
          accountId = key.accountId;
          if (route.order) {
            try {
              limiter.chargeOrder(accountId, at);
            } finally {
              reply.header(ORDER_COUNT, String(limiter.orderCount(accountId, at)));
            }
          }
        }
        const body = await route.handler({
          params: reader,
          accountId,
          now: at,
          venue,
          limits: limiter.settings,
        });
        return reply.code(200).send(body);
      },
    });
  }

  if (options.adminToken) registerAdmin(app, venue, options.adminToken, now);
  return app;
}
