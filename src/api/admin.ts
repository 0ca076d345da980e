// The admin API: create and list accounts with balances, add API keys, read an account,
// deposit and withdraw, set a mark or an index, skew an account's clock, force a fill,
// and the simulated market's controls (admin-market.ts) and the clock's (admin-clock.ts);
// faults are admin-faults.ts's. JSON in and out, `Authorization: Bearer <token>`
// (admin-body.ts checks it); anything else is 401 and does nothing.

import type { FastifyInstance, FastifyRequest } from "fastify";
import { formatStripped, parseDecimal } from "../domain/decimal.js";
import { VenueError } from "../domain/errors.js";
import { checkPrice } from "../domain/filters.js";
import { formatPrice } from "../domain/inverse.js";
import { format8 } from "../domain/premium-index.js";
import { findSymbol } from "../domain/symbols.js";
import type { KeyType } from "../store/store.js";
import { type AccountView, redacted, type Venue } from "../venue/venue.js";
import { AdminError, adminHandle, badRequest, jsonBody } from "./admin-body.js";
import { type ClockControl, registerClockAdmin } from "./admin-clock.js";
import { type MarketControl, registerMarketAdmin } from "./admin-market.js";
import { registerOverview } from "./admin-overview.js";
import { queryForm } from "./format.js";

const COIN_SCALE = 8;
const ASSET = /^[A-Z0-9]{1,20}$/;
const KEY_TYPES: readonly KeyType[] = ["HMAC", "ED25519", "RSA"];

function parseBalances(value: unknown): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  if (value === undefined) return balances;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("'balances' must be an object of asset to decimal string.");
  }
  for (const [asset, amount] of Object.entries(value)) {
    if (!ASSET.test(asset)) throw badRequest(`Invalid asset '${asset}'.`);
    const d =
      typeof amount === "string" || typeof amount === "number" ? parseDecimal(String(amount)) : undefined;
    if (!d || d.units < 0n || d.scale > COIN_SCALE) {
      throw badRequest(`Balance of '${asset}' must be a non-negative decimal with at most 8 decimals.`);
    }
    balances.set(asset, d.units * 10n ** BigInt(COIN_SCALE - d.scale));
  }
  return balances;
}

const MAX_ACCOUNT_ID = Number.MAX_SAFE_INTEGER;
/** The most journal entries one export answers. */
const MAX_JOURNAL_PAGE = 100_000;
/** A day either way: far past any recvWindow (at most 60 s). */
const MAX_SKEW_MS = 86_400_000;

/** An account as the admin API shows it: balances and key ids, never a secret. */
function accountJson(account: AccountView) {
  const balances: Record<string, string> = {};
  for (const [asset, units] of account.balances) balances[asset] = formatStripped(units, COIN_SCALE);
  return {
    accountId: account.accountId,
    alias: account.alias,
    // The simulated market's own accounts: they trade through the same pipeline as any client.
    house: account.house !== undefined,
    balances,
    apiKeys: account.apiKeys,
  };
}

/** An integer query parameter within [min, max]; `fallback` when absent. */
function integerQuery(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === "string" && /^[0-9]{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw badRequest(`'${name}' must be an integer from ${min} to ${max}.`);
  return n;
}

function accountIdParam(req: FastifyRequest): number {
  const text = (req.params as { accountId?: string }).accountId ?? "";
  if (!/^[0-9]{1,15}$/.test(text)) throw new AdminError(404, -1130, "Unknown account.");
  return Number(text);
}

export function registerAdmin(
  app: FastifyInstance,
  venue: Venue,
  token: string,
  now: () => number,
  market?: MarketControl,
  clock?: ClockControl,
): void {
  const handle = adminHandle(token);

  app.post(
    "/admin/v1/accounts",
    handle(async (req) => {
      const body = jsonBody(req);
      const balances = parseBalances(body.balances);
      return venue.createAccount(balances, now());
    }),
  );

  app.post(
    "/admin/v1/accounts/:accountId/apiKeys",
    handle(async (req) => {
      const accountId = accountIdParam(req);
      const body = jsonBody(req);
      const type = body.type ?? "HMAC";
      if (typeof type !== "string" || !(KEY_TYPES as readonly string[]).includes(type)) {
        throw badRequest("'type' must be HMAC, ED25519 or RSA.");
      }
      const publicKey = body.publicKey;
      if (type !== "HMAC" && typeof publicKey !== "string")
        throw badRequest(`'publicKey' (PEM) is required for ${type}.`);
      if (!(await venue.account(accountId))) throw new AdminError(404, -1130, "Unknown account.");
      try {
        return await venue.createApiKey(
          accountId,
          type as KeyType,
          typeof publicKey === "string" ? publicKey : "",
          now(),
        );
      } catch (error) {
        if (error instanceof VenueError) throw error;
        throw badRequest(`'publicKey' is not a valid ${type} public key.`);
      }
    }),
  );

  app.get(
    "/admin/v1/accounts/:accountId",
    handle(async (req) => {
      const account = await venue.account(accountIdParam(req));
      if (!account) throw new AdminError(404, -1130, "Unknown account.");
      return accountJson(account);
    }),
  );

  // Accounts in id order from `fromId` (default 1), at most `limit` (default 100, at most 1000).
  app.get(
    "/admin/v1/accounts",
    handle(async (req) => {
      const query = req.query as Record<string, unknown>;
      const fromId = integerQuery(query.fromId, "fromId", 1, 1, MAX_ACCOUNT_ID);
      const limit = integerQuery(query.limit, "limit", 100, 1, 1000);
      return (await venue.accountList(fromId, limit)).map(accountJson);
    }),
  );

  // Deposit (positive amount) or withdraw (negative): a committed change, streamed as ACCOUNT_UPDATE.
  app.post(
    "/admin/v1/accounts/:accountId/balances",
    handle(async (req) => {
      const accountId = accountIdParam(req);
      const body = jsonBody(req);
      const asset = body.asset;
      if (typeof asset !== "string" || !ASSET.test(asset))
        throw badRequest("'asset' must name a coin, e.g. \"BTC\".");
      const amount = typeof body.amount === "string" ? parseDecimal(body.amount) : undefined;
      if (!amount || amount.scale > COIN_SCALE || amount.units === 0n) {
        throw badRequest(
          "'amount' must be a non-zero decimal string with at most 8 decimals (negative withdraws).",
        );
      }
      if (!(await venue.account(accountId))) throw new AdminError(404, -1130, "Unknown account.");
      const units = amount.units * 10n ** BigInt(COIN_SCALE - amount.scale);
      const balance = await venue.adjustBalance(accountId, asset, units, now());
      return { accountId, asset, balance: formatStripped(balance, COIN_SCALE) };
    }),
  );

  // The account's signed requests are checked as if the venue clock were `ms` off: a
  // positive skew makes its timestamps look late (-1021 "outside of the recvWindow"), a
  // negative one early ("ahead of the server's time"). 0 clears it.
  app.post(
    "/admin/v1/accounts/:accountId/clockSkew",
    handle(async (req) => {
      const accountId = accountIdParam(req);
      const { ms } = jsonBody(req);
      if (typeof ms !== "number" || !Number.isSafeInteger(ms) || Math.abs(ms) > MAX_SKEW_MS)
        throw badRequest(`'ms' must be an integer from -${MAX_SKEW_MS} to ${MAX_SKEW_MS}.`);
      if (!(await venue.account(accountId))) throw new AdminError(404, -1130, "Unknown account.");
      await venue.setClockSkew(accountId, ms, now());
      return { accountId, clockSkewMs: ms };
    }),
  );

  // The command journal from `fromSeq` (inclusive) on, as JSON lines, `limit` of them at
  // most (a client pages on with the last seq + 1); secrets are left out (null).
  app.get(
    "/admin/v1/journal",
    handle(async (req, reply) => {
      const query = req.query as Record<string, unknown>;
      const fromSeq = integerQuery(query.fromSeq, "fromSeq", 1, 1, Number.MAX_SAFE_INTEGER);
      const limit = integerQuery(query.limit, "limit", MAX_JOURNAL_PAGE, 1, MAX_JOURNAL_PAGE);
      const entries = await venue.journal(fromSeq, limit);
      reply.type("application/x-ndjson");
      return entries.map((e) => `${JSON.stringify(redacted(e))}\n`).join("");
    }),
  );

  // Fills an open order at its own price against the house, in part (`quantity`
  // contracts) or whole, with every trade, position and stream event a fill makes;
  // answers the order as GET /papi/v1/cm/order shows it after the fill.
  app.post(
    "/admin/v1/orders/fill",
    handle(async (req) => {
      const body = jsonBody(req);
      const spec = typeof body.symbol === "string" ? findSymbol(body.symbol) : undefined;
      if (!spec) throw badRequest("'symbol' must be a listed symbol.");
      const { orderId, quantity } = body;
      if (typeof orderId !== "number" || !Number.isSafeInteger(orderId) || orderId < 1)
        throw badRequest("'orderId' must be a positive integer.");
      if (
        quantity !== undefined &&
        (typeof quantity !== "number" || !Number.isSafeInteger(quantity) || quantity < 1)
      )
        throw badRequest("'quantity' must be a positive whole number of contracts.");
      try {
        return queryForm(spec, await venue.forceFill({ symbol: spec, orderId, quantity, now: now() }));
      } catch (error) {
        if (error instanceof RangeError) throw badRequest(`'quantity' is more than ${error.message}.`);
        throw error;
      }
    }),
  );

  // Sets a symbol's mark price (a decimal on its tick), or hands it back to the last trade with null.
  app.post(
    "/admin/v1/markPrice",
    handle(async (req) => {
      const body = jsonBody(req);
      const spec = typeof body.symbol === "string" ? findSymbol(body.symbol) : undefined;
      if (!spec) throw badRequest("'symbol' must be a listed symbol.");
      if (body.markPrice === null) {
        await venue.setMarkPrice(spec.symbol, undefined, now());
        return { symbol: spec.symbol, markPrice: null };
      }
      const price = typeof body.markPrice === "string" ? parseDecimal(body.markPrice) : undefined;
      if (!price) throw badRequest("'markPrice' must be a decimal string, or null.");
      const ticks = checkPrice(spec, price);
      await venue.setMarkPrice(spec.symbol, ticks, now());
      return { symbol: spec.symbol, markPrice: formatPrice(spec, ticks) };
    }),
  );

  // Sets a pair's index price (a positive decimal, at most 8 places), or clears it with null:
  // the pair's marks are then computed from it (venue/prices.ts). A running market sets its
  // pairs' indexes every second, so it overwrites the admin's.
  app.post(
    "/admin/v1/indexPrice",
    handle(async (req) => {
      const body = jsonBody(req);
      const pair = typeof body.pair === "string" ? body.pair : undefined;
      if (pair === undefined || !venue.symbols().some((s) => s.pair === pair))
        throw badRequest("'pair' must be a listed pair.");
      if (body.indexPrice === null) {
        await venue.setIndexPrices(new Map([[pair, undefined]]), now());
        return { pair, indexPrice: null };
      }
      const price = typeof body.indexPrice === "string" ? parseDecimal(body.indexPrice) : undefined;
      if (
        !price ||
        price.units <= 0n ||
        price.scale > 8 ||
        price.units * 10n ** BigInt(8 - price.scale) > 10n ** 15n
      )
        throw badRequest("'indexPrice' must be a positive decimal string of at most 8 decimals, or null.");
      const price8 = Number(price.units * 10n ** BigInt(8 - price.scale));
      await venue.setIndexPrices(new Map([[pair, price8]]), now());
      return { pair, indexPrice: format8(price8) };
    }),
  );

  registerOverview(app, handle, venue, now, accountIdParam);
  registerMarketAdmin(app, handle, market);
  if (clock) registerClockAdmin(app, handle, clock);
}
