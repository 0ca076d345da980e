// `papi-venue clock status | advance | freeze | resume`, `account skew` and `order fill`:
// the rehearsal controls on a running venue's admin API (GET and POST /admin/v1/clock,
// POST /admin/v1/accounts/{id}/clockSkew, POST /admin/v1/orders/fill), through
// admin-call.ts.

import { ADVANCE_TIMEOUT_MS, type AdminTarget, admin, adminText } from "./admin-call.js";

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

/** A fault as the CLI's flags give it, before it is sent as POST /admin/v1/faults's body. */
export interface FaultFlags {
  readonly method?: string;
  readonly path?: string;
  readonly stream?: string;
  readonly account?: number;
  readonly effect: string;
  readonly count?: number;
  readonly probability?: number;
  readonly delayMs?: number;
  readonly executed?: boolean;
}

export async function addFault(target: AdminTarget, flags: FaultFlags): Promise<string> {
  const body = {
    ...(flags.stream === undefined ? { method: flags.method, path: flags.path } : { stream: flags.stream }),
    accountId: flags.account,
    effect: flags.effect,
    count: flags.count,
    probability: flags.probability,
    delayMs: flags.delayMs,
    executed: flags.executed,
  };
  const { faultId } = (await admin(target, "POST", "/admin/v1/faults", body)) as { faultId: number };
  return `fault ${faultId} added\n`;
}

export async function listFaults(target: AdminTarget): Promise<string> {
  const faults = (await admin(target, "GET", "/admin/v1/faults")) as unknown[];
  return faults.map((f) => `${JSON.stringify(f)}\n`).join("");
}

export async function removeFault(target: AdminTarget, faultId: number | undefined): Promise<string> {
  if (faultId === undefined) {
    const { removed } = (await admin(target, "DELETE", "/admin/v1/faults")) as { removed: number };
    return `${removed} faults lifted\n`;
  }
  await admin(target, "DELETE", `/admin/v1/faults/${faultId}`);
  return `fault ${faultId} lifted\n`;
}

/** The journal from `fromSeq` on, as the venue exports it: JSON lines, secrets left out. */
export async function exportJournal(target: AdminTarget, fromSeq: number, limit: number): Promise<string> {
  return adminText(target, `/admin/v1/journal?fromSeq=${fromSeq}&limit=${limit}`);
}
