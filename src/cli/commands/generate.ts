import { readFile, stat } from 'node:fs/promises';
import { parseTimestamp } from '../../model/index.js';
import {
  generateWorld,
  ibmPatternsScheme,
  parseIbmPatterns,
  parseSchemeList,
  PatternsError,
  schemeByName,
  SCHEME_NAMES,
  type GenerateFormat,
  type GenerateProgress,
  type Scheme,
} from '../../scenario/index.js';
import { CliError, fmt, peakRssBytes } from '../common.js';

export interface GenerateCliOptions {
  accounts: string;
  days: string;
  seed: string;
  out: string;
  format: GenerateFormat;
  start: string;
  embedPatterns?: string;
  embedRepeat: string;
  /** Comma-separated scheme names or groups; `false` with --no-schemes; absent: the default set. */
  schemes?: string | boolean;
  schemeScale?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Above this share of laundering accounts the world is a test bed, not a bank; say so. */
const REALISTIC_LAUNDERING_SHARE = 0.05;

/** A patterns file larger than this is not an IBM AMLworld one (HI-Large_Patterns.txt is about 4 MB). */
const MAX_PATTERNS_BYTES = 256 * 1024 * 1024;

function wholeNumber(value: string, name: string, min: number, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliError(`${name} takes a whole number from ${fmt.format(min)} to ${fmt.format(max)}`);
  return n;
}

function progressLine(p: GenerateProgress, elapsedMs: number): string {
  const width = 24;
  const filled = Math.round((p.day / p.days) * width);
  const rate = (p.transactions * 1000) / Math.max(1, elapsedMs);
  const eta = p.day > 0 ? ((p.days - p.day) * elapsedMs) / p.day / 1000 : NaN;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] day ${p.day}/${p.days}  ${fmt.format(p.transactions)} rows  ` +
    `${fmt.format(Math.round(rate))} rows/s  ${(p.bytes / 1e6).toFixed(0)} MB` + (Number.isFinite(eta) ? `  ETA ${Math.ceil(eta)}s` : '')
  );
}

export async function runGenerate(options: GenerateCliOptions): Promise<void> {
  const accounts = wholeNumber(options.accounts, '--accounts', 500, 50_000_000);
  const days = wholeNumber(options.days, '--days', 1, 3660);
  const seed = wholeNumber(options.seed, '--seed', 0, 0xffffffff);
  const repeat = wholeNumber(options.embedRepeat, '--embed-repeat', 1, 1000);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.start) || Number.isNaN(parseTimestamp(options.start))) throw new CliError('--start takes a date YYYY-MM-DD');
  const startMs = parseTimestamp(options.start);

  const scale = options.schemeScale === undefined ? 1 : Number(options.schemeScale);
  if (!Number.isFinite(scale) || scale < 0 || scale > 1_000) throw new CliError('--scheme-scale takes a number from 0 to 1000');
  let names: readonly string[] = SCHEME_NAMES;
  if (options.schemes === false) names = [];
  else if (typeof options.schemes === 'string') {
    try {
      names = parseSchemeList(options.schemes);
    } catch (err) {
      throw new CliError(`--schemes: ${(err as Error).message}`);
    }
  }
  const schemes: Scheme[] = names.map((name) => schemeByName(name as (typeof SCHEME_NAMES)[number], { scale }));
  if (options.embedPatterns) {
    const path = options.embedPatterns;
    let text: string;
    try {
      const size = (await stat(path)).size;
      if (size > MAX_PATTERNS_BYTES) throw new CliError(`${path}: ${fmt.format(size)} bytes is more than a patterns file holds`);
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`${path}: ${(err as Error).message}`);
    }
    try {
      schemes.push(ibmPatternsScheme(parseIbmPatterns(text, path), { repeat }));
    } catch (err) {
      if (err instanceof PatternsError || err instanceof RangeError) throw new CliError(err.message);
      throw err;
    }
  }

  const started = Date.now();
  const draw = !options.quiet && !options.json && process.stderr.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  let summary;
  try {
    summary = await generateWorld({
      accounts,
      days,
      seed,
      startMs,
      outDir: options.out,
      format: options.format,
      schemes,
      onProgress: (p) => {
        const now = Date.now();
        if (!draw || (now - lastDraw < 100 && p.day < p.days)) return;
        lastDraw = now;
        drawn = true;
        process.stderr.write(`\r\x1b[2K${progressLine(p, now - started)}`);
      },
    });
  } catch (err) {
    if (err instanceof RangeError) throw new CliError(err.message);
    throw err;
  } finally {
    if (drawn) process.stderr.write('\n');
  }
  const elapsedMs = Date.now() - started;
  const share = summary.launderingAccounts / summary.accounts;
  if (share > REALISTIC_LAUNDERING_SHARE) {
    process.stderr.write(
      `rastro: note: ${Math.round(share * 100)}% of the accounts take part in laundering (${fmt.format(summary.launderingAccounts)} of ${fmt.format(summary.accounts)}); ` +
        `more --accounts, a smaller --embed-repeat or --scheme-scale gives a more realistic share\n`,
    );
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, elapsedMs, rowsPerSecond: Math.round((summary.transactions * 1000) / Math.max(1, elapsedMs)), peakRssBytes: peakRssBytes() })}\n`);
    return;
  }
  const types = Object.entries(summary.instancesByType).map(([t, n]) => `${n} ${t}`).join(', ');
  process.stdout.write(
    `generated ${fmt.format(summary.transactions)} transactions (${fmt.format(summary.launderingTransactions)} laundering in ${fmt.format(summary.instances)} attempt(s)` +
      `${types ? `: ${types}` : ''}) among ${fmt.format(summary.accounts)} accounts at ${summary.banks} banks over ${days} days ` +
      `from ${summary.start.slice(0, 10)} (attacks from ${summary.attackStart.slice(0, 10)}) into ${options.out} in ${(elapsedMs / 1000).toFixed(1)} s\n` +
      `  ${summary.format} layout; ${fmt.format(summary.cryptoTransactions)} on-chain transactions in crypto.jsonl (${fmt.format(summary.cryptoLaunderingTransactions)} laundering); ` +
      `${summary.listedParties} parties under sanctions-list names; truth in ${summary.files.slice(1).join(', ')}\n`,
  );
}
