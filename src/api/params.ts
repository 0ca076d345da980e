// Binance's request parameters: the raw query string and a form body, mixed freely.
// The query wins when both carry a name; the same name twice in one source is -1101.
// `totalParams` (the signed text) is the raw query and raw body concatenated with no
// separator, each without its `signature` pair, exactly as the bytes arrived.

export interface RequestParams {
  /** Decoded values; the query's value wins over the body's. */
  readonly values: ReadonlyMap<string, string>;
  /** True when one source repeats a name. */
  readonly duplicated: boolean;
  /** The `signature` value, percent-decoded (`+` kept, since base64 signatures contain it). */
  readonly signature: string | undefined;
  /** The signed text: query and body, raw, without the signature pair. */
  readonly totalParams: string;
}

interface Source {
  readonly pairs: Array<[string, string]>;
  readonly duplicated: boolean;
  readonly signature: string | undefined;
  readonly unsigned: string;
}

function decode(text: string, plusIsSpace: boolean): string {
  // Most names and values (symbols, ids, timestamps, hex signatures) need no decoding.
  if (text.indexOf("%") < 0 && (!plusIsSpace || text.indexOf("+") < 0)) return text;
  const spaced = plusIsSpace ? text.replace(/\+/g, " ") : text;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function parseSource(raw: string): Source {
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  let duplicated = false;
  let signature: string | undefined;
  let unsigned = raw;
  let offset = 0;
  for (const part of raw.split("&")) {
    const start = offset;
    offset += part.length + 1;
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decode(eq < 0 ? part : part.slice(0, eq), true);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    if (name === "signature" && signature === undefined) {
      signature = decode(rawValue, false);
      // Drop the pair and the `&` that joins it to its neighbour, leaving the rest byte for byte.
      const before = raw.slice(0, start);
      const after = raw.slice(Math.min(offset, raw.length));
      unsigned = before.endsWith("&") && after === "" ? before.slice(0, -1) : before + after;
      continue;
    }
    if (seen.has(name)) duplicated = true;
    seen.add(name);
    pairs.push([name, decode(rawValue, true)]);
  }
  return { pairs, duplicated, signature, unsigned };
}

export function parseParams(rawQuery: string, rawBody: string): RequestParams {
  const query = parseSource(rawQuery);
  const body = parseSource(rawBody);
  const values = new Map<string, string>();
  for (const [name, value] of body.pairs) values.set(name, value);
  for (const [name, value] of query.pairs) values.set(name, value);
  return {
    values,
    duplicated: query.duplicated || body.duplicated,
    signature: query.signature ?? body.signature,
    totalParams: query.unsigned + (query.signature !== undefined ? rawBody : body.unsigned),
  };
}
