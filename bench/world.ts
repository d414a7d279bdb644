/**
 * Benchmark worlds: `rastro generate --format ibm-aml` with the IBM LI-Small attempts embedded, sized to a
 * target row count, cached under bench/data/ (gitignored). A cached world is regenerated when the generator's
 * code or the generation arguments change.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dataDir, lastJson, measured, out, rastro, root } from './common.js';

/** Rows per `--accounts` unit over 120 days (measured: 13,600 accounts → 1.00 M rows; 68,000 → 5.03 M). */
const ROWS_PER_ACCOUNT = 73.6;
const DAYS = 120;
const SEED = 1;
const PATTERNS = join(root, 'test', 'fixtures', 'ibm-amlworld', 'LI-Small_Patterns.txt');

export interface World {
  label: string;
  dir: string;
  trans: string;
  patterns: string;
  accountsCsv: string;
  /** Rows actually written. */
  transactions: number;
  accounts: number;
  launderingAccounts: number;
  instances: number;
  args: string[];
}

interface GenerateSummary {
  transactions: number;
  accounts: number;
  launderingAccounts: number;
  instances: number;
}

export function sizeLabel(rows: number): string {
  return rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`;
}

/** Hash of the generator's compiled code, so a changed generator is not benchmarked on a stale world. */
function generatorHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js')) h.update(relative(root, p)).update(readFileSync(p));
    }
  };
  walk(join(root, 'dist', 'src', 'scenario'));
  h.update(readFileSync(join(root, 'dist', 'src', 'cli', 'commands', 'generate.js')));
  h.update(readFileSync(PATTERNS));
  return h.digest('hex').slice(0, 16);
}

/**
 * The world of about `rows` transactions: accounts scale with the rows over a fixed 120 days, and each IBM
 * attempt is embedded once per 2.5 M rows (at least once) so the laundering share stays about constant.
 */
export function ensureWorld(rows: number): World {
  const label = sizeLabel(rows);
  const accounts = Math.round(rows / ROWS_PER_ACCOUNT);
  const repeat = Math.max(1, Math.round(rows / 2_500_000));
  const name = `world-${label}-a${accounts}-d${DAYS}-s${SEED}-r${repeat}`;
  const dir = join(dataDir, name);
  const args = ['--accounts', String(accounts), '--days', String(DAYS), '--seed', String(SEED), '--embed-patterns', PATTERNS, '--embed-repeat', String(repeat)];
  const key = `${generatorHash()} ${args.join(' ')}`;
  const keyFile = join(dir, 'bench-key.txt');
  const files = { trans: join(dir, 'Trans.csv'), patterns: join(dir, 'Patterns.txt'), accountsCsv: join(dir, 'accounts.csv') };
  if (!(existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key && existsSync(files.trans))) {
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    const r = rastro(['generate', '--format', 'ibm-aml', ...args, '--out', tmp, '--json', '--quiet']);
    const s = lastJson<GenerateSummary>(r.stdout);
    writeFileSync(join(tmp, 'bench-key.txt'), key);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    measured({ section: 'generate', name: `rastro generate ${label} world`, transactions: s.transactions, ms: r.wallMs, peakRssBytes: r.peakRssBytes, note: `--accounts ${accounts} --days ${DAYS} --embed-repeat ${repeat}` });
  }
  const w = JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8')) as GenerateSummary;
  out(
    `${label} world: ${relative(root, dir)}/ — ${w.transactions.toLocaleString('en-US')} transactions, ${w.accounts.toLocaleString('en-US')} accounts ` +
      `(${w.launderingAccounts.toLocaleString('en-US')} laundering, ${w.instances} embedded attempts), ${(statSync(files.trans).size / 2 ** 20).toFixed(0)} MiB`,
  );
  return { label, dir, ...files, transactions: w.transactions, accounts: w.accounts, launderingAccounts: w.launderingAccounts, instances: w.instances, args };
}
