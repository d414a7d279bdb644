/**
 * Interning of fixed-width byte keys (txids, address keys) to dense ids 0..n-1: keys in one growing byte
 * array, an open-addressing table of ids. No string per key, no object per key: about 1.5 × (width + 8)
 * bytes per key, and a lookup is a hash of twelve bytes and a compare.
 */

const EMPTY = -1;

export class FixedKeyTable {
  private keys: Uint8Array;
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(
    readonly width: number,
    initialCapacity = 1024,
  ) {
    if (width < 12) throw new Error('keys must be at least 12 bytes wide');
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.keys = new Uint8Array(Math.max(16, initialCapacity) * width);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held (keys and slots), for memory accounting. */
  get bytes(): number {
    return this.keys.byteLength + this.slots.byteLength;
  }

  private static hash(k: Uint8Array, o: number): number {
    const a = k[o]! | (k[o + 1]! << 8) | (k[o + 2]! << 16) | (k[o + 3]! << 24);
    const b = k[o + 4]! | (k[o + 5]! << 8) | (k[o + 6]! << 16) | (k[o + 7]! << 24);
    const c = k[o + 8]! | (k[o + 9]! << 8) | (k[o + 10]! << 16) | (k[o + 11]! << 24);
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35) ^ Math.imul(c, 0x27d4eb2f);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 13);
  }

  private equalAt(id: number, k: Uint8Array, o: number): boolean {
    const w = this.width;
    const base = id * w;
    const keys = this.keys;
    for (let i = 0; i < w; i++) if (keys[base + i] !== k[o + i]) return false;
    return true;
  }

  /** The id of a key, or -1. */
  find(k: Uint8Array, o = 0): number {
    let s = FixedKeyTable.hash(k, o) & this.mask;
    for (;;) {
      const id = this.slots[s]!;
      if (id === EMPTY) return -1;
      if (this.equalAt(id, k, o)) return id;
      s = (s + 1) & this.mask;
    }
  }

  /** The id of a key, adding it when new; `isNew` tells which (read right after the call). */
  isNew = false;
  intern(k: Uint8Array, o = 0): number {
    if ((this.count + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    let s = FixedKeyTable.hash(k, o) & this.mask;
    for (;;) {
      const id = this.slots[s]!;
      if (id === EMPTY) break;
      if (this.equalAt(id, k, o)) {
        this.isNew = false;
        return id;
      }
      s = (s + 1) & this.mask;
    }
    const id = this.count++;
    const w = this.width;
    if ((id + 1) * w > this.keys.length) {
      const grown = new Uint8Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.set(k.subarray(o, o + w), id * w);
    this.slots[s] = id;
    this.isNew = true;
    return id;
  }

  /** The key of an id (a view: copy it to keep it across interning). */
  keyAt(id: number): Uint8Array {
    return this.keys.subarray(id * this.width, (id + 1) * this.width);
  }

  private rehash(cap: number): void {
    const slots = new Int32Array(cap).fill(EMPTY);
    const mask = cap - 1;
    for (let id = 0; id < this.count; id++) {
      let s = FixedKeyTable.hash(this.keys, id * this.width) & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
