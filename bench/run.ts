/**
 * `npm run bench`: speed and quality of `rastro scan` on generated IBM-layout worlds, against the SQL an analyst
 * would write, plus the ingest benchmarks. Every measurement runs a child process; each line reports
 * throughput (tx/s, µs per transaction) and the child's peak RSS, wall clock from outside the child.
 *
 *   1. `rastro scan` end to end (all typologies, default rules) on 1 M and 5 M transactions (20 M with
 *      RASTRO_BENCH_20M=1), and the parse-only floor (every typology disabled); how cost grows with size.
 *   2. Per-typology detector time (`engine.profile: true`) and the throughput each typology would have alone.
 *   3. Detection quality on the 5 M world (`rastro eval` against Trans.csv, accounts.csv, Patterns.txt).
 *      The benign-background false alerts are given twice: over the whole stream and for the alerts that start
 *      after the engine's warm-up (`rastro eval --since`).
 *   4. Fan-in, fan-out and cycle as SQL over DuckDB (bench/sql.ts) on 1 M and 5 M; ratio to Rastro's time.
 *   5. Ingest into DuckDB (fresh, then all duplicates) and PostgreSQL COPY, on the 5 M world.
 *
 * Worlds come from `rastro generate` and are cached under bench/data/ (gitignored; see bench/world.ts).
 *   RASTRO_BENCH_20M=1            also the 20 M world (generation and scans take minutes)
 *   RASTRO_BENCH_SECTIONS=a,b     run only these of scan,profile,eval,sql,ingest,screen,crypto,server (default: all)
 *   RASTRO_BENCH_SQL_TIMEOUT_S    per-query limit for the SQL checks (default 120); a 5 M query is skipped
 *                                 when the 1 M one timed out or 5× its time would exceed the limit
 *   RASTRO_BENCH_SQL_THREADS      DuckDB threads (default: DuckDB's own, all cores)
 *   RASTRO_BENCH_PG               PostgreSQL admin URL for the COPY benchmark (falls back to RASTRO_TEST_PG;
 *                                 skipped when neither is set)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  heading,
  int,
  lastJson,
  measured,
  mib,
  out,
  pct,
  printSummary,
  rastro,
  rate,
  root,
  runNode,
  secs,
  summary,
  table,
  usPerTx,
  type ChildRun,
} from './common.js';
import { alertsByTypology, effectiveRules, evaluate, scan, writeConfigs, type Rules, type Scan } from './detect.js';
import { QUERIES, type QueryName, type SqlParams, type StepResult } from './sql.js';
import { ensureWorld, type World } from './world.js';

const SECTIONS = new Set((process.env.RASTRO_BENCH_SECTIONS ?? 'scan,profile,eval,sql,ingest,screen,crypto,server').split(',').map((s) => s.trim()));

/** The benchmarks of other parts run as their own scripts, with their own output; here they are only started. */
function standalone(title: string, script: string, nodeArgs: string[] = [], args: string[] = []): void {
  heading(`${title} (bench/${script}.ts; also runnable alone: node dist/bench/${script}.js)`);
  const r = spawnSync(process.execPath, [...nodeArgs, join(root, 'dist', 'bench', `${script}.js`), ...args], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) out(`${script}: exited with ${r.status ?? r.signal}`);
}

/** A fresh PostgreSQL database for `fn` (dropped after), or undefined when no admin URL is set. */
async function withPgDatabase(fn: (url: string) => void): Promise<boolean> {
  const admin = process.env.RASTRO_BENCH_PG ?? process.env.RASTRO_TEST_PG;
  if (!admin) return false;
  const name = `rastro_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    fn(url.toString());
  } finally {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  }
  return true;
}
const WITH_20M = process.env.RASTRO_BENCH_20M === '1';
const SQL_TIMEOUT_MS = Number(process.env.RASTRO_BENCH_SQL_TIMEOUT_S ?? 120) * 1000;
const SQL_THREADS = Number(process.env.RASTRO_BENCH_SQL_THREADS ?? 0);
/** Issue 3 targets for the 5 M scan. */
const TARGET_TX_PER_S = 250_000;
const TARGET_RSS_BYTES = 3 * 2 ** 30;
/** Issue 3 recall targets per IBM scheme (attempt recall). */
const RECALL_TARGETS: Record<string, number> = { 'fan-in': 0.9, 'fan-out': 0.9, 'scatter-gather': 0.9, 'gather-scatter': 0.9, cycle: 0.9, bipartite: 0.7, stack: 0.7 };
const SQL_TYPOLOGIES: Record<QueryName, string> = { 'fan-in': 'fan-in', 'fan-out': 'fan-out', cycle: 'cycle' };

const started = performance.now();
const tmp = mkdtempSync(join(tmpdir(), 'rastro-bench-'));

function machine(): void {
  const [l1] = loadavg();
  out(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if ((l1 ?? 0) > 0.5 * cpus().length) out(`warning: the machine is busy (1-minute load ${l1!.toFixed(2)}); timings will be slower than on an idle machine`);
}

// ---------------------------------------------------------------------------------------------------------
// Scans, memoized: the same world and rules are scanned once however many sections use them.

const scans = new Map<string, Scan>();
let configs: { profile: string; parseOnly: string };

function scanOf(world: World, kind: 'default' | 'profile' | 'parse-only'): Scan {
  const key = `${world.label}:${kind}`;
  const known = scans.get(key);
  if (known) return known;
  const config = kind === 'profile' ? configs.profile : kind === 'parse-only' ? configs.parseOnly : undefined;
  const s = scan(world, join(tmp, `alerts-${world.label}-${kind}.jsonl`), config);
  scans.set(key, s);
  const name =
    kind === 'default' ? `rastro scan ${world.label}, all typologies` : kind === 'profile' ? `rastro scan ${world.label}, engine.profile` : `rastro scan ${world.label}, parse only (no typology)`;
  measured({
    section: kind === 'profile' ? 'profile' : 'scan',
    name,
    transactions: s.summary.transactionsRead,
    ms: s.run.wallMs,
    peakRssBytes: s.run.peakRssBytes,
    note: kind === 'parse-only' ? 'read + window graph' : `${int.format(s.summary.alerts)} alerts`,
  });
  return s;
}

function profileMs(s: Scan): Record<string, number> {
  const ms = s.summary.engine.typologyMs;
  if (!ms || Object.keys(ms).length === 0) throw new Error('scan with engine.profile reported no typologyMs');
  return ms;
}

// ---------------------------------------------------------------------------------------------------------
// 1. Scan end to end, and how cost grows with size

function scanSection(worlds: World[]): void {
  heading('1. rastro scan end to end (all typologies, default rules) and the parse-only floor');
  for (const w of worlds) {
    scanOf(w, 'default');
    scanOf(w, 'parse-only');
  }
  if (!WITH_20M) out('20M: skipped (set RASTRO_BENCH_20M=1; generating and scanning 20 M transactions takes minutes)');
  out();
  out('cost by size (wall clock of the whole process; detectors = all typologies − parse only):');
  const first = scanOf(worlds[0]!, 'default');
  const firstUs = usPerTx(first.run.wallMs, first.summary.transactionsRead);
  table(
    ['size', 'transactions', 'scan', 'tx/s', 'µs/tx', 'vs 1M', 'parse-only µs/tx', 'detectors µs/tx', 'peak RSS', 'alerts'],
    worlds.map((w) => {
      const s = scanOf(w, 'default');
      const p = scanOf(w, 'parse-only');
      const n = s.summary.transactionsRead;
      const us = usPerTx(s.run.wallMs, n);
      return [
        w.label,
        int.format(n),
        secs(s.run.wallMs),
        int.format(rate(n, s.run.wallMs)),
        us.toFixed(2),
        `×${(us / firstUs).toFixed(2)}`,
        usPerTx(p.run.wallMs, n).toFixed(2),
        usPerTx(s.run.wallMs - p.run.wallMs, n).toFixed(2),
        mib(s.run.peakRssBytes),
        int.format(s.summary.alerts),
      ];
    }),
  );
  const five = worlds.find((w) => w.label === '5M');
  if (five) {
    const s = scanOf(five, 'default');
    const tps = rate(s.summary.transactionsRead, s.run.wallMs);
    out();
    out(
      `issue 3 target on 5M: ≥ ${int.format(TARGET_TX_PER_S)} tx/s end to end and peak RSS ≤ ${mib(TARGET_RSS_BYTES)}: ` +
        `${int.format(tps)} tx/s ${tps >= TARGET_TX_PER_S ? 'met' : 'NOT met'}, ${mib(s.run.peakRssBytes)} ${s.run.peakRssBytes <= TARGET_RSS_BYTES ? 'met' : 'NOT met'}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// 2. Per-typology detector time

async function profileSection(worlds: World[]): Promise<void> {
  heading('2. Per-typology throughput (engine.profile: true; tx/s alone = transactions / that detector’s seconds)');
  const small = worlds[0]!;
  const big = worlds.find((w) => w.label === '5M') ?? small;
  const ps = scanOf(small, 'profile');
  const pb = scanOf(big, 'profile');
  const msSmall = profileMs(ps);
  const msBig = profileMs(pb);
  const alerts = await alertsByTypology(scanOf(big, 'default').alertsPath);
  const nSmall = ps.summary.transactionsRead;
  const nBig = pb.summary.transactionsRead;
  const sumBig = Object.values(msBig).reduce((a, b) => a + b, 0);
  const sumSmall = Object.values(msSmall).reduce((a, b) => a + b, 0);
  out();
  table(
    ['typology', `ms ${small.label}`, `ms ${big.label}`, `µs/tx ${small.label}`, `µs/tx ${big.label}`, 'growth', `share ${big.label}`, `tx/s alone ${big.label}`, `alerts ${big.label}`],
    [
      ...Object.keys(msBig)
        .sort((a, b) => msBig[b]! - msBig[a]!)
        .map((t) => {
          const a = msSmall[t] ?? 0;
          const b = msBig[t]!;
          return [
            t,
            int.format(a),
            int.format(b),
            usPerTx(a, nSmall).toFixed(3),
            usPerTx(b, nBig).toFixed(3),
            a > 0 ? `×${(usPerTx(b, nBig) / usPerTx(a, nSmall)).toFixed(2)}` : '—',
            pct(b / sumBig),
            b > 0 ? int.format(rate(nBig, b)) : '∞',
            int.format(alerts.get(t) ?? 0),
          ];
        }),
      ['all detectors', int.format(sumSmall), int.format(sumBig), usPerTx(sumSmall, nSmall).toFixed(3), usPerTx(sumBig, nBig).toFixed(3), `×${(usPerTx(sumBig, nBig) / usPerTx(sumSmall, nSmall)).toFixed(2)}`, '100.0 %', int.format(rate(nBig, sumBig)), int.format([...alerts.values()].reduce((a, b) => a + b, 0))],
    ],
  );
  out('(growth = µs/tx at the larger size ÷ µs/tx at the smaller: ×1.00 is linear cost)');
  const plain = scanOf(big, 'default');
  const parse = scanOf(big, 'parse-only');
  out();
  out(`${big.label}: profiled scan ${secs(pb.run.wallMs)} vs unprofiled ${secs(plain.run.wallMs)} (profiling overhead ${secs(pb.run.wallMs - plain.run.wallMs)});`);
  out(`   parse only (read + window graph, no typology) ${secs(parse.run.wallMs)} = ${int.format(rate(nBig, parse.run.wallMs))} tx/s; detectors ${secs(sumBig)};`);
  out(`   the rest of the profiled run (alert scoring/merging/output, profiling itself) ${secs(pb.run.wallMs - parse.run.wallMs - sumBig)}`);
}

// ---------------------------------------------------------------------------------------------------------
// 3. Detection quality

/** The instant of the world's first transaction (its first data row's IBM timestamp, UTC). */
function worldStartMs(world: World): number {
  const head = readFileSync(world.trans, 'utf8').slice(0, 4096).split('\n')[1]!;
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})/.exec(head)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

function qualitySection(world: World, rules: Rules): void {
  heading(`3. Detection quality on the ${world.label} world (rastro eval --json)`);
  const s = scanOf(world, 'default');
  const e = evaluate(world, s.alertsPath);
  const r = e.report;
  measured({ section: 'eval', name: `rastro eval ${world.label}`, transactions: r.transactions.truth, ms: e.run.wallMs, peakRssBytes: e.run.peakRssBytes });
  out();
  table(
    ['level', 'laundering', 'predicted', 'TP', 'FP', 'FN', 'precision', 'recall', 'F1'],
    (['transactions', 'accounts'] as const).map((k) => {
      const l = r[k];
      return [k, int.format(l.positives), int.format(l.predicted), int.format(l.truePositives), int.format(l.falsePositives), int.format(l.falseNegatives), pct(l.precision), pct(l.recall), pct(l.f1)];
    }),
  );
  const fa = r.falseAlerts;
  out();
  out(
    `benign accounts flagged: ${int.format(fa.benignAccountsFlagged)} of ${int.format(fa.benignAccounts)} = ` +
      `${fa.per10kBenignAccounts === null ? '—' : fa.per10kBenignAccounts.toFixed(1)} per 10,000 benign accounts`,
  );
  // The same once the engine's warm-up is over (until then new counterparties and profiles cannot count, and
  // shapes among accounts it has not watched yet alert on size and shape alone).
  const warmupDays = Number(rules.engine.warmupDays ?? 0);
  if (warmupDays > 0) {
    const since = new Date(worldStartMs(world) + warmupDays * 86_400_000).toISOString();
    const w = evaluate(world, s.alertsPath, ['--since', since]).report;
    const wa = w.falseAlerts;
    out(
      `  after the engine's warm-up (alerts from ${since.slice(0, 10)}, ${warmupDays} days in; ${int.format(w.alerts)} of ${int.format(r.alerts)} alerts): ` +
        `${int.format(wa.benignAccountsFlagged)} flagged = ${wa.per10kBenignAccounts === null ? '—' : wa.per10kBenignAccounts.toFixed(1)} per 10,000`,
    );
  }
  out();
  out(`per scheme (an attempt is detected when alerts cover ≥ ${pct(r.attemptCoverage)} of its transactions; target is issue 3’s, on attempt recall):`);
  table(
    ['scheme', 'laundering tx', 'tx recall', 'attempts', 'detected', 'attempt recall', 'target', 'top typologies (tx caught)'],
    r.schemes.map((sc) => {
      const target = RECALL_TARGETS[sc.scheme];
      const met = target === undefined || sc.attemptRecall === null ? '' : `${pct(target)} ${sc.attemptRecall >= target ? 'met' : 'NOT met'}`;
      return [
        sc.scheme,
        int.format(sc.transactions),
        pct(sc.transactionRecall),
        int.format(sc.attempts),
        int.format(sc.attemptsDetected),
        pct(sc.attemptRecall),
        met,
        sc.caughtBy
          .slice(0, 3)
          .map((c) => `${c.typology} ${c.transactions}`)
          .join(', '),
      ];
    }),
    'lrrrrrrl',
  );
  out();
  out('per typology (who the alerts name):');
  table(
    ['typology', 'alerts', 'transactions', 'tx precision', 'accounts', 'account precision', 'benign accounts'],
    [...r.typologies]
      .sort((a, b) => b.benignAccounts - a.benignAccounts)
      .map((t) => [t.typology, int.format(t.alerts), int.format(t.transactions), pct(t.transactionPrecision), int.format(t.accounts), pct(t.accountPrecision), int.format(t.benignAccounts)]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// 4. The SQL alternative

function sqlParams(rules: Rules): SqlParams {
  const t = rules.typologies;
  const num = (typology: string, key: string, fallback?: number): number => {
    const v = t[typology]?.[key];
    if (typeof v === 'number') return v;
    if (fallback !== undefined) return fallback;
    throw new Error(`rastro rules --json has no number typologies.${typology}.${key}`);
  };
  const fan = (name: string): SqlParams['fanIn'] => ({
    windowHours: num(name, 'windowHours'),
    minCounterparties: num(name, 'minCounterparties'),
    minAmount: num(name, 'minAmount', 0),
    includeCards: t[name]?.includeCards === true,
  });
  return {
    fanIn: fan('fan-in'),
    fanOut: fan('fan-out'),
    // 2..4 hops: the engine searches up to maxHops, the SQL stops at 4 (longer paths explode the join).
    cycle: { windowHours: num('cycle', 'windowHours'), minHops: num('cycle', 'minHops', 2), maxHops: Math.min(4, num('cycle', 'maxHops', 4)), amountTolerance: num('cycle', 'amountTolerance'), minAmount: num('cycle', 'minAmount', 0) },
    rates: rules.fx.rates,
    threads: SQL_THREADS,
  };
}

const sqlScript = join(root, 'dist', 'bench', 'sql.js');

function sqlStep(args: string[], timeoutMs?: number): { run: ChildRun; result: StepResult } {
  const run = runNode(sqlScript, args, timeoutMs ? { timeoutMs } : {});
  if (run.timedOut) return { run, result: { ms: run.wallMs, rows: 0, unit: '', timedOut: true, threads: 0, error: 'killed at the time limit' } };
  if (run.status !== 0) throw new Error(`sql.js ${args[0]} exited with ${run.status}:\n${run.stderr}`);
  return { run, result: lastJson<StepResult>(run.stdout) };
}

function sqlSection(worlds: World[], rules: Rules): void {
  const p = sqlParams(rules);
  heading('4. The obvious SQL alternative: fan-in, fan-out and cycle over DuckDB (bench/sql.ts)');
  out(
    `parameters from rastro rules --json: fan-in/fan-out ≥ ${p.fanIn.minCounterparties} distinct counterparties within ${p.fanIn.windowHours} h` +
      `${p.fanIn.minAmount > 0 ? `, amounts ≥ ${p.fanIn.minAmount} ${rules.fx.base}` : ''}${p.fanIn.includeCards ? '' : ', card payments excluded'}, self-transfers excluded; cycle ${p.cycle.minHops}..${p.cycle.maxHops} hops, strictly increasing times ` +
      `within ${p.cycle.windowHours} h, each hop within ±${Math.round(p.cycle.amountTolerance * 100)} % of the previous (base currency)` +
      `${p.cycle.minAmount > 0 ? `, closing hop ≥ ${p.cycle.minAmount} ${rules.fx.base}` : ''}.`,
  );
  out('The SQL does less than the engine: shapes only — no scoring, no novelty or history, no merging of overlapping findings, no explanations,');
  out('cycles only up to 4 hops; and it runs on a table already loaded (load timed separately). Each step is its own process.');
  out(`Per-query limit ${secs(SQL_TIMEOUT_MS)} (RASTRO_BENCH_SQL_TIMEOUT_S).`);
  const ratios: string[][] = [];
  const previous = new Map<QueryName, StepResult>();
  for (const w of worlds.filter((x) => x.label === '1M' || x.label === '5M')) {
    out();
    const db = join(tmp, `sql-${w.label}.duckdb`);
    const load = sqlStep(['load', w.trans, db, JSON.stringify(p)]);
    out(`${w.label}: DuckDB ${load.result.threads} threads (rastro scan: one JavaScript thread)`);
    measured({ section: 'sql', name: `DuckDB ${w.label}: read_csv into table`, transactions: load.result.rows, ms: load.result.ms, peakRssBytes: load.run.peakRssBytes, note: `process ${secs(load.run.wallMs)}` });
    const scanAll = scanOf(w, 'default');
    const prof = SECTIONS.has('profile') ? profileMs(scanOf(w, 'profile')) : undefined;
    const three = prof ? QUERIES.reduce((a, q) => a + (prof[SQL_TYPOLOGIES[q]] ?? 0), 0) : undefined;
    let total = load.result.ms;
    let peak = load.run.peakRssBytes;
    let complete = true;
    for (const q of QUERIES) {
      const before = previous.get(q);
      if (w.label !== '1M' && before && (before.timedOut || before.ms * 5 > SQL_TIMEOUT_MS)) {
        out(`DuckDB ${w.label}: ${q} skipped: at 1M it ${before.timedOut ? 'hit the time limit' : `took ${secs(before.ms)}, 5× that exceeds the limit`}`);
        complete = false;
        ratios.push([w.label, q, 'skipped', '', '', '', '']);
        continue;
      }
      const { run, result } = sqlStep(['query', db, q, JSON.stringify(p), String(SQL_TIMEOUT_MS)], SQL_TIMEOUT_MS + 30_000);
      previous.set(q, result);
      if (result.error && !result.timedOut) throw new Error(`DuckDB ${q}: ${result.error}`);
      const n = w.transactions;
      if (result.timedOut) {
        complete = false;
        out(`DuckDB ${w.label}: ${q} stopped at the time limit after ${secs(result.ms)}`);
        summary.push({ section: 'sql', name: `DuckDB ${w.label}: ${q}`, transactions: n, ms: 0, peakRssBytes: run.peakRssBytes, note: `> ${secs(SQL_TIMEOUT_MS)}, stopped` });
        ratios.push([w.label, q, `> ${secs(SQL_TIMEOUT_MS)}`, '', '', '', '']);
        continue;
      }
      total += result.ms;
      peak = Math.max(peak, run.peakRssBytes);
      const own = prof?.[SQL_TYPOLOGIES[q]];
      measured({ section: 'sql', name: `DuckDB ${w.label}: ${q}`, transactions: n, ms: result.ms, peakRssBytes: run.peakRssBytes, note: `${int.format(result.rows)} ${result.unit}` });
      ratios.push([
        w.label,
        q,
        secs(result.ms),
        `${int.format(result.rows)} ${result.unit}`,
        (result.ms / scanAll.run.wallMs).toFixed(3),
        three ? (result.ms / three).toFixed(3) : '—',
        own ? (result.ms / own).toFixed(3) : '—',
      ]);
    }
    if (complete) {
      ratios.push([w.label, 'load + all three', secs(total), '', (total / scanAll.run.wallMs).toFixed(3), three ? (total / three).toFixed(3) : '—', '']);
      summary.push({ section: 'sql', name: `DuckDB ${w.label}: load + fan-in + fan-out + cycle`, transactions: w.transactions, ms: total, peakRssBytes: peak, note: 'sum of the steps; RSS: the largest step' });
    }
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
  out();
  out('ratio = SQL time ÷ Rastro time (< 1: the SQL is faster). Rastro: the whole scan end to end with all 14 typologies; the profiled');
  out('detector time of fan-in + fan-out + cycle at the same size; the profiled time of the same-named typology.');
  table(['size', 'query', 'SQL time', 'rows', '÷ rastro scan (all)', '÷ rastro fan-in+fan-out+cycle', '÷ same typology'], ratios, 'llrrrrr');
}

// ---------------------------------------------------------------------------------------------------------
// 5. Ingest

interface IngestSummary {
  transactionsRead: number;
  transactionsInserted: number;
}

function ingest(label: string, args: string[]): void {
  const r = rastro(['ingest', ...args, '--json', '--quiet']);
  const s = lastJson<IngestSummary>(r.stdout);
  measured({ section: 'ingest', name: label, transactions: s.transactionsRead, ms: r.wallMs, peakRssBytes: r.peakRssBytes, note: `${int.format(s.transactionsInserted)} inserted` });
}

async function ingestSection(world: World): Promise<void> {
  heading(`5. Ingest (${world.label} world)`);
  const db = join(tmp, 'ingest.duckdb');
  ingest(`ingest ${world.label} into DuckDB (fresh)`, [world.trans, '--db', db, '--rejects', join(tmp, 'r1.csv')]);
  ingest(`ingest ${world.label} again (all duplicates)`, [world.trans, '--db', db, '--rejects', join(tmp, 'r2.csv')]);
  rmSync(db, { force: true });
  const ran = await withPgDatabase((url) => ingest(`ingest ${world.label} into PostgreSQL (COPY)`, [world.trans, '--db', url, '--rejects', join(tmp, 'r3.csv')]));
  if (!ran) out('PostgreSQL COPY benchmark skipped: set RASTRO_BENCH_PG or RASTRO_TEST_PG to an admin URL');
}

/** The server on its production store (PostgreSQL, when an admin URL is set) and on the embedded one. */
async function serverSection(): Promise<void> {
  const title = 'Investigation server: single-transaction and batch monitoring requests';
  const ran = await withPgDatabase((url) => standalone(`${title}, PostgreSQL`, 'server', [], ['--db', url]));
  if (!ran) out('server on PostgreSQL skipped: set RASTRO_BENCH_PG or RASTRO_TEST_PG to an admin URL');
  standalone(`${title}, DuckDB`, 'server');
}

// ---------------------------------------------------------------------------------------------------------

try {
  machine();
  const rules = effectiveRules();
  configs = writeConfigs(tmp, rules);
  heading('Worlds (rastro generate --format ibm-aml, IBM LI-Small attempts embedded; cached in bench/data/)');
  const worlds = [1_000_000, 5_000_000, ...(WITH_20M ? [20_000_000] : [])].map((rows) => ensureWorld(rows));
  const five = worlds.find((w) => w.label === '5M')!;
  if (SECTIONS.has('scan')) scanSection(worlds);
  if (SECTIONS.has('profile')) await profileSection(worlds);
  if (SECTIONS.has('eval')) qualitySection(five, rules);
  if (SECTIONS.has('sql')) sqlSection(worlds, rules);
  if (SECTIONS.has('ingest')) await ingestSection(five);
  if (SECTIONS.has('screen')) standalone('Sanctions screening: names/s and latency against the full OFAC + UN lists', 'screen');
  if (SECTIONS.has('crypto')) standalone('Crypto: block parse, clustering, memory, 10-hop trace', 'crypto', ['--expose-gc']);
  if (SECTIONS.has('server')) await serverSection();
  printSummary();
  out();
  out(`bench total ${secs(performance.now() - started)}; load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
