// Routes the HTTP server's WebSocket upgrades by path: `/pm/ws/…` and `/pm/stream` to the
// user-data stream, `/ws…` and `/stream` to the market streams, anything else refused
// with Binance's 404 body. Upgrades bypass the REST stack, so nothing a client sends
// (a URL that cannot be read, a reset socket) may throw out of this listener.

import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { VenueError } from "../domain/errors.js";
import { MarketStream } from "./market-stream.js";
import { refuse } from "./sockets.js";
import { UserStream } from "./user-stream.js";

export function routeUpgrades(server: Server, user: UserStream, market: MarketStream): void {
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node stops listening for errors on an upgraded socket: a peer's reset would otherwise crash the process.
    socket.on("error", () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://venue");
    } catch {
      refuse(socket, 400, new VenueError("MALFORMED_REQUEST").toJSON());
      return;
    }
    if (UserStream.takes(url.pathname)) user.upgrade(req, socket, head, url);
    else if (MarketStream.takes(url.pathname)) market.upgrade(req, socket, head, url);
    else refuse(socket, 404, new VenueError("PATH_INVALID", url.pathname, req.method ?? "GET").toJSON());
  });
}
