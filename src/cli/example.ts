// What `serve` prints once it listens: where it is, where its data and admin token are,
// and an example that creates an account and places and cancels an order. The example
// runs as printed in a second terminal opened in the same folder, however the venue was
// started: it names the address clients can reach (loopback when the venue listens on
// every interface), the data folder as given (or the token as given), and this very CLI.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { shellWord } from "./failure.js";

export interface ExampleOptions {
  readonly host: string;
  readonly port: number;
  /** The data folder as given on the command line. */
  readonly folder: string;
  /** The admin token's file, when the token is kept in the data folder. */
  readonly tokenFile: string | undefined;
  /** The token as given with --admin-token (none when it is kept in a file). */
  readonly givenToken: string | undefined;
}

/** The built CLI's entry (dist/cli.js), beside this file's folder. */
const CLI_FILE = fileURLToPath(new URL("../cli.js", import.meta.url));

/** A URL host for an address: bracketed when IPv6; loopback for the wildcard addresses. */
export function reachableHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** How to run this CLI from the current folder: `node dist/cli.js` in a checkout, else its full path. */
function cliCommand(): string {
  const relative = path.relative(process.cwd(), CLI_FILE);
  const shown = relative.startsWith("..") || path.isAbsolute(relative) ? CLI_FILE : relative;
  return `node ${shellWord(shown)}`;
}

function signedCurl(base: string, method: string, route: string): string {
  const sign = `$(printf %s "$Q" | openssl dgst -sha256 -hmac "$PAPI_SECRET" | awk '{print $NF}')`;
  return `curl -s -X ${method} "${base}${route}?$Q&signature=${sign}" -H "X-MBX-APIKEY: $PAPI_KEY"; echo`;
}

export function startExample(options: ExampleOptions): string {
  const listening = `${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}`;
  const base = `http://${reachableHost(options.host)}:${options.port}`;
  const token =
    options.tokenFile === undefined
      ? `--admin-token ${shellWord(options.givenToken ?? "")}`
      : `--data ${shellWord(options.folder)}`;
  return [
    `papi-venue listening on http://${listening}`,
    `data folder: ${path.resolve(options.folder)} (SQLite)`,
    options.tokenFile ? `admin token: in ${options.tokenFile}` : "admin token: as given by --admin-token",
    `console: ${base}/console/ (in a browser; the admin token opens its accounts view)`,
    "",
    "try it (needs curl and openssl):",
    `  eval "$(${cliCommand()} account create --url ${base} ${token} --balance BTC=100 --format env)"`,
    `  Q="symbol=BTCUSD_PERP&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=29000&newClientOrderId=first&timestamp=$(date +%s000)"`,
    `  ${signedCurl(base, "POST", "/papi/v1/cm/order")}`,
    `  Q="symbol=BTCUSD_PERP&origClientOrderId=first&timestamp=$(date +%s000)"`,
    `  ${signedCurl(base, "DELETE", "/papi/v1/cm/order")}`,
    "",
  ].join("\n");
}
