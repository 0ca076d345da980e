// A kill -9 in the middle of a liquidation leaves it whole or not at all: the venue runs
// as a child process, an account is walked to the edge of liquidation, the admin's mark
// that liquidates it is sent, and the venue is killed a few milliseconds later, at a
// different moment each round. After a restart on the same folder the account is either
// untouched (its position, wallet and Bob's bid as they were, no liquidation order) or
// liquidated whole (no position, both liquidation orders, Bob's bid filled), and in the
// first case the same mark then liquidates it.
import { afterEach, describe, expect, it } from "vitest";
import { type ChildVenue, spawnVenue } from "../support/child-venue.js";
import { tempDir } from "../support/harness.js";
import { type Key, Remote } from "../support/remote.js";

const TOKEN = "kill9-liquidation-token";
const ARGS = ["--admin-token", TOKEN, "--no-rate-limits"];
const DELAYS_MS = [0, 1, 2, 4, 8];

let venue: ChildVenue | undefined;
afterEach(async () => {
  await venue?.kill9();
  venue = undefined;
});

const order = (side: string, quantity: number, price: string) => ({
  symbol: "BTCUSD_PERP",
  side,
  type: "LIMIT",
  timeInForce: "GTC",
  quantity,
  price,
});

async function mark(remote: Remote, markPrice: string) {
  return remote.admin("POST", "/admin/v1/markPrice", { symbol: "BTCUSD_PERP", markPrice });
}

interface Seen {
  readonly position: string;
  readonly wallet: string;
  readonly forceOrders: number;
  readonly bobOpen: number;
}

async function look(remote: Remote, alice: Key, bob: Key): Promise<Seen> {
  const rows = (await remote.signed(alice, "GET", "/papi/v1/cm/positionRisk", { pair: "BTCUSD" })).body as {
    symbol: string;
    positionAmt: string;
  }[];
  const balance = (await remote.signed(alice, "GET", "/papi/v1/balance", { asset: "BTC" })).body as {
    cmWalletBalance: string;
  };
  const forced = (await remote.signed(alice, "GET", "/papi/v1/cm/forceOrders", {})).body as unknown[];
  const open = (await remote.signed(bob, "GET", "/papi/v1/cm/openOrders", {})).body as unknown[];
  return {
    position: rows.find((r) => r.symbol === "BTCUSD_PERP")!.positionAmt,
    wallet: balance.cmWalletBalance,
    forceOrders: forced.length,
    bobOpen: open.length,
  };
}

describe("kill -9 during a liquidation", () => {
  it("finds it applied whole or not at all after a restart, whatever the moment", async () => {
    const outcomes: string[] = [];
    for (const delay of DELAYS_MS) {
      const dir = tempDir();
      venue = await spawnVenue(dir, { args: ARGS });
      let remote = new Remote(venue.base, TOKEN);
      const alice = await remote.createAccount({ BTC: "0.01" });
      const bob = await remote.createAccount({ BTC: "10" });
      const carol = await remote.createAccount({ BTC: "10" });
      await remote.signed(carol, "POST", "/papi/v1/cm/order", order("SELL", 20, "30000.0"));
      await remote.signed(alice, "POST", "/papi/v1/cm/order", order("BUY", 20, "30000.0"));
      expect((await mark(remote, "26215")).status).toBe(200);
      await remote.signed(bob, "POST", "/papi/v1/cm/order", order("BUY", 10, "26150.0"));
      const before = await look(remote, alice, bob);
      expect(before).toEqual({ position: "20", wallet: "0.00996667", forceOrders: 0, bobOpen: 1 });
      const sent = mark(remote, "26200").catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, delay));
      await venue.kill9();
      await sent;
      venue = await spawnVenue(dir, { args: ARGS });
      remote = new Remote(venue.base, TOKEN);
      const after = await look(remote, alice, bob);
      if (after.position === "20") {
        expect(after, `killed after ${delay} ms`).toEqual(before);
        outcomes.push("untouched");
        expect((await mark(remote, "26200")).status).toBe(200);
        expect(await look(remote, alice, bob)).toEqual({
          position: "0",
          wallet: "0.00000000",
          forceOrders: 2,
          bobOpen: 0,
        });
      } else {
        expect(after, `killed after ${delay} ms`).toEqual({
          position: "0",
          wallet: "0.00000000",
          forceOrders: 2,
          bobOpen: 0,
        });
        outcomes.push("whole");
      }
      await venue.kill9();
      venue = undefined;
    }
    expect(outcomes).toHaveLength(DELAYS_MS.length);
  });
});
