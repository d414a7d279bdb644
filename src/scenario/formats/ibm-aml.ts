/**
 * Writing the world in the IBM AMLworld layout (Altman et al., NeurIPS 2023): `Trans.csv` rows
 * `Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,
 * Payment Format,Is Laundering` with `YYYY/MM/DD HH:MM` times, IBM's currency names and payment formats, and
 * `Patterns.txt` blocks (`BEGIN LAUNDERING ATTEMPT - <TITLE>` ... `END LAUNDERING ATTEMPT - <TYPE>`) holding
 * exactly the laundering rows of `Trans.csv`. Rastro's IBM reader reads both back.
 */
import { currencyCode, minorExponent, type Channel } from '../../model/index.js';
import { DAY_MS, MINUTE_MS } from '../calendar.js';
import type { SchemeInstance } from '../scheme.js';
import type { World } from '../world.js';
import { putAscii, putBytes, putUint, TIME_MARK, type RowFormat } from './row-format.js';

export const IBM_TRANS_HEADER =
  'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';

/** IBM's currency names; Colombian peso, quetzal and lempira (not in AMLworld) named in the same style. */
const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'US Dollar', EUR: 'Euro', MXN: 'Mexican Peso', CNY: 'Yuan', JPY: 'Yen', INR: 'Rupee', RUB: 'Ruble',
  CAD: 'Canadian Dollar', AUD: 'Australian Dollar', CHF: 'Swiss Franc', GBP: 'UK Pound', BRL: 'Brazil Real',
  SAR: 'Saudi Riyal', ILS: 'Shekel', XBT: 'Bitcoin', COP: 'Colombian Peso', GTQ: 'Quetzal', HNL: 'Lempira',
};
for (const [code, name] of Object.entries(CURRENCY_NAMES)) {
  if (currencyCode(name) !== code) throw new Error(`internal: IBM currency name ${name} does not read back as ${code}`);
}

const PAYMENT_FORMATS: Partial<Record<Channel, string>> = {
  ach: 'ACH', wire: 'Wire', cash: 'Cash', cheque: 'Cheque', card: 'Credit Card', reinvestment: 'Reinvestment', crypto: 'Bitcoin',
};

export function ibmCurrencyName(code: string): string {
  const name = CURRENCY_NAMES[code];
  if (name === undefined) throw new Error(`no IBM AMLworld name for currency ${code}`);
  return name;
}

export function ibmPaymentFormat(channel: Channel): string {
  const name = PAYMENT_FORMATS[channel];
  if (name === undefined) throw new Error(`no IBM AMLworld payment format for channel ${channel}`);
  return name;
}

/**
 * The IBM payment format a channel is written as. AMLworld has no remittance, mobile or internal format:
 * a remittance company's transfer is written as a Wire (what it is between the two countries), a payment
 * through a mobile app or between accounts of one bank as ACH. The Rastro format keeps the channel.
 */
export function ibmWrittenFormat(channel: Channel): string {
  if (channel === 'remittance') return 'Wire';
  if (channel === 'mobile' || channel === 'internal' || channel === 'other') return 'ACH';
  return ibmPaymentFormat(channel);
}

/** Two decimals as IBM writes every fiat amount (also Yen); crypto with its significant decimals. */
export function ibmAmount(minor: number, code: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new Error(`amount ${minor} is not a non-negative whole number of minor units`);
  const exp = minorExponent(code);
  if (exp === 0) return `${minor}.00`;
  const scale = 10 ** exp;
  const whole = Math.floor(minor / scale);
  let frac = String(minor - whole * scale).padStart(exp, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${whole}.${frac}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function ibmTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** The 1,440 timestamps of one UTC day, built once per day instead of once per row. */
export function minuteStamps(dayStartMs: number): string[] {
  if (dayStartMs % DAY_MS !== 0) throw new Error('days start at midnight UTC');
  const date = ibmTimestamp(dayStartMs).slice(0, 11);
  const stamps = new Array<string>(1440);
  for (let m = 0; m < 1440; m++) stamps[m] = `${date}${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
  return stamps;
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/**
 * Encodes rows of one world as bytes (no string per row): TIME_MARK, then everything after the timestamp,
 * starting with the comma. Built once the world's accounts are final (after the schemes have planned).
 */
export class IbmRowFormat implements RowFormat {
  readonly transactionsFile = 'Trans.csv';
  readonly header = IBM_TRANS_HEADER;
  readonly numbered = false;
  /** `bank,account` of every account, back to back. */
  private readonly accountBytes: Uint8Array;
  private readonly accountStart: Int32Array;
  private readonly currencies = new Map<string, { name: Uint8Array; exponent: number }>();
  private readonly formats = new Map<Channel, Uint8Array>();
  /** The last encoded row. */
  readonly row = new Uint8Array(1024);

  constructor(world: World) {
    const n = world.accountCount;
    this.accountStart = new Int32Array(n + 1);
    const fields: string[] = [];
    let size = 0;
    for (let a = 0; a < n; a++) {
      const field = `${world.bankCode(a)},${world.accountHex(a)}`;
      fields.push(field);
      this.accountStart[a] = size;
      size += field.length;
    }
    this.accountStart[n] = size;
    this.accountBytes = new Uint8Array(size);
    fields.forEach((f, a) => putAscii(this.accountBytes, this.accountStart[a]!, f));
  }

  minuteStamps(dayStartMs: number): string[] {
    return minuteStamps(dayStartMs);
  }

  /** Encode into `row`; returns the length. */
  encode(from: number, to: number, amountMinor: number, currency: string, paidMinor: number, paidCurrency: string, channel: Channel, tag: number, _branch = -1): number {
    const out = this.row;
    let at = 0;
    out[at++] = TIME_MARK;
    out[at++] = 44;
    at = this.putAccount(out, at, from);
    out[at++] = 44;
    at = this.putAccount(out, at, to);
    out[at++] = 44;
    const received = this.currency(currency);
    at = putAmountIbm(out, at, amountMinor, received.exponent, currency);
    out[at++] = 44;
    at = putBytes(out, at, received.name);
    out[at++] = 44;
    const paid = paidCurrency === currency ? received : this.currency(paidCurrency);
    at = putAmountIbm(out, at, paidMinor, paid.exponent, paidCurrency);
    out[at++] = 44;
    at = putBytes(out, at, paid.name);
    out[at++] = 44;
    at = putBytes(out, at, this.format(channel));
    out[at++] = 44;
    out[at++] = tag >= 0 ? 49 : 48;
    return at;
  }

  /** The row after its timestamp as text (for Patterns.txt, so that its rows are byte for byte those of Trans.csv). */
  body(from: number, to: number, amountMinor: number, currency: string, paidMinor: number, paidCurrency: string, channel: Channel, laundering: boolean): string {
    const length = this.encode(from, to, amountMinor, currency, paidMinor, paidCurrency, channel, laundering ? 0 : -1);
    return String.fromCharCode(...this.row.subarray(1, length));
  }

  private putAccount(out: Uint8Array, at: number, account: number): number {
    if (!(account >= 0 && account < this.accountStart.length - 1)) throw new Error(`internal: account ${account} opened after the output format was built`);
    const bytes = this.accountBytes;
    const end = this.accountStart[account + 1]!;
    for (let i = this.accountStart[account]!; i < end; i++) out[at++] = bytes[i]!;
    return at;
  }

  private currency(code: string): { name: Uint8Array; exponent: number } {
    let c = this.currencies.get(code);
    if (c === undefined) {
      c = { name: ascii(ibmCurrencyName(code)), exponent: minorExponent(code) };
      this.currencies.set(code, c);
    }
    return c;
  }

  private format(channel: Channel): Uint8Array {
    let f = this.formats.get(channel);
    if (f === undefined) {
      f = ascii(ibmWrittenFormat(channel));
      this.formats.set(channel, f);
    }
    return f;
  }
}

/** `ibmAmount` as bytes; cents currencies (all the world's own) on a fast path. */
function putAmountIbm(out: Uint8Array, at: number, minor: number, exponent: number, code: string): number {
  if (exponent !== 2 || !Number.isSafeInteger(minor) || minor < 0) return putAscii(out, at, ibmAmount(minor, code));
  const whole = Math.floor(minor / 100);
  const cents = minor - whole * 100;
  at = putUint(out, at, whole);
  out[at++] = 46;
  out[at++] = 48 + Math.floor(cents / 10);
  out[at++] = 48 + (cents % 10);
  return at;
}

/** One `Patterns.txt` block: the instance's rows exactly as written in `Trans.csv`, in time order. */
export function ibmPatternBlock(instance: SchemeInstance, format: IbmRowFormat): string {
  const lines = [`BEGIN LAUNDERING ATTEMPT - ${instance.title}`];
  for (const tx of instance.transactions) {
    if (tx.timeMs % MINUTE_MS !== 0) throw new Error(`instance ${instance.id}: time ${tx.timeMs} is not a whole minute`);
    lines.push(ibmTimestamp(tx.timeMs) + format.body(tx.from, tx.to, tx.amountMinor, tx.currency, tx.paidMinor, tx.paidCurrency, tx.channel, true));
  }
  lines.push(`END LAUNDERING ATTEMPT - ${instance.type}`, '');
  return lines.join('\n') + '\n';
}
