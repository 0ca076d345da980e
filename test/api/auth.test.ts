// SIGNED requests as Binance checks them (spec §3): key header, duplicates, timestamp,
// recvWindow, signature, with the exact wire errors and statuses.
import { generateKeyPairSync, sign } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hmacHex } from "../../src/api/signature.js";
import { ADMIN_TOKEN, type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
let alice: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
});
afterEach(() => h.close());

const openOrders = (options = {}, params: Record<string, string | number> = { symbol: "BTCUSD_PERP" }) =>
  h.signed(alice, "GET", "/papi/v1/cm/openOrders", params, options);

async function addPublicKey(type: "ED25519" | "RSA", publicKey: string): Promise<string> {
  const res = await h.request(
    "POST",
    `/admin/v1/accounts/${alice.accountId}/apiKeys`,
    { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    JSON.stringify({ type, publicKey }),
  );
  expect(res.status).toBe(200);
  return (res.body as { apiKey: string }).apiKey;
}

describe("SIGNED request checks", () => {
  it("accepts a correctly signed request", async () => {
    const res = await openOrders();
    expect(res).toMatchObject({ status: 200, body: [] });
  });

  it("answers 401 -2014 without X-MBX-APIKEY", async () => {
    const res = await openOrders({ apiKey: null });
    expect(res).toMatchObject({ status: 401, body: { code: -2014, msg: "API-key format invalid." } });
  });

  it("answers 401 -2014 for a key with characters no key has", async () => {
    const res = await openOrders({ apiKey: "not a key!" });
    expect(res).toMatchObject({ status: 401, body: { code: -2014, msg: "API-key format invalid." } });
  });

  it("answers 401 -2015 with the request ip for an unknown key", async () => {
    const res = await openOrders({ apiKey: "A".repeat(64) });
    expect(res).toMatchObject({
      status: 401,
      body: { code: -2015, msg: "Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1" },
    });
  });

  it("answers 400 -1022 for a signature made with another secret", async () => {
    const res = await openOrders({ secret: "wrong" });
    expect(res).toMatchObject({
      status: 400,
      body: { code: -1022, msg: "Signature for this request is not valid." },
    });
  });

  it("accepts the signature in upper-case hex", async () => {
    const text = `symbol=BTCUSD_PERP&timestamp=${T0}`;
    const res = await openOrders({ signature: hmacHex(alice.secret, text).toUpperCase() });
    expect(res.status).toBe(200);
  });

  it("answers -1102 for a missing signature", async () => {
    const res = await h.request("GET", `/papi/v1/cm/openOrders?symbol=BTCUSD_PERP&timestamp=${T0}`, {
      "x-mbx-apikey": alice.apiKey,
    });
    expect(res).toMatchObject({
      status: 400,
      body: {
        code: -1102,
        msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
      },
    });
  });

  it("answers -1102 for a missing timestamp", async () => {
    const res = await openOrders({ timestamp: null });
    expect(res.body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
    });
  });

  it("answers -1102 for a timestamp that is not a number", async () => {
    const res = await openOrders({ timestamp: "soon" });
    expect(res.body).toMatchObject({ code: -1102 });
  });

  it("answers -1021 for a timestamp 1000 ms ahead of the server", async () => {
    const res = await openOrders({ timestamp: T0 + 1000 });
    expect(res).toMatchObject({
      status: 400,
      body: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
    });
  });

  it("accepts a timestamp 999 ms ahead", async () => {
    expect((await openOrders({ timestamp: T0 + 999 })).status).toBe(200);
  });

  it("answers -1021 for a timestamp older than the default 5000 ms window", async () => {
    const res = await openOrders({ timestamp: T0 - 5001 });
    expect(res.body).toEqual({
      code: -1021,
      msg: "Timestamp for this request is outside of the recvWindow.",
    });
  });

  it("accepts a timestamp exactly recvWindow old", async () => {
    expect((await openOrders({ timestamp: T0 - 5000 })).status).toBe(200);
  });

  it("widens the window with recvWindow", async () => {
    const res = await openOrders({ timestamp: T0 - 20000 }, { symbol: "BTCUSD_PERP", recvWindow: 30000 });
    expect(res.status).toBe(200);
  });

  it("answers -1130 for recvWindow above 60000", async () => {
    const res = await openOrders({}, { symbol: "BTCUSD_PERP", recvWindow: 60001 });
    expect(res.body).toEqual({ code: -1130, msg: "Data sent for parameter 'recvWindow' is not valid." });
  });

  it("answers -1100 for a recvWindow that is not a number", async () => {
    const res = await openOrders({}, { symbol: "BTCUSD_PERP", recvWindow: "5s" });
    expect(res.body).toEqual({
      code: -1100,
      msg: "Illegal characters found in parameter 'recvWindow'; legal range is '^[0-9]{1,20}$'.",
    });
  });

  it("answers -1101 for a parameter repeated in the query", async () => {
    const text = `symbol=BTCUSD_PERP&symbol=BTCUSD_PERP&timestamp=${T0}`;
    const res = await h.request(
      "GET",
      `/papi/v1/cm/openOrders?${text}&signature=${hmacHex(alice.secret, text)}`,
      {
        "x-mbx-apikey": alice.apiKey,
      },
    );
    expect(res).toMatchObject({
      status: 400,
      body: { code: -1101, msg: "Duplicate values for a parameter detected." },
    });
  });

  it("verifies query plus form body signed as one text with no separator", async () => {
    const query = "symbol=BTCUSD_PERP&side=BUY&type=LIMIT&timeInForce=GTC";
    const body = `quantity=1&price=30000&timestamp=${T0}`;
    const sig = hmacHex(alice.secret, query + body);
    const res = await h.request(
      "POST",
      `/papi/v1/cm/order?${query}`,
      { "x-mbx-apikey": alice.apiKey, "content-type": "application/x-www-form-urlencoded" },
      `${body}&signature=${sig}`,
    );
    expect(res).toMatchObject({ status: 200, body: { status: "NEW", origQty: "1" } });
  });

  it("ignores a JSON Content-Type with an empty body, as the official connector sends it", async () => {
    const res = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000"), {
      contentType: "application/json",
    });
    expect(res).toMatchObject({ status: 200, body: { status: "NEW" } });
  });

  it("accepts an Ed25519 key's base64 signature, percent-encoded", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const apiKey = await addPublicKey(
      "ED25519",
      publicKey.export({ type: "spki", format: "pem" }).toString(),
    );
    const text = `symbol=BTCUSD_PERP&timestamp=${T0}`;
    const sig = encodeURIComponent(sign(null, Buffer.from(text), privateKey).toString("base64"));
    const res = await h.request("GET", `/papi/v1/cm/openOrders?${text}&signature=${sig}`, {
      "x-mbx-apikey": apiKey,
    });
    expect(res).toMatchObject({ status: 200, body: [] });
  });

  it("rejects an Ed25519 signature over other text with -1022", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const apiKey = await addPublicKey(
      "ED25519",
      publicKey.export({ type: "spki", format: "pem" }).toString(),
    );
    const sig = encodeURIComponent(sign(null, Buffer.from("other"), privateKey).toString("base64"));
    const res = await h.request(
      "GET",
      `/papi/v1/cm/openOrders?symbol=BTCUSD_PERP&timestamp=${T0}&signature=${sig}`,
      {
        "x-mbx-apikey": apiKey,
      },
    );
    expect(res.body).toEqual({ code: -1022, msg: "Signature for this request is not valid." });
  });

  it("accepts an RSA key's PKCS#1 v1.5 SHA-256 signature", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const apiKey = await addPublicKey("RSA", publicKey.export({ type: "spki", format: "pem" }).toString());
    const text = `symbol=BTCUSD_PERP&timestamp=${T0}`;
    const sig = encodeURIComponent(sign("sha256", Buffer.from(text), privateKey).toString("base64"));
    const res = await h.request("GET", `/papi/v1/cm/openOrders?${text}&signature=${sig}`, {
      "x-mbx-apikey": apiKey,
    });
    expect(res).toMatchObject({ status: 200, body: [] });
  });

  it("checks the key before the parameters: an unknown key with a bad symbol is still -2015", async () => {
    const res = await openOrders({ apiKey: "B".repeat(64) }, { symbol: "NOPE" });
    expect(res.body).toMatchObject({ code: -2015 });
  });

  it("checks the signature before the parameters: a bad signature with a bad symbol is -1022", async () => {
    const res = await openOrders({ secret: "wrong" }, { symbol: "NOPE" });
    expect(res.body).toMatchObject({ code: -1022 });
  });
});
