// A price path that walks a Portfolio Margin account from NORMAL through margin call and
// reduce-only to liquidation, every stream event checked, every number worked by hand.
//
// Alice holds 0.01 BTC and buys 20 BTCUSD_PERP (2000 USD) at 30000 from Carol, paying
// the taker fee 2000 / 30000 × 0.05 % = 0.00003333 (truncated): wallet W = 0.00996667.
// At a mark m her equity is W + 2000 × (1/30000 − 1/m) BTC and her maintenance margin
// 2000 / m × 0.4 % (bracket 1), both in USD at m; uniMMR = equity / maintenance:
//   m = 30000: 299.0001 / 8.0001 = 37.37454531            NORMAL
//   m = 26240: 10.8586368 / 8.0000512 = 1.35732091        MARGIN_CALL   (≤ 1.5)
//   m = 26215: 8.9429851 / 8.00003155 = 1.11786872        REDUCE_ONLY   (≤ 1.2)
//   m = 26200: 7.793452 / 7.999908 = 0.97419270           FORCE_LIQUIDATION (< 1.05)
// Her bankruptcy price: 2000 / (entry value 0.06666667 + W = 0.07663334) = 26098.35…,
// rounded up to the tick: 26098.4. The liquidation sells 20 at 26098.4 IOC: Bob's bid of
// 10 at 26150 fills (PnL 1000 × (1/30000 − 1/26150) = −0.00490758, fee 0.00001912), the
// other 10 go to the insurance fund at 26098.4 (PnL −0.00498319, fee 0.00001915). That
// leaves 0.00003763 BTC, less than the liquidation fee (1.5 % of 0.07663334), so the fund
// takes all of it (INSURANCE_CLEAR).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

let h: Harness;
let alice: Client;
let bob: Client;
let carol: Client;
let ws: StreamClient;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "0.01" });
  bob = await h.account({ BTC: "10" });
  carol = await h.account({ BTC: "10" });
  await h.place(carol, limit("SELL", 20, "30000.0"));
  await h.place(alice, limit("BUY", 20, "30000.0"));
  const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
  const key = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
  ws = await StreamClient.open(`${base}/pm/ws/${(key.body as { listenKey: string }).listenKey}`);
});
afterEach(async () => {
  ws.close();
  await h.close();
});

async function mark(price: string) {
  const res = await h.request(
    "POST",
    "/admin/v1/markPrice",
    ADMIN,
    JSON.stringify({ symbol: "BTCUSD_PERP", markPrice: price }),
  );
  expect(res.status).toBe(200);
}

async function account(client: Client) {
  return (await h.signed(client, "GET", "/papi/v1/account", {})).body as Record<string, unknown>;
}

/** Reduce-only at 26215, Bob's bid of 10 at 26150, then 26200: Alice is liquidated. */
async function liquidateAlice() {
  await mark("26215");
  await h.place(bob, limit("BUY", 10, "26150.0"));
  await mark("26200");
}

const level = (s: string, u: string, eq: string, m: string) => ({
  e: "riskLevelChange",
  E: h.clock,
  u,
  s,
  eq,
  ae: eq,
  m,
});

describe("the Portfolio Margin risk ladder", () => {
  it("shows uniMMR, equity and maintenance margin in USD and the account NORMAL at 30000", async () => {
    expect(await account(alice)).toMatchObject({
      uniMMR: "37.37454531",
      accountEquity: "299.00010000",
      actualEquity: "299.00010000",
      accountMaintMargin: "8.00010000",
      accountStatus: "NORMAL",
    });
  });

  it("tells MARGIN_CALL at 26240 and REDUCE_ONLY at 26215, and refuses an order that adds with -4087", async () => {
    await mark("26240");
    expect(await ws.waitFor(1)).toEqual([level("MARGIN_CALL", "1.35732091", "10.85863680", "8.00005120")]);
    expect((await account(alice)).accountStatus).toBe("MARGIN_CALL");
    await mark("26215");
    expect((await ws.waitFor(2))[1]).toEqual(level("REDUCE_ONLY", "1.11786872", "8.94298510", "8.00003155"));
    expect((await account(alice)).accountStatus).toBe("REDUCE_ONLY");
    const adding = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "26215.0"));
    expect(adding.status).toBe(400);
    expect(adding.body).toEqual({ code: -4087, msg: "User can only place reduce only order." });
  });

  it("refuses an adding order in reduce-only even when another coin's balance would cover it", async () => {
    await h.request(
      "POST",
      `/admin/v1/accounts/${alice.accountId}/balances`,
      ADMIN,
      JSON.stringify({ asset: "ETH", amount: "1000" }),
    );
    await mark("26215");
    const eth = await h.signed(alice, "POST", "/papi/v1/cm/order", {
      ...limit("BUY", 1, "2000.00"),
      symbol: "ETHUSD_PERP",
    });
    expect(eth.body).toEqual({ code: -4087, msg: "User can only place reduce only order." });
  });

  it("lets a reduce-only account close: a SELL no larger than the long is accepted", async () => {
    await mark("26215");
    const closing = await h.signed(alice, "POST", "/papi/v1/cm/order", limit("SELL", 5, "26300.0"));
    expect(closing.status).toBe(200);
  });

  it("shows the liquidation price: the first mark below which uniMMR falls under 1.05, 26207.9", async () => {
    // uniMMR at 26208.0 is 1.05081081, at 26207.9 it is 1.04986076.
    const rows = (await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      symbol: string;
      liquidationPrice: string;
    }[];
    expect(rows.find((r) => r.symbol === "BTCUSD_PERP")!.liquidationPrice).toBe("26207.90000000");
    expect(rows.find((r) => r.symbol === "BTCUSD_261225")!.liquidationPrice).toBe("0");
  });

  it("liquidates below 1.05: the book takes what it can at the bankruptcy price, the insurance fund the rest", async () => {
    await mark("26240");
    await liquidateAlice();
    // Three level changes, five order updates, two position updates and the clearing.
    const events = (await ws.waitFor(11)) as Record<string, unknown>[];
    expect(events[2]).toEqual(level("FORCE_LIQUIDATION", "0.97419270", "7.79345200", "7.99990800"));
    const orders = events
      .filter((e) => e.e === "ORDER_TRADE_UPDATE")
      .map((e) => e.o as Record<string, unknown>);
    const brief = orders.map((o) => [o.S, o.o, o.f, o.q, o.p, o.x, o.X, o.l, o.L, o.n]);
    expect(brief).toEqual([
      ["SELL", "LIMIT", "IOC", "20", "26098.4", "NEW", "NEW", "0", "0", "0"],
      [
        "SELL",
        "LIMIT",
        "IOC",
        "20",
        "26098.4",
        "CALCULATED",
        "PARTIALLY_FILLED",
        "10",
        "26150",
        "0.00001912",
      ],
      ["SELL", "LIMIT", "IOC", "20", "26098.4", "EXPIRED", "EXPIRED", "0", "0", "0"],
      ["SELL", "LIMIT", "IOC", "10", "26098.4", "NEW", "NEW", "0", "0", "0"],
      ["SELL", "LIMIT", "IOC", "10", "26098.4", "CALCULATED", "FILLED", "10", "26098.4", "0.00001915"],
    ]);
    for (const o of orders) expect(o.c).toMatch(/^autoclose-\d{19}$/);
    const clear = events.find((e) => (e.a as { m?: string } | undefined)?.m === "INSURANCE_CLEAR");
    expect((clear!.a as Record<string, unknown>).B).toEqual([
      { a: "BTC", wb: "0.00000000", cw: "0.00000000", bc: "-0.00003763" },
    ]);
    expect(ws.messages).toHaveLength(11);
    expect(await account(alice)).toMatchObject({ accountStatus: "NORMAL", accountMaintMargin: "0.00000000" });
    const positions = (await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      symbol: string;
      positionAmt: string;
    }[];
    expect(positions.find((p) => p.symbol === "BTCUSD_PERP")!.positionAmt).toBe("0");
  });

  it("lists the liquidation's orders in forceOrders, and none as ADL", async () => {
    await liquidateAlice();
    const res = await h.signed(alice, "GET", "/papi/v1/cm/forceOrders", { symbol: "BTCUSD_PERP" });
    const rows = res.body as Record<string, unknown>[];
    expect(
      rows.map((r) => [
        r.side,
        r.type,
        r.timeInForce,
        r.origQty,
        r.executedQty,
        r.price,
        r.avgPrice,
        r.status,
      ]),
    ).toEqual([
      ["SELL", "LIMIT", "IOC", "20", "10", "26098.4", "26150.0", "EXPIRED"],
      ["SELL", "LIMIT", "IOC", "10", "10", "26098.4", "26098.4", "FILLED"],
    ]);
    expect(rows[0]).toMatchObject({
      symbol: "BTCUSD_PERP",
      pair: "BTCUSD",
      cumBase: "0.03824092",
      reduceOnly: false,
      positionSide: "BOTH",
      origType: "LIMIT",
      time: h.clock,
    });
    const adl = await h.signed(alice, "GET", "/papi/v1/cm/forceOrders", { autoCloseType: "ADL" });
    expect(adl.body).toEqual([]);
    const mine = await h.signed(bob, "GET", "/papi/v1/cm/forceOrders", {});
    expect(mine.body).toEqual([]);
  });

  it("tells the liquidation orders on the forceOrder streams", async () => {
    const base = (h.app.server.address() as { port: number }).port;
    const market = await StreamClient.open(`ws://127.0.0.1:${base}/ws/btcusd_perp@forceOrder`);
    await liquidateAlice();
    const events = await market.waitFor(2);
    market.close();
    expect(events).toEqual([
      {
        e: "forceOrder",
        E: h.clock,
        o: {
          s: "BTCUSD_PERP",
          ps: "BTCUSD",
          S: "SELL",
          o: "LIMIT",
          f: "IOC",
          q: "20",
          p: "26098.4",
          ap: "26150.0",
          X: "EXPIRED",
          l: "10",
          z: "10",
          T: h.clock,
        },
      },
      {
        e: "forceOrder",
        E: h.clock,
        o: {
          s: "BTCUSD_PERP",
          ps: "BTCUSD",
          S: "SELL",
          o: "LIMIT",
          f: "IOC",
          q: "10",
          p: "26098.4",
          ap: "26098.4",
          X: "FILLED",
          l: "10",
          z: "10",
          T: h.clock,
        },
      },
    ]);
  });

  it("ranks positions for auto-deleveraging: Carol's lone short first in its queue", async () => {
    await mark("26240");
    const res = await h.signed(carol, "GET", "/papi/v1/cm/adlQuantile", {});
    expect(res.body).toEqual([{ symbol: "BTCUSD_PERP", adlQuantile: { LONG: 0, SHORT: 4, BOTH: 4 } }]);
  });

  it("deleverages Carol's short at the bankruptcy price when the mark gaps past it with no bids and an empty fund", async () => {
    // 25000 is below the bankruptcy price 26098.4: the book has no bid, and the fund (0 BTC)
    // would lose 2000 × (1/25000 − 1/26098.4) taking the long, so Carol's opposite short,
    // the whole queue, is closed against it at 26098.4.
    const carolWs = await StreamClient.open(
      `ws://127.0.0.1:${(h.app.server.address() as { port: number }).port}/pm/ws/${((await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": carol.apiKey })).body as { listenKey: string }).listenKey}`,
    );
    await mark("25000");
    const [update] = (await carolWs.waitFor(1)) as { e: string; o: Record<string, unknown> }[];
    carolWs.close();
    expect(update!.e).toBe("ORDER_TRADE_UPDATE");
    expect(update!.o).toMatchObject({
      c: "adl_autoclose",
      S: "BUY",
      q: "20",
      p: "26098.4",
      x: "CALCULATED",
      X: "FILLED",
      L: "26098.4",
    });
    const adl = (await h.signed(carol, "GET", "/papi/v1/cm/forceOrders", { autoCloseType: "ADL" }))
      .body as Record<string, unknown>[];
    expect(adl.map((o) => [o.clientOrderId, o.side, o.executedQty, o.avgPrice])).toEqual([
      ["adl_autoclose", "BUY", "20", "26098.4"],
    ]);
    const liquidations = (
      await h.signed(carol, "GET", "/papi/v1/cm/forceOrders", { autoCloseType: "LIQUIDATION" })
    ).body;
    expect(liquidations).toEqual([]);
    const positions = (await h.signed(carol, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      symbol: string;
      positionAmt: string;
    }[];
    expect(positions.find((r) => r.symbol === "BTCUSD_PERP")!.positionAmt).toBe("0");
  });

  it("neither makes nor loses coin: the counterparties, the insurance fund and the fees balance the loss", async () => {
    await liquidateAlice();
    const { total, fees } = await coin();
    // Commissions left the accounts: 0.00003333 at the open (Alice), 0.00001333 (Carol's
    // maker fee on 20 at 30000), 0.00001912 and 0.00001915 (Alice's liquidation fills)
    // and the makers' fees on those (Bob 0.00000764, the fund 0.00000766).
    expect(fees).toBe(
      units("0.00003333") +
        units("0.00001333") +
        units("0.00001912") +
        units("0.00001915") +
        units("0.00000764") +
        units("0.00000766"),
    );
    // Every position is valued at one mark (26200); each realization rounds once.
    const drift = total + fees - DEPOSITS;
    expect(drift < 0n ? -drift : drift).toBeLessThanOrEqual(6n);
  });

  it("neither makes nor loses coin when it deleverages: Carol's gain and the fund's cover balance Alice's loss", async () => {
    await mark("25000");
    const { total, fees } = await coin();
    const drift = total + fees - DEPOSITS;
    expect(drift < 0n ? -drift : drift).toBeLessThanOrEqual(6n);
  });
});

const units = (s: string) => BigInt(Math.round(Number(s) * 1e8));
const DEPOSITS = units("0.01") + units("10") + units("10");

/** Σ wallets and unrealized PnL of every account (the fund's too), and Σ commissions paid. */
async function coin(): Promise<{ total: bigint; fees: bigint }> {
  const list = (await h.request("GET", "/admin/v1/accounts", ADMIN)).body as { accountId: number }[];
  let total = 0n;
  let fees = 0n;
  for (const { accountId } of list) {
    const state = await h.venue.accountState(accountId);
    total += state.balances.get("BTC")?.units ?? 0n;
    total += state.assets.get("BTC")?.unrealized ?? 0n;
    const trades = await h.venue.userTrades({ accountId, symbols: ["BTCUSD_PERP"], limit: 1000 });
    for (const t of trades) fees += t.commission;
  }
  return { total, fees };
}
