// /futures/data/basis and /dapi/v1/constituents from the venue's index and trades.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit, T0 } from "../support/harness.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const OPEN = T0 - 200_000; // the 5-minute period holding T0
const DELIVERY = Date.UTC(2026, 11, 25, 8);
const YEAR_MS = 365 * 24 * 3_600_000;

let h: Harness;
let maker: Client;
let taker: Client;

beforeEach(async () => {
  h = await Harness.start();
  maker = await h.account();
  taker = await h.account();
  await h.request(
    "POST",
    "/admin/v1/indexPrice",
    ADMIN,
    JSON.stringify({ pair: "BTCUSD", indexPrice: "30000" }),
  );
});
afterEach(async () => {
  await h.close();
});

async function trade(symbol: string, price: string) {
  await h.place(maker, limit("SELL", 1, price, { symbol }));
  await h.place(taker, limit("BUY", 1, price, { symbol }));
}

describe("GET /futures/data/basis", () => {
  it("answers a quarterly's basis, its rate and the rate over a year of the time left to delivery", async () => {
    await trade("BTCUSD_261225", "30060.0");
    const res = await h.request(
      "GET",
      "/futures/data/basis?pair=BTCUSD&contractType=CURRENT_QUARTER&period=5m",
    );
    // 60 / 30000 = 0.2 %; over a year of the time from the period's close to delivery:
    // 0.002 × 365 days / (DELIVERY − (OPEN + 5 min)) = 0.000642… → 0.0006.
    const annualized = (0.002 * YEAR_MS) / (DELIVERY - (OPEN + 300_000));
    expect(annualized.toFixed(4)).toBe("0.0006");
    expect(res.body).toEqual([
      {
        indexPrice: "30000.00000000",
        contractType: "CURRENT_QUARTER",
        basisRate: "0.0020",
        futuresPrice: "30060",
        annualizedBasisRate: "0.0006",
        basis: "60.00000000",
        pair: "BTCUSD",
        timestamp: OPEN,
      },
    ]);
  });

  it("answers a perpetual's basis without an annualized rate", async () => {
    await trade("BTCUSD_PERP", "29990.0");
    const res = await h.request("GET", "/futures/data/basis?pair=BTCUSD&contractType=PERPETUAL&period=5m");
    expect(res.body).toMatchObject([
      { basis: "-10.00000000", basisRate: "-0.0003", annualizedBasisRate: "", futuresPrice: "29990" },
    ]);
  });

  it("answers [] for a type the pair has no contract of, and -4104 for an unknown type", async () => {
    expect(
      (await h.request("GET", "/futures/data/basis?pair=BTCUSD&contractType=NEXT_QUARTER&period=5m")).body,
    ).toEqual([]);
    const bad = await h.request("GET", "/futures/data/basis?pair=BTCUSD&contractType=ALL&period=5m");
    expect(bad.body).toEqual({ code: -4104, msg: "Invalid contract type." });
  });
});

describe("GET /dapi/v1/constituents", () => {
  it("names the venue's own index as the pair's one constituent", async () => {
    const res = await h.request("GET", "/dapi/v1/constituents?symbol=BTCUSD");
    expect(res.body).toEqual({
      symbol: "BTCUSD",
      time: T0,
      constituents: [{ exchange: "papi-venue", symbol: "BTCUSD" }],
    });
    expect((await h.request("GET", "/dapi/v1/constituents?symbol=FOOUSD")).body).toEqual({
      code: -1121,
      msg: "Invalid symbol.",
    });
  });
});
