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
import { AccountTable, ascii, pad2, putBytes, putDecimal, TIME_MARK, type RowFormat } from './row-format.js';

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

/**
 * Encodes rows of one world as bytes (no string per row): TIME_MARK, then everything after the timestamp,
 * starting with the comma. Built once the world's accounts are final (after the schemes have planned).
 */
export class IbmRowFormat implements RowFormat {
  readonly transactionsFile = 'Trans.csv';
  readonly header = IBM_TRANS_HEADER;
  readonly numbered = false;
  /** `bank,account` of every account, back to back. */
  private readonly accounts: AccountTable;
  private readonly currencies = new Map<string, { name: Uint8Array; exponent: number }>();
  private readonly formats = new Map<Channel, Uint8Array>();
  /** The last encoded row. */
  readonly row = new Uint8Array(1024);

  constructor(world: World) {
    this.accounts = new AccountTable((a) => `${world.bankCode(a)},${world.accountHex(a)}`, world.accountCount);
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
    at = this.accounts.put(out, at, from);
    out[at++] = 44;
    at = this.accounts.put(out, at, to);
    out[at++] = 44;
    const received = this.currency(currency);
    at = putDecimal(out, at, amountMinor, received.exponent, currency, ibmAmount);
    out[at++] = 44;
    at = putBytes(out, at, received.name);
    out[at++] = 44;
    const paid = paidCurrency === currency ? received : this.currency(paidCurrency);
    at = putDecimal(out, at, paidMinor, paid.exponent, paidCurrency, ibmAmount);
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
