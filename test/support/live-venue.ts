// A venue on a real loopback socket for real client packages. Clients sign with the wall
// clock, so the venue's clock follows it on every request, and the market streams speak
// at their periods of the wall clock, as `serve` runs them; every request is recorded so
// tests can state what each client puts on the wire; and any connection to a host other
// than loopback fails, so a client that would quietly reach binance.com fails the test.

import net from "node:net";
import { ADMIN_TOKEN, type Client, Harness, tempDir } from "./harness.js";

export interface Recorded {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: string;
  readonly body: string;
  readonly contentType: string | undefined;
  readonly apiKey: boolean;
}

export interface LiveVenue {
  readonly h: Harness;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: Recorded[];
  account(balances?: Record<string, string>): Promise<Client>;
  /** Registers a public key for the account; answers its API key. */
  addKey(accountId: number, type: "ED25519" | "RSA", publicKeyPem: string): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Makes every outgoing TCP connection to a non-loopback host fail; answers the undo. */
export function refuseNonLoopback(): () => void {
  const proto = net.Socket.prototype;
  const original = proto.connect;
  const patched = function (this: net.Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const host =
      typeof first === "object" && first !== null
        ? (first as { host?: string; path?: string }).path === undefined
          ? ((first as { host?: string }).host ?? "localhost")
          : "localhost"
        : typeof args[1] === "string"
          ? args[1]
          : "localhost";
    if (!LOOPBACK.has(host)) {
      const error = new Error(`test refused a connection to ${host}: only 127.0.0.1 is allowed`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  proto.connect = patched as typeof proto.connect;
  return () => {
    proto.connect = original;
  };
}

export async function startLiveVenue(): Promise<LiveVenue> {
  // The market sockets in a process of their own, as `serve` holds them.
  const h = new Harness(tempDir(), { marketSockets: "process" });
  const requests: Recorded[] = [];
  h.app.addHook("onRequest", async () => {
    h.clock = Date.now();
  });
  h.app.addHook("preHandler", async (req) => {
    const url = req.raw.url ?? "";
    const q = url.indexOf("?");
    if (url.startsWith("/admin/")) return;
    requests.push({
      method: req.method,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? "" : url.slice(q + 1),
      body: typeof req.body === "string" ? req.body : "",
      contentType: req.headers["content-type"],
      apiKey: typeof req.headers["x-mbx-apikey"] === "string",
    });
  });
  const url = await h.app.listen({ host: "127.0.0.1", port: 0 });
  const streams = setInterval(() => {
    h.clock = Date.now();
    void h.market.tick();
  }, 20);
  return {
    h,
    url,
    requests,
    account: (balances) => h.account(balances),
    addKey: async (accountId, type, publicKeyPem) => {
      const res = await h.request(
        "POST",
        `/admin/v1/accounts/${accountId}/apiKeys`,
        { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        JSON.stringify({ type, publicKey: publicKeyPem }),
      );
      if (res.status !== 200) throw new Error(`key not added: ${res.text}`);
      return (res.body as { apiKey: string }).apiKey;
    },
    close: () => {
      clearInterval(streams);
      return h.close();
    },
  };
}

/** The recorded requests as `METHOD /path`, for stating what a client called. */
export const calls = (requests: readonly Recorded[]) => requests.map((r) => `${r.method} ${r.path}`);
