// Injected faults on the admin API (faults.ts holds them, fault-answers.ts answers them):
// POST /admin/v1/faults adds one and answers {"faultId"}; GET lists them with how often
// each hit; DELETE /admin/v1/faults/{faultId} lifts one, DELETE /admin/v1/faults all.
//
// A request fault: {"method", "path", "accountId"?, "effect", "count"?, "probability"?,
// "delayMs"? (delay), "executed" (drop)}. A stream fault: {"stream": "user"|"market",
// "accountId"? (user), "effect": "disconnect"|"pause", "count"? (disconnect),
// "delayMs"? (pause)}.

import type { FastifyInstance } from "fastify";
import { AdminError, badRequest, type Handle, jsonBody } from "./admin-body.js";
import {
  type Faults,
  REQUEST_EFFECTS,
  type RequestEffect,
  STREAM_EFFECTS,
  type StreamEffect,
} from "./faults.js";

const METHODS = ["GET", "POST", "PUT", "DELETE"];
/** The longest an answer is held or a stream paused: ten minutes of wall time. */
const MAX_DELAY_MS = 600_000;
const REQUEST_FIELDS = [
  "method",
  "path",
  "accountId",
  "effect",
  "count",
  "probability",
  "delayMs",
  "executed",
];
const STREAM_FIELDS = ["stream", "accountId", "effect", "count", "delayMs"];

function positive(
  body: Record<string, unknown>,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > max)
    throw badRequest(`'${name}' must be an integer from 1 to ${max}.`);
  return value;
}

function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(body).find((k) => !allowed.includes(k));
  if (extra !== undefined) throw badRequest(`Unknown field '${extra}'; a fault takes ${allowed.join(", ")}.`);
}

export function registerFaultAdmin(
  app: FastifyInstance,
  handle: Handle,
  faults: Faults,
  served: (method: string, path: string) => boolean,
): void {
  app.post(
    "/admin/v1/faults",
    handle(async (req) => {
      const body = jsonBody(req);
      const accountId = positive(body, "accountId");
      if ("stream" in body) {
        onlyFields(body, STREAM_FIELDS);
        const { stream, effect } = body;
        if (stream !== "user" && stream !== "market") throw badRequest("'stream' must be user or market.");
        if (!STREAM_EFFECTS.includes(effect as StreamEffect))
          throw badRequest(`'effect' of a stream fault must be one of ${STREAM_EFFECTS.join(", ")}.`);
        if (stream === "market" && accountId !== undefined)
          throw badRequest("A market-stream fault takes no 'accountId': its streams are nobody's.");
        const count = positive(body, "count");
        const delayMs = positive(body, "delayMs", MAX_DELAY_MS);
        if (effect === "pause" && count !== undefined) throw badRequest("'count' is for disconnect.");
        if (effect === "disconnect" && delayMs !== undefined) throw badRequest("'delayMs' is for pause.");
        const fault = faults.addStream({ stream, accountId, effect: effect as StreamEffect, count, delayMs });
        return { faultId: fault.faultId };
      }
      onlyFields(body, REQUEST_FIELDS);
      const { method, path, effect, probability, executed } = body;
      if (typeof method !== "string" || !METHODS.includes(method))
        throw badRequest(`'method' must be one of ${METHODS.join(", ")}.`);
      if (typeof path !== "string" || !served(method, path))
        throw badRequest(`'path' must be a path the venue serves for ${method}, e.g. /papi/v1/cm/order.`);
      if (!REQUEST_EFFECTS.includes(effect as RequestEffect))
        throw badRequest(`'effect' must be one of ${REQUEST_EFFECTS.join(", ")}.`);
      if (
        probability !== undefined &&
        (typeof probability !== "number" || !(probability > 0 && probability <= 1))
      )
        throw badRequest("'probability' must be a number above 0 and at most 1.");
      const delayMs = positive(body, "delayMs", MAX_DELAY_MS);
      if ((effect === "delay") !== (delayMs !== undefined))
        throw badRequest("'delayMs' is what a delay waits, and only a delay takes it.");
      if (
        (effect === "drop") !== (executed !== undefined) ||
        (executed !== undefined && typeof executed !== "boolean")
      )
        throw badRequest(
          "'executed' (true or false) says whether a drop runs the command, and only a drop takes it.",
        );
      const fault = faults.addRequest({
        method,
        path,
        accountId,
        effect: effect as RequestEffect,
        count: positive(body, "count"),
        probability: probability as number | undefined,
        delayMs,
        executed: executed as boolean | undefined,
      });
      return { faultId: fault.faultId };
    }),
  );

  app.get(
    "/admin/v1/faults",
    handle(async () => faults.list()),
  );

  app.delete(
    "/admin/v1/faults/:faultId",
    handle(async (req) => {
      const text = (req.params as { faultId?: string }).faultId ?? "";
      const faultId = /^[0-9]{1,15}$/.test(text) ? Number(text) : 0;
      if (!faults.remove(faultId)) throw new AdminError(404, -1130, "Unknown fault.");
      return { faultId };
    }),
  );

  app.delete(
    "/admin/v1/faults",
    handle(async () => {
      const removed = faults.list().length;
      faults.clear();
      return { removed };
    }),
  );
}
