// `papi-venue account create | key | list`: calls a running venue's admin API. These
// commands never open the data folder's database (the venue that holds the folder's lock
// is its single writer); from the folder they read only the admin token file.

import fs from "node:fs";
import { parseDecimal } from "../domain/decimal.js";
import { marginAssets } from "../domain/symbols.js";
import { readToken, tokenFile } from "./admin-token.js";
import { CliFailure, UsageError } from "./failure.js";

export interface AdminTarget {
  readonly url: string;
  readonly data: string;
  readonly adminToken: string | undefined;
}

/** An admin request gives up after this long: a venue answers in milliseconds. */
const ADMIN_TIMEOUT_MS = 10_000;

function noVenue(url: string, error: unknown): CliFailure {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  const why = cause === "ECONNREFUSED" ? "connection refused" : (cause ?? (error as Error).message);
  return new CliFailure(
    `no venue answers at ${url} (${why}); start one with 'papi-venue serve' (or 'npm start' in a checkout), or pass --url`,
  );
}

async function call(url: string, init: RequestInit & { path: string }): Promise<Response> {
  let target: URL;
  try {
    target = new URL(init.path, url);
  } catch {
    throw new UsageError(`--url ${url} is not a URL (want e.g. http://127.0.0.1:8080)`);
  }
  try {
    return await fetch(target, { ...init, signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS) });
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

async function admin(target: AdminTarget, method: string, route: string, body?: unknown): Promise<unknown> {
  const bearer = await token(target);
  const res = await call(target.url, {
    path: route,
    method,
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new CliFailure(`the venue at ${target.url} refused: HTTP ${res.status} ${text.trim()}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliFailure(`${target.url} answered something that is not a venue's JSON: ${text.slice(0, 80)}`);
  }
}

/** `ASSET=AMOUNT` pairs, each of the venue's margin coins, amounts of at most 8 decimals. */
export function parseBalances(items: readonly string[]): Record<string, string> {
  const assets = marginAssets();
  const balances: Record<string, string> = {};
  for (const item of items) {
    const at = item.indexOf("=");
    const asset = at < 0 ? "" : item.slice(0, at);
    const amount = at < 0 ? "" : item.slice(at + 1);
    if (asset === "" || amount === "")
      throw new UsageError(`--balance ${item}: want ASSET=AMOUNT, e.g. BTC=100`, "account create");
    if (!assets.includes(asset))
      throw new UsageError(
        `--balance ${item}: ${asset} is not an asset of this venue (${assets.join(", ")})`,
        "account create",
      );
    const d = parseDecimal(amount);
    if (!d || d.units < 0n || d.scale > 8)
      throw new UsageError(
        `--balance ${item}: the amount must be a non-negative decimal with at most 8 decimals`,
        "account create",
      );
    balances[asset] = amount;
  }
  return balances;
}

export async function createAccount(
  target: AdminTarget,
  balances: Record<string, string>,
  format: "json" | "env",
): Promise<string> {
  const created = (await admin(target, "POST", "/admin/v1/accounts", { balances })) as {
    accountId: number;
    apiKey: string;
    secretKey: string;
  };
  if (format === "env")
    return `export PAPI_ACCOUNT=${created.accountId} PAPI_KEY=${created.apiKey} PAPI_SECRET=${created.secretKey}\n`;
  return `${JSON.stringify(created)}\n`;
}

export async function createKey(
  target: AdminTarget,
  accountId: number,
  type: string,
  publicKeyFile: string | undefined,
): Promise<string> {
  let publicKey: string | undefined;
  if (publicKeyFile !== undefined) {
    try {
      publicKey = fs.readFileSync(publicKeyFile, "utf8");
    } catch (error) {
      throw new CliFailure(`cannot read --public-key ${publicKeyFile}: ${(error as Error).message}`);
    }
  } else if (type !== "HMAC")
    throw new UsageError(`--type ${type} needs --public-key FILE.pem`, "account key");
  const created = await admin(target, "POST", `/admin/v1/accounts/${accountId}/apiKeys`, { type, publicKey });
  return `${JSON.stringify(created)}\n`;
}

export async function listAccounts(target: AdminTarget, fromId: number, limit: number): Promise<string> {
  const listed = await admin(target, "GET", `/admin/v1/accounts?fromId=${fromId}&limit=${limit}`);
  return `${JSON.stringify(listed)}\n`;
}
