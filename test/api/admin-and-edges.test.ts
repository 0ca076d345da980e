// The admin API, public endpoints, and answers to requests that match no rule.
import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;

beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.close());

const admin = (method: string, url: string, body?: unknown, token = ADMIN_TOKEN) =>
  h.request(
    method,
    url,
    { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body === undefined ? undefined : JSON.stringify(body),
  );

describe("admin API", () => {
  it("creates an account with balances and a 64-character HMAC key pair", async () => {
    const res = await admin("POST", "/admin/v1/accounts", { balances: { BTC: "100", ETH: "1000.5" } });
    expect(res.status).toBe(200);
    const body = res.body as { accountId: number; apiKey: string; secretKey: string };
    expect(Object.keys(body)).toEqual(["accountId", "apiKey", "secretKey"]);
    expect(body.apiKey).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(body.secretKey).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it("shows balances and key ids, never secrets", async () => {
    const created = (await admin("POST", "/admin/v1/accounts", { balances: { BTC: "1.5" } })).body as {
      accountId: number;
      apiKey: string;
      secretKey: string;
    };
    const res = await admin("GET", `/admin/v1/accounts/${created.accountId}`);
    expect(res.body).toEqual({
      accountId: created.accountId,
      alias: expect.stringMatching(/^[A-Za-z]{16}$/),
      house: false,
      balances: { BTC: "1.5" },
      apiKeys: [{ apiKey: created.apiKey, type: "HMAC" }],
    });
    expect(res.text).not.toContain(created.secretKey);
  });

  it("adds another HMAC key that signs for the same account", async () => {
    const created = (await admin("POST", "/admin/v1/accounts", {})).body as { accountId: number };
    const key = (await admin("POST", `/admin/v1/accounts/${created.accountId}/apiKeys`, { type: "HMAC" }))
      .body as {
      apiKey: string;
      secretKey: string;
    };
    const client: Client = { accountId: created.accountId, apiKey: key.apiKey, secret: key.secretKey };
    const res = await h.signed(client, "GET", "/papi/v1/cm/openOrders", {});
    expect(res.status).toBe(200);
  });

  it("answers 401 and does nothing without the token", async () => {
    const res = await admin("POST", "/admin/v1/accounts", { balances: { BTC: "1" } }, "wrong");
    expect(res).toMatchObject({
      status: 401,
      body: { code: -1002, msg: "You are not authorized to execute this request." },
    });
    const first = await admin("POST", "/admin/v1/accounts", {});
    expect((first.body as { accountId: number }).accountId).toBe(1);
  });

  it("answers 401 without an Authorization header", async () => {
    const res = await h.request("GET", "/admin/v1/accounts/1");
    expect(res.status).toBe(401);
  });

  it("answers 400 for a negative balance and creates nothing", async () => {
    const res = await admin("POST", "/admin/v1/accounts", { balances: { BTC: "-1" } });
    expect(res.status).toBe(400);
    expect((await admin("GET", "/admin/v1/accounts/1")).status).toBe(404);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await h.request(
      "POST",
      "/admin/v1/accounts",
      { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      "{nope",
    );
    expect(res).toMatchObject({ status: 400, body: { code: -1130 } });
  });

  it("answers 400 for an ED25519 key without a public key", async () => {
    await admin("POST", "/admin/v1/accounts", {});
    const res = await admin("POST", "/admin/v1/accounts/1/apiKeys", { type: "ED25519" });
    expect(res.status).toBe(400);
  });

  it("answers 400 for a public key of the wrong type", async () => {
    await admin("POST", "/admin/v1/accounts", {});
    const rsa = (await import("node:crypto")).generateKeyPairSync("rsa", { modulusLength: 1024 });
    const res = await admin("POST", "/admin/v1/accounts/1/apiKeys", {
      type: "ED25519",
      publicKey: rsa.publicKey.export({ type: "spki", format: "pem" }),
    });
    expect(res.status).toBe(400);
  });

  it("answers 404 for an unknown account", async () => {
    expect((await admin("GET", "/admin/v1/accounts/99")).status).toBe(404);
  });
});

describe("admin API: listing accounts", () => {
  type Created = { accountId: number; apiKey: string; secretKey: string };
  const create = async (balances: Record<string, string>) =>
    (await admin("POST", "/admin/v1/accounts", { balances })).body as Created;
  const alias = async (id: number) =>
    ((await admin("GET", `/admin/v1/accounts/${id}`)).body as { alias: string }).alias;

  it("lists every account in id order with alias, balances and key ids, never a secret", async () => {
    const first = await create({ BTC: "1.5" });
    const second = await create({ ETH: "10", BTC: "0" });
    const ed = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const extra = (
      await admin("POST", `/admin/v1/accounts/${second.accountId}/apiKeys`, {
        type: "ED25519",
        publicKey: ed,
      })
    ).body as { apiKey: string };
    const res = await admin("GET", "/admin/v1/accounts");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        accountId: 1,
        alias: await alias(1),
        house: false,
        balances: { BTC: "1.5" },
        apiKeys: [{ apiKey: first.apiKey, type: "HMAC" }],
      },
      {
        accountId: 2,
        alias: await alias(2),
        house: false,
        balances: { ETH: "10", BTC: "0" },
        apiKeys: [
          { apiKey: second.apiKey, type: "HMAC" },
          { apiKey: extra.apiKey, type: "ED25519" },
        ],
      },
    ]);
    for (const secret of [first.secretKey, second.secretKey]) expect(res.text).not.toContain(secret);
  });

  it("pages with fromId and limit", async () => {
    for (let i = 0; i < 5; i++) await create({ BTC: String(i) });
    const ids = async (query: string) =>
      ((await admin("GET", `/admin/v1/accounts${query}`)).body as { accountId: number }[]).map(
        (a) => a.accountId,
      );
    expect(await ids("?limit=2")).toEqual([1, 2]);
    expect(await ids("?fromId=3&limit=2")).toEqual([3, 4]);
    expect(await ids("?fromId=5")).toEqual([5]);
    expect(await ids("?fromId=6")).toEqual([]);
  });

  it("answers [] on a venue with no account", async () => {
    expect(await admin("GET", "/admin/v1/accounts")).toMatchObject({ status: 200, text: "[]" });
  });

  it.each([
    ["?limit=0", "'limit' must be an integer from 1 to 1000."],
    ["?limit=1001", "'limit' must be an integer from 1 to 1000."],
    ["?limit=x", "'limit' must be an integer from 1 to 1000."],
    ["?limit=1&limit=2", "'limit' must be an integer from 1 to 1000."],
    ["?fromId=0", "'fromId' must be an integer from 1 to 9007199254740991."],
    ["?fromId=-1", "'fromId' must be an integer from 1 to 9007199254740991."],
  ])("answers 400 -1130 for %s", async (query, msg) => {
    const res = await admin("GET", `/admin/v1/accounts${query}`);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { code: -1130, msg } });
  });

  it("answers 401 without the token", async () => {
    expect((await admin("GET", "/admin/v1/accounts", undefined, "wrong")).status).toBe(401);
  });
});

describe("public endpoints and edges", () => {
  it("answers GET /papi/v1/ping with 200 {}", async () => {
    const res = await h.request("GET", "/papi/v1/ping");
    expect(res).toMatchObject({ status: 200, text: "{}" });
  });

  it("answers GET /dapi/v1/time with the server time", async () => {
    expect((await h.request("GET", "/dapi/v1/time")).text).toBe(JSON.stringify({ serverTime: T0 }));
  });

  it("answers an unknown path with 404 and a Binance error body", async () => {
    const res = await h.request("GET", "/papi/v1/cm/nothing?x=1");
    expect(res).toMatchObject({
      status: 404,
      body: { code: -5000, msg: "Path /papi/v1/cm/nothing, Method GET is invalid" },
    });
  });

  it("answers a known path with the wrong method with 404", async () => {
    const res = await h.request("PATCH", "/papi/v1/cm/order");
    expect(res).toMatchObject({ status: 404, body: { code: -5000 } });
  });

  it("answers an oversized body with a 4xx Binance error", async () => {
    const alice = await h.account();
    const res = await h.signed(
      alice,
      "POST",
      "/papi/v1/cm/order",
      { ...limit("BUY", 1, "30000"), pad: "x".repeat(70_000) },
      { form: true },
    );
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: expect.any(Number), msg: expect.any(String) });
  });

  it("answers an unexpected exception with 500 -1000 and no internals", async () => {
    const alice = await h.account();
    const spy = vi.spyOn(h.venue, "openOrders").mockImplementation(() => {
      throw new Error("secret internals");
    });
    const res = await h.signed(alice, "GET", "/papi/v1/cm/openOrders", {});
    spy.mockRestore();
    expect(res).toMatchObject({
      status: 500,
      body: { code: -1000, msg: "An unknown error occured while processing the request." },
    });
    expect(res.text).not.toContain("secret");
  });
});
