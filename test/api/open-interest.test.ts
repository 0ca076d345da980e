// GET /dapi/v1/openInterest: the contracts held long on a symbol across every account,
// in one-way and hedge mode, as positions open, flip and close.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Client, Harness, limit, T0 } from "../support/harness.js";

let h: Harness;
let alice: Client;
let bob: Client;

beforeEach(async () => {
  h = await Harness.start();
  alice = await h.account({ BTC: "100", ETH: "1000" });
  bob = await h.account({ BTC: "100", ETH: "1000" });
});
afterEach(() => h.close());

const get = (path: string) => h.request("GET", path);
const openInterest = async (symbol = "BTCUSD_PERP") =>
  ((await get(`/dapi/v1/openInterest?symbol=${symbol}`)).body as { openInterest: string }).openInterest;

async function trade(buyer: Client, seller: Client, qty: number, extraBuy = {}, extraSell = {}) {
  await h.place(seller, { ...limit("SELL", qty, "30000"), ...extraSell });
  await h.place(buyer, { ...limit("BUY", qty, "30000"), ...extraBuy });
}

describe("GET /dapi/v1/openInterest", () => {
  it("answers the symbol, pair, contracts held long, contract type and time", async () => {
    await trade(alice, bob, 3);
    const res = await get("/dapi/v1/openInterest?symbol=BTCUSD_PERP");
    expect(res.text).toBe(
      JSON.stringify({
        symbol: "BTCUSD_PERP",
        pair: "BTCUSD",
        openInterest: "3",
        contractType: "PERPETUAL",
        time: T0,
      }),
    );
  });

  it("follows positions as they open, flip and close", async () => {
    expect(await openInterest()).toBe("0");
    await trade(alice, bob, 3);
    // bob buys 5 from alice: alice flips to 2 short, bob to 2 long.
    await trade(bob, alice, 5);
    expect(await openInterest()).toBe("2");
    await trade(alice, bob, 2);
    expect(await openInterest()).toBe("0");
  });

  it("counts LONG positions in hedge mode, and no other symbol's", async () => {
    await h.signed(alice, "POST", "/papi/v1/cm/positionSide/dual", { dualSidePosition: "true" });
    await trade(alice, bob, 4, { positionSide: "LONG" });
    expect([await openInterest(), await openInterest("ETHUSD_PERP")]).toEqual(["4", "0"]);
  });

  it("names the quarterly's contract type", async () => {
    const res = await get("/dapi/v1/openInterest?symbol=BTCUSD_261225");
    expect(res.body).toMatchObject({
      symbol: "BTCUSD_261225",
      contractType: "CURRENT_QUARTER",
      openInterest: "0",
    });
  });

  it("refuses a missing or unknown symbol, and charges weight 1 a request, refused ones too", async () => {
    expect((await get("/dapi/v1/openInterest")).body).toEqual({
      code: -1102,
      msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
    });
    expect((await get("/dapi/v1/openInterest?symbol=FOO")).body).toEqual({
      code: -1121,
      msg: "Invalid symbol.",
    });
    const res = await get("/dapi/v1/openInterest?symbol=BTCUSD_PERP");
    expect(Number(res.headers["x-mbx-used-weight-1m"])).toBe(3);
  });
});
