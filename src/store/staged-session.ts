/**
 * The ingest session both stores share: batches go to staging tables through the store's bulk path,
 * and are merged into the real tables every `mergeEveryRows` rows, so memory stays bounded.
 *
 * Idempotency: a transaction is stored once per (source, id). When a source is new to the store and its
 * reader guarantees unique ids (row numbers), staged rows are copied as they are; otherwise the merge
 * keeps the first row of each id and skips ids already stored.
 */
import type { IngestBatch } from '../ingest/reader.js';
import {
  ALL_STAGE_TABLES,
  MERGE_OTHERS,
  MERGE_TRANSACTIONS,
  MERGE_TRANSACTIONS_NEW_SOURCE,
  MERGE_TX_ACCOUNTS,
  STAGE_TX,
  stageRows,
  stageTxColumns,
  type StageTable,
  type StageValue,
} from './stage.js';
import { emptyIngestCounts, type IngestCounts, type IngestRunInfo, type IngestSession } from './store.js';

export const DEFAULT_MERGE_EVERY_ROWS = 200_000;

export abstract class StagedIngestSession implements IngestSession {
  protected readonly counts: IngestCounts = emptyIngestCounts();
  private staged = 0;
  private stagedFast = false;
  private stagedFile = '';
  private readonly newSources = new Map<string, boolean>();
  private done = false;

  constructor(
    protected readonly info: IngestRunInfo,
    private readonly mergeEveryRows = DEFAULT_MERGE_EVERY_ROWS,
  ) {}

  /** Bulk-append rows (given as column arrays) to a staging table. */
  protected abstract append(table: StageTable, columns: StageValue[][], rows: number): Promise<void>;
  /** Run one statement; returns the rows it changed. */
  protected abstract exec(sql: string, params?: readonly (string | number | null)[]): Promise<number>;
  protected abstract rollback(): Promise<void>;
  protected abstract commitTransaction(): Promise<void>;
  /** Release the connection and staging tables, whatever happened. */
  protected abstract release(): Promise<void>;
  protected abstract sourceIsStored(source: string): Promise<boolean>;

  async write(batch: IngestBatch): Promise<void> {
    if (this.done) throw new Error('ingest session already finished');
    const tx = batch.transactions;
    if (tx.length > 0) {
      let isNew = this.newSources.get(batch.source);
      if (isNew === undefined) {
        isNew = !(await this.sourceIsStored(batch.source));
        this.newSources.set(batch.source, isNew);
      }
      const fast = isNew && batch.uniqueIds === true;
      // Staged rows share one mode and one file, so a store may keep per-file values out of the rows.
      if (this.staged > 0 && (fast !== this.stagedFast || batch.file !== this.stagedFile)) await this.mergeTransactions();
      this.stagedFast = fast;
      this.stagedFile = batch.file;
      await this.appendTransactions(batch, fast);
      this.counts.transactionsRead += tx.length;
      this.staged += tx.length;
    }
    for (const [name, cols] of stageRows(batch)) {
      await this.append(ALL_STAGE_TABLES.find((t) => t.name === name)!, cols, cols[0]!.length);
    }
    this.counts.accounts += batch.accounts.length;
    this.counts.parties += batch.parties.length;
    this.counts.reports += batch.reports.length;
    this.counts.truthLabels += batch.truth.length;
    this.counts.rejects += batch.rejects.length;
    if (this.staged >= this.mergeEvery(this.stagedFast)) await this.mergeTransactions();
  }

  /** Staged transactions that trigger a merge, by merge mode (fast: a new source's unique ids, copied as staged). */
  protected mergeEvery(_fast: boolean): number {
    return this.mergeEveryRows;
  }

  /** Stage a batch's transactions (default: the generic bulk append of their columns); `fast` as for the merge. */
  protected async appendTransactions(batch: IngestBatch, _fast: boolean): Promise<void> {
    const n = batch.transactions.length;
    await this.append(STAGE_TX, stageTxColumns(batch, 0, n), n);
  }

  /**
   * Move staged transactions into the table (and derive their accounts); returns rows inserted.
   * A store may start this in the background and report the count later through `settle`.
   */
  protected async mergeStagedTransactions(fast: boolean): Promise<number> {
    const inserted = await this.exec(fast ? MERGE_TRANSACTIONS_NEW_SOURCE : MERGE_TRANSACTIONS);
    await this.exec(MERGE_TX_ACCOUNTS);
    await this.exec(`DELETE FROM ${STAGE_TX.name}`);
    return inserted;
  }

  /** Wait for background merges; returns rows they inserted not yet reported. */
  protected async settle(): Promise<number> {
    return 0;
  }

  private async mergeTransactions(): Promise<void> {
    if (this.staged === 0) return;
    this.counts.transactionsInserted += await this.mergeStagedTransactions(this.stagedFast);
    this.staged = 0;
  }

  async commit(): Promise<IngestCounts> {
    if (this.done) throw new Error('ingest session already finished');
    this.done = true;
    try {
      await this.mergeTransactions();
      this.counts.transactionsInserted += await this.settle();
      for (const sql of MERGE_OTHERS) await this.exec(sql);
      await this.exec(
        `INSERT INTO ingest_runs (batch_id, started_ms, finished_ms, files, transactions_read, transactions_inserted, rejects)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [this.info.batchId, this.info.startedMs, Date.now(), JSON.stringify(this.info.files), this.counts.transactionsRead, this.counts.transactionsInserted, this.counts.rejects],
      );
      await this.commitTransaction();
    } catch (err) {
      await this.settle().catch(() => undefined);
      await this.rollback().catch(() => undefined);
      throw err;
    } finally {
      await this.release();
    }
    this.counts.duplicates = this.counts.transactionsRead - this.counts.transactionsInserted;
    return { ...this.counts };
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.settle().catch(() => undefined);
      await this.rollback();
    } finally {
      await this.release();
    }
  }
}
