/**
 * Reading alert lines back: every malformed line is reported as `file:line: reason`, the others still count.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertIndex, evaluateFiles, parseAlertLine, readAlertsFile, type AlertLine, type AlertLineError } from '../../src/eval/index.js';
import { alertLine, TRANS_CSV } from '../helpers/eval-world.js';
import { withTempDir, writeIn } from '../helpers/ingest.js';

const good = alertLine({ id: 'a-1', typology: 'fan-in', accounts: ['002/B'], transactions: ['row:1'] });

test('a contract alert line parses; blank lines are skipped', () => {
  const r = parseAlertLine(good);
  assert.ok(r !== null && 'alert' in r);
  assert.equal(r.alert.typology, 'fan-in');
  assert.deepEqual(r.alert.transactions, ['row:1']);
  assert.equal(parseAlertLine('   \r'), null);
});

test('malformed lines say why: not JSON, not an object, a missing or mistyped field, a typology not in kebab-case', () => {
  const reason = (text: string) => {
    const r = parseAlertLine(text);
    assert.ok(r !== null && 'reason' in r, text);
    return r.reason;
  };
  assert.match(reason('{"id":"a-1",'), /^not JSON: /);
  assert.equal(reason('[1,2]'), 'not a JSON object');
  assert.match(reason('{"id":"a","typology":"fan-in","accounts":["x"]}'), /^transactions: /);
  assert.match(reason('{"id":"a","typology":"Fan In","accounts":["x"],"transactions":[]}'), /^typology: kebab-case typology name$/);
  assert.match(reason('{"id":"a","typology":"cycle","accounts":["x"],"transactions":[17]}'), /^transactions\.0: /);
  assert.match(reason('{"id":"a","typology":"cycle","score":1.5,"accounts":["x"],"transactions":[]}'), /^score: /);
});

test('a file with malformed lines: each reported with its line, the good ones still read', async () => {
  await withTempDir(async (dir) => {
    const path = await writeIn(dir, 'alerts.jsonl', `${good}\n{oops\n\n{"id":"a-2","typology":"cycle"}\n${good.replace('a-1', 'a-3')}`);
    const alerts: AlertLine[] = [];
    const errors: AlertLineError[] = [];
    const { lines } = await readAlertsFile(path, (a) => alerts.push(a), (e) => errors.push(e));
    assert.equal(lines, 5);
    assert.deepEqual(alerts.map((a) => a.id), ['a-1', 'a-3']);
    assert.deepEqual(
      errors.map((e) => `${e.file === path}:${e.line}: ${e.reason.split(':')[0]}`),
      ['true:2: not JSON', 'true:4: accounts'],
    );
  });
});

test('evaluateFiles counts malformed lines and lists them, scoring the rest', async () => {
  await withTempDir(async (dir) => {
    const trans = await writeIn(dir, 'W_Trans.csv', TRANS_CSV);
    const alerts = await writeIn(dir, 'alerts.jsonl', `${good}\nnot json\n`);
    const { report, alertErrors } = await evaluateFiles({ alerts, truth: [trans] });
    assert.equal(report.alertsFile.malformed, 1);
    assert.equal(report.alertsFile.lines, 2);
    assert.deepEqual(alertErrors.map((e) => e.line), [2]);
    assert.equal(report.alerts, 1);
    assert.equal(report.transactions.truePositives, 1);
  });
});

test('the alert index keeps each predicted transaction and account once, with every typology that named it', () => {
  const index = new AlertIndex(['T.csv']);
  index.add({ typology: 'fan-in', accounts: ['a', 'b'], transactions: ['row:1', 'T.csv#row:2'] });
  index.add({ typology: 'cycle', accounts: ['a'], transactions: ['row:1', 'row:1'] });
  assert.deepEqual([...index.plain.keys()], ['row:1']);
  assert.deepEqual([...index.qualified.keys()], ['T.csv#row:2']);
  assert.deepEqual(index.plain.get('row:1')!.typologies, ['fan-in', 'cycle']);
  assert.deepEqual(index.accounts.get('a'), ['fan-in', 'cycle']);
  assert.equal(index.lookup('T.csv', 'row:2'), index.qualified.get('T.csv#row:2'));
  assert.equal(index.lookup('U.csv', 'row:1'), index.plain.get('row:1'));
  assert.equal(index.lookup('U.csv', 'row:2'), undefined);
});
