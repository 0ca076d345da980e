// Storage faults: the store cannot commit because the disk is full (max_page_count), the
// database is read-only (query_only) or another connection holds the write lock
// (BEGIN EXCLUSIVE, with a short busy timeout on the venue's connection). Every request
// whose batch cannot commit is answered 503 -1001, nothing of it is acknowledged,
// streamed or kept in memory, reads go on, and the venue serves writes again by itself
// as soon as the fault clears.

import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_FILE } from "../../src/store/sqlite.js";
import { ADMIN_TOKEN, type Answer, type Client, Harness, limit, tempDir } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

const UNAVAILABLE = {
  code: -1001,
  msg: "Internal error; unable to process your request. Please try again.",
};

let h: Harness;
let alice: Client;
let bob: Client;
let resting: number;
let stream: StreamClient;

beforeEach(async () => {
  h = await Harness.start(tempDir(), {
    rateLimits: { enabled: false, ipWeightLimit: 6000, orderLimit: 1200 },
  });
  const url = await h.app.listen({ host: "127.0.0.1", port: 0 });
  alice = await h.account();
  bob = await h.account();
  resting = (await h.place(alice, limit("BUY", 3, "29000", { newClientOrderId: "resting" })))
    .orderId as number;
  await h.place(bob, limit("SELL", 3, "31000"));
  const key = await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey });
  stream = await StreamClient.open(
    `${url.replace("http", "ws")}/pm/ws/${(key.body as { listenKey: string }).listenKey}`,
  );
});
afterEach(async () => {
  stream.close();
  await h.close();
});

/** Orders, trades, balances and positions as the clients can see them. */
async function visibleState(): Promise<unknown> {
  const out: unknown[] = [];
  for (const c of [alice, bob]) {
    for (const [p, params] of [
      ["/papi/v1/cm/openOrders", {}],
      ["/papi/v1/cm/allOrders", { symbol: "BTCUSD_PERP" }],
      ["/papi/v1/cm/userTrades", { symbol: "BTCUSD_PERP" }],
      ["/papi/v1/balance", {}],
    ] as const) {
      const res = await h.signed(c, "GET", p, params);
      expect(res.status).toBe(200);
      out.push(res.body);
    }
  }
  return out;
}

/** Every kind of write a client can ask for, each refused alone. */
async function everyWrite(): Promise<Answer[]> {
  return [
    await h.signed(
      alice,
      "POST",
      "/papi/v1/cm/order",
      limit("BUY", 1, "29500", { newClientOrderId: "during" }),
    ),
    await h.signed(
      alice,
      "POST",
      "/papi/v1/cm/order",
      limit("BUY", 1, "31000", { newClientOrderId: "crossing" }),
    ),
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", { symbol: "BTCUSD_PERP", orderId: resting }),
    await h.signed(alice, "PUT", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: resting,
      side: "BUY",
      quantity: 2,
      price: "29100",
    }),
    await h.signed(alice, "DELETE", "/papi/v1/cm/allOpenOrders", { symbol: "BTCUSD_PERP" }),
    await h.request(
      "POST",
      "/admin/v1/accounts",
      { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      JSON.stringify({ balances: { BTC: "1" } }),
    ),
    await h.request(
      "POST",
      `/admin/v1/accounts/${alice.accountId}/balances`,
      { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      JSON.stringify({ asset: "BTC", amount: "5" }),
    ),
  ];
}

/** After the fault clears: a new order is acknowledged and is the stream's next event. */
async function expectRecovered(streamedBefore: number): Promise<void> {
  const placed = await h.signed(
    alice,
    "POST",
    "/papi/v1/cm/order",
    limit("BUY", 1, "29500", { newClientOrderId: "after" }),
  );
  expect(placed).toMatchObject({ status: 200, body: { status: "NEW", clientOrderId: "after" } });
  const [event] = (await stream.waitFor(streamedBefore + 1)).slice(streamedBefore);
  expect(event).toMatchObject({ e: "ORDER_TRADE_UPDATE", o: { c: "after", X: "NEW" } });
}

function lockFromAnotherConnection(): Database.Database {
  const other = new Database(path.join(h.dir, DATABASE_FILE));
  other.exec("BEGIN EXCLUSIVE");
  return other;
}

describe("storage faults", () => {
  it("answers every write 503 -1001 while the store is read-only, and keeps state as it was", async () => {
    const before = await visibleState();
    h.store.connection.pragma("query_only = ON");
    for (const answer of await everyWrite()) expect(answer).toMatchObject({ status: 503, body: UNAVAILABLE });
    expect(await visibleState()).toEqual(before);
    expect(stream.messages).toEqual([]);
    h.store.connection.pragma("query_only = OFF");
  });

  it("serves writes again by itself once the store is writable again", async () => {
    h.store.connection.pragma("query_only = ON");
    await everyWrite();
    h.store.connection.pragma("query_only = OFF");
    await expectRecovered(0);
  });

  it("answers every write 503 -1001 while another connection holds the write lock, and keeps state", async () => {
    h.store.connection.pragma("busy_timeout = 20");
    const before = await visibleState();
    const other = lockFromAnotherConnection();
    try {
      for (const answer of await everyWrite())
        expect(answer).toMatchObject({ status: 503, body: UNAVAILABLE });
      expect(await visibleState()).toEqual(before);
      expect(stream.messages).toEqual([]);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });

  it("serves writes again by itself once the lock is released", async () => {
    h.store.connection.pragma("busy_timeout = 20");
    const other = lockFromAnotherConnection();
    await everyWrite();
    other.exec("ROLLBACK");
    other.close();
    await expectRecovered(0);
  });

  it("fails a whole batch of concurrent orders together when its commit fails", async () => {
    h.store.connection.pragma("query_only = ON");
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        h.signed(
          bob,
          "POST",
          "/papi/v1/cm/order",
          limit("BUY", 1, "30000", { newClientOrderId: `batch-${i}` }),
        ),
      ),
    );
    for (const answer of answers) expect(answer).toMatchObject({ status: 503, body: UNAVAILABLE });
    h.store.connection.pragma("query_only = OFF");
    const open = await h.signed(bob, "GET", "/papi/v1/cm/openOrders", {});
    expect((open.body as unknown[]).length).toBe(1);
  });

  it("answers 503 -1001 to the order that finds the disk full, forgets it, and takes it once there is room", async () => {
    const db = h.store.connection;
    db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true }) as number}`);
    // Orders first fill the room left in the last pages: the first refusal is the full disk.
    let refused: { answer: Answer; clientOrderId: string } | undefined;
    let acknowledged = 0;
    for (let i = 0; i < 150 && !refused; i++) {
      const clientOrderId = `fill-${i}-${"x".repeat(20)}`;
      const answer = await h.signed(
        alice,
        "POST",
        "/papi/v1/cm/order",
        limit("BUY", 1, "29000", { newClientOrderId: clientOrderId }),
      );
      if (answer.status === 200) acknowledged++;
      else refused = { answer, clientOrderId };
    }
    expect(refused?.answer).toMatchObject({ status: 503, body: UNAVAILABLE });
    const { clientOrderId } = refused!;
    const lookup = await h.signed(alice, "GET", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      origClientOrderId: clientOrderId,
    });
    expect(lookup.body).toEqual({ code: -2013, msg: "Order does not exist." });
    // Each acknowledged order was streamed before its answer; the refused one never is.
    await stream.waitFor(acknowledged);
    expect(stream.messages).not.toContainEqual(
      expect.objectContaining({ o: expect.objectContaining({ c: clientOrderId }) }),
    );
    db.pragma("max_page_count = 1073741823");
    const retried = await h.signed(
      alice,
      "POST",
      "/papi/v1/cm/order",
      limit("BUY", 1, "29000", { newClientOrderId: clientOrderId }),
    );
    expect(retried).toMatchObject({ status: 200, body: { clientOrderId, status: "NEW" } });
    const [event] = (await stream.waitFor(acknowledged + 1)).slice(acknowledged);
    expect(event).toMatchObject({ e: "ORDER_TRADE_UPDATE", o: { c: clientOrderId, X: "NEW" } });
  });
});
