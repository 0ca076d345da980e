// ccxt's binance exchange with Portfolio Margin, pointed at papi-venue.
import ccxt from "ccxt";

export function connectCcxt(venueUrl: string, apiKey: string, secret: string) {
  const exchange = new ccxt.binance({ apiKey, secret, options: { portfolioMargin: true } });
  // One origin serves every API family ccxt uses (papi, dapi, fapi, api, sapi):
  // keep each path, swap the host.
  const api = exchange.urls.api as Record<string, string>;
  for (const [family, url] of Object.entries(api)) {
    api[family] = url.replace(/^https:\/\/[^/]+/, venueUrl);
  }
  return exchange;
}

export async function firstCcxtOrder(exchange: InstanceType<typeof ccxt.binance>) {
  await exchange.loadMarkets();
  const order = await exchange.createOrder("BTC/USD:BTC", "limit", "buy", 1, 30000, {
    clientOrderId: "ccxt-first",
  });
  const open = await exchange.fetchOpenOrders("BTC/USD:BTC");
  const canceled = await exchange.cancelOrder(order.id!, "BTC/USD:BTC");
  return { order, open, canceled };
}
