// GET /admin/v1/accounts/{id}/overview: an account as the console shows it, in the
// wire's own forms, read by the admin without the account's secret.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit } from "../support/harness.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

let h: Harness;
let alice: Client;
let bob: Client;
beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "10" });
  bob = await h.account({ BTC: "10" });
});
afterEach(async () => {
  await h.close();
});

describe("GET /admin/v1/accounts/{id}/overview", () => {
  it("answers the risk level, balances, positions held, open orders, conditional orders and fills as the signed endpoints do", async () => {
    await h.place(bob, limit("SELL", 3, "30000.0"));
    await h.place(alice, limit("BUY", 2, "30000.0"));
    await h.place(alice, limit("BUY", 1, "29000.0"));
    await h.signed(alice, "POST", "/papi/v1/cm/conditional/order", {
      symbol: "BTCUSD_PERP",
      side: "SELL",
      strategyType: "STOP_MARKET",
      quantity: 1,
      stopPrice: "28000.0",
    });
    const res = await h.request("GET", `/admin/v1/accounts/${alice.accountId}/overview`, ADMIN);
    expect(res.status).toBe(200);
    const o = res.body as Record<string, unknown>;
    const risk = (await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      positionAmt: string;
    }[];
    const open = (await h.signed(alice, "GET", "/papi/v1/cm/openOrders", {})).body;
    const conditional = (await h.signed(alice, "GET", "/papi/v1/cm/conditional/openOrders", {})).body;
    const trades = (await h.signed(alice, "GET", "/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" }))
      .body as unknown[];
    const account = (await h.signed(alice, "GET", "/papi/v1/account", {})).body as { accountStatus: string };
    expect(o).toMatchObject({ accountId: alice.accountId, house: false, riskLevel: account.accountStatus });
    expect(o.positions).toEqual(risk.filter((p) => p.positionAmt !== "0"));
    expect(o.openOrders).toEqual(open);
    expect(o.conditionalOrders).toEqual(conditional);
    expect(o.fills).toEqual([...trades].reverse());
    expect(Object.keys(o.balances as object)).toEqual(["BTC"]);
  });

  it("answers 404 for an unknown account and 401 without the token", async () => {
    expect((await h.request("GET", "/admin/v1/accounts/99/overview", ADMIN)).body).toEqual({
      code: -1130,
      msg: "Unknown account.",
    });
    expect((await h.request("GET", `/admin/v1/accounts/${alice.accountId}/overview`)).status).toBe(401);
  });
});
