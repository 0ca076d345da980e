// What every admin route shares: the token check, its errors (an HTTP status with a
// Binance-style code and message) and reading its JSON body. The token is compared
// through SHA-256 digests with timingSafeEqual, so neither its content nor its length
// leaks through timing.

import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { VenueError } from "../domain/errors.js";

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

/** An admin route's handler: the token checked first, AdminError and VenueError answered as they say. */
export type Handle = (
  fn: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export function adminHandle(token: string): Handle {
  const expected = digest(token);
  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const header = req.headers.authorization;
    const given = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : "";
    if (given === "" || !timingSafeEqual(digest(given), expected)) {
      await reply.code(401).send({ code: -1002, msg: "You are not authorized to execute this request." });
      return false;
    }
    return true;
  };
  return (fn) => async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    try {
      return await fn(req, reply);
    } catch (error) {
      if (error instanceof AdminError)
        return reply.code(error.status).send({ code: error.code, msg: error.message });
      if (error instanceof VenueError) return reply.code(error.status).send(error.toJSON());
      throw error;
    }
  };
}

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
