// Decimal strings <-> scaled integers. Binance sends and expects decimals as strings;
// inside the venue every price and quantity is an integer, so conversion happens only
// here, exactly (bigint), never through floating point.

/** A decimal as integer `units` of 10^-`scale`: "30010.50" → { units: 3001050n, scale: 2 }. */
export interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^(-?)([0-9]{1,20})(?:\.([0-9]{1,20}))?$/;

/** Parses a plain decimal (optional minus, no exponent); undefined when malformed. */
export function parseDecimal(text: string): Scaled | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const units = BigInt((m[2] ?? "0") + frac);
  return { units: m[1] === "-" ? -units : units, scale: frac.length };
}

/** Same value at a larger scale (exact). */
export function rescale(value: Scaled, scale: number): bigint {
  if (scale < value.scale) throw new RangeError("rescale would lose digits");
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** Plain decimal text, trailing zeros stripped, no exponent: (3001050n, 2) → "30010.5". */
export function formatStripped(units: bigint, scale: number): string {
  const text = formatFixed(units, scale);
  if (scale === 0) return text;
  const stripped = text.replace(/0+$/, "");
  return stripped.endsWith(".") ? stripped.slice(0, -1) : stripped;
}

/** Decimal text with exactly `scale` decimals: (0n, 1) → "0.0", (300105n, 1) → "30010.5". */
export function formatFixed(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(scale + 1, "0");
  const head = padded.slice(0, padded.length - scale);
  const tail = padded.slice(padded.length - scale);
  return `${negative ? "-" : ""}${head}.${tail}`;
}

/** num/den rounded half away from zero (den > 0). */
export function divHalfUp(num: bigint, den: bigint): bigint {
  if (num >= 0n) return (2n * num + den) / (2n * den);
  return -((2n * -num + den) / (2n * den));
}

/** num/den truncated toward zero (den > 0). */
export function divTrunc(num: bigint, den: bigint): bigint {
  return num / den;
}
