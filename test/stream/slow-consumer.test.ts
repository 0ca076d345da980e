// A client that stops reading is closed with 1008 once its queue passes the limit,
// instead of the venue buffering for it without bound.
import { afterEach, describe, expect, it } from "vitest";
import { Harness, limit } from "../support/harness.js";
import { StreamClient } from "../support/ws-client.js";

let h: Harness;
afterEach(() => h.close());

describe("slow consumer", () => {
  it("is disconnected with close code 1008 when it lets too much queue up", async () => {
    h = await Harness.start(undefined, {
      stream: { maxBufferedBytes: 256 * 1024 },
      rateLimits: { enabled: false, ipWeightLimit: 1, orderLimit: 1 },
    });
    const alice = await h.account();
    const base = (await h.app.listen({ host: "127.0.0.1", port: 0 })).replace("http://", "ws://");
    const key = (await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey })).body as {
      listenKey: string;
    };
    const ws = await StreamClient.open(`${base}/pm/ws/${key.listenKey}`);
    ws.ws.pause();
    let rounds = 0;
    // Each round streams 400 events of about 600 bytes; stop as soon as the venue gives up on the client.
    while (rounds < 60 && h.stream.connectionCount() > 0) {
      await Promise.all(
        Array.from({ length: 200 }, () =>
          h.signed(alice, "POST", "/papi/v1/cm/order", limit("BUY", 1, "30000")),
        ),
      );
      await h.signed(alice, "DELETE", "/papi/v1/cm/allOpenOrders", { symbol: "BTCUSD_PERP" });
      rounds++;
    }
    ws.ws.resume();
    expect((await ws.waitClose()).code).toBe(1008);
  });
});
