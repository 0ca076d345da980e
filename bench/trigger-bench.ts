// Section 8: trades that move the last price, through the venue in process (SQLite
// --sync normal), with 10,000 conditional orders armed on the contract, none of them
// reached, and 1,000 trailing stops on another contract, against the same trades with
// nothing armed. A move looks at the nearest stop of each heap in the trigger book
// (src/engine/trigger-book.ts) and at the trailing stops of its own contract and working
// price only, so the armed orders should cost the trade almost nothing.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findSymbol, type SymbolSpec } from "../src/domain/symbols.js";
import { SqliteStore } from "../src/store/sqlite.js";
import type { StrategyCommand } from "../src/venue/conditional.js";
import { type PlaceCommand, Venue } from "../src/venue/venue.js";
import { atLeast, type Line, median, progress, send } from "./report.js";

const BTC = findSymbol("BTCUSD_PERP")!;
const ETH = findSymbol("ETHUSD_PERP")!;
const STOPS = 10_000;
const TRAILING = 1_000;
/** Trades per timing, each a resting SELL and the BUY that takes it. */
const TRADES = 2000;
const ROUNDS = 3;
/** Ticks of 0.1 USD: trades around 30,000 USD, stops 10 % and more away. */
const MID = 300_000;

function order(accountId: number, spec: SymbolSpec, side: "BUY" | "SELL", price: number): PlaceCommand {
  return {
    accountId,
    symbol: spec,
    side,
    type: "LIMIT",
    timeInForce: "GTC",
    price,
    quantity: 1,
    clientOrderId: undefined,
    reduceOnly: false,
    positionSide: "BOTH",
    respType: "ACK",
    now: Date.now(),
  };
}

/** Last prices the contracts trade at, in their ticks. */
const LAST = new Map([
  [BTC, MID],
  [ETH, 20_000],
]);

function strategy(accountId: number, spec: SymbolSpec, i: number, trailing: boolean): StrategyCommand {
  const side = i % 2 === 0 ? "SELL" : "BUY";
  const last = LAST.get(spec)!;
  // A SELL stop falls to its stop far below the trades, a BUY rises to one far above.
  const stop = side === "SELL" ? last - last / 10 - i : last + last / 10 + i;
  return {
    accountId,
    symbol: spec,
    side,
    positionSide: undefined,
    type: trailing ? "TRAILING_STOP_MARKET" : "STOP_MARKET",
    working: "CONTRACT_PRICE",
    stopPrice: trailing ? 0 : stop,
    price: 0,
    quantity: 1,
    timeInForce: "GTC",
    reduceOnly: undefined,
    priceProtect: false,
    clientStrategyId: undefined,
    activatePrice: trailing ? (side === "SELL" ? last + last / 5 : last - last / 5) : undefined,
    callbackRate4: 100,
    now: Date.now(),
  };
}

/** µs per trade on BTCUSD_PERP, its price stepping by a tick each time. */
async function trades(venue: Venue, maker: number, taker: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < TRADES; i++) {
    const price = MID + (i % 20);
    await venue.place(order(maker, BTC, "SELL", price));
    await venue.place(order(taker, BTC, "BUY", price));
  }
  return ((performance.now() - t0) * 1000) / TRADES;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "papi-bench-trigger-"));
  const store = new SqliteStore(dir, { synchronous: "NORMAL" });
  try {
    const venue = new Venue(store);
    const coins = new Map([
      ["BTC", 10n ** 17n],
      ["ETH", 10n ** 17n],
    ]);
    const [maker, taker, watcher] = await Promise.all(
      [0, 1, 2].map(async () => (await venue.createAccount(coins, Date.now())).accountId),
    );
    // Last prices on both contracts, so stops and trailing stops can be placed.
    for (const [spec, price] of LAST) {
      await venue.place(order(maker!, spec, "SELL", price));
      await venue.place(order(taker!, spec, "BUY", price));
    }
    const bare: number[] = [];
    const armed: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bare.push(await trades(venue, maker!, taker!));
      await Promise.all([
        ...Array.from({ length: STOPS }, (_, i) => venue.placeStrategy(strategy(watcher!, BTC, i, false))),
        ...Array.from({ length: TRAILING }, (_, i) => venue.placeStrategy(strategy(watcher!, ETH, i, true))),
      ]);
      armed.push(await trades(venue, maker!, taker!));
      const now = Date.now();
      await venue.cancelAllStrategies(watcher!, BTC.symbol, now);
      await venue.cancelAllStrategies(watcher!, ETH.symbol, now);
    }
    const bareUs = median(bare);
    const armedUs = median(armed);
    progress(
      `trade: ${bareUs.toFixed(1)} µs with nothing armed, ${armedUs.toFixed(1)} µs with ${STOPS} stops`,
    );
    const lines: Line[] = [
      atLeast(
        `trades with ${STOPS} armed stops (and ${TRAILING} trailing elsewhere) vs none`,
        "trades/s",
        1e6 / armedUs,
        1e6 / bareUs,
        bareUs / armedUs,
        0.9,
      ),
    ];
    const notes = [
      `trigger: a resting SELL and the BUY that takes it through the venue in process, SQLite --sync normal, ` +
        `median of ${ROUNDS} runs of ${TRADES}: ${bareUs.toFixed(1)} µs a trade with nothing armed, ` +
        `${armedUs.toFixed(1)} µs with ${STOPS} stops armed on the contract out of reach and ${TRAILING} ` +
        `trailing stops on ETHUSD_PERP`,
    ];
    await send({ lines, notes });
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
