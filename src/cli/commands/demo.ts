import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFiles, openStore } from '../../store/index.js';
import { fmt, mappingFor, newBatchId } from '../common.js';
import { runStats } from './stats.js';

/** The bundled examples, one per reader, relative to the package root. */
function examplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'examples', 'README.md'))) return join(dir, 'examples');
    dir = dirname(dir);
  }
  throw new Error('examples/ folder not found beside the package');
}

export async function runDemo(options: { db: string }): Promise<void> {
  const dir = examplesDir();
  const mapped = new Set(['spei-transfers.csv']);
  const detected = readdirSync(dir)
    .filter((f) => !mapped.has(f) && !/\.(md|ya?ml|json)$/.test(f))
    .sort();
  const plan: { files: string[]; mapping?: string }[] = [{ files: detected }, { files: ['spei-transfers.csv'], mapping: 'spei-mapping.yaml' }];
  const store = await openStore(options.db);
  try {
    for (const step of plan) {
      const files = step.files.map((f) => join(dir, f)).filter((f) => existsSync(f));
      if (files.length === 0) continue;
      const mapping = step.mapping ? await mappingFor({ format: 'csv', mapping: join(dir, step.mapping) }) : undefined;
      const batchId = newBatchId('demo');
      const r = await loadFiles(store, files.map((path) => ({ path })), {
        batchId,
        format: mapping ? 'csv' : 'auto',
        mapping,
        rejectsPath: join('rastro-data', 'rejects', `${batchId}.csv`),
      });
      process.stdout.write(
        `loaded ${files.length} example file(s): ${fmt.format(r.transactionsRead)} transactions read, ${fmt.format(r.transactionsInserted)} new, ` +
          `${fmt.format(r.duplicates)} already stored, ${fmt.format(r.rejects)} rejected\n`,
      );
    }
  } finally {
    await store.close();
  }
  await runStats({ db: options.db, top: '5' });
}
