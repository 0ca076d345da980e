// Binance's official Portfolio Margin connector, pointed at papi-venue.
import {
  DerivativesTradingPortfolioMargin,
  DerivativesTradingPortfolioMarginRestAPI as PM,
} from "@binance/derivatives-trading-portfolio-margin";

export function connectConnector(venueUrl: string, apiKey: string, apiSecret: string) {
  return new DerivativesTradingPortfolioMargin({
    configurationRestAPI: { apiKey, apiSecret, basePath: venueUrl },
  });
}

// An Ed25519 key: register its public key with the venue, sign with the private key.
export function connectConnectorEd25519(venueUrl: string, apiKey: string, privateKeyPem: string) {
  return new DerivativesTradingPortfolioMargin({
    configurationRestAPI: { apiKey, privateKey: privateKeyPem, basePath: venueUrl },
  });
}

export async function firstConnectorOrder(client: DerivativesTradingPortfolioMargin, clientOrderId: string) {
  const placed = await client.restAPI.newCmOrder({
    symbol: "BTCUSD_PERP",
    side: PM.NewCmOrderSideEnum.BUY,
    type: PM.NewCmOrderTypeEnum.LIMIT,
    timeInForce: PM.NewCmOrderTimeInForceEnum.GTC,
    quantity: 1,
    price: 30000,
    newClientOrderId: clientOrderId,
  });
  const order = await placed.data();
  const open = await (await client.restAPI.queryAllCurrentCmOpenOrders({ symbol: "BTCUSD_PERP" })).data();
  const canceled = await (
    await client.restAPI.cancelCmOrder({ symbol: "BTCUSD_PERP", origClientOrderId: clientOrderId })
  ).data();
  return { order, open, canceled };
}
