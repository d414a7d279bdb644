import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { evaluateFiles, formatReport } from '../../eval/index.js';
import type { FormatChoice, TextEncodingName } from '../../ingest/index.js';
import { CliError, fmt, mappingFor, progressForInputs } from '../common.js';

export interface EvalCliOptions {
  alerts: string;
  truth: string[];
  patterns?: string;
  format: FormatChoice;
  mapping?: string;
  encoding?: TextEncodingName;
  attemptCoverage: string;
  since?: string;
  json?: boolean;
  out?: string;
  quiet?: boolean;
}

export async function runEval(options: EvalCliOptions): Promise<void> {
  const coverage = Number(options.attemptCoverage);
  if (!(coverage > 0 && coverage <= 1)) throw new CliError(`--attempt-coverage takes a fraction in (0, 1], got ${JSON.stringify(options.attemptCoverage)}`);
  let sinceMs: number | undefined;
  if (options.since !== undefined) {
    sinceMs = Date.parse(options.since);
    if (!(sinceMs === sinceMs) || !/^\d{4}-\d{2}-\d{2}/.test(options.since)) throw new CliError(`--since takes an ISO 8601 date or time (e.g. 2022-10-15 or 2022-10-15T00:00:00Z), got ${JSON.stringify(options.since)}`);
  }
  const mapping = await mappingFor(options);
  const progress = await progressForInputs(options.truth.map((path) => ({ path })), options);
  let result;
  try {
    result = await evaluateFiles({
      alerts: options.alerts,
      truth: options.truth,
      patterns: options.patterns,
      format: options.format,
      mapping,
      encoding: options.encoding,
      attemptCoverage: coverage,
      sinceMs,
      onBytes: (n) => progress.setBytes(n),
      onRows: (n) => progress.setRows(n),
    });
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode === 2) throw new CliError((err as Error).message);
    throw err;
  }
  progress.done();
  const { report, alertErrors, truthRejects } = result;

  if (options.out) {
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReport(report));

  let exitCode = 0;
  if (report.transactions.unknown > 0) {
    process.stderr.write(
      `rastro: warning: ${fmt.format(report.transactions.unknown)} transaction id(s) named by alerts are in no truth file ` +
        `(counted as false positives), e.g. ${report.unknownTransactionExamples.map((id) => JSON.stringify(id)).join(', ')}\n`,
    );
  }
  if (report.alertsFile.malformed > 0) {
    for (const e of alertErrors) process.stderr.write(`${e.file}:${e.line}: ${e.reason}\n`);
    const more = report.alertsFile.malformed - alertErrors.length;
    if (more > 0) process.stderr.write(`... and ${fmt.format(more)} more\n`);
    process.stderr.write(`rastro: ${fmt.format(report.alertsFile.malformed)} malformed alert line(s) skipped; the figures rest on the others\n`);
    exitCode = 2;
  }
  if (report.truth.rejects > 0) {
    for (const r of truthRejects) process.stderr.write(`${r.file}:${r.line}: ${r.reason}\n`);
    const more = report.truth.rejects - truthRejects.length;
    if (more > 0) process.stderr.write(`... and ${fmt.format(more)} more\n`);
    process.stderr.write(`rastro: ${fmt.format(report.truth.rejects)} truth record(s) unreadable; the figures rest on the others\n`);
    exitCode = 2;
  }
  process.exitCode = exitCode;
}
