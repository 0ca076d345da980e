// Section 5: a place and its cancel through the venue (in process, SQLite, --sync
// normal so the disk does not set the pace) on an account that already holds many open
// orders, against the same on an account that holds one per symbol. The margin check,
// the order count and the closing check read running totals (src/venue/exposures.ts),
// so the cost should not grow with the account's book; this line shows whether it does.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listSymbols, type SymbolSpec } from "../src/domain/symbols.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { type PlaceCommand, Venue } from "../src/venue/venue.js";
import { info, type Line, median, progress, send } from "./report.js";

const SYMBOLS = listSymbols();
const BTC = SYMBOLS.find((s) => s.symbol === "BTCUSD_PERP")!;
/** Resting orders per symbol on the crowded account: the filter allows 200, the run adds 5. */
const CROWDED_PER_SYMBOL = 190;
/** Places (and as many cancels) per timing, in turns of TURN commands. */
const PLACES = 4000;
const TURN = 5;
const REPEATS = 3;

/** A one-contract GTC limit order, answered with ACK. */
function limit(
  accountId: number,
  symbol: SymbolSpec,
  side: "BUY" | "SELL",
  price: number,
  now: number,
): PlaceCommand {
  return {
    accountId,
    symbol,
    side,
    type: "LIMIT",
    timeInForce: "GTC",
    price,
    quantity: 1,
    clientOrderId: undefined,
    reduceOnly: false,
    positionSide: "BOTH",
    respType: "ACK",
    now,
  };
}

async function account(venue: Venue, perSymbol: number): Promise<number> {
  const now = Date.now();
  const coins = [...new Set(SYMBOLS.map((s) => s.marginAsset))];
  const { accountId } = await venue.createAccount(new Map(coins.map((c) => [c, 10n ** 17n])), now);
  // Bids below a mid well inside every contract's price filter: nothing crosses.
  const rest = (spec: SymbolSpec, i: number) =>
    limit(accountId, spec, "BUY", Math.max(spec.minPriceTicks * 4, 10_000) - 1 - i, now);
  await Promise.all(
    SYMBOLS.flatMap((spec) => Array.from({ length: perSymbol }, (_, i) => venue.place(rest(spec, i)))),
  );
  return accountId;
}

/** µs per place and cancel of a SELL on BTCUSD_PERP that rests above every bid. */
async function placeAndCancel(venue: Venue, accountId: number): Promise<number> {
  const now = Date.now();
  const sell = (i: number) => limit(accountId, BTC, "SELL", 310_000 + (i % 1000), now);
  const t0 = performance.now();
  for (let i = 0; i < PLACES; i += TURN) {
    const placed = await Promise.all(Array.from({ length: TURN }, (_, k) => venue.place(sell(i + k))));
    await Promise.all(
      placed.map((p) => venue.cancel({ accountId, symbol: BTC, ref: { orderId: p.id }, now })),
    );
  }
  return ((performance.now() - t0) * 1000) / PLACES;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-bench-place-"));
  const store = new SqliteStore(dir, { synchronous: "NORMAL" });
  try {
    const venue = new Venue(store);
    const sparse = await account(venue, 1);
    const crowded = await account(venue, CROWDED_PER_SYMBOL);
    const few: number[] = [];
    const many: number[] = [];
    // Alternate, so both accounts see the same stretches of the machine.
    for (let r = 0; r < REPEATS; r++) {
      few.push(await placeAndCancel(venue, sparse));
      many.push(await placeAndCancel(venue, crowded));
    }
    const fewUs = median(few);
    const manyUs = median(many);
    const crowdedOrders = CROWDED_PER_SYMBOL * SYMBOLS.length;
    progress(
      `place: ${fewUs.toFixed(1)} µs with ${SYMBOLS.length} open orders, ${manyUs.toFixed(1)} µs with ${crowdedOrders}`,
    );
    // A ratio near 1 is a flat cost; the walk the totals replaced made it grow with the book.
    const lines: Line[] = [
      info(
        `place + cancel, account with ${crowdedOrders} open orders vs ${SYMBOLS.length}`,
        "µs",
        manyUs,
        fewUs,
      ),
    ];
    const notes = [
      `place: place and cancel through the venue in process, SQLite --sync normal, ${TURN} places per turn, ` +
        `median of ${REPEATS} runs of ${PLACES}: ${fewUs.toFixed(1)} µs on an account with one open order per symbol, ` +
        `${manyUs.toFixed(1)} µs on one with ${CROWDED_PER_SYMBOL} per symbol (${crowdedOrders})`,
    ];
    await send({ lines, notes });
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
