// `npm run bench`: every benchmark section in a process of its own, one after the
// other, then one table of ratios against the baselines measured in the same run, and
// bench/results.json with the same lines. A section that finds its own check broken
// (books that differ, cancels that do not add up) fails the run; a missed target does
// not, it is a result like any other.

import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Line, type SectionReport, table, toJson } from "./report.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root: this file runs from dist/bench/bench/. */
const ROOT = path.resolve(HERE, "..", "..", "..");
const RESULTS = path.join(ROOT, "bench", "results.json");

const SECTIONS = [
  { file: "engine-bench.js", title: "engine vs nodejs-order-book" },
  { file: "http-bench.js", title: "signed, durable cancel over HTTP vs bare node:http" },
  { file: "fanout-bench.js", title: "cancel with 1,000 market-stream subscribers vs none" },
  { file: "market-bench.js", title: "the simulated market's CPU share" },
  { file: "commit-bench.js", title: "group commit vs one transaction per command" },
  { file: "recovery-bench.js", title: "recovery of 1,000,000 open orders" },
  { file: "place-bench.js", title: "place on a crowded account vs a sparse one" },
  { file: "trigger-bench.js", title: "trades with 10,000 armed conditional orders vs none" },
] as const;

function runSection(file: string): Promise<SectionReport> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(HERE, file), [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
    let report: SectionReport | undefined;
    child.on("message", (m) => {
      report = m as SectionReport;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0 && report) resolve(report);
      else reject(new Error(`${file} exited with ${code}`));
    });
  });
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const memory = (os.totalmem() / 2 ** 30).toFixed(0);
  return `machine: ${cpus.length} cores, ${model}, ${memory} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  process.stdout.write(`${machine()}\n\n`);
  const lines: Line[] = [];
  const notes: string[] = [];
  for (const section of SECTIONS) {
    const t0 = performance.now();
    process.stderr.write(`${section.title}...\n`);
    const report = await runSection(section.file);
    lines.push(...report.lines);
    notes.push(...report.notes);
    process.stderr.write(`  done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const judged = lines.filter((l) => l.pass !== null);
  const passed = judged.filter((l) => l.pass).length;
  process.stdout.write(`\n${table(lines)}\n\n`);
  for (const note of notes) process.stdout.write(`- ${note}\n`);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\n${passed} of ${judged.length} targets met; total ${seconds.toFixed(0)} s; results in bench/results.json\n`,
  );
  fs.writeFileSync(RESULTS, toJson(lines));
}

await main();
