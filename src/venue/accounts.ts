// Accounts, their balances (10^-8 units of each coin), API keys and positions as the
// venue holds them in memory. Changes are made by the venue's commands, which also
// record them in the open batch; this file only keeps the maps and their lookups.

import { createPublicKey, type KeyObject } from "node:crypto";
import type { PositionSide } from "../domain/order.js";
import { FLAT, type Position } from "../domain/position.js";
import type { AccountRow, ApiKeyRow, KeyType } from "../store/store.js";

export interface Balance {
  units: bigint;
  updateTime: number;
}

export interface Account {
  readonly id: number;
  readonly alias: string;
  readonly createdAt: number;
  readonly balances: Map<string, Balance>;
  readonly apiKeys: string[];
}

/** What the signature check needs for one API key. */
export interface ApiKeyEntry {
  readonly apiKey: string;
  readonly accountId: number;
  readonly type: KeyType;
  /** HMAC secret bytes (empty for public-key types). */
  readonly secret: Buffer;
  /** Verification key for ED25519 / RSA. */
  readonly publicKey: KeyObject | undefined;
}

export class Accounts {
  private readonly byId = new Map<number, Account>();
  private readonly keys = new Map<string, ApiKeyEntry>();
  private readonly positions = new Map<string, Position>();

  add(row: AccountRow): Account {
    const account: Account = {
      id: row.id,
      alias: row.alias,
      createdAt: row.createdAt,
      balances: new Map(),
      apiKeys: [],
    };
    this.byId.set(row.id, account);
    return account;
  }

  get(id: number): Account | undefined {
    return this.byId.get(id);
  }

  addKey(row: ApiKeyRow): ApiKeyEntry {
    const entry: ApiKeyEntry = {
      apiKey: row.apiKey,
      accountId: row.accountId,
      type: row.type,
      secret: Buffer.from(row.secret, "utf8"),
      publicKey: row.type === "HMAC" ? undefined : createPublicKey(row.publicKey),
    };
    this.keys.set(row.apiKey, entry);
    this.byId.get(row.accountId)?.apiKeys.push(row.apiKey);
    return entry;
  }

  key(apiKey: string): ApiKeyEntry | undefined {
    return this.keys.get(apiKey);
  }

  position(accountId: number, symbol: string, side: PositionSide): Position {
    return this.positions.get(positionKey(accountId, symbol, side)) ?? FLAT;
  }

  setPosition(accountId: number, symbol: string, side: PositionSide, position: Position): void {
    this.positions.set(positionKey(accountId, symbol, side), position);
  }
}

export function positionKey(accountId: number, symbol: string, side: PositionSide): string {
  return `${accountId}|${symbol}|${side}`;
}
