/**
 * Any delimited export (a bank's, a remittance company's, a card processor's) read through a mapping file
 * that says which column holds which canonical field and how to read it (see `mapping.ts`).
 * Never auto-detected: a CSV without its mapping is ambiguous, so `--format csv --mapping <file>` chooses it.
 *
 * A mapped column missing from the header refuses the whole file (thrown from `read`, naming the column);
 * anything wrong in a row rejects that row with its physical line and the reason, and the rest loads.
 * The label column, when mapped, is ground truth: kept in `batch.truth`, never in a transaction field.
 */
import { CHANNELS, channelIndex, parseAmountMinor, parseTimestamp, type Account } from '../../model/index.js';
import { parseIso, utcInstant } from '../../model/time.js';
import { CsvTokenizer, type CsvSink } from '../csv.js';
import { utcOffsetMs, type CsvMapping } from '../mapping.js';
import { BatchBuilder, type FormatReader, type IngestBatch, type ReadContext } from '../reader.js';
import { CurrencyCache, MAX_CACHED_VALUES, currencyInfo, type CurrencyInfo } from '../currency-cache.js';
import { readTextPieces } from '../text.js';

/** The mapped fields, in the order their columns are resolved and reported. */
const FIELDS = [
  'id',
  'time',
  'fromAccount',
  'toAccount',
  'amount',
  'currency',
  'originalAmount',
  'originalCurrency',
  'channel',
  'fromCountry',
  'toCountry',
  'label',
] as const;
type Field = (typeof FIELDS)[number];

/** Label cells read as "this transaction is laundering" (lower-cased); anything else is not. */
const LABEL_TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'si', 'sí', 's', 'sim']);

const TIME_ISO = 0;
const TIME_PATTERN = 1;
const TIME_EPOCH = 2;

/** Distinct raw values cached per lookup table; categorical columns stay far below this. */


function digits(t: string, start: number, len: number): number {
  let value = 0;
  for (let i = start; i < start + len; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}

/**
 * ISO 8601 without a regex for the shapes exports write (`YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS]`, optional `Z`);
 * other shapes (fractions, offsets) go to the full parser. UTC when no zone is given; NaN when not an instant.
 */
export function parseIsoInstant(t: string): number {
  const n = t.length;
  if (n >= 10 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45) {
    if (n === 10) return utcInstant(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2));
    const sep = t.charCodeAt(10);
    if ((sep === 84 || sep === 32) && t.charCodeAt(13) === 58) {
      const zulu = t.charCodeAt(n - 1) === 90 ? 1 : 0;
      if (n - zulu === 16) {
        return utcInstant(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2), digits(t, 11, 2), digits(t, 14, 2));
      }
      if (n - zulu === 19 && t.charCodeAt(16) === 58) {
        return utcInstant(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2), digits(t, 11, 2), digits(t, 14, 2), digits(t, 17, 2));
      }
    }
  }
  return parseIso(t);
}

/** Whether an ISO 8601 text names its zone (`Z` or an offset after the date). */
function isoHasZone(t: string): boolean {
  for (let i = t.length - 1; i > 10; i--) {
    const c = t.charCodeAt(i);
    if (c === 90 || c === 122 || c === 43 || c === 45) return true; // Z z + -
  }
  return false;
}

function countryCode(raw: string): string | undefined {
  if (raw.length !== 2) return undefined;
  const a = raw.charCodeAt(0) & ~32;
  const b = raw.charCodeAt(1) & ~32;
  if (a < 65 || a > 90 || b < 65 || b > 90) return undefined;
  return String.fromCharCode(a, b);
}

/** Per-read state and row parsing; one instance per file. */
class MappedRowParser implements CsvSink {
  private row = 0;
  private headerSeen: boolean;
  /** Exact column count when the file has a header; otherwise rows need at least `minCount` columns. */
  private expected = -1;
  private minCount = 0;
  private readonly col: Record<Field, number>;
  private readonly label: Record<Field, string>;
  private readonly timeKind: number;
  private readonly offsetMs: number;
  private readonly reverseNegatives: boolean;
  private readonly decimal: '.' | ',';
  private readonly defaultCurrency: CurrencyInfo | undefined;
  private readonly defaultChannel: number;
  private readonly channelNames = new Map<string, number>();
  private readonly channels = new Map<string, number>();
  private readonly currencies = new CurrencyCache();

  constructor(
    private readonly out: BatchBuilder,
    private readonly tokenizer: CsvTokenizer,
    private readonly mapping: CsvMapping,
    private readonly file: string,
  ) {
    this.headerSeen = !mapping.header;
    this.col = {} as Record<Field, number>;
    this.label = {} as Record<Field, string>;
    for (const field of FIELDS) {
      const ref = mapping.columns[field];
      this.col[field] = typeof ref === 'number' ? ref : -1;
      this.label[field] = ref === undefined ? '' : typeof ref === 'number' ? `column ${ref}` : `column ${JSON.stringify(ref)}`;
    }
    if (!mapping.header) this.minCount = Math.max(...FIELDS.map((f) => this.col[f])) + 1;
    const format = mapping.dateFormat;
    this.timeKind = format === 'iso' ? TIME_ISO : format === 'epoch-ms' || format === 'epoch-s' ? TIME_EPOCH : TIME_PATTERN;
    this.offsetMs = utcOffsetMs(mapping.utcOffset);
    this.reverseNegatives = mapping.negativeAmounts === 'reverse';
    this.decimal = mapping.decimal;
    if (mapping.currency !== undefined) this.defaultCurrency = currencyInfo(mapping.currency);
    this.defaultChannel = channelIndex(mapping.channel);
    for (const name of CHANNELS) this.channelNames.set(name, channelIndex(name));
    for (const [raw, channel] of Object.entries(mapping.channelValues)) this.channelNames.set(raw.trim().toLowerCase(), channelIndex(channel));
  }

  /** Resolve named columns against the header; a mapped name the header lacks refuses the file. */
  private resolveHeader(f: string[], count: number, line: number): void {
    const names = f.slice(0, count).map((s) => s.trim());
    const missing: string[] = [];
    for (const field of FIELDS) {
      const ref = this.mapping.columns[field];
      if (ref === undefined) continue;
      if (typeof ref === 'number') {
        if (ref >= count) missing.push(`columns.${field} is column ${ref} (0-based) but the header has ${count} columns`);
        continue;
      }
      let index = names.indexOf(ref);
      if (index === -1) {
        const wanted = ref.trim().toLowerCase();
        index = names.findIndex((n) => n.toLowerCase() === wanted);
      }
      if (index === -1) missing.push(`columns.${field} names column ${JSON.stringify(ref)}, which is not in the header`);
      this.col[field] = index;
    }
    if (missing.length > 0) {
      throw new Error(`${this.file}:${line}: the mapping does not fit this file: ${missing.join('; ')} (header: ${names.join(', ')})`);
    }
    this.expected = count;
  }


  /** Channel index of a raw cell, or -1 when neither channelValues nor the canonical names know it. */
  private channel(raw: string): number {
    let index = this.channels.get(raw);
    if (index === undefined) {
      index = this.channelNames.get(raw.trim().toLowerCase()) ?? -1;
      if (index >= 0 && this.channels.size < MAX_CACHED_VALUES) this.channels.set(raw, index);
    }
    return index;
  }

  private time(text: string): number {
    if (this.timeKind === TIME_EPOCH) return parseTimestamp(text, this.mapping.dateFormat);
    if (this.timeKind === TIME_PATTERN) return parseTimestamp(text, this.mapping.dateFormat) - this.offsetMs;
    const t = text.trim();
    const ms = parseIsoInstant(t);
    return this.offsetMs === 0 || isoHasZone(t) ? ms : ms - this.offsetMs;
  }

  bad(line: number, reason: string, raw: string): void {
    if (this.headerSeen) this.row++;
    this.out.reject(line, reason, raw);
  }

  record(f: string[], count: number, line: number): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.resolveHeader(f, count, line);
      return;
    }
    this.row++;
    if (this.expected >= 0 ? count !== this.expected : count < this.minCount) {
      const want = this.expected >= 0 ? `${this.expected}` : `at least ${this.minCount}`;
      return this.fail(line, `expected ${want} columns, found ${count}`);
    }
    const col = this.col;

    let id: string;
    if (col.id >= 0) {
      id = f[col.id]!.trim();
      if (id === '') return this.fail(line, `empty id (${this.label.id})`);
      if (id.indexOf('\n') !== -1) return this.fail(line, `line break inside the id (${this.label.id})`);
    } else {
      id = `row:${this.row}`;
    }

    const timeText = f[col.time]!;
    const timeMs = this.time(timeText);
    if (Number.isNaN(timeMs)) {
      return this.fail(line, `unparseable date ${JSON.stringify(timeText)} (${this.label.time}, expected ${this.mapping.dateFormat})`);
    }

    let currency = this.defaultCurrency;
    if (col.currency >= 0) {
      const raw = f[col.currency]!;
      if (raw.trim() !== '') {
        const info = this.currencies.lookup(raw);
        if (info === null) return this.fail(line, `unknown currency ${JSON.stringify(raw)} (${this.label.currency})`);
        currency = info;
      }
    }
    if (currency === undefined) return this.fail(line, `empty currency (${this.label.currency}) and no default currency in the mapping`);

    const amountText = f[col.amount]!;
    let amount = parseAmountMinor(amountText, currency.exponent, this.decimal);
    if (Number.isNaN(amount)) {
      return this.fail(line, `unparseable amount ${JSON.stringify(amountText)} (${this.label.amount}, decimal separator "${this.decimal}")`);
    }

    let from = f[col.fromAccount]!.trim();
    let to = f[col.toAccount]!.trim();
    if (from === '') return this.fail(line, `empty fromAccount (${this.label.fromAccount})`);
    if (to === '') return this.fail(line, `empty toAccount (${this.label.toAccount})`);
    if (from.indexOf('\n') !== -1) return this.fail(line, `line break inside fromAccount (${this.label.fromAccount})`);
    if (to.indexOf('\n') !== -1) return this.fail(line, `line break inside toAccount (${this.label.toAccount})`);

    let channel = this.defaultChannel;
    if (col.channel >= 0) {
      const raw = f[col.channel]!;
      if (raw.trim() !== '') {
        channel = this.channel(raw);
        if (channel < 0) return this.fail(line, `unknown channel ${JSON.stringify(raw)} (${this.label.channel}); add it to channelValues`);
      }
    }

    let fromCountry: string | undefined;
    let toCountry: string | undefined;
    if (col.fromCountry >= 0 && f[col.fromCountry] !== '') {
      fromCountry = countryCode(f[col.fromCountry]!.trim());
      if (fromCountry === undefined) {
        return this.fail(line, `invalid fromCountry ${JSON.stringify(f[col.fromCountry])} (${this.label.fromCountry}, expected ISO 3166-1 alpha-2)`);
      }
    }
    if (col.toCountry >= 0 && f[col.toCountry] !== '') {
      toCountry = countryCode(f[col.toCountry]!.trim());
      if (toCountry === undefined) {
        return this.fail(line, `invalid toCountry ${JSON.stringify(f[col.toCountry])} (${this.label.toCountry}, expected ISO 3166-1 alpha-2)`);
      }
    }

    let original = NaN;
    let originalCurrency: CurrencyInfo | undefined;
    if (col.originalAmount >= 0 && f[col.originalAmount]!.trim() !== '') {
      originalCurrency = currency;
      if (col.originalCurrency >= 0 && f[col.originalCurrency]!.trim() !== '') {
        const info = this.currencies.lookup(f[col.originalCurrency]!);
        if (info === null) return this.fail(line, `unknown currency ${JSON.stringify(f[col.originalCurrency])} (${this.label.originalCurrency})`);
        originalCurrency = info;
      }
      const text = f[col.originalAmount]!;
      original = parseAmountMinor(text, originalCurrency.exponent, this.decimal);
      if (Number.isNaN(original)) {
        return this.fail(line, `unparseable original amount ${JSON.stringify(text)} (${this.label.originalAmount}, decimal separator "${this.decimal}")`);
      }
    }

    if (amount < 0 || original < 0) {
      if (!this.reverseNegatives) {
        const text = amount < 0 ? amountText : f[col.originalAmount]!;
        return this.fail(line, `negative amount ${JSON.stringify(text)} (negativeAmounts: reject)`);
      }
      if (amount > 0 || original > 0) return this.fail(line, 'amount and original amount have opposite signs');
      amount = -amount;
      original = -original;
      const swap = from;
      from = to;
      to = swap;
      const swapCountry = fromCountry;
      fromCountry = toCountry;
      toCountry = swapCountry;
    }

    const converted = originalCurrency !== undefined && (originalCurrency !== currency || original !== amount);
    const tx = this.out.tx;
    tx.push(
      id,
      timeMs,
      from,
      to,
      amount,
      currency.code,
      channel,
      line,
      converted ? original : NaN,
      converted ? originalCurrency!.code : undefined,
      fromCountry,
      toCountry,
    );
    const batch = this.out.batch;
    if (this.out.firstSight(from)) batch.accounts.push(this.account(from, fromCountry, line));
    if (this.out.firstSight(to)) batch.accounts.push(this.account(to, toCountry, line));
    if (col.label >= 0) {
      const raw = f[col.label]!;
      if (raw !== '' && raw !== '0' && LABEL_TRUE.has(raw.trim().toLowerCase())) {
        batch.truth.push({ source: batch.source, transactionId: id, laundering: true });
      }
    }
  }

  private account(id: string, country: string | undefined, line: number): Account {
    const account: Account = { id, kind: 'bank', provenance: { file: this.out.batch.file, line, batch: this.out.batch.batchId } };
    if (country !== undefined) account.country = country;
    return account;
  }

  private fail(line: number, reason: string): void {
    this.out.reject(line, reason, this.tokenizer.raw());
  }
}

async function* readMapped(ctx: ReadContext): AsyncGenerator<IngestBatch> {
  const mapping = ctx.mapping;
  if (!mapping) throw new Error(`${ctx.file}: the csv format needs a mapping file (--mapping <file>)`);
  const out = new BatchBuilder(ctx);
  const tokenizer = new CsvTokenizer({ delimiter: mapping.delimiter });
  const parser = new MappedRowParser(out, tokenizer, mapping, ctx.file);
  const encoding = ctx.encoding ?? mapping.encoding;
  for await (const piece of readTextPieces(ctx.path, { encoding, onBytes: ctx.onBytes })) {
    tokenizer.push(piece, parser);
    yield* out.drain();
  }
  tokenizer.end(parser);
  yield* out.finish();
}

export const mappedCsvReader: FormatReader = {
  format: 'csv',
  layouts: ['any delimited file, with a mapping file naming its columns (--format csv --mapping <file>)'],
  // Never claims a file by itself: without its mapping a CSV is ambiguous (the registry also skips this reader).
  detect: () => false,
  read: readMapped,
};
