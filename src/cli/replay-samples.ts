// The replay sample files shipped in samples/replay/, made by the venue itself: the
// simulated market (BTCUSD_PERP and ETHUSD_PERP only, seed 2026) runs on a scratch data
// folder from 2026-11-30 00:00 UTC on a stepped clock, and its trades are written out in
// Binance's public data formats: BTCUSD_PERP's aggregate trades over 10 minutes,
// ETHUSD_PERP's one-minute klines over 20. `npm run samples` writes them again (this file, run by node); a test checks that
// the shipped files are exactly what it writes.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatBase, formatPriceFixed } from "../domain/inverse.js";
import { defaultSettings } from "../market/settings.js";
import { SimulatedMarket } from "../market/simulated-market.js";
import { SqliteStore } from "../store/sqlite.js";
import { Venue } from "../venue/venue.js";

const START = Date.UTC(2026, 10, 30);
const SEED = 2026;
export const SAMPLE_FILES = [
  "BTCUSD_PERP-aggTrades-2026-11-30.csv",
  "ETHUSD_PERP-1m-2026-11-30.csv",
] as const;

const AGG_HEADER = "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker";
const KLINE_HEADER =
  "open_time,open,high,low,close,volume,close_time,base_volume,count,taker_buy_volume,taker_buy_base_volume,ignore";

export async function writeSamples(dir: string): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "papi-venue-samples-"));
  const store = new SqliteStore(scratch, { synchronous: "NORMAL" });
  try {
    const venue = new Venue(store);
    let clock = START;
    const all = defaultSettings(venue.symbols(), SEED);
    const settings = {
      ...all,
      pairs: { BTCUSD: all.pairs.BTCUSD!, ETHUSD: all.pairs.ETHUSD! },
      contracts: { BTCUSD_PERP: all.contracts.BTCUSD_PERP!, ETHUSD_PERP: all.contracts.ETHUSD_PERP! },
    };
    const market = await SimulatedMarket.open(venue, settings, () => clock);
    for (let minute = 1; minute <= 20; minute++) {
      clock = START + minute * 60_000;
      await market.advance(clock);
    }
    const btc = venue.symbol("BTCUSD_PERP")!;
    const eth = venue.symbol("ETHUSD_PERP")!;
    const aggs = await venue.aggTrades({
      symbol: btc.symbol,
      startTime: START,
      endTime: START + 10 * 60_000,
      limit: 1000,
    });
    const aggRows = aggs.map((a) =>
      [
        a.aggId,
        formatPriceFixed(btc, a.price),
        a.qty,
        a.firstId,
        a.lastId,
        a.time,
        a.takerSide === "SELL",
      ].join(","),
    );
    const candles = await venue.klines(eth.symbol, "1m", START, START + 19 * 60_000, 20);
    const klineRows = candles.map((c) =>
      [
        c.openTime,
        formatPriceFixed(eth, c.open),
        formatPriceFixed(eth, c.high),
        formatPriceFixed(eth, c.low),
        formatPriceFixed(eth, c.close),
        c.volume,
        c.openTime + 59_999,
        formatBase(eth, c.baseAcc),
        c.trades,
        c.takerBuyVolume,
        formatBase(eth, c.takerBuyBaseAcc),
        0,
      ].join(","),
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, SAMPLE_FILES[0]), `${[AGG_HEADER, ...aggRows].join("\n")}\n`);
    fs.writeFileSync(path.join(dir, SAMPLE_FILES[1]), `${[KLINE_HEADER, ...klineRows].join("\n")}\n`);
  } finally {
    store.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  await writeSamples(process.argv[2] ?? "samples/replay");
}
