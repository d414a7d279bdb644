/**
 * Interning of account ids: every transaction of an account shares one string, and a reader learns
 * for free when it meets an account for the first time. Bounded: past `maxEntries` the table starts
 * over (ids stay correct; only "first seen" may repeat, which stores tolerate).
 */
export const DEFAULT_MAX_INTERNED = 2_000_000;

/** Interns ids made of two parts (e.g. bank and account number) without building the joined string on a hit. */
export class PairInterner {
  private readonly outer = new Map<string, Map<string, string>>();
  private size = 0;
  /** Set by `intern`: whether the last id was new. */
  fresh = false;

  constructor(
    private readonly separator = '/',
    private readonly maxEntries = DEFAULT_MAX_INTERNED,
  ) {}

  intern(first: string, second: string): string {
    let inner = this.outer.get(first);
    if (inner === undefined) {
      inner = new Map();
      this.outer.set(first, inner);
    }
    const hit = inner.get(second);
    if (hit !== undefined) {
      this.fresh = false;
      return hit;
    }
    if (this.size >= this.maxEntries) {
      this.outer.clear();
      this.size = 0;
      return this.intern(first, second);
    }
    const id = first + this.separator + second;
    inner.set(second, id);
    this.size++;
    this.fresh = true;
    return id;
  }
}

/** Interns single-part ids. */
export class Interner {
  private readonly table = new Map<string, string>();
  fresh = false;

  constructor(private readonly maxEntries = DEFAULT_MAX_INTERNED) {}

  intern(id: string): string {
    const hit = this.table.get(id);
    if (hit !== undefined) {
      this.fresh = false;
      return hit;
    }
    if (this.table.size >= this.maxEntries) this.table.clear();
    this.table.set(id, id);
    this.fresh = true;
    return id;
  }
}
