// Signed account endpoints: /papi/v1/balance and /papi/v1/account (spec §2.9), and the
// /sapi coin list ccxt loads its currencies from: exact JSON, field order, types, weights.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
let alice: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ ETH: "1000", BTC: "1.23456789" });
});
afterEach(() => h.close());

const usedWeight = (res: { headers: Record<string, unknown> }) => Number(res.headers["x-mbx-used-weight-1m"]);
const json = (value: unknown) => JSON.stringify(value);
const Z = "0.00000000";

const balance = (asset: string, wallet: string) => ({
  asset,
  totalWalletBalance: wallet,
  crossMarginAsset: Z,
  crossMarginBorrowed: Z,
  crossMarginFree: Z,
  crossMarginInterest: Z,
  crossMarginLocked: Z,
  umWalletBalance: Z,
  umUnrealizedPNL: Z,
  cmWalletBalance: wallet,
  cmUnrealizedPNL: Z,
  // Accounts are made at T0: that is when their balances last changed.
  updateTime: T0,
  negativeBalance: Z,
});

/** The one-asset answer: the list's entry without crossMarginAsset, as Binance's "when asset sent" example has it. */
const single = ({ crossMarginAsset: _omitted, ...rest }: ReturnType<typeof balance>) => rest;

describe("GET /papi/v1/balance", () => {
  it("answers every asset of the account, by name, wallet balances at 8 decimals", async () => {
    const res = await h.signed(alice, "GET", "/papi/v1/balance", {});
    expect(res.status).toBe(200);
    expect(res.text).toBe(json([balance("BTC", "1.23456789"), balance("ETH", "1000.00000000")]));
  });

  it("answers one object for asset", async () => {
    const res = await h.signed(alice, "GET", "/papi/v1/balance", { asset: "ETH" });
    expect(res.text).toBe(json(single(balance("ETH", "1000.00000000"))));
  });

  it("answers zeros for an asset the account does not hold", async () => {
    const res = await h.signed(alice, "GET", "/papi/v1/balance", { asset: "XRP" });
    expect(res.text).toBe(json(single({ ...balance("XRP", Z), updateTime: 0 })));
  });

  it("answers an empty array for an account without balances", async () => {
    const empty = await h.account({});
    expect((await h.signed(empty, "GET", "/papi/v1/balance", {})).text).toBe("[]");
  });

  it("answers only the caller's balances", async () => {
    const bob = await h.account({ DOGE: "5" });
    expect((await h.signed(bob, "GET", "/papi/v1/balance", {})).text).toBe(
      json([balance("DOGE", "5.00000000")]),
    );
  });

  it("requires a signature", async () => {
    const res = await h.signed(alice, "GET", "/papi/v1/balance", {}, { secret: "wrong" });
    expect(res.status).toBe(400);
    expect(res.text).toBe(json({ code: -1022, msg: "Signature for this request is not valid." }));
  });

  it("charges weight 20", async () => {
    expect(usedWeight(await h.signed(alice, "GET", "/papi/v1/balance", {}))).toBe(20);
  });
});

describe("GET /papi/v1/account", () => {
  const account = (equity: string) => ({
    uniMMR: "99999999.00000000",
    accountEquity: equity,
    actualEquity: equity,
    accountInitialMargin: Z,
    accountMaintMargin: Z,
    accountStatus: "NORMAL",
    virtualMaxWithdrawAmount: equity,
    totalAvailableBalance: equity,
    totalMarginOpenLoss: Z,
    updateTime: T0,
  });

  it("answers zero equity while no coin has a mark price", async () => {
    const res = await h.signed(alice, "GET", "/papi/v1/account", {});
    expect(res.status).toBe(200);
    expect(res.text).toBe(json(account(Z)));
  });

  it("values coins in USD at the mark price of their perpetual", async () => {
    const bob = await h.account();
    await h.place(bob, limit("SELL", 1, "30000"));
    await h.place(bob, limit("BUY", 1, "30000"));
    // 1.23456789 BTC × 30000 USD; ETH has no mark yet and adds nothing.
    expect((await h.signed(alice, "GET", "/papi/v1/account", {})).text).toBe(json(account("37037.03670000")));
  });

  it("adds every coin with a mark", async () => {
    const bob = await h.account();
    await h.place(bob, limit("SELL", 1, "30000"));
    await h.place(bob, limit("BUY", 1, "30000"));
    await h.place(bob, { ...limit("SELL", 1, "2000.01"), symbol: "ETHUSD_PERP" });
    await h.place(bob, { ...limit("BUY", 1, "2000.01"), symbol: "ETHUSD_PERP" });
    // 37037.0367 + 1000 × 2000.01
    const res = await h.signed(alice, "GET", "/papi/v1/account", {});
    expect(res.body).toMatchObject({ accountEquity: "2037047.03670000" });
  });

  it("charges weight 20", async () => {
    expect(usedWeight(await h.signed(alice, "GET", "/papi/v1/account", {}))).toBe(20);
  });
});

describe("GET /sapi/v1/capital/config/getall", () => {
  const coin = (name: string) => ({
    coin: name,
    depositAllEnable: false,
    withdrawAllEnable: false,
    name,
    free: "0",
    locked: "0",
    freeze: "0",
    withdrawing: "0",
    ipoing: "0",
    ipoable: "0",
    storage: "0",
    isLegalMoney: false,
    trading: true,
    networkList: [],
  });

  it("lists the venue's margin coins and the account's coins by name, nothing in the spot wallet", async () => {
    const usdt = await h.account({ USDT: "50", BTC: "1" });
    const res = await h.signed(usdt, "GET", "/sapi/v1/capital/config/getall", {});
    expect(res.status).toBe(200);
    expect(res.text).toBe(json(["BNB", "BTC", "DOGE", "ETH", "LINK", "USDT", "XRP"].map(coin)));
  });

  it("requires a signature", async () => {
    const res = await h.signed(alice, "GET", "/sapi/v1/capital/config/getall", {}, { timestamp: null });
    expect(res.status).toBe(400);
    expect(res.text).toBe(
      json({
        code: -1102,
        msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
      }),
    );
  });

  it("charges weight 10", async () => {
    expect(usedWeight(await h.signed(alice, "GET", "/sapi/v1/capital/config/getall", {}))).toBe(10);
  });
});
