// Signature checks as Binance makes them: HMAC-SHA256 as hex (either case), Ed25519
// and RSA (PKCS#1 v1.5, SHA-256) as base64. The algorithm follows the registered key's
// type. HMAC digests are compared with timingSafeEqual so the time taken says nothing
// about how much of a forged signature was right.

import { createHmac, timingSafeEqual, verify } from "node:crypto";
import type { ApiKeyEntry } from "../venue/accounts.js";

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function hmacHex(secret: string | Buffer, text: string): string {
  return createHmac("sha256", secret).update(text, "utf8").digest("hex");
}

export function verifySignature(key: ApiKeyEntry, totalParams: string, signature: string): boolean {
  if (key.type === "HMAC") {
    if (!HEX_SHA256.test(signature)) return false;
    const expected = createHmac("sha256", key.secret).update(totalParams, "utf8").digest();
    return timingSafeEqual(expected, Buffer.from(signature, "hex"));
  }
  if (!key.publicKey || !BASE64.test(signature)) return false;
  const sig = Buffer.from(signature, "base64");
  const data = Buffer.from(totalParams, "utf8");
  try {
    return key.type === "ED25519"
      ? verify(null, data, key.publicKey, sig)
      : verify("sha256", data, key.publicKey, sig);
  } catch {
    return false;
  }
}
