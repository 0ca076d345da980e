// A hash table from positive integers to values, for the book's two hot lookups: resting
// orders by id and price levels by price (ticks). Every add, cancel and fill does one
// or both.
//
// Why not a Map. A Map keeps insertion order (a bucket array plus an entry chain) in
// one backing store that, for a book of a few thousand orders, lives in V8's
// large-object space: every young order stored into it is an old-to-new pointer the
// scavenger must visit, and the Map calls are builtins the optimiser cannot inline.
// Profiles of building a 20,000-order book had Map.set and the GC work it caused as the
// largest costs after the orders themselves. This table is inlined probes into small
// pages of keys and values.
//
// Layout. Capacity is a power of two, at most three quarters full, split into pages of
// at most 2^11 slots; a key of 0 marks an empty slot (ids start at 1, prices are
// positive). Linear probing from a Fibonacci hash of the key: consecutive ids and
// neighbouring prices land evenly spread, so probe runs stay short even at that load.
// Deletion shifts later members of the probe run back (no tombstones), so a lookup
// never walks dead slots. The table doubles past three quarters and halves below one
// eighth (never under its initial size), so a burst of orders does not pin memory
// after it is gone.
//
// Complexity. get, set, delete: O(1) expected; a resize is O(capacity), amortised.
//
// Determinism. Nothing is iterated: the table answers lookups only, so its slot order
// never reaches an output.
//
// Known limits. Keys are positive integers below 2^53 (order ids, prices in ticks); 0
// and non-integers are not supported.

const MIN_BITS = 6;
/**
 * Slots per page (2^11): 16 KB of keys and 16 KB of values. Pages stay below V8's
 * large-object size, so they are born young and promoted with the orders they hold;
 * one flat array of a big table lives in large-object space, and every young order
 * stored into it costs the scavenger an old-to-new slot (measured: storing 20,000 new
 * orders into one 32,768-slot array ran 4x slower than into 4,096-slot pages).
 */
const PAGE_BITS = 11;
/** 2^32, to fold the high bits of ids above 2^32 into the hash. */
const TWO_32 = 4294967296;

export class IntTable<V> {
  private keyPages: number[][] = [];
  private valuePages: Array<Array<V | undefined>> = [];
  private bits = 0;
  private mask = 0;
  private pageBits = 0;
  private pageMask = 0;
  private count = 0;

  /** @param minBits log2 of the initial (and smallest) capacity. */
  constructor(private readonly minBits = MIN_BITS) {
    this.allocate(minBits);
  }

  get size(): number {
    return this.count;
  }

  /** Home slot of `id`: the top `bits` bits of a Fibonacci hash of both 32-bit halves. */
  private home(id: number): number {
    const h = (id | 0) ^ Math.imul((id / TWO_32) | 0, 0x85ebca6b);
    return Math.imul(h, 0x9e3779b1) >>> (32 - this.bits);
  }

  private keyAt(i: number): number {
    return this.keyPages[i >>> this.pageBits]![i & this.pageMask]!;
  }

  private valueAt(i: number): V | undefined {
    return this.valuePages[i >>> this.pageBits]![i & this.pageMask];
  }

  private put(i: number, key: number, value: V | undefined): void {
    const page = i >>> this.pageBits;
    const at = i & this.pageMask;
    this.keyPages[page]![at] = key;
    this.valuePages[page]![at] = value;
  }

  get(id: number): V | undefined {
    const mask = this.mask;
    for (let i = this.home(id); ; i = (i + 1) & mask) {
      const key = this.keyAt(i);
      if (key === id) return this.valueAt(i);
      if (key === 0) return undefined;
    }
  }

  /** Adds or replaces the value stored under `id`. */
  set(id: number, value: V): void {
    const mask = this.mask;
    let i = this.home(id);
    for (;;) {
      const key = this.keyAt(i);
      if (key === id || key === 0) break;
      i = (i + 1) & mask;
    }
    const added = this.keyAt(i) === 0;
    this.put(i, id, value);
    if (added && ++this.count * 4 > (mask + 1) * 3) this.resize(this.bits + 1);
  }

  delete(id: number): boolean {
    const mask = this.mask;
    let i = this.home(id);
    for (;;) {
      const key = this.keyAt(i);
      if (key === id) break;
      if (key === 0) return false;
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: pull each later member of the run into the hole when
    // its home slot does not lie cyclically in (hole, its slot].
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const key = this.keyAt(j);
      if (key === 0) break;
      const home = this.home(key);
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        this.put(i, key, this.valueAt(j));
        i = j;
      }
    }
    this.put(i, 0, undefined);
    if (--this.count * 8 < mask + 1 && this.bits > this.minBits) this.resize(this.bits - 1);
    return true;
  }

  private allocate(bits: number): void {
    this.bits = bits;
    this.mask = (1 << bits) - 1;
    this.pageBits = Math.min(bits, PAGE_BITS);
    this.pageMask = (1 << this.pageBits) - 1;
    const pages = 1 << (bits - this.pageBits);
    const size = 1 << this.pageBits;
    this.keyPages = [];
    this.valuePages = [];
    for (let p = 0; p < pages; p++) {
      this.keyPages.push(new Array<number>(size).fill(0));
      this.valuePages.push(new Array<V | undefined>(size).fill(undefined));
    }
  }

  private resize(bits: number): void {
    const oldKeys = this.keyPages;
    const oldValues = this.valuePages;
    this.allocate(bits);
    const mask = this.mask;
    for (let p = 0; p < oldKeys.length; p++) {
      const keys = oldKeys[p]!;
      const values = oldValues[p]!;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        if (key === 0) continue;
        let i = this.home(key);
        while (this.keyAt(i) !== 0) i = (i + 1) & mask;
        this.put(i, key, values[k]);
      }
    }
  }
}
