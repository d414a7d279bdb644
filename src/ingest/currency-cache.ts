/**
 * Raw currency cells ("US Dollar", "usd", "MXN") resolved once per distinct value, for the CSV readers' hot loops.
 */
import { currencyCode, minorExponent } from '../model/index.js';

export interface CurrencyInfo {
  code: string;
  exponent: number;
}

/** Distinct raw values remembered per reader; past this, new values are resolved every time (junk cannot grow memory). */
export const MAX_CACHED_VALUES = 4096;

export function currencyInfo(code: string): CurrencyInfo {
  return { code, exponent: minorExponent(code) };
}

export class CurrencyCache {
  private readonly known = new Map<string, CurrencyInfo | null>();

  /** The currency a raw cell names, or null when it names none. */
  lookup(raw: string): CurrencyInfo | null {
    let info = this.known.get(raw);
    if (info === undefined) {
      const code = currencyCode(raw);
      info = code ? currencyInfo(code) : null;
      if (this.known.size < MAX_CACHED_VALUES) this.known.set(raw, info);
    }
    return info;
  }
}
