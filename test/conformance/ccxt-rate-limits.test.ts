// ccxt's own rate-limit handling meets the venue's limits: its implicit Portfolio Margin
// API call sees 429 and then the 418 ban as DDoSProtection, as it would on Binance.
import ccxt from "ccxt";
import { afterEach, describe, expect, it } from "vitest";
import { Harness } from "../support/harness.js";

let h: Harness;
afterEach(() => h.close());

describe("ccxt against the venue's rate limits", () => {
  it("raises DDoSProtection on 429 and on the 418 ban", async () => {
    h = await Harness.start(undefined, { rateLimits: { enabled: true, ipWeightLimit: 2, orderLimit: 1200 } });
    h.clock = Date.now();
    const alice = await h.account();
    const base = await h.app.listen({ host: "127.0.0.1", port: 0 });
    const exchange = new ccxt.binance({
      apiKey: alice.apiKey,
      secret: alice.secret,
      enableRateLimit: false,
      options: { portfolioMargin: true },
    });
    (exchange.urls as { api: Record<string, string> }).api.papi = `${base}/papi/v1`;
    const call = () => exchange.papiGetCmOpenOrders({ symbol: "BTCUSD_PERP" });

    await call();
    await call();
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        await call();
        statuses.push("ok");
      } catch (error) {
        expect(error).toBeInstanceOf(ccxt.DDoSProtection);
        statuses.push((error as Error).message.includes("IP banned until") ? "banned" : "limited");
      }
    }
    expect(statuses).toEqual(["limited", "limited", "limited", "banned", "banned"]);
  });
});
