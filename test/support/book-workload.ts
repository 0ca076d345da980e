// A random book workload for the depth tests: several clients placing (GTC, IOC,
// MARKET), modifying and cancelling around 30000 on BTCUSD_PERP, from a seeded generator.

import type { Client, Harness } from "./harness.js";
import { limit } from "./harness.js";

export interface Snapshot {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

/** The REST snapshot a local book starts from, at Binance's documented limit. */
export async function depthSnapshot(h: Harness): Promise<Snapshot> {
  return (await h.request("GET", "/dapi/v1/depth?symbol=BTCUSD_PERP&limit=1000")).body as Snapshot;
}

/** One random command from a random client: place (GTC, IOC, MARKET), modify or cancel. */
export async function randomStep(h: Harness, clients: readonly Client[], next: () => number): Promise<void> {
  const client = clients[Math.floor(next() * clients.length)]!;
  const side = next() < 0.5 ? "BUY" : "SELL";
  const price = (29_990 + Math.floor(next() * 40) * 0.5).toFixed(1);
  const qty = 1 + Math.floor(next() * 5);
  const roll = next();
  if (roll < 0.5) {
    await h.signed(client, "POST", "/papi/v1/cm/order", limit(side, qty, price));
    return;
  }
  if (roll < 0.6) {
    await h.signed(client, "POST", "/papi/v1/cm/order", { ...limit(side, qty, price), timeInForce: "IOC" });
    return;
  }
  if (roll < 0.65) {
    await h.signed(client, "POST", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      side,
      type: "MARKET",
      quantity: qty,
    });
    return;
  }
  const open = (await h.signed(client, "GET", "/papi/v1/cm/openOrders", { symbol: "BTCUSD_PERP" })).body as {
    orderId: number;
    side: string;
  }[];
  const order = open[Math.floor(next() * open.length)];
  if (!order) return;
  if (roll < 0.85) {
    await h.signed(client, "DELETE", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", orderId: order.orderId });
    return;
  }
  await h.signed(client, "PUT", "/papi/v1/cm/order", {
    symbol: "BTCUSD_PERP",
    orderId: order.orderId,
    side: order.side,
    quantity: qty,
    price,
  });
}
