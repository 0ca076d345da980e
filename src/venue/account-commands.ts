// The account commands: create an account with balances and its first key, add keys,
// switch the position mode, set a symbol's leverage, deposit and withdraw. Each runs
// inside the pipeline (pipeline.run) like an order command.

import { createPublicKey } from "node:crypto";
import { maxLeverage, maxQtyAt } from "../domain/brackets.js";
import { VenueError } from "../domain/errors.js";
import type { SymbolSpec } from "../domain/symbols.js";
import type { AccountRow, ApiKeyRow, KeyType } from "../store/store.js";
import { riskOf } from "./checks.js";
import { setBalance } from "./fills.js";
import type { OpenBatch } from "./group-commit.js";
import { snapshotPairs } from "./pair-stats.js";
import type { Pipeline } from "./pipeline.js";
import type { VenueState } from "./state.js";
import type { NewKey } from "./views.js";

export function createAccount(
  state: VenueState,
  pipeline: Pipeline,
  balances: ReadonlyMap<string, bigint>,
  now: number,
  house?: string,
): { accountId: number } & NewKey {
  for (const units of balances.values()) if (units < 0n) throw new RangeError("negative balance");
  const batch = pipeline.batch();
  const row: AccountRow = {
    id: state.nextAccountId++,
    alias: state.ids.draw("alias"),
    createdAt: now,
    dualSide: false,
    house,
  };
  const account = state.accounts.add(row);
  batch.accounts.push(row);
  for (const [asset, units] of balances) {
    setBalance(batch, account, asset, units, now);
    if (units === 0n) continue;
    batch.incomes.push({
      id: state.nextIncomeId++,
      accountId: account.id,
      symbol: "",
      incomeType: "TRANSFER",
      asset,
      units,
      info: "DEPOSIT",
      time: now,
    });
  }
  const key = addKey(state, batch, row.id, "HMAC", "", now);
  return { accountId: row.id, ...key };
}

export function createApiKey(
  state: VenueState,
  pipeline: Pipeline,
  accountId: number,
  type: KeyType,
  publicKeyPem: string,
  now: number,
): NewKey {
  if (!state.accounts.get(accountId)) throw new RangeError("unknown account");
  if (type !== "HMAC") {
    const key = createPublicKey(publicKeyPem);
    const expected = type === "ED25519" ? "ed25519" : "rsa";
    if (key.asymmetricKeyType !== expected) throw new RangeError(`not an ${type} public key`);
  }
  return addKey(state, pipeline.batch(), accountId, type, publicKeyPem, now);
}

function addKey(
  state: VenueState,
  batch: OpenBatch,
  accountId: number,
  type: KeyType,
  publicKey: string,
  now: number,
): NewKey {
  const apiKey = state.ids.draw("apiKey");
  const secret = type === "HMAC" ? state.ids.draw("secret") : "";
  const row: ApiKeyRow = { apiKey, accountId, type, secret, publicKey, createdAt: now };
  state.accounts.addKey(row);
  batch.apiKeys.push(row);
  return type === "HMAC" ? { apiKey: row.apiKey, secretKey: secret } : { apiKey: row.apiKey };
}

/** Hedge (true) or one-way (false) mode; refused while orders are open or positions held. */
/** Checks the account's requests as if the venue clock were `ms` off (the admin's clockSkew). */
export function setClockSkew(state: VenueState, pipeline: Pipeline, accountId: number, ms: number): void {
  const account = state.accounts.get(accountId);
  if (!account) throw new RangeError(`no account ${accountId}`);
  account.clockSkewMs = ms;
  pipeline.batch().clockSkews.set(accountId, ms);
}

export function setDualSide(
  state: VenueState,
  pipeline: Pipeline,
  accountId: number,
  dualSide: boolean,
): void {
  const account = state.accounts.get(accountId)!;
  if (account.dualSide === dualSide) throw new VenueError("NO_NEED_TO_CHANGE_POSITION_SIDE");
  if ((state.open.get(accountId)?.size ?? 0) > 0) throw new VenueError("POSITION_SIDE_OPEN_ORDERS");
  for (const p of state.accounts.positionsOf(accountId)) {
    if (p.amount !== 0) throw new VenueError("POSITION_SIDE_OPEN_POSITION");
  }
  account.dualSide = dualSide;
  pipeline.batch().modes.set(accountId, dualSide);
}

/** Sets the symbol's leverage (1 to the bracket's maximum); answers the position it allows. */
export function setLeverage(
  state: VenueState,
  pipeline: Pipeline,
  accountId: number,
  spec: SymbolSpec,
  leverage: number,
  now: number,
): { leverage: number; maxQty: number } {
  if (!Number.isInteger(leverage) || leverage < 1 || leverage > maxLeverage(spec.pair)) {
    throw new VenueError("INVALID_LEVERAGE", leverage);
  }
  const before = state.accounts.leverage(accountId, spec.symbol);
  state.accounts.setLeverage(accountId, spec.symbol, leverage);
  const batch = pipeline.batch();
  batch.leverages.set(`${accountId}|${spec.symbol}`, { accountId, symbol: spec.symbol, leverage });
  // Binance tells a change of leverage (ACCOUNT_CONFIG_UPDATE), not a request that changes nothing.
  if (before !== leverage && pipeline.wanted(accountId))
    batch.events.push({ kind: "config", accountId, time: now, symbol: spec.symbol, leverage });
  return { leverage, maxQty: maxQtyAt(spec.pair, leverage) };
}

/**
 * Deposits (positive) or withdraws (negative) 10^-8 units of a coin. A withdrawal may
 * not take more than the coin's available balance (wallet + unrealized − margin).
 */
export function adjustBalance(
  state: VenueState,
  pipeline: Pipeline,
  accountId: number,
  asset: string,
  delta: bigint,
  now: number,
): bigint {
  snapshotPairs(state, pipeline, now);
  const account = state.accounts.get(accountId);
  if (!account) throw new RangeError("unknown account");
  const wallet = account.balances.get(asset)?.units ?? 0n;
  if (delta < 0n) {
    const r = riskOf(state, accountId, state.exposures.of(accountId)).get(asset);
    const available =
      wallet + (r?.unrealized ?? 0n) - (r ? r.positionInitialMargin + r.openOrderInitialMargin : 0n);
    if (available + delta < 0n) throw new VenueError("BALANCE_INSUFFICIENT");
  }
  const batch = pipeline.batch();
  setBalance(batch, account, asset, wallet + delta, now);
  batch.incomes.push({
    id: state.nextIncomeId++,
    accountId,
    symbol: "",
    incomeType: "TRANSFER",
    asset,
    units: delta,
    info: delta >= 0n ? "DEPOSIT" : "WITHDRAW",
    time: now,
  });
  if (pipeline.wanted(accountId)) {
    batch.events.push({
      kind: "account",
      accountId,
      time: now,
      reason: delta >= 0n ? "DEPOSIT" : "WITHDRAW",
      balances: [{ asset, units: wallet + delta, change: delta }],
      positions: [],
    });
  }
  return wallet + delta;
}
