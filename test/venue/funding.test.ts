// Index, mark and funding on a stepped venue clock: worked examples computed by hand,
// over the real HTTP stack, a real SQLite file and a real user-data stream socket.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

/** 2023-11-15 00:00 UTC: a funding time. */
const FUNDING = 1_700_006_400_000;
const HOUR = 3_600_000;
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

let h: Harness;
let alice: Client;
let bob: Client;
let carol: Client;
const sockets: StreamClient[] = [];

beforeEach(async () => {
  h = await Harness.start();
  h.clock = FUNDING - 10_000;
  alice = await h.account({ BTC: "100" });
  bob = await h.account({ BTC: "100" });
  carol = await h.account({ BTC: "100" });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h.close();
});

/** Carol sells 10 at 30000 to Alice (3) and Bob (7), who take it. */
async function openPositions() {
  await h.venue.advance(h.clock);
  await h.place(carol, limit("SELL", 10, "30000.0"));
  await h.place(alice, limit("BUY", 3, "30000.0"));
  await h.place(bob, limit("BUY", 7, "30000.0"));
}

async function wallet(client: Client): Promise<string> {
  const res = await h.signed(client, "GET", "/papi/v1/balance", { asset: "BTC" });
  return (res.body as { cmWalletBalance: string }).cmWalletBalance;
}

async function advanceTo(time: number) {
  h.clock = time;
  await h.venue.advance(time);
}

describe("funding at a funding time", () => {
  // No index: no premium samples, so the rate is the interest rate, 0.01 %, and the mark
  // the last trade, 30000. 10 contracts × 100 USD / 30000 × 0.0001 = 0.0000033333 BTC,
  // 333 units; the longs share it as 3:7 → 99.9 and 233.1 → 100 and 233 (largest remainder).
  it("takes 0.000001 BTC from Alice's 3 and 0.00000233 from Bob's 7 contracts and pays Carol's short 0.00000333", async () => {
    await openPositions();
    const before = [await wallet(alice), await wallet(bob), await wallet(carol)];
    await advanceTo(FUNDING);
    const after = [await wallet(alice), await wallet(bob), await wallet(carol)];
    const units = (s: string) => Math.round(Number(s) * 1e8);
    expect(after.map((a, i) => units(a) - units(before[i]!))).toEqual([-100, -233, 333]);
  });

  it("lists the funding in /dapi/v1/fundingRate, and none for the quarterly", async () => {
    await openPositions();
    await advanceTo(FUNDING);
    const res = await h.request("GET", "/dapi/v1/fundingRate?symbol=BTCUSD_PERP");
    expect(res.text).toBe(
      JSON.stringify([{ symbol: "BTCUSD_PERP", fundingTime: FUNDING, fundingRate: "0.00010000" }]),
    );
    expect((await h.request("GET", "/dapi/v1/fundingRate?symbol=BTCUSD_261225")).text).toBe("[]");
  });

  it("pays nothing before the funding time, and never twice for one", async () => {
    await openPositions();
    const before = await wallet(alice);
    await advanceTo(FUNDING - 1000);
    expect(await wallet(alice)).toBe(before);
    await advanceTo(FUNDING);
    const paid = await wallet(alice);
    await advanceTo(FUNDING + 5000);
    h = await h.restart();
    await advanceTo(FUNDING + 10_000);
    expect(await wallet(alice)).toBe(paid);
    const rates = (await h.request("GET", "/dapi/v1/fundingRate?symbol=BTCUSD_PERP")).body as unknown[];
    expect(rates).toHaveLength(1);
  });

  it("streams ACCOUNT_UPDATE FUNDING_FEE with the coin's balance only", async () => {
    await openPositions();
    const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
    const key = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
    const ws = await StreamClient.open(`${base}/pm/ws/${(key.body as { listenKey: string }).listenKey}`);
    sockets.push(ws);
    await advanceTo(FUNDING);
    const [event] = await ws.waitFor(1);
    // 100 − 0.000005 taker commission (3 × 100 / 30000 × 0.05 %) − 0.000001 funding.
    expect(event).toEqual({
      e: "ACCOUNT_UPDATE",
      T: FUNDING,
      E: FUNDING,
      i: (await h.venue.account(alice.accountId))!.alias,
      fs: "CM",
      a: {
        B: [{ a: "BTC", wb: "99.99999400", cw: "99.99999400", bc: "-0.000001" }],
        P: [],
        m: "FUNDING_FEE",
      },
    });
  });

  it("applies a settlement whose commit failed whole at the next step, never half", async () => {
    await openPositions();
    const before = [await wallet(alice), await wallet(bob), await wallet(carol)];
    const commit = h.store.commit.bind(h.store);
    const spy = vi.spyOn(h.store, "commit").mockImplementation((batch) => {
      if (batch.fundings.length > 0) throw new Error("disk I/O error");
      commit(batch);
    });
    h.clock = FUNDING;
    await expect(h.venue.advance(FUNDING)).rejects.toMatchObject({ code: -1001 });
    expect([await wallet(alice), await wallet(bob), await wallet(carol)]).toEqual(before);
    expect((await h.request("GET", "/dapi/v1/fundingRate?symbol=BTCUSD_PERP")).text).toBe("[]");
    spy.mockRestore();
    await advanceTo(FUNDING + 1000);
    const units = (s: string) => Math.round(Number(s) * 1e8);
    const after = [await wallet(alice), await wallet(bob), await wallet(carol)];
    expect(after.map((a, i) => units(a) - units(before[i]!))).toEqual([-100, -233, 333]);
  });
});

describe("income history", () => {
  it("lists the opening transfer, the commission and the funding fee, oldest first", async () => {
    const opened = h.clock;
    await openPositions();
    await advanceTo(FUNDING);
    const res = await h.signed(alice, "GET", "/papi/v1/cm/income", {});
    expect(res.body).toEqual([
      {
        symbol: "",
        incomeType: "TRANSFER",
        income: "100.00000000",
        asset: "BTC",
        info: "DEPOSIT",
        time: opened,
        tranId: "1",
        tradeId: "",
      },
      {
        symbol: "BTCUSD_PERP",
        incomeType: "COMMISSION",
        income: "-0.00000500",
        asset: "BTC",
        info: "",
        time: opened,
        tranId: "2",
        tradeId: "1",
      },
      {
        symbol: "BTCUSD_PERP",
        incomeType: "FUNDING_FEE",
        income: "-0.00000100",
        asset: "BTC",
        info: "",
        time: FUNDING,
        tranId: "4",
        tradeId: "",
      },
    ]);
  });

  it("filters by income type and pages with limit", async () => {
    await openPositions();
    await advanceTo(FUNDING);
    const fees = await h.signed(alice, "GET", "/papi/v1/cm/income", { incomeType: "FUNDING_FEE" });
    expect((fees.body as { incomeType: string }[]).map((r) => r.incomeType)).toEqual(["FUNDING_FEE"]);
    const second = await h.signed(alice, "GET", "/papi/v1/cm/income", { limit: 1, page: 2 });
    expect((second.body as { incomeType: string }[]).map((r) => r.incomeType)).toEqual(["COMMISSION"]);
  });

  it("refuses an unknown income type with -1130 and a window over 200 days with -4088", async () => {
    const bad = await h.signed(alice, "GET", "/papi/v1/cm/income", { incomeType: "BONUS" });
    expect(bad.body).toEqual({ code: -1130, msg: "Data sent for parameter 'incomeType' is not valid." });
    const wide = await h.signed(alice, "GET", "/papi/v1/cm/income", {
      startTime: 0,
      endTime: 201 * 24 * HOUR,
    });
    expect(wide.body).toEqual({ code: -4088, msg: "Maximum time interval is 200 days." });
  });
});

describe("index and mark", () => {
  // Four hours before funding: the index at 30000, bids 300 at 30030, asks 299 at 30040
  // after a trade there. Premium = (30030 − 30000) / 30000 = 0.1 %, so the rate so far is
  // 0.1 % − 0.05 % = 0.05 %. Mark = median(30000 × (1 + 0.0005 × 4h/8h) = 30007.5,
  // 30000 + (30035 − 30000) = 30035, 30040) = 30035.
  const AT = FUNDING - 4 * HOUR;

  async function market() {
    h.clock = AT - 10_000;
    await h.venue.advance(h.clock);
    const res = await h.request(
      "POST",
      "/admin/v1/indexPrice",
      ADMIN,
      JSON.stringify({ pair: "BTCUSD", indexPrice: "30000" }),
    );
    expect(res.body).toEqual({ pair: "BTCUSD", indexPrice: "30000.00000000" });
    await h.place(alice, limit("BUY", 300, "30030.0"));
    await h.place(bob, limit("SELL", 300, "30040.0"));
    await h.place(carol, limit("BUY", 1, "30040.0"));
    await advanceTo(AT);
  }

  it("computes the mark by Binance's median and shows the funding rate so far in premiumIndex", async () => {
    await market();
    const res = await h.request("GET", "/dapi/v1/premiumIndex?symbol=BTCUSD_PERP");
    expect(res.text).toBe(
      JSON.stringify([
        {
          symbol: "BTCUSD_PERP",
          pair: "BTCUSD",
          markPrice: "30035.00000000",
          indexPrice: "30000.00000000",
          estimatedSettlePrice: "30000.00000000",
          lastFundingRate: "0.00050000",
          interestRate: "0.00010000",
          nextFundingTime: FUNDING,
          time: AT,
        },
      ]),
    );
  });

  it("draws premium candles from the 5-second samples and index candles from the prices set", async () => {
    await market();
    const premium = await h.request("GET", "/dapi/v1/premiumIndexKlines?symbol=BTCUSD_PERP&interval=1m");
    const p = "0.00100000";
    expect(premium.body).toEqual([
      [AT - 60_000, p, p, p, p, "0", AT - 1, "0", 1, "0", "0", "0"],
      [AT, p, p, p, p, "0", AT + 59_999, "0", 1, "0", "0", "0"],
    ]);
    const index = await h.request("GET", "/dapi/v1/indexPriceKlines?pair=BTCUSD&interval=1m");
    const i = "30000.00000000";
    expect(index.body).toEqual([
      [AT - 60_000, i, i, i, i, "0", AT - 1, "0", 1, "0", "0", "0"],
      [AT, i, i, i, i, "0", AT + 59_999, "0", 0, "0", "0", "0"],
    ]);
    const mark = (await h.request("GET", "/dapi/v1/markPriceKlines?symbol=BTCUSD_PERP&interval=1m"))
      .body as unknown[][];
    const m = "30035.00000000";
    expect(mark.at(-1)).toEqual([AT, m, m, m, m, "0", AT + 59_999, "0", 1, "0", "0", "0"]);
  });

  it("keeps the samples across a restart: the same mark and rate after it", async () => {
    await market();
    const before = (await h.request("GET", "/dapi/v1/premiumIndex?symbol=BTCUSD_PERP")).text;
    h = await h.restart();
    expect((await h.request("GET", "/dapi/v1/premiumIndex?symbol=BTCUSD_PERP")).text).toBe(before);
  });

  it("refuses an index for an unknown pair or that is not a positive decimal", async () => {
    const pair = await h.request(
      "POST",
      "/admin/v1/indexPrice",
      ADMIN,
      JSON.stringify({ pair: "FOOUSD", indexPrice: "1" }),
    );
    expect(pair.status).toBe(400);
    const price = await h.request(
      "POST",
      "/admin/v1/indexPrice",
      ADMIN,
      JSON.stringify({ pair: "BTCUSD", indexPrice: "-1" }),
    );
    expect(price.status).toBe(400);
  });

  it("hands the mark back to the last trade when the index is cleared", async () => {
    await market();
    await h.request(
      "POST",
      "/admin/v1/indexPrice",
      ADMIN,
      JSON.stringify({ pair: "BTCUSD", indexPrice: null }),
    );
    const [row] = (await h.request("GET", "/dapi/v1/premiumIndex?symbol=BTCUSD_PERP")).body as {
      markPrice: string;
    }[];
    expect(row!.markPrice).toBe("30040.00000000");
  });
});
