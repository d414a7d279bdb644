import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { amlsimReader } from '../../src/ingest/formats/amlsim.js';
import { ibmAmlReader } from '../../src/ingest/formats/ibm-aml.js';
import { readFiles } from '../../src/ingest/pipeline.js';
import type { IngestBatch, ReadContext } from '../../src/ingest/reader.js';
import { detectReader, UnknownFormatError } from '../../src/ingest/registry.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/amlsim/${name}`, import.meta.url));
const at = (iso: string): number => Date.parse(iso);

async function read(name: string, batchRows?: number): Promise<IngestBatch[]> {
  const path = fixture(name);
  const ctx: ReadContext = { path, file: path, source: 'amlsim-test', batchId: 'batch-1', batchRows };
  const batches: IngestBatch[] = [];
  for await (const batch of amlsimReader.read(ctx)) batches.push(batch);
  return batches;
}

type TxTuple = [id: string, timeMs: number, from: string, to: string, amountMinor: number, currency: string, channel: string, line: number];

function txs(batches: IngestBatch[]): TxTuple[] {
  return batches.flatMap((b) =>
    [...b.transactions.rows()].map((t): TxTuple => [t.id, t.timeMs, t.fromAccount, t.toAccount, t.amountMinor, t.currency, t.channel, t.provenance.line]),
  );
}

const rejects = (batches: IngestBatch[]) => batches.flatMap((b) => b.rejects.map((r) => [r.line, r.reason] as const));
const truth = (batches: IngestBatch[]) => batches.flatMap((b) => b.truth);
const accounts = (batches: IngestBatch[]) => batches.flatMap((b) => b.accounts);

test('full transactions.csv: ids as written, ISO step timestamps, USD minor units, channels, SAR labels only in truth', async () => {
  const batches = await read('full/transactions.csv');
  assert.deepEqual(txs(batches), [
    ['1', at('2017-01-01T00:00:00Z'), '106', '264', 49237, 'USD', 'ach', 2],
    ['2', at('2017-01-01T00:00:00Z'), '343', '18', 10960, 'USD', 'ach', 3],
    ['4', at('2017-01-03T00:00:00Z'), '71', '105', 182050, 'USD', 'ach', 4],
    ['5', at('2017-01-04T00:00:00Z'), '105', '212', 172947, 'USD', 'ach', 5],
    ['6', at('2017-01-05T00:00:00Z'), '212', '71', 164300, 'USD', 'ach', 6],
    ['7', at('2017-01-05T00:00:00Z'), '18', '343', 1_000_000_000, 'USD', 'wire', 7], // Java writes 1.0E7
    ['9', at('2017-01-06T00:00:00Z'), '77', '264', 25000, 'USD', 'ach', 8],
  ]);
  assert.deepEqual(truth(batches), [
    { source: 'amlsim-test', transactionId: '4', laundering: true, instance: '7' },
    { source: 'amlsim-test', transactionId: '5', laundering: true, instance: '7' },
    { source: 'amlsim-test', transactionId: '6', laundering: true, instance: '7' },
    // alert_id without is_sar: an alert that was not a SAR (AMLSim's false-positive patterns)
    { source: 'amlsim-test', transactionId: '9', laundering: false, instance: '12' },
  ]);
  assert.deepEqual(
    accounts(batches).map((a) => [a.id, a.kind, a.provenance.line]),
    [['106', 'bank', 2], ['264', 'bank', 2], ['343', 'bank', 3], ['18', 'bank', 3], ['71', 'bank', 4], ['105', 'bank', 4], ['212', 'bank', 5], ['77', 'bank', 8]],
  );
  assert.deepEqual(rejects(batches), []);
  for (const t of batches[0]!.transactions.rows()) {
    assert.deepEqual(Object.keys(t).sort(), ['amountMinor', 'channel', 'currency', 'fromAccount', 'id', 'provenance', 'source', 'timeMs', 'toAccount']);
  }
});

test('full-layout cash_tx.csv: CASH-IN moves money from the branch into the account, CASH-OUT out of it', async () => {
  const batches = await read('full/cash_tx.csv');
  // AMLSim logs CASH-IN as account → branch and CASH-OUT as branch → account.
  assert.deepEqual(txs(batches), [
    ['3', at('2017-01-02T00:00:00Z'), 'cash:branch:0', '264', 5712, 'USD', 'cash', 2],
    ['8', at('2017-01-05T00:00:00Z'), '343', 'cash:branch:0', 8890, 'USD', 'cash', 3],
  ]);
  assert.deepEqual(
    accounts(batches).map((a) => [a.id, a.kind]),
    [['cash:branch:0', 'cash'], ['264', 'bank'], ['343', 'bank']],
  );
  assert.deepEqual(truth(batches), []);
});

test('older tx.csv (real AMLSim sample): ACCOUNT_ID pays COUNTER_PARTY_ACCOUNT_NUM on day `start`', async () => {
  const batches = await read('sample-outputs/tx.csv');
  const rows = txs(batches);
  assert.equal(rows.length, 45);
  assert.deepEqual(rows.slice(0, 3), [
    ['2', at('2017-01-02T00:00:00Z'), '15', '25', 12505, 'USD', 'cheque', 2],
    ['4', at('2017-01-03T00:00:00Z'), '21', '25', 17297, 'USD', 'ach', 3],
    ['10', at('2017-01-04T00:00:00Z'), '4', '26', 15113, 'USD', 'wire', 4],
  ]);
  assert.deepEqual(rows.at(-1), ['131', at('2017-02-18T00:00:00Z'), '25', '26', 1117, 'USD', 'wire', 46]);
  assert.equal(rows.reduce((sum, r) => sum + r[4], 0), 674569);
  const channels: Record<string, number> = {};
  for (const r of rows) channels[r[6]] = (channels[r[6]] ?? 0) + 1;
  assert.deepEqual(channels, { cheque: 13, ach: 24, wire: 8 }); // CHECK 13, CREDIT 12 + DEPOSIT 12, WIRE 8
  assert.equal(new Set(rows.map((r) => r[0])).size, 45);
  assert.deepEqual(rejects(batches), []);
  assert.deepEqual(truth(batches), []);
});

test('older tx.csv read in small batches gives the same rows, in order', async () => {
  const whole = txs(await read('sample-outputs/tx.csv'));
  const batches = await read('sample-outputs/tx.csv', 10);
  assert.equal(batches.length, 5);
  assert.ok(batches.every((b) => b.transactions.length <= 10));
  assert.deepEqual(txs(batches), whole);
});

test('older cash_tx.csv (real AMLSim sample): the branch sits under ACCOUNT_ID on CASH-OUT rows', async () => {
  const batches = await read('sample-outputs/cash_tx.csv');
  const rows = txs(batches);
  assert.equal(rows.length, 88);
  assert.deepEqual(rows[0], ['1', at('2017-01-02T00:00:00Z'), '11', 'cash:branch:0', 9987, 'USD', 'cash', 2]); // 1,0,11,CASH-OUT,…
  assert.deepEqual(rows[10], ['17', at('2017-01-06T00:00:00Z'), 'cash:branch:0', '19', 7758, 'USD', 'cash', 12]); // 17,19,0,CASH-IN,…
  assert.deepEqual(rows.at(-1), ['137', at('2017-02-19T00:00:00Z'), '4', 'cash:branch:0', 1044, 'USD', 'cash', 89]);
  assert.equal(rows.filter((r) => r[2] === 'cash:branch:0').length, 8); // CASH-IN rows
  assert.equal(rows.filter((r) => r[3] === 'cash:branch:0').length, 80); // CASH-OUT rows
  assert.equal(rows.reduce((sum, r) => sum + r[4], 0), 508791);
  assert.ok(!accounts(batches).some((a) => a.id === '0'), 'branch 0 must not become account 0');
  assert.deepEqual(accounts(batches).find((a) => a.id === 'cash:branch:0')?.kind, 'cash');
  assert.deepEqual(rejects(batches), []);
});

test('accounts.csv (real AMLSim sample): accounts, holders and links; suspicious/isFraud only as truth', async () => {
  const batches = await read('sample-outputs/accounts.csv');
  const accts = accounts(batches);
  assert.deepEqual(accts.map((a) => a.id), Array.from({ length: 30 }, (_, i) => String(i)));
  assert.ok(accts.every((a) => a.kind === 'bank' && a.country === 'US'));
  for (const a of accts) assert.deepEqual(Object.keys(a).sort(), ['country', 'id', 'kind', 'provenance']);
  const parties = batches.flatMap((b) => b.parties);
  assert.deepEqual(parties.map((p) => [p.id, p.kind]), Array.from({ length: 30 }, (_, i) => [`C_${i}`, 'person']));
  assert.deepEqual(batches.flatMap((b) => b.links).slice(0, 2).map((l) => [l.partyId, l.accountId, l.role, l.provenance.line]), [
    ['C_0', '0', 'holder', 2],
    ['C_1', '1', 'holder', 3],
  ]);
  assert.deepEqual(truth(batches), ['20', '24', '25', '26'].map((id) => ({ source: 'amlsim-test', transactionId: `account:${id}`, laundering: true })));
  assert.equal(txs(batches).length, 0);
  assert.deepEqual(rejects(batches), []);
});

test('accounts.csv with bad rows: empty ACCOUNT_ID and a non-ISO country are rejected, the rest loads', async () => {
  const batches = await read('bad/accounts.csv');
  assert.deepEqual(accounts(batches).map((a) => [a.id, a.country]), [['0', 'US'], ['3', 'US'], ['4', 'MX']]);
  assert.deepEqual(batches.flatMap((b) => b.parties).map((p) => [p.id, p.kind]), [['C_0', 'person'], ['C_4', 'company']]);
  assert.deepEqual(batches.flatMap((b) => b.links).map((l) => [l.partyId, l.accountId]), [['C_0', '0'], ['C_0', '3'], ['C_4', '4']]);
  assert.deepEqual(truth(batches).map((t) => t.transactionId), ['account:3']); // suspicious=True
  assert.deepEqual(rejects(batches), [
    [3, 'empty ACCOUNT_ID'],
    [4, 'invalid country "USA" (expected ISO 3166-1 alpha-2)'],
  ]);
});

test('node sample: nodes.csv beside transactions.csv is read first; ids are row:<n>; steps are days from 2017-01-01', async () => {
  const batches = await read('node-sample/transactions.csv');
  const nodesFile = fixture('node-sample/nodes.csv');
  const txFile = fixture('node-sample/transactions.csv');
  assert.deepEqual(batches.map((b) => b.file), [nodesFile, txFile]);
  assert.deepEqual(batches[0]!.accounts.map((a) => [a.id, a.provenance.file, a.provenance.line]), [
    ['3', nodesFile, 2],
    ['5', nodesFile, 3],
    ['9', nodesFile, 4],
    ['17', nodesFile, 5],
  ]);
  assert.deepEqual(batches[0]!.truth.map((t) => [t.transactionId, t.laundering]), [['account:3', true], ['account:5', true], ['account:17', true]]);
  assert.equal(batches[0]!.source, 'amlsim-test');
  assert.deepEqual(txs(batches), [
    ['row:1', at('2017-01-02T00:00:00Z'), '5', '17', 12505, 'USD', 'ach', 2],
    ['row:2', at('2017-01-03T00:00:00Z'), '17', '3', 11880, 'USD', 'ach', 3],
    ['row:3', at('2017-01-04T00:00:00Z'), '3', '5', 11286, 'USD', 'ach', 4],
    ['row:4', at('2017-01-04T00:00:00Z'), '9', '17', 4000, 'USD', 'ach', 5],
  ]);
  assert.deepEqual(batches[1]!.truth, []);
  assert.deepEqual(rejects(batches), []);
});

test('node sample without nodes.csv: the transactions alone load', async () => {
  const batches = await read('node-alone/transactions.csv');
  assert.deepEqual(batches.map((b) => b.file), [fixture('node-alone/transactions.csv')]);
  assert.deepEqual(txs(batches), [
    ['row:1', at('2017-01-01T00:00:00Z'), '12', '40', 9999, 'USD', 'ach', 2],
    ['row:2', at('2017-01-31T00:00:00Z'), '40', '12', 1000, 'USD', 'ach', 3],
  ]);
  assert.deepEqual(accounts(batches).map((a) => a.id), ['12', '40']);
});

test('node sample with bad rows: rejected rows still count in row:<n>', async () => {
  const batches = await read('bad-node/transactions.csv');
  assert.deepEqual(txs(batches).map((r) => [r[0], r[7]]), [['row:1', 2], ['row:5', 6]]);
  assert.deepEqual(rejects(batches), [
    [3, 'unparseable value "abc"'],
    [4, 'unparseable time "-2" (expected a step: whole days since 2017-01-01)'],
    [5, 'invalid UTF-8 at byte 3 of the line (is the file in another encoding? try --encoding windows-1252)'],
  ]);
});

test('bad full transactions.csv (BOM, broken rows, truncated end): each bad row rejected with its line and reason', async () => {
  const batches = await read('bad/transactions.csv');
  assert.deepEqual(txs(batches), [
    ['1', at('2017-01-01T00:00:00Z'), '106', '264', 49237, 'USD', 'ach', 2],
    ['9', at('2017-01-02T00:00:00Z'), 'cash:branch:0', '264', 5712, 'USD', 'cash', 11],
    ['10', at('2017-01-04T00:00:00Z'), '91', '92', 7050, 'USD', 'wire', 12], // tran_timestamp written as step 3
    ['11', at('2017-01-07T00:00:00Z'), '91', '92', 7050, 'USD', 'ach', 13],
  ]);
  assert.deepEqual(rejects(batches), [
    [3, 'expected 8 columns, found 7'],
    [4, 'unparseable tran_timestamp "2017-02-30T00:00:00Z" (expected YYYY-MM-DDTHH:MM:SSZ or a step)'],
    [5, 'unparseable base_amt "17O9.47"'],
    [6, 'empty beneficiary account (bene_acct)'],
    [7, 'negative base_amt "-25.0"'],
    [8, 'invalid UTF-8 at byte 4 of the line (is the file in another encoding? try --encoding windows-1252)'],
    [9, 'line break inside orig_acct (quoted newline)'],
    [14, 'expected 8 columns, found 5'], // last line cut short, no newline
  ]);
  const all = batches.flatMap((b) => b.rejects);
  assert.equal(all[0]!.record, '2,343,18,TRANSFER,109.6,2017-01-01T00:00:00Z,False');
  assert.equal(all[6]!.record, '8,"77\n1",264,TRANSFER,12.0,2017-01-06T00:00:00Z,False,-1');
  assert.equal(all[7]!.file, fixture('bad/transactions.csv'));
  assert.deepEqual(truth(batches), []); // the SAR rows were all rejected
});

test('older cash_tx.csv with bad rows: a non-cash type, an empty account and a bad RUN_DATE are rejected', async () => {
  const batches = await read('bad/cash_tx.csv');
  assert.deepEqual(txs(batches), [['1', at('2017-01-02T00:00:00Z'), '11', 'cash:branch:0', 9987, 'USD', 'cash', 2]]);
  assert.deepEqual(rejects(batches), [
    [3, 'unknown cash transaction type "WIRE" (expected CASH-IN or CASH-OUT)'],
    [4, 'empty account (ACCOUNT_ID of a CASH-IN row)'],
    [5, 'unparseable RUN_DATE "x" (expected a step: whole days since 2017-01-01)'],
  ]);
});

test('a currency column, when present, gives each amount its currency and exponent', async () => {
  const batches = await read('currency/transactions.csv');
  assert.deepEqual(txs(batches), [
    ['1', at('2017-01-01T00:00:00Z'), '106', '264', 49237, 'EUR', 'ach', 2],
    ['2', at('2017-01-02T00:00:00Z'), '343', '18', 1500, 'JPY', 'ach', 3],
  ]);
  assert.deepEqual(rejects(batches), [[4, 'unknown currency "ZZZ"']]);
});

test('detection: every AMLSim layout is picked by detectReader; IBM, XML and unrelated files are not claimed', async () => {
  for (const name of [
    'full/transactions.csv',
    'full/cash_tx.csv',
    'sample-outputs/tx.csv',
    'sample-outputs/cash_tx.csv',
    'sample-outputs/accounts.csv',
    'node-sample/transactions.csv',
    'node-sample/nodes.csv',
    'bad/transactions.csv',
  ]) {
    assert.equal((await detectReader(fixture(name))).format, 'amlsim', name);
  }
  await assert.rejects(detectReader(fixture('sample-outputs/alerts.csv')), UnknownFormatError);
  const ibmHead =
    'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n' +
    '2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0\n';
  assert.equal(amlsimReader.detect(ibmHead, 'HI-Small_Trans.csv'), false);
  assert.equal(ibmAmlReader.detect(ibmHead, 'HI-Small_Trans.csv'), true);
  assert.equal(amlsimReader.detect('<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">', 'p.xml'), false);
  assert.equal(amlsimReader.detect('fecha,cuenta_origen,cuenta_destino,monto\n', 'spei.csv'), false);
  assert.equal(amlsimReader.detect('tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\r\n', 'transactions.csv'), true);
});

test('through the pipeline with --format auto, the node sample keeps its source name and reads nodes.csv', async () => {
  const path = fixture('node-sample/transactions.csv');
  const batches: IngestBatch[] = [];
  for await (const b of readFiles([{ path }], { batchId: 'b' })) batches.push(b);
  assert.deepEqual(batches.map((b) => [b.source, b.transactions.length, b.accounts.length]), [
    ['transactions.csv', 0, 4],
    ['transactions.csv', 4, 4],
  ]);
});

test('types other generators write in the full layout (CARD, CRYPTO, REMITTANCE, CASH) keep their channel', async () => {
  const { withTempFile } = await import('../helpers/ingest.js');
  const csv =
    'tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n' +
    '1,A,M,CARD,12.50,2017-01-01T10:00:00Z,False,-1\n' +
    '2,A,X,CRYPTO,300.00,2017-01-01T11:00:00Z,False,-1\n' +
    '3,A,B,REMITTANCE,200.00,2017-01-01T12:00:00Z,False,-1\n' +
    '4,A,B,CASH,90.00,2017-01-01T13:00:00Z,False,-1\n' +
    '5,A,B,BARTER,1.00,2017-01-01T14:00:00Z,False,-1\n';
  await withTempFile('transactions.csv', csv, async (path) => {
    const batches: IngestBatch[] = [];
    for await (const b of amlsimReader.read({ path, file: path, source: 't', batchId: 'b' })) batches.push(b);
    assert.deepEqual(txs(batches).map((t) => t[6]), ['card', 'crypto', 'remittance', 'cash', 'other']);
  });
});
