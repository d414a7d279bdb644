/**
 * Canonical strings for account ids built from two fields (`<bank>/<account>`). Every row would otherwise
 * build a fresh string that each consumer (engine map, store) must flatten and hash again; here the two
 * field strings are hashed once, and a row whose pair was seen before gets the same, already hashed string
 * object back. Bounded: beyond `maxEntries` distinct ids, new ones are built but no longer remembered.
 */
export class PairInterner {
  private slots: number;
  private keys: (string | undefined)[];
  private hashes: Int32Array;
  private ids: Int32Array;
  private used = 0;
  /** Dense id (0, 1, 2, ... in order of first sight) of the string the last `get` returned; -1 when not remembered. */
  lastId = -1;

  constructor(
    private readonly separator = '/',
    private readonly maxEntries = 8_000_000,
  ) {
    this.slots = 1 << 12;
    this.keys = new Array<string | undefined>(this.slots);
    this.hashes = new Int32Array(this.slots);
    this.ids = new Int32Array(this.slots);
  }

  /** `a + separator + b`, the same string object for the same pair. */
  get(a: string, b: string): string {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x2f, 0x01000193);
    for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
    const mask = this.slots - 1;
    const len = a.length + this.separator.length + b.length;
    let i = h & mask;
    for (;;) {
      const k = this.keys[i];
      if (k === undefined) break;
      if (this.hashes[i] === h && k.length === len && this.same(k, a, b)) {
        this.lastId = this.ids[i]!;
        return k;
      }
      i = (i + 1) & mask;
    }
    const s = a + this.separator + b;
    if (this.used >= this.maxEntries) {
      this.lastId = -1;
      return s;
    }
    // The same object every time: its hash, once computed by a consumer's Map, is cached on the string.
    this.keys[i] = s;
    this.hashes[i] = h;
    this.ids[i] = this.lastId = this.used;
    if (++this.used * 2 > this.slots) this.grow();
    return s;
  }

  private same(k: string, a: string, b: string): boolean {
    for (let i = 0; i < a.length; i++) if (k.charCodeAt(i) !== a.charCodeAt(i)) return false;
    const off = a.length + this.separator.length;
    for (let i = 0; i < b.length; i++) if (k.charCodeAt(off + i) !== b.charCodeAt(i)) return false;
    return k.startsWith(this.separator, a.length);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldHashes = this.hashes;
    const oldIds = this.ids;
    this.slots *= 2;
    this.keys = new Array<string | undefined>(this.slots);
    this.hashes = new Int32Array(this.slots);
    this.ids = new Int32Array(this.slots);
    const mask = this.slots - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j];
      if (k === undefined) continue;
      let i = oldHashes[j]! & mask;
      while (this.keys[i] !== undefined) i = (i + 1) & mask;
      this.keys[i] = k;
      this.hashes[i] = oldHashes[j]!;
      this.ids[i] = oldIds[j]!;
    }
  }
}
