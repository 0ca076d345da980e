// `papi-venue market status | pause | resume | jump`: the simulated market's controls on
// a running venue's admin API (GET and PUT /admin/v1/market), through admin-call.ts.

import { type AdminTarget, admin } from "./admin-call.js";

export async function marketStatus(target: AdminTarget): Promise<string> {
  return `${JSON.stringify(await admin(target, "GET", "/admin/v1/market"))}\n`;
}

export async function pauseMarket(target: AdminTarget, paused: boolean): Promise<string> {
  const answer = (await admin(target, "PUT", "/admin/v1/market", { paused })) as { paused: boolean };
  return `market ${answer.paused ? "paused" : "running"}\n`;
}

export async function jumpMarket(target: AdminTarget, symbol: string, pct: number): Promise<string> {
  const answer = (await admin(target, "PUT", "/admin/v1/market", { symbol, jumpPct: pct })) as {
    references: Record<string, number>;
  };
  return `${JSON.stringify({ symbol, jumpPct: pct, references: answer.references })}\n`;
}
