// A WebSocket client for stream tests: collects every message and lets a test wait for
// the next ones, or for the close.

import WebSocket from "ws";

export class StreamClient {
  readonly messages: unknown[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new StreamClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  /** Waits until at least `count` messages have arrived (or fails after `ms`). */
  async waitFor(count: number, ms = 5000): Promise<unknown[]> {
    await this.until(
      () => this.messages.length >= count,
      ms,
      `${count} messages (have ${this.messages.length})`,
    );
    return this.messages.slice(0, count);
  }

  async waitClose(ms = 5000): Promise<{ code: number; reason: string }> {
    await this.until(() => this.closed !== undefined, ms, "the close");
    return this.closed!;
  }

  close(): void {
    this.ws.terminate();
  }

  private until(done: () => boolean, ms: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Resolves with the HTTP status when the server refuses the upgrade. */
export function refusedStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once("open", () => reject(new Error("upgrade was accepted")));
    ws.once("error", () => {});
  });
}
