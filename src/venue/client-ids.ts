// Open orders by account, symbol and client order id (client ids are unique among an
// account's open orders on a symbol). Nested maps rather than one map of joined string
// keys: a cancel then builds and hashes no key string.

import type { Order } from "../domain/order.js";

export class ClientIds {
  private readonly byAccount = new Map<number, Map<string, Map<string, Order>>>();

  get(accountId: number, symbol: string, clientOrderId: string): Order | undefined {
    return this.byAccount.get(accountId)?.get(symbol)?.get(clientOrderId);
  }

  has(accountId: number, symbol: string, clientOrderId: string): boolean {
    return this.get(accountId, symbol, clientOrderId) !== undefined;
  }

  set(order: Order): void {
    let symbols = this.byAccount.get(order.accountId);
    if (!symbols) {
      symbols = new Map();
      this.byAccount.set(order.accountId, symbols);
    }
    let ids = symbols.get(order.symbol);
    if (!ids) {
      ids = new Map();
      symbols.set(order.symbol, ids);
    }
    ids.set(order.clientOrderId, order);
  }

  /** Forgets the order's client id, unless a newer open order took it over. */
  delete(order: Order): void {
    const ids = this.byAccount.get(order.accountId)?.get(order.symbol);
    if (ids?.get(order.clientOrderId) === order) ids.delete(order.clientOrderId);
  }
}
