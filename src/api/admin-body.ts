// What every admin route shares: its errors (an HTTP status with a Binance-style code and
// message) and reading its JSON body.

import type { FastifyRequest } from "fastify";

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (msg: string) => new AdminError(400, -1130, msg);

/** The request's JSON object; an empty body is {}. */
export function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const raw = typeof req.body === "string" ? req.body : "";
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest("Body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw badRequest("Body must be a JSON object.");
  return value as Record<string, unknown>;
}
