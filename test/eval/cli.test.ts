/**
 * `rastro eval` through the built command line: the table, --json, --out, and exit 2 on bad input.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ALERTS_JSONL, PATTERNS_TXT, TRANS_CSV } from '../helpers/eval-world.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function rastro(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rastro eval', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-eval-'));
    await writeFile(join(dir, 'W_Trans.csv'), TRANS_CSV);
    await writeFile(join(dir, 'W_Patterns.txt'), PATTERNS_TXT);
    await writeFile(join(dir, 'alerts.jsonl'), ALERTS_JSONL);
    await writeFile(join(dir, 'bad.jsonl'), `${ALERTS_JSONL}{"id":"x","typology":"cycle","accounts":"A","transactions":[]}\n`);
    await writeFile(join(dir, 'mystery.csv'), 'a,b,c\n1,2,3\n');
    // The false fan-out alert starts a day before the others.
    const dated = ALERTS_JSONL.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; from: string })
      .map((a) => JSON.stringify({ ...a, from: a.id === 'a-3' ? '2022-09-01T00:00:00Z' : '2022-09-02T00:00:00Z' }));
    await writeFile(join(dir, 'dated.jsonl'), `${dated.join('\n')}\n`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('prints the table: both levels, the benign background, schemes and typologies; exit 0', () => {
    const r = rastro(['eval', '--alerts', 'alerts.jsonl', '--truth', 'W_Trans.csv', '--patterns', 'W_Patterns.txt'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /transactions +9 +6 +5 +3 +2 +3 +0 +60\.0 % +50\.0 % +54\.5 %/);
    assert.match(r.stdout, /accounts +12 +7 +7 +5 +2 +2 +0 +71\.4 %/);
    assert.match(r.stdout, /2 of 5 benign accounts flagged = 4,000\.0 per 10,000/);
    assert.match(r.stdout, /cycle +3 +1 +33\.3 % +1 +0 +0\.0 %/);
    assert.match(r.stdout, /W_Patterns\.txt: 6 rows in 2 attempts; 6 matched, 0 unmatched/);
    assert.equal(r.stderr, '');
  });

  test('--since leaves out the alerts starting before it (the engine\'s warm-up), from every figure', () => {
    const all = rastro(['eval', '--alerts', 'dated.jsonl', '--truth', 'W_Trans.csv', '--patterns', 'W_Patterns.txt'], dir);
    assert.match(all.stdout, /2 of 5 benign accounts flagged = 4,000\.0 per 10,000/);
    const r = rastro(['eval', '--alerts', 'dated.jsonl', '--truth', 'W_Trans.csv', '--patterns', 'W_Patterns.txt', '--since', '2022-09-02'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /only alerts starting at or after 2022-09-02T00:00:00\.000Z are scored: 1 earlier one\(s\) left out/);
    assert.match(r.stdout, /0 of 5 benign accounts flagged = 0\.0 per 10,000/);
    assert.match(r.stdout, /transactions +9 +6 +3 +3 +0 +3 +0 +100\.0 % +50\.0 %/);
    const json = JSON.parse(rastro(['eval', '--alerts', 'dated.jsonl', '--truth', 'W_Trans.csv', '--since', '2022-09-02T00:00:00Z', '--json'], dir).stdout);
    assert.deepEqual([json.alerts, json.alertsFile.since, json.alertsFile.before], [2, '2022-09-02T00:00:00.000Z', 1]);
    const bad = rastro(['eval', '--alerts', 'dated.jsonl', '--truth', 'W_Trans.csv', '--since', 'yesterday'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since takes an ISO 8601 date or time/);
  });

  test('--json prints the report, --out writes it, --attempt-coverage changes attempt detection', () => {
    const r = rastro(
      ['eval', '--alerts', 'alerts.jsonl', '--truth', 'W_Trans.csv', '--patterns', 'W_Patterns.txt', '--attempt-coverage', '0.3', '--json', '--out', 'out/report.json'],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.attemptCoverage, 0.3);
    assert.equal(report.transactions.truePositives, 3);
    assert.equal(report.accounts.truePositives, 5);
    assert.deepEqual(
      report.schemes.map((s: { scheme: string; attemptsDetected: number }) => [s.scheme, s.attemptsDetected]),
      [['fan-in', 1], ['cycle', 1]],
    );
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')), report);
  });

  test('a malformed alert line: file:line: reason on stderr, the rest still scored, exit 2', () => {
    const r = rastro(['eval', '--alerts', 'bad.jsonl', '--truth', 'W_Trans.csv', '--json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.jsonl:4: accounts: /);
    assert.match(r.stderr, /1 malformed alert line\(s\) skipped/);
    const report = JSON.parse(r.stdout);
    assert.equal(report.alerts, 3);
    assert.equal(report.alertsFile.malformed, 1);
  });

  test('a truth file of unknown layout exits 2 listing the readers\' layouts and the truth-only ones', () => {
    const r = rastro(['eval', '--alerts', 'alerts.jsonl', '--truth', 'mystery.csv'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /mystery\.csv:1: cannot tell the layout/);
    assert.match(r.stderr, /ibm-aml +IBM AMLworld \*_Trans\.csv/);
    assert.match(r.stderr, /AMLSim alert_accounts\.csv/);
    assert.equal(r.stdout, '');
  });

  test('missing files, a Patterns file without IBM Trans truth, and a bad coverage exit 2 with a reason', () => {
    const missing = rastro(['eval', '--alerts', 'nope.jsonl', '--truth', 'W_Trans.csv'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.jsonl: cannot read: ENOENT/);
    const noTruth = rastro(['eval', '--alerts', 'alerts.jsonl', '--truth', 'gone.csv'], dir);
    assert.equal(noTruth.code, 2);
    assert.match(noTruth.stderr, /gone\.csv: cannot read: ENOENT/);
    const patternsAlone = rastro(['eval', '--alerts', 'alerts.jsonl', '--truth', 'W_Patterns.txt', '--patterns', 'W_Patterns.txt'], dir);
    assert.equal(patternsAlone.code, 2);
    assert.match(patternsAlone.stderr, /needs an IBM AMLworld \*_Trans\.csv/);
    const coverage = rastro(['eval', '--alerts', 'alerts.jsonl', '--truth', 'W_Trans.csv', '--attempt-coverage', '1.5'], dir);
    assert.equal(coverage.code, 2);
    assert.match(coverage.stderr, /--attempt-coverage takes a fraction in \(0, 1\]/);
  });

  test('a Patterns file given as the truth (a scan of the Patterns file itself) scores per scheme directly', () => {
    const r = rastro(['eval', '--alerts', 'alerts.jsonl', '--truth', 'W_Patterns.txt', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.truth.files, [{ path: 'W_Patterns.txt', layout: 'ibm-aml-patterns' }]);
    assert.deepEqual(
      report.schemes.map((s: { scheme: string; transactions: number; transactionsDetected: number }) => [s.scheme, s.transactions, s.transactionsDetected]),
      [['fan-in', 3, 2], ['cycle', 3, 1]],
    );
  });

  test('help has an example', () => {
    const r = rastro(['eval', '--help'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Example/);
    assert.match(r.stdout, /--attempt-coverage/);
  });
});
