// The simulated market's own accounts: ordinary accounts through the venue's facade,
// marked with their role (`house` in the admin's account list), funded far beyond
// anything they trade and set to leverage 1, where the brackets allow the largest
// positions. A venue restarted on the same folder finds them again by role.

import { marginAssets } from "../domain/symbols.js";
import type { Venue } from "../venue/venue.js";

export type Role = "maker" | "taker";

/** A billion coins of each margin coin, in 10^-8 units. */
const FUNDS = 10n ** 9n * 10n ** 8n;

export async function openHouse(
  venue: Venue,
  roles: readonly Role[],
  now: number,
): Promise<Map<Role, number>> {
  const found = await venue.houseAccounts();
  const out = new Map<Role, number>();
  for (const role of roles) {
    let id = found.get(role);
    if (id === undefined) {
      const balances = new Map(marginAssets().map((asset) => [asset, FUNDS] as const));
      id = (await venue.createAccount(balances, now, role)).accountId;
      for (const spec of venue.symbols()) await venue.setLeverage(id, spec, 1, now);
    }
    out.set(role, id);
  }
  return out;
}
