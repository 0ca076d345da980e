// The serve command's rate-limit and market switches, on the built CLI.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-run.js";
import { tempDir } from "../support/harness.js";
import { kill9, startVenueProcess, type VenueProcess } from "../support/process.js";
import { until } from "../support/until.js";
import { StreamClient } from "../support/ws-client.js";

let venue: VenueProcess | undefined;
afterEach(async () => {
  if (venue) await kill9(venue);
});

async function pings(base: string, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await fetch(`${base}/papi/v1/ping`)).status);
  return statuses;
}

describe("papi-venue serve", () => {
  it("takes --ip-weight-limit", async () => {
    venue = await startVenueProcess(tempDir(), ["--ip-weight-limit", "2"]);
    const statuses = await pings(venue.base, 3);
    // A minute boundary between the calls would reset the window; the third call is then the first of a new one.
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect([429, 200]).toContain(statuses[2]);
    if (statuses[2] === 200) expect(await pings(venue.base, 2)).toEqual([200, 429]);
  });

  it("turns every limit off with --no-rate-limits", async () => {
    venue = await startVenueProcess(tempDir(), ["--ip-weight-limit", "2", "--no-rate-limits"]);
    expect(await pings(venue.base, 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it("runs the simulated market with --market sim: it quotes and trades as the wall clock moves", async () => {
    venue = await startVenueProcess(tempDir(), ["--market", "sim", "--seed", "1"]);
    expect(venue.output()).toContain(
      "market: simulated, seed 1 (--seed 1 starts it again alike; every setting: papi-venue market status): BTCUSD from 30000",
    );
    let trades: unknown[] = [];
    // About one trade every two seconds on each contract; the market's steps follow the wall clock.
    for (let i = 0; i < 150 && trades.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      trades = (await (await fetch(`${venue.base}/dapi/v1/trades?symbol=ETHUSD_PERP`)).json()) as unknown[];
    }
    expect(trades.length).toBeGreaterThanOrEqual(2);
    const book = (await (await fetch(`${venue.base}/dapi/v1/depth?symbol=ETHUSD_PERP&limit=5`)).json()) as {
      bids: unknown[];
      asks: unknown[];
    };
    expect([book.bids.length, book.asks.length]).toEqual([5, 5]);
    // The market streams speak on the wall clock too: a depth diff within a few of its 100 ms windows.
    const stream = await StreamClient.open(
      `${venue.base.replace("http://", "ws://")}/ws/ethusd_perp@depth@100ms`,
    );
    try {
      const [diff] = (await stream.waitFor(1, 10_000)) as { e: string; s: string }[];
      expect(diff).toMatchObject({ e: "depthUpdate", s: "ETHUSD_PERP" });
    } finally {
      stream.close();
    }
  });

  it("says the venue is quiet without --market", async () => {
    venue = await startVenueProcess(tempDir());
    expect(venue.output()).toContain(
      "market: none (a quiet venue; --market sim starts simulated makers and takers)",
    );
  });

  it("takes --market-config, which starts the simulated market, and prints the settings in force", async () => {
    const dir = tempDir();
    const config = path.join(dir, "market.json");
    fs.writeFileSync(config, JSON.stringify({ seed: 8, pairs: { BTCUSD: { start: 60000 } } }));
    venue = await startVenueProcess(path.join(dir, "data"), ["--market-config", config]);
    expect(venue.output()).toContain(
      "market: simulated, seed 8 (--seed 8 starts it again alike; every setting: papi-venue market status): BTCUSD from 60000",
    );
  });

  it("refuses a bad --market-config in one line, exit 1, and leaves nothing behind", async () => {
    const dir = tempDir();
    const config = path.join(dir, "market.json");
    fs.writeFileSync(config, JSON.stringify({ contracts: { BTCUSD_PERP: { maker: { levels: 0 } } } }));
    const run = await runCli([
      "serve",
      "--port",
      "0",
      "--data",
      path.join(dir, "data"),
      "--market-config",
      config,
    ]);
    expect(run).toMatchObject({ code: 1, stdout: "" });
    expect(run.stderr).toBe(
      `papi-venue: --market-config ${config}: /contracts/BTCUSD_PERP/maker/levels must be >= 1\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(["market.json"]);
  });

  it("replays a sample file's prices with --market replay, and says so", async () => {
    const file = path.resolve("samples/replay/BTCUSD_PERP-aggTrades-2026-11-30.csv");
    venue = await startVenueProcess(tempDir(), [
      "--market",
      "replay",
      "--seed",
      "1",
      "--replay-speed",
      "10",
      file,
    ]);
    expect(venue.output()).toContain("; replayed at 10x: BTCUSD from 1 file of BTCUSD_PERP (303 prices)");
    const status = await (await fetch(`${venue.base}/papi/v1/ping`)).status;
    expect(status).toBe(200);
  });

  it.each([
    [
      ["--market", "replay"],
      "papi-venue: --market replay needs one or more price files (see 'papi-venue serve --help')\n",
    ],
    [
      ["prices.csv"],
      "papi-venue: price files (prices.csv) are for --market replay (see 'papi-venue serve --help')\n",
    ],
  ])("refuses %j as a usage error, exit 2", async (args, stderr) => {
    const run = await runCli(["serve", "--port", "0", "--data", path.join(tempDir(), "d"), ...args]);
    expect(run).toMatchObject({ code: 2, stdout: "", stderr });
  });

  it("refuses a replay file without a symbol in one line, exit 1", async () => {
    const dir = tempDir();
    const file = path.join(dir, "prices.csv");
    fs.writeFileSync(file, "1,30000,1,1,1,1000,false\n");
    const run = await runCli([
      "serve",
      "--port",
      "0",
      "--data",
      path.join(dir, "d"),
      "--market",
      "replay",
      file,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `papi-venue: replay ${file}: name its symbol (SYMBOL=FILE) or give the file Binance's name (BTCUSD_PERP-aggTrades-2026-11-30.csv)\n`,
    );
    const named = await runCli([
      "serve",
      "--port",
      "0",
      "--data",
      path.join(dir, "d"),
      "--market",
      "replay",
      `XYZ=${file}`,
    ]);
    expect(named.stderr).toBe(`papi-venue: replay ${file}: XYZ is not a symbol of this venue\n`);
  });

  it("holds the market streams' sockets in a process of their own, which ends with the venue even on kill -9", async () => {
    venue = await startVenueProcess(tempDir());
    const stream = await StreamClient.open(`${venue.base.replace("http://", "ws://")}/ws/btcusd_perp@trade`);
    const [holder] = childrenOf(venue.child.pid!).filter((c) => c.command.includes("market-sockets-process"));
    expect(holder).toBeDefined();
    await kill9(venue);
    venue = undefined;
    // The channel closed under it: it closes its clients as a shutdown would, and exits.
    expect(await stream.waitClose()).toEqual({ code: 1001, reason: "venue shutting down" });
    await until(() => ended(holder!.pid), "the sockets' process to exit");
  });

  it("holds them in the venue's own process with --fan-out inline", async () => {
    venue = await startVenueProcess(tempDir(), ["--fan-out", "inline"]);
    const stream = await StreamClient.open(`${venue.base.replace("http://", "ws://")}/ws/btcusd_perp@trade`);
    stream.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 1 }));
    expect(await stream.waitFor(1)).toEqual([{ result: ["btcusd_perp@trade"], id: 1 }]);
    expect(childrenOf(venue.child.pid!)).toEqual([]);
    stream.close();
  });
});

/** Whether a process has exited: gone, or a zombie no one has reaped yet (an orphan where pid 1 does not reap). */
function ended(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** The processes whose parent is `pid`, read from /proc. */
function childrenOf(pid: number): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The parent's pid is the second field after the command's closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== pid) continue;
      found.push({ pid: Number(entry), command: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8") });
    } catch {
      // It ended while being read.
    }
  }
  return found;
}
