// The integer an order's client id is indexed under. Indexing the text itself made the
// index as wide as the ids (ccxt's are 30-odd characters, uuids 36), and every commit
// rewrites one index page per order it touches, so a narrower key is fewer pages written.
// Two different ids may share a key; lookups compare the stored id itself, so a shared
// key costs a row read, never a wrong answer. The function is part of the file format:
// changing it would strand the keys already on disk.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MURMUR_C1 = 0xcc9e2d51;
const MURMUR_C2 = 0x1b873593;

/** A non-negative safe integer below 2^53: FNV-1a (32 bits) over a murmur-mixed 21 bits. */
export function clientKey(clientOrderId: string): number {
  let fnv = FNV_OFFSET;
  let mix = 0x9747b28c;
  for (let i = 0; i < clientOrderId.length; i++) {
    const c = clientOrderId.charCodeAt(i);
    fnv = Math.imul(fnv ^ c, FNV_PRIME);
    let k = Math.imul(c, MURMUR_C1);
    k = (k << 15) | (k >>> 17);
    mix ^= Math.imul(k, MURMUR_C2);
    mix = (mix << 13) | (mix >>> 19);
    mix = (Math.imul(mix, 5) + 0xe6546b64) | 0;
  }
  mix ^= clientOrderId.length;
  mix = Math.imul(mix ^ (mix >>> 16), 0x85ebca6b);
  mix = Math.imul(mix ^ (mix >>> 13), 0xc2b2ae35);
  mix ^= mix >>> 16;
  return (fnv >>> 0) * 2 ** 21 + (mix >>> 11);
}
