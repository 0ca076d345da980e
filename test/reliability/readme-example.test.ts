// The README's example, run as printed (only the address and data folder changed to
// this test's venue): create an account, place an order, cancel it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../support/harness.js";
import { kill9, startVenueProcess, type VenueProcess } from "../support/process.js";

let venue: VenueProcess | undefined;
afterEach(async () => {
  if (venue) await kill9(venue);
});

function readmeExample(): string {
  const readme = fs.readFileSync("README.md", "utf8");
  const m = /<!-- example:start -->\s*```sh\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme);
  if (!m) throw new Error("README.md has no example block");
  return m[1]!;
}

describe("README example", () => {
  it.each([
    ["a quiet venue", []],
    ["a venue with its simulated market, as npm start runs it", ["--market", "sim", "--seed", "1"]],
  ])("creates an account, places an order and cancels it, as printed, on %s", async (_what, args) => {
    const dir = tempDir();
    venue = await startVenueProcess(dir, args);
    const script = readmeExample().replaceAll("http://127.0.0.1:8080", venue.base).replaceAll("./data", dir);
    const out = execFileSync("bash", ["-euo", "pipefail", "-c", script], { encoding: "utf8" });
    const [placed, canceled] = out
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(placed).toMatchObject({ clientOrderId: "first", status: "NEW", price: "29000" });
    expect(canceled).toMatchObject({
      clientOrderId: "first",
      status: "CANCELED",
      orderId: placed!.orderId,
      symbol: "BTCUSD_PERP",
    });
    if (args.length === 0) expect(placed!.orderId).toBe(1);
  });

  it("prints the base URL and where the admin token is, and keeps the token file private", async () => {
    const dir = tempDir();
    venue = await startVenueProcess(dir);
    expect(venue.output()).toContain(`admin token: in ${dir}/admin-token`);
    expect(fs.statSync(`${dir}/admin-token`).mode & 0o777).toBe(0o600);
  });
});
