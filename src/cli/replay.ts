// `papi-venue replay --data SRC | --journal FILE --to NEWDIR [--until SEQ]`: rebuilds a
// venue in a new data folder by running a journal's commands again, in order, with the
// identifiers they drew (src/venue/journal.ts). From a data folder (read-only: a venue
// may be running on it) the new venue is the same, keys and secrets included; from an
// export (GET /admin/v1/journal, secrets left out) each left-out secret is drawn afresh
// for the same API key, and the new secrets are printed, since nothing else shows them.

import fs from "node:fs";
import path from "node:path";
import { openJournal, SqliteStore } from "../store/sqlite.js";
import { type Draw, type JournalEntry, journalEntry, Venue } from "../venue/venue.js";
import { CliFailure } from "./failure.js";

const PAGE = 1000;

export interface ReplaySource {
  readonly data?: string | undefined;
  readonly journal?: string | undefined;
}

export interface ReplaySummary {
  readonly commands: number;
  readonly firstSeq: number | undefined;
  readonly lastSeq: number | undefined;
  /** The secrets drawn afresh for keys whose secret the export left out: apiKey -> secret. */
  readonly freshSecrets: ReadonlyArray<{ readonly apiKey: string; readonly secret: string }>;
}

/**
 * Runs `entries` on `venue` in order, up to `until`; they apply one after the other
 * without waiting for each commit (the pipeline runs them in call order), a page at a time.
 */
export async function replayJournal(
  venue: Venue,
  pages: (fromSeq: number) => readonly JournalEntry[] | Promise<readonly JournalEntry[]>,
  until = Number.MAX_SAFE_INTEGER,
): Promise<ReplaySummary> {
  let commands = 0;
  let firstSeq: number | undefined;
  let lastSeq: number | undefined;
  const fresh: Array<{ apiKey: string; secret: string }> = [];
  for (let from = 1; ; ) {
    const page = (await pages(from)).filter((e) => e.seq <= until);
    if (page.length === 0) break;
    const runs: Promise<void>[] = [];
    for (const entry of page) {
      firstSeq ??= entry.seq;
      lastSeq = entry.seq;
      commands++;
      runs.push(venue.replay(entry));
    }
    await Promise.all(runs);
    for (const entry of page) fresh.push(...(await freshSecretsOf(venue, entry)));
    if (page[page.length - 1]!.seq >= until) break;
    from = page[page.length - 1]!.seq + 1;
  }
  await venue.flushed();
  return { commands, firstSeq, lastSeq, freshSecrets: fresh };
}

/** The secrets a replayed entry drew afresh, read back from the new venue's own journal. */
async function freshSecretsOf(
  venue: Venue,
  entry: JournalEntry,
): Promise<Array<{ apiKey: string; secret: string }>> {
  if (!entry.draws?.some((d) => d.kind === "secret" && d.value === null)) return [];
  const [replayed] = await venue.journal(entry.seq, 1);
  const draws = replayed?.draws ?? [];
  const out: Array<{ apiKey: string; secret: string }> = [];
  for (let i = 0; i < draws.length; i++) {
    const d = draws[i]!;
    // A key's secret is drawn right after its API key (account-commands.ts).
    if (d.kind === "secret" && entry.draws[i]?.value === null && draws[i - 1]?.kind === "apiKey")
      out.push({ apiKey: draws[i - 1]!.value!, secret: d.value! });
  }
  return out;
}

/** An export's lines as journal entries; a line that is not one is named. */
export function readExport(file: string): JournalEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliFailure(`replay: cannot read ${file}: ${(error as Error).message}`);
  }
  const entries: JournalEntry[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CliFailure(`replay: ${file} line ${i + 1} is not JSON`);
    }
    const e = value as Partial<JournalEntry>;
    if (
      typeof e !== "object" ||
      e === null ||
      !Number.isSafeInteger(e.seq) ||
      !Number.isSafeInteger(e.time) ||
      typeof e.kind !== "string" ||
      typeof e.args !== "object" ||
      (e.draws !== undefined && !Array.isArray(e.draws))
    )
      throw new CliFailure(
        `replay: ${file} line ${i + 1} is not a journal entry (seq, time, kind, args, draws)`,
      );
    entries.push({
      seq: e.seq!,
      time: e.time!,
      kind: e.kind,
      args: e.args!,
      draws: e.draws as Draw[] | undefined,
    });
  }
  return entries.sort((a, b) => a.seq - b.seq);
}

function emptyFolder(dir: string): void {
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0))
    throw new CliFailure(`replay: ${dir} is not an empty folder; replay builds a new venue in a new one`);
}

export async function replay(source: ReplaySource, to: string, until: number | undefined): Promise<string> {
  const target = path.resolve(to);
  emptyFolder(target);
  if (source.data !== undefined && path.resolve(source.data) === target)
    throw new CliFailure("replay: --to must be another folder than --data");
  let pages: (fromSeq: number) => readonly JournalEntry[];
  let close = () => {};
  if (source.data !== undefined) {
    let file: ReturnType<typeof openJournal>;
    try {
      file = openJournal(path.resolve(source.data));
    } catch (error) {
      throw new CliFailure(`replay: ${(error as Error).message}`);
    }
    pages = (from) => file.read(from, PAGE).map(journalEntry);
    close = () => file.close();
  } else {
    const all = readExport(source.journal!);
    pages = (from) => all.filter((e) => e.seq >= from).slice(0, PAGE);
  }
  const store = new SqliteStore(target, { synchronous: "NORMAL" });
  let summary: ReplaySummary;
  try {
    summary = await replayJournal(new Venue(store), pages, until);
  } finally {
    store.close();
    close();
  }
  const from = source.data ?? source.journal!;
  const range = summary.commands === 0 ? "" : ` (seq ${summary.firstSeq} to ${summary.lastSeq})`;
  const lines = [`replayed ${summary.commands} commands${range} from ${from} into ${to}`];
  if (summary.freshSecrets.length > 0) {
    lines.push(
      `the export left out ${summary.freshSecrets.length} secrets: the replayed venue has fresh ones for the same API keys`,
    );
    for (const s of summary.freshSecrets) lines.push(`  ${s.apiKey} ${s.secret}`);
  }
  return `${lines.join("\n")}\n`;
}
