// The process that holds the market streams' sockets when they are held apart from the
// venue (forked-market-sockets.ts forks it): it reads the venue's orders from the IPC
// channel, in order, into the same `LocalMarketSockets` the venue would run itself, and
// tells what the sockets' peers do back on the channel.
//
// It ends when the venue says shutdown and its sockets are gone, or when the channel
// closes (the venue ended, even by kill -9): then it closes every socket with 1001 and
// exits within a second. A Ctrl-C reaches the whole process group; this process leaves
// it to the venue, whose shutdown closes the sockets properly.

import type { IncomingMessage } from "node:http";
import { Socket, type SocketConstructorOpts } from "node:net";
import type { SocketNews, SocketOrder } from "./forked-market-sockets.js";
import { LocalMarketSockets } from "./market-sockets.js";
import { CLOSE } from "./sockets.js";

const options = JSON.parse(process.argv[2] ?? "{}") as { maxBufferedBytes?: number };

function tell(news: SocketNews): void {
  // With a callback, a write to a venue that just ended fails quietly; the channel's
  // disconnect, below, then closes everything.
  if (process.connected) process.send?.(news, undefined, undefined, ignore);
}

function ignore(): void {}

const sockets = new LocalMarketSockets(
  {
    message: (id, text) => tell({ e: "message", id, text }),
    ping: (id) => tell({ e: "ping", id }),
    pong: (id) => tell({ e: "pong", id }),
    closed: (id) => tell({ e: "closed", id }),
  },
  options,
);

let ending = false;
async function end(): Promise<void> {
  if (ending) return;
  ending = true;
  await sockets.shutdown();
  process.exit(0);
}

process.on("message", (order: SocketOrder, handle?: unknown) => {
  switch (order.o) {
    case "open": {
      if (!handle) return;
      // The connection's handle, as forked-market-sockets.ts sends it, made a socket again.
      const socket = new Socket({ handle, readable: true, writable: true } as SocketConstructorOpts);
      socket.on("error", () => socket.destroy());
      // What ws reads of the request: its method, its URL and its headers.
      const req = { method: order.method, url: order.url, headers: order.headers } as IncomingMessage;
      sockets.open(order.id, req, socket, Buffer.from(order.head), order.close);
      return;
    }
    case "join":
      sockets.join(order.id, order.canonical, order.spelled);
      return;
    case "leave":
      sockets.leave(order.id, order.canonical);
      return;
    case "combined":
      sockets.setCombined(order.id, order.combined);
      return;
    case "publish":
      sockets.publish(order.canonical, order.json);
      return;
    case "reply":
      sockets.reply(order.id, order.json);
      return;
    case "ping":
      sockets.ping(order.id);
      return;
    case "terminate":
      sockets.terminate(order.id);
      return;
    case "hold":
      sockets.hold(order.id);
      return;
    case "release":
      sockets.release(order.id);
      return;
    case "close":
      sockets.close(order.id, order.order);
      return;
    case "shutdown":
      void end();
      return;
  }
});

process.on("disconnect", () => {
  sockets.closeAll({ code: CLOSE.GOING_AWAY, reason: "venue shutting down", graceMs: 1000 });
  void end();
});
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
