/**
 * Columnar batches of transactions: the unit that flows from readers to stores and engines.
 * One batch holds rows of a single source file; numbers live in typed arrays, no object per row.
 */
import { CHANNELS, type Channel, type Transaction } from './schemas.js';

const CHANNEL_INDEX = new Map<string, number>(CHANNELS.map((c, i) => [c, i]));

export function channelIndex(channel: Channel): number {
  return CHANNEL_INDEX.get(channel) ?? CHANNELS.length - 1;
}

export function channelName(index: number): Channel {
  return CHANNELS[index] ?? 'other';
}

/** Default rows per batch: large enough to amortise database round trips, small enough to stay in cache. */
export const DEFAULT_BATCH_ROWS = 8192;

export interface TxRow {
  id: string;
  timeMs: number;
  fromAccount: string;
  toAccount: string;
  amountMinor: number;
  currency: string;
  originalAmountMinor?: number | undefined;
  originalCurrency?: string | undefined;
  channel: Channel;
  fromCountry?: string | undefined;
  toCountry?: string | undefined;
  fromInstitution?: string | undefined;
  toInstitution?: string | undefined;
  line: number;
}

export class TxBatch {
  length = 0;
  readonly id: string[];
  readonly timeMs: Float64Array;
  readonly fromAccount: string[];
  readonly toAccount: string[];
  readonly amountMinor: Float64Array;
  readonly currency: string[];
  /** NaN where the transaction was not converted. */
  readonly originalAmountMinor: Float64Array;
  readonly originalCurrency: (string | undefined)[];
  readonly channel: Uint8Array;
  readonly fromCountry: (string | undefined)[];
  readonly toCountry: (string | undefined)[];
  /** Institution (bank code, BIC) holding each side's account, when the source says; describes the accounts. */
  readonly fromInstitution: (string | undefined)[];
  readonly toInstitution: (string | undefined)[];
  /** Physical line (1-based, header included) where the record starts, for provenance and rejects. */
  readonly line: Uint32Array;
  /**
   * Optional dense ids of the two accounts in `accountRefs`' numbering (-1: none), set by readers that
   * intern account ids, so that consumers can map accounts through an array instead of hashing strings.
   */
  fromRef: Int32Array | undefined;
  toRef: Int32Array | undefined;
  accountRefs: object | undefined;
  /**
   * Optional: row i's id is `row:<idRows[i]>` (the same string as `id[i]`), for consumers that keep ids as
   * numbers and spell them only when needed (the detection engine).
   */
  idRows: Float64Array | undefined;

  constructor(
    /** Data set the ids are unique in (input file basename unless overridden). */
    readonly source: string,
    /** File the rows were read from, as given by the user. */
    readonly file: string,
    readonly batchId: string,
    readonly capacity: number = DEFAULT_BATCH_ROWS,
  ) {
    this.id = new Array<string>(capacity);
    this.timeMs = new Float64Array(capacity);
    this.fromAccount = new Array<string>(capacity);
    this.toAccount = new Array<string>(capacity);
    this.amountMinor = new Float64Array(capacity);
    this.currency = new Array<string>(capacity);
    this.originalAmountMinor = new Float64Array(capacity);
    this.originalCurrency = new Array<string | undefined>(capacity);
    this.channel = new Uint8Array(capacity);
    this.fromCountry = new Array<string | undefined>(capacity);
    this.toCountry = new Array<string | undefined>(capacity);
    this.fromInstitution = new Array<string | undefined>(capacity);
    this.toInstitution = new Array<string | undefined>(capacity);
    this.line = new Uint32Array(capacity);
    this.fromRef = undefined;
    this.toRef = undefined;
    this.accountRefs = undefined;
    this.idRows = undefined;
  }

  /** Record the interned ids of row `i`'s accounts (see `fromRef`). */
  setRefs(space: object, i: number, fromRef: number, toRef: number): void {
    if (this.accountRefs !== space) {
      this.accountRefs = space;
      this.fromRef = new Int32Array(this.capacity).fill(-1);
      this.toRef = new Int32Array(this.capacity).fill(-1);
    }
    this.fromRef![i] = fromRef;
    this.toRef![i] = toRef;
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Append one transaction; the caller checks `full` first (a full batch is a programming error). */
  push(
    id: string,
    timeMs: number,
    fromAccount: string,
    toAccount: string,
    amountMinor: number,
    currency: string,
    channel: number,
    line: number,
    originalAmountMinor = NaN,
    originalCurrency?: string,
    fromCountry?: string,
    toCountry?: string,
    fromInstitution?: string,
    toInstitution?: string,
  ): void {
    const i = this.length;
    if (i >= this.capacity) throw new Error(`TxBatch overflow: capacity ${this.capacity}`);
    this.id[i] = id;
    this.timeMs[i] = timeMs;
    this.fromAccount[i] = fromAccount;
    this.toAccount[i] = toAccount;
    this.amountMinor[i] = amountMinor;
    this.currency[i] = currency;
    this.channel[i] = channel;
    this.line[i] = line;
    this.originalAmountMinor[i] = originalAmountMinor;
    this.originalCurrency[i] = originalCurrency;
    this.fromCountry[i] = fromCountry;
    this.toCountry[i] = toCountry;
    this.fromInstitution[i] = fromInstitution;
    this.toInstitution[i] = toInstitution;
    this.length = i + 1;
  }

  pushRow(row: TxRow): void {
    this.push(
      row.id,
      row.timeMs,
      row.fromAccount,
      row.toAccount,
      row.amountMinor,
      row.currency,
      channelIndex(row.channel),
      row.line,
      row.originalAmountMinor ?? NaN,
      row.originalCurrency,
      row.fromCountry,
      row.toCountry,
      row.fromInstitution,
      row.toInstitution,
    );
  }

  /** Materialise row i as a canonical Transaction (for edges and tests, not for hot loops). */
  get(i: number): Transaction {
    if (i < 0 || i >= this.length) throw new RangeError(`row ${i} outside batch of ${this.length}`);
    const tx: Transaction = {
      id: this.id[i]!,
      source: this.source,
      timeMs: this.timeMs[i]!,
      fromAccount: this.fromAccount[i]!,
      toAccount: this.toAccount[i]!,
      amountMinor: this.amountMinor[i]!,
      currency: this.currency[i]!,
      channel: channelName(this.channel[i]!),
      provenance: { file: this.file, line: this.line[i]!, batch: this.batchId },
    };
    const original = this.originalAmountMinor[i]!;
    if (!Number.isNaN(original)) tx.originalAmountMinor = original;
    const originalCurrency = this.originalCurrency[i];
    if (originalCurrency !== undefined) tx.originalCurrency = originalCurrency;
    const fromCountry = this.fromCountry[i];
    if (fromCountry !== undefined) tx.fromCountry = fromCountry;
    const toCountry = this.toCountry[i];
    if (toCountry !== undefined) tx.toCountry = toCountry;
    return tx;
  }

  *rows(): IterableIterator<Transaction> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}
