// The command journal's entries: every command the venue runs, refused or not, is noted
// in the batch it runs in, with its venue time, a sequence number, its arguments as JSON
// and the random identifiers it drew (ids.ts). Running the same entries in order on an
// empty venue makes the same state and the same events: that is replay. An export leaves
// the secrets out (a replay of it draws fresh ones for the same API keys).

import type { JournalRow } from "../store/store.js";
import type { Draw } from "./ids.js";

/** A command as the journal notes it: its kind, its time and its arguments, JSON-safe. */
export interface JournalCommand {
  readonly kind: string;
  readonly time: number;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface JournalEntry extends JournalCommand {
  readonly seq: number;
  readonly draws?: readonly Draw[] | undefined;
}

export function journalRow(
  seq: number,
  command: JournalCommand,
  draws: readonly Draw[] | undefined,
): JournalRow {
  const body = draws === undefined ? { args: command.args } : { args: command.args, draws };
  return { seq, time: command.time, kind: command.kind, body: JSON.stringify(body) };
}

export function journalEntry(row: JournalRow): JournalEntry {
  const body = JSON.parse(row.body) as { args: Record<string, unknown>; draws?: Draw[] };
  return { seq: row.seq, time: row.time, kind: row.kind, args: body.args, draws: body.draws };
}

/** The entry with its secrets left out. */
export function redacted(entry: JournalEntry): JournalEntry {
  if (!entry.draws?.some((d) => d.kind === "secret")) return entry;
  return {
    ...entry,
    draws: entry.draws.map((d) => (d.kind === "secret" ? { kind: d.kind, value: null } : d)),
  };
}
