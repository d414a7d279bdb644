/**
 * PaySim-like truth (`isFraud`) through the generic CSV reader: a mapping with a `label` column.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateFiles } from '../../src/eval/index.js';
import { loadMapping } from '../../src/ingest/index.js';
import { alertLine } from '../helpers/eval-world.js';
import { withTempDir, writeIn } from '../helpers/ingest.js';

const PAYSIM =
  'step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud\n' +
  '1,PAYMENT,9839.64,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0\n' +
  '1,TRANSFER,181.0,C1305486145,181.0,0.0,C553264065,0.0,0.0,1,0\n' +
  '1,CASH_OUT,181.0,C840083671,181.0,0.0,C38997010,21182.0,0.0,1,0\n' +
  '1,PAYMENT,11668.14,C2048537720,41554.0,29885.86,M1230701703,0.0,0.0,0,0\n';

const MAPPING = `dateFormat: epoch-s
currency: USD
columns:
  time: step
  fromAccount: nameOrig
  toAccount: nameDest
  amount: amount
  label: isFraud
`;

test('isFraud rows are laundering; ids are row:<n>', async () => {
  const { report: r } = await withTempDir(async (dir) => {
    const truth = await writeIn(dir, 'paysim.csv', PAYSIM);
    const mapping = await loadMapping(await writeIn(dir, 'paysim.yaml', MAPPING));
    const alerts = await writeIn(dir, 'alerts.jsonl', `${alertLine({ id: 'a', typology: 'mule-pass-through', accounts: ['C553264065', 'M1230701703'], transactions: ['row:2', 'row:4'] })}\n`);
    return evaluateFiles({ alerts, truth: [truth], format: 'csv', mapping });
  });
  assert.deepEqual(r.truth.files, [{ path: r.truth.files[0]!.path, layout: 'csv' }]);
  const t = r.transactions;
  assert.deepEqual([t.truth, t.positives, t.predicted, t.truePositives], [4, 2, 2, 1]);
  const a = r.accounts;
  assert.deepEqual([a.truth, a.positives, a.predicted, a.truePositives], [8, 4, 2, 1]);
  assert.deepEqual(r.falseAlerts, { benignAccounts: 4, benignAccountsFlagged: 1, per10kBenignAccounts: 2500 });
  assert.deepEqual(r.schemes.map((s) => [s.scheme, s.transactions, s.transactionsDetected]), [['unknown', 2, 1]]);
});
