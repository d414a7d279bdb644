/**
 * `rastro eval` as a library call: alerts file + truth files (+ IBM Patterns file) → report.
 * The truth goes through the same readers as `scan` (so ids and accounts are spelled alike); the truth-only
 * lists (AMLSim alert lists, `rastro generate` accounts.csv) through their own reader (`truth-lists.ts`).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  detectReader,
  readerFor,
  readFiles,
  readHead,
  UnknownFormatError,
  type CsvMapping,
  type FormatChoice,
  type FormatName,
  type TextEncodingName,
} from '../ingest/index.js';
import { InputError, inputSizes } from '../ingest/pipeline.js';
import type { Reject, TruthLabel } from '../model/index.js';
import { AlertIndex } from './alert-index.js';
import { readAlertsFile, type AlertLineError } from './alerts.js';
import { readTruthList, TRUTH_LIST_LAYOUTS, TRUTH_LIST_NAMES, truthListLayout, type TruthListLayout } from './truth-lists.js';
import { Evaluator, type EvalMetrics } from './evaluator.js';
import { PatternIndex, type PatternMatchCounts } from './patterns.js';

/** Errors and rejects kept for printing; the counts are always complete. */
export const MAX_LISTED_PROBLEMS = 20;

const PATTERNS_BEGIN = 'BEGIN LAUNDERING ATTEMPT';

export interface EvaluateFilesOptions {
  alerts: string;
  truth: readonly string[];
  /** IBM AMLworld `*_Patterns.txt` giving the scheme and attempt of the rows of an IBM `*_Trans.csv` truth. */
  patterns?: string;
  format?: FormatChoice;
  mapping?: CsvMapping;
  encoding?: TextEncodingName;
  attemptCoverage?: number;
  /**
   * Score only alerts whose window starts at or after this instant (ms since the epoch), e.g. once the engine's
   * warm-up is over; earlier alerts are left out of every figure. Alerts without a start are kept.
   */
  sinceMs?: number;
  onBytes?: (bytes: number) => void;
  onRows?: (rows: number) => void;
}

export type TruthLayout = FormatName | 'ibm-aml-patterns' | TruthListLayout;

export interface EvalReport extends EvalMetrics {
  alertsFile: {
    path: string;
    lines: number;
    malformed: number;
    /** `sinceMs` as ISO 8601, and the alerts left out for starting before it. */
    since?: string;
    before?: number;
  };
  truth: {
    files: { path: string; layout: TruthLayout }[];
    /** Truth records that could not be read (each also listed in `EvalResult.truthRejects` up to a limit). */
    rejects: number;
    patterns?: { path: string } & PatternMatchCounts;
  };
  /** Alert transaction ids found in no truth file (a few, for checking id spelling). */
  unknownTransactionExamples: string[];
}

export interface EvalResult {
  report: EvalReport;
  /** The first malformed alert lines. */
  alertErrors: AlertLineError[];
  /** The first truth records that could not be read. */
  truthRejects: Reject[];
}

interface TruthFile {
  path: string;
  source: string;
  layout: TruthLayout;
  /** Read by `readTruthList`, not by a transaction reader. */
  list: boolean;
}

/** What a truth file is, from its first bytes; unknown layouts are an UnknownFormatError listing all of them. */
async function classify(path: string, options: EvaluateFilesOptions): Promise<TruthLayout> {
  const format = options.format ?? 'auto';
  const head = await readHead(path, 16 * 1024);
  // Truth lists hold no transactions, so no transaction reader claims them whatever --format says.
  const list = truthListLayout(head);
  if (list !== undefined) return list;
  let reader;
  try {
    reader = format === 'auto' ? await detectReader(path, options.mapping !== undefined) : readerFor(format);
  } catch (err) {
    if (err instanceof UnknownFormatError) {
      throw new UnknownFormatError(
        `${err.message}\nTruth-only layouts (rastro eval):\n${TRUTH_LIST_LAYOUTS.map((l) => `  ${l}`).join('\n')}`,
      );
    }
    throw err;
  }
  if (reader.format === 'ibm-aml' && head.trimStart().startsWith(PATTERNS_BEGIN)) return 'ibm-aml-patterns';
  return reader.format;
}

function namespaceAttempts(labels: readonly TruthLabel[], prefix: string): TruthLabel[] {
  return labels.map((l) => (l.instance === undefined ? l : { ...l, instance: `${prefix}${l.instance}` }));
}

export async function evaluateFiles(options: EvaluateFilesOptions): Promise<EvalResult> {
  if (options.truth.length === 0) throw new InputError('no truth file given');
  try {
    const s = await stat(options.alerts);
    if (!s.isFile()) throw new InputError(`${options.alerts}: not a regular file`);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${options.alerts}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  await inputSizes(options.truth.map((path) => ({ path })));
  if (options.patterns !== undefined) await inputSizes([{ path: options.patterns }]);

  const files: TruthFile[] = [];
  for (const path of options.truth) {
    const layout = await classify(path, options);
    files.push({ path, source: basename(path), layout, list: (TRUTH_LIST_NAMES as readonly string[]).includes(layout) });
  }

  const truthRejects: Reject[] = [];
  let rejectCount = 0;
  const reject = (r: Reject) => {
    rejectCount++;
    if (truthRejects.length < MAX_LISTED_PROBLEMS) truthRejects.push(r);
  };

  // Patterns first: the Trans rows are annotated as they stream by.
  let patterns: PatternIndex | undefined;
  if (options.patterns !== undefined) {
    const path = options.patterns;
    if (!(await readHead(path, 4096)).trimStart().startsWith(PATTERNS_BEGIN)) {
      throw new InputError(`${path}:1: not an IBM AMLworld *_Patterns.txt (expected "${PATTERNS_BEGIN} - <TYPE>" blocks)`);
    }
    if (!files.some((f) => f.layout === 'ibm-aml')) {
      throw new InputError(`--patterns ${path} needs an IBM AMLworld *_Trans.csv among the truth files`);
    }
    patterns = new PatternIndex();
    const source = basename(path);
    for await (const batch of readerFor('ibm-aml').read({ path, file: path, source, batchId: 'eval', encoding: options.encoding })) {
      patterns.addPatterns(batch, `${source}:`);
      for (const r of batch.rejects) reject(r);
    }
  }

  // Alerts: indexed by the ids they name.
  const readerFiles = files.filter((f) => !f.list);
  const alerts = new AlertIndex(readerFiles.map((f) => f.source));
  const alertErrors: AlertLineError[] = [];
  let malformed = 0;
  const since = options.sinceMs;
  let beforeSince = 0;
  const { lines } = await readAlertsFile(
    options.alerts,
    (a) => {
      if (since !== undefined && a.from !== undefined && Date.parse(a.from) < since) beforeSince++;
      else alerts.add(a);
    },
    (e) => {
      malformed++;
      if (alertErrors.length < MAX_LISTED_PROBLEMS) alertErrors.push(e);
    },
  );

  const evaluator = new Evaluator(alerts, { attemptCoverage: options.attemptCoverage });

  for (const file of files) {
    if (!file.list) continue;
    for await (const chunk of readTruthList(file.path, options.encoding)) {
      for (const row of chunk.rows) evaluator.addTruthListRow(row);
      for (const r of chunk.rejects) reject(r);
    }
  }

  const layoutOf = new Map(readerFiles.map((f) => [f.source, f.layout]));
  let rows = 0;
  for await (const batch of readFiles(
    readerFiles.map((f) => ({ path: f.path })),
    { format: options.format, mapping: options.mapping, encoding: options.encoding, batchId: 'eval', onBytes: options.onBytes },
  )) {
    let labels: readonly TruthLabel[] = batch.truth;
    const layout = layoutOf.get(batch.source);
    if (layout === 'ibm-aml' && patterns !== undefined) labels = patterns.annotate(batch.transactions, labels);
    else if (layout === 'ibm-aml-patterns') labels = namespaceAttempts(labels, `${batch.source}:`);
    evaluator.addTransactions(batch.transactions, labels);
    if (batch.accounts.length > 0) evaluator.addAccounts(batch.accounts.map((a) => a.id));
    for (const r of batch.rejects) reject(r);
    rows += batch.transactions.length + batch.rejects.length;
    options.onRows?.(rows);
  }

  const metrics = evaluator.finish();
  const report: EvalReport = {
    ...metrics,
    alertsFile: { path: options.alerts, lines, malformed, ...(since !== undefined ? { since: new Date(since).toISOString(), before: beforeSince } : {}) },
    truth: {
      files: files.map((f) => ({ path: f.path, layout: f.layout })),
      rejects: rejectCount,
      ...(patterns !== undefined ? { patterns: { path: options.patterns!, ...patterns.counts() } } : {}),
    },
    unknownTransactionExamples: alerts.unmatchedIds(5),
  };
  return { report, alertErrors, truthRejects };
}
