// Where a test venue holds its market streams' sockets: in its own process, as the
// harness has always run them, or in a process of their own, as `serve` runs them. The
// stream tests that touch sockets run once with each, so the two stay alike.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ForkedMarketSockets } from "../../src/stream/forked-market-sockets.js";
import type { MarketStreamOptions } from "../../src/stream/market-stream.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The sockets' process as `serve` forks it: compiled, from dist. */
export const SOCKETS_PROCESS = path.join(ROOT, "dist", "stream", "market-sockets-process.js");

export type SocketKind = "inline" | "process";
export const SOCKET_KINDS: readonly SocketKind[] = ["inline", "process"];

/** The market stream's options for one kind of socket holder. */
export function socketsOf(kind: SocketKind, maxBufferedBytes?: number): Pick<MarketStreamOptions, "sockets"> {
  if (kind === "inline") return {};
  if (!built())
    throw new Error(
      "dist/stream is missing or older than src/stream: run `npm run build` (npm test does it first)",
    );
  return {
    sockets: (events) => new ForkedMarketSockets(events, { entry: SOCKETS_PROCESS, maxBufferedBytes }),
  };
}

/** Whether the compiled sockets' process is there and newer than every source it is built from. */
function built(): boolean {
  if (!fs.existsSync(SOCKETS_PROCESS)) return false;
  const compiled = fs.statSync(SOCKETS_PROCESS).mtimeMs;
  const sources = ["market-sockets-process", "market-sockets", "forked-market-sockets", "frames", "sockets"]
    .map((file) => path.join(ROOT, "src", "stream", `${file}.ts`))
    .concat(path.join(ROOT, "src", "domain", "errors.ts"));
  return sources.every((file) => fs.statSync(file).mtimeMs <= compiled);
}
