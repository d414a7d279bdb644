/**
 * Conversion of amounts into one base currency, so that typologies can compare a 9,500 EUR deposit with a
 * 10,000 USD threshold or a 38,952 CNY hop with a 5,899 USD one. Rates are configuration ("1 unit of X is
 * worth r base units"), never fetched: an agency sets the dated rates it files with. The defaults are
 * approximate mid-2022 rates (the period of the IBM AMLworld data sets) and are documented as such.
 */
import { minorExponent } from '../model/index.js';

export const DEFAULT_BASE_CURRENCY = 'USD';

export const DEFAULT_RATES_TO_USD: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 1.0,
  GBP: 1.17,
  CHF: 1.04,
  CAD: 0.77,
  AUD: 0.69,
  JPY: 0.0071,
  CNY: 0.145,
  INR: 0.0126,
  SAR: 0.266,
  ILS: 0.29,
  RUB: 0.0165,
  MXN: 0.05,
  BRL: 0.19,
  COP: 0.00023,
  GTQ: 0.129,
  HNL: 0.0406,
  PEN: 0.26,
  ARS: 0.0071,
  CLP: 0.0011,
  DOP: 0.0183,
  XBT: 20_000,
  ETH: 1_500,
  USDT: 1,
  USDC: 1,
};

export class FxTable {
  private readonly factors = new Map<string, number>();
  private readonly codes: string[] = [];
  private readonly codeIndex = new Map<string, number>();
  /** Currencies met without a rate: their amounts are NaN in the base currency. */
  readonly missing = new Set<string>();

  constructor(
    readonly base: string,
    private readonly rates: Readonly<Record<string, number>>,
  ) {}

  /** Multiplier from minor units of `currency` to base major units (NaN without a rate). */
  factor(currency: string): number {
    let f = this.factors.get(currency);
    if (f === undefined) {
      const rate = currency === this.base ? 1 : this.rates[currency];
      if (rate === undefined) {
        this.missing.add(currency);
        f = NaN;
      } else {
        f = rate / 10 ** minorExponent(currency);
      }
      this.factors.set(currency, f);
    }
    return f;
  }

  /** Small dense index of a currency code, for typed-array columns. */
  currencyIndex(currency: string): number {
    let i = this.codeIndex.get(currency);
    if (i === undefined) {
      i = this.codes.length;
      this.codes.push(currency);
      this.codeIndex.set(currency, i);
    }
    return i;
  }

  currencyCode(index: number): string {
    return this.codes[index] ?? this.base;
  }

  /** Base-currency major units of `minor` units of `currency`. */
  toBase(minor: number, currency: string): number {
    return minor * this.factor(currency);
  }
}
