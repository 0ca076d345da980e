// Replay: a pair's reference read from Binance's public data files (aggTrades or klines
// CSV, with or without header), followed at the speed asked, holding after the file's
// end; the market's book and trades follow it; the shipped samples are what the project
// makes.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeSamples } from "../../src/cli/replay-samples.js";
import { joinReplays, ReplayedReference, readReplay, symbolOfFile } from "../../src/market/replay.js";
import { defaultSettings } from "../../src/market/settings.js";
import { SimulatedMarket } from "../../src/market/simulated-market.js";
import { Harness, tempDir } from "../support/harness.js";

const SAMPLES = "samples/replay";
const AGG = "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker";

describe("replay files", () => {
  it("names the symbol as Binance names its files", () => {
    expect(symbolOfFile("data/BTCUSD_PERP-aggTrades-2026-11-30.csv")).toBe("BTCUSD_PERP");
    expect(symbolOfFile("ETHUSD_PERP-1m-2026-11-30.csv")).toBe("ETHUSD_PERP");
    expect(symbolOfFile("BTCUSD_261225-4h-2026-11.csv")).toBe("BTCUSD_261225");
    expect(symbolOfFile("prices.csv")).toBeUndefined();
  });

  it("reads aggTrades rows, with the header or without", () => {
    const rows = "1,30000.1,2,1,1,1000,false\n2,30001.5,1,2,3,2500,true\n";
    const expected = {
      symbol: "BTCUSD_PERP",
      points: [
        [1000, 30000.1],
        [2500, 30001.5],
      ],
    };
    expect(readReplay(rows, "BTCUSD_PERP")).toEqual(expected);
    expect(readReplay(`${AGG}\n${rows}`, "BTCUSD_PERP")).toEqual(expected);
  });

  it("walks a kline open, nearer extreme, the other, close, at its quarters", () => {
    const up = "0,100,110,99,108,5,59999,0.05,3,2,0.02,0\n";
    expect(readReplay(up, "X").points).toEqual([
      [0, 100],
      [15000, 99],
      [30000, 110],
      [45000, 108],
    ]);
  });

  it("says which line it cannot read", () => {
    expect(() => readReplay(`${AGG}\n1,30000,1,1,1,1000,false\n1,2,3\n`, "X")).toThrow(
      new RangeError("line 3 is neither a COIN-M aggTrades row nor a klines row: 1,2,3"),
    );
    expect(() => readReplay(`${AGG}\n`, "X")).toThrow(new RangeError("it holds no price"));
  });

  it("follows the file at its speed, joined in time order, and holds after its end", () => {
    const later = readReplay("3,102,1,3,3,4000,false\n", "X");
    const first = readReplay("1,100,1,1,1,1000,false\n2,101,1,2,2,2000,false\n", "X");
    const r = new ReplayedReference(joinReplays([later, first]), 2);
    expect(r.price).toBe(100);
    r.step(400);
    expect(r.price).toBe(100);
    r.step(100);
    expect(r.price).toBe(101);
    r.step(1000);
    expect(r.price).toBe(102);
    r.step(60_000);
    expect(r.price).toBe(102);
    r.jump(10);
    expect(r.price).toBeCloseTo(112.2, 9);
  });
});

describe("the shipped samples", () => {
  it("are exactly what the project writes", async () => {
    const dir = tempDir();
    await writeSamples(dir);
    for (const file of fs.readdirSync(SAMPLES))
      expect(fs.readFileSync(path.join(dir, file), "utf8"), file).toBe(
        fs.readFileSync(path.join(SAMPLES, file), "utf8"),
      );
    expect(fs.readdirSync(dir).sort()).toEqual(fs.readdirSync(SAMPLES).sort());
  });
});

describe("a market on a replayed reference", () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it("trades where the file's prices go", async () => {
    h = await Harness.start();
    const file = readReplay(
      fs.readFileSync(`${SAMPLES}/BTCUSD_PERP-aggTrades-2026-11-30.csv`, "utf8"),
      "BTCUSD_PERP",
    );
    const replay = new ReplayedReference(file, 1);
    const market = await SimulatedMarket.open(
      h.venue,
      defaultSettings(h.venue.symbols(), 1),
      () => h!.clock,
      new Map([["BTCUSD", replay]]),
    );
    for (let i = 0; i < 5; i++) {
      h.clock += 60_000;
      await market.advance(h.clock);
    }
    // Five minutes into the file.
    const start = file.points[0]![0];
    const due = [...file.points].reverse().find(([t]) => t <= start + 5 * 60_000)![1];
    expect(market.referencePrice("BTCUSD_PERP")).toBe(due);
    const trades = (await h.request("GET", "/dapi/v1/trades?symbol=BTCUSD_PERP&limit=5")).body as {
      price: string;
    }[];
    expect(Math.abs(Number(trades.at(-1)!.price) / due - 1)).toBeLessThan(0.001);
    expect(market.describe()).toMatchObject({ replayed: ["BTCUSD"] });
  });
});
