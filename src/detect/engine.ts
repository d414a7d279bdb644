/**
 * The streaming engine: batches in (any reader, the store, the API), alerts out. Transactions pass a
 * reorder buffer (event time; `lateness` bounds how far out of order input may arrive and still be put
 * back in order), are linked into the window graph, and are shown to every enabled typology in time order.
 * Input later than the lateness bound is still processed, at its own time, and counted as late.
 */
import { channelIndex, type Alert, type TxBatch } from '../model/index.js';
import { AlertBook, type LiveAlerts } from './alerts.js';
import type { EngineConfig, RulesConfig } from './config.js';
import { FxTable } from './fx.js';
import { WindowGraph } from './graph.js';
import { TYPOLOGIES } from './typologies/index.js';
import type { Detector, DetectorContext, Finding, TypologyParams } from './typology.js';

export interface EngineOptions {
  /** Several input files: transaction ids become `<source>#<id>` (CONTRACT.md). */
  qualifyIds?: boolean;
  /**
   * Real-time use: each push also returns every alert its transactions opened or grew, as it stands, under an
   * id fixed when the alert opened (`<alertIdPrefix><n>`, so a caller can upsert it); closing emits nothing more.
   * Pair with `engine.latenessMinutes: 0` so each transaction is judged when it arrives.
   */
  live?: LiveAlerts;
}

export interface EngineStats {
  transactions: number;
  late: number;
  /** Transactions let through before their lateness passed because the reorder buffer was full. */
  releasedEarly: number;
  untracked: number;
  accounts: number;
  pairsKnown: number;
  pairForgets: number;
  openAlerts: number;
  alertsEvictedEarly: number;
  currenciesWithoutRate: string[];
  /** Detector time per typology (ms), when profiling is on. */
  typologyMs: Record<string, number>;
}

export interface Engine {
  readonly typologies: readonly string[];
  push(batch: TxBatch): Alert[];
  flush(): Alert[];
  stats(): EngineStats;
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

class StreamingEngine implements Engine {
  readonly typologies: string[] = [];
  private readonly graph: WindowGraph;
  private readonly fx: FxTable;
  private readonly book: AlertBook;
  private readonly detectors: Detector[] = [];
  private readonly detectorNames: string[] = [];
  private readonly detectorMs: Float64Array;
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();
  private readonly latenessMs: number;
  private readonly expireEveryMs: number;
  private readonly profile: boolean;

  // Reorder buffer: references into held batches, released in event-time order.
  private held: TxBatch[] = [];
  private pendBatch = new Int32Array(16_384);
  private pendRow = new Int32Array(16_384);
  private pendTime = new Float64Array(16_384);
  private pendCount = 0;
  private pendSorted = true;
  private maxTimeMs = -Infinity;
  private releasedMs = -Infinity;
  private lastExpireMs = -Infinity;
  private late = 0;
  private releasedEarly = 0;
  private readonly maxPending: number;
  private streamStartMs = NaN;
  private readonly warmupMs: number;
  private out: Alert[] = [];

  constructor(
    private readonly config: RulesConfig,
    private readonly options: EngineOptions,
  ) {
    const e: EngineConfig = config.engine;
    this.latenessMs = e.latenessMinutes * 60_000;
    this.maxPending = e.maxPendingTransactions;
    this.warmupMs = e.warmupDays * 86_400_000;
    this.expireEveryMs = 10 * 60_000;
    this.profile = e.profile;
    this.graph = new WindowGraph({ ringCapacity: e.ringCapacity, maxAccounts: e.maxAccounts, maxPairs: e.maxPairs });
    this.fx = new FxTable(config.fx.base, config.fx.rates);
    const horizons = new Map<string, number>();
    const ctx: DetectorContext = {
      graph: this.graph,
      fx: this.fx,
      report: (f: Finding) => this.book.add(f, this.out),
      money: (base: number) => `${money.format(base)} ${this.fx.base}`,
      name: (a: number) => this.graph.accountName[a] ?? '?',
      // Nothing is known for the first third of the warm-up (monthly relations have not shown yet), then
      // linearly more until the end of it.
      observed: (timeMs: number) => (this.warmupMs > 0 ? Math.min(1, Math.max(0, ((timeMs - this.streamStartMs) / this.warmupMs - 1 / 3) * 1.5)) : 1),
    };
    for (const t of TYPOLOGIES) {
      const params = (config.typologies as Record<string, TypologyParams>)[t.name];
      if (!params?.enabled) continue;
      this.typologies.push(t.name);
      this.detectorNames.push(t.name);
      this.detectors.push(t.create(ctx, params));
      horizons.set(t.name, t.horizonMs(params));
    }
    this.detectorMs = new Float64Array(this.detectors.length);
    this.book = new AlertBook(this.graph, this.fx, e, horizons, (tx) => this.txName(tx), options.live);
  }

  private txName(tx: number): string {
    const g = this.graph;
    const id = g.id(tx);
    return this.options.qualifyIds ? `${this.sources[g.source(tx)]}#${id}` : id;
  }

  push(batch: TxBatch): Alert[] {
    const n = batch.length;
    if (n === 0) return this.drain();
    const b = this.held.length;
    this.held.push(batch);
    if (this.pendCount + n > this.pendTime.length) this.growPending(this.pendCount + n);
    let last = this.pendCount > 0 ? this.pendTime[this.pendCount - 1]! : -Infinity;
    for (let i = 0; i < n; i++) {
      const t = batch.timeMs[i]!;
      const k = this.pendCount++;
      this.pendBatch[k] = b;
      this.pendRow[k] = i;
      this.pendTime[k] = t;
      if (t < last) this.pendSorted = false;
      else last = t;
      if (t > this.maxTimeMs) this.maxTimeMs = t;
    }
    this.release(this.maxTimeMs - this.latenessMs);
    if (this.pendCount > this.maxPending) {
      // At the limit the oldest held transactions go through before their lateness has passed.
      if (!this.pendSorted) this.sortPending();
      const excess = this.pendCount - this.maxPending;
      this.releasedEarly += excess;
      this.release(this.pendTime[excess - 1]!);
    }
    if (this.options.live) this.book.takeTouched(this.out);
    return this.drain();
  }

  flush(): Alert[] {
    this.release(Infinity);
    if (this.options.live) this.book.takeTouched(this.out);
    this.book.flush(this.out);
    return this.drain();
  }

  private drain(): Alert[] {
    const alerts = this.out;
    this.out = [];
    return alerts;
  }

  private growPending(min: number): void {
    let size = this.pendTime.length;
    while (size < min) size *= 2;
    const b = new Int32Array(size);
    b.set(this.pendBatch.subarray(0, this.pendCount));
    const r = new Int32Array(size);
    r.set(this.pendRow.subarray(0, this.pendCount));
    const t = new Float64Array(size);
    t.set(this.pendTime.subarray(0, this.pendCount));
    this.pendBatch = b;
    this.pendRow = r;
    this.pendTime = t;
  }

  private sortPending(): void {
    const n = this.pendCount;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const times = this.pendTime;
    // Stable: equal times keep arrival order.
    order.sort((x, y) => times[x]! - times[y]! || x - y);
    const b = new Int32Array(this.pendBatch.length);
    const r = new Int32Array(this.pendRow.length);
    const t = new Float64Array(this.pendTime.length);
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      b[i] = this.pendBatch[j]!;
      r[i] = this.pendRow[j]!;
      t[i] = times[j]!;
    }
    this.pendBatch = b;
    this.pendRow = r;
    this.pendTime = t;
    this.pendSorted = true;
  }

  /** Process, in time order, every pending transaction at or before `untilMs`. */
  private release(untilMs: number): void {
    if (this.pendCount === 0) return;
    if (!this.pendSorted) this.sortPending();
    let k = 0;
    const n = this.pendCount;
    while (k < n && this.pendTime[k]! <= untilMs) {
      this.process(this.held[this.pendBatch[k]!]!, this.pendRow[k]!);
      k++;
    }
    if (k === 0) return;
    this.pendBatch.copyWithin(0, k, n);
    this.pendRow.copyWithin(0, k, n);
    this.pendTime.copyWithin(0, k, n);
    this.pendCount = n - k;
    // Drop batches no pending row refers to any more.
    let minBatch = Infinity;
    for (let i = 0; i < this.pendCount; i++) if (this.pendBatch[i]! < minBatch) minBatch = this.pendBatch[i]!;
    if (this.pendCount === 0) this.held = [];
    else if (minBatch > 0 && minBatch !== Infinity) {
      this.held = this.held.slice(minBatch);
      for (let i = 0; i < this.pendCount; i++) this.pendBatch[i] = this.pendBatch[i]! - minBatch;
    }
  }

  private refSpace: object | undefined;
  private refMap = new Int32Array(0);

  /** The graph's id of a reader-numbered account; its name is read from the batch only when the number is new. */
  private viaRef(space: object, ref: number, batch: TxBatch, i: number, sender: boolean, t: number): number {
    if (ref < 0) return this.graph.intern(sender ? batch.fromAccount[i]! : batch.toAccount[i]!, t);
    if (space !== this.refSpace) {
      this.refSpace = space;
      this.refMap = new Int32Array(1024).fill(-1);
    }
    if (ref >= this.refMap.length) {
      let n = this.refMap.length;
      while (n <= ref) n *= 2;
      const next = new Int32Array(n).fill(-1);
      next.set(this.refMap);
      this.refMap = next;
    }
    let id = this.refMap[ref]!;
    if (id < 0) {
      id = this.graph.intern(sender ? batch.fromAccount[i]! : batch.toAccount[i]!, t);
      this.refMap[ref] = id;
    }
    return id;
  }

  // The source of the last batch seen, and the rate and index of the last currency: consecutive rows share them.
  private memoBatch: TxBatch | undefined;
  private memoSource = 0;
  private memoCurrency: string | undefined;
  private memoFactor = NaN;
  private memoCurrencyIndex = 0;

  private sourceOf(batch: TxBatch): number {
    let s = this.sourceIndex.get(batch.source);
    if (s === undefined) {
      s = this.sources.length;
      this.sources.push(batch.source);
      this.sourceIndex.set(batch.source, s);
    }
    return s;
  }

  private process(batch: TxBatch, i: number): void {
    const g = this.graph;
    const t = batch.timeMs[i]!;
    if (t < this.releasedMs) this.late++;
    if (!(t >= this.streamStartMs)) this.streamStartMs = t;
    if (t > this.releasedMs) this.releasedMs = t;
    let from: number;
    let to: number;
    if (batch.accountRefs !== undefined) {
      // The reader numbered its accounts: map its numbers to ours through an array, no string hashing.
      from = this.viaRef(batch.accountRefs, batch.fromRef![i]!, batch, i, true, t);
      to = this.viaRef(batch.accountRefs, batch.toRef![i]!, batch, i, false, t);
    } else {
      from = g.intern(batch.fromAccount[i]!, t);
      to = g.intern(batch.toAccount[i]!, t);
    }
    if (from < 0 || to < 0) {
      g.untrackedTransactions++;
      return;
    }
    const currency = batch.currency[i]!;
    const minor = batch.amountMinor[i]!;
    const fromCountry = batch.fromCountry[i];
    const toCountry = batch.toCountry[i];
    const original = batch.originalCurrency[i];
    const crossBorder = (fromCountry !== undefined && toCountry !== undefined && fromCountry !== toCountry) || (original !== undefined && original !== currency) ? 1 : 0;
    if (batch !== this.memoBatch) {
      this.memoBatch = batch;
      this.memoSource = this.sourceOf(batch);
    }
    if (currency !== this.memoCurrency) {
      this.memoCurrency = currency;
      this.memoFactor = this.fx.factor(currency);
      this.memoCurrencyIndex = this.fx.currencyIndex(currency);
    }
    const tx = g.add(batch.idRows !== undefined ? batch.idRows[i]! : batch.id[i]!, this.memoSource, t, from, to, minor * this.memoFactor, minor, this.memoCurrencyIndex, batch.channel[i]!, crossBorder);
    const ds = this.detectors;
    if (this.profile) {
      for (let d = 0; d < ds.length; d++) {
        const start = performance.now();
        ds[d]!.onTransaction(tx);
        this.detectorMs[d] = this.detectorMs[d]! + performance.now() - start;
      }
    } else {
      for (let d = 0; d < ds.length; d++) ds[d]!.onTransaction(tx);
    }
    g.settle(tx);
    if (this.releasedMs - this.lastExpireMs >= this.expireEveryMs) {
      this.lastExpireMs = this.releasedMs;
      this.book.expire(this.releasedMs, this.out);
    }
  }

  stats(): EngineStats {
    const typologyMs: Record<string, number> = {};
    this.detectorNames.forEach((n, i) => (typologyMs[n] = Math.round(this.detectorMs[i]!)));
    return {
      transactions: this.graph.total,
      late: this.late,
      releasedEarly: this.releasedEarly,
      untracked: this.graph.untrackedTransactions,
      accounts: this.graph.accountCount,
      pairsKnown: this.graph.pairsKnown(),
      pairForgets: this.graph.pairForgets,
      openAlerts: this.book.openCount,
      alertsEvictedEarly: this.book.evictedEarly,
      currenciesWithoutRate: [...this.fx.missing],
      typologyMs,
    };
  }
}

export function createEngine(config: RulesConfig, options: EngineOptions = {}): Engine {
  return new StreamingEngine(config, options);
}

/** Channel index of a name, for typologies that filter by channel. */
export { channelIndex };
