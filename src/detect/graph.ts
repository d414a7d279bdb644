/**
 * The engine's bounded, time-windowed state: interned accounts, a ring of recent transactions linked per
 * account (newest first, in and out), per-account history figures, and a bounded memory of which account
 * pairs have dealt with each other before. Typologies read these arrays directly; nothing here allocates
 * per transaction except when a new account appears.
 *
 * Limits (TIGER_STYLE): the ring holds `ringCapacity` transactions (older ones fall out of every walk);
 * at most `maxAccounts` accounts are tracked (later new accounts are counted as untracked and their
 * transactions skip detection); the pair memory holds `maxPairs` pairs and, when full, forgets the pairs
 * least recently seen (half of them), so "known counterparty" can become "new" again for old relations.
 */

export interface GraphLimits {
  ringCapacity: number;
  maxAccounts: number;
  maxPairs: number;
}

const NONE = -1;
/** Account ids are packed with their pair into one float64 key: 2^26 accounts fit exactly. */
const PAIR_SHIFT = 67_108_864;
export const MAX_TRACKABLE_ACCOUNTS = PAIR_SHIFT - 1;

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: T, size: number, fill?: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  if (fill !== undefined) next.fill(fill, a.length);
  return next;
}

export class WindowGraph {
  // ---- accounts (dense ints) ----
  private readonly index = new Map<string, number>();
  readonly accountName: string[] = [];
  accountCount = 0;
  untrackedTransactions = 0;
  firstSeenMs = new Float64Array(1024);
  lastSeenMs = new Float64Array(1024);
  inCount = new Uint32Array(1024);
  outCount = new Uint32Array(1024);
  /** Sum of amounts received / sent before the current transaction, in base-currency major units. */
  inSum = new Float64Array(1024);
  outSum = new Float64Array(1024);
  /**
   * Largest single amount received from / sent to another account so far (base units). An account paying
   * itself (an own-account or book transfer) deals with no counterparty, so it is left out: otherwise one
   * sweep of savings would raise "the most this account ever received" and hide the next outside payment.
   */
  inMax = new Float64Array(1024);
  outMax = new Float64Array(1024);
  /** Counterparties met for the first time, received from / paid to (how often this account meets strangers). */
  inNewPairs = new Uint32Array(1024);
  outNewPairs = new Uint32Array(1024);
  /** Newest transaction (global number) into / out of each account, NONE when none is in the ring. */
  lastIn = new Int32Array(1024).fill(NONE);
  lastOut = new Int32Array(1024).fill(NONE);
  /** Scratch marks for distinct counting without allocation: `mark[a] === markValue` means "seen". */
  mark = new Uint32Array(1024);
  private markValue = 0;

  // ---- transaction ring, indexed by global number & mask ----
  readonly capacity: number;
  private readonly mask: number;
  /** Transactions ever added; the newest has global number total - 1. */
  total = 0;
  /** Whether any transaction so far had a negative base amount (sums over walks are then not monotone). */
  negativeSeen = false;
  /**
   * One 64-byte record per ring slot, so that a walk along an account's transactions touches one cache line
   * per transaction: float64 words [0] time, [1] amount in the base currency (major units; NaN when no rate
   * is known), [2] amount in minor units; int32 words [6] from, [7] to, [8] previous transaction into the
   * receiver, [9] previous transaction out of the sender, [10] currency index, [11] channel, [12] cross-border
   * flag, [13] source. Read through the accessors below.
   */
  private readonly rf: Float64Array;
  private readonly ri: Int32Array;
  /** Transaction ids; a number n stands for `row:<n>` (spelled when asked for). */
  readonly txId: (string | number)[];
  // ---- facts about the transaction being processed, set by add() ----
  /** Last activity of the sender / receiver before this transaction (NaN: never seen). */
  prevSeenFrom = NaN;
  prevSeenTo = NaN;
  /** First time this sender→receiver pair was seen before this transaction (NaN: new pair). */
  pairFirstMs = NaN;
  /** Last time this pair was seen before this transaction (NaN: new pair). */
  pairLastMs = NaN;
  pairCount = 0;

  // ---- pair memory (open addressing) ----
  private pairSlots: number;
  private pairKey: Float64Array;
  private pairFirst: Float64Array;
  private pairLast: Float64Array;
  private pairN: Uint32Array;
  private pairUsed = 0;
  pairForgets = 0;

  constructor(private readonly limits: GraphLimits) {
    this.capacity = nextPow2(Math.max(1024, limits.ringCapacity));
    this.mask = this.capacity - 1;
    const c = this.capacity;
    const buffer = new ArrayBuffer(c * 64);
    this.rf = new Float64Array(buffer);
    this.ri = new Int32Array(buffer);
    this.txId = new Array<string | number>(c);
    this.pairSlots = 1 << 16;
    this.pairKey = new Float64Array(this.pairSlots).fill(-1);
    this.pairFirst = new Float64Array(this.pairSlots);
    this.pairLast = new Float64Array(this.pairSlots);
    this.pairN = new Uint32Array(this.pairSlots);
  }

  /** Ring slot of a global transaction number. */
  slot(tx: number): number {
    return tx & this.mask;
  }

  /** True while a global transaction number is still held by the ring. */
  live(tx: number): boolean {
    return tx >= 0 && tx >= this.total - this.capacity;
  }

  /** Dense id of an account, interning it; NONE when the account limit is reached. */
  intern(name: string, timeMs: number): number {
    const known = this.index.get(name);
    if (known !== undefined) return known;
    if (this.accountCount >= this.limits.maxAccounts) return NONE;
    const id = this.accountCount++;
    if (id >= this.firstSeenMs.length) this.growAccounts(this.firstSeenMs.length * 2);
    this.index.set(name, id);
    this.accountName.push(name);
    this.firstSeenMs[id] = timeMs;
    this.lastSeenMs[id] = NaN;
    return id;
  }

  lookup(name: string): number | undefined {
    return this.index.get(name);
  }

  private growAccounts(size: number): void {
    this.firstSeenMs = grow(this.firstSeenMs, size);
    this.lastSeenMs = grow(this.lastSeenMs, size);
    this.inCount = grow(this.inCount, size);
    this.outCount = grow(this.outCount, size);
    this.inSum = grow(this.inSum, size);
    this.outSum = grow(this.outSum, size);
    this.inMax = grow(this.inMax, size);
    this.outMax = grow(this.outMax, size);
    this.inNewPairs = grow(this.inNewPairs, size);
    this.outNewPairs = grow(this.outNewPairs, size);
    this.lastIn = grow(this.lastIn, size, NONE);
    this.lastOut = grow(this.lastOut, size, NONE);
    this.mark = grow(this.mark, size);
  }

  /**
   * Append one transaction (accounts already interned) and link it; returns its global number. The
   * per-account history figures are updated by `settle()` after the typologies have seen the transaction,
   * so that they describe the past, not the present.
   */
  add(id: string | number, source: number, timeMs: number, from: number, to: number, base: number, minor: number, currency: number, channel: number, crossBorder = 0): number {
    const tx = this.total++;
    const s = tx & this.mask;
    const f = s << 3;
    const i = s << 4;
    const rf = this.rf;
    const ri = this.ri;
    rf[f] = timeMs;
    rf[f + 1] = base;
    rf[f + 2] = minor;
    if (base < 0) this.negativeSeen = true;
    ri[i + 6] = from;
    ri[i + 7] = to;
    ri[i + 8] = this.lastIn[to]!;
    ri[i + 9] = this.lastOut[from]!;
    ri[i + 10] = currency;
    ri[i + 11] = channel;
    ri[i + 12] = crossBorder;
    ri[i + 13] = source;
    this.txId[s] = id;
    this.lastOut[from] = tx;
    this.lastIn[to] = tx;
    this.prevSeenFrom = this.lastSeenMs[from]!;
    this.prevSeenTo = this.lastSeenMs[to]!;
    this.touchPair(from, to, timeMs);
    return tx;
  }

  /** Fold the transaction just processed (the one `add` returned last) into the history figures of its accounts. */
  settle(tx: number): void {
    const s = tx & this.mask;
    const from = this.ri[(s << 4) + 6]!;
    const to = this.ri[(s << 4) + 7]!;
    const t = this.rf[s << 3]!;
    const base = this.rf[(s << 3) + 1]!;
    if (!(this.lastSeenMs[from]! >= t)) this.lastSeenMs[from] = t;
    if (!(this.lastSeenMs[to]! >= t)) this.lastSeenMs[to] = t;
    this.outCount[from]!++;
    this.inCount[to]!++;
    if (this.pairCount === 0) {
      this.outNewPairs[from]!++;
      this.inNewPairs[to]!++;
    }
    if (base === base) {
      this.outSum[from]! += base;
      this.inSum[to]! += base;
      if (from !== to) {
        if (base > this.outMax[from]!) this.outMax[from] = base;
        if (base > this.inMax[to]!) this.inMax[to] = base;
      }
    }
  }

  /** Previous transaction out of the same sender (global number), or NONE once it left the ring. */
  prevOut(tx: number): number {
    const p = this.ri[((tx & this.mask) << 4) + 9]!;
    return p >= 0 && p >= this.total - this.capacity ? p : NONE;
  }

  prevIn(tx: number): number {
    const p = this.ri[((tx & this.mask) << 4) + 8]!;
    return p >= 0 && p >= this.total - this.capacity ? p : NONE;
  }

  newestOut(account: number): number {
    const p = this.lastOut[account]!;
    return p >= 0 && p >= this.total - this.capacity ? p : NONE;
  }

  newestIn(account: number): number {
    const p = this.lastIn[account]!;
    return p >= 0 && p >= this.total - this.capacity ? p : NONE;
  }

  time(tx: number): number {
    return this.rf[(tx & this.mask) << 3]!;
  }
  /** Amount in the base currency (major units); NaN when no rate is known. */
  base(tx: number): number {
    return this.rf[((tx & this.mask) << 3) + 1]!;
  }
  /** Amount in minor units of its own currency. */
  minor(tx: number): number {
    return this.rf[((tx & this.mask) << 3) + 2]!;
  }
  from(tx: number): number {
    return this.ri[((tx & this.mask) << 4) + 6]!;
  }
  to(tx: number): number {
    return this.ri[((tx & this.mask) << 4) + 7]!;
  }
  /** Currency index (FxTable numbering). */
  currency(tx: number): number {
    return this.ri[((tx & this.mask) << 4) + 10]!;
  }
  channel(tx: number): number {
    return this.ri[((tx & this.mask) << 4) + 11]!;
  }
  /**
   * 1 when the transaction crosses a border as far as the source tells: sender and receiver countries both
   * known and different, or an instructed amount in another currency than the settled one; else 0.
   */
  crossBorder(tx: number): number {
    return this.ri[((tx & this.mask) << 4) + 12]!;
  }
  /** Source index (the engine's numbering of input sources). */
  source(tx: number): number {
    return this.ri[((tx & this.mask) << 4) + 13]!;
  }
  id(tx: number): string {
    const id = this.txId[tx & this.mask]!;
    return typeof id === 'number' ? `row:${id}` : id;
  }

  /** Start a new distinct-count round; then `markOnce(a)` is true the first time `a` is marked. */
  newMarks(): void {
    this.markValue = (this.markValue + 1) >>> 0;
    if (this.markValue === 0) {
      this.mark.fill(0);
      this.markValue = 1;
    }
  }

  markOnce(account: number): boolean {
    if (this.mark[account] === this.markValue) return false;
    this.mark[account] = this.markValue;
    return true;
  }

  isMarked(account: number): boolean {
    return this.mark[account] === this.markValue;
  }

  // ---- pair memory ----

  private pairSlot(key: number): number {
    const a = Math.floor(key / PAIR_SHIFT);
    const b = key - a * PAIR_SHIFT;
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    const m = this.pairSlots - 1;
    let i = h & m;
    for (;;) {
      const k = this.pairKey[i]!;
      if (k === key || k === -1) return i;
      i = (i + 1) & m;
    }
  }

  private touchPair(from: number, to: number, timeMs: number): void {
    const key = from * PAIR_SHIFT + to;
    let i = this.pairSlot(key);
    if (this.pairKey[i] === key) {
      this.pairFirstMs = this.pairFirst[i]!;
      this.pairLastMs = this.pairLast[i]!;
      this.pairCount = this.pairN[i]!;
      if (timeMs > this.pairLast[i]!) this.pairLast[i] = timeMs;
      if (timeMs < this.pairFirst[i]!) this.pairFirst[i] = timeMs;
      this.pairN[i]!++;
      return;
    }
    this.pairFirstMs = NaN;
    this.pairLastMs = NaN;
    this.pairCount = 0;
    if ((this.pairUsed + 1) * 2 > this.pairSlots) {
      this.resizePairs();
      i = this.pairSlot(key);
    }
    this.pairKey[i] = key;
    this.pairFirst[i] = timeMs;
    this.pairLast[i] = timeMs;
    this.pairN[i] = 1;
    this.pairUsed++;
  }

  /** First time `from` paid `to` (NaN when never, as far as the pair memory knows). */
  pairSince(from: number, to: number): number {
    const key = from * PAIR_SHIFT + to;
    const i = this.pairSlot(key);
    return this.pairKey[i] === key ? this.pairFirst[i]! : NaN;
  }

  /** Transactions `from` → `to` seen so far (0 when unknown). */
  pairTimes(from: number, to: number): number {
    const key = from * PAIR_SHIFT + to;
    const i = this.pairSlot(key);
    return this.pairKey[i] === key ? this.pairN[i]! : 0;
  }

  private resizePairs(): void {
    const oldKey = this.pairKey;
    const oldFirst = this.pairFirst;
    const oldLast = this.pairLast;
    const oldN = this.pairN;
    let keepAfterMs = -Infinity;
    let slots = this.pairSlots * 2;
    if (this.pairUsed + 1 > this.limits.maxPairs) {
      // At the limit: forget the least recently seen half (median of last-seen times).
      slots = this.pairSlots;
      const lasts: number[] = [];
      for (let i = 0; i < oldKey.length; i++) if (oldKey[i] !== -1) lasts.push(oldLast[i]!);
      lasts.sort((x, y) => x - y);
      keepAfterMs = lasts[Math.floor(lasts.length / 2)] ?? -Infinity;
      this.pairForgets++;
    }
    this.pairSlots = slots;
    this.pairKey = new Float64Array(slots).fill(-1);
    this.pairFirst = new Float64Array(slots);
    this.pairLast = new Float64Array(slots);
    this.pairN = new Uint32Array(slots);
    this.pairUsed = 0;
    for (let i = 0; i < oldKey.length; i++) {
      const k = oldKey[i]!;
      if (k === -1 || oldLast[i]! < keepAfterMs) continue;
      const j = this.pairSlot(k);
      this.pairKey[j] = k;
      this.pairFirst[j] = oldFirst[i]!;
      this.pairLast[j] = oldLast[i]!;
      this.pairN[j] = oldN[i]!;
      this.pairUsed++;
    }
  }

  pairsKnown(): number {
    return this.pairUsed;
  }
}

export { NONE };
