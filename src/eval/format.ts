/**
 * The evaluation report as a human reads it: plain-text tables, figures right-aligned, rates in percent.
 */
import type { EvalReport } from './run.js';
import type { LevelFigures } from './evaluator.js';

const count = new Intl.NumberFormat('en-US');
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function percent(rate: number | null): string {
  return rate === null ? '-' : `${decimal.format(rate * 100)} %`;
}

/** Columns: the first (and any in `leftAligned`) left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], leftAligned: readonly number[] = []): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 || leftAligned.includes(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function levelRow(name: string, l: LevelFigures): string[] {
  return [
    name,
    count.format(l.truth),
    count.format(l.positives),
    count.format(l.predicted),
    count.format(l.truePositives),
    count.format(l.falsePositives),
    count.format(l.falseNegatives),
    count.format(l.unknown),
    percent(l.precision),
    percent(l.recall),
    percent(l.f1),
  ];
}

export function formatReport(r: EvalReport): string {
  const out: string[] = [];
  const a = r.alertsFile;
  out.push(`alerts   ${a.path}: ${count.format(r.alerts)} alert(s)${a.malformed > 0 ? `, ${count.format(a.malformed)} malformed line(s) skipped` : ''}`);
  if (a.since !== undefined) out.push(`         only alerts starting at or after ${a.since} are scored: ${count.format(a.before ?? 0)} earlier one(s) left out`);
  for (const f of r.truth.files) out.push(`truth    ${f.path} (${f.layout})`);
  out.push(
    `         ${count.format(r.transactions.truth)} transactions, ${count.format(r.transactions.positives)} laundering; ` +
      `${count.format(r.accounts.truth)} accounts, ${count.format(r.accounts.positives)} laundering` +
      (r.truth.rejects > 0 ? `; ${count.format(r.truth.rejects)} record(s) unreadable` : ''),
  );
  const p = r.truth.patterns;
  if (p !== undefined) {
    out.push(
      `patterns ${p.path}: ${count.format(p.rows)} rows in ${count.format(p.attempts)} attempts; ${count.format(p.matched)} matched, ` +
        `${count.format(p.unmatched)} unmatched` +
        (p.matchedNotLaundering > 0 ? `, ${count.format(p.matchedNotLaundering)} on rows not labelled laundering` : ''),
    );
  }
  out.push('');
  out.push(...table(['level', 'truth', 'laundering', 'predicted', 'TP', 'FP', 'FN', 'unknown', 'precision', 'recall', 'F1'], [
    levelRow('transactions', r.transactions),
    levelRow('accounts', r.accounts),
  ]));
  out.push('');
  const fa = r.falseAlerts;
  out.push(
    `false alerts on the benign background: ${count.format(fa.benignAccountsFlagged)} of ${count.format(fa.benignAccounts)} benign accounts flagged` +
      (fa.per10kBenignAccounts === null ? '' : ` = ${decimal.format(fa.per10kBenignAccounts)} per 10,000`),
  );

  if (r.schemes.length > 0) {
    out.push('');
    out.push(`per scheme (an attempt is detected when alerts cover ≥ ${percent(r.attemptCoverage)} of its transactions)`);
    out.push(
      ...table(
        ['scheme', 'laundering tx', 'detected', 'tx recall', 'attempts', 'detected', 'attempt recall', 'accounts', 'detected', 'account recall', 'caught by (tx / attempts)'],
        r.schemes.map((s) => [
          s.scheme,
          count.format(s.transactions),
          count.format(s.transactionsDetected),
          percent(s.transactionRecall),
          count.format(s.attempts),
          count.format(s.attemptsDetected),
          percent(s.attemptRecall),
          count.format(s.accounts),
          count.format(s.accountsDetected),
          percent(s.accountRecall),
          s.caughtBy.map((c) => `${c.typology} ${count.format(c.transactions)}/${count.format(c.attempts)}`).join(', ') || '-',
        ]),
        [10],
      ),
    );
  }

  if (r.typologies.length > 0) {
    out.push('');
    out.push('per alert typology');
    out.push(
      ...table(
        ['typology', 'alerts', 'transactions', 'laundering', 'tx precision', 'accounts', 'laundering', 'account precision', 'benign accounts'],
        r.typologies.map((t) => [
          t.typology,
          count.format(t.alerts),
          count.format(t.transactions),
          count.format(t.launderingTransactions),
          percent(t.transactionPrecision),
          count.format(t.accounts),
          count.format(t.launderingAccounts),
          percent(t.accountPrecision),
          count.format(t.benignAccounts),
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
