// The serve command's rate-limit switches, on the built CLI.
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../support/harness.js";
import { kill9, startVenueProcess, type VenueProcess } from "../support/process.js";

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
});
