import { join } from 'node:path';
import type { FormatChoice, TextEncodingName } from '../../ingest/index.js';
import { InputError } from '../../ingest/pipeline.js';
import { loadFiles, openStore } from '../../store/index.js';
import { CliError, fmt, mappingFor, newBatchId, peakRssBytes, progressForInputs, reportRejects } from '../common.js';

export interface IngestCliOptions {
  format: FormatChoice;
  mapping?: string;
  encoding?: TextEncodingName;
  source?: string;
  db: string;
  rejects?: string;
  json?: boolean;
  quiet?: boolean;
}

export async function runIngest(files: string[], options: IngestCliOptions): Promise<void> {
  if (options.source && files.length > 1) throw new CliError('--source names one input; give one file per run');
  const inputs = files.map((path) => ({ path, source: options.source }));
  const mapping = await mappingFor(options);
  const progress = await progressForInputs(inputs, options);
  const batchId = newBatchId('ingest');
  const store = await openStore(options.db);
  try {
    const result = await loadFiles(store, inputs, {
      batchId,
      format: options.format,
      mapping,
      encoding: options.encoding,
      rejectsPath: options.rejects ?? join('rastro-data', 'rejects', `${batchId}.csv`),
      onBytes: (n) => progress.setBytes(n),
      onRows: (n) => progress.setRows(n),
    });
    progress.done();
    const seconds = result.elapsedMs / 1000;
    const summary = {
      batchId,
      db: store.location,
      files: result.files,
      transactionsRead: result.transactionsRead,
      transactionsInserted: result.transactionsInserted,
      duplicates: result.duplicates,
      accounts: result.accounts,
      parties: result.parties,
      reports: result.reports,
      truthLabels: result.truthLabels,
      rejects: result.rejects,
      rejectsPath: result.rejectsPath ?? null,
      elapsedMs: result.elapsedMs,
      rowsPerSecond: Math.round(result.transactionsRead / Math.max(seconds, 1e-3)),
      peakRssBytes: peakRssBytes(),
    };
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `ingested ${fmt.format(result.transactionsRead)} transactions from ${result.files} file(s) into ${store.location} in ${seconds.toFixed(1)} s ` +
          `(${fmt.format(summary.rowsPerSecond)} rows/s): ${fmt.format(result.transactionsInserted)} new, ${fmt.format(result.duplicates)} already stored; ` +
          `${fmt.format(result.accounts)} account, ${fmt.format(result.parties)} party, ${fmt.format(result.reports)} report record(s); ` +
          `${fmt.format(result.rejects)} rejected\n`,
      );
    }
    process.exitCode = reportRejects(result, options.quiet);
  } catch (err) {
    if (err instanceof InputError || (err as { exitCode?: number }).exitCode === 2) throw new CliError((err as Error).message);
    throw err;
  } finally {
    await store.close();
  }
}
