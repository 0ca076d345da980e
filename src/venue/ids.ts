// Random identifiers in Binance's shapes: API keys and secrets (64 alphanumerics),
// generated client order ids (22), account aliases (16 letters). Drawn from the
// crypto RNG with rejection sampling, so every character is equally likely.

import { randomBytes } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export const newApiKey = (): string => randomString(ALPHANUMERIC, 64);
export const newSecretKey = (): string => randomString(ALPHANUMERIC, 64);
export const newClientOrderId = (): string => randomString(ALPHANUMERIC, 22);
export const newAccountAlias = (): string => randomString(LETTERS, 16);
export const newAdminToken = (): string => randomString(ALPHANUMERIC, 48);

/** What a command drew: replayed as drawn, so a replay makes the same keys, secrets and ids. */
export type DrawKind = "alias" | "apiKey" | "secret" | "clientId";
export interface Draw {
  readonly kind: DrawKind;
  /** null for a secret left out of an exported journal: a replay draws a fresh one. */
  readonly value: string | null;
}

const FRESH: Record<DrawKind, () => string> = {
  alias: newAccountAlias,
  apiKey: newApiKey,
  secret: newSecretKey,
  clientId: newClientOrderId,
};

/**
 * The random identifiers commands draw, one command at a time: each draw is noted for
 * the command's journal entry, and a replayed command takes back the values its entry
 * noted, in order, instead of drawing new ones.
 */
export class IdSource {
  private drawn: Draw[] | undefined;
  private replayed: Draw[] | undefined;

  /** Starts a command; `replayed` are the draws its journal entry noted. */
  begin(replayed?: readonly Draw[]): void {
    this.drawn = undefined;
    this.replayed = replayed === undefined ? undefined : [...replayed];
  }

  /** Ends the command: what it drew, or undefined when nothing. */
  end(): Draw[] | undefined {
    const drawn = this.drawn;
    this.drawn = undefined;
    this.replayed = undefined;
    return drawn;
  }

  draw(kind: DrawKind): string {
    const noted = this.replayed?.shift();
    if (noted !== undefined && noted.kind !== kind)
      throw new Error(`replay drew a ${kind} where the journal noted a ${noted.kind}`);
    const value = noted?.value ?? FRESH[kind]();
    this.drawn ??= [];
    this.drawn.push({ kind, value });
    return value;
  }
}
