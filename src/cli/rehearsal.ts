// `papi-venue clock status | advance | freeze | resume`, `account skew` and `order fill`:
// the rehearsal controls on a running venue's admin API (GET and POST /admin/v1/clock,
// POST /admin/v1/accounts/{id}/clockSkew, POST /admin/v1/orders/fill), through
// admin-call.ts.

import { ADVANCE_TIMEOUT_MS, type AdminTarget, admin } from "./admin-call.js";

interface ClockAnswer {
  serverTime: number;
  mode: string;
  aheadMs: number;
}

const line = (a: ClockAnswer) =>
  `clock ${a.mode} at ${new Date(a.serverTime).toISOString()} (${a.serverTime}), ${a.aheadMs} ms ahead of the wall clock\n`;

export async function clockStatus(target: AdminTarget): Promise<string> {
  return line((await admin(target, "GET", "/admin/v1/clock")) as ClockAnswer);
}

export async function changeClock(
  target: AdminTarget,
  change: { freeze?: boolean; advanceMs?: number },
): Promise<string> {
  return line((await admin(target, "POST", "/admin/v1/clock", change, ADVANCE_TIMEOUT_MS)) as ClockAnswer);
}

export async function skewClock(target: AdminTarget, accountId: number, ms: number): Promise<string> {
  await admin(target, "POST", `/admin/v1/accounts/${accountId}/clockSkew`, { ms });
  return `account ${accountId}: signed requests checked ${ms} ms off the venue clock\n`;
}

export async function fillOrder(
  target: AdminTarget,
  symbol: string,
  orderId: number,
  quantity: number | undefined,
): Promise<string> {
  const body = quantity === undefined ? { symbol, orderId } : { symbol, orderId, quantity };
  return `${JSON.stringify(await admin(target, "POST", "/admin/v1/orders/fill", body))}\n`;
}
