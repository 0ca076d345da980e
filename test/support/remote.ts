// A client for a venue on a real socket (a child process, or a server listening in the
// test's process): signed requests built as Binance's clients build them, signed with
// the wall clock, and the admin calls tests need. fetch keeps connections alive, as real
// clients do. A request that gets no answer (the venue was killed) rejects.

import { hmacHex } from "../../src/api/signature.js";

export interface Key {
  readonly accountId: number;
  readonly apiKey: string;
  readonly secretKey: string;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

export type Params = Record<string, string | number | boolean>;

export class Remote {
  constructor(
    readonly base: string,
    readonly adminToken: string,
  ) {}

  async admin(method: string, pathName: string, body?: unknown): Promise<Reply> {
    const res = await fetch(`${this.base}${pathName}`, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return reply(res);
  }

  async createAccount(balances: Record<string, string> = { BTC: "100" }): Promise<Key> {
    const res = await this.admin("POST", "/admin/v1/accounts", { balances });
    if (res.status !== 200) throw new Error(`account not created: ${res.text}`);
    return res.body as Key;
  }

  /** A SIGNED request: parameters in the query string, or as a form body with `form`. */
  async signed(
    key: Key,
    method: string,
    pathName: string,
    params: Params,
    options: { form?: boolean } = {},
  ): Promise<Reply> {
    const text = [
      ...Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`),
      `timestamp=${Date.now()}`,
    ].join("&");
    const signedText = `${text}&signature=${hmacHex(key.secretKey, text)}`;
    const headers: Record<string, string> = { "x-mbx-apikey": key.apiKey };
    if (options.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      return reply(await fetch(`${this.base}${pathName}`, { method, headers, body: signedText }));
    }
    return reply(await fetch(`${this.base}${pathName}?${signedText}`, { method, headers }));
  }

  /** A USER_STREAM request (API key only). */
  async keyed(key: Key, method: string, pathName: string): Promise<Reply> {
    return reply(await fetch(`${this.base}${pathName}`, { method, headers: { "x-mbx-apikey": key.apiKey } }));
  }

  async get(pathName: string): Promise<Reply> {
    return reply(await fetch(`${this.base}${pathName}`));
  }
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}
