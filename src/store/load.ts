/**
 * Load files into a store: readers → batches → one ingest session, rejects to a file and the store.
 * The shared write path of `rastro ingest`, `rastro scan --db` and the server's bulk upload.
 */
import { readFiles, type FileInput, type ReadFilesOptions } from '../ingest/pipeline.js';
import type { IngestBatch } from '../ingest/reader.js';
import { RejectWriter } from '../ingest/rejects.js';
import { readFilesInWorker } from '../ingest/worker-read.js';
import { emptyIngestCounts, type IngestCounts, type Store } from './store.js';

export interface LoadOptions extends Omit<ReadFilesOptions, 'batchId'> {
  batchId: string;
  /** Where to write the rejects CSV (none when undefined). */
  rejectsPath?: string;
  /** Every batch, after it was written (the engine hooks in here). */
  onBatch?: (batch: IngestBatch) => void | Promise<void>;
  /** Rows read so far, for progress. */
  onRows?: (rows: number) => void;
  now?: () => number;
  /**
   * Read in a worker thread (another core) when there is no store to write and no mapping or `onFile`
   * callback: the same batches in the same order, parsed beside the consumer (`rastro scan`).
   */
  readInWorker?: boolean;
}

export interface LoadResult extends IngestCounts {
  batchId: string;
  files: number;
  rejectsPath?: string;
  firstRejects: { file: string; line: number; reason: string }[];
  elapsedMs: number;
}

export async function loadFiles(store: Store | undefined, inputs: readonly FileInput[], options: LoadOptions): Promise<LoadResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const rejects = new RejectWriter(options.rejectsPath);
  const session = store ? await store.beginIngest({ batchId: options.batchId, startedMs: started, files: inputs.map((i) => i.path) }) : undefined;
  const counts: IngestCounts = emptyIngestCounts();
  let result: IngestCounts = counts;
  try {
    const inWorker = options.readInWorker === true && !store && options.mapping === undefined && options.onFile === undefined;
    for await (const batch of inWorker ? readFilesInWorker(inputs, options) : readFiles(inputs, options)) {
      if (session) await session.write(batch);
      await rejects.write(batch.rejects);
      counts.transactionsRead += batch.transactions.length;
      counts.accounts += batch.accounts.length;
      counts.parties += batch.parties.length;
      counts.reports += batch.reports.length;
      counts.truthLabels += batch.truth.length;
      counts.rejects += batch.rejects.length;
      options.onRows?.(counts.transactionsRead + counts.rejects);
      await options.onBatch?.(batch);
    }
    if (session) result = await session.commit();
  } catch (err) {
    await session?.abort();
    throw err;
  } finally {
    await rejects.close();
  }
  return {
    ...result,
    batchId: options.batchId,
    files: inputs.length,
    rejectsPath: rejects.count > 0 ? options.rejectsPath : undefined,
    firstRejects: rejects.first.map((r) => ({ file: r.file, line: r.line, reason: r.reason })),
    elapsedMs: now() - started,
  };
}
