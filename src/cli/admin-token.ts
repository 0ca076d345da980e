// The admin token's file in a data folder: `serve` makes it (mode 0600) on a first start
// without --admin-token, and the account commands read it to call that venue.

import fs from "node:fs";
import path from "node:path";
import { newAdminToken } from "../venue/ids.js";

export const TOKEN_FILE = "admin-token";

export function tokenFile(folder: string): string {
  return path.join(folder, TOKEN_FILE);
}

/** The token kept in the folder, if there is one. */
export function readToken(folder: string): string | undefined {
  const file = tokenFile(folder);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}

/** The folder's token, made (random, mode 0600) when the folder has none yet. */
export function readOrMakeToken(folder: string): string {
  const kept = readToken(folder);
  if (kept !== undefined) return kept;
  const token = newAdminToken();
  fs.writeFileSync(tokenFile(folder), `${token}\n`, { mode: 0o600 });
  return token;
}
