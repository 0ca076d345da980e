// `serve --clock frozen --clock-start`, `papi-venue clock status | advance | freeze |
// resume` and `account skew` against venue child processes, and a clock a data folder
// keeps across a kill -9.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { runCli } from "../support/cli-run.js";
import { tempDir } from "../support/harness.js";

/** 2026-01-02 08:00 UTC */
const START = Date.parse("2026-01-02T08:00:00Z");

let venue: ChildVenue | undefined;
afterEach(async () => {
  await venue?.kill9();
  venue = undefined;
});

const serverTime = async (v: ChildVenue) =>
  ((await (await fetch(`${v.base}/dapi/v1/time`)).json()) as { serverTime: number }).serverTime;

describe("papi-venue serve --clock", () => {
  it("starts frozen at --clock-start, says so, and /dapi/v1/time answers it", async () => {
    venue = await spawnVenue(tempDir(), {
      args: ["--clock", "frozen", "--clock-start", "2026-01-02T08:00:00Z"],
    });
    expect(venue.stdout()).toContain(
      "clock: frozen at 2026-01-02T08:00:00.000Z (POST /admin/v1/clock moves it)",
    );
    expect(await serverTime(venue)).toBe(START);
  });

  it("refuses a --clock-start without its zone as a usage error, exit 2", async () => {
    const run = await runCli(["serve", "--clock-start", "2026-01-02T08:00:00"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("It must be an ISO 8601 time with its zone, e.g. 2026-01-02T08:00:00Z.");
  });

  it("keeps a frozen clock where it was advanced to across a kill -9", async () => {
    const dir = tempDir();
    venue = await spawnVenue(dir, { args: ["--clock", "frozen", "--clock-start", "2026-01-02T08:00:00Z"] });
    const at = ["--url", venue.base, "--data", dir];
    const advanced = await runCli(["clock", "advance", "--ms", "5000", ...at]);
    expect(advanced.stdout).toBe(
      `clock frozen at 2026-01-02T08:00:05.000Z (${START + 5000}), 0 ms ahead of the wall clock\n`,
    );
    await venue.kill9();
    venue = await spawnVenue(dir);
    expect(await serverTime(venue)).toBe(START + 5000);
  });
});

describe("papi-venue clock and account skew", () => {
  it("prints the clock, and freezes and resumes it", async () => {
    const dir = tempDir();
    venue = await spawnVenue(dir, { args: ["--clock", "frozen", "--clock-start", "2026-01-02T08:00:00Z"] });
    const at = ["--url", venue.base, "--data", dir];
    expect((await runCli(["clock", "status", ...at])).stdout).toBe(
      `clock frozen at 2026-01-02T08:00:00.000Z (${START}), 0 ms ahead of the wall clock\n`,
    );
    expect((await runCli(["clock", "resume", ...at])).stdout).toMatch(/^clock running at 2026-01-02T08:00:0/);
    expect((await runCli(["clock", "freeze", ...at])).stdout).toMatch(/^clock frozen at 2026-01-02T08:00:0/);
  });

  it("skews one account's clock", async () => {
    const dir = tempDir();
    venue = await spawnVenue(dir);
    const at = ["--url", venue.base, "--data", dir];
    const created = JSON.parse((await runCli(["account", "create", ...at])).stdout) as { accountId: number };
    const run = await runCli([
      "account",
      "skew",
      "--account",
      String(created.accountId),
      "--ms",
      "-2000",
      ...at,
    ]);
    expect(run.stdout).toBe(
      `account ${created.accountId}: signed requests checked -2000 ms off the venue clock\n`,
    );
  });
});

describe("papi-venue order fill", () => {
  it("fills an open order in part and prints it", async () => {
    const dir = tempDir();
    venue = await spawnVenue(dir);
    const at = ["--url", venue.base, "--data", dir];
    const created = JSON.parse(
      (await runCli(["account", "create", "--balance", "BTC=10", ...at])).stdout,
    ) as {
      apiKey: string;
      secretKey: string;
    };
    const query = `symbol=BTCUSD_PERP&side=BUY&type=LIMIT&timeInForce=GTC&quantity=3&price=29000&timestamp=${Date.now()}`;
    const signature = createHmac("sha256", created.secretKey).update(query).digest("hex");
    const placed = (await (
      await fetch(`${venue.base}/papi/v1/cm/order?${query}&signature=${signature}`, {
        method: "POST",
        headers: { "x-mbx-apikey": created.apiKey },
      })
    ).json()) as { orderId: number };
    const run = await runCli([
      "order",
      "fill",
      ...at,
      "--symbol",
      "BTCUSD_PERP",
      "--order-id",
      String(placed.orderId),
      "--quantity",
      "1",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      orderId: placed.orderId,
      status: "PARTIALLY_FILLED",
      executedQty: "1",
    });
  });
});
