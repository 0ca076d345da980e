// Random identifiers in Binance's shapes: API keys and secrets (64 alphanumerics),
// generated client order ids (22), account aliases (16 letters). Drawn from the
// crypto RNG with rejection sampling, so every character is equally likely.

import { randomBytes } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export const newApiKey = (): string => randomString(ALPHANUMERIC, 64);
export const newSecretKey = (): string => randomString(ALPHANUMERIC, 64);
export const newClientOrderId = (): string => randomString(ALPHANUMERIC, 22);
export const newAccountAlias = (): string => randomString(LETTERS, 16);
export const newAdminToken = (): string => randomString(ALPHANUMERIC, 48);
