// The HTTP baseline: a bare node:http server that answers every request with the same
// 17-field JSON as the venue's Cancel CM Order, built and serialised per request (the
// order id taken from the query), with no routing, signature check, engine or commit.
// It runs as a child process, like the venue, and prints its URL once listening.

import http from "node:http";

const server = http.createServer((req, res) => {
  const url = req.url ?? "";
  const at = url.indexOf("orderId=");
  const orderId = at < 0 ? 0 : Number.parseInt(url.slice(at + 8), 10);
  const body = JSON.stringify({
    avgPrice: "0.0",
    clientOrderId: "bench",
    cumQty: "0",
    cumBase: "0",
    executedQty: "0",
    orderId,
    origQty: "1",
    price: "29000.0",
    reduceOnly: false,
    side: "BUY",
    positionSide: "BOTH",
    status: "CANCELED",
    symbol: "BTCUSD_PERP",
    pair: "BTCUSD",
    timeInForce: "GTC",
    type: "LIMIT",
    updateTime: Date.now(),
  });
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
