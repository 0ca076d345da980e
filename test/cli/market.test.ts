// `papi-venue market status | pause | resume | jump` against venue child processes: one
// with its simulated market, one quiet, which says it runs none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { runCli } from "../support/cli-run.js";
import { tempDir } from "../support/harness.js";

let sim: ChildVenue;
let quiet: ChildVenue;
let simDir: string;
let quietDir: string;
beforeAll(async () => {
  simDir = tempDir();
  quietDir = tempDir();
  [sim, quiet] = await Promise.all([
    spawnVenue(simDir, { args: ["--market", "sim", "--seed", "5"] }),
    spawnVenue(quietDir),
  ]);
});
afterAll(async () => {
  await Promise.all([sim.kill9(), quiet.kill9()]);
});

const at = (venue: ChildVenue, dir: string) => ["--url", venue.base, "--data", dir];

describe("papi-venue market", () => {
  it("prints the settings in force with the seed", async () => {
    const run = await runCli(["market", "status", ...at(sim, simDir)]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ market: "sim", paused: false, seed: 5, stepMs: 100 });
  });

  it("pauses and resumes the market", async () => {
    expect((await runCli(["market", "pause", ...at(sim, simDir)])).stdout).toBe("market paused\n");
    const status = await runCli(["market", "status", ...at(sim, simDir)]);
    expect(JSON.parse(status.stdout)).toMatchObject({ paused: true });
    expect((await runCli(["market", "resume", ...at(sim, simDir)])).stdout).toBe("market running\n");
  });

  it("jumps a contract's reference", async () => {
    const before = JSON.parse((await runCli(["market", "status", ...at(sim, simDir)])).stdout) as {
      references: Record<string, number>;
    };
    const run = await runCli([
      "market",
      "jump",
      ...at(sim, simDir),
      "--symbol",
      "ETHUSD_PERP",
      "--pct",
      "-5",
    ]);
    expect(run.code).toBe(0);
    const after = JSON.parse(run.stdout) as {
      symbol: string;
      jumpPct: number;
      references: Record<string, number>;
    };
    expect(after).toMatchObject({ symbol: "ETHUSD_PERP", jumpPct: -5 });
    // The reference moves on between the two calls, by far less than the jump.
    expect(after.references.ETHUSD! / before.references.ETHUSD!).toBeCloseTo(0.95, 2);
  });

  it("refuses a jump without --pct, or out of range, as a usage error", async () => {
    const missing = await runCli(["market", "jump", ...at(sim, simDir), "--symbol", "ETHUSD_PERP"]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toBe(
      "papi-venue: required option '--pct <n>' not specified (see 'papi-venue market jump --help')\n",
    );
    const far = await runCli([
      "market",
      "jump",
      ...at(sim, simDir),
      "--symbol",
      "ETHUSD_PERP",
      "--pct",
      "-100",
    ]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain("It must be a number above -100 and at most 1000.");
  });

  it("says in one line that a quiet venue runs no market, exit 1", async () => {
    const run = await runCli(["market", "pause", ...at(quiet, quietDir)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `papi-venue: the venue at ${quiet.base} refused: HTTP 409 {"code":-1130,"msg":"No simulated market runs; start the venue with --market sim."}\n`,
    );
  });
});
