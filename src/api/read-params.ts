// Readers for endpoint parameters with Binance's rules and errors: mandatory (-1102),
// LONG syntax (-1100), enums (their own codes), decimals (-1100), symbols (-1121).
// An optional parameter sent empty counts as not sent.

import { parseDecimal, type Scaled } from "../domain/decimal.js";
import { type ErrorName, VenueError } from "../domain/errors.js";
import { findSymbol, type SymbolSpec } from "../domain/symbols.js";

const LONG = /^[0-9]{1,20}$/;
const LONG_RANGE = "^[0-9]{1,20}$";
const DECIMAL_RANGE = "^([0-9]{1,20})(\\.[0-9]{1,20})?$";

export class ParamReader {
  constructor(readonly values: ReadonlyMap<string, string>) {}

  /** The value, or undefined when absent or empty. */
  optional(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === "" ? undefined : v;
  }

  required(name: string): string {
    const v = this.optional(name);
    if (v === undefined) throw new VenueError("MANDATORY_PARAM", name);
    return v;
  }

  symbol(): SymbolSpec {
    const spec = findSymbol(this.required("symbol"));
    if (!spec) throw new VenueError("INVALID_SYMBOL");
    return spec;
  }

  /** An optional symbol; present but unknown is -1121. */
  optionalSymbol(): SymbolSpec | undefined {
    const name = this.optional("symbol");
    if (name === undefined) return undefined;
    const spec = findSymbol(name);
    if (!spec) throw new VenueError("INVALID_SYMBOL");
    return spec;
  }

  long(name: string): number | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (!LONG.test(v)) throw new VenueError("ILLEGAL_CHARS", name, LONG_RANGE);
    return Number(v);
  }

  decimal(name: string, mandatory: boolean): Scaled | undefined {
    const v = mandatory ? this.required(name) : this.optional(name);
    if (v === undefined) return undefined;
    const d = parseDecimal(v);
    if (!d) throw new VenueError("ILLEGAL_CHARS", name, DECIMAL_RANGE);
    return d;
  }

  enumOf<T extends string>(name: string, allowed: readonly T[], error: ErrorName, mandatory: true): T;
  enumOf<T extends string>(
    name: string,
    allowed: readonly T[],
    error: ErrorName,
    mandatory: false,
  ): T | undefined;
  enumOf<T extends string>(
    name: string,
    allowed: readonly T[],
    error: ErrorName,
    mandatory: boolean,
  ): T | undefined {
    const v = mandatory ? this.required(name) : this.optional(name);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw new VenueError(error, name);
    return v as T;
  }

  /** `limit`: `fallback` when not sent, else 1 to `max` (-1130 outside). */
  limit(fallback: number, max: number): number {
    const limit = this.long("limit") ?? fallback;
    if (limit < 1 || limit > max) throw new VenueError("INVALID_PARAM_VALUE", "limit");
    return limit;
  }

  /** `startTime` and `endTime`, each optional; a start after the end is -1023. */
  timeRange(): { startTime: number | undefined; endTime: number | undefined } {
    const startTime = this.long("startTime");
    const endTime = this.long("endTime");
    if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
      throw new VenueError("START_AFTER_END");
    }
    return { startTime, endTime };
  }

  /** `"true"` / `"false"` as Binance sends booleans. */
  bool(name: string): boolean | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (v !== "true" && v !== "false") throw new VenueError("INVALID_PARAM_VALUE", name);
    return v === "true";
  }
}
