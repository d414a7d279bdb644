/**
 * How the generator writes rows without building a string per row: each format encodes a transaction into
 * bytes once (accounts, amounts, currency, channel, labels), with one TIME_MARK byte where the timestamp
 * goes. The rows of a UTC day are sorted by minute and written with the minute's stamp put in place of the
 * mark, after a running row number for formats whose rows carry an id (AMLSim `tran_id`, Rastro `id`).
 */
import type { Channel } from '../../model/index.js';
import { minorExponent } from '../../model/index.js';

/** Stands for the timestamp inside an encoded row (never appears in CSV text). */
export const TIME_MARK = 1;

/** What is known of each laundering row: its planned transaction's index and instance. */
export interface RowLabels {
  /** Planned transaction index → instance index. */
  instanceOf: Int32Array;
  /** Per instance: id (`mule-network-3`), kebab-case type (`mule-network`). */
  instances: readonly { id: string; type: string }[];
}

export interface RowFormat {
  readonly transactionsFile: string;
  readonly header: string;
  /** Rows start with their 1-based number in the file and a comma. */
  readonly numbered: boolean;
  /** The last encoded row. */
  readonly row: Uint8Array;
  /** Stamps of the 1,440 minutes of a UTC day, all of one length. */
  minuteStamps(dayStartMs: number): string[];
  /**
   * Encode into `row`; returns the length. `tag` is the planned transaction's index for laundering rows,
   * -1 for benign ones; `branch` the branch a cash deposit was paid in at (-1 for the account's home branch).
   */
  encode(from: number, to: number, amountMinor: number, currency: string, paidMinor: number, paidCurrency: string, channel: Channel, tag: number, branch: number): number;
}

export function putAscii(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

export function putBytes(out: Uint8Array, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) out[at++] = bytes[i]!;
  return at;
}

const DIGITS = new Uint8Array(20);

/** A non-negative whole number in decimal. */
export function putUint(out: Uint8Array, at: number, n: number): number {
  let len = 0;
  do {
    const q = Math.floor(n / 10);
    DIGITS[len++] = 48 + (n - q * 10);
    n = q;
  } while (n > 0);
  while (len > 0) out[at++] = DIGITS[--len]!;
  return at;
}

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Minor units as a decimal with all the currency's digits (`1234.50`, `7`, `0.00012345`). */
export function decimalAmount(minor: number, code: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new Error(`amount ${minor} is not a non-negative whole number of minor units`);
  const exp = minorExponent(code);
  if (exp === 0) return String(minor);
  const scale = 10 ** exp;
  const whole = Math.floor(minor / scale);
  return `${whole}.${String(minor - whole * scale).padStart(exp, '0')}`;
}

/**
 * `text(minor, code)` (by default `decimalAmount`) as bytes, with the cents currencies (all of the world's own)
 * on a fast path that writes `whole.cc`, as every such `text` does.
 */
export function putDecimal(out: Uint8Array, at: number, minor: number, exponent: number, code: string, text: (minor: number, code: string) => string = decimalAmount): number {
  if (exponent !== 2 || !Number.isSafeInteger(minor) || minor < 0) return putAscii(out, at, text(minor, code));
  const whole = Math.floor(minor / 100);
  const cents = minor - whole * 100;
  at = putUint(out, at, whole);
  out[at++] = 46;
  out[at++] = 48 + Math.floor(cents / 10);
  out[at++] = 48 + (cents % 10);
  return at;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DDTHH:MM:00Z` for each minute of the UTC day starting at `dayStartMs`. */
export function isoMinuteStamps(dayStartMs: number): string[] {
  const date = new Date(dayStartMs).toISOString().slice(0, 11);
  const stamps = new Array<string>(1440);
  for (let m = 0; m < 1440; m++) stamps[m] = `${date}${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00Z`;
  return stamps;
}

/** A CSV field, quoted when it needs to be. */
export function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every account's id as bytes, back to back (`<bank><separator><hex>`), for encoders. */
export class AccountTable {
  private readonly bytes: Uint8Array;
  private readonly start: Int32Array;

  constructor(ids: (account: number) => string, count: number) {
    this.start = new Int32Array(count + 1);
    const fields: string[] = [];
    let size = 0;
    for (let a = 0; a < count; a++) {
      const field = ids(a);
      fields.push(field);
      this.start[a] = size;
      size += field.length;
    }
    this.start[count] = size;
    this.bytes = new Uint8Array(size);
    fields.forEach((f, a) => putAscii(this.bytes, this.start[a]!, f));
  }

  put(out: Uint8Array, at: number, account: number): number {
    if (!(account >= 0 && account < this.start.length - 1)) throw new Error(`internal: account ${account} opened after the output format was built`);
    const bytes = this.bytes;
    const end = this.start[account + 1]!;
    for (let i = this.start[account]!; i < end; i++) out[at++] = bytes[i]!;
    return at;
  }
}
