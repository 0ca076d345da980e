// A reference price replayed from Binance's public data files (`serve --market replay`):
// the COIN-M aggTrades CSV (agg_trade_id, price, quantity, first_trade_id,
// last_trade_id, transact_time, is_buyer_maker) or a klines CSV of any interval
// (open_time, open, high, low, close, volume, close_time, …), with or without their
// header row, several files in time order. The symbol comes from the file name as
// Binance names its files (`BTCUSD_PERP-aggTrades-2026-11-30.csv`,
// `BTCUSD_PERP-1m-2026-11-30.csv`) unless given as `SYMBOL=FILE`.
//
// The file's first time is the moment the market opens, and the venue clock runs through
// the file at `speed` times its own pace; the price at a moment is the last one the file
// has at or before it (a kline is walked open, then the nearer of high and low, the other,
// close, at its quarters). After the file's end the price stays where the file left it.

import path from "node:path";
import type { ReferenceSource } from "./reference.js";

export interface ReplayFile {
  readonly symbol: string;
  /** (time, price) in the file's order of time. */
  readonly points: ReadonlyArray<readonly [time: number, price: number]>;
}

const NAME = /^([A-Z0-9]+_[A-Z0-9]+)-(aggTrades|[0-9]+[smhdwM])-/;

/** The symbol a file is named for, as Binance names its public files; undefined when the name says none. */
export function symbolOfFile(file: string): string | undefined {
  return NAME.exec(path.basename(file))?.[1];
}

/** Reads one file's text; a RangeError says the first line that is neither aggTrades nor klines. */
export function readReplay(text: string, symbol: string): ReplayFile {
  const points: Array<readonly [number, number]> = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const f = line.split(",");
    // A header row names its columns instead of numbers.
    if (i === 0 && Number.isNaN(Number(f[0]))) continue;
    const bad = () =>
      new RangeError(
        `line ${i + 1} is neither a COIN-M aggTrades row nor a klines row: ${line.slice(0, 80)}`,
      );
    if (f.length === 7) {
      const price = Number(f[1]);
      const time = Number(f[5]);
      if (!(price > 0) || !Number.isFinite(time)) throw bad();
      points.push([time, price]);
    } else if (f.length === 12) {
      const [open, high, low, close] = [1, 2, 3, 4].map((k) => Number(f[k]));
      const start = Number(f[0]);
      const end = Number(f[6]);
      if (![open, high, low, close].every((p) => p! > 0) || !(end >= start)) throw bad();
      const quarter = (end + 1 - start) / 4;
      // The nearer extreme first, as a candle is most often drawn.
      const [first, second] =
        Math.abs(open! - high!) < Math.abs(open! - low!) ? [high!, low!] : [low!, high!];
      points.push(
        [start, open!],
        [start + quarter, first],
        [start + 2 * quarter, second],
        [start + 3 * quarter, close!],
      );
    } else throw bad();
  }
  if (points.length === 0) throw new RangeError("it holds no price");
  return { symbol, points };
}

/** Several files of one symbol, in the order of their first time. */
export function joinReplays(files: readonly ReplayFile[]): ReplayFile {
  const ordered = [...files].sort((a, b) => a.points[0]![0] - b.points[0]![0]);
  return { symbol: ordered[0]!.symbol, points: ordered.flatMap((f) => f.points) };
}

/** A reference that follows a file instead of a random walk; a jump moves it from then on. */
export class ReplayedReference implements ReferenceSource {
  private elapsed = 0;
  private next = 0;
  private factor = 1;

  constructor(
    private readonly file: ReplayFile,
    private readonly speed: number,
  ) {}

  get price(): number {
    const i = Math.max(0, this.next - 1);
    return this.file.points[i]![1] * this.factor;
  }

  step(ms: number): void {
    this.elapsed += ms * this.speed;
    const at = this.file.points[0]![0] + this.elapsed;
    while (this.next < this.file.points.length && this.file.points[this.next]![0] <= at) this.next++;
  }

  jump(pct: number): void {
    this.factor *= 1 + pct / 100;
  }

  /** The file sets the price: a reference's settings do not apply. */
  configure(): void {}
}
