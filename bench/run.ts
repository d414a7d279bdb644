/**
 * `npm run bench`: ingest throughput and peak memory on an IBM-layout file (5,000,000 rows by default).
 *   RASTRO_BENCH_ROWS   rows to generate (default 5,000,000)
 *   RASTRO_BENCH_PG     PostgreSQL admin URL for the COPY benchmark (falls back to RASTRO_TEST_PG; skipped when neither is set)
 * Each measurement runs the real CLI in a child process and reads its --json summary (rows/s, peak RSS).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateIbm } from './gen-ibm.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const rows = Number(process.env.RASTRO_BENCH_ROWS ?? 5_000_000);
const file = join(root, 'bench', 'data', `ibm-${rows}.csv`);

interface Summary {
  transactionsRead: number;
  transactionsInserted?: number;
  elapsedMs: number;
  peakRssBytes: number;
}

function run(args: string[]): Summary {
  const out = execFileSync(process.execPath, ['--max-semi-space-size=64', cli, ...args, '--json', '--quiet'], { cwd: root, maxBuffer: 1 << 24 });
  const last = out.toString().trim().split('\n').pop()!;
  return JSON.parse(last) as Summary;
}

function report(name: string, s: Summary): void {
  const rate = Math.round((s.transactionsRead * 1000) / s.elapsedMs);
  process.stdout.write(
    `${name.padEnd(34)} ${String(s.transactionsRead).padStart(10)} rows ${(s.elapsedMs / 1000).toFixed(2).padStart(7)} s ` +
      `${rate.toLocaleString('en-US').padStart(10)} rows/s  peak RSS ${(s.peakRssBytes / 2 ** 20).toFixed(0).padStart(5)} MiB\n`,
  );
}

if (!existsSync(file)) {
  process.stdout.write(`generating ${rows.toLocaleString('en-US')} IBM-layout rows into ${file} ...\n`);
  await generateIbm(file, rows, 1);
}
process.stdout.write(`input: ${file} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)\n`);

const dir = await mkdtemp(join(tmpdir(), 'rastro-bench-'));
try {
  report('parse only (scan, no store)', run(['scan', file, '--alerts', join(dir, 'alerts.jsonl')]));
  const db = join(dir, 'bench.duckdb');
  report('ingest into DuckDB (fresh)', run(['ingest', file, '--db', db, '--rejects', join(dir, 'r1.csv')]));
  report('ingest again (all duplicates)', run(['ingest', file, '--db', db, '--rejects', join(dir, 'r2.csv')]));

  const admin = process.env.RASTRO_BENCH_PG ?? process.env.RASTRO_TEST_PG;
  if (!admin) {
    process.stdout.write('PostgreSQL COPY benchmark skipped: set RASTRO_BENCH_PG or RASTRO_TEST_PG to an admin URL\n');
  } else {
    const name = `rastro_bench_${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(admin);
      url.pathname = `/${name}`;
      report('ingest into PostgreSQL (COPY)', run(['ingest', file, '--db', url.toString(), '--rejects', join(dir, 'r3.csv')]));
    } finally {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
