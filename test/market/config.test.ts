// The simulated market's configuration: a file's parts laid over the defaults, and every
// fault said with the path of the value at fault.
import { describe, expect, it } from "vitest";
import { listSymbols } from "../../src/domain/symbols.js";
import { applyConfig, readConfig, readPatch } from "../../src/market/config.js";
import { defaultSettings } from "../../src/market/settings.js";

const symbols = listSymbols();
const defaults = defaultSettings(symbols, 1);

describe("the market configuration", () => {
  it("lays what a file gives over the defaults and keeps the rest", () => {
    const config = readConfig(
      {
        seed: 9,
        pairs: { BTCUSD: { start: 60000, volatility: 0.3 } },
        contracts: { ETHUSD_PERP: { maker: { levels: 5 }, taker: { perMinute: 120 } } },
      },
      symbols,
    );
    const settings = applyConfig(defaults, config, undefined);
    expect(settings.seed).toBe(9);
    expect(settings.pairs.BTCUSD).toEqual({ ...defaults.pairs.BTCUSD, start: 60000, volatility: 0.3 });
    expect(settings.contracts.ETHUSD_PERP!.maker).toEqual({
      ...defaults.contracts.ETHUSD_PERP!.maker,
      levels: 5,
    });
    expect(settings.contracts.ETHUSD_PERP!.taker.perMinute).toBe(120);
    expect(settings.contracts.BTCUSD_PERP).toEqual(defaults.contracts.BTCUSD_PERP);
  });

  it("lets the command line's seed win over the file's", () => {
    expect(applyConfig(defaults, readConfig({ seed: 9 }, symbols), 4).seed).toBe(4);
  });

  it.each([
    [{ speed: 1 }, "the top level has no setting 'speed'"],
    [[], "the top level must be object"],
    [{ seed: -1 }, "/seed must be >= 0"],
    [
      { contracts: { BTCUSD_PERP: { maker: { levels: 0 } } } },
      "/contracts/BTCUSD_PERP/maker/levels must be >= 1",
    ],
    [
      { contracts: { BTCUSD_PERP: { maker: { levels: "5" } } } },
      "/contracts/BTCUSD_PERP/maker/levels must be integer",
    ],
    [
      { contracts: { BTCUSD_PERP: { maker: { depth: 5 } } } },
      "/contracts/BTCUSD_PERP/maker has no setting 'depth'",
    ],
    [{ pairs: { BTCUSD: { start: 0 } } }, "/pairs/BTCUSD/start must be > 0"],
  ])("refuses %j: %s", (json, message) => {
    expect(() => readConfig(json, symbols)).toThrow(new RangeError(message));
  });

  it("names an unknown pair or contract and lists the venue's", () => {
    expect(() => readConfig({ pairs: { XYZUSD: {} } }, symbols)).toThrow(
      "/pairs has no 'XYZUSD' (the venue lists BTCUSD, ETHUSD, BNBUSD, LINKUSD, XRPUSD, DOGEUSD)",
    );
    expect(() => readConfig({ contracts: { BTCUSD: {} } }, symbols)).toThrow(
      /\/contracts has no 'BTCUSD' \(the venue lists BTCUSD_PERP, /,
    );
  });

  it("says every fault at once", () => {
    expect(() => readConfig({ seed: "x", stepMs: 1 }, symbols)).toThrow(
      new RangeError("/seed must be integer; /stepMs must be >= 10"),
    );
  });

  it("checks a live change of one contract the same way", () => {
    expect(readPatch({ maker: { levels: 3 }, reference: { volatility: 1 } })).toEqual({
      maker: { levels: 3 },
      reference: { volatility: 1 },
    });
    expect(() => readPatch({ taker: { perMinute: -1 } })).toThrow(
      new RangeError("/taker/perMinute must be >= 0"),
    );
  });
});

describe("Hawkes takers", () => {
  it("refuses an excitation whose bursts would never end", () => {
    const config = readConfig(
      { contracts: { BTCUSD_PERP: { taker: { excitation: 12, excitationHalfLifeMs: 5000 } } } },
      symbols,
    );
    expect(() => applyConfig(defaults, config, undefined)).toThrow(
      new RangeError(
        "taker excitation 12 with a half-life of 5000 ms makes each trade beget 1.44 more; keep it below 1",
      ),
    );
  });
});
