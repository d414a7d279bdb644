/**
 * Screening benchmark: list load time, and names per second and per-name latency against the full OFAC +
 * UN + crypto lists on one core.
 *
 *   node dist/bench/screen.js [--lists <dir>] [--queries N] [--json]
 *
 * Queries: half are variants of listed names (typos, respellings, reordering, dropped middle names: they
 * should hit), half are made-up Spanish names and company names (the usual case in production: no hit).
 * Reads ../shared/data/sanctions; prints "skipped" and exits 0 when it is absent.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListSet, loadLists, Screener, type ScreenQuery } from '../src/screen/index.js';
import { pick, rng, SPANISH_GIVEN, SPANISH_SURNAMES, variant } from './screen-pairs.js';

const COMPANY_WORDS = ['Comercializadora', 'Servicios', 'Inversiones', 'Grupo', 'Transportes', 'Importadora', 'Constructora', 'Agricola', 'Textil', 'Farmaceutica'];
const COMPANY_NAMES = ['del Norte', 'Pacifico', 'Azteca', 'Bajio', 'Sol', 'Continental', 'Rivera', 'Horizonte', 'Union', 'Jalisco', 'Sierra', 'Las Palmas'];

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const listsDir = arg('--lists') ?? join(root, '..', 'shared', 'data', 'sanctions');
  if (!existsSync(listsDir)) {
    process.stdout.write(`screen bench: skipped, no lists at ${listsDir}\n`);
    return;
  }
  const n = Number(arg('--queries') ?? 20_000);

  const t0 = performance.now();
  const lists = await loadLists([listsDir]);
  const t1 = performance.now();
  const set = new ListSet();
  for (const l of lists) set.apply(l);
  const screener = new Screener(set.entities());
  const t2 = performance.now();

  const r = rng(42);
  const entities = set.entities().filter((e) => e.schema !== 'CryptoWallet');
  const queries: Array<{ q: ScreenQuery; expect?: string }> = [];
  while (queries.length < n) {
    if (r() < 0.5) {
      const e = pick(r, entities);
      const v = variant(r, e);
      if (v) queries.push({ q: { name: v.name, schema: e.schema === 'Person' ? 'Person' : 'Organization' }, expect: e.key });
    } else if (r() < 0.7) {
      queries.push({ q: { name: `${pick(r, SPANISH_GIVEN)} ${pick(r, SPANISH_SURNAMES)} ${pick(r, SPANISH_SURNAMES)}`, schema: 'Person' } });
    } else {
      queries.push({ q: { name: `${pick(r, COMPANY_WORDS)} ${pick(r, COMPANY_NAMES)} S.A. de C.V.`, schema: 'Company' } });
    }
  }

  const latencies = new Float64Array(queries.length);
  // CPU time per query as well: on a shared machine wall-clock latency includes time spent descheduled.
  const cpuLatencies = new Float64Array(queries.length);
  let hits = 0;
  let expected = 0;
  let matches = 0;
  const t3 = performance.now();
  for (let i = 0; i < queries.length; i++) {
    const { q, expect } = queries[i]!;
    const c = process.cpuUsage();
    const s = performance.now();
    const result = screener.screen(q);
    latencies[i] = performance.now() - s;
    const used = process.cpuUsage(c);
    cpuLatencies[i] = (used.user + used.system) / 1000;
    if (result.match) matches++;
    if (expect) {
      expected++;
      if (result.candidates.some((c) => c.key === expect && c.match)) hits++;
    }
  }
  const screenMs = performance.now() - t3;
  const sorted = Float64Array.from(latencies).sort();
  const cpuSorted = Float64Array.from(cpuLatencies).sort();
  let cpuTotalMs = 0;
  for (const x of cpuLatencies) cpuTotalMs += x;
  const figures = {
    entities: set.size,
    names: screener.stats.names,
    vocabulary: screener.stats.vocabulary,
    loadListsMs: Math.round(t1 - t0),
    buildIndexMs: Math.round(t2 - t1),
    queries: queries.length,
    namesPerSecond: Math.round(queries.length / (screenMs / 1000)),
    p50Ms: Number(percentile(sorted, 0.5).toFixed(3)),
    p99Ms: Number(percentile(sorted, 0.99).toFixed(3)),
    maxMs: Number(sorted[sorted.length - 1]!.toFixed(3)),
    namesPerCpuSecond: Math.round(queries.length / (cpuTotalMs / 1000)),
    cpuP50Ms: Number(percentile(cpuSorted, 0.5).toFixed(3)),
    cpuP99Ms: Number(percentile(cpuSorted, 0.99).toFixed(3)),
    loadAverage: Number(loadavg()[0]!.toFixed(2)),
    variantRecall: Number((hits / Math.max(1, expected)).toFixed(3)),
    queriesWithMatch: matches,
    heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
  };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  process.stdout.write(
    `screen: ${figures.entities} entries, ${figures.names} names (${figures.vocabulary} index words)\n` +
      `  lists read in ${figures.loadListsMs} ms, index built in ${figures.buildIndexMs} ms\n` +
      `  ${figures.queries} queries: ${figures.namesPerSecond} names/s on one core; latency p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms\n` +
      `  CPU time: ${figures.namesPerCpuSecond} names per CPU second; p50 ${figures.cpuP50Ms} ms, p99 ${figures.cpuP99Ms} ms (load average ${figures.loadAverage})\n` +
      `  listed-name variants found as matches: ${figures.variantRecall}; queries with a match: ${figures.queriesWithMatch}; heap ${figures.heapMB} MB\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
