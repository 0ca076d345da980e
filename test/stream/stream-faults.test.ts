// Injected faults on the streams: a disconnect cuts the sockets (one account's, or every
// market subscriber's) without a close frame; a pause holds their events back and then
// delivers them in order, when it is lifted or its delayMs has passed.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type Client, Harness, limit } from "../support/harness.js";
import { SOCKET_KINDS, type SocketKind } from "../support/market-sockets.js";
import { StreamClient } from "../support/ws-client.js";

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

let h: Harness;
let kind: SocketKind = "inline";
let alice: Client;
let bob: Client;
const sockets: StreamClient[] = [];
beforeEach(async () => {
  h = await Harness.start(undefined, { marketSockets: kind });
  alice = await h.account();
  bob = await h.account();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await h.close();
});

const addFault = async (fault: Record<string, unknown>) =>
  (await h.request("POST", "/admin/v1/faults", ADMIN, JSON.stringify(fault))).body as { faultId: number };
const liftFault = (faultId: number) => h.request("DELETE", `/admin/v1/faults/${faultId}`, ADMIN);
async function userStream(client: Client): Promise<StreamClient> {
  const ws = await h.userStream(client);
  sockets.push(ws);
  return ws;
}
const kinds = (messages: unknown[]) =>
  (messages as { e: string; o?: { x: string } }[]).map((m) => (m.o ? `${m.e}:${m.o.x}` : m.e));

describe("user-data stream faults", () => {
  it("disconnect cuts the account's socket without a close frame, and no other", async () => {
    const [aliceWs, bobWs] = [await userStream(alice), await userStream(bob)];
    expect(await addFault({ stream: "user", accountId: alice.accountId, effect: "disconnect" })).toEqual({
      faultId: 1,
    });
    expect((await aliceWs.waitClose()).code).toBe(1006);
    await h.place(bob, limit("BUY", 1, "29000.0"));
    expect(kinds(await bobWs.waitFor(1))).toEqual(["ORDER_TRADE_UPDATE:NEW"]);
    expect(bobWs.closed).toBeUndefined();
  });

  it("lists the disconnect with the sockets it cut", async () => {
    await userStream(alice);
    await userStream(alice);
    await addFault({ stream: "user", accountId: alice.accountId, effect: "disconnect", count: 1 });
    const [fault] = (await h.request("GET", "/admin/v1/faults", ADMIN)).body as { hits: number }[];
    expect(fault).toEqual({
      stream: "user",
      accountId: alice.accountId,
      effect: "disconnect",
      count: 1,
      faultId: 1,
      hits: 1,
    });
  });

  it("pause holds the account's events until it is lifted, then delivers them in order", async () => {
    const [aliceWs, bobWs] = [await userStream(alice), await userStream(bob)];
    const { faultId } = await addFault({ stream: "user", accountId: alice.accountId, effect: "pause" });
    const placed = await h.place(alice, limit("BUY", 1, "29000.0"));
    await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
      symbol: "BTCUSD_PERP",
      orderId: placed.orderId as number,
    });
    // Bob's event, published after Alice's two, has arrived: hers were held, not late.
    await h.place(bob, limit("BUY", 1, "29000.0"));
    await bobWs.waitFor(1);
    expect(aliceWs.messages).toEqual([]);
    await liftFault(faultId);
    expect(kinds(await aliceWs.waitFor(2))).toEqual([
      "ORDER_TRADE_UPDATE:NEW",
      "ORDER_TRADE_UPDATE:CANCELED",
    ]);
  });

  it("pause with delayMs lets the events go once that much wall time has passed", async () => {
    const aliceWs = await userStream(alice);
    await addFault({ stream: "user", accountId: alice.accountId, effect: "pause", delayMs: 200 });
    await h.place(alice, limit("BUY", 1, "29000.0"));
    expect(kinds(await aliceWs.waitFor(1))).toEqual(["ORDER_TRADE_UPDATE:NEW"]);
    expect((await h.request("GET", "/admin/v1/faults", ADMIN)).body).toEqual([]);
  });
});

describe("a pause that holds too much", () => {
  it("drops the socket with 1008, as a slow consumer, once it holds more than the buffer allows", async () => {
    await h.close();
    h = await Harness.start(undefined, { stream: { maxBufferedBytes: 2000 } });
    alice = await h.account();
    const ws = await userStream(alice);
    await addFault({ stream: "user", accountId: alice.accountId, effect: "pause" });
    for (let i = 0; i < 10; i++) await h.place(alice, limit("BUY", 1, "29000.0"));
    expect(await ws.waitClose()).toEqual({ code: 1008, reason: "client too slow" });
  });
});

describe.each(SOCKET_KINDS)("with the sockets held %s", (held) => {
  beforeAll(() => {
    kind = held;
  });
  afterAll(() => {
    kind = "inline";
  });

  describe("market-stream faults", () => {
    async function marketStream(): Promise<StreamClient> {
      const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
      const ws = await StreamClient.open(`${base}/ws/btcusd_perp@trade`);
      sockets.push(ws);
      return ws;
    }
    async function trade(price: string) {
      await h.place(alice, limit("SELL", 1, price));
      await h.place(bob, limit("BUY", 1, price));
    }

    it("disconnect cuts every market socket without a close frame", async () => {
      const ws = await marketStream();
      await addFault({ stream: "market", effect: "disconnect" });
      expect((await ws.waitClose()).code).toBe(1006);
    });

    it("pause holds the trades until it is lifted, then delivers them in order", async () => {
      const ws = await marketStream();
      const { faultId } = await addFault({ stream: "market", effect: "pause" });
      await trade("30000.0");
      await trade("30100.0");
      // A request's answer is not held: it comes back while the trades wait.
      ws.ws.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 7 }));
      expect(await ws.waitFor(1)).toEqual([{ result: ["btcusd_perp@trade"], id: 7 }]);
      await liftFault(faultId);
      const trades = ((await ws.waitFor(3)) as { p?: string }[]).slice(1).map((t) => t.p);
      expect(trades).toEqual(["30000.0", "30100.0"]);
    });
  });
});
