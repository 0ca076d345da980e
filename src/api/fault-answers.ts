// How a faulted request is answered (faults.ts decides which fault hits it): the
// Binance error a real backend gives for that failure, with the command run first or
// not at all, an answer held back, or a connection cut with no answer. Each faulted
// request is logged with its fault.

import type { FastifyReply, FastifyRequest } from "fastify";
import { VenueError } from "../domain/errors.js";
import type { RequestFault } from "./faults.js";

/** Answers the request as the fault says; `run` is the route's own handler. */
export async function answerFaulted(
  fault: RequestFault,
  req: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<unknown>,
  accountId: number,
  ipWeightLimit: number,
): Promise<FastifyReply> {
  req.log.warn(
    { faultId: fault.faultId, effect: fault.effect, method: req.method, path: fault.path, accountId },
    "request faulted",
  );
  const fail = (error: VenueError) => reply.code(error.status).send(error.toJSON());
  switch (fault.effect) {
    case "unknown-not-executed":
      return fail(new VenueError("BACKEND_TIMEOUT"));
    case "unknown-executed":
      // The command's own outcome, committed or refused, is what the client cannot know.
      await run().catch(() => {});
      return fail(new VenueError("BACKEND_TIMEOUT"));
    case "unavailable":
      return fail(new VenueError("DISCONNECTED"));
    case "throttled":
      return fail(new VenueError("SERVER_BUSY"));
    case "rate-limited":
      return fail(new VenueError("TOO_MANY_REQUESTS", String(ipWeightLimit)));
    case "delay": {
      let outcome: { body: unknown } | { error: unknown };
      try {
        outcome = { body: await run() };
      } catch (error) {
        outcome = { error };
      }
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 0));
      if ("error" in outcome) throw outcome.error;
      return reply.code(200).send(outcome.body);
    }
    case "drop":
      if (fault.executed) await run().catch(() => {});
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
  }
}
