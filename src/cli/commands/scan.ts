import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { alertLine, createEngine, defaultRules, loadRules, RulesError, type RulesConfig } from '../../detect/index.js';
import type { FormatChoice, TextEncodingName } from '../../ingest/index.js';
import { InputError } from '../../ingest/pipeline.js';
import type { Alert } from '../../model/index.js';
import { loadFiles, openStore, type Store } from '../../store/index.js';
import { CliError, fmt, mappingFor, newBatchId, peakRssBytes, progressForInputs, reportRejects } from '../common.js';

export interface ScanCliOptions {
  format: FormatChoice;
  alerts: string;
  config?: string;
  mapping?: string;
  encoding?: TextEncodingName;
  db?: string;
  json?: boolean;
  quiet?: boolean;
}

export async function runScan(files: string[], options: ScanCliOptions): Promise<void> {
  const inputs = files.map((path) => ({ path }));
  const mapping = await mappingFor(options);
  let rules: RulesConfig;
  try {
    rules = options.config ? await loadRules(options.config) : defaultRules();
  } catch (err) {
    if (err instanceof RulesError) throw new CliError(err.message);
    throw err;
  }
  const progress = await progressForInputs(inputs, options);
  await mkdir(dirname(options.alerts), { recursive: true });
  const out = createWriteStream(options.alerts);
  const engine = createEngine(rules, { qualifyIds: files.length > 1 });
  const batchId = newBatchId('scan');
  const store: Store | undefined = options.db ? await openStore(options.db) : undefined;
  const raised: Alert[] = [];
  let alertCount = 0;
  const emit = (alerts: Alert[]) => {
    for (const a of alerts) {
      out.write(`${alertLine(a)}\n`);
      alertCount++;
      if (store) raised.push(a);
    }
  };
  try {
    const result = await loadFiles(store, inputs, {
      batchId,
      format: options.format,
      mapping,
      encoding: options.encoding,
      rejectsPath: `${options.alerts}.rejects.csv`,
      onBytes: (n) => progress.setBytes(n),
      onRows: (n) => progress.setRows(n),
      onBatch: (batch) => emit(engine.push(batch.transactions)),
      // The engine keeps this thread busy: parsing runs beside it on another core.
      readInWorker: true,
    });
    emit(engine.flush());
    progress.done();
    // Stored ids carry the scan's batch so that alerts of different scans never collide.
    if (store && raised.length > 0) await store.writeAlerts(raised.map((a) => ({ ...a, id: `${batchId}:${a.id}` })), batchId);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const summary = {
      batchId,
      files: result.files,
      transactionsRead: result.transactionsRead,
      rejects: result.rejects,
      rejectsPath: result.rejectsPath ?? null,
      alerts: alertCount,
      typologies: engine.typologies,
      engine: engine.stats(),
      alertsPath: options.alerts,
      elapsedMs: result.elapsedMs,
      peakRssBytes: peakRssBytes(),
    };
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stderr.write(
        `scanned ${fmt.format(result.transactionsRead)} transactions from ${result.files} file(s) in ${(result.elapsedMs / 1000).toFixed(1)} s: ` +
          `${fmt.format(alertCount)} alert(s) → ${options.alerts} (${engine.typologies.length} typologies enabled)\n`,
      );
      const late = engine.stats().late;
      const early = engine.stats().releasedEarly;
      if (early > 0) process.stderr.write(`${fmt.format(early)} transaction(s) were processed before their lateness passed: the reorder buffer (engine.maxPendingTransactions = ${rules.engine.maxPendingTransactions}) was full\n`);
      if (late > 0) process.stderr.write(`${fmt.format(late)} transaction(s) arrived later than the ${rules.engine.latenessMinutes}-minute lateness bound; processed at their own time\n`);
    }
    process.exitCode = reportRejects(result, options.quiet);
  } catch (err) {
    out.destroy();
    if (err instanceof InputError || (err as { exitCode?: number }).exitCode === 2) throw new CliError((err as Error).message);
    throw err;
  } finally {
    await store?.close();
  }
}
