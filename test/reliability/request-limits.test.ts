// Request size and time limits, over a real socket: an oversized body, URL or header
// block, a request that never finishes arriving, and requests Node's parser cannot read
// are each refused with a 4xx and a Binance error body naming the limit, and change
// nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmacHex } from "../../src/api/signature.js";
import { type Client, Harness, limit, tempDir, textParams } from "../support/harness.js";
import { rawExchange } from "../support/raw-http.js";

const REQUEST_TIMEOUT_MS = 300;
let h: Harness;
let port: number;
let alice: Client;

beforeAll(async () => {
  h = await Harness.start(tempDir(), {
    rateLimits: { enabled: false, ipWeightLimit: 6000, orderLimit: 1200 },
    limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS },
  });
  const url = await h.app.listen({ host: "127.0.0.1", port: 0 });
  port = Number(new URL(url).port);
  alice = await h.account();
});
afterAll(() => h.close());

const signedText = (client: Client, text: string) =>
  `${text}&timestamp=${h.clock}&signature=${hmacHex(client.secret, `${text}&timestamp=${h.clock}`)}`;

function post(pathName: string, headers: string[], body: string): string {
  return [
    `POST ${pathName} HTTP/1.1`,
    "Host: 127.0.0.1",
    ...headers,
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

const get = (target: string, headers: string[] = []) =>
  [`GET ${target} HTTP/1.1`, "Host: 127.0.0.1", ...headers, "Connection: close", "", ""].join("\r\n");

async function openOrderCount(): Promise<number> {
  return (await h.venue.openOrders(alice.accountId, undefined)).length;
}

describe("request limits", () => {
  it("refuses a body over 64 KiB with 413 -1101 naming the limit, and places nothing", async () => {
    const params = new URLSearchParams(textParams(limit("BUY", 1, "30000"))).toString();
    const body = signedText(alice, `${params}&newClientOrderId=${"x".repeat(70_000)}`);
    const res = await rawExchange(
      port,
      post(
        "/papi/v1/cm/order",
        [`X-MBX-APIKEY: ${alice.apiKey}`, "Content-Type: application/x-www-form-urlencoded"],
        body,
      ),
    );
    expect(res).toMatchObject({ status: 413 });
    expect(JSON.parse(res!.body)).toEqual({
      code: -1101,
      msg: "Request body too large; at most 65536 bytes are accepted.",
    });
    expect(await openOrderCount()).toBe(0);
  });

  it("refuses a chunked body that grows past the limit with 413", async () => {
    const chunk = "a".repeat(16 * 1024);
    const chunks = Array.from({ length: 5 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join("");
    const request = [
      "POST /papi/v1/cm/order HTTP/1.1",
      "Host: 127.0.0.1",
      "Content-Type: application/x-www-form-urlencoded",
      "Transfer-Encoding: chunked",
      "Connection: close",
      "",
      `${chunks}0\r\n\r\n`,
    ].join("\r\n");
    const res = await rawExchange(port, request);
    expect(res?.status).toBe(413);
    expect(JSON.parse(res!.body)).toMatchObject({ code: -1101 });
  });

  it("refuses a URL over 8 KiB with 414 -1101 naming the limit", async () => {
    const res = await rawExchange(port, get(`/papi/v1/cm/openOrders?pad=${"p".repeat(9000)}`));
    expect(res?.status).toBe(414);
    expect(JSON.parse(res!.body)).toEqual({
      code: -1101,
      msg: "Request URL too long; at most 8192 bytes are accepted.",
    });
  });

  it("refuses headers over 16 KiB with 431 -1101 naming the limit", async () => {
    const res = await rawExchange(port, get("/papi/v1/ping", [`X-Pad: ${"h".repeat(17 * 1024)}`]));
    expect(res?.status).toBe(431);
    expect(JSON.parse(res!.body)).toEqual({
      code: -1101,
      msg: "Request headers too large; at most 16384 bytes are accepted for the request line and headers.",
    });
  });

  it("refuses a request line past the header limit with 431", async () => {
    const res = await rawExchange(port, get(`/papi/v1/ping?pad=${"p".repeat(20 * 1024)}`));
    expect(res?.status).toBe(431);
    expect(JSON.parse(res!.body)).toMatchObject({ code: -1101 });
  });

  it("answers 408 -1100 to headers that never finish arriving", async () => {
    const res = await rawExchange(port, "GET /papi/v1/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", {
      timeoutMs: REQUEST_TIMEOUT_MS * 10,
    });
    expect(res?.status).toBe(408);
    expect(JSON.parse(res!.body)).toEqual({
      code: -1100,
      msg: `Request not received in full within ${REQUEST_TIMEOUT_MS} ms.`,
    });
  });

  it("answers 408 to a body that never finishes arriving, and places nothing", async () => {
    const params = new URLSearchParams(textParams(limit("BUY", 1, "30000"))).toString();
    const body = signedText(alice, params);
    const request = post(
      "/papi/v1/cm/order",
      [`X-MBX-APIKEY: ${alice.apiKey}`, "Content-Type: application/x-www-form-urlencoded"],
      body,
    );
    const res = await rawExchange(port, request.slice(0, -10), { timeoutMs: REQUEST_TIMEOUT_MS * 10 });
    expect(res?.status).toBe(408);
    expect(await openOrderCount()).toBe(0);
  });

  it("answers 400 -1100 to a request line Node cannot parse", async () => {
    const res = await rawExchange(port, "GET /papi/v1/ping HTTP/9.9 extra\r\n\r\n");
    expect(res?.status).toBe(400);
    expect(JSON.parse(res!.body)).toEqual({ code: -1100, msg: "Malformed HTTP request." });
  });

  it("answers 400 -1100 to a body with both Content-Length and chunked encoding", async () => {
    const request = [
      "POST /papi/v1/cm/order HTTP/1.1",
      "Host: 127.0.0.1",
      "Content-Length: 5",
      "Transfer-Encoding: chunked",
      "",
      "0\r\n\r\n",
    ].join("\r\n");
    const res = await rawExchange(port, request);
    expect(res?.status).toBe(400);
    expect(JSON.parse(res!.body)).toEqual({ code: -1100, msg: "Malformed HTTP request." });
  });

  it("answers 404 -5000 to a path with broken percent-encoding", async () => {
    const res = await rawExchange(port, get("/papi/v1/cm/%E0%A4%A"));
    expect(res?.status).toBe(404);
    expect(JSON.parse(res!.body)).toEqual({
      code: -5000,
      msg: "Path /papi/v1/cm/%E0%A4%A, Method GET is invalid",
    });
  });

  it("answers 400 -1100 to a stream upgrade whose URL cannot be parsed, and keeps serving", async () => {
    const res = await rawExchange(
      port,
      get("//", [
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ]),
    );
    expect(res?.status).toBe(400);
    expect(JSON.parse(res!.body)).toEqual({ code: -1100, msg: "Malformed HTTP request." });
    expect((await rawExchange(port, get("/papi/v1/ping")))?.status).toBe(200);
  });

  it("answers 400 -1100 to a stream upgrade with a bad handshake for a live key", async () => {
    const key = (await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey })).body as {
      listenKey: string;
    };
    const res = await rawExchange(
      port,
      get(`/pm/ws/${key.listenKey}`, [
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Version: 13",
      ]),
    );
    expect(res?.status).toBe(400);
    expect(JSON.parse(res!.body)).toEqual({
      code: -1100,
      msg: "Invalid WebSocket handshake: Missing or invalid Sec-WebSocket-Key header.",
    });
  });
});
