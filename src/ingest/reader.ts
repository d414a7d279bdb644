/**
 * The reader contract: a reader turns one file of a known layout into batches of canonical records.
 * Readers are pure with respect to storage: they only read their file and yield batches.
 */
import type { Account, Party, PartyAccountLink, Reject, Report, TruthLabel } from '../model/index.js';
import { TxBatch, DEFAULT_BATCH_ROWS } from '../model/index.js';
import type { TextEncodingName } from './text.js';
import type { CsvMapping } from './mapping.js';

export const FORMATS = ['ibm-aml', 'amlsim', 'csv', 'iso20022', 'goaml'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface IngestBatch {
  readonly file: string;
  readonly source: string;
  readonly batchId: string;
  readonly transactions: TxBatch;
  readonly accounts: Account[];
  readonly parties: Party[];
  readonly links: PartyAccountLink[];
  readonly reports: Report[];
  /** Ground truth carried by evaluation data sets; stored apart, never read by the engines. */
  readonly truth: TruthLabel[];
  readonly rejects: Reject[];
  /** The reader guarantees each transaction id occurs once in its source (e.g. `row:<n>` ids). */
  readonly uniqueIds?: boolean;
}

/** A batch with no records yet, around the given transactions. */
export function emptyBatch(transactions: TxBatch, uniqueIds = false): IngestBatch {
  return {
    file: transactions.file,
    source: transactions.source,
    batchId: transactions.batchId,
    transactions,
    accounts: [],
    parties: [],
    links: [],
    reports: [],
    truth: [],
    rejects: [],
    uniqueIds,
  };
}

export interface ReadContext {
  /** Path to open. */
  readonly path: string;
  /** The file as the user named it (for provenance and messages). */
  readonly file: string;
  /** Namespace of transaction ids: the file's basename unless the user chose another. */
  readonly source: string;
  readonly batchId: string;
  readonly batchRows?: number;
  readonly encoding?: TextEncodingName;
  /** Column mapping, required by the generic `csv` reader. */
  readonly mapping?: CsvMapping;
  readonly onBytes?: (bytesRead: number) => void;
}

export interface FormatReader {
  readonly format: FormatName;
  /** One line naming the layouts the reader accepts (shown when detection fails). */
  readonly layouts: readonly string[];
  /** Whether the file's first bytes (header line or root element) are of a layout this reader knows. */
  detect(head: string, fileName: string): boolean;
  read(ctx: ReadContext): AsyncIterable<IngestBatch>;
}

/**
 * Collects records into batches for a reader. Readers push rows and rejects; `drain()` hands over the
 * batches that are complete. Bounded: at most one open batch plus the completed ones not yet drained.
 */
export class BatchBuilder {
  private current: IngestBatch;
  private readonly done: IngestBatch[] = [];
  private readonly batchRows: number;
  /** Ids of accounts already emitted in this read, so each account record is sent once (bounded). */
  private readonly seenAccounts = new Set<string>();
  private static readonly MAX_SEEN_ACCOUNTS = 1_000_000;

  constructor(
    private readonly ctx: ReadContext,
    /** Set when the reader's ids are unique by construction (row numbers): lets stores skip duplicate checks. */
    private readonly uniqueIds = false,
  ) {
    this.batchRows = ctx.batchRows ?? DEFAULT_BATCH_ROWS;
    this.current = this.fresh();
  }

  private fresh(): IngestBatch {
    return emptyBatch(new TxBatch(this.ctx.source, this.ctx.file, this.ctx.batchId, this.batchRows), this.uniqueIds);
  }

  /** The open batch's transactions, with room for at least one more row. */
  get tx(): TxBatch {
    if (this.current.transactions.full) this.rotate();
    return this.current.transactions;
  }

  get batch(): IngestBatch {
    return this.current;
  }

  /** Whether this account id is new in this read (then the caller emits its record). */
  firstSight(accountId: string): boolean {
    if (this.seenAccounts.has(accountId)) return false;
    if (this.seenAccounts.size >= BatchBuilder.MAX_SEEN_ACCOUNTS) this.seenAccounts.clear(); // stores dedupe anyway
    this.seenAccounts.add(accountId);
    return true;
  }

  reject(line: number, reason: string, record: string): void {
    this.current.rejects.push({ file: this.ctx.file, line, reason, record: record.length > 1000 ? `${record.slice(0, 1000)}…` : record });
    if (this.current.rejects.length >= this.batchRows) this.rotate();
  }

  private rotate(): void {
    this.done.push(this.current);
    this.current = this.fresh();
  }

  /** Completed batches, emptied from the builder. */
  drain(): IngestBatch[] {
    if (this.done.length === 0) return [];
    return this.done.splice(0, this.done.length);
  }

  /** Everything left, including the open batch when it holds anything. */
  finish(): IngestBatch[] {
    const c = this.current;
    if (c.transactions.length + c.accounts.length + c.parties.length + c.links.length + c.reports.length + c.truth.length + c.rejects.length > 0) {
      this.rotate();
    }
    return this.drain();
  }
}
