// Acknowledged means durable: the venue runs as a child process, acknowledges orders
// and cancels, is killed with SIGKILL (also while requests are in flight), restarts on
// the same data folder and still has every acknowledged state; ids never repeat.
import { afterEach, describe, expect, it } from "vitest";
import { hmacHex } from "../../src/api/signature.js";
import { tempDir } from "../support/harness.js";
import { kill9, startVenueProcess, type VenueProcess } from "../support/process.js";

const TOKEN = "kill9-token";
let venue: VenueProcess | undefined;

afterEach(async () => {
  if (venue) await kill9(venue);
  venue = undefined;
});

interface Key {
  apiKey: string;
  secretKey: string;
}

async function createAccount(base: string): Promise<Key> {
  const res = await fetch(`${base}/admin/v1/accounts`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ balances: { BTC: "10" } }),
  });
  return (await res.json()) as Key;
}

async function signed(
  base: string,
  key: Key,
  method: string,
  path: string,
  params: Record<string, string | number>,
) {
  const text = [...Object.entries(params).map(([k, v]) => `${k}=${v}`), `timestamp=${Date.now()}`].join("&");
  const res = await fetch(`${base}${path}?${text}&signature=${hmacHex(key.secretKey, text)}`, {
    method,
    headers: { "x-mbx-apikey": key.apiKey },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const order = (i: number) => ({
  symbol: "BTCUSD_PERP",
  side: i % 2 === 0 ? "BUY" : "SELL",
  type: "LIMIT",
  timeInForce: "GTC",
  quantity: 1 + (i % 3),
  // Bids below asks: nothing crosses, so every acknowledged order must come back resting.
  price: i % 2 === 0 ? `${29000 + (i % 50)}` : `${31000 + (i % 50)}`,
  newClientOrderId: `k9-${i}`,
});

describe("kill -9", () => {
  it("loses no acknowledged order or cancel, and never repeats an order id", async () => {
    const dir = tempDir();
    venue = await startVenueProcess(dir, ["--admin-token", TOKEN]);
    const key = await createAccount(venue.base);
    const acked = new Map<number, string>();
    let maxId = 0;

    for (let round = 0; round < 3; round++) {
      const base = venue.base;
      // A burst of orders; about half are cancelled once acknowledged.
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, j) =>
          signed(base, key, "POST", "/papi/v1/cm/order", order(round * 1000 + j)),
        ),
      );
      for (const r of results) {
        expect(r).toMatchObject({ status: 200, body: { status: "NEW" } });
        const id = r.body.orderId as number;
        expect(acked.has(id)).toBe(false);
        expect(id).toBeGreaterThan(maxId);
        acked.set(id, "NEW");
      }
      const toCancel = results.filter((_, j) => j % 2 === 0).map((r) => r.body.orderId as number);
      const cancels = await Promise.all(
        toCancel.map((orderId) =>
          signed(base, key, "DELETE", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", orderId }),
        ),
      );
      for (const c of cancels) {
        expect(c.body.status).toBe("CANCELED");
        acked.set(c.body.orderId as number, "CANCELED");
      }
      // Kill while another burst is in flight: whatever of it was acknowledged must survive too.
      const inflight = Array.from({ length: 20 }, (_, j) =>
        signed(base, key, "POST", "/papi/v1/cm/order", order(round * 1000 + 500 + j)).then(
          (r) => {
            if (r.status === 200) acked.set(r.body.orderId as number, "NEW");
          },
          () => {},
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 5 + round * 7));
      await kill9(venue);
      await Promise.all(inflight);
      for (const id of acked.keys()) maxId = Math.max(maxId, id);

      venue = await startVenueProcess(dir, ["--admin-token", TOKEN]);
      for (const [orderId, status] of acked) {
        const q = await signed(venue.base, key, "GET", "/papi/v1/cm/order", {
          symbol: "BTCUSD_PERP",
          orderId,
        });
        expect({ orderId, status: q.body.status }).toEqual({ orderId, status });
      }
      const fresh = await signed(venue.base, key, "POST", "/papi/v1/cm/order", order(round * 1000 + 999));
      expect(fresh).toMatchObject({ status: 200, body: { status: "NEW" } });
      expect(fresh.body.orderId as number).toBeGreaterThan(maxId);
      acked.set(fresh.body.orderId as number, "NEW");
      maxId = fresh.body.orderId as number;
    }
    const open = await signed(venue.base, key, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" });
    const openIds = (open.body as unknown as Array<{ orderId: number }>)
      .map((o) => o.orderId)
      .sort((a, b) => a - b);
    const expectedOpen = [...acked]
      .filter(([, s]) => s === "NEW")
      .map(([id]) => id)
      .sort((a, b) => a - b);
    // Orders sent in flight but never acknowledged may exist too; every acknowledged open one must.
    expect(openIds).toEqual(expect.arrayContaining(expectedOpen));
  });
});
