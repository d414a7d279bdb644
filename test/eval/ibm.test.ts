/**
 * Evaluation against IBM AMLworld truth: given a small world (a fan-in, a cycle, a benign background) and
 * three alerts, then exactly these figures at transaction and account level, per scheme and per typology.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateFiles, formatReport, type EvalReport } from '../../src/eval/index.js';
import { ALERTS, ALERTS_JSONL, alertLine, PATTERNS_TXT, TRANS_CSV } from '../helpers/eval-world.js';
import { withTempDir, writeIn } from '../helpers/ingest.js';

const close = (actual: number | null, expected: number) => {
  assert.notEqual(actual, null);
  assert.ok(Math.abs(actual! - expected) < 1e-12, `${actual} ≠ ${expected}`);
};

async function evalWorld(alerts: string, extra: { patterns?: boolean; attemptCoverage?: number } = {}): Promise<EvalReport> {
  return withTempDir(async (dir) => {
    const trans = await writeIn(dir, 'W_Trans.csv', TRANS_CSV);
    const alertsPath = await writeIn(dir, 'alerts.jsonl', alerts);
    const patterns = extra.patterns === false ? undefined : await writeIn(dir, 'W_Patterns.txt', PATTERNS_TXT);
    const { report } = await evaluateFiles({ alerts: alertsPath, truth: [trans], patterns, attemptCoverage: extra.attemptCoverage });
    return report;
  });
}

test('transaction level: a transaction is predicted when an alert names it; precision 3/5, recall 3/6', async () => {
  const r = await evalWorld(ALERTS_JSONL);
  assert.equal(r.alerts, 3);
  const t = r.transactions;
  assert.deepEqual(
    { truth: t.truth, positives: t.positives, predicted: t.predicted, tp: t.truePositives, fp: t.falsePositives, fn: t.falseNegatives, unknown: t.unknown },
    { truth: 9, positives: 6, predicted: 5, tp: 3, fp: 2, fn: 3, unknown: 0 },
  );
  close(t.precision, 3 / 5);
  close(t.recall, 3 / 6);
  close(t.f1, (2 * 0.6 * 0.5) / 1.1);
});

test('account level: laundering accounts are the parties of laundering rows; precision 5/7, recall 5/7', async () => {
  const a = (await evalWorld(ALERTS_JSONL)).accounts;
  assert.deepEqual(
    { truth: a.truth, positives: a.positives, predicted: a.predicted, tp: a.truePositives, fp: a.falsePositives, fn: a.falseNegatives },
    { truth: 12, positives: 7, predicted: 7, tp: 5, fp: 2, fn: 2 },
  );
  close(a.precision, 5 / 7);
  close(a.recall, 5 / 7);
  close(a.f1, 5 / 7);
});

test('false alerts on the benign background: 2 of 5 benign accounts = 4,000 per 10,000', async () => {
  const r = await evalWorld(ALERTS_JSONL);
  assert.deepEqual(r.falseAlerts, { benignAccounts: 5, benignAccountsFlagged: 2, per10kBenignAccounts: 4000 });
});

test('per scheme, from the Patterns blocks: transaction recall, attempt recall at half coverage, accounts, and who caught them', async () => {
  const r = await evalWorld(ALERTS_JSONL);
  assert.deepEqual(r.truth.patterns && { ...r.truth.patterns, path: undefined }, {
    path: undefined,
    rows: 6,
    matched: 6,
    unmatched: 0,
    matchedNotLaundering: 0,
    attempts: 2,
  });
  assert.deepEqual(
    r.schemes.map((s) => [s.scheme, s.transactions, s.transactionsDetected, s.attempts, s.attemptsDetected, s.accounts, s.accountsDetected]),
    [
      ['fan-in', 3, 2, 1, 1, 4, 3],
      ['cycle', 3, 1, 1, 0, 3, 2],
    ],
  );
  const [fanIn, cycle] = r.schemes;
  close(fanIn!.transactionRecall, 2 / 3);
  close(fanIn!.attemptRecall, 1);
  close(fanIn!.accountRecall, 3 / 4);
  assert.deepEqual(fanIn!.caughtBy, [{ typology: 'fan-in', transactions: 2, attempts: 1 }]);
  close(cycle!.transactionRecall, 1 / 3);
  close(cycle!.attemptRecall, 0);
  assert.deepEqual(cycle!.caughtBy, [{ typology: 'cycle', transactions: 1, attempts: 0 }]);
  assert.deepEqual(cycle!.missedAttempts, ['W_Patterns.txt:2']);
});

test('the attempt coverage is an option: at 30 % one cycle row of three detects the cycle attempt', async () => {
  const r = await evalWorld(ALERTS_JSONL, { attemptCoverage: 0.3 });
  assert.equal(r.attemptCoverage, 0.3);
  const cycle = r.schemes.find((s) => s.scheme === 'cycle')!;
  assert.equal(cycle.attemptsDetected, 1);
  assert.deepEqual(cycle.caughtBy, [{ typology: 'cycle', transactions: 1, attempts: 1 }]);
  assert.deepEqual(cycle.missedAttempts, []);
});

test('per alert typology: alerts, and the precision of their transactions and accounts', async () => {
  const r = await evalWorld(ALERTS_JSONL);
  assert.deepEqual(
    r.typologies.map((t) => [t.typology, t.alerts, t.transactions, t.launderingTransactions, t.transactionPrecision, t.accounts, t.launderingAccounts, t.accountPrecision, t.benignAccounts]),
    [
      ['cycle', 1, 1, 1, 1, 2, 2, 1, 0],
      ['fan-in', 1, 2, 2, 1, 3, 3, 1, 0],
      ['fan-out', 1, 2, 0, 0, 2, 0, 0, 2],
    ],
  );
});

test('without a Patterns file the laundering rows have scheme "unknown" and no attempts', async () => {
  const r = await evalWorld(ALERTS_JSONL, { patterns: false });
  assert.equal(r.truth.patterns, undefined);
  assert.deepEqual(
    r.schemes.map((s) => [s.scheme, s.transactions, s.transactionsDetected, s.attempts]),
    [['unknown', 6, 3, 0]],
  );
  assert.equal(r.transactions.truePositives, 3);
});

test('alert ids written <file>#row:<n> (a scan of several files) match the same rows; ids in no truth file are unknown false positives', async () => {
  const qualified = ALERTS.map((a) => ({ ...a, transactions: a.transactions.map((id) => `W_Trans.csv#${id}`) }));
  qualified.push({ id: 'a-4', typology: 'stack', accounts: ['999/X'], transactions: ['Other.csv#row:1', 'row:42'] });
  const r = await evalWorld(`${qualified.map(alertLine).join('\n')}\n`);
  assert.equal(r.transactions.truePositives, 3);
  assert.equal(r.transactions.predicted, 7);
  assert.equal(r.transactions.unknown, 2);
  assert.deepEqual(r.unknownTransactionExamples.sort(), ['Other.csv#row:1', 'row:42']);
  assert.equal(r.accounts.unknown, 1);
  assert.equal(r.falseAlerts.benignAccountsFlagged, 2, 'an account absent from the truth is not a benign account');
});

test('no alerts: nothing predicted, precision undefined (null), recall 0', async () => {
  const r = await evalWorld('');
  assert.equal(r.transactions.predicted, 0);
  assert.equal(r.transactions.precision, null);
  assert.equal(r.transactions.recall, 0);
  assert.equal(r.transactions.f1, null);
  assert.equal(r.falseAlerts.per10kBenignAccounts, 0);
  assert.match(formatReport(r), /transactions +9 +6 +0 +0 +0 +6 +0 +- +0\.0 % +-/);
});

test('the text report shows both levels, the background, schemes and typologies', async () => {
  const text = formatReport(await evalWorld(ALERTS_JSONL));
  assert.match(text, /transactions +9 +6 +5 +3 +2 +3 +0 +60\.0 % +50\.0 % +54\.5 %/);
  assert.match(text, /accounts +12 +7 +7 +5 +2 +2 +0 +71\.4 % +71\.4 % +71\.4 %/);
  assert.match(text, /2 of 5 benign accounts flagged = 4,000\.0 per 10,000/);
  assert.match(text, /fan-in +3 +2 +66\.7 % +1 +1 +100\.0 % +4 +3 +75\.0 % +fan-in 2\/1/);
  assert.match(text, /fan-out +1 +2 +0 +0\.0 % +2 +0 +0\.0 % +2/);
});

test('a rastro generate accounts.csv adds its accounts to the background and its labels to the truth', async () => {
  const { report: r } = await withTempDir(async (dir) => {
    const trans = await writeIn(dir, 'W_Trans.csv', TRANS_CSV);
    const accounts = await writeIn(
      dir,
      'accounts.csv',
      'account,role,country,currency,owner,is_laundering,scheme,instances\n' +
        '002/B,business,US,USD,b1,1,FAN-IN,i1\n' +
        '999/Q,person,US,USD,p9,0,,\n' +
        '998/R,person,MX,MXN,p8,1,STACK,i2\n',
    );
    const alerts = await writeIn(dir, 'alerts.jsonl', ALERTS_JSONL);
    return evaluateFiles({ alerts, truth: [trans, accounts] });
  });
  assert.deepEqual(r.truth.files.map((f) => f.layout), ['ibm-aml', 'rastro-accounts']);
  assert.deepEqual([r.accounts.truth, r.accounts.positives, r.accounts.truePositives], [14, 8, 5]);
  assert.deepEqual(r.falseAlerts, { benignAccounts: 6, benignAccountsFlagged: 2, per10kBenignAccounts: (2 / 6) * 10_000 });
});
