import { randomBytes } from 'node:crypto';
import { loadMapping, type CsvMapping, type FormatChoice, type TextEncodingName } from '../ingest/index.js';
import { InputError, inputSizes, type FileInput } from '../ingest/pipeline.js';
import { Progress } from './progress.js';
import type { LoadResult } from '../store/index.js';

/** A user error: reported as `rastro: <message>` with exit code 2. */
export class CliError extends Error {
  readonly exitCode = 2;
}

export interface ReadOptions {
  format: FormatChoice;
  mapping?: string;
  encoding?: TextEncodingName;
}

export async function mappingFor(options: ReadOptions): Promise<CsvMapping | undefined> {
  if (!options.mapping) {
    if (options.format === 'csv') throw new CliError('--format csv needs --mapping <file> (see examples/spei-mapping.yaml)');
    return undefined;
  }
  try {
    return await loadMapping(options.mapping);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

export function newBatchId(prefix: string, nowMs = Date.now()): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}

export const fmt = new Intl.NumberFormat('en-US');

export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Print the rejects so they cannot be missed; returns the exit code (2 when anything was rejected). */
export function reportRejects(result: LoadResult, quiet = false): number {
  if (result.rejects === 0) return 0;
  if (!quiet) {
    for (const r of result.firstRejects) process.stderr.write(`${r.file}:${r.line}: ${r.reason}\n`);
    if (result.rejects > result.firstRejects.length) process.stderr.write(`... and ${fmt.format(result.rejects - result.firstRejects.length)} more\n`);
  }
  process.stderr.write(
    `rastro: ${fmt.format(result.rejects)} record(s) rejected${result.rejectsPath ? `, written to ${result.rejectsPath}` : ''}; everything else was read\n`,
  );
  return 2;
}

/** Check every input is a readable file (exit 2 naming the first that is not) and return a progress bar sized to them. */
export async function progressForInputs(inputs: readonly FileInput[], options: { quiet?: boolean; json?: boolean }): Promise<Progress> {
  let sizes: number[];
  try {
    sizes = await inputSizes(inputs);
  } catch (err) {
    if (err instanceof InputError) throw new CliError(err.message);
    throw err;
  }
  return new Progress({ enabled: !options.quiet && !options.json && process.stderr.isTTY === true, totalBytes: sizes.reduce((a, b) => a + b, 0) });
}
