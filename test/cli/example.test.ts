// The example `serve` prints runs as printed, from the folder the venue was started in,
// however it was started: each answer on its own line, the order placed and cancelled.
import { execFileSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { tempDir } from "../support/harness.js";

let venue: ChildVenue | undefined;
afterEach(async () => {
  await venue?.kill9();
  venue = undefined;
});

function printedExample(stdout: string): string {
  const at = stdout.indexOf("try it (needs curl and openssl):\n");
  expect(at).toBeGreaterThan(-1);
  return stdout
    .slice(at)
    .split("\n")
    .slice(1)
    .filter((line) => line.startsWith("  "))
    .map((line) => line.slice(2))
    .join("\n");
}

function runExample(stdout: string, cwd: string): Record<string, unknown>[] {
  const out = execFileSync("bash", ["-euo", "pipefail", "-c", printedExample(stdout)], {
    cwd,
    encoding: "utf8",
  });
  return out
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function expectPlacedAndCanceled(answers: Record<string, unknown>[]): void {
  expect(answers.map((a) => [a.clientOrderId, a.status])).toEqual([
    ["first", "NEW"],
    ["first", "CANCELED"],
  ]);
}

describe("the example serve prints", () => {
  it("runs as printed with the token in the data folder, each answer on its own line", async () => {
    venue = await spawnVenue(tempDir());
    const answers = runExample(venue.stdout(), process.cwd());
    expectPlacedAndCanceled(answers);
    expect(venue.stdout()).toContain(`  eval "$(node dist/cli.js account create --url ${venue.base} --data `);
  });

  it("runs as printed with --admin-token", async () => {
    venue = await spawnVenue(tempDir(), { args: ["--admin-token", "a token with spaces & 'quotes'"] });
    expect(venue.stdout()).toContain("admin token: as given by --admin-token");
    expectPlacedAndCanceled(runExample(venue.stdout(), process.cwd()));
  });

  it("runs as printed with --port", async () => {
    const port = await freePort();
    venue = await spawnVenue(tempDir(), { args: ["--port", String(port)] });
    expect(venue.base).toBe(`http://127.0.0.1:${port}`);
    expectPlacedAndCanceled(runExample(venue.stdout(), process.cwd()));
  });

  it("runs as printed with --host 0.0.0.0, calling the venue on loopback", async () => {
    venue = await spawnVenue(tempDir(), { args: ["--host", "0.0.0.0"] });
    expect(venue.stdout()).toContain(`papi-venue listening on http://0.0.0.0:${venue.port}\n`);
    expect(venue.stdout()).toContain(`--url http://127.0.0.1:${venue.port} `);
    expectPlacedAndCanceled(runExample(venue.stdout(), process.cwd()));
  });

  it("runs as printed from another folder with a relative --data, naming this CLI by its full path", async () => {
    const cwd = tempDir();
    venue = await spawnVenue("data", { cwd });
    expect(venue.stdout()).toContain(`data folder: ${path.join(cwd, "data")} (SQLite)\n`);
    expect(venue.stdout()).toContain(`node ${path.resolve("dist/cli.js")} account create`);
    expectPlacedAndCanceled(runExample(venue.stdout(), cwd));
  });
});
