#!/usr/bin/env node
// papi-venue command line: `serve` runs the venue; `account create | key | list` call a
// running venue's admin API (the venue is the single writer of its data folder). The
// grammar and help are in cli/program.ts; this file runs it and turns what goes wrong
// into one line and an exit code: 2 for a usage error, 1 for a failure, never a stack.

import { CommanderError } from "commander";
import { CliFailure, PROGRAM, UsageError, usageLine } from "./cli/failure.js";
import { buildProgram, commandOf } from "./cli/program.js";

const args = process.argv.slice(2);
const program = buildProgram();

/** Commander's message as one line: "error: " dropped, a suggestion kept on the same line. */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join(" ");
}

function exit(code: number, line?: string): never {
  if (line !== undefined) process.stderr.write(`${line}\n`);
  process.exit(code);
}

program.parseAsync(args, { from: "user" }).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // --help and --version have printed what was asked.
    if (error.exitCode === 0) exit(0);
    const message = error.code === "commander.help" ? "a command is missing" : oneLine(error.message);
    exit(2, usageLine(message, commandOf(program, args)));
  }
  if (error instanceof UsageError) exit(2, usageLine(error.message, error.command));
  if (error instanceof CliFailure) exit(1, `${PROGRAM}: ${error.message}`);
  // A bug: still one line, with what it was.
  exit(1, `${PROGRAM}: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
});
