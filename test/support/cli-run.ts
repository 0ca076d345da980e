// The built CLI run to its end as a child process, the way a user runs it from a shell:
// its exit code and everything it printed, and what a folder looked like before and after.

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CLI } from "./process.js";

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Without root's power to write and search anywhere (CAP_DAC_OVERRIDE and
   * CAP_DAC_READ_SEARCH dropped with util-linux's setpriv), so that file permissions
   * apply to a test run as root as they do to any user.
   */
  readonly withoutRootOverride?: boolean;
  readonly timeoutMs?: number;
}

export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const command = [process.execPath, CLI, ...args];
  if (options.withoutRootOverride)
    command.unshift("setpriv", "--bounding-set=-dac_override,-dac_read_search");
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`papi-venue ${args.join(" ")} did not end: ${stdout}${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every entry under a folder with its size, mode and modification time; undefined when there is no folder. */
export function folderState(folder: string): Record<string, string> | undefined {
  if (!fs.existsSync(folder)) return undefined;
  const state: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const st = fs.statSync(full);
      state[path.relative(folder, full)] =
        `${st.isDirectory() ? "dir" : st.size} ${st.mode.toString(8)} ${st.mtimeMs}`;
      if (st.isDirectory()) walk(full);
    }
  };
  walk(folder);
  return state;
}
