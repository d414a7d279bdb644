/**
 * ISO 4217 currencies with their minor-unit exponents, plus the crypto assets Rastro follows.
 * Money is kept as an integer count of minor units with its currency; never a float across currencies.
 */

// Active ISO 4217 codes, grouped by exponent (list of 2026; historic codes omitted on purpose).
const EXPONENT_0 =
  'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const EXPONENT_3 = 'BHD IQD JOD KWD LYD OMR TND';
const EXPONENT_4 = 'CLF UYW';
const EXPONENT_2 =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF ' +
  'CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ' +
  'ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR ' +
  'MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN ' +
  'SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';
// Crypto assets (not ISO 4217). Exponents are capped at 8 so that amounts stay exact JS integers
// (2^53 minor units = 90 million BTC); ETH and its tokens are therefore kept at 1e-8 precision.
const CRYPTO: Record<string, number> = { XBT: 8, ETH: 8, USDT: 6, USDC: 6, TRX: 6, LTC: 8, BCH: 8, XMR: 8, DASH: 8, ZEC: 8 };

const EXPONENTS = new Map<string, number>();
for (const [list, exp] of [
  [EXPONENT_0, 0],
  [EXPONENT_2, 2],
  [EXPONENT_3, 3],
  [EXPONENT_4, 4],
] as const) {
  for (const code of list.split(' ')) EXPONENTS.set(code, exp);
}
for (const [code, exp] of Object.entries(CRYPTO)) EXPONENTS.set(code, exp);

/** Names used by data sets in place of codes (IBM AMLworld writes "US Dollar", "Yuan", ...). */
const NAMES = new Map<string, string>(Object.entries({
  'us dollar': 'USD',
  euro: 'EUR',
  yuan: 'CNY',
  'chinese yuan': 'CNY',
  renminbi: 'CNY',
  yen: 'JPY',
  rupee: 'INR',
  ruble: 'RUB',
  rouble: 'RUB',
  'canadian dollar': 'CAD',
  'australian dollar': 'AUD',
  'swiss franc': 'CHF',
  'uk pound': 'GBP',
  'pound sterling': 'GBP',
  'mexican peso': 'MXN',
  'colombian peso': 'COP',
  quetzal: 'GTQ',
  'guatemalan quetzal': 'GTQ',
  lempira: 'HNL',
  'honduran lempira': 'HNL',
  'brazil real': 'BRL',
  'brazilian real': 'BRL',
  'saudi riyal': 'SAR',
  shekel: 'ILS',
  bitcoin: 'XBT',
  btc: 'XBT',
  ether: 'ETH',
  tether: 'USDT',
}));

/** Resolve a code or a known currency name to its canonical code, or undefined when unknown. */
export function currencyCode(raw: string): string | undefined {
  const upper = raw.trim().toUpperCase();
  if (EXPONENTS.has(upper)) return upper;
  return NAMES.get(raw.trim().toLowerCase());
}

/** Minor-unit exponent of a canonical code (2 for USD, 0 for JPY, 8 for XBT). */
export function minorExponent(code: string): number {
  const exp = EXPONENTS.get(code);
  if (exp === undefined) throw new Error(`unknown currency ${JSON.stringify(code)}`);
  return exp;
}

export function isCurrency(code: string): boolean {
  return EXPONENTS.has(code);
}

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/**
 * Parse a decimal amount into integer minor units without going through a float.
 * Accepts an optional sign, digits, one decimal separator and optional thousands separators
 * (the other of `.`/`,`, or spaces). Extra fraction digits beyond the exponent are rounded half
 * away from zero. Returns NaN when the text is not an amount or does not fit exactly in a double.
 */
export function parseAmountMinor(text: string, exponent: number, decimalSeparator: '.' | ',' = '.'): number {
  const groupSeparator = decimalSeparator === '.' ? 44 /* , */ : 46; /* . */
  const decimalCode = decimalSeparator === '.' ? 46 : 44;
  let i = 0;
  let end = text.length;
  while (i < end && text.charCodeAt(i) === 32) i++;
  while (end > i && text.charCodeAt(end - 1) === 32) end--;
  if (i === end) return NaN;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i++;
  }
  let whole = 0;
  let digits = 0;
  let fraction = 0;
  let fractionDigits = 0;
  let roundUp = false;
  let inFraction = false;
  let groupDigits = -1; // digits since the last thousands separator; -1 before any
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (!inFraction) {
        whole = whole * 10 + (c - 48);
        if (groupDigits >= 0 && ++groupDigits > 3) return NaN;
      }
      else if (fractionDigits < exponent) {
        fraction = fraction * 10 + (c - 48);
        fractionDigits++;
      } else if (fractionDigits === exponent) {
        roundUp = c >= 53;
        fractionDigits++;
      }
    } else if (c === decimalCode && !inFraction) {
      if (groupDigits >= 0 && groupDigits !== 3) return NaN;
      inFraction = true;
    } else if ((c === groupSeparator || c === 32 || c === 39) && !inFraction && digits > 0) {
      // thousands separator: 1,234,567.89 / 1.234.567,89 / 1 234 567 / 1'234'567 — groups of exactly three
      if ((groupDigits < 0 && digits > 3) || (groupDigits >= 0 && groupDigits !== 3)) return NaN;
      groupDigits = 0;
    } else if ((c === 101 || c === 69) && digits > 0) {
      return parseScientific(text.slice(0, end), exponent, negative);
    } else {
      return NaN;
    }
  }
  if (digits === 0) return NaN;
  if (!inFraction && groupDigits >= 0 && groupDigits !== 3) return NaN;
  const scale = POW10[exponent] ?? 10 ** exponent;
  const used = Math.min(fractionDigits, exponent);
  let minor = whole * scale + fraction * (POW10[exponent - used] ?? 10 ** (exponent - used));
  if (roundUp) minor += 1;
  if (!Number.isSafeInteger(minor)) return NaN;
  return negative && minor !== 0 ? -minor : minor;
}

/**
 * Scientific notation ("1.0E7", as Java prints doubles) is rewritten as a plain decimal by moving the point
 * in the digit string, then read like any plain amount: same rounding, no float in between.
 */
function parseScientific(text: string, exponent: number, _negative: boolean): number {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d{1,3})\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return NaN;
  const sign = m[1] === '-' ? '-' : '';
  const digits = `${m[2]}${m[3] ?? ''}`;
  const point = m[2]!.length + Number(m[4]);
  if (point > 30 || point < -30) return NaN;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return parseAmountMinor(sign + plain, exponent);
}

/** Format integer minor units as a decimal string ("123456.78"). */
export function formatMinor(minor: number, code: string): string {
  const exp = minorExponent(code);
  if (exp === 0) return String(minor);
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const scale = POW10[exp] ?? 10 ** exp;
  const whole = Math.floor(abs / scale);
  const frac = String(abs - whole * scale).padStart(exp, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** Minor units as a JS number in major units, for display and the alert contract's `value`. */
export function minorToMajor(minor: number, code: string): number {
  return minor / (POW10[minorExponent(code)] ?? 1);
}
