// `papi-venue account create | key | list`: calls a running venue's admin API
// (admin-call.ts).

import fs from "node:fs";
import { parseDecimal } from "../domain/decimal.js";
import { marginAssets } from "../domain/symbols.js";
import { type AdminTarget, admin } from "./admin-call.js";
import { CliFailure, UsageError } from "./failure.js";

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
