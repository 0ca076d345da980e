// The trigger book for conditional orders: per symbol and working price (the mark or the
// last trade), the armed stop prices, and which of them a new price fires.
//
// Layout. Per (symbol, working price) two binary heaps: the triggers that fire when the
// price rises to their stop (a heap on the lowest stop) and those that fire when it falls
// to it (a heap on the highest). Each heap is indexed: every trigger knows its slot, so a
// cancel removes it in O(log n) without tombstones.
//
// Ordering invariant. A price fires every trigger it reaches (rising ones with
// stop ≤ price, falling ones with stop ≥ price), in the order their stops are reached
// from the last price: rising ones lowest stop first, falling ones highest first, and
// among equal stops the one armed first (lower `seq`). Rising ones come before falling
// ones of the same move (only one of the two can fire on a move unless the book was
// armed across the price, which the venue refuses as "would immediately trigger").
//
// Complexity. arm, cancel: O(log n); a price move: O((k + 1) log n) for k fired.
//
// Determinism. No clock, randomness or I/O; `seq` comes from a counter the caller keeps
// (it is stored with the trigger, so a restart re-arms them in the same order).
//
// Known limits. Trailing stops move their stop with the best price seen; they are kept
// by the venue beside this book and re-armed as their stop moves.

export type TriggerDirection = "RISE" | "FALL";

export interface Trigger {
  readonly id: number;
  readonly symbol: string;
  /** Which price it watches: the mark or the last trade. */
  readonly working: "MARK_PRICE" | "CONTRACT_PRICE";
  /** Ticks. */
  readonly stop: number;
  readonly direction: TriggerDirection;
  /** Arming order: the earlier of two equal stops fires first. */
  readonly seq: number;
}

/** One heap of triggers, the root the one a move reaches first. */
class TriggerHeap {
  private readonly items: Trigger[] = [];
  private readonly slots = new Map<number, number>();

  constructor(private readonly first: (a: Trigger, b: Trigger) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): Trigger | undefined {
    return this.items[0];
  }

  push(t: Trigger): void {
    this.items.push(t);
    this.slots.set(t.id, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): Trigger | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  remove(id: number): Trigger | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    const t = this.items[slot]!;
    this.removeAt(slot);
    return t;
  }

  private removeAt(slot: number): void {
    const removed = this.items[slot]!;
    const last = this.items.pop()!;
    this.slots.delete(removed.id);
    if (slot === this.items.length) return;
    this.items[slot] = last;
    this.slots.set(last.id, slot);
    this.down(slot);
    this.up(slot);
  }

  private up(slot: number): void {
    let i = slot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.first(this.items[i]!, this.items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(slot: number): void {
    let i = slot;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.items.length && this.first(this.items[l]!, this.items[best]!)) best = l;
      if (r < this.items.length && this.first(this.items[r]!, this.items[best]!)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(a: number, b: number): void {
    const ta = this.items[a]!;
    const tb = this.items[b]!;
    this.items[a] = tb;
    this.items[b] = ta;
    this.slots.set(tb.id, a);
    this.slots.set(ta.id, b);
  }
}

const risingFirst = (a: Trigger, b: Trigger) => a.stop < b.stop || (a.stop === b.stop && a.seq < b.seq);
const fallingFirst = (a: Trigger, b: Trigger) => a.stop > b.stop || (a.stop === b.stop && a.seq < b.seq);

interface Watch {
  readonly rising: TriggerHeap;
  readonly falling: TriggerHeap;
}

/** What both the trigger book and its reference model answer. */
export interface Triggers {
  arm(t: Trigger): void;
  /** Disarms a trigger; undefined when it is not armed. */
  cancel(id: number): Trigger | undefined;
  /** The triggers a new working price fires, in firing order; they are disarmed. */
  move(symbol: string, working: Trigger["working"], price: number): Trigger[];
  readonly size: number;
}

export class TriggerBook implements Triggers {
  private readonly watches = new Map<string, Watch>();
  /** Where each armed trigger is, by id. */
  private readonly armed = new Map<number, Trigger>();

  get size(): number {
    return this.armed.size;
  }

  arm(t: Trigger): void {
    const w = this.watch(t.symbol, t.working);
    (t.direction === "RISE" ? w.rising : w.falling).push(t);
    this.armed.set(t.id, t);
  }

  cancel(id: number): Trigger | undefined {
    const t = this.armed.get(id);
    if (!t) return undefined;
    const w = this.watch(t.symbol, t.working);
    (t.direction === "RISE" ? w.rising : w.falling).remove(id);
    this.armed.delete(id);
    return t;
  }

  move(symbol: string, working: Trigger["working"], price: number): Trigger[] {
    const w = this.watches.get(`${symbol}|${working}`);
    if (!w) return [];
    const fired: Trigger[] = [];
    for (let t = w.rising.peek(); t !== undefined && t.stop <= price; t = w.rising.peek()) {
      fired.push(w.rising.pop()!);
      this.armed.delete(t.id);
    }
    for (let t = w.falling.peek(); t !== undefined && t.stop >= price; t = w.falling.peek()) {
      fired.push(w.falling.pop()!);
      this.armed.delete(t.id);
    }
    return fired;
  }

  private watch(symbol: string, working: Trigger["working"]): Watch {
    const key = `${symbol}|${working}`;
    let w = this.watches.get(key);
    if (!w) {
      w = { rising: new TriggerHeap(risingFirst), falling: new TriggerHeap(fallingFirst) };
      this.watches.set(key, w);
    }
    return w;
  }
}
