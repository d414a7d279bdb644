/**
 * `rastro screen pairs|names|diff`: the shell around src/screen. Files in, files out; summaries on stderr.
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import {
  DEFAULT_THRESHOLD,
  diffLists,
  ListError,
  ListSet,
  loadLists,
  readQueries,
  scorePairsCsv,
  Screener,
  screeningRecords,
  TableError,
  type LoadedList,
  type RowProblem,
} from '../../screen/index.js';
import { XmlRefused } from '../../ingest/index.js';
import { openStore, type PartyScreening, type Store } from '../../store/index.js';
import { CliError, fmt } from '../common.js';

/** Problem rows printed to stderr, at most. */
const MAX_PRINTED_PROBLEMS = 20;

export interface ScreenPairsOptions {
  out: string;
  threshold?: string;
  json?: boolean;
}

export interface ScreenNamesOptions {
  out: string;
  lists?: string[];
  threshold?: string;
  minScore?: string;
  limit?: string;
  json?: boolean;
  quiet?: boolean;
  /** Keep each query's candidates with its party (the query's id, else its name) in this store. */
  db?: string;
}

function fraction(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!(v >= 0 && v <= 1)) throw new CliError(`${name} takes a number in [0, 1], got ${JSON.stringify(text)}`);
  return v;
}

async function openOut(path: string): Promise<WriteStream> {
  await mkdir(dirname(path), { recursive: true });
  return createWriteStream(path, { encoding: 'utf8' });
}

function writer(stream: WriteStream): { line: (s: string) => Promise<void> | void; close: () => Promise<void> } {
  return {
    line: (s: string) => {
      if (!stream.write(`${s}\n`)) return new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    },
    close: () => new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve()))),
  };
}

function reportProblems(file: string, problems: readonly RowProblem[]): void {
  for (const p of problems.slice(0, MAX_PRINTED_PROBLEMS)) process.stderr.write(`${file}:${p.line}: ${p.reason}\n`);
  if (problems.length > MAX_PRINTED_PROBLEMS) process.stderr.write(`... and ${fmt.format(problems.length - MAX_PRINTED_PROBLEMS)} more\n`);
}

function inputOf(path: string): string | AsyncIterable<Buffer> {
  if (path === '-') return process.stdin;
  if (!existsSync(path)) throw new CliError(`${path}: no such file`);
  return path;
}

export async function runScreenPairs(pairs: string, options: ScreenPairsOptions): Promise<void> {
  const threshold = fraction(options.threshold, '--threshold', DEFAULT_THRESHOLD);
  const input = inputOf(pairs);
  const out = writer(await openOut(options.out));
  const started = performance.now();
  let summary;
  try {
    summary = await scorePairsCsv(input, out.line, { threshold });
  } catch (err) {
    await out.close();
    if (err instanceof TableError) throw new CliError(`${pairs}: ${err.message}`);
    throw err;
  }
  await out.close();
  reportProblems(pairs, summary.problems);
  const seconds = (performance.now() - started) / 1000;
  const result = { rows: summary.rows, matches: summary.matches, threshold, problems: summary.problems.length, seconds: Math.round(seconds * 1000) / 1000, out: options.out };
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stderr.write(`rastro: scored ${fmt.format(summary.rows)} pairs (${fmt.format(summary.matches)} matches at ${threshold}) in ${seconds.toFixed(2)} s → ${options.out}\n`);
}

/** Lists named on the command line, else $RASTRO_LISTS (path list), else ./rastro-data/lists. */
function listPaths(given: string[] | undefined): string[] {
  if (given && given.length > 0) return given;
  const env = process.env.RASTRO_LISTS;
  if (env) return env.split(delimiter).filter(Boolean);
  const local = join('rastro-data', 'lists');
  if (existsSync(local)) return [local];
  throw new CliError('no lists to screen against: pass --lists <dir|file>... (OFAC sdn.csv, UN XML, sanctioned_addresses_*.json, custom CSV/JSON), set RASTRO_LISTS, or put them in ./rastro-data/lists');
}

async function load(paths: string[]): Promise<LoadedList[]> {
  try {
    return await loadLists(paths);
  } catch (err) {
    if (err instanceof ListError || err instanceof XmlRefused) throw new CliError((err as Error).message);
    throw err;
  }
}

export async function runScreenNames(queries: string, options: ScreenNamesOptions): Promise<void> {
  const threshold = fraction(options.threshold, '--threshold', DEFAULT_THRESHOLD);
  const minScore = fraction(options.minScore, '--min-score', 0.5);
  const limit = Number(options.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit takes a whole number from 1 to 1000, got ${JSON.stringify(options.limit)}`);
  const paths = listPaths(options.lists);
  const input = inputOf(queries);
  const t0 = performance.now();
  const lists = await load(paths);
  const set = new ListSet();
  for (const l of lists) set.apply(l);
  const screener = new Screener(set.entities());
  const loadMs = performance.now() - t0;
  if (!options.quiet) {
    for (const l of lists) {
      process.stderr.write(`rastro: list ${l.list}${l.version ? ` (${l.version})` : ''}: ${fmt.format(l.entities.length)} entries from ${l.files.length} file(s)\n`);
      reportProblems(l.list, l.problems.map((p) => ({ line: p.line, reason: `${p.file}: ${p.reason}` })));
    }
  }
  if (set.size === 0) throw new CliError(`no list entries found in ${paths.join(', ')}`);
  const out = writer(await openOut(options.out));
  const store: Store | undefined = options.db ? await openStore(options.db) : undefined;
  const pending: PartyScreening[] = [];
  const screenedAtMs = Date.now();
  const listVersions = set.versions();
  let stored = 0;
  const problems: RowProblem[] = [];
  let screened = 0;
  let matched = 0;
  const t1 = performance.now();
  try {
    for await (const q of readQueries(input, problems)) {
      const { row, ...query } = q;
      const result = screener.screen(query, { threshold, minScore, limit });
      screened++;
      if (result.match) matched++;
      await out.line(JSON.stringify({ row, query, match: result.match, candidates: result.candidates }));
      const partyId = query.id ?? query.name ?? query.cryptoAddress;
      if (store && partyId !== undefined) {
        for (const r of screeningRecords(partyId, result, { screenedAtMs, listVersions })) {
          const { screenedAt: _at, ...rest } = r;
          pending.push({ ...rest, screenedAtMs, nameStrength: String(r.nameStrength) });
        }
        if (pending.length >= 1_000) stored += await store.writeScreenings(pending.splice(0));
      }
    }
    if (store && pending.length > 0) stored += await store.writeScreenings(pending.splice(0));
  } catch (err) {
    await store?.close();
    await out.close();
    if (err instanceof TableError) throw new CliError(`${queries}: ${err.message}`);
    throw err;
  }
  await store?.close();
  await out.close();
  reportProblems(queries, problems);
  const screenMs = performance.now() - t1;
  const summary = {
    queries: screened,
    matched,
    threshold,
    lists: set.versions(),
    loadSeconds: Math.round(loadMs) / 1000,
    screenSeconds: Math.round(screenMs) / 1000,
    problems: problems.length,
    out: options.out,
    stored,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else if (!options.quiet) {
    process.stderr.write(
      `rastro: screened ${fmt.format(screened)} queries against ${fmt.format(set.size)} entries: ${fmt.format(matched)} with a match at ${threshold} ` +
        `(lists loaded in ${(loadMs / 1000).toFixed(2)} s, screening ${(screenMs / 1000).toFixed(2)} s) → ${options.out}\n`,
    );
  }
  if (problems.length > 0) process.exitCode = 2;
}

export interface ScreenDiffOptions {
  json?: boolean;
}

/** What changed between two versions of the lists (each a folder or file set). */
export async function runScreenDiff(before: string, after: string, options: ScreenDiffOptions): Promise<void> {
  const [old, next] = [await load([before]), await load([after])];
  const diffs = [];
  const names = new Set([...old.map((l) => l.list), ...next.map((l) => l.list)]);
  for (const name of [...names].sort()) {
    const a = old.find((l) => l.list === name);
    const b = next.find((l) => l.list === name);
    const d = diffLists(a?.entities ?? [], b?.entities ?? [], name);
    if (a?.version) d.previousVersion = a.version;
    if (b?.version) d.version = b.version;
    diffs.push(d);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(diffs)}\n`);
    return;
  }
  for (const d of diffs) {
    process.stdout.write(`${d.list}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged\n`);
    for (const x of d.added.slice(0, 50)) process.stdout.write(`  + ${x.key} ${x.name}\n`);
    for (const x of d.removed.slice(0, 50)) process.stdout.write(`  - ${x.key} ${x.name}\n`);
    for (const x of d.changed.slice(0, 50)) process.stdout.write(`  ~ ${x.key} ${x.name} (${x.fields.join(', ')})\n`);
  }
}
