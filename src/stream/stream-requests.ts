// What a market-stream client may send, read as Binance's stream servers read it:
// SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY and GET_PROPERTY, each with
// an `id` echoed back in its own JSON type. A request that cannot be taken gets the
// error Binance answers, as `{"error":{"code","msg"},"id"}`: code 3 for text that is not
// JSON, 2 for a malformed request, 1 for a property value of the wrong type, 0 for an
// unknown property. Pure: text in, a request or an error out.
//
// Venue choices where Binance's pages leave room:
// - `id` is a non-negative integer or a string (Binance's official COIN-M connector sends
//   32-hex strings and dstream answers them); anything else, or none, is code 2.
// - Positions in messages are 1-based line and column, as Binance's server prints them:
//   for bad JSON, the character where reading stopped; for a missing field, the end of
//   the object; for an unknown method, the end of its value. Every JSON fault is worded
//   "expected value".
// - A stream name is well formed when it is one or more parts of letters, digits, `_`
//   and `!` joined by `@`; anything else is "invalid stream", as Binance answers a name
//   with a space in it. A well-formed name of no listed stream is accepted and carries
//   nothing.

export type RequestId = number | string;

export type StreamRequest =
  | {
      readonly method: "SUBSCRIBE" | "UNSUBSCRIBE";
      readonly id: RequestId;
      readonly streams: readonly string[];
    }
  | { readonly method: "LIST_SUBSCRIPTIONS"; readonly id: RequestId }
  | { readonly method: "SET_PROPERTY"; readonly id: RequestId; readonly combined: boolean }
  | { readonly method: "GET_PROPERTY"; readonly id: RequestId };

export interface StreamError {
  readonly error: { readonly code: number; readonly msg: string };
  readonly id: RequestId | null;
}

const METHODS = ["SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "GET_PROPERTY"] as const;
const STREAM_NAME = /^[A-Za-z0-9_!]+(@[A-Za-z0-9_!]+)*$/;

/** Whether a name is a well-formed stream name (the venue choice above). */
export function isStreamName(name: string): boolean {
  return STREAM_NAME.test(name);
}

const fail = (code: number, msg: string, id: RequestId | null = null): StreamError => ({
  error: { code, msg },
  id,
});

/** Reads one text frame into a request, or the error to answer it with. */
export function readRequest(text: string): StreamRequest | StreamError {
  const scan = scanJson(text);
  if (scan.errorAt !== undefined)
    return fail(3, `Invalid JSON: expected value at ${position(text, scan.errorAt)}`);
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail(2, `Invalid request: expected a request object at ${position(text, text.length)}`);
  const request = value as Record<string, unknown>;
  const rawId = request.id;
  const id =
    (typeof rawId === "number" && Number.isSafeInteger(rawId) && rawId >= 0) || typeof rawId === "string"
      ? rawId
      : undefined;
  if (!("method" in request))
    return fail(
      2,
      `Invalid request: missing field \`method\` at ${position(text, scan.objectEnd)}`,
      id ?? null,
    );
  const method = request.method;
  if (typeof method !== "string" || !(METHODS as readonly string[]).includes(method)) {
    const shown = typeof method === "string" ? method : JSON.stringify(method);
    return fail(
      2,
      `Invalid request: unknown variant \`${shown}\`, expected one of ${METHODS.map((m) => `\`${m}\``).join(", ")} at ${position(text, scan.valueEnds.get("method") ?? text.length)}`,
      id ?? null,
    );
  }
  if (id === undefined) return fail(2, "Invalid request: request ID must be an unsigned integer");
  const params = request.params;
  switch (method as (typeof METHODS)[number]) {
    case "SUBSCRIBE":
    case "UNSUBSCRIBE": {
      if (!Array.isArray(params))
        return fail(2, `Invalid request: missing field \`params\` at ${position(text, scan.objectEnd)}`, id);
      if (!params.every((p): p is string => typeof p === "string" && STREAM_NAME.test(p)))
        return fail(2, "Invalid request: invalid stream", id);
      return { method: method as "SUBSCRIBE" | "UNSUBSCRIBE", id, streams: params };
    }
    case "LIST_SUBSCRIPTIONS":
      if (params !== undefined && !(Array.isArray(params) && params.length === 0))
        return fail(2, "Invalid request: too many parameters", id);
      return { method: "LIST_SUBSCRIPTIONS", id };
    case "SET_PROPERTY":
    case "GET_PROPERTY": {
      const list = Array.isArray(params) ? params : [];
      const name = list[0];
      if (typeof name !== "string") return fail(2, "Invalid request: property name must be a string", id);
      const arity = method === "SET_PROPERTY" ? 2 : 1;
      if (list.length > arity) return fail(2, "Invalid request: too many parameters", id);
      if (name !== "combined") return fail(0, "Unknown property", id);
      if (method === "GET_PROPERTY") return { method: "GET_PROPERTY", id };
      const on = list[1];
      if (typeof on !== "boolean") return fail(1, "Invalid value type: expected Boolean", id);
      return { method: "SET_PROPERTY", id, combined: on };
    }
  }
}

export function isStreamError(r: StreamRequest | StreamError): r is StreamError {
  return "error" in r;
}

/** `line L column C` of a character offset, both 1-based. */
function position(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `line ${line} column ${Math.max(1, offset - start)}`;
}

interface Scan {
  /** Offset of the character where reading stopped; undefined for valid JSON. */
  readonly errorAt: number | undefined;
  /** Offset just past the top-level object's closing brace. */
  readonly objectEnd: number;
  /** For each key of the top-level object, the offset just past its value. */
  readonly valueEnds: Map<string, number>;
}

/**
 * A small JSON reader that only finds where text stops being JSON, and where the
 * top-level object's values end; JSON.parse builds the value once the text passes.
 */
function scanJson(text: string): Scan {
  let i = 0;
  const valueEnds = new Map<string, number>();
  let objectEnd = text.length;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  class Stop extends Error {}
  const stop = (): never => {
    throw new Stop();
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else stop();
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) stop();
      i++;
    }
    if (i >= text.length) stop();
    i++;
    return text.slice(start + 1, i - 1);
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) stop();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    // serde_json, which Binance's servers read with, stops at 128 levels; so does the stack here.
    if (depth > 128) stop();
    ws();
    const c = text[i];
    if (c === "{") object(depth);
    else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return;
        } else stop();
      }
    } else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else number();
  };
  const object = (depth: number) => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      if (depth === 0) objectEnd = i;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') stop();
      const key = string();
      ws();
      if (text[i] !== ":") stop();
      i++;
      value(depth + 1);
      if (depth === 0) valueEnds.set(key, i);
      ws();
      if (text[i] === ",") i++;
      else if (text[i] === "}") {
        i++;
        if (depth === 0) objectEnd = i;
        return;
      } else stop();
    }
  };
  try {
    value(0);
    ws();
    if (i < text.length) stop();
    return { errorAt: undefined, objectEnd, valueEnds };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { errorAt: Math.min(i, text.length) + 1, objectEnd, valueEnds };
  }
}
