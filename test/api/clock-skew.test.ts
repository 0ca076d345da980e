// Clock skew per account: one account's signed requests are checked as if the venue
// clock were off by the skew (-1021 for it alone), kept across a restart, cleared with 0.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness } from "../support/harness.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const OUTSIDE = { code: -1021, msg: "Timestamp for this request is outside of the recvWindow." };
const AHEAD = { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." };

let h: Harness;
let alice: Client;
let bob: Client;
beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account();
  bob = await h.account();
});
afterEach(async () => {
  await h.close();
});

const skew = (accountId: number, ms: unknown) =>
  h.request("POST", `/admin/v1/accounts/${accountId}/clockSkew`, ADMIN, JSON.stringify({ ms }));
const balance = (client: Client) => h.signed(client, "GET", "/papi/v1/balance", {});

describe("POST /admin/v1/accounts/{id}/clockSkew", () => {
  it("answers the account and its skew", async () => {
    const res = await skew(alice.accountId, 6000);
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify({ accountId: alice.accountId, clockSkewMs: 6000 }));
  });

  it("gives the skewed account -1021 outside the recvWindow, and nobody else", async () => {
    await skew(alice.accountId, 6000);
    const res = await balance(alice);
    expect([res.status, res.body]).toEqual([400, OUTSIDE]);
    expect((await balance(bob)).status).toBe(200);
  });

  it("lets a recvWindow wider than the skew pass", async () => {
    await skew(alice.accountId, 6000);
    expect((await h.signed(alice, "GET", "/papi/v1/balance", { recvWindow: 10_000 })).status).toBe(200);
  });

  it("makes timestamps look ahead of the server's time with a negative skew", async () => {
    await skew(alice.accountId, -1500);
    const res = await balance(alice);
    expect([res.status, res.body]).toEqual([400, AHEAD]);
  });

  it("keeps the skew across a restart, and clears it with 0", async () => {
    await skew(alice.accountId, 6000);
    h = await h.restart();
    expect((await balance(alice)).body).toEqual(OUTSIDE);
    await skew(alice.accountId, 0);
    expect((await balance(alice)).status).toBe(200);
  });

  it("refuses an unknown account with 404 and a skew that is not a whole ms within a day with 400", async () => {
    expect((await skew(999, 10)).body).toEqual({ code: -1130, msg: "Unknown account." });
    for (const ms of ["10", 1.5, 86_400_001, null]) {
      const res = await skew(alice.accountId, ms);
      expect([res.status, res.body]).toEqual([
        400,
        { code: -1130, msg: "'ms' must be an integer from -86400000 to 86400000." },
      ]);
    }
  });
});
