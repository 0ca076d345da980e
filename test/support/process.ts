// The venue as a child process, started from the built CLI the way a user runs it.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const CLI = path.resolve("dist/cli.js");

export interface VenueProcess {
  readonly child: ChildProcess;
  readonly base: string;
  /** Everything the process printed on stdout so far. */
  output(): string;
}

export async function startVenueProcess(dataDir: string, extra: string[] = []): Promise<VenueProcess> {
  if (!fs.existsSync(CLI))
    throw new Error("dist/cli.js is missing: run `npm run build` (npm test does it first)");
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--data", dataDir, ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`venue did not start: ${err}`)), 15_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`venue exited with ${code}: ${err}`));
    });
  });
  return { child, base, output: () => out };
}

export function kill9(p: VenueProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
    p.child.once("exit", () => resolve());
    p.child.kill("SIGKILL");
  });
}
