/**
 * `rastro demo` (what `npm start` runs): the main job on the embedded default, no server. It loads the
 * bundled example files (one per reader), generates a mid-sized synthetic world with known laundering
 * (≈ 1 M transactions; cached by its parameters), scans it through the typology engine into the embedded
 * database, and reports what the engine found against the truth.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { defaultRules } from '../../detect/index.js';
import { evaluateFiles, percent } from '../../eval/index.js';
import { defaultSchemes, generateWorld, ibmPatternsScheme, parseIbmPatterns } from '../../scenario/index.js';
import { loadFiles, openStore } from '../../store/index.js';
import { CliError, fmt, mappingFor, newBatchId } from '../common.js';
import { runScan } from './scan.js';
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

export interface DemoOptions {
  db: string;
  accounts: string;
  days: string;
  seed: string;
  world?: boolean;
}

function whole(text: string, name: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${name} takes a whole number in [${min}, ${max}], got ${JSON.stringify(text)}`);
  return n;
}

async function loadExamples(db: string, dir: string): Promise<void> {
  const mapped = new Set(['spei-transfers.csv']);
  const detected = readdirSync(dir)
    .filter((f) => !mapped.has(f) && !/\.(md|ya?ml|json)$/.test(f))
    .sort();
  const plan: { files: string[]; mapping?: string }[] = [{ files: detected }, { files: ['spei-transfers.csv'], mapping: 'spei-mapping.yaml' }];
  const store = await openStore(db);
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
        rejectsPath: join(dirname(db), 'rejects', `${batchId}.csv`),
      });
      process.stdout.write(
        `examples: ${files.length} file(s), ${fmt.format(r.transactionsRead)} transactions read, ${fmt.format(r.transactionsInserted)} new, ` +
          `${fmt.format(r.duplicates)} already stored, ${fmt.format(r.rejects)} rejected (on purpose: the examples show how bad rows are kept)\n`,
      );
    }
  } finally {
    await store.close();
  }
}

/** Benign accounts (per the world's accounts.csv) named by alerts that end after the engine's warm-up. */
async function afterWarmup(alertsPath: string, accountsPath: string, warmEndMs: number): Promise<{ flagged: number; benign: number; per10k: number }> {
  const benign = new Set<string>();
  let header: string[] | undefined;
  for await (const line of createInterface({ input: createReadStream(accountsPath), crlfDelay: Infinity })) {
    const f = line.split(',');
    if (!header) {
      header = f;
      continue;
    }
    if (f[header.indexOf('is_laundering')] === '0') benign.add(f[header.indexOf('account')]!);
  }
  const flagged = new Set<string>();
  for await (const line of createInterface({ input: createReadStream(alertsPath), crlfDelay: Infinity })) {
    if (line === '') continue;
    const a = JSON.parse(line) as { to: string; accounts: string[] };
    if (Date.parse(a.to) < warmEndMs) continue;
    for (const acc of a.accounts) if (benign.has(acc)) flagged.add(acc);
  }
  return { flagged: flagged.size, benign: benign.size, per10k: benign.size > 0 ? (flagged.size * 10_000) / benign.size : 0 };
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const examples = examplesDir();
  await loadExamples(options.db, examples);
  if (options.world === false) {
    await runStats({ db: options.db, top: '5' });
    return;
  }
  const accounts = whole(options.accounts, '--accounts', 1_000, 1_000_000);
  const days = whole(options.days, '--days', 30, 3_650);
  const seed = whole(options.seed, '--seed', 0, 2 ** 31 - 1);
  const home = dirname(options.db.startsWith('postgres') ? join('rastro-data', 'x') : options.db);
  const worldDir = join(home, `demo-world-v2-a${accounts}-d${days}-s${seed}`);
  const patterns = join(examples, 'LI-Small_Patterns.txt');
  if (!existsSync(join(worldDir, 'Trans.csv'))) {
    process.stdout.write(`generating a world of ${fmt.format(accounts)} accounts over ${days} days (seed ${seed}) into ${worldDir} ...\n`);
    const started = performance.now();
    const attempts = parseIbmPatterns(await readFile(patterns, 'utf8'), patterns);
    const summary = await generateWorld({
      accounts,
      days,
      seed,
      startMs: Date.UTC(2022, 8, 1),
      outDir: worldDir,
      // The schemes from the field and the AMLSim/AMLworld shapes, plus IBM's own LI-Small attempts.
      schemes: [...defaultSchemes(), ibmPatternsScheme(attempts, { repeat: 2 })],
    });
    process.stdout.write(
      `world: ${fmt.format(summary.transactions)} transactions, ${fmt.format(summary.accounts)} accounts, ` +
        `${fmt.format(summary.launderingTransactions)} laundering transactions in ${fmt.format(summary.instances)} attempts, ` +
        `generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  } else {
    process.stdout.write(`world: reusing ${worldDir}\n`);
  }
  const alerts = join(home, 'demo-alerts.jsonl');
  const trans = join(worldDir, 'Trans.csv');
  await runScan([trans], { format: 'auto', alerts, db: options.db, quiet: !process.stderr.isTTY });
  const { report } = await evaluateFiles({ alerts, truth: [trans, join(worldDir, 'accounts.csv')], patterns: join(worldDir, 'Patterns.txt') });
  const warm = await afterWarmup(alerts, join(worldDir, 'accounts.csv'), Date.UTC(2022, 8, 1) + defaultRules().engine.warmupDays * 86_400_000);
  const t = report.transactions;
  const a = report.accounts;
  const lines = [
    '',
    `found versus the truth (${fmt.format(report.alertsFile.lines)} alerts):`,
    `  laundering transactions caught ${percent(t.recall)} (${fmt.format(t.truePositives)} of ${fmt.format(t.positives)}); laundering accounts caught ${percent(a.recall)}`,
    `  benign accounts flagged: ${fmt.format(report.falseAlerts.benignAccountsFlagged)} of ${fmt.format(report.falseAlerts.benignAccounts)} ` +
      `over the whole stream; ${fmt.format(warm.flagged)} of ${fmt.format(warm.benign)} (${(warm.per10k).toFixed(0)} per 10,000) by alerts after the ` +
      `${defaultRules().engine.warmupDays}-day warm-up (the first weeks have no history to judge by; see README "Detection")`,
    '  per scheme (transactions caught / attempts detected):',
    ...report.schemes.map((s) => `    ${s.scheme.padEnd(24)} ${percent(s.transactionRecall).padStart(7)} / ${percent(s.attemptRecall).padStart(7)}`),
    '',
    `alerts: ${alerts} (one JSON line each: typology, score, factors, accounts, transactions, explanation)`,
    `next: rastro eval --alerts ${alerts} --truth ${trans} ${join(worldDir, 'accounts.csv')} --patterns ${join(worldDir, 'Patterns.txt')}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  await runStats({ db: options.db, top: '5' });
}
