// What every benchmark section hands back and how the run prints it. A line is one
// measurement of ours beside a baseline measured in the same run; its verdict comes
// from the ratio alone, so a faster or slower machine moves both sides together.
// Sections run in child processes and send their lines over the IPC channel.

export type Better = "higher" | "lower";

export interface Line {
  /** What was measured, e.g. "engine cancels, 100/level". */
  readonly name: string;
  /** Unit of `ours` and `baseline`, e.g. "ops/s" or "ms". */
  readonly unit: string;
  readonly ours: number;
  /** The baseline's number; null when the line has none. */
  readonly baseline: number | null;
  /** ours / baseline (or a named ratio of ours); null when there is none. */
  readonly ratio: number | null;
  /** The ratio that passes, e.g. ">= 10x"; null for a line that only informs. */
  readonly target: string | null;
  /** Verdict; null when the line has no target. */
  readonly pass: boolean | null;
}

/** A line whose target is a lower bound on its ratio (throughputs, speed-ups). */
export function atLeast(
  name: string,
  unit: string,
  ours: number,
  baseline: number | null,
  ratio: number,
  min: number,
): Line {
  return { name, unit, ours, baseline, ratio, target: `>= ${min}x`, pass: ratio >= min };
}

/** A line whose target is an upper bound on its ratio (latencies). */
export function atMost(
  name: string,
  unit: string,
  ours: number,
  baseline: number,
  ratio: number,
  max: number,
): Line {
  return { name, unit, ours, baseline, ratio, target: `<= ${max}x`, pass: ratio <= max };
}

/** A line with an absolute floor on `ours` (the headline throughput). */
export function floor(name: string, unit: string, ours: number, min: number): Line {
  return { name, unit, ours, baseline: null, ratio: null, target: `>= ${fmt(min)}`, pass: ours >= min };
}

/** A line with an absolute ceiling on `ours` (a cost that must stay small). */
export function ceiling(name: string, unit: string, ours: number, max: number): Line {
  return { name, unit, ours, baseline: null, ratio: null, target: `<= ${fmt(max)}`, pass: ours <= max };
}

/** A line that only informs. */
export function info(name: string, unit: string, ours: number, baseline: number | null = null): Line {
  const ratio = baseline === null || baseline === 0 ? null : ours / baseline;
  return { name, unit, ours, baseline, ratio, target: null, pass: null };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Three significant digits, thousands grouped: readable at a glance for any magnitude. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function ratioText(ratio: number | null): string {
  if (ratio === null) return "-";
  return ratio >= 100 ? `${Math.round(ratio)}x` : `${ratio.toFixed(2)}x`;
}

export function table(lines: readonly Line[]): string {
  const rows = [
    ["what", "ours", "baseline", "ratio", "target", "result"],
    ...lines.map((l) => [
      l.name,
      `${fmt(l.ours)} ${l.unit}`,
      l.baseline === null ? "-" : `${fmt(l.baseline)} ${l.unit}`,
      ratioText(l.ratio),
      l.target ?? "-",
      l.pass === null ? "info" : l.pass ? "PASS" : "MISS",
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const render = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [render(rows[0]!), rule, ...rows.slice(1).map(render)].join("\n");
}

/** The shape of bench/results.json: exactly the fields of a Line. */
export function toJson(lines: readonly Line[]): string {
  return `${JSON.stringify(
    lines.map((l) => ({
      name: l.name,
      unit: l.unit,
      ours: l.ours,
      baseline: l.baseline,
      ratio: l.ratio,
      target: l.target,
      pass: l.pass,
    })),
    null,
    2,
  )}\n`;
}

/** A section's message to the orchestrator: its lines, and notes printed under the table. */
export interface SectionReport {
  readonly lines: Line[];
  readonly notes: string[];
}

/** Sends a section's report to the parent process (or prints it when run alone). */
export function send(report: SectionReport): Promise<void> {
  if (typeof process.send !== "function") {
    process.stdout.write(`${table(report.lines)}\n${report.notes.join("\n")}\n`);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    process.send!(report, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** A progress line on stderr, so a long run shows where it is. */
export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
