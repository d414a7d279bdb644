/**
 * Lookups keyed by raw bytes, for readers that parse undecoded lines (see `BytePiece`): a field's bytes are
 * matched against what was seen before without making a string of them. Each cache only remembers what its
 * caller resolved through the string path once, so byte and string paths give the same values (and the
 * same string objects).
 */

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a of bytes [start, end), continuing from `h`. */
function fnv(buf: Uint8Array, start: number, end: number, h: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  return h;
}

/** Spread the high bits into the low ones (slots are chosen by the low bits). */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  return h ^ (h >>> 16);
}

function sameBytes(pool: Uint8Array, at: number, buf: Uint8Array, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (pool[at + i] !== buf[start + i]) return false;
  return true;
}

/**
 * Values of short byte strings (currency names, payment formats): an open-addressed table over a byte pool.
 * Bounded: past `maxEntries` keys, `set` remembers nothing more (callers then resolve through strings each time).
 */
export class ByteTokenCache<T> {
  private slots = 64;
  private slotEntry = new Int32Array(this.slots).fill(-1);
  private slotHash = new Int32Array(this.slots);
  private pool = new Uint8Array(1024);
  private poolUsed = 0;
  private readonly keyAt: number[] = [];
  private readonly keyLen: number[] = [];
  private readonly values: T[] = [];

  constructor(private readonly maxEntries = 4096) {}

  get size(): number {
    return this.values.length;
  }

  /** Entry index of bytes [start, end), or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const h = finish(fnv(buf, start, end, FNV_OFFSET));
    const mask = this.slots - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slotEntry[s]!;
      if (e < 0) return -1;
      if (this.slotHash[s] === h && this.keyLen[e] === len && sameBytes(this.pool, this.keyAt[e]!, buf, start, len)) return e;
    }
  }

  value(entry: number): T {
    return this.values[entry]!;
  }

  /** Remember the value of bytes [start, end) (not already present); false when the cache is full. */
  set(buf: Uint8Array, start: number, end: number, value: T): boolean {
    if (this.values.length >= this.maxEntries) return false;
    const len = end - start;
    if (this.poolUsed + len > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    this.pool.set(buf.subarray(start, end), this.poolUsed);
    const e = this.values.length;
    this.keyAt.push(this.poolUsed);
    this.keyLen.push(len);
    this.values.push(value);
    this.poolUsed += len;
    if ((e + 1) * 2 > this.slots) this.rehash(this.slots * 2);
    else this.place(e, finish(fnv(buf, start, end, FNV_OFFSET)));
    return true;
  }

  private place(e: number, h: number): void {
    const mask = this.slots - 1;
    let s = h & mask;
    while (this.slotEntry[s]! >= 0) s = (s + 1) & mask;
    this.slotEntry[s] = e;
    this.slotHash[s] = h;
  }

  private rehash(slots: number): void {
    this.slots = slots;
    this.slotEntry = new Int32Array(slots).fill(-1);
    this.slotHash = new Int32Array(slots);
    for (let e = 0; e < this.values.length; e++) {
      const at = this.keyAt[e]!;
      this.place(e, finish(fnv(this.pool, at, at + this.keyLen[e]!, FNV_OFFSET)));
    }
  }
}

/**
 * Int32 slots of the pair table: hash, entry + 1 (0: empty), field lengths (a | b << 16: callers keep each below
 * 2^16), dense id, then the key.
 */
const PAIR_STRIDE = 8;
/** Key bytes kept in the slot itself (one cache line per probe); longer keys live in the pool. */
const PAIR_INLINE = 16;

/** Hash of two byte fields, four bytes per multiply. */
function pairHash(buf: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  let h = FNV_OFFSET ^ (aEnd - aStart);
  let i = aStart;
  for (; i + 4 <= aEnd; i += 4) h = Math.imul(h ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)), 0x9e3779b1) ^ (h >>> 15);
  for (; i < aEnd; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  h = Math.imul(h ^ 0x2f, FNV_PRIME);
  i = bStart;
  for (; i + 4 <= bEnd; i += 4) h = Math.imul(h ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)), 0x9e3779b1) ^ (h >>> 15);
  for (; i < bEnd; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  return finish(h);
}

/**
 * Pairs of byte fields (bank and account) → the `PairInterner` string and dense id the string path gave them,
 * plus the first field as a string. Filled by the caller after a miss (`add` with the strings it resolved).
 * The table is probed millions of times over tens of thousands of keys, so it is laid out for few cache
 * misses: a lookup reads one 32-byte slot holding hash, key and dense id, then the two strings side by side.
 */
export class BytePairCache {
  private slots = 1 << 12;
  private table = new Int32Array(this.slots * PAIR_STRIDE);
  private tableBytes = new Uint8Array(this.table.buffer);
  private pool = new Uint8Array(1 << 12);
  private poolUsed = 0;
  private count = 0;
  /** Per entry: the pair's interned string, then the first field's string. */
  private readonly strings: string[] = [];
  private lastHash = 0;

  get size(): number {
    return this.count;
  }

  /** The hash of the pair ([aStart, aEnd), [bStart, bEnd)) of `buf`, which `lookup` takes. */
  hash(buf: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): number {
    return pairHash(buf, aStart, aEnd, bStart, bEnd);
  }

  /**
   * Read the first slots of two hashes and discard the values: a row looks up two pairs, and asking memory
   * for both slots before comparing either lets the two cache misses overlap instead of queueing.
   */
  touch(h1: number, h2: number): void {
    const mask = this.slots - 1;
    this.sink ^= this.table[(h1 & mask) * PAIR_STRIDE]! ^ this.table[(h2 & mask) * PAIR_STRIDE]!;
  }

  private sink = 0;

  /**
   * The slot of the pair (read it with `stringsAt`, `string` and `ref`), or -1; then `add` may follow for the
   * same pair, before any other lookup.
   */
  lookup(buf: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number, h: number): number {
    const aLen = aEnd - aStart;
    const lens = aLen | ((bEnd - bStart) << 16);
    this.lastHash = h;
    const mask = this.slots - 1;
    const table = this.table;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const base = s * PAIR_STRIDE;
      const entry = table[base + 1]!;
      if (entry === 0) return -1;
      if (table[base] !== h || table[base + 2] !== lens) continue;
      let keyBytes: Uint8Array;
      let at: number;
      if (aLen + bEnd - bStart <= PAIR_INLINE) {
        keyBytes = this.tableBytes;
        at = (base + 4) * 4;
      } else {
        keyBytes = this.pool;
        at = table[base + 4]!;
      }
      if (sameBytes(keyBytes, at, buf, aStart, aLen) && sameBytes(keyBytes, at + aLen, buf, bStart, bEnd - bStart)) return base;
    }
  }

  /** Index of the slot's strings: `string(i)` is the pair's interned string, `string(i + 1)` the first field. */
  stringsAt(slot: number): number {
    return 2 * (this.table[slot + 1]! - 1);
  }

  string(index: number): string {
    return this.strings[index]!;
  }

  ref(slot: number): number {
    return this.table[slot + 3]!;
  }

  /** Remember the pair `lookup` just missed. */
  add(buf: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number, pair: string, ref: number, first: string): void {
    const e = this.count++;
    this.strings.push(pair, first);
    if (this.count * 2 > this.slots) this.rehash(this.slots * 2);
    const aLen = aEnd - aStart;
    const bLen = bEnd - bStart;
    const base = this.freeSlot(this.lastHash) * PAIR_STRIDE;
    const table = this.table;
    table[base] = this.lastHash;
    table[base + 1] = e + 1;
    table[base + 2] = aLen | (bLen << 16);
    table[base + 3] = ref;
    if (aLen + bLen <= PAIR_INLINE) {
      const at = (base + 4) * 4;
      this.tableBytes.set(buf.subarray(aStart, aEnd), at);
      this.tableBytes.set(buf.subarray(bStart, bEnd), at + aLen);
    } else {
      if (this.poolUsed + aLen + bLen > this.pool.length) {
        const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + aLen + bLen));
        grown.set(this.pool.subarray(0, this.poolUsed));
        this.pool = grown;
      }
      table[base + 4] = this.poolUsed;
      this.pool.set(buf.subarray(aStart, aEnd), this.poolUsed);
      this.pool.set(buf.subarray(bStart, bEnd), this.poolUsed + aLen);
      this.poolUsed += aLen + bLen;
    }
  }

  private freeSlot(h: number): number {
    const mask = this.slots - 1;
    let s = h & mask;
    while (this.table[s * PAIR_STRIDE + 1] !== 0) s = (s + 1) & mask;
    return s;
  }

  private rehash(slots: number): void {
    const old = this.table;
    const oldSlots = this.slots;
    this.slots = slots;
    this.table = new Int32Array(slots * PAIR_STRIDE);
    this.tableBytes = new Uint8Array(this.table.buffer);
    for (let s = 0; s < oldSlots; s++) {
      const base = s * PAIR_STRIDE;
      if (old[base + 1] === 0) continue;
      this.table.set(old.subarray(base, base + PAIR_STRIDE), this.freeSlot(old[base]!) * PAIR_STRIDE);
    }
  }
}
