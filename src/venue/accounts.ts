// Accounts as the venue holds them in memory: balances (10^-8 units of each coin), API
// keys, the position mode, leverage per symbol, and positions. Changes are made by the
// venue's commands, which also record them in the open batch; this file only keeps
// the maps and their lookups.

import { createPublicKey, type KeyObject } from "node:crypto";
import type { PositionSide } from "../domain/order.js";
import { FLAT, type Position } from "../domain/position.js";
import type { AccountRow, ApiKeyRow, KeyType } from "../store/store.js";

/** Leverage of a symbol the account has not set: Binance's default for a new account. */
export const DEFAULT_LEVERAGE = 20;

export interface Balance {
  units: bigint;
  updateTime: number;
}

export interface Account {
  readonly id: number;
  readonly alias: string;
  readonly createdAt: number;
  /** Hedge mode (LONG/SHORT positions); one-way (BOTH) when false. */
  dualSide: boolean;
  readonly balances: Map<string, Balance>;
  readonly apiKeys: string[];
  /** The simulated market's role for a house account; undefined for a client's. */
  readonly house: string | undefined;
  /** How far off the venue clock this account's requests are checked, ms. */
  clockSkewMs: number;
}

/** A position as held: the domain position plus what it has realized so far. */
export interface HeldPosition extends Position {
  readonly symbol: string;
  readonly positionSide: PositionSide;
  /** Realized PnL accumulated on this position, 10^-8 coin. */
  readonly realized: bigint;
  /** Time of the last fill that moved it; 0 for a position never held. */
  readonly updateTime: number;
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
  /** Per account: positions by `symbol|positionSide`. */
  private readonly positions = new Map<number, Map<string, HeldPosition>>();
  private readonly leverages = new Map<string, number>();

  add(row: AccountRow): Account {
    const account: Account = {
      id: row.id,
      alias: row.alias,
      createdAt: row.createdAt,
      dualSide: row.dualSide,
      balances: new Map(),
      apiKeys: [],
      house: row.house,
      clockSkewMs: row.clockSkewMs ?? 0,
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

  position(accountId: number, symbol: string, side: PositionSide): HeldPosition {
    return (
      this.positions.get(accountId)?.get(`${symbol}|${side}`) ?? {
        ...FLAT,
        symbol,
        positionSide: side,
        realized: 0n,
        updateTime: 0,
      }
    );
  }

  setPosition(accountId: number, position: HeldPosition): void {
    let mine = this.positions.get(accountId);
    if (!mine) {
      mine = new Map();
      this.positions.set(accountId, mine);
    }
    mine.set(`${position.symbol}|${position.positionSide}`, position);
  }

  /** Each account's positions (flat ones included until restart), for a walk over all of them. */
  holdings(): IterableIterator<[accountId: number, positions: Map<string, HeldPosition>]> {
    return this.positions.entries();
  }

  /** Every position the account has held (flat ones included until restart). */
  positionsOf(accountId: number): HeldPosition[] {
    return [...(this.positions.get(accountId)?.values() ?? [])];
  }

  /** Contracts held long on the symbol across every account (BOTH above zero, and LONG): its open interest. */
  openInterest(symbol: string): number {
    let long = 0;
    for (const mine of this.positions.values()) {
      for (const p of mine.values()) if (p.symbol === symbol && p.amount > 0) long += p.amount;
    }
    return long;
  }

  leverage(accountId: number, symbol: string): number {
    return this.leverages.get(`${accountId}|${symbol}`) ?? DEFAULT_LEVERAGE;
  }

  setLeverage(accountId: number, symbol: string, leverage: number): void {
    this.leverages.set(`${accountId}|${symbol}`, leverage);
  }
}

export function positionKey(accountId: number, symbol: string, side: PositionSide): string {
  return `${accountId}|${symbol}|${side}`;
}
