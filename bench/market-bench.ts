// Section: what the simulated market costs. A venue runs as `npm start` runs it (`serve
// --market sim`, default settings), untouched by any client, and its CPU time over a
// stretch of wall time is the market's share of a core (target: at most 10 %); a quiet
// venue (`serve`) idles beside it for comparison. The run checks that the market lives
// (trades printed on every contract), or the share would mean nothing.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuSeconds, startVenue, stop } from "./cancel-load.js";
import { ceiling, info, type Line, progress, send } from "./report.js";

const WARM_MS = 5_000;
const MEASURE_MS = 20_000;

async function main(): Promise<void> {
  const simDir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-bench-market-"));
  const quietDir = `${simDir}-quiet`;
  const [sim, quiet] = await Promise.all([
    startVenue(simDir, "full", ["--market", "sim", "--seed", "1"]),
    startVenue(quietDir, "full"),
  ]);
  try {
    await new Promise((r) => setTimeout(r, WARM_MS));
    const cpu0 = [cpuSeconds(sim.child.pid), cpuSeconds(quiet.child.pid)];
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_MS));
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = [cpuSeconds(sim.child.pid), cpuSeconds(quiet.child.pid)];
    if (cpu0.includes(undefined) || cpu1.includes(undefined))
      throw new Error("cannot read process CPU time here");
    const share = (i: number) => ((cpu1[i]! - cpu0[i]!) / seconds) * 100;
    const symbols = (
      (await (await fetch(`${sim.url}/dapi/v1/exchangeInfo`)).json()) as { symbols: { symbol: string }[] }
    ).symbols;
    let trades = 0;
    for (const { symbol } of symbols) {
      const printed = (
        (await (await fetch(`${sim.url}/dapi/v1/trades?symbol=${symbol}&limit=1000`)).json()) as unknown[]
      ).length;
      if (printed === 0) throw new Error(`the simulated market printed no trade on ${symbol}`);
      trades += printed;
    }
    progress(
      `market: ${trades} trades on ${symbols.length} contracts in ${((WARM_MS + MEASURE_MS) / 1000).toFixed(0)} s`,
    );
    const lines: Line[] = [
      ceiling("simulated market CPU, default settings", "% of a core", share(0), 10),
      info("quiet venue CPU, idle", "% of a core", share(1)),
    ];
    await send({
      lines,
      notes: [
        `market: serve --market sim --seed 1 with no client for ${(MEASURE_MS / 1000).toFixed(0)} s after ${(WARM_MS / 1000).toFixed(0)} s of warm-up; ` +
          `${trades} trades printed on ${symbols.length} contracts (the newest 1000 of each counted)`,
      ],
    });
  } finally {
    await Promise.all([stop(sim), stop(quiet)]);
    fs.rmSync(simDir, { recursive: true, force: true });
    fs.rmSync(quietDir, { recursive: true, force: true });
  }
}

await main();
