// What the venue answers: copies of committed state, shaped for the faces (api/,
// stream/) to format. Nothing here changes state, and none of it links back into the
// books, so an answer cannot be changed by a later command.

import type { Order } from "../domain/order.js";
import type { KeyType } from "../store/store.js";
import type { Balance, HeldPosition } from "./accounts.js";
import type { AssetRisk, SymbolRisk } from "./risk.js";

/** An order as answered: a copy taken when the command ran, without the book links. */
export type OrderView = Readonly<Omit<Order, "prev" | "next">>;

export function viewOf(order: Order): OrderView {
  const { prev: _p, next: _n, ...rest } = order;
  return rest;
}

export interface NewKey {
  readonly apiKey: string;
  /** Present for HMAC keys only, and only in this answer. */
  readonly secretKey?: string;
}

export interface AccountView {
  readonly accountId: number;
  readonly alias: string;
  readonly balances: ReadonlyMap<string, bigint>;
  readonly apiKeys: ReadonlyArray<{ apiKey: string; type: KeyType }>;
  /** The simulated market's role for a house account; undefined for a client's. */
  readonly house: string | undefined;
}

/** One committed view of an account for the account endpoints. */
export interface AccountState {
  readonly dualSide: boolean;
  readonly balances: ReadonlyMap<string, Balance>;
  readonly assets: ReadonlyMap<string, AssetRisk>;
  /** By `symbol|positionSide`. */
  readonly symbols: ReadonlyMap<string, SymbolRisk>;
  /** By `symbol|positionSide`. */
  readonly positions: ReadonlyMap<string, HeldPosition>;
  readonly leverage: (symbol: string) => number;
  readonly mark: (symbol: string) => number | undefined;
  /** The mark (ticks) at which the account would be liquidated, by symbol held (portfolio.ts). */
  readonly liquidationPrices: ReadonlyMap<string, number>;
}
