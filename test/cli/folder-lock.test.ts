// One venue per data folder: a second `serve` on a folder in use is refused and leaves
// the folder as it was, and the first venue's acknowledged orders are intact; a venue
// killed with -9 leaves no lock behind.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { folderState, runCli } from "../support/cli-run.js";
import { tempDir } from "../support/harness.js";
import { type Key, Remote } from "../support/remote.js";

let venues: ChildVenue[] = [];
afterEach(async () => {
  await Promise.all(venues.map((v) => v.kill9()));
  venues = [];
});

async function start(dir: string): Promise<{ venue: ChildVenue; remote: Remote }> {
  const venue = await spawnVenue(dir);
  venues.push(venue);
  const token = fs.readFileSync(path.join(dir, "admin-token"), "utf8").trim();
  return { venue, remote: new Remote(venue.base, token) };
}

const order = {
  symbol: "BTCUSD_PERP",
  side: "BUY",
  type: "LIMIT",
  timeInForce: "GTC",
  quantity: 1,
  price: "30000",
};

async function place(remote: Remote, key: Key, clientOrderId: string): Promise<number> {
  const res = await remote.signed(key, "POST", "/papi/v1/cm/order", {
    ...order,
    newClientOrderId: clientOrderId,
  });
  expect(res.status).toBe(200);
  return (res.body as { orderId: number }).orderId;
}

async function status(remote: Remote, key: Key, orderId: number): Promise<unknown> {
  const res = await remote.signed(key, "GET", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", orderId });
  return res.status === 200 ? (res.body as { status: string }).status : res.body;
}

describe("one venue per data folder", () => {
  it("refuses a second serve on a held folder with one line naming the folder and the holder's PID", async () => {
    const dir = tempDir();
    const { venue } = await start(dir);
    const second = await runCli(["serve", "--port", "0", "--data", dir]);
    expect(second).toEqual({
      code: 1,
      stdout: "",
      stderr: `papi-venue: data folder ${dir} is in use by another venue (PID ${venue.pid}); stop that venue or pass another --data\n`,
    });
  });

  it("changes nothing in the held folder, and the first venue's acknowledged orders stay", async () => {
    const dir = tempDir();
    const { venue, remote } = await start(dir);
    const key = await remote.createAccount();
    const first = await place(remote, key, "before");
    const before = folderState(dir);
    expect((await runCli(["serve", "--port", "0", "--data", dir])).code).toBe(1);
    expect(folderState(dir)).toEqual(before);
    // The first venue goes on handing out ids of its own, and keeps both orders over a restart.
    const next = await place(remote, key, "after");
    expect(next).toBe(first + 1);
    await venue.kill9();
    const again = await start(dir);
    expect([await status(again.remote, key, first), await status(again.remote, key, next)]).toEqual([
      "NEW",
      "NEW",
    ]);
  });

  it("is free again the moment its venue is killed with -9: a new venue starts on it at once", async () => {
    const dir = tempDir();
    const { venue, remote } = await start(dir);
    const key = await remote.createAccount();
    const orderId = await place(remote, key, "kept");
    await venue.kill9();
    const next = await start(dir);
    expect(await status(next.remote, key, orderId)).toBe("NEW");
  });

  it("is held by a venue that is still starting: two venues started together, one runs", async () => {
    const dir = tempDir();
    const runs = await Promise.allSettled([spawnVenue(dir), spawnVenue(dir)]);
    for (const run of runs) if (run.status === "fulfilled") venues.push(run.value);
    expect(runs.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = runs.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason)).toContain(`data folder ${dir} is in use by another venue`);
  });
});
