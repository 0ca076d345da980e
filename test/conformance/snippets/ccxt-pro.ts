// ccxt.pro's binance exchange, REST and WebSocket streams pointed at papi-venue.
import ccxt from "ccxt";

export async function connectCcxtPro(venueUrl: string, apiKey?: string, secret?: string) {
  const exchange = new ccxt.pro.binance({ apiKey, secret, options: { portfolioMargin: true } });
  // Keep each path, swap the host: https:// for REST, wss:// for the streams. The
  // stream URLs sit in objects by product (COIN-M's is `urls.api.ws.delivery`).
  const wsUrl = venueUrl.replace(/^http/, "ws");
  const swap = (urls: Record<string, unknown>) => {
    for (const [key, url] of Object.entries(urls)) {
      if (typeof url === "string")
        urls[key] = url.replace(/^https:\/\/[^/]+/, venueUrl).replace(/^wss:\/\/[^/]+/, wsUrl);
      else if (typeof url === "object" && url !== null) swap(url as Record<string, unknown>);
    }
  };
  swap(exchange.urls.api as Record<string, unknown>);
  // ccxt opens a ws:// (not wss://) URL only through an HTTP agent loaded first.
  await exchange.loadHttpProxyAgent();
  return exchange;
}
