// `papi-venue account create | key | list` against a venue child process, and what they
// say when there is no venue to call.
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { runCli } from "../support/cli-run.js";
import { tempDir } from "../support/harness.js";

let venue: ChildVenue;
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  venue = await spawnVenue(dir);
});
afterAll(() => venue.kill9());

const at = () => ["--url", venue.base, "--data", dir];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("papi-venue account", () => {
  it("creates an account with the venue's coins and lists it, without secrets", async () => {
    const created = await runCli([
      "account",
      "create",
      ...at(),
      "--balance",
      "BTC=1.5",
      "--balance",
      "DOGE=10",
    ]);
    expect(created.code).toBe(0);
    const account = JSON.parse(created.stdout) as { accountId: number; apiKey: string; secretKey: string };
    const listed = await runCli([
      "account",
      "list",
      ...at(),
      "--from-id",
      String(account.accountId),
      "--limit",
      "1",
    ]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        accountId: account.accountId,
        alias: expect.stringMatching(/^[A-Za-z]{16}$/),
        house: false,
        balances: { BTC: "1.5", DOGE: "10" },
        apiKeys: [{ apiKey: account.apiKey, type: "HMAC" }],
      },
    ]);
    expect(listed.stdout).not.toContain(account.secretKey);
  });

  it("prints an export line with --format env", async () => {
    const run = await runCli(["account", "create", ...at(), "--format", "env"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^export PAPI_ACCOUNT=\d+ PAPI_KEY=[A-Za-z0-9]{64} PAPI_SECRET=[A-Za-z0-9]{64}\n$/,
    );
  });

  it("adds an Ed25519 key from a PEM file", async () => {
    const account = JSON.parse((await runCli(["account", "create", ...at()])).stdout) as {
      accountId: number;
    };
    const pem = path.join(tempDir(), "key.pem");
    fs.writeFileSync(pem, generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }));
    const run = await runCli([
      "account",
      "key",
      ...at(),
      "--account",
      String(account.accountId),
      "--type",
      "ED25519",
      "--public-key",
      pem,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ apiKey: expect.stringMatching(/^[A-Za-z0-9]{64}$/) });
  });

  it("creates nothing for a coin the venue does not have, and says which coins it has", async () => {
    const before = (await runCli(["account", "list", ...at()])).stdout;
    const run = await runCli(["account", "create", ...at(), "--balance", "BTC=1", "--balance", "FOO=1"]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "papi-venue: --balance FOO=1: FOO is not an asset of this venue (BTC, ETH, BNB, LINK, XRP, DOGE) (see 'papi-venue account create --help')\n",
    });
    expect((await runCli(["account", "list", ...at()])).stdout).toBe(before);
  });

  it("passes on the venue's refusal in one line, exit 1", async () => {
    const run = await runCli(["account", "key", ...at(), "--account", "999"]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `papi-venue: the venue at ${venue.base} refused: HTTP 404 {"code":-1130,"msg":"Unknown account."}\n`,
    });
  });

  it("says in one line that no venue answers, and how to start one, exit 1", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    for (const args of [
      ["account", "create", "--url", url, "--data", dir],
      ["account", "list", "--url", url, "--admin-token", "x"],
      // No token file either: what is missing first is the venue.
      ["account", "create", "--url", url, "--data", path.join(tempDir(), "none")],
    ]) {
      expect(await runCli(args)).toEqual({
        code: 1,
        stdout: "",
        stderr: `papi-venue: no venue answers at ${url} (connection refused); start one with 'papi-venue serve' (or 'npm start' in a checkout), or pass --url\n`,
      });
    }
  });

  it("says which token file is missing when a venue answers but no token is found", async () => {
    const none = path.join(tempDir(), "none");
    const run = await runCli(["account", "create", "--url", venue.base, "--data", none]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr: `papi-venue: no admin token: ${path.join(none, "admin-token")} does not exist; pass --data naming the venue's data folder, or --admin-token\n`,
    });
  });
});
