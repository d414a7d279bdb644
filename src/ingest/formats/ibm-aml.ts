/**
 * IBM AMLworld (Altman et al., NeurIPS 2023): `*_Trans.csv` and the `*_Patterns.txt` laundering attempts.
 * Account id = `<bank>/<account>` exactly as written (zero padding kept). `Is Laundering` and the
 * pattern blocks are ground truth: kept as labels, never as transaction attributes.
 */
import { channelIndex, parseAmountMinor, type Channel } from '../../model/index.js';
import { parseIbmTimestamp, utcInstant } from '../../model/time.js';
import { BytePairCache, ByteTokenCache } from '../bytes.js';
import { CsvTokenizer, type CsvSink } from '../csv.js';
import { BatchBuilder, type FormatReader, type IngestBatch, type ReadContext } from '../reader.js';
import { PairInterner } from '../interner.js';
import { CurrencyCache, type CurrencyInfo } from '../currency-cache.js';
import { isBytePiece, readLinePieces, readTextPieces, type BytePiece } from '../text.js';

const HEADER = [
  'Timestamp',
  'From Bank',
  'Account',
  'To Bank',
  'Account',
  'Amount Received',
  'Receiving Currency',
  'Amount Paid',
  'Payment Currency',
  'Payment Format',
];
const LABEL = 'Is Laundering';

const PAYMENT_FORMATS: Record<string, Channel> = {
  ACH: 'ach',
  Wire: 'wire',
  Cash: 'cash',
  Cheque: 'cheque',
  'Credit Card': 'card',
  Reinvestment: 'reinvestment',
  Bitcoin: 'crypto',
};
const CHANNEL_CODES = new Map(Object.entries(PAYMENT_FORMATS).map(([k, v]) => [k, channelIndex(v)]));

const PATTERN_BEGIN = 'BEGIN LAUNDERING ATTEMPT';
const PATTERN_END = 'END LAUNDERING ATTEMPT';

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const CR = 13;
/** Fields the byte path splits a line into before it gives up on the line (the layout has 10 or 11). */
const MAX_BYTE_FIELDS = HEADER.length + 1;
/** Longest bank or account field the byte path interns (the pair cache keeps 16-bit lengths); longer: text path. */
const MAX_KEY_FIELD_BYTES = 0xffff;
/** Distinct bank strings shared between accounts (beyond, each account keeps its own). */
const MAX_SHARED_BANKS = 1 << 16;
const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/**
 * `parseAmountMinor` of bytes [start, end), for the plain form only (digits with at most one `.`); NaN for
 * anything else (signs, separators, spaces, exponents, no digit), which the caller then reads as text.
 * The arithmetic is the same as `parseAmountMinor`'s, step by step, so the results are identical.
 */
function plainAmountMinor(buf: Uint8Array, start: number, end: number, exponent: number): number {
  let whole = 0;
  let digits = 0;
  let fraction = 0;
  let fractionDigits = 0;
  let roundUp = false;
  let inFraction = false;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      digits++;
      if (!inFraction) whole = whole * 10 + (c - 48);
      else if (fractionDigits < exponent) {
        fraction = fraction * 10 + (c - 48);
        fractionDigits++;
      } else if (fractionDigits === exponent) {
        roundUp = c >= 53;
        fractionDigits++;
      }
    } else if (c === 46 && !inFraction) {
      inFraction = true;
    } else {
      return NaN;
    }
  }
  if (digits === 0) return NaN;
  const scale = POW10[exponent] ?? 10 ** exponent;
  const used = Math.min(fractionDigits, exponent);
  let minor = whole * scale + fraction * (POW10[exponent - used] ?? 10 ** (exponent - used));
  if (roundUp) minor += 1;
  return Number.isSafeInteger(minor) ? minor : NaN;
}

function sameField(buf: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (buf[aStart + i] !== buf[bStart + i]) return false;
  return true;
}

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(buf: Uint8Array, i: number): number {
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}


/** Per-read state and row parsing; one instance per file. */
class IbmRowParser implements CsvSink {
  private row = 0;
  private headerSeen: boolean;
  private expected = HEADER.length;
  private labelIndex = -1;
  private readonly currencies = new CurrencyCache();
  private readonly accounts = new PairInterner('/');
  // Patterns.txt state
  private scheme: string | undefined;
  private instance = 0;
  private instanceId: string | undefined;
  // Byte path state: field bounds of the current line, and byte-keyed views of the caches above.
  private readonly starts = new Int32Array(MAX_BYTE_FIELDS);
  private readonly ends = new Int32Array(MAX_BYTE_FIELDS);
  private readonly currencyBytes = new ByteTokenCache<CurrencyInfo | null>();
  private readonly channelBytes = new ByteTokenCache<number>();
  private readonly accountBytes = new BytePairCache();
  private readonly banks = new Map<string, string>();
  /** UTC midnight of the last date seen (key y*10000+m*100+d), the byte path's shortcut around `utcInstant`. */
  private dayKey = -1;
  private dayMs = NaN;

  constructor(
    private readonly out: BatchBuilder,
    private readonly tokenizer: CsvTokenizer,
    private readonly patterns: boolean,
  ) {
    this.headerSeen = patterns;
    if (patterns) {
      this.expected = HEADER.length + 1;
      this.labelIndex = HEADER.length;
    }
  }


  bad(line: number, reason: string, raw: string): void {
    if (this.headerSeen) this.row++;
    this.out.reject(line, reason, raw);
  }

  record(f: string[], count: number, line: number): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      const names = f.slice(0, count).map((s) => s.trim());
      const matches = HEADER.every((h, i) => names[i] === h);
      if (!matches || (count === HEADER.length + 1 && names[HEADER.length] !== LABEL) || count > HEADER.length + 1) {
        this.out.reject(line, `not an IBM AMLworld header: expected ${[...HEADER, LABEL].join(',')}`, this.tokenizer.raw());
        this.expected = -1;
        return;
      }
      this.expected = count;
      this.labelIndex = count === HEADER.length + 1 ? HEADER.length : -1;
      return;
    }
    if (this.patterns && count === 1) {
      const text = f[0]!;
      if (text.startsWith(PATTERN_BEGIN)) {
        this.instance++;
        const kind = text.slice(PATTERN_BEGIN.length).replace(/^\s*-\s*/, '').split(':')[0]!.trim();
        this.scheme = kind.toLowerCase().replace(/[^a-z0-9]+/g, '-');
        this.instanceId = `${this.instance}`;
        return;
      }
      if (text.startsWith(PATTERN_END)) {
        this.scheme = undefined;
        this.instanceId = undefined;
        return;
      }
    }
    this.row++;
    if (this.expected < 0) {
      this.out.reject(line, 'file has no valid IBM AMLworld header', this.tokenizer.raw());
      return;
    }
    if (count !== this.expected) {
      this.out.reject(line, `expected ${this.expected} columns, found ${count}`, this.tokenizer.raw());
      return;
    }
    const timeMs = parseIbmTimestamp(f[0]!);
    if (Number.isNaN(timeMs)) return this.fail(line, `unparseable timestamp ${JSON.stringify(f[0])} (expected YYYY/MM/DD HH:MM)`);
    const received = this.currencies.lookup(f[6]!);
    if (received === null) return this.fail(line, `unknown currency ${JSON.stringify(f[6])}`);
    const paid = f[8] === f[6] ? received : this.currencies.lookup(f[8]!);
    if (paid === null) return this.fail(line, `unknown currency ${JSON.stringify(f[8])}`);
    const amount = parseAmountMinor(f[5]!, received.exponent);
    if (Number.isNaN(amount) || amount < 0) return this.fail(line, `unparseable amount received ${JSON.stringify(f[5])}`);
    const paidAmount = f[7] === f[5] && paid === received ? amount : parseAmountMinor(f[7]!, paid.exponent);
    if (Number.isNaN(paidAmount) || paidAmount < 0) return this.fail(line, `unparseable amount paid ${JSON.stringify(f[7])}`);
    const channel = CHANNEL_CODES.get(f[9]!);
    if (channel === undefined) return this.fail(line, `unknown payment format ${JSON.stringify(f[9])}`);
    const fromBank = f[1]!;
    const toBank = f[3]!;
    if (fromBank === '' || f[2] === '' || toBank === '' || f[4] === '') return this.fail(line, 'empty bank or account');
    const from = this.accounts.get(fromBank, f[2]!);
    const fromRef = this.accounts.lastId;
    const to = this.accounts.get(toBank, f[4]!);
    const toRef = this.accounts.lastId;
    const id = `row:${this.row}`;
    const converted = paid !== received || paidAmount !== amount;
    // Account records are derived by the store from the transactions and their institutions.
    this.out.tx.push(id, timeMs, from, to, amount, received.code, channel, line, converted ? paidAmount : NaN, converted ? paid.code : undefined, undefined, undefined, fromBank, toBank);
    const batch = this.out.batch;
    const txs = batch.transactions;
    txs.setRefs(this.accounts, txs.length - 1, fromRef, toRef);
    if (this.labelIndex >= 0) {
      const label = f[this.labelIndex]!;
      if (label === '1' || this.scheme !== undefined) {
        batch.truth.push({
          source: batch.source,
          transactionId: id,
          laundering: label === '1',
          scheme: this.scheme,
          instance: this.instanceId,
        });
      }
    }
  }

  private fail(line: number, reason: string): void {
    this.out.reject(line, reason, this.tokenizer.raw());
  }

  /**
   * A piece of undecoded lines. Data rows of the plain shape (no quote; the expected number of fields; a
   * timestamp, amounts, currencies and format the fast checks accept) are read straight from the bytes;
   * every other line — the header, blank and quoted lines, anything that might be a reject — goes through
   * the tokenizer and `record` as text, so rejects, ids and values are exactly the text path's.
   */
  bytes(piece: BytePiece): void {
    const buf = piece.bytes;
    const n = buf.length;
    const starts = this.starts;
    const ends = this.ends;
    let line = piece.firstLine;
    let pos = 0;
    while (pos < n) {
      let count = 0;
      let fieldStart = pos;
      let quoted = false;
      let i = pos;
      for (; i < n; i++) {
        const c = buf[i]!;
        if (c > COMMA) continue; // most bytes: comma, newline and quote are all below
        if (c === COMMA) {
          if (count < MAX_BYTE_FIELDS) {
            starts[count] = fieldStart;
            ends[count] = i;
          }
          count++;
          fieldStart = i + 1;
        } else if (c === NEWLINE) break;
        else if (c === QUOTE) quoted = true;
      }
      const next = i + 1;
      let end = i;
      if (end > pos && buf[end - 1] === CR) end--;
      if (!this.tokenizer.idle) {
        // Inside a quoted record every line belongs to it, blank ones included.
        this.tokenizer.push({ text: buf.toString('utf8', pos, Math.min(next, n)), firstLine: line }, this);
      } else if (end > pos) {
        if (count < MAX_BYTE_FIELDS) {
          starts[count] = fieldStart;
          ends[count] = end < fieldStart ? fieldStart : end;
        }
        count++;
        if (quoted || count !== this.expected || !this.headerSeen || this.patterns || !this.fastRow(buf, line)) {
          this.tokenizer.push({ text: buf.toString('utf8', pos, Math.min(next, n)), firstLine: line }, this);
        }
      }
      pos = next;
      line++;
    }
  }

  /** One plain data row from bytes; false (nothing done) when the row needs the text path. */
  private fastRow(buf: Buffer, line: number): boolean {
    const s = this.starts;
    const e = this.ends;
    // 0: timestamp YYYY/MM/DD HH:MM
    const t = s[0]!;
    if (e[0]! - t !== 16 || buf[t + 4] !== 47 || buf[t + 7] !== 47 || buf[t + 10] !== 32 || buf[t + 13] !== 58) return false;
    const century = twoDigits(buf, t);
    const year2 = twoDigits(buf, t + 2);
    const month = twoDigits(buf, t + 5);
    const day = twoDigits(buf, t + 8);
    const hour = twoDigits(buf, t + 11);
    const minute = twoDigits(buf, t + 14);
    if ((century | year2 | month | day | hour | minute) < 0 || hour > 23 || minute > 59) return false;
    const key = (century * 100 + year2) * 10000 + month * 100 + day;
    if (key !== this.dayKey) {
      this.dayMs = utcInstant(century * 100 + year2, month, day);
      this.dayKey = key;
    }
    if (Number.isNaN(this.dayMs)) return false;
    const timeMs = this.dayMs + hour * 3_600_000 + minute * 60_000;
    // 6, 8: currencies
    const received = this.currencyOf(buf, s[6]!, e[6]!);
    if (received === null) return false;
    const sameCurrency = sameField(buf, s[8]!, e[8]!, s[6]!, e[6]!);
    const paid = sameCurrency ? received : this.currencyOf(buf, s[8]!, e[8]!);
    if (paid === null) return false;
    // 5, 7: amounts
    const amount = plainAmountMinor(buf, s[5]!, e[5]!, received.exponent);
    if (Number.isNaN(amount)) return false;
    const paidAmount = sameCurrency && sameField(buf, s[7]!, e[7]!, s[5]!, e[5]!) ? amount : plainAmountMinor(buf, s[7]!, e[7]!, paid.exponent);
    if (Number.isNaN(paidAmount)) return false;
    // 9: payment format
    const knownChannel = this.channelBytes.find(buf, s[9]!, e[9]!);
    let channel: number;
    if (knownChannel >= 0) channel = this.channelBytes.value(knownChannel);
    else {
      channel = CHANNEL_CODES.get(buf.toString('utf8', s[9]!, e[9]!)) ?? -1;
      this.channelBytes.set(buf, s[9]!, e[9]!, channel);
    }
    if (channel < 0) return false;
    // 1-4: banks and accounts, interned in the text path's order (from, then to)
    if (e[1] === s[1] || e[2] === s[2] || e[3] === s[3] || e[4] === s[4]) return false;
    if (e[1]! - s[1]! > MAX_KEY_FIELD_BYTES || e[2]! - s[2]! > MAX_KEY_FIELD_BYTES || e[3]! - s[3]! > MAX_KEY_FIELD_BYTES || e[4]! - s[4]! > MAX_KEY_FIELD_BYTES) return false;
    const cache = this.accountBytes;
    const fromHash = cache.hash(buf, s[1]!, e[1]!, s[2]!, e[2]!);
    const toHash = cache.hash(buf, s[3]!, e[3]!, s[4]!, e[4]!);
    cache.touch(fromHash, toHash);
    this.account(buf, s[1]!, e[1]!, s[2]!, e[2]!, fromHash);
    const from = this.pairOut;
    const fromRef = this.refOut;
    const fromBank = this.bankOut;
    this.account(buf, s[3]!, e[3]!, s[4]!, e[4]!, toHash);
    this.row++;
    const id = `row:${this.row}`;
    const converted = !sameCurrency || paidAmount !== amount;
    const to = this.pairOut;
    const toRef = this.refOut;
    const toBank = this.bankOut;
    this.out.tx.push(id, timeMs, from, to, amount, received.code, channel, line, converted ? paidAmount : NaN, converted ? paid.code : undefined, undefined, undefined, fromBank, toBank);
    const batch = this.out.batch;
    const txs = batch.transactions;
    txs.setRefs(this.accounts, txs.length - 1, fromRef, toRef);
    if (this.labelIndex >= 0) {
      const ls = s[this.labelIndex]!;
      if (e[this.labelIndex]! - ls === 1 && buf[ls] === 49) {
        batch.truth.push({ source: batch.source, transactionId: id, laundering: true, scheme: undefined, instance: undefined });
      }
    }
    return true;
  }

  /** The currency a raw cell names (only its code and exponent are used: the row compares raw cells itself). */
  private currencyOf(buf: Buffer, start: number, end: number): CurrencyInfo | null {
    const entry = this.currencyBytes.find(buf, start, end);
    if (entry >= 0) return this.currencyBytes.value(entry);
    const info = this.currencies.lookup(buf.toString('utf8', start, end));
    this.currencyBytes.set(buf, start, end, info);
    return info;
  }

  private pairOut = '';
  private refOut = -1;
  private bankOut = '';

  /** The interned `<bank>/<account>` of two byte fields, its dense id and the bank as text, into the *Out fields. */
  private account(buf: Buffer, bankStart: number, bankEnd: number, accountStart: number, accountEnd: number, hash: number): void {
    const cache = this.accountBytes;
    const slot = cache.lookup(buf, bankStart, bankEnd, accountStart, accountEnd, hash);
    if (slot >= 0) {
      const strings = cache.stringsAt(slot);
      this.refOut = cache.ref(slot);
      this.pairOut = cache.string(strings);
      this.bankOut = cache.string(strings + 1);
      return;
    }
    let bank = buf.toString('utf8', bankStart, bankEnd);
    // One string per bank, shared by its accounts: consumers compare institutions of rows by identity first.
    const shared = this.banks.get(bank);
    if (shared !== undefined) bank = shared;
    else if (this.banks.size < MAX_SHARED_BANKS) this.banks.set(bank, bank);
    this.pairOut = this.accounts.get(bank, buf.toString('utf8', accountStart, accountEnd));
    this.refOut = this.accounts.lastId;
    this.bankOut = bank;
    // Past the interner's bound it remembers nothing new (lastId -1): neither does the byte cache.
    if (this.refOut >= 0) cache.add(buf, bankStart, bankEnd, accountStart, accountEnd, this.pairOut, this.refOut, bank);
  }
}

export interface IbmReadOptions {
  /** Read plain data rows straight from the bytes (default true); false: every line through the text path. */
  bytePath?: boolean;
}

async function* readIbm(ctx: ReadContext, patterns: boolean, options: IbmReadOptions): AsyncGenerator<IngestBatch> {
  const out = new BatchBuilder(ctx, true);
  const tokenizer = new CsvTokenizer();
  const parser = new IbmRowParser(out, tokenizer, patterns);
  const source = { encoding: ctx.encoding, onBytes: ctx.onBytes };
  const pieces = options.bytePath === false || patterns ? readTextPieces(ctx.path, source) : readLinePieces(ctx.path, source);
  for await (const piece of pieces) {
    if (isBytePiece(piece)) parser.bytes(piece);
    else tokenizer.push(piece, parser);
    yield* out.drain();
  }
  tokenizer.end(parser);
  yield* out.finish();
}

function firstLine(head: string): string {
  const nl = head.indexOf('\n');
  return (nl === -1 ? head : head.slice(0, nl)).replace(/\r$/, '');
}

function isPatterns(head: string): boolean {
  return head.trimStart().startsWith(PATTERN_BEGIN);
}

/** The IBM AMLworld reader with the given read options (tests compare the paths). */
export function makeIbmAmlReader(options: IbmReadOptions = {}): FormatReader {
  return {
    ...ibmAmlReader,
    async *read(ctx) {
      const { readHead } = await import('../text.js');
      yield* readIbm(ctx, isPatterns(await readHead(ctx.path, 4096)), options);
    },
  };
}

export const ibmAmlReader: FormatReader = {
  format: 'ibm-aml',
  layouts: [
    `IBM AMLworld *_Trans.csv (header ${HEADER.join(',')},${LABEL})`,
    'IBM AMLworld *_Patterns.txt (BEGIN/END LAUNDERING ATTEMPT blocks)',
  ],
  detect(head) {
    return isPatterns(head) || firstLine(head).startsWith(HEADER.join(','));
  },
  async *read(ctx) {
    const { readHead } = await import('../text.js');
    yield* readIbm(ctx, isPatterns(await readHead(ctx.path, 4096)), {});
  },
};
