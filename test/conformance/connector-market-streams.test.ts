// Binance's official COIN-M connector's WebSocket streams client, pointed at the venue by
// its wsURL alone: it opens /stream with no streams and SUBSCRIBEs with a 32-hex string
// id; its typed diff-depth and aggregate-trade messages arrive with the venue's values.
import {
  DerivativesTradingCoinFutures,
  type DerivativesTradingCoinFuturesWebsocketStreams,
} from "@binance/derivatives-trading-coin-futures";
import { afterEach, describe, expect, it } from "vitest";
import { Harness, limit, T0 } from "../support/harness.js";
import { until } from "../support/until.js";

let h: Harness;
afterEach(() => h.close());

/** Waits for a condition on the network's time, not the venue clock's. */

describe("official connector market streams", () => {
  it("receives diff book depth and aggregate trades as typed messages", async () => {
    h = await Harness.start();
    const maker = await h.account();
    const taker = await h.account();
    const base = await h.app.listen({ host: "127.0.0.1", port: 0 });
    const client = new DerivativesTradingCoinFutures({
      configurationWebsocketStreams: { wsURL: base.replace("http://", "ws://"), reconnectDelay: 60_000 },
    });
    const connection = await client.websocketStreams.connect();
    const depth: DerivativesTradingCoinFuturesWebsocketStreams.DiffBookDepthStreamsResponse[] = [];
    const trades: DerivativesTradingCoinFuturesWebsocketStreams.AggregateTradeStreamsResponse[] = [];
    connection.diffBookDepthStreams({ symbol: "btcusd_perp", updateSpeed: "100ms" }).on("message", (m) => {
      depth.push(m);
    });
    connection.aggregateTradeStreams({ symbol: "btcusd_perp" }).on("message", (m) => {
      trades.push(m);
    });
    try {
      await until(() => h.market.feedCount() === 2, "the connector's subscriptions");
      const before = (
        (await h.request("GET", "/dapi/v1/depth?symbol=BTCUSD_PERP&limit=5")).body as {
          lastUpdateId: number;
        }
      ).lastUpdateId;
      await h.place(maker, limit("SELL", 3, "30000"));
      await h.place(taker, limit("BUY", 1, "30000"));
      h.clock += 100;
      await h.market.tick();
      await until(() => depth.length === 1 && trades.length === 1, "a depth and a trade message");
      const [trade] = (await h.request("GET", "/dapi/v1/aggTrades?symbol=BTCUSD_PERP")).body as {
        a: number;
        f: number;
      }[];
      expect(trades[0]).toEqual({
        e: "aggTrade",
        E: T0 + 100,
        a: trade!.a,
        s: "BTCUSD_PERP",
        p: "30000.0",
        q: "1",
        f: trade!.f,
        l: trade!.f,
        T: T0,
        m: false,
      });
      expect(depth[0]).toEqual({
        e: "depthUpdate",
        E: T0 + 100,
        T: T0,
        s: "BTCUSD_PERP",
        ps: "BTCUSD",
        U: before + 1,
        u: before + 2,
        pu: before,
        b: [],
        a: [["30000.0", "2"]],
      });
    } finally {
      await connection.disconnect();
    }
  });
});
