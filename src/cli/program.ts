// The command line's grammar, with commander: commands, options with their defaults and
// environment variables, and the help text built from them (so the help cannot drift
// from what is parsed). Values are checked here, where a bad one is a usage error; the
// actions are in serve.ts and account.ts.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_RATE_LIMITS } from "../api/rate-limits.js";
import { createAccount, createKey, listAccounts, parseBalances } from "./account.js";
import { PROGRAM, UsageError } from "./failure.js";
import { jumpMarket, marketStatus, pauseMarket } from "./market.js";
import {
  addFault,
  changeClock,
  clockStatus,
  exportJournal,
  fillOrder,
  listFaults,
  removeFault,
  skewClock,
} from "./rehearsal.js";
import { replay } from "./replay.js";
import { scenario } from "./scenario.js";
import { serve } from "./serve.js";

/** Help is laid out for 80 columns whatever the terminal, so the README can hold it verbatim. */
const HELP_WIDTH = 80;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** The version in the package's manifest: the nearest package.json above this file (dist/ or a bench build). */
export function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file))
      return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
    if (path.dirname(dir) === dir) throw new Error("papi-venue's package.json is not above its code");
  }
}

function integer(min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`It must be an integer from ${min} to ${max}.`);
    return n;
  };
}

/** A whole number of ms either way, within a day. */
function signedMs(text: string): number {
  const n = Number(text);
  if (!/^-?[0-9]+$/.test(text) || !Number.isSafeInteger(n) || Math.abs(n) > 86_400_000)
    throw new InvalidArgumentError("It must be an integer from -86400000 to 86400000.");
  return n;
}

function nonEmpty(text: string): string {
  if (text === "") throw new InvalidArgumentError("It must not be empty.");
  return text;
}

/** A replay's speed: a positive number, at most a million. */
function speed(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(n > 0) || n > 1e6)
    throw new InvalidArgumentError("It must be a number above 0 and at most 1000000.");
  return n;
}

/** A probability: above 0, at most 1. */
function probability(text: string): number {
  const n = Number(text);
  if (!/^[0-9]*\.?[0-9]+$/.test(text) || !(n > 0 && n <= 1))
    throw new InvalidArgumentError("It must be a number above 0 and at most 1.");
  return n;
}

/** A moment as ISO 8601 with a zone (2026-01-02T08:00:00Z), in ms. */
function isoTime(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)
    ? Date.parse(text)
    : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new InvalidArgumentError("It must be an ISO 8601 time with its zone, e.g. 2026-01-02T08:00:00Z.");
  return ms;
}

/** A percentage move of a price: above -100, at most 1000. */
function percent(text: string): number {
  const n = Number(text);
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(text) || n <= -100 || n > 1000)
    throw new InvalidArgumentError("It must be a number above -100 and at most 1000.");
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** --url, --data and --admin-token: how the account and market commands find a venue and its token. */
function adminOptions(command: Command): Command {
  return command
    .option("--url <url>", "the venue's base URL", "http://127.0.0.1:8080")
    .option("--data <folder>", "the venue's data folder, to read its admin-token file", "./data")
    .addOption(
      new Option("--admin-token <token>", "the admin token (instead of reading it from --data)").argParser(
        nonEmpty,
      ),
    );
}

type AdminValues = { url: string; data: string; adminToken?: string };

const target = (values: AdminValues) => ({
  url: values.url,
  data: values.data,
  adminToken: values.adminToken,
});

const print = (text: string) => {
  process.stdout.write(text);
};

export function buildProgram(): Command {
  const program = new Command(PROGRAM)
    .description("A Binance-compatible Portfolio Margin venue for coin-margined futures.")
    .version(packageVersion(), "--version", "print the version and exit")
    .helpOption("-h, --help", "print this help and exit")
    .configureHelp({ helpWidth: HELP_WIDTH, sortSubcommands: false, showGlobalOptions: false })
    .helpCommand("help [command]", "print a command's help and exit")
    .showSuggestionAfterError()
    .exitOverride()
    // Errors are thrown (exitOverride) and printed as one line by cli.ts.
    .configureOutput({ outputError: () => {}, writeErr: () => {} });

  program
    .command("serve")
    .description("run the venue on a data folder, until SIGTERM or SIGINT")
    .argument(
      "[files...]",
      "with --market replay: price files, each named as Binance names them or SYMBOL=FILE",
    )
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .addOption(
      new Option("--port <port>", "port to listen on (0 picks a free one)")
        .default(8080)
        .argParser(integer(0, 65535)),
    )
    .option(
      "--data <folder>",
      "data folder: SQLite database and admin-token file (made if missing)",
      "./data",
    )
    .addOption(
      new Option(
        "--admin-token <token>",
        "admin API token (default: read from, or made in, <data>/admin-token)",
      ).argParser(nonEmpty),
    )
    .addOption(
      new Option("--sync <mode>", "full: fsync every commit; normal: survives a crash of the process only")
        .choices(["full", "normal"])
        .default("full"),
    )
    .addOption(
      new Option("--ip-weight-limit <n>", "request weight per IP and minute")
        .default(DEFAULT_RATE_LIMITS.ipWeightLimit)
        .argParser(integer(1, 1e9)),
    )
    .addOption(
      new Option("--order-limit <n>", "new and modified orders per account and minute")
        .default(DEFAULT_RATE_LIMITS.orderLimit)
        .argParser(integer(1, 1e9)),
    )
    .option("--no-rate-limits", "switch every rate limit off (load tests only)")
    .addOption(
      new Option(
        "--market <kind>",
        "sim: simulated makers and takers trade every contract; replay: the same, their references read from the [files] (Binance's aggTrades or klines CSV); none: a quiet venue",
      )
        .choices(["sim", "replay", "none"])
        .default("none", "none, or sim with --market-config"),
    )
    .addOption(
      new Option("--replay-speed <x>", "with --market replay: how many times faster than the files' own time")
        .default(1)
        .argParser(speed),
    )
    .addOption(
      new Option(
        "--market-config <file>",
        "the simulated market's settings, JSON (the README lists them)",
      ).argParser(nonEmpty),
    )
    .addOption(
      new Option("--seed <n>", "the simulated market's seed (default: drawn at start and printed)").argParser(
        integer(0, 2 ** 31 - 1),
      ),
    )
    .addOption(
      new Option(
        "--clock <mode>",
        "running: the venue clock follows the wall clock; frozen: it moves only when POST /admin/v1/clock advances it (default: as the data folder kept it, else running)",
      ).choices(["running", "frozen"]),
    )
    .addOption(
      new Option(
        "--clock-start <time>",
        "the venue clock's time at start, ISO 8601 with its zone (e.g. 2026-01-02T08:00:00Z)",
      ).argParser(isoTime),
    )
    .addOption(
      new Option(
        "--fan-out <where>",
        "process: the market streams' events are written to their sockets by a process of their own, beside the venue's; inline: by the venue's own",
      )
        .choices(["process", "inline"])
        .default("process"),
    )
    .addOption(
      new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("warn").env("LOG_LEVEL"),
    )
    .action(
      (
        files: string[],
        values: {
          host: string;
          port: number;
          data: string;
          adminToken?: string;
          sync: "full" | "normal";
          ipWeightLimit: number;
          orderLimit: number;
          rateLimits: boolean;
          market: "sim" | "replay" | "none";
          marketConfig?: string;
          replaySpeed: number;
          seed?: number;
          clock?: "running" | "frozen";
          clockStart?: number;
          fanOut: "process" | "inline";
          logLevel: string;
        },
      ) => {
        if (values.market === "replay" && files.length === 0)
          throw new UsageError("--market replay needs one or more price files", "serve");
        if (values.market !== "replay" && files.length > 0)
          throw new UsageError(`price files (${files[0]}) are for --market replay`, "serve");
        return serve({
          host: values.host,
          port: values.port,
          data: values.data,
          adminToken: values.adminToken,
          sync: values.sync,
          rateLimits: {
            enabled: values.rateLimits,
            ipWeightLimit: values.ipWeightLimit,
            orderLimit: values.orderLimit,
          },
          // A configuration file says which market is wanted, unless --market says otherwise.
          market:
            values.marketConfig !== undefined &&
            program.commands[0]!.getOptionValueSource("market") === "default"
              ? "sim"
              : values.market,
          marketConfig: values.marketConfig,
          replay: files,
          replaySpeed: values.replaySpeed,
          seed: values.seed,
          clock: values.clock,
          clockStart: values.clockStart,
          fanOut: values.fanOut,
          logLevel: values.logLevel,
        });
      },
    );

  const account = program
    .command("account")
    .description("create, list and add keys to accounts of a running venue")
    .configureHelp({ helpWidth: HELP_WIDTH, sortSubcommands: false });

  adminOptions(
    account
      .command("create")
      .description("create an account with balances and an HMAC API key")
      .addOption(
        new Option("--balance <ASSET=AMOUNT>", "a starting balance in one of the venue's coins, repeatable")
          .argParser(collect)
          .default([], "none"),
      )
      .addOption(
        new Option("--format <format>", "json, or env for a shell's export line")
          .choices(["json", "env"])
          .default("json"),
      ),
  ).action(async (values: AdminValues & { balance: string[]; format: "json" | "env" }) =>
    print(await createAccount(target(values), parseBalances(values.balance), values.format)),
  );

  adminOptions(
    account
      .command("key")
      .description("add an API key to an account")
      .addOption(
        new Option("--account <id>", "the account's id")
          .argParser(integer(1, Number.MAX_SAFE_INTEGER))
          .makeOptionMandatory(),
      )
      .addOption(new Option("--type <type>", "key type").choices(["HMAC", "ED25519", "RSA"]).default("HMAC"))
      .option("--public-key <file>", "the public key, PEM (ED25519 and RSA)"),
  ).action(async (values: AdminValues & { account: number; type: string; publicKey?: string }) =>
    print(await createKey(target(values), values.account, values.type, values.publicKey)),
  );

  adminOptions(
    account
      .command("list")
      .description("list accounts: id, alias, balances and API keys (never secrets)")
      .addOption(
        new Option("--from-id <id>", "first account id")
          .default(1)
          .argParser(integer(1, Number.MAX_SAFE_INTEGER)),
      )
      .addOption(new Option("--limit <n>", "how many accounts").default(100).argParser(integer(1, 1000))),
  ).action(async (values: AdminValues & { fromId: number; limit: number }) =>
    print(await listAccounts(target(values), values.fromId, values.limit)),
  );

  adminOptions(
    account
      .command("skew")
      .description("check an account's signed requests as if the venue clock were off (0 clears it)")
      .addOption(
        new Option("--account <id>", "the account's id")
          .argParser(integer(1, Number.MAX_SAFE_INTEGER))
          .makeOptionMandatory(),
      )
      .addOption(
        new Option("--ms <n>", "how far off, ms (positive: its timestamps look late)")
          .argParser(signedMs)
          .makeOptionMandatory(),
      ),
  ).action(async (values: AdminValues & { account: number; ms: number }) =>
    print(await skewClock(target(values), values.account, values.ms)),
  );

  const clock = program
    .command("clock")
    .description("look at, freeze and advance the venue clock of a running venue")
    .configureHelp({ helpWidth: HELP_WIDTH, sortSubcommands: false });

  adminOptions(
    clock.command("status").description("print the venue's time and whether its clock runs"),
  ).action(async (values: AdminValues) => print(await clockStatus(target(values))));
  adminOptions(
    clock
      .command("advance")
      .description("move the clock forward; what falls due meanwhile runs, in time order")
      .addOption(
        new Option("--ms <n>", "how far, ms (at most a day)")
          .argParser(integer(0, 86_400_000))
          .makeOptionMandatory(),
      ),
  ).action(async (values: AdminValues & { ms: number }) =>
    print(await changeClock(target(values), { advanceMs: values.ms })),
  );
  adminOptions(clock.command("freeze").description("stop the clock where it stands")).action(
    async (values: AdminValues) => print(await changeClock(target(values), { freeze: true })),
  );
  adminOptions(
    clock.command("resume").description("let a frozen clock run again from where it stands"),
  ).action(async (values: AdminValues) => print(await changeClock(target(values), { freeze: false })));

  const fault = program
    .command("fault")
    .description("inject faults into a running venue's answers and streams")
    .configureHelp({ helpWidth: HELP_WIDTH, sortSubcommands: false });

  adminOptions(
    fault
      .command("add")
      .description("add a fault: a request's (--method and --path) or a stream's (--stream)")
      .option("--method <method>", "the requests' method: GET, POST, PUT or DELETE")
      .option("--path <path>", "the requests' path, as served, e.g. /papi/v1/cm/order")
      .addOption(new Option("--stream <stream>", "a stream fault's stream").choices(["user", "market"]))
      .addOption(
        new Option("--account <id>", "only this account's requests (or user-data streams)").argParser(
          integer(1, Number.MAX_SAFE_INTEGER),
        ),
      )
      .requiredOption(
        "--effect <effect>",
        "unknown-executed, unknown-not-executed, unavailable, throttled, delay, drop, rate-limited; disconnect or pause for a stream",
      )
      .addOption(
        new Option("--count <n>", "how many requests (or sockets) it hits").argParser(integer(1, 1e9)),
      )
      .addOption(
        new Option("--probability <p>", "the chance it hits a request, above 0, at most 1").argParser(
          probability,
        ),
      )
      .addOption(
        new Option("--delay-ms <n>", "a delay's wait, or a pause's length").argParser(integer(1, 600_000)),
      )
      .addOption(
        new Option("--executed <yes>", "a drop: whether the command runs first").choices(["true", "false"]),
      ),
  ).action(
    async (
      values: AdminValues & {
        method?: string;
        path?: string;
        stream?: string;
        account?: number;
        effect: string;
        count?: number;
        probability?: number;
        delayMs?: number;
        executed?: string;
      },
    ) => {
      if ((values.stream === undefined) === (values.method === undefined || values.path === undefined))
        throw new UsageError("a fault takes --method and --path, or --stream", "fault add");
      print(
        await addFault(target(values), {
          ...values,
          executed: values.executed === undefined ? undefined : values.executed === "true",
        }),
      );
    },
  );
  adminOptions(
    fault.command("list").description("print the faults standing, with their hits, one JSON line each"),
  ).action(async (values: AdminValues) => print(await listFaults(target(values))));
  adminOptions(
    fault
      .command("remove")
      .description("lift one fault (--id) or every one")
      .addOption(
        new Option("--id <faultId>", "the fault's id").argParser(integer(1, Number.MAX_SAFE_INTEGER)),
      ),
  ).action(async (values: AdminValues & { id?: number }) =>
    print(await removeFault(target(values), values.id)),
  );

  const journalCommand = adminOptions(
    program
      .command("journal")
      .description(
        "print a running venue's command journal as JSON lines, secrets left out (replay --journal takes it)",
      )
      .addOption(
        new Option("--from-seq <n>", "the first sequence number")
          .default(1)
          .argParser(integer(1, Number.MAX_SAFE_INTEGER)),
      )
      .addOption(
        new Option("--limit <n>", "how many entries at most").default(100_000).argParser(integer(1, 100_000)),
      ),
  ).action(async (values: AdminValues & { fromSeq: number; limit: number }) =>
    print(await exportJournal(target(values), values.fromSeq, values.limit)),
  );

  const scenarioCommand = adminOptions(
    program
      .command("scenario")
      .description(
        "run a JSON or YAML list of steps (advance, freeze, mark, index, fault, clearFaults, fill, skew, balance, market, wait, expect) against a running venue",
      )
      .argument("<file>", "the steps; .json is read as JSON, anything else as YAML"),
  ).action(async (file: string, values: AdminValues) => scenario(target(values), file, print));

  const replayCommand = program
    .command("replay")
    .description(
      "rebuild a venue in a new data folder from a journal: another data folder's (--data) or an export's (--journal)",
    )
    .option("--data <folder>", "the data folder whose journal is replayed (read-only; its venue may run)")
    .option(
      "--journal <file>",
      "a journal export, JSON lines (GET /admin/v1/journal); secrets are drawn afresh",
    )
    .requiredOption("--to <folder>", "the new data folder (missing or empty)")
    .addOption(
      new Option("--until <seq>", "stop after this sequence number").argParser(
        integer(1, Number.MAX_SAFE_INTEGER),
      ),
    )
    .action(async (values: { data?: string; journal?: string; to: string; until?: number }) => {
      if ((values.data === undefined) === (values.journal === undefined))
        throw new UsageError("replay takes --data or --journal, one of them", "replay");
      print(await replay({ data: values.data, journal: values.journal }, values.to, values.until));
    });

  const order = program
    .command("order")
    .description("act on an order of a running venue as the market would")
    .configureHelp({ helpWidth: HELP_WIDTH, sortSubcommands: false });

  adminOptions(
    order
      .command("fill")
      .description("fill an open order at its price against the house, in part or whole; print the order")
      .requiredOption("--symbol <symbol>", "the order's contract, e.g. BTCUSD_PERP")
      .addOption(
        new Option("--order-id <id>", "the order's id")
          .argParser(integer(1, Number.MAX_SAFE_INTEGER))
          .makeOptionMandatory(),
      )
      .addOption(
        new Option("--quantity <n>", "contracts (default: all it has left)").argParser(
          integer(1, Number.MAX_SAFE_INTEGER),
        ),
      ),
  ).action(async (values: AdminValues & { symbol: string; orderId: number; quantity?: number }) =>
    print(await fillOrder(target(values), values.symbol, values.orderId, values.quantity)),
  );

  const market = program
    .command("market")
    .description("look at and steer the simulated market of a running venue (serve --market sim)")
    .configureHelp({ helpWidth: HELP_WIDTH, sortSubcommands: false });

  adminOptions(
    market.command("status").description("print the market's settings, references and whether it is paused"),
  ).action(async (values: AdminValues) => print(await marketStatus(target(values))));
  adminOptions(
    market.command("pause").description("stop the market's makers and takers (the clock moves on)"),
  ).action(async (values: AdminValues) => print(await pauseMarket(target(values), true)));
  adminOptions(market.command("resume").description("let a paused market trade again")).action(
    async (values: AdminValues) => print(await pauseMarket(target(values), false)),
  );
  adminOptions(
    market
      .command("jump")
      .description("move a contract's reference price at once, by a percentage")
      .requiredOption("--symbol <symbol>", "the contract, e.g. BTCUSD_PERP (its pair's reference moves)")
      .addOption(new Option("--pct <n>", "the move, % (e.g. -5)").argParser(percent).makeOptionMandatory()),
  ).action(async (values: AdminValues & { symbol: string; pct: number }) =>
    print(await jumpMarket(target(values), values.symbol, values.pct)),
  );

  // The top-level help is the whole manual: every command with every option, then the
  // environment. The README holds it verbatim (a test keeps them equal).
  program.addHelpText("after", () => {
    const leaves = [
      program.commands[0]!,
      ...account.commands,
      ...clock.commands,
      ...order.commands,
      ...market.commands,
      ...fault.commands,
      journalCommand,
      scenarioCommand,
      replayCommand,
    ];
    return [
      ...leaves.map((c) => `\n${c.helpInformation().trimEnd()}`),
      "",
      "Environment:",
      "  LOG_LEVEL  serve's --log-level when that flag is not given",
    ].join("\n");
  });
  return program;
}

/** The command named at the head of the arguments ("serve", "account create"), for pointing at its --help. */
export function commandOf(program: Command, args: readonly string[]): string {
  const names: string[] = [];
  let command = program;
  for (const arg of args) {
    const sub = command.commands.find((c) => c.name() === arg);
    if (!sub) break;
    names.push(arg);
    command = sub;
  }
  return names.join(" ");
}
