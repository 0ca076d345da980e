// The venue clock on the admin API: its time and mode, freezing and advancing it, what
// falls due in an advance (funding, listenKey expiry), and its refusals.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit, T0 } from "../support/harness.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
/** 2023-11-15 00:00 UTC and 08:00 UTC: funding times. */
const FUNDING = 1_700_006_400_000;
const HOUR = 3_600_000;

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(async () => {
  await h.close();
});

const clock = (body?: unknown) =>
  body === undefined
    ? h.request("GET", "/admin/v1/clock", ADMIN)
    : h.request("POST", "/admin/v1/clock", ADMIN, JSON.stringify(body));

describe("GET /admin/v1/clock", () => {
  it("answers the venue's time, its mode and how far it runs ahead of the wall clock", async () => {
    const res = await clock();
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify({ serverTime: T0, mode: "frozen", aheadMs: 0 }));
  });

  it("refuses a request without the admin token with 401", async () => {
    const res = await h.request("GET", "/admin/v1/clock");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: -1002, msg: "You are not authorized to execute this request." });
  });
});

describe("POST /admin/v1/clock", () => {
  it("moves the frozen clock advanceMs forward, and /dapi/v1/time with it", async () => {
    const res = await clock({ advanceMs: 90_000 });
    expect(res.body).toEqual({ serverTime: T0 + 90_000, mode: "frozen", aheadMs: 0 });
    expect((await h.request("GET", "/dapi/v1/time")).body).toEqual({ serverTime: T0 + 90_000 });
  });

  it("checks signed requests against the advanced clock (-1021 for the old timestamp)", async () => {
    const alice = await h.account();
    await clock({ advanceMs: 60_000 });
    const late = await h.signed(alice, "GET", "/papi/v1/balance", {}, { timestamp: T0 });
    expect(late.body).toEqual({
      code: -1021,
      msg: "Timestamp for this request is outside of the recvWindow.",
    });
    expect((await h.signed(alice, "GET", "/papi/v1/balance", {})).status).toBe(200);
  });

  it("settles both fundings an advance of ten hours passes, in time order", async () => {
    h.clock = FUNDING - HOUR;
    const maker: Client = await h.account();
    const taker: Client = await h.account();
    await h.venue.advance(h.clock);
    await h.place(maker, limit("SELL", 10, "30000.0"));
    await h.place(taker, limit("BUY", 10, "30000.0"));
    await clock({ advanceMs: 10 * HOUR });
    const rates = await h.request("GET", "/dapi/v1/fundingRate?symbol=BTCUSD_PERP");
    expect((rates.body as { fundingTime: number }[]).map((r) => r.fundingTime)).toEqual([
      FUNDING,
      FUNDING + 8 * HOUR,
    ]);
    const income = await h.signed(taker, "GET", "/papi/v1/cm/income", { incomeType: "FUNDING_FEE" });
    expect((income.body as { time: number; income: string }[]).map((r) => [r.time, r.income])).toEqual([
      [FUNDING, "-0.00000333"],
      [FUNDING + 8 * HOUR, "-0.00000333"],
    ]);
  });

  it("expires a listenKey the advance outlives, with listenKeyExpired at the new time", async () => {
    const alice = await h.account();
    const ws = await h.userStream(alice);
    await clock({ advanceMs: 60 * 60_000 });
    expect(await ws.waitFor(1)).toEqual([{ e: "listenKeyExpired", E: T0 + 60 * 60_000 }]);
  });

  it("lets the clock run again from where it stands with freeze false, and stops it with freeze true", async () => {
    const before = Date.now();
    const running = (await clock({ freeze: false })).body as {
      serverTime: number;
      mode: string;
      aheadMs: number;
    };
    const after = Date.now();
    expect(running.mode).toBe("running");
    // It goes on from T0, off the wall clock by what it was at the resume (T0 is in the past).
    expect(running.serverTime).toBeGreaterThanOrEqual(T0);
    expect(running.serverTime - running.aheadMs).toBeGreaterThanOrEqual(before);
    expect(running.serverTime - running.aheadMs).toBeLessThanOrEqual(after);
    expect(running.aheadMs).toBeLessThanOrEqual(T0 - before);
    const frozen = (await clock({ freeze: true })).body as { serverTime: number; mode: string };
    expect(frozen.mode).toBe("frozen");
    expect((await clock()).body).toMatchObject({ serverTime: frozen.serverTime, mode: "frozen" });
  });

  it.each([
    [{}, 'Send {"advanceMs": N} and/or {"freeze": true|false}.'],
    [{ advanceMs: 1, skew: 2 }, 'Send {"advanceMs": N} and/or {"freeze": true|false}.'],
    [{ advanceMs: -1 }, "'advanceMs' must be an integer from 0 to 86400000."],
    [{ advanceMs: 1.5 }, "'advanceMs' must be an integer from 0 to 86400000."],
    [{ advanceMs: 86_400_001 }, "'advanceMs' must be an integer from 0 to 86400000."],
    [{ freeze: "yes" }, "'freeze' must be true or false."],
  ])("refuses %j with 400 -1130, and leaves the clock as it was", async (body, msg) => {
    const res = await clock(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: -1130, msg });
    expect((await clock()).body).toEqual({ serverTime: T0, mode: "frozen", aheadMs: 0 });
  });
});
