#!/usr/bin/env node
// papi-venue command line: `serve` runs the venue; `account create` and `account key`
// call a running venue's admin API (the server is the single writer of its data folder).

import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { DEFAULT_RATE_LIMITS } from "./api/rate-limits.js";
import { createApp } from "./app.js";
import { SqliteStore } from "./store/sqlite.js";
import { newAdminToken } from "./venue/ids.js";
import { Venue } from "./venue/venue.js";

const TOKEN_FILE = "admin-token";
/** How long a shutdown waits for busy connections before cutting them. */
const SHUTDOWN_GRACE_MS = 3000;

const USAGE = `usage:
  papi-venue serve [--host 127.0.0.1] [--port 8080] [--data ./data] [--admin-token TOKEN] [--sync full|normal]
                   [--ip-weight-limit 6000] [--order-limit 1200] [--no-rate-limits]
  papi-venue account create [--balance BTC=100 ...] [--url http://127.0.0.1:8080] [--data ./data | --admin-token TOKEN] [--format json|env]
  papi-venue account key --account ID [--type HMAC|ED25519|RSA] [--public-key FILE.pem] [--url ...] [--data ... | --admin-token ...]
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

/** The admin token: given, or read from the data folder, or (serve only) created there with mode 0600. */
function adminToken(
  given: string | undefined,
  dataDir: string,
  create: boolean,
): { token: string; file?: string } {
  if (given) return { token: given };
  const file = path.join(dataDir, TOKEN_FILE);
  if (fs.existsSync(file)) return { token: fs.readFileSync(file, "utf8").trim(), file };
  if (!create)
    fail(
      `no admin token: pass --admin-token or --data pointing at a venue's data folder (${file} is missing)`,
    );
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = newAdminToken();
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8080" },
      data: { type: "string", default: "./data" },
      "admin-token": { type: "string" },
      sync: { type: "string", default: "full" },
      "ip-weight-limit": { type: "string", default: String(DEFAULT_RATE_LIMITS.ipWeightLimit) },
      "order-limit": { type: "string", default: String(DEFAULT_RATE_LIMITS.orderLimit) },
      "no-rate-limits": { type: "boolean", default: false },
    },
  });
  const ipWeightLimit = Number(values["ip-weight-limit"]);
  const orderLimit = Number(values["order-limit"]);
  if (!Number.isInteger(ipWeightLimit) || ipWeightLimit < 1)
    fail(`bad --ip-weight-limit ${values["ip-weight-limit"]}`);
  if (!Number.isInteger(orderLimit) || orderLimit < 1) fail(`bad --order-limit ${values["order-limit"]}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${values.port}`);
  if (values.sync !== "full" && values.sync !== "normal") fail(`bad --sync ${values.sync}`);
  const dataDir = values.data;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { token, file } = adminToken(values["admin-token"], dataDir, true);
  const logger = pino({ level: process.env.LOG_LEVEL ?? "warn" });
  const store = new SqliteStore(dataDir, { synchronous: values.sync === "normal" ? "NORMAL" : "FULL" });
  const venue = new Venue(store, (message, error) => logger.error({ err: error }, message));
  const { app } = createApp({
    venue,
    adminToken: token,
    logger,
    rateLimits: { enabled: !values["no-rate-limits"], ipWeightLimit, orderLimit },
  });
  let closing = false;
  // Stop accepting, let requests already received finish (their commits included), close
  // the streams with 1001, then close the store. Connections still busy after the grace
  // (a request that never finishes arriving) are cut, so a shutdown ends within seconds.
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info("shutting down");
    const grace = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    grace.unref();
    try {
      await app.close();
    } catch (error) {
      logger.error({ err: error }, "error while closing the server");
    }
    clearTimeout(grace);
    await venue.flushed().catch(() => {});
    store.close();
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  // The handlers come first: a SIGTERM right after the address is printed must shut down gracefully.
  let address: string;
  try {
    address = await app.listen({ host: values.host, port });
  } catch (error) {
    if (closing) return;
    throw error;
  }
  const base = address.replace("[::1]", "localhost");
  process.stdout.write(
    [
      `papi-venue listening on ${base}`,
      `data folder: ${path.resolve(dataDir)} (SQLite)`,
      file ? `admin token: in ${file}` : "admin token: as given by --admin-token",
      "",
      "try it (needs curl and openssl):",
      `  eval "$(node dist/cli.js account create --url ${base} --data ${dataDir} --balance BTC=100 --format env)"`,
      `  Q="symbol=BTCUSD_PERP&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=30000&newClientOrderId=first&timestamp=$(date +%s000)"`,
      `  curl -s -X POST "${base}/papi/v1/cm/order?$Q&signature=$(printf %s "$Q" | openssl dgst -sha256 -hmac "$PAPI_SECRET" | awk '{print $NF}')" -H "X-MBX-APIKEY: $PAPI_KEY"`,
      `  Q="symbol=BTCUSD_PERP&origClientOrderId=first&timestamp=$(date +%s000)"`,
      `  curl -s -X DELETE "${base}/papi/v1/cm/order?$Q&signature=$(printf %s "$Q" | openssl dgst -sha256 -hmac "$PAPI_SECRET" | awk '{print $NF}')" -H "X-MBX-APIKEY: $PAPI_KEY"`,
      "",
    ].join("\n"),
  );
}

async function admin(
  url: string,
  token: string,
  method: string,
  pathName: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(new URL(pathName, url), {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    process.stderr.write(`${res.status} ${text}\n`);
    process.exit(1);
  }
  return JSON.parse(text);
}

async function account(argv: string[]): Promise<void> {
  const [action, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      url: { type: "string", default: "http://127.0.0.1:8080" },
      data: { type: "string", default: "./data" },
      "admin-token": { type: "string" },
      balance: { type: "string", multiple: true, default: [] },
      format: { type: "string", default: "json" },
      account: { type: "string" },
      type: { type: "string", default: "HMAC" },
      "public-key": { type: "string" },
    },
  });
  const { token } = adminToken(values["admin-token"], values.data, false);
  if (action === "create") {
    const balances: Record<string, string> = {};
    for (const item of values.balance) {
      const [asset, amount] = item.split("=");
      if (!asset || amount === undefined) fail(`bad --balance ${item} (want ASSET=AMOUNT)`);
      balances[asset] = amount;
    }
    const created = (await admin(values.url, token, "POST", "/admin/v1/accounts", { balances })) as {
      accountId: number;
      apiKey: string;
      secretKey: string;
    };
    if (values.format === "env") {
      process.stdout.write(
        `export PAPI_ACCOUNT=${created.accountId} PAPI_KEY=${created.apiKey} PAPI_SECRET=${created.secretKey}\n`,
      );
    } else process.stdout.write(`${JSON.stringify(created)}\n`);
    return;
  }
  if (action === "key") {
    if (!values.account) fail("account key needs --account ID");
    const publicKey = values["public-key"] ? fs.readFileSync(values["public-key"], "utf8") : undefined;
    const created = await admin(values.url, token, "POST", `/admin/v1/accounts/${values.account}/apiKeys`, {
      type: values.type,
      publicKey,
    });
    process.stdout.write(`${JSON.stringify(created)}\n`);
    return;
  }
  fail(`unknown account action: ${action ?? ""}`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === "serve") return serve(rest);
  if (command === "account") return account(rest);
  fail(command ? `unknown command: ${command}` : "no command");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
