/**
 * Evaluation against AMLSim truth: `is_sar` + `alert_id` per transaction, alert types from the alert lists,
 * account flags from `accounts.csv`, and the older layout whose truth is accounts only.
 */
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluateFiles, readTruthList, truthListLayout, type TruthListRow } from '../../src/eval/index.js';
import { alertLine } from '../helpers/eval-world.js';
import { fixture, withTempDir, writeIn } from '../helpers/ingest.js';

const ACCOUNTS_HEADER = 'ACCOUNT_ID,PRIMARY_CUSTOMER_ID,init_balance,start,end,country,business,suspicious,isFraud,modelID';

// full/transactions.csv: tran_id 4, 5, 6 are the SAR cycle 71 → 105 → 212 → 71 (alert 7); 9 is in alert 12, not a SAR.
const ALERT_ACCOUNTS =
  'alert_id,alert_type,acct_id,acct_name,is_sar,model_id,start,end,schedule_id,bank_id\n' +
  '7,cycle,71,Account71,True,1,1,10,1,bank\n' +
  '7,cycle,105,Account105,True,1,1,10,1,bank\n' +
  '7,cycle,212,Account212,True,1,1,10,1,bank\n' +
  '12,fan_in,77,Account77,False,2,1,10,1,bank\n' +
  '12,fan_in,264,Account264,False,2,1,10,1,bank\n';

const ALERTS = [
  { id: 'a-1', typology: 'cycle', accounts: ['71', '105'], transactions: ['4', '5'] },
  { id: 'a-2', typology: 'fan-in', accounts: ['264'], transactions: ['9'] },
];

test('AMLSim full layout: is_sar rows are laundering, alert_accounts.csv names the scheme, accounts.csv flags accounts', async () => {
  const { report: r } = await withTempDir(async (dir) => {
    const tx = join(dir, 'transactions.csv');
    await copyFile(fixture('amlsim/full/transactions.csv'), tx);
    const accounts = await writeIn(dir, 'accounts.csv', `${ACCOUNTS_HEADER}\n71,C1,1,1,50,US,I,False,true,0\n999,C2,1,1,50,US,I,False,true,0\n500,C3,1,1,50,US,I,False,false,0\n`);
    const members = await writeIn(dir, 'alert_accounts.csv', ALERT_ACCOUNTS);
    const alerts = await writeIn(dir, 'alerts.jsonl', `${ALERTS.map(alertLine).join('\n')}\n`);
    return evaluateFiles({ alerts, truth: [tx, accounts, members] });
  });
  assert.deepEqual(
    r.truth.files.map((f) => f.layout),
    ['amlsim', 'amlsim', 'amlsim-alert-accounts'],
  );
  const t = r.transactions;
  assert.deepEqual([t.truth, t.positives, t.predicted, t.truePositives, t.falsePositives, t.falseNegatives], [7, 3, 3, 2, 1, 1]);
  assert.equal(t.precision, 2 / 3);
  assert.equal(t.recall, 2 / 3);
  // Accounts seen: 8 transaction parties + 999 and 500 from accounts.csv; laundering: the cycle's three + flagged 999.
  const a = r.accounts;
  assert.deepEqual([a.truth, a.positives, a.predicted, a.truePositives, a.falsePositives, a.falseNegatives], [10, 4, 3, 2, 1, 2]);
  assert.equal(a.precision, 2 / 3);
  assert.equal(a.recall, 0.5);
  assert.equal(r.falseAlerts.benignAccounts, 6);
  assert.equal(r.falseAlerts.benignAccountsFlagged, 1);
  assert.ok(Math.abs(r.falseAlerts.per10kBenignAccounts! - 10_000 / 6) < 1e-9);
  assert.deepEqual(
    r.schemes.map((s) => [s.scheme, s.transactions, s.transactionsDetected, s.attempts, s.attemptsDetected, s.accounts, s.accountsDetected]),
    [['cycle', 3, 2, 1, 1, 3, 2]],
    'alert 12 is not a SAR: no scheme, its transaction a false positive',
  );
  assert.deepEqual(r.schemes[0]!.caughtBy, [{ typology: 'cycle', transactions: 2, attempts: 1 }]);
  assert.deepEqual(
    r.typologies.map((x) => [x.typology, x.transactions, x.launderingTransactions, x.accounts, x.launderingAccounts, x.benignAccounts]),
    [
      ['cycle', 2, 2, 2, 2, 0],
      ['fan-in', 1, 0, 1, 0, 1],
    ],
  );
});

test('AMLSim older layout: tx.csv has no labels; alerts.csv and accounts.csv flags are the truth, attempts judged by accounts', async () => {
  const { report: r } = await withTempDir(async (dir) => {
    const alerts = await writeIn(dir, 'alerts.jsonl', `${alertLine({ id: 'a-1', typology: 'cycle', accounts: ['25', '3'], transactions: ['99'] })}\n`);
    return evaluateFiles({
      alerts,
      truth: ['tx.csv', 'accounts.csv', 'alerts.csv'].map((f) => fixture(`amlsim/sample-outputs/${f}`)),
    });
  });
  assert.deepEqual(
    r.truth.files.map((f) => f.layout),
    ['amlsim', 'amlsim', 'amlsim-alerts'],
  );
  assert.equal(r.transactions.positives, 0);
  assert.equal(r.transactions.predicted, 1);
  assert.equal(r.transactions.truePositives, 0);
  // accounts.csv flags 20, 24, 25, 26 (isFraud); alerts.csv names 25 and 24 (cycle, escalated).
  assert.equal(r.accounts.positives, 4);
  assert.equal(r.accounts.truth, 30);
  assert.equal(r.accounts.truePositives, 1);
  assert.equal(r.falseAlerts.benignAccountsFlagged, 1);
  assert.deepEqual(
    r.schemes.map((s) => [s.scheme, s.transactions, s.attempts, s.attemptsDetected, s.accounts, s.accountsDetected]),
    [['cycle', 0, 2, 1, 2, 1]],
  );
});

test('truth lists are told apart by their header; AMLSim alert types become kebab-case schemes', async () => {
  assert.equal(truthListLayout('alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp\n'), 'amlsim-alert-transactions');
  assert.equal(truthListLayout(ALERT_ACCOUNTS), 'amlsim-alert-accounts');
  assert.equal(truthListLayout('ALERT_KEY,ALERT_TEXT,ACCOUNT_ID,CUSTOMER_ID,EVENT_DATE,CHECK_NAME,Organization_Type,Escalated_To_Case_Investigation\n'), 'amlsim-alerts');
  assert.equal(truthListLayout('tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n'), undefined);
  await withTempDir(async (dir) => {
    const path = await writeIn(
      dir,
      'alert_transactions.csv',
      'alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp\n' +
        '3,scatter_gather,True,10,1,2,TRANSFER,5.0,2017-01-01T00:00:00Z\n' +
        ',fan_out,True,11,1,2,TRANSFER,5.0,2017-01-01T00:00:00Z\n' +
        '4,gather-scatter,False,12\n',
    );
    const rows: TruthListRow[] = [];
    const rejects: string[] = [];
    for await (const chunk of readTruthList(path)) {
      rows.push(...chunk.rows);
      rejects.push(...chunk.rejects.map((r) => `${r.line}: ${r.reason}`));
    }
    assert.deepEqual(rows, [{ attempt: '3', scheme: 'scatter-gather', sar: true }]);
    assert.deepEqual(rejects, ['3: empty alert_id', '4: expected 9 columns, found 4']);
  });
});

test('AMLSim alert_transactions.csv gives the scheme of transactions.csv alert ids', async () => {
  const { report: r } = await withTempDir(async (dir) => {
    const tx = join(dir, 'transactions.csv');
    await copyFile(fixture('amlsim/full/transactions.csv'), tx);
    const list = await writeIn(
      dir,
      'alert_transactions.csv',
      'alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp\n' +
        '7,cycle,True,4,71,105,TRANSFER,1820.5,2017-01-03T00:00:00Z\n' +
        '7,cycle,True,5,105,212,TRANSFER,1729.47,2017-01-04T00:00:00Z\n' +
        '7,cycle,True,6,212,71,TRANSFER,1643.0,2017-01-05T00:00:00Z\n',
    );
    const alerts = await writeIn(dir, 'alerts.jsonl', `${alertLine({ id: 'a', typology: 'fan-out', accounts: ['212'], transactions: ['6'] })}\n`);
    return evaluateFiles({ alerts, truth: [tx, list], attemptCoverage: 0.3 });
  });
  assert.deepEqual(
    r.schemes.map((s) => [s.scheme, s.transactions, s.transactionsDetected, s.attempts, s.attemptsDetected]),
    [['cycle', 3, 1, 1, 1]],
  );
  assert.deepEqual(r.schemes[0]!.caughtBy, [{ typology: 'fan-out', transactions: 1, attempts: 1 }]);
});
