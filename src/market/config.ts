// The simulated market's configuration file (`serve --market-config FILE`) and the
// admin's live changes: JSON checked against a schema (ajv), every error said with the
// path of the value at fault, then laid over the defaults (settings.ts). A file may give
// any part: the seed, the step, and per pair its reference, per contract its premium,
// maker and takers; what it leaves out keeps its default.

import { Ajv, type ErrorObject } from "ajv";
import type { SymbolSpec } from "../domain/symbols.js";
import type { ReferenceSettings } from "./reference.js";
import type { ContractSettings, MakerSettings, MarketSettings, TakerSettings } from "./settings.js";

const number = (minimum: number, maximum: number) => ({ type: "number", minimum, maximum });
const integer = (minimum: number, maximum: number) => ({ type: "integer", minimum, maximum });
const object = (properties: Record<string, unknown>) => ({
  type: "object",
  additionalProperties: false,
  properties,
});

const REFERENCE = object({
  start: { type: "number", exclusiveMinimum: 0 },
  volatility: number(0, 10),
  drift: number(-10, 10),
  jumpsPerDay: number(0, 10_000),
  jumpPct: number(0, 50),
  reversion: number(0, 100_000),
});
const MAKER = object({
  halfSpreadTicks: integer(1, 1_000_000),
  // Two sides of `levels` orders stay within Binance's 200 open orders a symbol.
  levels: integer(1, 100),
  stepTicks: integer(1, 1_000_000),
  size: integer(1, 1_000_000),
  sizeGrowth: number(0, 10),
  skewTicks: number(0, 1_000_000),
  maxInventory: { type: "number", exclusiveMinimum: 0 },
  refreshMs: integer(100, 3_600_000),
});
const TAKER = object({
  perMinute: number(0, 6000),
  excitation: number(0, 6000),
  excitationHalfLifeMs: integer(1, 3_600_000),
  meanSize: number(1, 1_000_000),
  maxInventory: { type: "number", exclusiveMinimum: 0 },
});
const CONTRACT = object({ premiumPct: number(-50, 50), maker: MAKER, taker: TAKER });

export interface MarketConfig {
  readonly seed?: number;
  readonly stepMs?: number;
  readonly pairs?: Readonly<Record<string, Partial<ReferenceSettings>>>;
  readonly contracts?: Readonly<
    Record<string, { premiumPct?: number; maker?: Partial<MakerSettings>; taker?: Partial<TakerSettings> }>
  >;
}

/** A contract's live change: its premium, maker, takers, and its pair's reference. */
export interface ContractPatch {
  readonly premiumPct?: number;
  readonly maker?: Partial<MakerSettings>;
  readonly taker?: Partial<TakerSettings>;
  readonly reference?: Partial<ReferenceSettings>;
}

const ajv = new Ajv({ allErrors: true });

function say(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .filter((e) => e.keyword !== "propertyNames")
    .map((e) => {
      const at = e.instancePath === "" ? "the top level" : e.instancePath;
      if (e.keyword === "additionalProperties")
        return `${at} has no setting '${(e.params as { additionalProperty: string }).additionalProperty}'`;
      // An unknown pair or contract: ajv names it in `propertyName`.
      if (e.propertyName !== undefined) {
        const allowed = (e.params as { allowedValues?: string[] }).allowedValues ?? [];
        return `${at} has no '${e.propertyName}' (the venue lists ${allowed.join(", ")})`;
      }
      return `${at} ${e.message}`;
    })
    .join("; ");
}

/** Checks a configuration file's JSON against the listed pairs and contracts; throws a RangeError saying every fault. */
export function readConfig(json: unknown, symbols: readonly SymbolSpec[]): MarketConfig {
  const pairs = [...new Set(symbols.map((s) => s.pair))];
  const names = symbols.map((s) => s.symbol);
  const schema = object({
    seed: integer(0, 2 ** 31 - 1),
    stepMs: integer(10, 60_000),
    pairs: {
      type: "object",
      propertyNames: { enum: pairs },
      additionalProperties: REFERENCE,
    },
    contracts: { type: "object", propertyNames: { enum: names }, additionalProperties: CONTRACT },
  });
  const check = ajv.compile(schema);
  if (!check(json)) throw new RangeError(say(check.errors));
  return json as MarketConfig;
}

/** A live change of one contract, checked as the file's parts are. */
export function readPatch(json: unknown): ContractPatch {
  const check = ajv.compile({ ...CONTRACT, properties: { ...CONTRACT.properties, reference: REFERENCE } });
  if (!check(json)) throw new RangeError(say(check.errors));
  return json as ContractPatch;
}

/** The defaults with a configuration laid over them; `seed` (the CLI's) wins over the file's. */
export function applyConfig(
  defaults: MarketSettings,
  config: MarketConfig,
  seed: number | undefined,
): MarketSettings {
  const pairs: Record<string, ReferenceSettings> = { ...defaults.pairs };
  for (const [pair, r] of Object.entries(config.pairs ?? {})) pairs[pair] = { ...pairs[pair]!, ...r };
  const contracts: Record<string, ContractSettings> = { ...defaults.contracts };
  for (const [symbol, c] of Object.entries(config.contracts ?? {})) {
    const base = contracts[symbol];
    if (!base) continue;
    contracts[symbol] = patchContract(base, c);
  }
  return {
    seed: seed ?? config.seed ?? defaults.seed,
    stepMs: config.stepMs ?? defaults.stepMs,
    pairs,
    contracts,
  };
}

export function patchContract(base: ContractSettings, patch: ContractPatch): ContractSettings {
  const taker = { ...base.taker, ...patch.taker };
  // Each arrival begets this many more on average; at one or more the bursts never end.
  const branching = (taker.excitation * taker.excitationHalfLifeMs) / Math.LN2 / 60_000;
  if (branching >= 1)
    throw new RangeError(
      `taker excitation ${taker.excitation} with a half-life of ${taker.excitationHalfLifeMs} ms makes each trade beget ${branching.toFixed(2)} more; keep it below 1`,
    );
  return { premiumPct: patch.premiumPct ?? base.premiumPct, maker: { ...base.maker, ...patch.maker }, taker };
}
