// A CLI that explains itself: help on stdout with every command, option, default and
// environment variable, exit 0; the version; usage errors as one line on stderr pointing
// at --help, exit 2, never a stack. The README holds `papi-venue --help` verbatim.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli-run.js";

const SERVE_OPTIONS = [
  '--host <host>           address to listen on (default: "127.0.0.1")',
  "--port <port>           port to listen on (0 picks a free one) (default: 8080)",
  "--data <folder>",
  "--admin-token <token>",
  "--sync <mode>",
  "--ip-weight-limit <n>   request weight per IP and minute (default: 6000)",
  "--order-limit <n>",
  "--no-rate-limits",
  "--market <kind>",
  "--market-config <file>",
  "--seed <n>",
  "--log-level <level>",
];

function readmeHelp(): string {
  const readme = fs.readFileSync("README.md", "utf8");
  const m = /<!-- help:start -->\s*```\n([\s\S]*?)```\s*<!-- help:end -->/.exec(readme);
  if (!m) throw new Error("README.md has no help block");
  return m[1]!;
}

describe("papi-venue help", () => {
  it.each([["--help"], ["-h"], ["help"]])(
    "`papi-venue %s` prints the whole manual on stdout, exit 0",
    async (flag) => {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      for (const line of [
        "Usage: papi-venue [options] [command]",
        "Usage: papi-venue serve [options]",
        "Usage: papi-venue account create [options]",
        "Usage: papi-venue account key [options]",
        "Usage: papi-venue account list [options]",
        "Usage: papi-venue market status [options]",
        "Usage: papi-venue market jump [options]",
        "Environment:",
        "LOG_LEVEL",
        ...SERVE_OPTIONS,
      ])
        expect(run.stdout).toContain(line);
    },
  );

  it("is in the README exactly as `papi-venue --help` prints it", async () => {
    expect(readmeHelp()).toBe((await runCli(["--help"])).stdout);
  });

  it("`serve --help` lists every serve option with its default and LOG_LEVEL", async () => {
    const run = await runCli(["serve", "--help"]);
    expect(run.code).toBe(0);
    for (const line of SERVE_OPTIONS) expect(run.stdout).toContain(line);
    expect(run.stdout).toContain('default: "warn", env:');
    expect(run.stdout).toContain('(choices: "full", "normal", default:');
  });

  it("`account --help` and `help account` list the account commands", async () => {
    for (const args of [
      ["account", "--help"],
      ["help", "account"],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Usage: papi-venue account [options] [command]");
      for (const command of ["create [options]", "key [options]", "list [options]"])
        expect(run.stdout).toContain(command);
    }
  });

  it("`account create --help` shows where the token comes from and the --balance form", async () => {
    const run = await runCli(["account", "create", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--balance <ASSET=AMOUNT>");
    expect(run.stdout).toContain(
      '--url <url>               the venue\'s base URL (default:\n                            "http://127.0.0.1:8080")',
    );
    expect(run.stdout).toContain("--admin-token <token>");
  });

  it("`--version` prints the package's version", async () => {
    const manifest = JSON.parse(fs.readFileSync("package.json", "utf8")) as { version: string };
    expect(await runCli(["--version"])).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: "" });
  });
});

describe("papi-venue usage errors", () => {
  it.each([
    [
      ["serve", "--prot", "9000"],
      "unknown option '--prot' (Did you mean --port?) (see 'papi-venue serve --help')",
    ],
    [
      ["serve", "--port", "abc"],
      "option '--port <port>' argument 'abc' is invalid. It must be an integer from 0 to 65535. (see 'papi-venue serve --help')",
    ],
    [
      ["serve", "--port", "70000"],
      "option '--port <port>' argument '70000' is invalid. It must be an integer from 0 to 65535. (see 'papi-venue serve --help')",
    ],
    [
      ["serve", "--sync", "fast"],
      "option '--sync <mode>' argument 'fast' is invalid. Allowed choices are full, normal. (see 'papi-venue serve --help')",
    ],
    [
      ["serve", "--order-limit", "0"],
      "option '--order-limit <n>' argument '0' is invalid. It must be an integer from 1 to 1000000000. (see 'papi-venue serve --help')",
    ],
    [
      ["serve", "--admin-token", ""],
      "option '--admin-token <token>' argument '' is invalid. It must not be empty. (see 'papi-venue serve --help')",
    ],
    [["sevre"], "unknown command 'sevre' (Did you mean serve?) (see 'papi-venue --help')"],
    [[], "a command is missing (see 'papi-venue --help')"],
    [["account"], "a command is missing (see 'papi-venue account --help')"],
    [["account", "delete"], "unknown command 'delete' (see 'papi-venue account --help')"],
    [
      ["account", "key"],
      "required option '--account <id>' not specified (see 'papi-venue account key --help')",
    ],
    [
      ["account", "create", "--balance", "FOO=1"],
      "--balance FOO=1: FOO is not an asset of this venue (BTC, ETH, BNB, LINK, XRP, DOGE) (see 'papi-venue account create --help')",
    ],
    [
      ["account", "create", "--balance", "BTC"],
      "--balance BTC: want ASSET=AMOUNT, e.g. BTC=100 (see 'papi-venue account create --help')",
    ],
    [
      ["account", "create", "--balance", "BTC=-1"],
      "--balance BTC=-1: the amount must be a non-negative decimal with at most 8 decimals (see 'papi-venue account create --help')",
    ],
    [
      ["account", "list", "--limit", "1001"],
      "option '--limit <n>' argument '1001' is invalid. It must be an integer from 1 to 1000. (see 'papi-venue account list --help')",
    ],
  ])("`papi-venue %j` prints one line and exits 2", async (args, message) => {
    expect(await runCli(args)).toEqual({
      code: 2,
      stdout: "",
      stderr: `papi-venue: ${message}\n`,
    });
  });

  it("refuses a LOG_LEVEL that is no level, naming the variable's option", async () => {
    const run = await runCli(["serve", "--port", "0"], { env: { LOG_LEVEL: "loud" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "papi-venue: option '--log-level <level>' value 'loud' from env 'LOG_LEVEL' is invalid. Allowed choices are fatal, error, warn, info, debug, trace, silent. (see 'papi-venue serve --help')\n",
    );
  });
});
