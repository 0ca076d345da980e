// How the CLI's commands reach a running venue: its admin API over HTTP, with the token
// given or read from the data folder. They never open the folder's database (the venue
// that holds the folder's lock is its single writer); from the folder they read only the
// admin token file.

import { readToken, tokenFile } from "./admin-token.js";
import { CliFailure, UsageError } from "./failure.js";

export interface AdminTarget {
  readonly url: string;
  readonly data: string;
  readonly adminToken: string | undefined;
}

/** An admin request gives up after this long: a venue answers in milliseconds. */
const ADMIN_TIMEOUT_MS = 10_000;
/** ... except a clock advance, which runs the market's steps for the time it passes. */
export const ADVANCE_TIMEOUT_MS = 600_000;

function noVenue(url: string, error: unknown): CliFailure {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const why = cause === "ECONNREFUSED" ? "connection refused" : (cause ?? (error as Error).message);
  return new CliFailure(
    `no venue answers at ${url} (${why}); start one with 'papi-venue serve' (or 'npm start' in a checkout), or pass --url`,
  );
}

async function call(
  url: string,
  init: RequestInit & { path: string },
  timeoutMs = ADMIN_TIMEOUT_MS,
): Promise<Response> {
  let target: URL;
  try {
    target = new URL(init.path, url);
  } catch {
    throw new UsageError(`--url ${url} is not a URL (want e.g. http://127.0.0.1:8080)`);
  }
  try {
    return await fetch(target, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw noVenue(url, error);
  }
}

/** The token: given, else the data folder's file; with neither, says whether a venue answers at all. */
async function token(target: AdminTarget): Promise<string> {
  if (target.adminToken) return target.adminToken;
  const kept = readToken(target.data);
  if (kept !== undefined) return kept;
  await call(target.url, { path: "/papi/v1/ping" });
  throw new CliFailure(
    `no admin token: ${tokenFile(target.data)} does not exist; pass --data naming the venue's data folder, or --admin-token`,
  );
}

/** An admin GET's answer as text (the journal's JSON lines). */
export async function adminText(target: AdminTarget, route: string): Promise<string> {
  const bearer = await token(target);
  const res = await call(target.url, {
    path: route,
    method: "GET",
    headers: { authorization: `Bearer ${bearer}` },
  });
  const text = await res.text();
  if (!res.ok) throw new CliFailure(`the venue at ${target.url} refused: HTTP ${res.status} ${text.trim()}`);
  return text;
}

export async function admin(
  target: AdminTarget,
  method: string,
  route: string,
  body?: unknown,
  timeoutMs?: number,
): Promise<unknown> {
  const bearer = await token(target);
  const res = await call(
    target.url,
    {
      path: route,
      method,
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    timeoutMs,
  );
  const text = await res.text();
  if (!res.ok) throw new CliFailure(`the venue at ${target.url} refused: HTTP ${res.status} ${text.trim()}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliFailure(`${target.url} answered something that is not a venue's JSON: ${text.slice(0, 80)}`);
  }
}
