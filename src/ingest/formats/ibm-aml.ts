/**
 * IBM AMLworld (Altman et al., NeurIPS 2023): `*_Trans.csv` and the `*_Patterns.txt` laundering attempts.
 * Account id = `<bank>/<account>` exactly as written (zero padding kept). `Is Laundering` and the
 * pattern blocks are ground truth: kept as labels, never as transaction attributes.
 */
import { channelIndex, parseAmountMinor, type Channel } from '../../model/index.js';
import { parseIbmTimestamp } from '../../model/time.js';
import { CsvTokenizer, type CsvSink } from '../csv.js';
import { BatchBuilder, type FormatReader, type IngestBatch, type ReadContext } from '../reader.js';
import { PairInterner } from '../interner.js';
import { CurrencyCache } from '../currency-cache.js';
import { readTextPieces } from '../text.js';

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
}

async function* readIbm(ctx: ReadContext, patterns: boolean): AsyncGenerator<IngestBatch> {
  const out = new BatchBuilder(ctx, true);
  const tokenizer = new CsvTokenizer();
  const parser = new IbmRowParser(out, tokenizer, patterns);
  for await (const piece of readTextPieces(ctx.path, { encoding: ctx.encoding, onBytes: ctx.onBytes })) {
    tokenizer.push(piece, parser);
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
    yield* readIbm(ctx, isPatterns(await readHead(ctx.path, 4096)));
  },
};
