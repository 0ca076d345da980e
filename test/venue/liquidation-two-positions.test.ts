// The liquidation of an account with two positions, in symbol order, each at its own
// bankruptcy price given the other, worked by hand.
//
// Alice holds 0.0075 BTC and buys 10 BTCUSD_261225 and 10 BTCUSD_PERP (1000 USD each) at
// 30000 from Carol, paying 0.00001666 twice: wallet W = 0.00746668. The marks fall: the
// quarterly to 27100, the perpetual to 27100 (uniMMR 1.12669376: REDUCE_ONLY), then the
// perpetual to 27050 (0.89484550: liquidation). Bob bids 10 at 27000 on the quarterly.
//
// 1. BTCUSD_261225 first ("2" sorts before "P"): its coin equity besides itself is
//    W + the perpetual's unrealized at 27050 (1000 × (1/30000 − 1/27050) = −0.00363524),
//    so its bankruptcy price is 1000 / (0.03333333 + 0.00383144) → 26907.3 (rounded up).
//    Bob's bid fills it all at 27000: PnL −0.00370370, fee 0.00001851; wallet 0.00374447.
// 2. BTCUSD_PERP: now alone, 1000 / (0.03333333 + 0.00374447) → 26970.4. No bid: the
//    IOC expires and the fund takes the 10 at 26970.4: PnL −0.00374435, fee 0.00001853;
//    wallet −0.00001841, which the fund makes up (INSURANCE_CLEAR +0.00001841).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const QUARTERLY = "BTCUSD_261225";
const PERP = "BTCUSD_PERP";

let h: Harness;
let alice: Client;
let bob: Client;
let ws: StreamClient;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "0.0075" });
  bob = await h.account({ BTC: "10" });
  const carol = await h.account({ BTC: "10" });
  for (const symbol of [QUARTERLY, PERP]) {
    await h.place(carol, limit("SELL", 10, "30000.0", { symbol }));
    await h.place(alice, limit("BUY", 10, "30000.0", { symbol }));
  }
  const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
  const key = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
  ws = await StreamClient.open(`${base}/pm/ws/${(key.body as { listenKey: string }).listenKey}`);
});
afterEach(async () => {
  ws.close();
  await h.close();
});

async function mark(symbol: string, markPrice: string) {
  const res = await h.request("POST", "/admin/v1/markPrice", ADMIN, JSON.stringify({ symbol, markPrice }));
  expect(res.status).toBe(200);
}

async function liquidate() {
  await mark(QUARTERLY, "27100");
  await h.place(bob, limit("BUY", 10, "27000.0", { symbol: QUARTERLY }));
  await mark(PERP, "27100");
  await mark(PERP, "27050");
}

describe("liquidating two positions", () => {
  it("tells REDUCE_ONLY, then FORCE_LIQUIDATION, with uniMMR worked by hand", async () => {
    await liquidate();
    await ws.waitFor(3);
    const levels = ws.messages.filter((m) => (m as { e: string }).e === "riskLevelChange");
    expect(levels.map((m) => (m as { s: string; u: string }).s)).toEqual([
      "REDUCE_ONLY",
      "FORCE_LIQUIDATION",
    ]);
    expect(levels[1]).toMatchObject({ u: "0.89484550", eq: "7.15202000", m: "7.99246350" });
  });

  it("closes the quarterly first at 26907.3 against Bob's bid, then the perpetual at 26970.4 against the fund", async () => {
    await liquidate();
    const rows = (await h.signed(alice, "GET", "/papi/v1/cm/forceOrders", {})).body as Record<
      string,
      unknown
    >[];
    expect(
      rows.map((r) => [r.symbol, r.side, r.origQty, r.price, r.executedQty, r.avgPrice, r.status]),
    ).toEqual([
      [QUARTERLY, "SELL", "10", "26907.3", "10", "27000.0", "FILLED"],
      [PERP, "SELL", "10", "26970.4", "0", "0.0", "EXPIRED"],
      [PERP, "SELL", "10", "26970.4", "10", "26970.4", "FILLED"],
    ]);
  });

  it("leaves Alice at zero, the fund covering the 0.00001841 the fees took below it", async () => {
    await liquidate();
    const balance = (await h.signed(alice, "GET", "/papi/v1/balance", { asset: "BTC" })).body as Record<
      string,
      string
    >;
    expect(balance.cmWalletBalance).toBe("0.00000000");
    const clear = (await h.signed(alice, "GET", "/papi/v1/cm/income", { incomeType: "INSURANCE_CLEAR" }))
      .body;
    expect(clear).toMatchObject([{ income: "0.00001841", asset: "BTC" }]);
  });

  it("applies a liquidation whose commit failed whole when the mark is set again, never half", async () => {
    await mark(QUARTERLY, "27100");
    await h.place(bob, limit("BUY", 10, "27000.0", { symbol: QUARTERLY }));
    await mark(PERP, "27100");
    const commit = h.store.commit.bind(h.store);
    let refused = false;
    h.store.commit = (batch) => {
      if (!refused && [...batch.orders].some((o) => o.clientOrderId.startsWith("autoclose-"))) {
        refused = true;
        throw new Error("disk I/O error");
      }
      commit(batch);
    };
    const failed = await h.request(
      "POST",
      "/admin/v1/markPrice",
      ADMIN,
      JSON.stringify({ symbol: PERP, markPrice: "27050" }),
    );
    expect(failed.status).toBe(503);
    const before = (await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      positionAmt: string;
    }[];
    expect(before.map((p) => p.positionAmt)).toEqual(["10", "10"]);
    expect((await h.signed(alice, "GET", "/papi/v1/cm/forceOrders", {})).body).toEqual([]);
    await mark(PERP, "27050");
    const after = (await h.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
      positionAmt: string;
    }[];
    expect(after.map((p) => p.positionAmt)).toEqual(["0", "0"]);
    expect((await h.signed(alice, "GET", "/papi/v1/cm/forceOrders", {})).body).toHaveLength(3);
  });
});
