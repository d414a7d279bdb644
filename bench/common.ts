/**
 * Shared pieces of `npm run bench`: paths, child processes measured from outside (wall clock and peak RSS of
 * the child, read by bench/rss-hook.ts), formatting and the summary table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cli = join(root, 'dist', 'src', 'cli', 'main.js');
export const dataDir = join(root, 'bench', 'data');
const rssHook = pathToFileURL(join(root, 'dist', 'bench', 'rss-hook.js')).href;

/** The flags the `rastro` shebang gives node. */
export const CLI_NODE_FLAGS = ['--max-semi-space-size=64'];

export interface ChildRun {
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak resident set size of the child process (0 when it was killed before it could tell). */
  peakRssBytes: number;
  status: number | null;
  timedOut: boolean;
}

/** Run `node [flags] script args...` to completion; `timeoutMs` kills it (SIGKILL) when exceeded. */
export function runNode(script: string, args: string[], opts: { flags?: string[]; timeoutMs?: number } = {}): ChildRun {
  const dir = mkdtempSync(join(tmpdir(), 'rastro-bench-rss-'));
  const rssFile = join(dir, 'rss');
  try {
    const started = performance.now();
    const r = spawnSync(process.execPath, [...(opts.flags ?? []), '--import', rssHook, script, ...args], {
      cwd: root,
      env: { ...process.env, RASTRO_BENCH_RSS_FILE: rssFile },
      maxBuffer: 1 << 28,
      encoding: 'utf8',
      killSignal: 'SIGKILL',
      ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    });
    const wallMs = performance.now() - started;
    let peakRssBytes = 0;
    try {
      peakRssBytes = Number(readFileSync(rssFile, 'utf8'));
    } catch {
      // killed before exit
    }
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    if (r.error && !timedOut) throw r.error;
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', wallMs, peakRssBytes, status: r.status, timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run the `rastro` CLI; a non-zero exit is an error (its stderr is shown). */
export function rastro(args: string[]): ChildRun {
  const r = runNode(cli, args, { flags: CLI_NODE_FLAGS });
  if (r.status !== 0) throw new Error(`rastro ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return r;
}

/** The last line of a child's stdout, parsed as JSON (the CLI's --json summary). */
export function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

export const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const mib = (bytes: number): string => (bytes > 0 ? `${int.format(bytes / 2 ** 20)} MiB` : '—');
export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export const rate = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);
export const usPerTx = (ms: number, n: number): number => (n > 0 ? (ms * 1000) / n : 0);
export const pct = (x: number | null | undefined): string => (x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)} %`);

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function heading(title: string): void {
  out();
  out(`== ${title} ${'='.repeat(Math.max(0, 100 - title.length))}`);
}

/** A fixed-width table; `align` has one letter per column, l or r (default: first column left, others right). */
export function table(head: string[], rows: string[][], align = `l${'r'.repeat(head.length - 1)}`): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (align[i] === 'l' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  out(line(head));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out(line(r));
}

/** One line of the final summary. */
export interface SummaryRow {
  section: string;
  name: string;
  transactions: number;
  ms: number;
  peakRssBytes: number;
  note?: string;
}

export const summary: SummaryRow[] = [];

/** Print one measured line (transactions, time, tx/s, µs/tx, peak RSS) and keep it for the summary. */
export function measured(row: SummaryRow): void {
  summary.push(row);
  out(
    `${row.name.padEnd(46)} ${int.format(row.transactions).padStart(11)} tx ${secs(row.ms).padStart(9)} ` +
      `${int.format(rate(row.transactions, row.ms)).padStart(10)} tx/s ${usPerTx(row.ms, row.transactions).toFixed(2).padStart(7)} µs/tx  ` +
      `peak RSS ${mib(row.peakRssBytes).padStart(9)}${row.note ? `  ${row.note}` : ''}`,
  );
}

export function printSummary(): void {
  heading('Summary');
  table(
    ['section', 'measurement', 'transactions', 'time', 'tx/s', 'µs/tx', 'peak RSS', 'note'],
    summary.map((r) => [
      r.section,
      r.name,
      int.format(r.transactions),
      secs(r.ms),
      r.ms > 0 ? int.format(rate(r.transactions, r.ms)) : '—',
      r.ms > 0 ? usPerTx(r.ms, r.transactions).toFixed(2) : '—',
      mib(r.peakRssBytes),
      r.note ?? '',
    ]),
    'llrrrrrl',
  );
}
