/** Bounded walks over the window graph shared by the flow-shaped typologies. */
import type { WindowGraph } from '../graph.js';

/**
 * Sum of what `account` sent at times in [afterMs, uptoMs], newest first, at most `cap` transactions
 * examined; the transactions counted are appended to `into` when given.
 */
export function sentBetween(g: WindowGraph, account: number, afterMs: number, uptoMs: number, cap: number, into?: number[]): number {
  let sum = 0;
  let seen = 0;
  for (let e = g.newestOut(account); e >= 0 && seen < cap; e = g.prevOut(e)) {
    seen++;
    const te = g.time(e);
    if (te < afterMs) break;
    if (te > uptoMs) continue;
    const a = g.base(e);
    if (a === a) sum += a;
    into?.push(e);
  }
  return sum;
}

/**
 * Newest transaction into `account` at a time in [sinceMs, beforeMs], other than `except`, whose amount
 * `amountIn` satisfies lo ≤ amountOut / amountIn ≤ hi; -1 when none among the `cap` newest.
 */
export function matchingIn(g: WindowGraph, account: number, sinceMs: number, beforeMs: number, amountOut: number, lo: number, hi: number, cap: number, except = -1): number {
  let seen = 0;
  for (let e = g.newestIn(account); e >= 0 && seen < cap; e = g.prevIn(e)) {
    seen++;
    const te = g.time(e);
    if (te < sinceMs) break;
    if (te > beforeMs || e === except) continue;
    const r = amountOut / g.base(e);
    if (r >= lo && r <= hi) return e;
  }
  return -1;
}

/** True when `from` had not paid `to` before `sinceMs` (as far as the pair memory knows). */
export function newPair(g: WindowGraph, from: number, to: number, sinceMs: number): boolean {
  return !(g.pairSince(from, to) < sinceMs);
}

/** log-scaled size of an amount: 100 → 0, 10,000 → 1 (base-currency units). */
export function sizeOf(amount: number): number {
  const v = Math.log10(Math.max(1, amount) / 100) / 2;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Growable per-account float column for detector state. */
export class AccountColumn {
  data: Float64Array;
  constructor(
    initial = 1024,
    private readonly fill = 0,
  ) {
    this.data = new Float64Array(initial).fill(fill);
  }
  ensure(account: number): Float64Array {
    if (account >= this.data.length) {
      let n = this.data.length;
      while (n <= account) n *= 2;
      const next = new Float64Array(n).fill(this.fill);
      next.set(this.data);
      this.data = next;
    }
    return this.data;
  }
}

/**
 * Bounded map from transaction numbers to the chain (alert key) they belong to, so that a chain of
 * pass-through accounts becomes one alert. At `cap` entries the oldest half is forgotten.
 */
export class ChainIndex {
  private readonly map = new Map<number, string>();
  constructor(private readonly cap: number) {}
  get(tx: number): string | undefined {
    return this.map.get(tx);
  }
  set(tx: number, key: string): void {
    if (this.map.size >= this.cap) {
      let drop = this.cap >> 1;
      for (const k of this.map.keys()) {
        if (drop-- <= 0) break;
        this.map.delete(k);
      }
    }
    this.map.set(tx, key);
  }
}

/**
 * Per index (an account, or an account and side): the largest value seen in earlier windows, and the one of
 * the current window. "Has this account done this before?" for fans and round amounts.
 */
export class WindowPeak {
  private readonly past = new AccountColumn(1024, 0);
  private readonly current = new AccountColumn(1024, 0);
  private readonly currentMs = new AccountColumn(1024, -Infinity);

  /** Record `value` for `index` at time `t` (window starting at `sinceMs`); returns the earlier windows' peak. */
  observe(index: number, value: number, t: number, sinceMs: number): number {
    const past = this.past.ensure(index);
    const cur = this.current.ensure(index);
    const ms = this.currentMs.ensure(index);
    if (ms[index]! < sinceMs) {
      past[index] = Math.max(past[index]!, cur[index]!);
      cur[index] = 0;
    }
    if (value > cur[index]!) cur[index] = value;
    ms[index] = t;
    return past[index]!;
  }
}
