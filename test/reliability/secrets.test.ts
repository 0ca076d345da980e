// Keys and secrets: an HMAC secret is shown once, in the answer that creates it, and
// never again, in no answer, error or log line (the venue runs as a child process with
// request logging on); the data folder and the files holding secrets are the owner's
// only; the admin API exists only with a token; the venue listens on loopback unless
// told otherwise; malformed signatures and tokens are refused cleanly.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/server.js";
import { SqliteStore } from "../../src/store/sqlite.js";
import { Venue } from "../../src/venue/venue.js";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { ADMIN_TOKEN, Harness, tempDir } from "../support/harness.js";
import { type Key, Remote } from "../support/remote.js";

let child: ChildVenue | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await child?.kill9();
  child = undefined;
  await h?.close();
  h = undefined;
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Drives a venue through everything that handles a secret: creation, signing, errors. */
async function exercise(remote: Remote): Promise<{ secrets: string[]; answers: string[] }> {
  const answers: string[] = [];
  const created = await remote.admin("POST", "/admin/v1/accounts", { balances: { BTC: "10" } });
  const key = created.body as Key;
  const extra = await remote.admin("POST", `/admin/v1/accounts/${key.accountId}/apiKeys`, { type: "HMAC" });
  const second = { ...key, ...(extra.body as { apiKey: string; secretKey: string }) };
  const order = {
    symbol: "BTCUSD_PERP",
    side: "BUY",
    type: "LIMIT",
    timeInForce: "GTC",
    quantity: 1,
    price: "30000",
  };
  for (const k of [key, second]) {
    answers.push((await remote.signed(k, "POST", "/papi/v1/cm/order", order)).text);
    answers.push((await remote.signed(k, "GET", "/papi/v1/cm/openOrders", {})).text);
    answers.push((await remote.signed(k, "GET", "/papi/v1/balance", {})).text);
    answers.push((await remote.signed(k, "GET", "/papi/v1/account", {})).text);
    answers.push(
      (await remote.signed({ ...k, secretKey: "wrong" }, "GET", "/papi/v1/cm/openOrders", {})).text,
    );
    answers.push((await remote.signed(k, "DELETE", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP" })).text);
    answers.push((await remote.signed(k, "POST", "/papi/v1/cm/order", { ...order, price: "x" })).text);
    answers.push((await remote.keyed(k, "POST", "/papi/v1/listenKey")).text);
  }
  answers.push((await remote.admin("GET", `/admin/v1/accounts/${key.accountId}`)).text);
  answers.push((await remote.admin("POST", "/admin/v1/accounts", { balances: { BTC: "x" } })).text);
  answers.push(
    (await new Remote(remote.base, "wrong").admin("GET", `/admin/v1/accounts/${key.accountId}`)).text,
  );
  return { secrets: [key.secretKey, second.secretKey], answers };
}

describe("keys and secrets", () => {
  it.each(["info", "trace"])(
    "never writes a secret or the admin token to the log at LOG_LEVEL=%s",
    async (level) => {
      const dir = path.join(tempDir(), "data");
      child = await spawnVenue(dir, { env: { LOG_LEVEL: level } });
      const token = fs.readFileSync(path.join(dir, "admin-token"), "utf8").trim();
      const { secrets } = await exercise(new Remote(child.base, token));
      child.child.kill("SIGTERM");
      await child.exited;
      const log = child.stdout() + child.stderr();
      // The log is on: it records the requests, just not the secrets.
      expect(log).toContain("/papi/v1/cm/order");
      for (const secret of [...secrets, token]) expect(log).not.toContain(secret);
    },
  );

  it("shows a secret only in the answer that creates it", async () => {
    h = await Harness.start();
    const url = await h.app.listen({ host: "127.0.0.1", port: 0 });
    const { secrets, answers } = await exercise(new Remote(url, ADMIN_TOKEN));
    for (const secret of secrets) expect(answers.filter((a) => a.includes(secret))).toEqual([]);
  });

  it("creates the data folder 0700 and the admin token and database files 0600", async () => {
    const dir = path.join(tempDir(), "nested", "data");
    child = await spawnVenue(dir);
    expect(mode(dir).toString(8)).toBe("700");
    expect(mode(path.join(dir, "admin-token")).toString(8)).toBe("600");
    for (const file of fs.readdirSync(dir).filter((f) => f.startsWith("venue.db"))) {
      expect({ file, mode: mode(path.join(dir, file)).toString(8) }).toEqual({ file, mode: "600" });
    }
  });

  it("listens on 127.0.0.1 by default", async () => {
    child = await spawnVenue(tempDir());
    expect(child.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("serves no admin path without an admin token", async () => {
    const store = new SqliteStore(tempDir(), { synchronous: "NORMAL" });
    const app = buildServer({ venue: new Venue(store) });
    try {
      for (const [method, url] of [
        ["POST", "/admin/v1/accounts"],
        ["GET", "/admin/v1/accounts"],
        ["GET", "/admin/v1/accounts/1"],
        ["POST", "/admin/v1/accounts/1/apiKeys"],
        ["POST", "/admin/v1/accounts/1/balances"],
        ["POST", "/admin/v1/markPrice"],
      ] as const) {
        const res = await app.inject({
          method,
          url,
          headers: { authorization: "Bearer ", "content-type": "application/json" },
          payload: "{}",
        });
        expect({ status: res.statusCode, body: res.json() }).toEqual({
          status: 404,
          body: { code: -5000, msg: `Path ${url}, Method ${method} is invalid` },
        });
      }
    } finally {
      await app.close();
      store.close();
    }
  });

  it("refuses admin tokens of any length but the right one with 401", async () => {
    h = await Harness.start();
    for (const token of ["", "x", ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, "é".repeat(40)]) {
      const res = await h.request("GET", "/admin/v1/accounts/1", { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
    }
  });

  it("refuses signatures of the wrong length or alphabet with -1022", async () => {
    h = await Harness.start();
    const client = await h.account();
    for (const signature of ["", "ab", "0".repeat(63), "0".repeat(65), "g".repeat(64), "%FF".repeat(22)]) {
      const res = await h.signed(client, "GET", "/papi/v1/cm/openOrders", {}, { signature });
      expect((res.body as { code: number }).code, signature).toBe(signature === "" ? -1102 : -1022);
    }
  });
});
