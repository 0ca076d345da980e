// listenKeys: one per account, valid 60 minutes from creation or the last keepalive,
// as on Binance. Kept in memory: after a restart clients create a new key, as they do
// after a key expires. Time comes from the injected clock, so expiry is testable.

import { newApiKey } from "../venue/ids.js";

export const LISTEN_KEY_VALIDITY_MS = 60 * 60 * 1000;

interface Entry {
  readonly key: string;
  readonly accountId: number;
  expiresAt: number;
}

export class ListenKeys {
  private readonly byKey = new Map<string, Entry>();
  private readonly byAccount = new Map<number, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly validityMs = LISTEN_KEY_VALIDITY_MS,
  ) {}

  /** The account's live key, extended; or a new one. */
  open(accountId: number): string {
    const live = this.live(accountId);
    if (live) {
      live.expiresAt = this.now() + this.validityMs;
      return live.key;
    }
    const entry: Entry = { key: newApiKey(), accountId, expiresAt: this.now() + this.validityMs };
    this.byKey.set(entry.key, entry);
    this.byAccount.set(accountId, entry);
    return entry.key;
  }

  /** Extends the account's live key; false when it has none. */
  keepalive(accountId: number): boolean {
    const live = this.live(accountId);
    if (!live) return false;
    live.expiresAt = this.now() + this.validityMs;
    return true;
  }

  /** Invalidates the account's key; answers it, if there was one. */
  close(accountId: number): string | undefined {
    const entry = this.byAccount.get(accountId);
    if (!entry) return undefined;
    this.forget(entry);
    return entry.key;
  }

  /** The account a live key belongs to. */
  accountOf(key: string): number | undefined {
    const entry = this.byKey.get(key);
    return entry && entry.expiresAt > this.now() ? entry.accountId : undefined;
  }

  /** The account's live key. */
  keyOf(accountId: number): string | undefined {
    return this.live(accountId)?.key;
  }

  /** Removes and answers every key that has lapsed. */
  expire(): string[] {
    const now = this.now();
    const lapsed: string[] = [];
    for (const entry of this.byKey.values()) {
      if (entry.expiresAt <= now) {
        this.forget(entry);
        lapsed.push(entry.key);
      }
    }
    return lapsed;
  }

  private live(accountId: number): Entry | undefined {
    const entry = this.byAccount.get(accountId);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }

  private forget(entry: Entry): void {
    this.byKey.delete(entry.key);
    if (this.byAccount.get(entry.accountId) === entry) this.byAccount.delete(entry.accountId);
  }
}
