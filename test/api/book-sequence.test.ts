// The book's update id, as depth and bookTicker show it: every change of a book takes the
// next number of one counter, a quiet book keeps its id, and no id ever goes back, across
// restarts too. This is what lets a client keep a local book from a snapshot and diffs.
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

async function depth(symbol = "BTCUSD_PERP") {
  return (await h.request("GET", `/dapi/v1/depth?symbol=${symbol}&limit=5`)).body as {
    lastUpdateId: number;
    E: number;
    T: number;
  };
}
const updateId = async (symbol = "BTCUSD_PERP") => (await depth(symbol)).lastUpdateId;

describe("the book's update id", () => {
  it("is 0 on a book nothing has changed", async () => {
    expect(await updateId()).toBe(0);
  });

  it("takes the next id for each change: an order resting, cancelled, modified, filled", async () => {
    const ids: number[] = [];
    const first = await h.place(alice, { ...limit("BUY", 1, "30000"), newClientOrderId: "a" });
    ids.push(await updateId());
    await h.place(alice, limit("BUY", 1, "29990"));
    ids.push(await updateId());
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: first.orderId as number,
    });
    ids.push(await updateId());
    const second = (await h.signed(alice, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" }))
      .body as {
      orderId: number;
    }[];
    await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: second[0]!.orderId,
      side: "BUY",
      quantity: 2,
      price: "29995",
    });
    ids.push(await updateId());
    await h.place(bob, limit("SELL", 1, "29995"));
    ids.push(await updateId());
    expect(ids).toEqual([1, 2, 3, 4, 5]);
  });

  it("keeps its id when nothing on the book changes: reads, refused orders, an IOC that finds nothing", async () => {
    await h.place(alice, limit("BUY", 1, "30000"));
    expect(await updateId()).toBe(1);
    // FOK that cannot fill, GTX that would take, an IOC with nothing to take, a cancel of nothing.
    await h.signed(bob, "POST", "/papi/v1/cm/order", { ...limit("SELL", 5, "30000"), timeInForce: "FOK" });
    await h.signed(bob, "POST", "/papi/v1/cm/order", { ...limit("SELL", 1, "30000"), timeInForce: "GTX" });
    await h.signed(bob, "POST", "/papi/v1/cm/order", { ...limit("BUY", 1, "30100"), timeInForce: "IOC" });
    await h.signed(bob, "DELETE", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", orderId: 999 });
    await h.request("GET", "/dapi/v1/ticker/bookTicker?symbol=BTCUSD_PERP");
    expect(await updateId()).toBe(1);
  });

  it("moves once per command, however many orders the command changes", async () => {
    for (const price of ["30000", "30010", "30020"]) await h.place(bob, limit("SELL", 1, price));
    expect(await updateId()).toBe(3);
    // One taker through three levels.
    await h.place(alice, limit("BUY", 3, "30020"));
    expect(await updateId()).toBe(4);
    for (const price of ["29000", "29010"]) await h.place(alice, limit("BUY", 1, price));
    await h.signed(alice, "DELETE", "/papi/v1/cm/allOpenOrders", { symbol: "BTCUSD_PERP" });
    expect(await updateId()).toBe(7);
  });

  it("counts each book on its own, one by one, and a quiet book keeps its id", async () => {
    await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(alice, { ...limit("BUY", 1, "2000"), symbol: "ETHUSD_PERP" });
    await h.place(alice, limit("BUY", 1, "29990"));
    expect([
      await updateId("BTCUSD_PERP"),
      await updateId("ETHUSD_PERP"),
      await updateId("XRPUSD_PERP"),
    ]).toEqual([2, 1, 0]);
  });

  it("never goes back after a restart: every book stands at the highest id any book had, then moves on", async () => {
    await h.place(alice, limit("BUY", 1, "30000"));
    await h.place(alice, { ...limit("BUY", 1, "2000"), symbol: "ETHUSD_PERP" });
    await h.place(alice, limit("BUY", 1, "29990"));
    h = await h.restart();
    expect([await updateId("BTCUSD_PERP"), await updateId("ETHUSD_PERP")]).toEqual([2, 2]);
    await h.place(alice, { ...limit("BUY", 1, "1990"), symbol: "ETHUSD_PERP" });
    expect([await updateId("BTCUSD_PERP"), await updateId("ETHUSD_PERP")]).toEqual([2, 3]);
  });

  it("answers with depth's T and bookTicker's time at the change, E at the answer", async () => {
    h.clock = T0 + 10;
    await h.place(alice, limit("BUY", 1, "30000"));
    h.clock = T0 + 50;
    expect(await depth()).toMatchObject({ lastUpdateId: 1, E: T0 + 50, T: T0 + 10 });
    const ticker = (await h.request("GET", "/dapi/v1/ticker/bookTicker?symbol=BTCUSD_PERP"))
      .body as unknown[];
    expect(ticker[0]).toMatchObject({ lastUpdateId: 1, time: T0 + 10 });
  });
});
