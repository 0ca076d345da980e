// The SIGNED-request checks in the venue's order (spec §3.6): API key header (-2014),
// key lookup (-2015), duplicate parameters (-1101), timestamp and signature presence
// (-1102), recvWindow (-1100 / -1130), the timestamp window (-1021), the signature
// (-1022). USER_STREAM endpoints need only the key.

import { VenueError } from "../domain/errors.js";
import type { ApiKeyEntry } from "../venue/accounts.js";
import type { RequestParams } from "./params.js";
import { verifySignature } from "./signature.js";

export const DEFAULT_RECV_WINDOW = 5000;
export const MAX_RECV_WINDOW = 60000;
const API_KEY_FORMAT = /^[A-Za-z0-9]{1,128}$/;
const LONG = /^[0-9]{1,20}$/;

export type Security = "NONE" | "SIGNED" | "USER_STREAM";

export function requireApiKey(
  header: string | string[] | undefined,
  lookup: (apiKey: string) => ApiKeyEntry | undefined,
  ip: string,
): ApiKeyEntry {
  if (typeof header !== "string" || !API_KEY_FORMAT.test(header)) throw new VenueError("BAD_API_KEY_FMT");
  const key = lookup(header);
  if (!key) throw new VenueError("REJECTED_MBX_KEY", ip);
  return key;
}

export function checkSigned(key: ApiKeyEntry, params: RequestParams, now: number): void {
  if (params.duplicated) throw new VenueError("DUPLICATE_PARAM");
  const timestampText = params.values.get("timestamp");
  if (timestampText === undefined || !LONG.test(timestampText))
    throw new VenueError("MANDATORY_PARAM", "timestamp");
  if (params.signature === undefined || params.signature === "")
    throw new VenueError("MANDATORY_PARAM", "signature");
  let recvWindow = DEFAULT_RECV_WINDOW;
  const recvText = params.values.get("recvWindow");
  if (recvText !== undefined && recvText !== "") {
    if (!LONG.test(recvText)) throw new VenueError("ILLEGAL_CHARS", "recvWindow", "^[0-9]{1,20}$");
    recvWindow = Number(recvText);
    if (recvWindow > MAX_RECV_WINDOW) throw new VenueError("INVALID_PARAM_VALUE", "recvWindow");
  }
  const timestamp = Number(timestampText);
  if (timestamp >= now + 1000) throw new VenueError("TIMESTAMP_AHEAD");
  if (now - timestamp > recvWindow) throw new VenueError("TIMESTAMP_OUTSIDE_WINDOW");
  if (!verifySignature(key, params.totalParams, params.signature)) throw new VenueError("INVALID_SIGNATURE");
}
