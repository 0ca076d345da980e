// The naive trigger book: a list, filtered and sorted on every move. Tests only, as the
// oracle the trigger book (trigger-book.ts) is compared with by fast-check.

import type { Trigger, Triggers } from "./trigger-book.js";

/** The naive model the property tests compare the trigger book with: a list, sorted on each move. */
export class ReferenceTriggers implements Triggers {
  private list: Trigger[] = [];

  get size(): number {
    return this.list.length;
  }

  arm(t: Trigger): void {
    this.list.push(t);
  }

  cancel(id: number): Trigger | undefined {
    const t = this.list.find((x) => x.id === id);
    if (t) this.list = this.list.filter((x) => x.id !== id);
    return t;
  }

  move(symbol: string, working: Trigger["working"], price: number): Trigger[] {
    const mine = (t: Trigger) => t.symbol === symbol && t.working === working;
    const rising = this.list
      .filter((t) => mine(t) && t.direction === "RISE" && t.stop <= price)
      .sort((a, b) => a.stop - b.stop || a.seq - b.seq);
    const falling = this.list
      .filter((t) => mine(t) && t.direction === "FALL" && t.stop >= price)
      .sort((a, b) => b.stop - a.stop || a.seq - b.seq);
    const fired = [...rising, ...falling];
    const ids = new Set(fired.map((t) => t.id));
    this.list = this.list.filter((t) => !ids.has(t.id));
    return fired;
  }
}
