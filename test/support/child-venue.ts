// The venue as a child process with control over its environment and signals: the
// built CLI, run the way a user runs it, with its output kept (to scan logs) and its
// exit observed (code, signal, and when). For plain kill -9 runs, process.ts is enough.

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { CLI } from "./process.js";

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Wall-clock ms when the exit was seen. */
  readonly at: number;
}

export interface ChildVenue {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly base: string;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited. */
  readonly exited: Promise<ChildExit>;
  /** SIGKILL; settles once the process is gone. */
  kill9(): Promise<ChildExit>;
}

export interface ChildOptions {
  /** Extra `serve` arguments. */
  readonly args?: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** The folder the venue runs in (the test's own by default). */
  readonly cwd?: string;
}

export async function spawnVenue(dataDir: string, options: ChildOptions = {}): Promise<ChildVenue> {
  if (!fs.existsSync(CLI))
    throw new Error("dist/cli.js is missing: run `npm run build` (npm test does it first)");
  const child = spawn(
    process.execPath,
    [CLI, "serve", "--port", "0", "--data", dataDir, ...(options.args ?? [])],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...options.env }, cwd: options.cwd },
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() }));
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
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`venue exited with ${e.code ?? e.signal}: ${err}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    base,
    port: Number(new URL(base).port),
    stdout: () => out,
    stderr: () => err,
    exited,
    kill9: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
  };
}
