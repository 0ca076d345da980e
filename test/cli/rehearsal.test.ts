// `serve --clock frozen --clock-start`, `papi-venue clock status | advance | freeze |
// resume` and `account skew` against venue child processes, and a clock a data folder
// keeps across a kill -9.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { runCli } from "../support/cli-run.js";
import { tempDir } from "../support/harness.js";
import { storeDump } from "../support/store-dump.js";

/** 2026-01-02 08:00 UTC */
const START = Date.parse("2026-01-02T08:00:00Z");

let venue: ChildVenue | undefined;
afterEach(async () => {
  await venue?.kill9();
  venue = undefined;
});

interface Created {
  readonly accountId: number;
  readonly apiKey: string;
  readonly secretKey: string;
}

/** An account made with the CLI, 10 BTC in it. */
async function account(at: readonly string[]): Promise<Created> {
  return JSON.parse((await runCli(["account", "create", "--balance", "BTC=10", ...at])).stdout) as Created;
}

/** A signed limit order on BTCUSD_PERP sent to the child venue; answers its orderId. */
async function placeOrder(
  v: ChildVenue,
  who: Created,
  side: string,
  quantity: number,
  price: number,
  time: number,
) {
  const query = `symbol=BTCUSD_PERP&side=${side}&type=LIMIT&timeInForce=GTC&quantity=${quantity}&price=${price}&timestamp=${time}`;
  const signature = createHmac("sha256", who.secretKey).update(query).digest("hex");
  const res = await fetch(`${v.base}/papi/v1/cm/order?${query}&signature=${signature}`, {
    method: "POST",
    headers: { "x-mbx-apikey": who.apiKey },
  });
  return ((await res.json()) as { orderId: number }).orderId;
}

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
    const orderId = await placeOrder(venue, await account(at), "BUY", 3, 29000, Date.now());
    const run = await runCli([
      "order",
      "fill",
      ...at,
      "--symbol",
      "BTCUSD_PERP",
      "--order-id",
      String(orderId),
      "--quantity",
      "1",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      orderId,
      status: "PARTIALLY_FILLED",
      executedQty: "1",
    });
  });
});

describe("papi-venue replay", () => {
  /** A venue with its simulated market, frozen, advanced 20 s, with a client's order. */
  async function recorded(dir: string): Promise<{ at: string[]; apiKey: string; secret: string }> {
    venue = await spawnVenue(dir, {
      args: ["--market", "sim", "--seed", "4", "--clock", "frozen", "--clock-start", "2026-01-02T08:00:00Z"],
    });
    const at = ["--url", venue.base, "--data", dir];
    const created = await account(at);
    await runCli(["clock", "advance", "--ms", "10000", ...at]);
    await placeOrder(venue, created, "BUY", 1, 29000, START + 10_000);
    await runCli(["clock", "advance", "--ms", "10000", ...at]);
    return { at, apiKey: created.apiKey, secret: created.secretKey };
  }

  it("rebuilds the same store from a running venue's data folder, and says how many commands it ran", async () => {
    const source = tempDir();
    await recorded(source);
    const target = path.join(tempDir(), "replayed");
    const run = await runCli(["replay", "--data", source, "--to", target]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const db = new Database(path.join(source, "venue.db"), { readonly: true });
    const total = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM journal").get()!;
    db.close();
    expect(run.stdout).toBe(
      `replayed ${total.n} commands (seq 1 to ${total.n}) from ${source} into ${target}\n`,
    );
    expect(storeDump(target)).toEqual(storeDump(source));
  });

  it("stops at --until", async () => {
    const source = tempDir();
    await recorded(source);
    const target = path.join(tempDir(), "early");
    const run = await runCli(["replay", "--data", source, "--to", target, "--until", "3"]);
    expect(run.stdout).toBe(`replayed 3 commands (seq 1 to 3) from ${source} into ${target}\n`);
  });

  it("replays an export with fresh secrets for the same API keys, prints them, and they sign", async () => {
    const source = tempDir();
    const { apiKey, secret } = await recorded(source);
    const exported = await (
      await fetch(`${venue!.base}/admin/v1/journal`, {
        headers: {
          authorization: `Bearer ${fs.readFileSync(path.join(source, "admin-token"), "utf8").trim()}`,
        },
      })
    ).text();
    const file = path.join(tempDir(), "journal.jsonl");
    fs.writeFileSync(file, exported);
    const target = path.join(tempDir(), "from-export");
    const run = await runCli(["replay", "--journal", file, "--to", target]);
    expect(run.code).toBe(0);
    const line = run.stdout.split("\n").find((l) => l.includes(apiKey))!;
    const fresh = line.trim().split(" ")[1]!;
    expect(run.stdout).toContain("secrets: the replayed venue has fresh ones for the same API keys");
    expect(fresh).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(fresh).not.toBe(secret);
    await venue!.kill9();
    venue = await spawnVenue(target);
    const query = `timestamp=${Date.parse("2026-01-02T08:00:20Z")}&recvWindow=60000`;
    const signature = createHmac("sha256", fresh).update(query).digest("hex");
    const res = await fetch(`${venue.base}/papi/v1/balance?${query}&signature=${signature}`, {
      headers: { "x-mbx-apikey": apiKey },
    });
    expect(res.status).toBe(200);
  });

  it("refuses a --to folder that is not empty, and takes one source only", async () => {
    const busy = tempDir();
    fs.writeFileSync(path.join(busy, "x"), "");
    const run = await runCli(["replay", "--data", tempDir(), "--to", busy]);
    expect([run.code, run.stderr]).toEqual([
      1,
      `papi-venue: replay: ${busy} is not an empty folder; replay builds a new venue in a new one\n`,
    ]);
    const both = await runCli(["replay", "--data", "a", "--journal", "b", "--to", "c"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("replay takes --data or --journal, one of them");
  });
});

describe("papi-venue scenario", () => {
  async function withOrder(): Promise<{ dir: string; at: string[]; accountId: number; orderId: number }> {
    const dir = tempDir();
    venue = await spawnVenue(dir, { args: ["--clock", "frozen", "--clock-start", "2026-01-02T08:00:00Z"] });
    const at = ["--url", venue.base, "--data", dir];
    const created = await account(at);
    const orderId = await placeOrder(venue, created, "SELL", 2, 31000, START);
    return { dir, at, accountId: created.accountId, orderId };
  }

  it("runs a YAML file's steps in order, a stream expectation among them, one line a step", async () => {
    const { at, accountId, orderId } = await withOrder();
    const file = path.join(tempDir(), "race.yaml");
    fs.writeFileSync(
      file,
      [
        "# a fill lands, then the clock moves on",
        `- fault: { method: DELETE, path: /papi/v1/cm/order, accountId: ${accountId}, effect: unknown-executed, count: 1 }`,
        `- fill: { symbol: BTCUSD_PERP, orderId: ${orderId}, quantity: 1 }`,
        "  note: half of it",
        `- expect: { accountId: ${accountId}, event: ORDER_TRADE_UPDATE, match: { o: { x: TRADE, X: PARTIALLY_FILLED } } }`,
        "- advance: 1000",
        "- clearFaults: true",
        "",
      ].join("\n"),
    );
    const run = await runCli(["scenario", file, ...at]);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("step 1 fault: added fault 1 (unknown-executed)");
    expect(lines[1]).toBe("step 2 fill (half of it): filled order 1: PARTIALLY_FILLED");
    expect(lines[2]).toMatch(/^step 3 expect: saw on account \d+: \{"e":"ORDER_TRADE_UPDATE",/);
    expect(lines.slice(3)).toEqual([
      "step 4 advance: advanced 1000 ms",
      "step 5 clearFaults: lifted every fault",
      `scenario ${file}: 5 steps done`,
    ]);
    expect(await serverTime(venue!)).toBe(START + 1000);
  });

  it("ends with exit 1 at an expectation no event meets, saying which", async () => {
    const { at, accountId } = await withOrder();
    const file = path.join(tempDir(), "never.json");
    fs.writeFileSync(
      file,
      JSON.stringify([
        { expect: { accountId, event: "ORDER_TRADE_UPDATE", match: { o: { X: "FILLED" } }, withinMs: 200 } },
      ]),
    );
    const run = await runCli(["scenario", file, ...at]);
    expect([run.code, run.stderr]).toEqual([
      1,
      `papi-venue: step 1 (expect): scenario: no ORDER_TRADE_UPDATE matching {"o":{"X":"FILLED"}} on account ${accountId} within 200 ms\n`,
    ]);
  });

  it("refuses a step with no known action before running any", async () => {
    const { at } = await withOrder();
    const file = path.join(tempDir(), "bad.yaml");
    fs.writeFileSync(file, "- advance: 1000\n- teleport: 5\n");
    const run = await runCli(["scenario", file, ...at]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("scenario: step 2 must have one action of advance, freeze, mark");
    expect(await serverTime(venue!)).toBe(START);
  });
});

describe("papi-venue fault and journal", () => {
  it("adds a fault, lists it with its hits, and lifts it", async () => {
    const dir = tempDir();
    venue = await spawnVenue(dir);
    const at = ["--url", venue.base, "--data", dir];
    const added = await runCli([
      "fault",
      "add",
      ...at,
      "--method",
      "POST",
      "--path",
      "/papi/v1/cm/order",
      "--effect",
      "unavailable",
      "--count",
      "1",
    ]);
    expect(added.stdout).toBe("fault 1 added\n");
    const who = await account(at);
    expect(await placeOrder(venue, who, "BUY", 1, 29000, Date.now())).toBeUndefined();
    expect(JSON.parse((await runCli(["fault", "list", ...at])).stdout)).toMatchObject({
      faultId: 1,
      hits: 1,
    });
    expect((await runCli(["fault", "remove", ...at, "--id", "1"])).stdout).toBe("fault 1 lifted\n");
    expect((await runCli(["fault", "remove", ...at])).stdout).toBe("0 faults lifted\n");
  });

  it("refuses a fault with neither a request nor a stream as a usage error", async () => {
    const run = await runCli(["fault", "add", "--effect", "drop"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("a fault takes --method and --path, or --stream");
  });

  it("prints the journal as JSON lines from --from-seq, secrets left out", async () => {
    const dir = tempDir();
    venue = await spawnVenue(dir);
    const at = ["--url", venue.base, "--data", dir];
    const who = await account(at);
    await placeOrder(venue, who, "BUY", 1, 29000, Date.now());
    const run = await runCli(["journal", ...at, "--from-seq", "1"]);
    const kinds = run.stdout
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toContain("createAccount");
    expect(kinds).toContain("place");
    expect(run.stdout).not.toContain(who.secretKey);
  });
});
