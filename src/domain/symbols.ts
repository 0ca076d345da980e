// The contracts the venue lists, kept as data in one place: everything the engine,
// the filters and /dapi/v1/exchangeInfo need comes from this table. Values are
// Binance's COIN-M ones; decimals stay strings here, as on the wire, and are turned
// into integer ticks and steps once by `compileSymbol`.

import { parseDecimal, type Scaled } from "./decimal.js";
import { deliveryOf, nextDelivery, previousDelivery, quarterlyName } from "./quarterlies.js";

export type ContractType = "PERPETUAL" | "CURRENT_QUARTER" | "NEXT_QUARTER";
export type ContractStatus = "TRADING" | "PENDING_TRADING" | "PRE_DELIVERING" | "DELIVERING" | "DELIVERED";

export interface SymbolData {
  readonly symbol: string;
  readonly pair: string;
  readonly contractType: ContractType;
  readonly deliveryDate: number;
  readonly onboardDate: number;
  readonly contractStatus: ContractStatus;
  /** USD per contract. */
  readonly contractSize: number;
  readonly marginAsset: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly maintMarginPercent: string;
  readonly requiredMarginPercent: string;
  readonly pricePrecision: number;
  readonly quantityPrecision: number;
  readonly baseAssetPrecision: number;
  readonly quotePrecision: number;
  readonly equalQtyPrecision: number;
  readonly triggerProtect: string;
  readonly liquidationFee: string;
  readonly marketTakeBound: string;
  readonly underlyingType: string;
  readonly underlyingSubType: readonly string[];
  readonly priceFilter: { readonly minPrice: string; readonly maxPrice: string; readonly tickSize: string };
  readonly lotSize: { readonly minQty: string; readonly maxQty: string; readonly stepSize: string };
  readonly marketLotSize: { readonly minQty: string; readonly maxQty: string; readonly stepSize: string };
  readonly maxNumOrders: number;
  /** MAX_NUM_ALGO_ORDERS: open conditional orders per symbol (listed; conditional orders come later). */
  readonly maxNumAlgoOrders: number;
  /** Amendments allowed per order (dapi's `maxMoveOrderLimit`); listed, not yet enforced. */
  readonly maxMoveOrderLimit: number;
  readonly percentPrice: {
    readonly multiplierUp: string;
    readonly multiplierDown: string;
    readonly multiplierDecimal: string;
  };
}

const PERPETUAL_DELIVERY = 4133404800000;

function perpetual(
  base: string,
  o: Pick<SymbolData, "contractSize" | "onboardDate" | "pricePrecision" | "underlyingSubType"> & {
    tickSize: string;
    minPrice: string;
    maxPrice: string;
    maxQty: string;
    marketMaxQty: string;
    multiplierUp?: string;
    multiplierDown?: string;
    maintMarginPercent?: string;
    requiredMarginPercent?: string;
    triggerProtect?: string;
    liquidationFee?: string;
    marketTakeBound?: string;
  },
): SymbolData {
  return {
    symbol: `${base}USD_PERP`,
    pair: `${base}USD`,
    contractType: "PERPETUAL",
    deliveryDate: PERPETUAL_DELIVERY,
    onboardDate: o.onboardDate,
    contractStatus: "TRADING",
    contractSize: o.contractSize,
    marginAsset: base,
    baseAsset: base,
    quoteAsset: "USD",
    maintMarginPercent: o.maintMarginPercent ?? "2.5000",
    requiredMarginPercent: o.requiredMarginPercent ?? "5.0000",
    pricePrecision: o.pricePrecision,
    quantityPrecision: 0,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    equalQtyPrecision: 4,
    triggerProtect: o.triggerProtect ?? "0.0500",
    liquidationFee: o.liquidationFee ?? "0.015000",
    marketTakeBound: o.marketTakeBound ?? "0.05",
    underlyingType: "COIN",
    underlyingSubType: o.underlyingSubType,
    priceFilter: { minPrice: o.minPrice, maxPrice: o.maxPrice, tickSize: o.tickSize },
    lotSize: { minQty: "1", maxQty: o.maxQty, stepSize: "1" },
    marketLotSize: { minQty: "1", maxQty: o.marketMaxQty, stepSize: "1" },
    maxNumOrders: 200,
    maxNumAlgoOrders: 20,
    maxMoveOrderLimit: 10000,
    percentPrice: {
      multiplierUp: o.multiplierUp ?? "1.0500",
      multiplierDown: o.multiplierDown ?? "0.9500",
      multiplierDecimal: "4",
    },
  };
}

// BTCUSD_PERP and ETHUSD_PERP are the live entries as captured in 2025 (public client
// fixtures); the quarterly as captured in September 2026. For the other perpetuals the
// contract size and tick size are Binance's; their price bounds and market-order caps
// are the venue's choice (no recent capture was found) and follow the BTC/ETH pattern.
export const SYMBOLS: readonly SymbolData[] = [
  perpetual("BTC", {
    contractSize: 100,
    onboardDate: 1597042800000,
    pricePrecision: 1,
    tickSize: "0.1",
    minPrice: "1000",
    maxPrice: "4520958",
    maxQty: "1000000",
    marketMaxQty: "60000",
    underlyingSubType: ["PoW"],
  }),
  perpetual("ETH", {
    contractSize: 10,
    onboardDate: 1597734000000,
    pricePrecision: 2,
    tickSize: "0.01",
    minPrice: "50",
    maxPrice: "306159",
    maxQty: "1000000",
    marketMaxQty: "500000",
    underlyingSubType: ["Layer-1"],
  }),
  perpetual("BNB", {
    contractSize: 10,
    onboardDate: 1599548400000,
    pricePrecision: 3,
    tickSize: "0.001",
    minPrice: "6.600",
    maxPrice: "100000",
    maxQty: "1000000",
    marketMaxQty: "50000",
    underlyingSubType: ["BNB"],
  }),
  perpetual("LINK", {
    contractSize: 10,
    onboardDate: 1598338800000,
    pricePrecision: 3,
    tickSize: "0.001",
    minPrice: "0.500",
    maxPrice: "10000",
    maxQty: "1000000",
    marketMaxQty: "50000",
    underlyingSubType: ["Oracle"],
  }),
  perpetual("XRP", {
    contractSize: 10,
    onboardDate: 1602028800000,
    pricePrecision: 4,
    tickSize: "0.0001",
    minPrice: "0.0143",
    maxPrice: "1000",
    maxQty: "1000000",
    marketMaxQty: "50000",
    underlyingSubType: ["Payment"],
  }),
  perpetual("DOGE", {
    contractSize: 10,
    onboardDate: 1612162800000,
    pricePrecision: 6,
    tickSize: "0.000010",
    minPrice: "0.002440",
    maxPrice: "30",
    maxQty: "1000000",
    marketMaxQty: "50000",
    underlyingSubType: ["Meme"],
  }),
  {
    symbol: "BTCUSD_261225",
    pair: "BTCUSD",
    contractType: "CURRENT_QUARTER",
    deliveryDate: 1798185600000,
    onboardDate: 1766563200000,
    contractStatus: "TRADING",
    contractSize: 100,
    marginAsset: "BTC",
    baseAsset: "BTC",
    quoteAsset: "USD",
    maintMarginPercent: "2.5000",
    requiredMarginPercent: "5.0000",
    pricePrecision: 1,
    quantityPrecision: 0,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    equalQtyPrecision: 4,
    triggerProtect: "0.0500",
    liquidationFee: "0.007500",
    marketTakeBound: "0.05",
    underlyingType: "COIN",
    underlyingSubType: [],
    priceFilter: { minPrice: "2109.4", maxPrice: "3515698.4", tickSize: "0.1" },
    lotSize: { minQty: "1", maxQty: "1000000", stepSize: "1" },
    marketLotSize: { minQty: "0", maxQty: "20000", stepSize: "1" },
    maxNumOrders: 200,
    maxNumAlgoOrders: 20,
    maxMoveOrderLimit: 10000,
    percentPrice: { multiplierUp: "1.0500", multiplierDown: "0.9500", multiplierDecimal: "4" },
  },
];

/** A symbol with its decimal rules turned into integers for the hot path. */
export interface SymbolSpec extends SymbolData {
  /** Tick size as a decimal: price = ticks × tick.units × 10^-tick.scale. */
  readonly tick: Scaled;
  /** Price filter bounds in ticks (0 disables). */
  readonly minPriceTicks: number;
  readonly maxPriceTicks: number;
  readonly lot: StepRule;
  readonly marketLot: StepRule;
  readonly multiplierUp: Scaled;
  readonly multiplierDown: Scaled;
}

/** Quantity bounds in contracts; `step` 0 disables the step rule. */
export interface StepRule {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

function decimal(text: string): Scaled {
  const value = parseDecimal(text);
  if (!value) throw new Error(`bad decimal in symbol data: ${text}`);
  return value;
}

function wholeContracts(text: string): number {
  const value = decimal(text);
  if (value.scale !== 0) throw new Error(`quantities are whole contracts: ${text}`);
  return Number(value.units);
}

/** Price text → ticks when it is an exact multiple of the tick; undefined otherwise. */
export function priceToTicks(tick: Scaled, price: Scaled): bigint | undefined {
  const scale = Math.max(tick.scale, price.scale);
  const p = price.units * 10n ** BigInt(scale - price.scale);
  const t = tick.units * 10n ** BigInt(scale - tick.scale);
  return p % t === 0n ? p / t : undefined;
}

export function compileSymbol(data: SymbolData): SymbolSpec {
  const tick = decimal(data.priceFilter.tickSize);
  const ticksOf = (text: string): number => {
    const ticks = priceToTicks(tick, decimal(text));
    if (ticks === undefined) throw new Error(`${data.symbol}: ${text} is not a multiple of the tick`);
    return Number(ticks);
  };
  const stepRule = (rule: SymbolData["lotSize"]): StepRule => ({
    min: wholeContracts(rule.minQty),
    max: wholeContracts(rule.maxQty),
    step: wholeContracts(rule.stepSize),
  });
  return {
    ...data,
    tick,
    minPriceTicks: ticksOf(data.priceFilter.minPrice),
    maxPriceTicks: ticksOf(data.priceFilter.maxPrice),
    lot: stepRule(data.lotSize),
    marketLot: stepRule(data.marketLotSize),
    multiplierUp: decimal(data.percentPrice.multiplierUp),
    multiplierDown: decimal(data.percentPrice.multiplierDown),
  };
}

const COMPILED = new Map(SYMBOLS.map((s) => [s.symbol, compileSymbol(s)]));
/** The first quarterly of each pair in the table: the template of the ones after it. */
const FIRST_QUARTERLY = new Map(
  SYMBOLS.filter((s) => s.contractType !== "PERPETUAL").map((s) => [s.pair, COMPILED.get(s.symbol)!]),
);

/**
 * A listed contract by name: one of the table's, or a quarterly after the table's first
 * of its pair (domain/quarterlies.ts), with that one's rules, listed from the delivery
 * before its own.
 */
export function findSymbol(symbol: string): SymbolSpec | undefined {
  const known = COMPILED.get(symbol);
  if (known) return known;
  const quarterly = deliveryOf(symbol);
  const first = quarterly && FIRST_QUARTERLY.get(quarterly.pair);
  if (!quarterly || !first || quarterly.delivery <= first.deliveryDate) return undefined;
  const spec: SymbolSpec = {
    ...first,
    symbol,
    deliveryDate: quarterly.delivery,
    onboardDate: previousDelivery(quarterly.delivery),
  };
  COMPILED.set(symbol, spec);
  return spec;
}

/**
 * The contracts listed at `now`: the perpetuals and each pair's quarterly that delivers
 * next (the table's first until it delivers). Without a time, the table as it stands.
 */
export function listSymbols(now?: number): SymbolSpec[] {
  const table = SYMBOLS.map((s) => COMPILED.get(s.symbol)!);
  if (now === undefined) return table;
  return table.map((spec) =>
    spec.contractType === "PERPETUAL" || now < spec.deliveryDate
      ? spec
      : findSymbol(quarterlyName(spec.pair, nextDelivery(now)))!,
  );
}

/** Whether the contract trades at `now`: listed by then and not yet delivered. */
export function tradingAt(spec: SymbolSpec, now: number): boolean {
  if (spec.contractStatus !== "TRADING") return false;
  if (spec.contractType === "PERPETUAL") return true;
  const first = FIRST_QUARTERLY.get(spec.pair);
  return now < spec.deliveryDate && (spec === first || now >= spec.onboardDate);
}

/** The coins the venue's contracts are margined in, in listing order: the assets an account can hold margin in. */
export function marginAssets(): string[] {
  return [...new Set(listSymbols().map((s) => s.marginAsset))];
}
