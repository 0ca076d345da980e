// The HTTP face (fastify). Bodies are taken raw, whatever the Content-Type, because the
// signature is computed over the bytes as sent (and the official connector sends
// `Content-Type: application/json` with an empty body). Only form bodies carry
// parameters. Every answer that is not a success is a Binance error body: VenueErrors
// map to their status; what Node's parser or fastify refuse before a route runs
// (malformed requests, oversized URL, headers or body, requests too slow to arrive)
// becomes a 4xx with a Binance code, since clients parse every error body as JSON;
// anything unexpected is logged with its stack and answered -1000 without internals.
// While the server closes, requests that had not started are refused with -1001 and
// every answer closes its connection, so a shutdown is not held up by keep-alive.

import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { ERRORS, VenueError } from "../domain/errors.js";
import type { Venue } from "../venue/venue.js";
import { registerAdmin } from "./admin.js";
import { adminHandle } from "./admin-body.js";
import type { ClockControl } from "./admin-clock.js";
import { registerFaultAdmin } from "./admin-faults.js";
import type { MarketControl } from "./admin-market.js";
import { checkSigned, requireApiKey } from "./auth.js";
import { registerConsole } from "./console.js";
import { answerFaulted } from "./fault-answers.js";
import type { Faults } from "./faults.js";
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
import { basisRoutes } from "./routes/basis.js";
import { cmAccountRoutes } from "./routes/cm-account.js";
import { cmConditionalRoutes } from "./routes/cm-conditional.js";
import { cmOrderRoutes } from "./routes/cm-orders.js";
import { incomeRoutes } from "./routes/income.js";
import { klineRoutes } from "./routes/klines.js";
import { liquidationRoutes } from "./routes/liquidation.js";
import { marketRoutes } from "./routes/market.js";
import { marketStatsRoutes } from "./routes/market-stats.js";
import { pairStatsRoutes } from "./routes/pair-stats.js";
import { priceKlineRoutes } from "./routes/price-klines.js";
import { publicRoutes } from "./routes/public.js";
import { rateLimitRoutes } from "./routes/rate-limit.js";
import { tradeRoutes } from "./routes/trades.js";

export interface ServerOptions {
  readonly venue: Venue;
  /** Admin API is served only when a token is set. */
  readonly adminToken?: string | undefined;
  readonly now?: () => number;
  /** A pino logger; none logs nothing. */
  readonly logger?: FastifyBaseLogger;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
  /** Longest request URL (path and query string) accepted, in bytes. */
  readonly maxUrlLength?: number;
  /** Largest request line plus headers accepted, in bytes. */
  readonly maxHeaderSize?: number;
  /** A request (headers and body) must arrive in full within this time. */
  readonly requestTimeoutMs?: number;
  readonly rateLimits?: RateLimitSettings;
  /** Routes served beside the venue's own (the user-data stream's listenKey calls). */
  readonly routes?: readonly Route[];
  /** The simulated market, when one runs: its controls on the admin API. */
  readonly market?: MarketControl | undefined;
  /** The venue clock's controls on the admin API. */
  readonly clock?: ClockControl | undefined;
  /** The admin's injected faults: consulted by every route, set through the admin API. */
  readonly faults?: Faults | undefined;
}

/**
 * Request size and time limits. A signed request of any served endpoint is well under a
 * kilobyte; the limits only stop a client from holding memory or a connection hostage.
 */
export const REQUEST_LIMITS = {
  bodyBytes: 64 * 1024,
  urlBytes: 8 * 1024,
  headerBytes: 16 * 1024,
  requestTimeoutMs: 30_000,
} as const;

const USED_WEIGHT = "X-MBX-USED-WEIGHT-1M";
const ORDER_COUNT = "X-MBX-ORDER-COUNT-1M";

export const ROUTES: readonly Route[] = [
  ...publicRoutes,
  ...marketRoutes,
  ...tradeRoutes,
  ...klineRoutes,
  ...incomeRoutes,
  ...cmConditionalRoutes,
  ...basisRoutes,
  ...liquidationRoutes,
  ...priceKlineRoutes,
  ...marketStatsRoutes,
  ...pairStatsRoutes,
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

/** Answers on a raw socket, for errors Node's parser raises before there is a request object. */
function writeRawError(socket: Socket, error: VenueError): void {
  const body = JSON.stringify(error.toJSON());
  socket.write(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { venue } = options;
  const now = options.now ?? Date.now;
  const limiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  const bodyLimit = options.bodyLimit ?? REQUEST_LIMITS.bodyBytes;
  const maxUrlLength = options.maxUrlLength ?? REQUEST_LIMITS.urlBytes;
  const maxHeaderSize = options.maxHeaderSize ?? REQUEST_LIMITS.headerBytes;
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_LIMITS.requestTimeoutMs;
  let closing = false;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // The venue logs its own errors only (requests log at info, below the venue's level):
    // a per-request child logger (built by default, with its bindings serialized) would
    // be made for nothing.
    childLoggerFactory: (logger) => logger,
    bodyLimit,
    // Node checks the timeouts on this interval: a fraction of the timeout keeps them honest.
    http: {
      maxHeaderSize,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(requestTimeoutMs / 4))),
    },
    requestTimeout: requestTimeoutMs,
    // Binance answers 404 for /path/ too: no slash or case folding.
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: false },
    // fastify's own 503 body is not Binance's; the onRequest hook below answers instead.
    return503OnClosing: false,
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (error.code === "ECONNRESET" || socket.destroyed) return;
      const answer =
        error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? new VenueError("REQUEST_TIMEOUT", requestTimeoutMs)
          : error.code === "HPE_HEADER_OVERFLOW"
            ? new VenueError("HEADERS_TOO_LARGE", maxHeaderSize)
            : new VenueError("MALFORMED_REQUEST");
      if (socket.writable) writeRawError(socket, answer);
      socket.destroy();
    },
    // A path with broken percent-encoding (or an over-long route parameter) names no route.
    frameworkErrors: (_error, req, reply) => {
      const pathName = (req.raw.url ?? "").split("?")[0] ?? "";
      void (reply as FastifyReply)
        .code(404)
        .send(new VenueError("PATH_INVALID", pathName, req.method).toJSON());
    },
  });

  // Node answers any Expect but 100-continue with an empty 417 unless someone listens.
  app.server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) => {
    const error = new VenueError("EXPECTATION_FAILED");
    res.writeHead(error.status, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify(error.toJSON()));
  });
  // CONNECT never reaches a route: without a listener Node drops the socket unanswered.
  app.server.on("connect", (req: IncomingMessage, socket: Socket) => {
    socket.on("error", () => socket.destroy());
    const pathName = (req.url ?? "").split("?")[0] ?? "";
    writeRawError(socket, new VenueError("PATH_INVALID", pathName, "CONNECT"));
    socket.destroy();
  });
  app.addHook("preClose", async () => {
    closing = true;
  });
  // Callback hooks, not async ones: an async hook costs every request a promise and a
  // tick. A hook that answers sends and does not call done.
  app.addHook("onRequest", (req, reply, done) => {
    if (closing) {
      reply.code(503).send(new VenueError("DISCONNECTED").toJSON());
      return;
    }
    if ((req.raw.url ?? "").length > maxUrlLength) {
      reply.code(414).send(new VenueError("URL_TOO_LONG", maxUrlLength).toJSON());
      return;
    }
    done();
  });
  app.addHook("onSend", (_req, reply, payload, done) => {
    if (closing) reply.header("Connection", "close");
    done(null, payload);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: unknown, req, reply) => {
    if (error instanceof RateLimitError) reply.header("Retry-After", String(error.retryAfterSeconds));
    if (error instanceof VenueError) return reply.code(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) {
      const tooLarge = new VenueError("BODY_TOO_LARGE", bodyLimit);
      return reply.code(tooLarge.status).send(tooLarge.toJSON());
    }
    if (typeof status === "number" && status >= 400 && status < 500) {
      return reply.code(400).send(new VenueError("MALFORMED_REQUEST").toJSON());
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
          // An account the admin skewed is checked as if the venue clock were that far off.
          if (route.security === "SIGNED") checkSigned(key, params, at + venue.clockSkew(key.accountId));
          accountId = key.accountId;
          if (route.order) {
            try {
              limiter.chargeOrder(accountId, at);
            } finally {
              reply.header(ORDER_COUNT, String(limiter.orderCount(accountId, at)));
            }
          }
        }
        const run = async () =>
          route.handler({
            params: reader,
            accountId,
            now: at,
            venue,
            limits: limiter.settings,
          });
        const fault = options.faults?.hit(route.method, route.url, accountId);
        if (fault) return answerFaulted(fault, req, reply, run, accountId, limiter.settings.ipWeightLimit);
        return reply.code(200).send(await run());
      },
    });
  }

  registerConsole(app);
  if (options.adminToken) {
    registerAdmin(app, venue, options.adminToken, now, options.market, options.clock);
    if (options.faults) {
      const served = new Set([...ROUTES, ...(options.routes ?? [])].map((r) => `${r.method} ${r.url}`));
      registerFaultAdmin(app, adminHandle(options.adminToken), options.faults, (method, path) =>
        served.has(`${method} ${path}`),
      );
    }
  }
  return app;
}
