/**
 * Dated exchange rates of the world's currencies: a mean-reverting random walk around the 2022 level, one
 * rate per currency and day, so a cross-currency payment's Amount Received and Amount Paid differ the way
 * they do in real statements (interbank rate of the day, minus the payer's bank or provider spread).
 */
import { minorExponent } from '../model/index.js';
import { FX_DAILY_VOLATILITY, FX_PER_USD } from './geography.js';
import type { Rng } from './rng.js';

/** Pull back towards the starting level per day, so long worlds do not drift to absurd rates. */
const MEAN_REVERSION_PER_DAY = 0.02;

export class FxTable {
  readonly currencies: readonly string[];
  private readonly index: Map<string, number>;
  /** Units per USD, [day * currencies + currency]. */
  private readonly perUsd: Float64Array;

  constructor(
    readonly days: number,
    rng: Rng,
  ) {
    this.currencies = Object.keys(FX_PER_USD);
    this.index = new Map(this.currencies.map((c, i) => [c, i]));
    const n = this.currencies.length;
    this.perUsd = new Float64Array(Math.max(1, days) * n);
    this.currencies.forEach((code, c) => {
      const base = FX_PER_USD[code]!;
      const vol = FX_DAILY_VOLATILITY[code] ?? 0;
      let logDev = 0;
      for (let d = 0; d < days; d++) {
        this.perUsd[d * n + c] = base * Math.exp(logDev);
        logDev = logDev * (1 - MEAN_REVERSION_PER_DAY) + vol * rng.normal();
      }
    });
  }

  has(code: string): boolean {
    return this.index.has(code);
  }

  /** Units of `code` per US dollar on `day`. */
  rate(code: string, day: number): number {
    const c = this.index.get(code);
    if (c === undefined) throw new Error(`no exchange rate for ${code}`);
    const d = Math.min(Math.max(0, day), this.days - 1);
    return this.perUsd[d * this.currencies.length + c]!;
  }

  /**
   * Convert minor units of `from` into minor units of `to` at the rate of `day`, less `spread` (a fraction:
   * what the bank or remittance provider keeps). Same currency: unchanged.
   */
  convert(amountMinor: number, from: string, to: string, day: number, spread = 0): number {
    if (from === to) return amountMinor;
    const major = amountMinor / 10 ** minorExponent(from);
    const converted = (major / this.rate(from, day)) * this.rate(to, day) * (1 - spread);
    return Math.round(converted * 10 ** minorExponent(to));
  }
}
