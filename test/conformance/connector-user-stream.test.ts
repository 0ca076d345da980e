// Binance's official Portfolio Margin connector, pointed at the venue's stream by its
// wsURL alone, receives the user-data events of a listenKey.
import { DerivativesTradingPortfolioMargin } from "@binance/derivatives-trading-portfolio-margin";
import { afterEach, describe, expect, it } from "vitest";
import { Harness, limit } from "../support/harness.js";

let h: Harness;
afterEach(() => h.close());

describe("official connector user-data stream", () => {
  it("receives ORDER_TRADE_UPDATE for an order placed and cancelled", async () => {
    h = await Harness.start();
    const alice = await h.account();
    const base = await h.app.listen({ host: "127.0.0.1", port: 0 });
    const { listenKey } = (await h.request("POST", "/papi/v1/listenKey", { "x-mbx-apikey": alice.apiKey }))
      .body as {
      listenKey: string;
    };

    const client = new DerivativesTradingPortfolioMargin({
      configurationWebsocketStreams: { wsURL: `${base.replace("http://", "ws://")}/pm` },
    });
    const connection = await client.websocketStreams.connect();
    const received: Array<Record<string, unknown>> = [];
    const stream = connection.userData(listenKey);
    stream.on("message", (data) => {
      received.push(data as unknown as Record<string, unknown>);
    });
    try {
      // The connector subscribes over the socket; wait until the venue has it before trading.
      for (let i = 0; i < 100 && h.stream.connectionCount() === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      const placed = await h.place(alice, limit("BUY", 1, "30000"));
      await h.signed(alice, "DELETE", "/papi/v1/cm/order", {
        symbol: "BTCUSD_PERP",
        orderId: placed.orderId as number,
      });
      for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(
        received.map((e) => [e.e, (e.o as Record<string, unknown>).x, (e.o as Record<string, unknown>).i]),
      ).toEqual([
        ["ORDER_TRADE_UPDATE", "NEW", placed.orderId],
        ["ORDER_TRADE_UPDATE", "CANCELED", placed.orderId],
      ]);
    } finally {
      await connection.disconnect();
    }
  });
});
