// Why `serve` could not start, in one line a person can act on: which resource (the data
// folder, the database, the address) and what to do about it. The error codes are
// Node's (listen, file system) and SQLite's (through better-sqlite3, which names no file
// in its errors: the stage that failed says which file it was).

import path from "node:path";
import { FolderHeld } from "../store/folder-lock.js";
import { DATABASE_FILE } from "../store/sqlite.js";
import { CliFailure, shellWord } from "./failure.js";

/** The step of a start that failed: taking the folder, opening what is in it, listening. */
export type StartStage = "folder" | "database" | "listen";

export interface StartPlace {
  readonly host: string;
  readonly port: number;
  /** The data folder, resolved. */
  readonly folder: string;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

function folderFailure(code: string, error: unknown, folder: string): CliFailure | undefined {
  const unwritable = (why: string) =>
    new CliFailure(
      `cannot write in data folder ${folder} (${why}); fix its permissions or pass another --data`,
    );
  switch (code) {
    case "EACCES":
    case "EPERM":
      return unwritable("permission denied");
    case "EROFS":
    case "SQLITE_READONLY":
      return unwritable("read-only file system");
    case "ENOTDIR":
    case "EEXIST":
      return new CliFailure(
        `data folder ${folder} cannot be made: part of its path is a file; pass --data naming a folder`,
      );
    case "ENOSPC":
    case "SQLITE_FULL":
      return new CliFailure(
        `cannot write in data folder ${folder}: the disk is full; free some room or pass another --data`,
      );
    case "SQLITE_CANTOPEN":
      return unwritable(firstLine(error));
  }
  return undefined;
}

function listenFailure(code: string, address: string): CliFailure | undefined {
  switch (code) {
    case "EADDRINUSE":
      return new CliFailure(
        `cannot listen on ${address}: the port is in use (another venue or program listens there); stop it or pass another --port`,
      );
    case "EADDRNOTAVAIL":
      return new CliFailure(
        `cannot listen on ${address}: this machine has no such address; pass a --host it has (127.0.0.1 by default)`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new CliFailure(
        `cannot listen on ${address}: the host name does not resolve; pass an IP address as --host`,
      );
    case "EACCES":
    case "EPERM":
      return new CliFailure(
        `cannot listen on ${address}: permission denied (ports below 1024 need privileges); pass a --port from 1024 up`,
      );
  }
  return undefined;
}

export function describeStartFailure(error: unknown, stage: StartStage, place: StartPlace): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof FolderHeld)
    return new CliFailure(`${error.message}; stop that venue or pass another --data`);
  const code = codeOf(error);
  const { folder } = place;
  if (stage === "listen") {
    const address = `${place.host.includes(":") ? `[${place.host}]` : place.host}:${place.port}`;
    return listenFailure(code, address) ?? new CliFailure(`cannot listen on ${address}: ${firstLine(error)}`);
  }
  if (
    stage === "database" &&
    code.startsWith("SQLITE_") &&
    code !== "SQLITE_FULL" &&
    code !== "SQLITE_READONLY"
  ) {
    const database = shellWord(path.join(folder, DATABASE_FILE));
    return new CliFailure(
      `cannot open the database ${database}: ${firstLine(error)}; move it away (a new one is made) or pass another --data`,
    );
  }
  return (
    folderFailure(code, error, folder) ??
    new CliFailure(`cannot start on data folder ${folder}: ${firstLine(error)}`)
  );
}
