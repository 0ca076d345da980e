// Hostile input, fuzzed over a real socket: random and malformed requests to every
// served path (methods, query strings with broken percent-encoding, duplicates, unicode
// and huge values, bodies under any content type, missing and extra headers, signed and
// unsigned), raw bytes that are not HTTP at all, and WebSocket upgrades and messages.
// Every answer is a 200 with JSON or a 4xx with a Binance error body; none is a 5xx,
// none hangs, and a refused request leaves accounts, orders and trades as they were.
import { createHmac } from "node:crypto";
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ROUTES } from "../../src/api/server.js";
import { ADMIN_TOKEN, type Client, Harness, limit, tempDir, textParams } from "../support/harness.js";
import { type RawAnswer, rawExchange } from "../support/raw-http.js";

const SEED = Number(process.env.FUZZ_SEED ?? 424242);
const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

let h: Harness;
let port: number;
let alice: Client;
let bob: Client;
let aliceOrderId: number;

/** Alice's live listenKey (a fuzzed DELETE /papi/v1/listenKey may have closed the last one). */
async function liveListenKey(): Promise<string> {
  const res = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
  return (res.body as { listenKey: string }).listenKey;
}

beforeAll(async () => {
  h = await Harness.start(tempDir(), {
    rateLimits: { enabled: false, ipWeightLimit: 6000, orderLimit: 1200 },
    // A request cut short by the fuzzer is refused quickly instead of after the default.
    limits: { requestTimeoutMs: 2000 },
  });
  const url = await h.app.listen({ host: "127.0.0.1", port: 0 });
  port = Number(new URL(url).port);
  alice = await h.account();
  bob = await h.account();
  aliceOrderId = (await h.place(alice, limit("BUY", 2, "29000", { newClientOrderId: "alice-1" })))
    .orderId as number;
  await h.place(bob, limit("SELL", 2, "31000", { newClientOrderId: "bob-1" }));
  await h.place(alice, limit("SELL", 1, "30000"));
  await h.place(bob, limit("BUY", 1, "30000"));
});
afterAll(() => h.close());

/** Everything a refused request must leave untouched, from memory and from disk. */
async function snapshot(): Promise<string> {
  const db = h.store.connection;
  const disk = {
    orders: db.prepare("SELECT * FROM orders ORDER BY id").all(),
    trades: db.prepare("SELECT COUNT(*) AS n FROM trades").get(),
    accounts: db.prepare("SELECT COUNT(*) AS n FROM accounts").get(),
    keys: db.prepare("SELECT COUNT(*) AS n FROM api_keys").get(),
    balances: db.prepare("SELECT * FROM balances ORDER BY account_id, asset").all(),
    positions: db.prepare("SELECT * FROM positions ORDER BY account_id, symbol").all(),
  };
  const memory = await Promise.all(
    [alice, bob].map(async (c) => ({
      open: await h.venue.openOrders(c.accountId, undefined),
      account: await h.venue.account(c.accountId),
    })),
  );
  return JSON.stringify({ disk, memory }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** Every (method, path) the venue serves: the REST table, the listenKey calls, the admin API. */
const SERVED: ReadonlyArray<readonly [string, string]> = [
  ...ROUTES.map((r) => [r.method, r.url] as const),
  ["POST", "/papi/v1/listenKey"],
  ["PUT", "/papi/v1/listenKey"],
  ["DELETE", "/papi/v1/listenKey"],
  ["POST", "/admin/v1/accounts"],
  ["GET", "/admin/v1/accounts"],
  ["GET", "/admin/v1/accounts/1"],
  ["POST", "/admin/v1/accounts/1/apiKeys"],
  ["POST", "/admin/v1/accounts/1/balances"],
  ["POST", "/admin/v1/markPrice"],
];

/** Paths no route matches exactly, and methods no route has. */
const ODD_PATHS = [
  "/papi/v1/cm/order/",
  "/PAPI/V1/CM/ORDER",
  "/papi//v1/cm/order",
  "/papi/v1/cm/%6Frder",
  "/admin/v1/accounts/99999999999999999999",
  "/admin/v1/accounts/../accounts",
  "/admin/v1/accounts/%",
  // Out of the console's files (`/` itself now leads to the console, a redirect).
  "/console/..%2f..%2fpackage.json",
  "/console/%2e%2e/%2e%2e/package.json",
  "/console/%",
  "*",
];
const ODD_METHODS = ["PATCH", "OPTIONS", "TRACE", "get", "FOO", "CONNECT", "HEAD"];

const PARAM_NAMES = [
  "symbol",
  "pair",
  "side",
  "type",
  "timeInForce",
  "quantity",
  "price",
  "orderId",
  "origClientOrderId",
  "newClientOrderId",
  "newOrderRespType",
  "reduceOnly",
  "positionSide",
  "limit",
  "startTime",
  "endTime",
  "fromId",
  "asset",
  "recvWindow",
  "modifyId",
  "timestamp",
  "signature",
];

const valueArb = fc.oneof(
  fc.constantFrom(
    "BTCUSD_PERP",
    "ETHUSD_PERP",
    "BTCUSD_261225",
    "BTCUSD",
    "BUY",
    "SELL",
    "LIMIT",
    "MARKET",
    "GTC",
    "IOC",
    "FOK",
    "GTX",
    "BOTH",
    "LONG",
    "ACK",
    "RESULT",
    "true",
    "false",
    "1",
    "0",
    "-1",
    "30000",
    "29000.5",
    "0.00000001",
    "1e5",
    "NaN",
    "Infinity",
    "null",
    "[]",
    "{}",
    "0x10",
    "９",
    " 1",
    "alice-1",
    "bob-1",
    "",
  ),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.string({ unit: "grapheme", maxLength: 24 }),
  fc.string({ unit: "binary", maxLength: 16 }),
  fc.constantFrom("%", "%Z", "%E0%A4%A", "%00", "%FF", "%uD800", "%%", "+", "&", "=", "%0D%0A"),
  fc.integer({ min: 1, max: 3000 }).map((n) => "9".repeat(n)),
);

const nameArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PARAM_NAMES) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
);

type Pair = readonly [string, string, "encoded" | "raw" | "bare"];
const pairArb: fc.Arbitrary<Pair> = fc.tuple(
  nameArb,
  valueArb,
  // Raw values (spaces, CR LF, bare non-ASCII) mostly break the request line itself: keep them rare.
  fc.constantFrom(...Array<Pair[2]>(16).fill("encoded"), "raw", "bare"),
);

/** Valid parameters for the path, the start of cases that get past the first checks. */
function template(pathName: string): Record<string, string> {
  if (pathName === "/papi/v1/cm/order")
    return { ...textParams(limit("BUY", 1, "29500")), orderId: String(aliceOrderId) };
  if (pathName.startsWith("/papi/v1/cm/") || pathName.startsWith("/dapi/")) {
    return { symbol: "BTCUSD_PERP", orderId: String(aliceOrderId), limit: "5" };
  }
  return { asset: "BTC" };
}

function encodePairs(pairs: readonly Pair[]): string {
  return pairs
    .map(([name, value, how]) =>
      how === "encoded"
        ? `${encodeURIComponent(name)}=${encodeURIComponent(value)}`
        : how === "raw"
          ? `${name}=${value}`
          : name,
    )
    .join("&");
}

const paramsArb = (pathName: string): fc.Arbitrary<Pair[]> =>
  fc.oneof(
    fc.array(pairArb, { maxLength: 10 }),
    fc
      .tuple(
        fc.array(pairArb, { maxLength: 4 }),
        fc.array(fc.nat({ max: 7 }), { maxLength: 3 }),
        fc.array(fc.tuple(fc.nat({ max: 7 }), valueArb), { maxLength: 2 }),
      )
      .map(([extra, drops, replaced]) => {
        const base: Pair[] = Object.entries(template(pathName)).map(([k, v]) => [k, v, "encoded"] as const);
        for (const [i, v] of replaced) {
          const at = base[i % base.length];
          if (at) base[i % base.length] = [at[0], v, "encoded"];
        }
        return [...base.filter((_, i) => !drops.includes(i)), ...extra];
      }),
  );

const CONTENT_TYPES = [
  undefined,
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-8",
  "APPLICATION/X-WWW-FORM-URLENCODED",
  "application/json",
  "text/plain",
  "multipart/form-data; boundary=x",
  "",
];

interface Case {
  readonly method: string;
  readonly path: string;
  readonly query: Pair[];
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  readonly apiKey: string | undefined;
  readonly authorization: string | undefined;
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>;
  readonly signedBy: Client | undefined;
  readonly lengthSlack: number;
}

const authArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("alice-signed", "bob-signed") },
  { weight: 1, arbitrary: fc.constantFrom("alice-key", "bob-key-alice-signed", "none") },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 70 }) },
  { weight: 1, arbitrary: fc.constant("A".repeat(129)) },
);

const headerValueArb = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
);

const caseArb: fc.Arbitrary<Case> = fc
  .oneof(
    { weight: 8, arbitrary: fc.constantFrom(...SERVED) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom("GET", "POST", "PUT", "DELETE", ...ODD_METHODS),
        fc.constantFrom(...SERVED.map(([, url]) => url)),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom("GET", "POST", "PUT", "DELETE"), fc.constantFrom(...ODD_PATHS)),
    },
  )
  .chain(([method, pathName]) =>
    fc.record({
      method: fc.constant(method),
      path: fc.constant(pathName),
      query: paramsArb(pathName),
      body: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: paramsArb(pathName).map(encodePairs) },
        { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
        { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            '{"balances":{"BTC":"1"}}',
            '{"balances":{"btc":"-1"}}',
            '{"balances":{"BTC":"1e400"}}',
            '{"balances":{"BTC":"99999999999999999999.99999999"}}',
            '{"__proto__":{"x":1}}',
            '{"type":"ED25519","publicKey":"garbage"}',
            '{"type":"RSA"}',
            '{"asset":"BTC","amount":"-99999999999"}',
            '{"asset":"BTC","amount":"0.000000001"}',
            '{"asset":"BTC","amount":"99999999999999999999.99999999"}',
            '{"symbol":"BTCUSD_PERP","markPrice":"0"}',
            '{"symbol":"BTCUSD_PERP","markPrice":null}',
            '{"symbol":"BTCUSD_PERP","markPrice":"99999999999999999999"}',
            '{"symbol":"BTCUSD_PERP","markPrice":"30000.05"}',
            "null",
            "[]",
          ),
        },
        { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 70_000 }).map((n) => "a=".padEnd(n, "b")) },
      ),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      auth: authArb,
      authorization: fc.constantFrom(
        undefined,
        `Bearer ${ADMIN_TOKEN}`,
        "Bearer wrong",
        "Basic x",
        "Bearer ",
      ),
      extraHeaders: fc.oneof(
        { weight: 4, arbitrary: fc.constant<ReadonlyArray<readonly [string, string]>>([]) },
        {
          weight: 1,
          arbitrary: fc.array(
            fc.tuple(
              fc.oneof(
                {
                  weight: 3,
                  arbitrary: fc.constantFrom("X-Mbx-Apikey", "Content-Type", "Expect", "X-Extra"),
                },
                { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
              ),
              headerValueArb,
            ),
            { maxLength: 3 },
          ),
        },
      ),
      lengthSlack: fc.constantFrom(0, 0, 0, 5),
    }),
  )
  .map(({ auth, ...c }) => {
    const signer = auth.endsWith("signed") ? (auth.startsWith("alice") ? alice : bob) : undefined;
    const keyHolder = auth.startsWith("bob-key") ? bob : signer;
    const apiKey =
      keyHolder?.apiKey ?? (auth === "alice-key" ? alice.apiKey : auth === "none" ? undefined : auth);
    return { ...c, apiKey, signedBy: auth === "bob-key-alice-signed" ? alice : signer };
  });

function requestBytes(c: Case): Buffer {
  let query = encodePairs(c.query);
  const body = c.body ?? "";
  if (c.signedBy) {
    query = `${query}${query === "" ? "" : "&"}timestamp=${h.clock}`;
    const form = (c.contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
    const signature = createHmac("sha256", c.signedBy.secret)
      .update(query + (form ? body : ""), "utf8")
      .digest("hex");
    query = `${query}&signature=${signature}`;
  }
  const headers = ["Host: 127.0.0.1", "Connection: close"];
  if (c.apiKey !== undefined) headers.push(`X-MBX-APIKEY: ${c.apiKey}`);
  if (c.authorization !== undefined) headers.push(`Authorization: ${c.authorization}`);
  if (c.contentType !== undefined) headers.push(`Content-Type: ${c.contentType}`);
  for (const [name, value] of c.extraHeaders) headers.push(`${name}: ${value}`);
  if (c.body !== undefined) headers.push(`Content-Length: ${Buffer.byteLength(body) + c.lengthSlack}`);
  const target = query === "" ? c.path : `${c.path}?${query}`;
  return Buffer.from(`${c.method} ${target} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n${body}`, "utf8");
}

/** A 200 with JSON, or a 4xx with exactly {"code":<negative integer>,"msg":<string>}. */
function expectWellFormed(answer: RawAnswer | undefined, method: string): void {
  expect(answer, "the server closed without answering").toBeDefined();
  const { status, body } = answer!;
  expect(status, body).toBeGreaterThanOrEqual(200);
  expect(status, body).toBeLessThan(500);
  if (method === "HEAD") return;
  const parsed: unknown = JSON.parse(body);
  if (status === 200) return;
  expect(status).toBeGreaterThanOrEqual(400);
  expect(Object.keys(parsed as object)).toEqual(["code", "msg"]);
  const { code, msg } = parsed as { code: unknown; msg: unknown };
  expect(Number.isInteger(code) && (code as number) < 0).toBe(true);
  expect(typeof msg).toBe("string");
}

describe("hostile input", () => {
  it("answers every fuzzed request to a served path well-formed, and a refused one changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const before = await snapshot();
        const answer = await rawExchange(port, requestBytes(c), { end: true, head: c.method === "HEAD" });
        expectWellFormed(answer, c.method);
        if (answer!.status !== 200) expect(await snapshot()).toBe(before);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("answers bytes that are not HTTP with a 400 Binance error or a close", async () => {
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.string({ unit: "binary", minLength: 1, maxLength: 200 }).map((s) => Buffer.from(s, "utf8")),
      fc
        .tuple(
          fc.constantFrom("GET ", "POST ", "GET /papi/v1/ping HTTP/1.1\r\n"),
          fc.string({ maxLength: 80 }),
        )
        .map(([head, tail]) => Buffer.from(head + tail, "utf8")),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (bytes) => {
        const before = await snapshot();
        const answer = await rawExchange(port, bytes, { end: true });
        if (answer !== undefined) {
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(Object.keys(JSON.parse(answer.body) as object)).toEqual(["code", "msg"]);
        }
        expect(await snapshot()).toBe(before);
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect((await h.request("GET", "/papi/v1/ping")).status).toBe(200);
  });

  it("answers every fuzzed stream upgrade with 101 or a Binance error", async () => {
    const listenKey = await liveListenKey();
    const upgradeArb = fc.record({
      target: fc.oneof(
        fc.constantFrom(
          `/pm/ws/${"k"}`,
          "/pm/ws/",
          "/pm/stream",
          "/pm/stream?streams=",
          "//",
          "///x",
          "/pm/ws/%",
          "/papi/v1/ping",
          "\\\\",
        ),
        fc.constant("live"),
        fc.string({ unit: "grapheme", maxLength: 30 }).map((s) => `/pm/ws/${s}`),
        fc.string({ unit: "grapheme", maxLength: 30 }).map((s) => `/pm/stream?streams=${s}`),
      ),
      method: fc.constantFrom("GET", "GET", "POST"),
      key: fc.constantFrom("dGhlIHNhbXBsZSBub25jZQ==", undefined, "short", ""),
      version: fc.constantFrom("13", "8", undefined, "99", "x"),
      upgrade: fc.constantFrom("websocket", "WebSocket", "h2c", ""),
      protocol: fc.constantFrom(undefined, "chat", "a b", ",,"),
    });
    await fc.assert(
      fc.asyncProperty(upgradeArb, async (u) => {
        const target = u.target === "live" ? `/pm/ws/${listenKey}` : u.target;
        const headers = [`Upgrade: ${u.upgrade}`, "Connection: Upgrade", "Host: 127.0.0.1"];
        if (u.key !== undefined) headers.push(`Sec-WebSocket-Key: ${u.key}`);
        if (u.version !== undefined) headers.push(`Sec-WebSocket-Version: ${u.version}`);
        if (u.protocol !== undefined) headers.push(`Sec-WebSocket-Protocol: ${u.protocol}`);
        const bytes = Buffer.from(
          `${u.method} ${target} HTTP/1.1\r\n${headers.join("\r\n")}\r\n\r\n`,
          "utf8",
        );
        const answer = await rawExchange(port, bytes);
        expect(answer, "the server closed without answering").toBeDefined();
        if (answer!.status === 101) return;
        expectWellFormed(answer, u.method);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect((await h.request("GET", "/papi/v1/ping")).status).toBe(200);
  });

  it("survives clients that reset the connection right after asking for a stream upgrade", async () => {
    for (const target of ["/pm/ws/no-such-key", "/papi/v1/ping", "//", `/pm/ws/${await liveListenKey()}`]) {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve) => {
          const socket = net.connect({ host: "127.0.0.1", port }, () => {
            socket.write(
              `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
            );
            socket.resetAndDestroy();
            resolve();
          });
          socket.on("error", () => {});
        });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      (await rawExchange(port, "GET /papi/v1/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))?.status,
    ).toBe(200);
  });

  it("keeps a stream open through any message a client sends on it", async () => {
    const listenKey = await liveListenKey();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/pm/stream?streams=${listenKey}`);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    const messages = fc.oneof(
      fc.json(),
      fc.constantFrom(
        "null",
        "1",
        '"x"',
        "[]",
        '{"method":"SUBSCRIBE"}',
        '{"method":"SUBSCRIBE","params":null}',
      ),
      fc.constantFrom('{"method":"UNSUBSCRIBE","params":[1,{}]}', '{"method":"LIST_SUBSCRIPTIONS","id":{}}'),
      fc.string({ unit: "grapheme", maxLength: 50 }),
    );
    await fc.assert(
      fc.asyncProperty(messages, async (text) => {
        ws.send(text);
        await new Promise((resolve) => setImmediate(resolve));
      }),
      { seed: SEED, numRuns: 200 },
    );
    // A round trip proves the server still reads this socket.
    const answered = new Promise<unknown>((resolve) => {
      ws.on("message", (data: Buffer) => {
        const parsed = JSON.parse(data.toString()) as { id?: unknown };
        if (parsed.id === "last") resolve(parsed);
      });
    });
    ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: "last" }));
    expect(await answered).toMatchObject({ id: "last" });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.terminate();
  });
});
