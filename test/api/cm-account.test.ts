// The CM account model: positions, entry prices, realized PnL and fees in coin, position
// mode, leverage, margin, mark price and deposits (spec §2.9, §6.4, §6.5). The worked
// numbers are computed by hand with exact fractions, then rounded as the venue rounds:
// PnL half-up, commission truncated, both to 8 decimals.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit, T0 } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

let h: Harness;
let alice: Client;
let bob: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "100" });
  bob = await h.account({ BTC: "100" });
});
afterEach(() => h.close());

const get = (client: Client, path: string, params: Record<string, string | number> = {}) =>
  h.signed(client, "GET", path, params);
const post = (client: Client, path: string, params: Record<string, string | number>) =>
  h.signed(client, "POST", path, params);
const admin = (path: string, body: unknown) =>
  h.request(
    "POST",
    path,
    { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    JSON.stringify(body),
  );

/** Bob rests, Alice takes: a fill of `qty` at `price` with Alice on `side`. */
async function aliceTakes(
  side: "BUY" | "SELL",
  qty: number,
  price: string,
  extra: Record<string, string> = {},
) {
  await h.place(bob, limit(side === "BUY" ? "SELL" : "BUY", qty, price));
  return h.place(alice, limit(side, qty, price, extra));
}

async function position(client: Client, side = "BOTH") {
  const rows = (await get(client, "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as Array<
    Record<string, unknown>
  >;
  return rows.find((r) => r.symbol === "BTCUSD_PERP" && r.positionSide === side)!;
}

async function lastTrade(client: Client) {
  const trades = (await get(client, "/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" })).body as Array<
    Record<string, unknown>
  >;
  return trades[trades.length - 1]!;
}

async function wallet(client: Client): Promise<string> {
  return ((await get(client, "/papi/v1/balance", { asset: "BTC" })).body as { cmWalletBalance: string })
    .cmWalletBalance;
}

describe("one-way positions: open, add, reduce, flip, close", () => {
  it("opens a long at the fill price and charges the taker 0.05 %", async () => {
    await aliceTakes("BUY", 10, "40000");
    // 10 × 100 / 40000 = 0.025 BTC; × 0.0005 = 0.0000125
    expect(await lastTrade(alice)).toMatchObject({
      realizedPnl: "0",
      commission: "0.0000125",
      baseQty: "0.025",
    });
    expect(await position(alice)).toMatchObject({ positionAmt: "10", entryPrice: "40000.00000000" });
    expect(await wallet(alice)).toBe("99.99998750");
  });

  it("charges the maker 0.02 %", async () => {
    await aliceTakes("BUY", 10, "40000");
    // 0.025 BTC × 0.0002 = 0.000005
    expect(await lastTrade(bob)).toMatchObject({ commission: "0.000005", maker: true });
    expect(await position(bob)).toMatchObject({ positionAmt: "-10", entryPrice: "40000.00000000" });
  });

  it("adds at the harmonic mean of the fills", async () => {
    await aliceTakes("BUY", 10, "40000");
    await aliceTakes("BUY", 10, "42000");
    // 20 / (10/40000 + 10/42000) = 40975.609756097…
    expect(await position(alice)).toMatchObject({ positionAmt: "20", entryPrice: "40975.60975610" });
    // 10 × 100 / 42000 × 0.0005 = 0.0000119047… → 0.00001190
    expect(await lastTrade(alice)).toMatchObject({ commission: "0.0000119" });
  });

  it("realizes PnL in coin on a reduce and keeps the entry price", async () => {
    await aliceTakes("BUY", 10, "40000");
    await aliceTakes("BUY", 10, "42000");
    await aliceTakes("SELL", 5, "43000");
    // 5 × 100 × (1/40975.6097… − 1/43000) = 0.000574474… → 0.00057447; fee 500/43000 × 0.0005 = 0.00000581
    expect(await lastTrade(alice)).toMatchObject({ realizedPnl: "0.00057447", commission: "0.00000581" });
    expect(await position(alice)).toMatchObject({ positionAmt: "15", entryPrice: "40975.60975610" });
    // 100 − 0.00001250 − 0.00001190 + 0.00057447 − 0.00000581
    expect(await wallet(alice)).toBe("100.00054426");
  });

  it("flips: closes the whole position and opens the rest at the fill price", async () => {
    await aliceTakes("BUY", 10, "40000");
    await aliceTakes("BUY", 10, "42000");
    await aliceTakes("SELL", 5, "43000");
    await aliceTakes("SELL", 20, "43000");
    // Closes 15: 15 × 100 × (1/40975.6097… − 1/43000) = 0.00172342; fee 2000/43000 × 0.0005 = 0.00002325
    expect(await lastTrade(alice)).toMatchObject({ realizedPnl: "0.00172342", commission: "0.00002325" });
    expect(await position(alice)).toMatchObject({ positionAmt: "-5", entryPrice: "43000.00000000" });
  });

  it("closes a short with a profit and ends flat, every satoshi accounted for", async () => {
    await aliceTakes("BUY", 10, "40000");
    await aliceTakes("BUY", 10, "42000");
    await aliceTakes("SELL", 5, "43000");
    await aliceTakes("SELL", 20, "43000");
    await aliceTakes("BUY", 5, "42000");
    // Short 5 from 43000 closed at 42000: 5 × 100 × (1/42000 − 1/43000) = 0.00027685
    expect(await lastTrade(alice)).toMatchObject({ realizedPnl: "0.00027685", commission: "0.00000595" });
    expect(await position(alice)).toMatchObject({
      positionAmt: "0",
      entryPrice: "0.0",
      unRealizedProfit: "0.00000000",
    });
    expect(await wallet(alice)).toBe("100.00251533");
    // Bob took the other side of every fill as maker.
    expect(await wallet(bob)).toBe("99.99740150");
    // 100.00251533 + 99.99740150 + fees (0.00005941 + 0.00002376) = 200
  });
});

describe("hedge mode", () => {
  const dual = (client: Client, value: string) =>
    post(client, "/papi/v1/cm/positionSide/dual", { dualSidePosition: value });

  it("switches mode and reports it", async () => {
    expect((await get(alice, "/papi/v1/cm/positionSide/dual")).text).toBe('{"dualSidePosition":false}');
    expect((await dual(alice, "true")).text).toBe('{"code":200,"msg":"success"}');
    expect((await get(alice, "/papi/v1/cm/positionSide/dual")).text).toBe('{"dualSidePosition":true}');
  });

  it("answers -1102 without dualSidePosition and -1130 for a value other than true or false", async () => {
    expect((await post(alice, "/papi/v1/cm/positionSide/dual", {})).body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'dualSidePosition' was not sent, was empty/null, or malformed.",
    });
    expect((await dual(alice, "yes")).body).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'dualSidePosition' is not valid.",
    });
  });

  it("answers -4059 for the mode already set", async () => {
    expect((await dual(alice, "false")).body).toEqual({
      code: -4059,
      msg: "No need to change position side.",
    });
  });

  it("answers -4067 while orders are open", async () => {
    await h.place(alice, limit("BUY", 1, "30000"));
    expect((await dual(alice, "true")).body).toEqual({
      code: -4067,
      msg: "Position side cannot be changed if there exists open orders.",
    });
  });

  it("answers -4068 while a position is held", async () => {
    await aliceTakes("BUY", 1, "40000");
    expect((await dual(alice, "true")).body).toEqual({
      code: -4068,
      msg: "Position side cannot be changed if there exists position.",
    });
  });

  it("holds LONG and SHORT apart and realizes PnL on closing LONG", async () => {
    await dual(alice, "true");
    await aliceTakes("BUY", 10, "40000", { positionSide: "LONG" });
    await aliceTakes("SELL", 4, "40000", { positionSide: "SHORT" });
    expect(await position(alice, "LONG")).toMatchObject({ positionAmt: "10", entryPrice: "40000.00000000" });
    expect(await position(alice, "SHORT")).toMatchObject({ positionAmt: "-4", entryPrice: "40000.00000000" });
    await aliceTakes("SELL", 6, "41000", { positionSide: "LONG" });
    // 6 × 100 × (1/40000 − 1/41000) = 0.000365853… → 0.00036585; fee 600/41000 × 0.0005 = 0.00000731
    expect(await lastTrade(alice)).toMatchObject({
      realizedPnl: "0.00036585",
      commission: "0.00000731",
      positionSide: "LONG",
    });
    expect(await position(alice, "LONG")).toMatchObject({ positionAmt: "4" });
    expect(await position(alice, "SHORT")).toMatchObject({ positionAmt: "-4" });
  });

  it("adds to LONG at the harmonic mean and closes it flat with realized PnL", async () => {
    await dual(alice, "true");
    await aliceTakes("BUY", 10, "40000", { positionSide: "LONG" });
    await aliceTakes("BUY", 10, "42000", { positionSide: "LONG" });
    expect(await position(alice, "LONG")).toMatchObject({ positionAmt: "20", entryPrice: "40975.60975610" });
    await aliceTakes("SELL", 20, "43000", { positionSide: "LONG" });
    // 20 × 100 × (1/40975.6097… − 1/43000) = 0.0022978959… → 0.00229790; fee 2000/43000 × 0.0005 = 0.00002325
    expect(await lastTrade(alice)).toMatchObject({ realizedPnl: "0.0022979", commission: "0.00002325" });
    expect(await position(alice, "LONG")).toMatchObject({ positionAmt: "0", entryPrice: "0.0" });
  });

  it("answers -4061 for BOTH or no positionSide in hedge mode", async () => {
    await dual(alice, "true");
    const msg = { code: -4061, msg: "Order's position side does not match user's setting." };
    expect((await post(alice, "/papi/v1/cm/order", limit("BUY", 1, "30000"))).body).toEqual(msg);
    expect(
      (await post(alice, "/papi/v1/cm/order", { ...limit("BUY", 1, "30000"), positionSide: "BOTH" })).body,
    ).toEqual(msg);
  });

  it("answers -1106 for reduceOnly sent at all in hedge mode", async () => {
    await dual(alice, "true");
    const res = await post(alice, "/papi/v1/cm/order", {
      ...limit("BUY", 1, "30000"),
      positionSide: "LONG",
      reduceOnly: "false",
    });
    expect(res.body).toEqual({ code: -1106, msg: "Parameter 'reduceonly' sent when not required." });
  });

  it("answers -2022 for closing more than the position holds", async () => {
    await dual(alice, "true");
    await aliceTakes("BUY", 4, "40000", { positionSide: "LONG" });
    const res = await post(alice, "/papi/v1/cm/order", {
      ...limit("SELL", 5, "40000"),
      positionSide: "LONG",
    });
    expect(res.body).toEqual({ code: -2022, msg: "ReduceOnly Order is rejected." });
  });
});

describe("modifying a reduce-only order", () => {
  it("answers -2022 to a modify that makes a reduce-only order larger than the position, and keeps the order", async () => {
    await aliceTakes("BUY", 5, "40000");
    const closing = await post(alice, "/papi/v1/cm/order", {
      ...limit("SELL", 5, "41000"),
      reduceOnly: "true",
    });
    expect(closing.status).toBe(200);
    const orderId = (closing.body as { orderId: number }).orderId;
    const res = await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId,
      side: "SELL",
      quantity: 6,
      price: "41000",
    });
    expect(res.body).toEqual({ code: -2022, msg: "ReduceOnly Order is rejected." });
    const open = await get(alice, "/papi/v1/cm/openOrder", { symbol: "BTCUSD_PERP", orderId });
    expect(open.body).toMatchObject({ origQty: "5", price: "41000", reduceOnly: true });
  });

  it("lets a modify shrink a reduce-only order", async () => {
    await aliceTakes("BUY", 5, "40000");
    const closing = await post(alice, "/papi/v1/cm/order", {
      ...limit("SELL", 5, "41000"),
      reduceOnly: "true",
    });
    const res = await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: (closing.body as { orderId: number }).orderId,
      side: "SELL",
      quantity: 4,
      price: "41100",
    });
    expect(res.body).toMatchObject({ status: "NEW", origQty: "4", price: "41100" });
  });
});

describe("margin", () => {
  let carol: Client;
  beforeEach(async () => {
    carol = await h.account({ BTC: "0.002" });
  });

  it("reserves notional / leverage for an open order", async () => {
    await h.place(carol, limit("BUY", 10, "40000"));
    // 10 × 100 / 40000 = 0.025 BTC at leverage 20 → 0.00125
    const account = (await get(carol, "/papi/v1/cm/account")).body as {
      assets: Array<Record<string, unknown>>;
    };
    expect(account.assets).toEqual([
      {
        asset: "BTC",
        crossWalletBalance: "0.00200000",
        crossUnPnl: "0.00000000",
        maintMargin: "0.00000000",
        initialMargin: "0.00125000",
        positionInitialMargin: "0.00000000",
        openOrderInitialMargin: "0.00125000",
        updateTime: T0,
      },
    ]);
  });

  it("rejects with -2019 an order the account cannot margin, changing nothing", async () => {
    await h.place(carol, limit("BUY", 10, "40000"));
    const res = await post(carol, "/papi/v1/cm/order", limit("BUY", 10, "40000"));
    expect(res).toMatchObject({ status: 400, body: { code: -2019, msg: "Margin is insufficient." } });
    expect(
      ((await get(carol, "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" })).body as unknown[]).length,
    ).toBe(1);
    expect(await wallet(carol)).toBe("0.00200000");
  });

  it("lets a modify lower what an account already short of margin needs", async () => {
    const placed = await h.place(carol, limit("BUY", 10, "40000"));
    // At leverage 1 the order reserves 0.025 BTC against a wallet of 0.002.
    await post(carol, "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage: 1 });
    const res = await h.signed(carol, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 5,
      price: "39990",
    });
    expect(res.body).toMatchObject({ status: "NEW", origQty: "5", price: "39990" });
  });

  it("answers -2019 to a modify that raises what an account short of margin needs", async () => {
    const placed = await h.place(carol, limit("BUY", 10, "40000"));
    await post(carol, "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage: 1 });
    const res = await h.signed(carol, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
      side: "BUY",
      quantity: 10,
      price: "39000",
    });
    expect(res.body).toEqual({ code: -2019, msg: "Margin is insufficient." });
  });

  it("releases the margin when the order is cancelled", async () => {
    const first = await h.place(carol, limit("BUY", 10, "40000"));
    await h.signed(carol, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: first.orderId as number,
    });
    expect((await post(carol, "/papi/v1/cm/order", limit("BUY", 10, "40000"))).status).toBe(200);
  });

  it("needs no margin for a reduce-only order", async () => {
    await h.place(bob, limit("SELL", 10, "40000"));
    await h.place(carol, limit("BUY", 10, "40000"));
    const res = await post(carol, "/papi/v1/cm/order", { ...limit("SELL", 10, "41000"), reduceOnly: "true" });
    expect(res.status).toBe(200);
  });

  it("margins less at a higher leverage", async () => {
    const set = await post(carol, "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage: 50 });
    expect(set.text).toBe('{"leverage":50,"maxQty":"10","symbol":"BTCUSD_PERP"}');
    await h.place(carol, limit("BUY", 10, "40000"));
    // 0.025 / 50 = 0.0005 each: three fit in 0.002
    await h.place(carol, limit("BUY", 10, "40000"));
    await h.place(carol, limit("BUY", 10, "40000"));
    expect((await post(carol, "/papi/v1/cm/order", limit("BUY", 10, "40000"))).status).toBe(200);
    expect((await post(carol, "/papi/v1/cm/order", limit("BUY", 10, "40000"))).body).toMatchObject({
      code: -2019,
    });
  });
});

describe("leverage, brackets and rates", () => {
  it("answers -4028 outside 1..125", async () => {
    for (const leverage of [0, 126]) {
      const res = await post(alice, "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage });
      expect(res.body).toEqual({ code: -4028, msg: `Leverage ${leverage} is not valid` });
    }
  });

  it("shows the leverage on positionRisk", async () => {
    await post(alice, "/papi/v1/cm/leverage", { symbol: "BTCUSD_PERP", leverage: 7 });
    expect(await position(alice)).toMatchObject({ leverage: "7", maxQty: "50" });
  });

  it("lists the brackets of a symbol", async () => {
    const res = await get(alice, "/papi/v1/cm/leverageBracket", { symbol: "BTCUSD_PERP" });
    const [first] = res.body as Array<{ symbol: string; brackets: unknown[] }>;
    expect(first!.symbol).toBe("BTCUSD_PERP");
    expect(JSON.stringify(first!.brackets[0])).toBe(
      '{"bracket":1,"initialLeverage":125,"qtyCap":5,"qtyFloor":0,"maintMarginRatio":0.004,"cum":0}',
    );
    expect(first!.brackets[1]).toEqual({
      bracket: 2,
      initialLeverage: 50,
      qtyCap: 10,
      qtyFloor: 5,
      maintMarginRatio: 0.005,
      cum: 0.005,
    });
  });

  it("answers the commission rates", async () => {
    const res = await get(alice, "/papi/v1/cm/commissionRate", { symbol: "BTCUSD_PERP" });
    expect(res.text).toBe(
      '{"symbol":"BTCUSD_PERP","makerCommissionRate":"0.0002","takerCommissionRate":"0.0005"}',
    );
  });
});

describe("mark price and positionRisk", () => {
  it("values a position at the mark the admin sets", async () => {
    await aliceTakes("BUY", 10, "40000");
    h.clock = T0 + 9;
    const set = await admin("/admin/v1/markPrice", { symbol: "BTCUSD_PERP", markPrice: "44000" });
    expect(set.body).toEqual({ symbol: "BTCUSD_PERP", markPrice: "44000" });
    // 10 × 100 × (1/40000 − 1/44000) = 0.0022727… ; notional 1000 / 44000 = 0.0227272…
    expect(JSON.stringify(await position(alice))).toBe(
      JSON.stringify({
        symbol: "BTCUSD_PERP",
        positionAmt: "10",
        entryPrice: "40000.00000000",
        markPrice: "44000.00000000",
        unRealizedProfit: "0.00227273",
        liquidationPrice: "0",
        leverage: "20",
        positionSide: "BOTH",
        updateTime: T0,
        maxQty: "20",
        notionalValue: "0.02272727",
      }),
    );
  });

  it("checks PERCENT_PRICE against the admin's mark", async () => {
    await admin("/admin/v1/markPrice", { symbol: "BTCUSD_PERP", markPrice: "44000" });
    expect((await post(alice, "/papi/v1/cm/order", limit("BUY", 1, "46200"))).status).toBe(200);
    expect((await post(alice, "/papi/v1/cm/order", limit("BUY", 1, "46200.1"))).body).toMatchObject({
      code: -4016,
    });
  });

  it("hands the mark back to the last trade with null", async () => {
    await aliceTakes("BUY", 1, "40000");
    await admin("/admin/v1/markPrice", { symbol: "BTCUSD_PERP", markPrice: "44000" });
    await admin("/admin/v1/markPrice", { symbol: "BTCUSD_PERP", markPrice: null });
    expect(await position(alice)).toMatchObject({
      markPrice: "40000.00000000",
      unRealizedProfit: "0.00000000",
    });
  });

  it("refuses marginAsset and pair together with -1128, as Binance's page asks not to send both", async () => {
    const res = await get(alice, "/papi/v1/cm/positionRisk", { marginAsset: "BTC", pair: "BTCUSD" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: -1128, msg: "Combination of optional parameters invalid." });
  });

  it("rows LONG and SHORT in hedge mode, BOTH in one-way", async () => {
    const oneWay = (await get(alice, "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as Array<{
      positionSide: string;
    }>;
    expect(new Set(oneWay.map((r) => r.positionSide))).toEqual(new Set(["BOTH"]));
    await post(alice, "/papi/v1/cm/positionSide/dual", { dualSidePosition: "true" });
    const hedge = (await get(alice, "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as Array<{
      positionSide: string;
    }>;
    expect(new Set(hedge.map((r) => r.positionSide))).toEqual(new Set(["LONG", "SHORT"]));
  });
});

describe("deposits and withdrawals", () => {
  it("deposits into the wallet and streams ACCOUNT_UPDATE with the change", async () => {
    const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
    const key = (await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey })).body as {
      listenKey: string;
    };
    const ws = await StreamClient.open(`${base}/pm/ws/${key.listenKey}`);
    try {
      const res = await admin(`/admin/v1/accounts/${alice.accountId}/balances`, {
        asset: "BTC",
        amount: "1.5",
      });
      expect(res.body).toEqual({ accountId: alice.accountId, asset: "BTC", balance: "101.5" });
      const [event] = (await ws.waitFor(1)) as Array<{ a: unknown }>;
      expect(event!.a).toEqual({
        B: [{ a: "BTC", wb: "101.50000000", cw: "101.50000000", bc: "1.5" }],
        P: [],
        m: "DEPOSIT",
      });
    } finally {
      ws.close();
    }
  });

  it("withdraws what is available and refuses more with -2018", async () => {
    expect(
      (await admin(`/admin/v1/accounts/${alice.accountId}/balances`, { asset: "BTC", amount: "-40" })).body,
    ).toMatchObject({
      balance: "60",
    });
    const res = await admin(`/admin/v1/accounts/${alice.accountId}/balances`, {
      asset: "BTC",
      amount: "-60.00000001",
    });
    expect(res).toMatchObject({ status: 400, body: { code: -2018, msg: "Balance is insufficient." } });
    expect(await wallet(alice)).toBe("60.00000000");
  });
});

describe("account endpoints", () => {
  it("answers /papi/v1/cm/account positions with Binance's fields", async () => {
    const res = (await get(alice, "/papi/v1/cm/account")).body as { positions: unknown[] };
    expect(JSON.stringify(res.positions[0])).toBe(
      JSON.stringify({
        symbol: "BTCUSD_PERP",
        positionAmt: "0",
        initialMargin: "0",
        maintMargin: "0",
        unrealizedProfit: "0.00000000",
        positionInitialMargin: "0",
        openOrderInitialMargin: "0",
        leverage: "20",
        positionSide: "BOTH",
        entryPrice: "0.0",
        maxQty: "20",
        updateTime: 0,
      }),
    );
  });

  it("shows unrealized PnL in /papi/v1/balance", async () => {
    await aliceTakes("BUY", 10, "40000");
    await admin("/admin/v1/markPrice", { symbol: "BTCUSD_PERP", markPrice: "44000" });
    expect((await get(alice, "/papi/v1/balance", { asset: "BTC" })).body).toMatchObject({
      cmWalletBalance: "99.99998750",
      cmUnrealizedPNL: "0.00227273",
    });
  });

  it("counts maintenance margin in /papi/v1/account", async () => {
    await aliceTakes("BUY", 10, "40000");
    // 0.025 BTC × 0.004 = 0.0001 BTC at 40000 USD = 4 USD; initial 0.025 / 20 = 0.00125 BTC = 50 USD
    expect((await get(alice, "/papi/v1/account")).body).toMatchObject({
      accountMaintMargin: "4.00000000",
      accountInitialMargin: "50.00000000",
    });
  });
});
