/**
 * Specification of the IBM AMLworld reader (Altman et al., NeurIPS 2023): given the `*_Trans.csv` and
 * `*_Patterns.txt` fixtures, exactly these transactions, labels and rejects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ibmAmlReader } from '../../src/ingest/formats/ibm-aml.js';
import { readFiles } from '../../src/ingest/pipeline.js';
import type { IngestBatch } from '../../src/ingest/reader.js';
import type { TruthLabel} from '../../src/model/index.js';
import { Transaction, type Transaction as Tx } from '../../src/model/index.js';
import { collect, fixture, readAll, withTempFile } from '../helpers/ingest.js';

const TRANS = fixture('ibm-amlworld/LI-Small_Trans.csv');
const PATTERNS = fixture('ibm-amlworld/LI-Small_Patterns.txt');
const HEADER = 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';
const utc = (y: number, mo: number, d: number, h: number, mi: number): number => Date.UTC(y, mo - 1, d, h, mi);

type Row = [id: string, timeMs: number, from: string, to: string, amountMinor: number, currency: string, channel: string, line: number, original?: [number, string]];

function rows(txs: Tx[]): Row[] {
  return txs.map((t): Row => {
    const row: Row = [t.id, t.timeMs, t.fromAccount, t.toAccount, t.amountMinor, t.currency, t.channel, t.provenance.line];
    if (t.originalAmountMinor !== undefined || t.originalCurrency !== undefined) row.push([t.originalAmountMinor!, t.originalCurrency!]);
    return row;
  });
}

const labels = (truth: TruthLabel[]) => truth.map((l) => [l.transactionId, l.laundering, l.scheme ?? null, l.instance ?? null] as const);

async function batchesOf(path: string, batchRows?: number): Promise<IngestBatch[]> {
  const batches: IngestBatch[] = [];
  for await (const b of ibmAmlReader.read({ path, file: path, source: 'LI-Small_Trans.csv', batchId: 'b1', batchRows })) batches.push(b);
  return batches;
}

const TRANS_ROWS: Row[] = [
  ['row:1', utc(2022, 9, 1, 2, 38), '001812/80279F810', '0110/8000A94C0', 1_015_474, 'AUD', 'ach', 2],
  ['row:2', utc(2022, 9, 1, 3, 17), '003671/801BF8E70', '002557/8016B3750', 809_996, 'EUR', 'ach', 3],
  ['row:3', utc(2022, 9, 1, 6, 27), '015/80074C7E0', '002557/8016B3750', 1_046_856, 'EUR', 'wire', 4],
  ['row:4', utc(2022, 9, 3, 11, 23), '01835/800F963A0', '0224/801C56FF0', 764_813, 'USD', 'wire', 5, [705_695, 'EUR']],
  ['row:5', utc(2022, 9, 4, 7, 47), '020/80025F000', '018/800076370', 94_402, 'JPY', 'ach', 6], // 94401.67 Yen, 0 decimals
  ['row:6', utc(2022, 9, 4, 13, 33), '00423/8004943A0', '00423/8004943A0', 1_784_621, 'CNY', 'cash', 7],
  ['row:7', utc(2022, 9, 4, 13, 46), '001812/800FAB8A0', '025/80CAFB7F0', 942_783, 'GBP', 'card', 8],
  ['row:8', utc(2022, 9, 3, 8, 56), '0115/81522E390', '0115/81522E390', 4_087_723, 'ILS', 'reinvestment', 9],
  ['row:9', utc(2022, 9, 5, 17, 8), '022661/80140EDD0', '0025526/80A1DEB20', 8_177_942, 'INR', 'cheque', 10],
  ['row:10', utc(2022, 9, 9, 2, 58), '00349/800220961', '0020/8000E50E1', 36_128_300, 'XBT', 'crypto', 11],
  ['row:11', utc(2022, 9, 9, 18, 33), '00349/800220960', '01422/8006A2FC0', 81_667_867_751, 'USD', 'ach', 12],
  ['row:12', utc(2022, 9, 3, 15, 46), '020/80015B9D0', '019/810F1DE00', 21_318_744, 'MXN', 'ach', 13],
];

test('Trans.csv: exactly these transactions (row ids, UTC times, zero-padded <bank>/<account>, minor units, codes, channels)', async () => {
  const r = await readAll(ibmAmlReader, TRANS, { source: 'LI-Small_Trans.csv' });
  assert.deepEqual(rows(r.transactions), TRANS_ROWS);
  assert.deepEqual(r.rejects, []);
  for (const t of r.transactions) Transaction.parse(t);
  // A whole record, to pin the shape: no original amount when paid equals received, no countries, provenance.
  assert.deepEqual(r.transactions[0], {
    id: 'row:1',
    source: 'LI-Small_Trans.csv',
    timeMs: 1_661_999_880_000,
    fromAccount: '001812/80279F810',
    toAccount: '0110/8000A94C0',
    amountMinor: 1_015_474,
    currency: 'AUD',
    channel: 'ach',
    provenance: { file: TRANS, line: 2, batch: 'b1' },
  });
  assert.deepEqual(r.transactions[3], {
    id: 'row:4',
    source: 'LI-Small_Trans.csv',
    timeMs: utc(2022, 9, 3, 11, 23),
    fromAccount: '01835/800F963A0',
    toAccount: '0224/801C56FF0',
    amountMinor: 764_813,
    currency: 'USD',
    originalAmountMinor: 705_695,
    originalCurrency: 'EUR',
    channel: 'wire',
    provenance: { file: TRANS, line: 5, batch: 'b1' },
  });
});

test('Trans.csv: the banks are kept as the institutions of each side, exactly as written', async () => {
  const [batch] = await batchesOf(TRANS);
  const t = batch!.transactions;
  assert.deepEqual(t.fromInstitution.slice(0, t.length), ['001812', '003671', '015', '01835', '020', '00423', '001812', '0115', '022661', '00349', '00349', '020']);
  assert.deepEqual(t.toInstitution.slice(0, t.length), ['0110', '002557', '002557', '0224', '018', '00423', '025', '0115', '0025526', '0020', '01422', '019']);
  assert.equal(batch!.uniqueIds, true);
});

test('Trans.csv: truth labels exactly where Is Laundering = 1, and they travel in the batch of their transaction', async () => {
  const r = await readAll(ibmAmlReader, TRANS, { source: 'LI-Small_Trans.csv' });
  assert.deepEqual(labels(r.truth), [
    ['row:1', true, null, null],
    ['row:2', true, null, null],
    ['row:5', true, null, null],
    ['row:10', true, null, null],
    ['row:11', true, null, null],
    ['row:12', true, null, null],
  ]);
  for (const l of r.truth) assert.equal(l.source, 'LI-Small_Trans.csv');
  for (const b of await batchesOf(TRANS, 2)) {
    const ids = new Set(b.transactions.id.slice(0, b.transactions.length));
    for (const l of b.truth) assert.ok(ids.has(l.transactionId), `${l.transactionId} not in its batch`);
  }
});

test('the label column never reaches a transaction: flipping every Is Laundering value changes only the labels', async () => {
  const text = await readFile(TRANS, 'utf8');
  const flipped = text.replace(/,([01])$/gm, (_m, v: string) => `,${v === '1' ? '0' : '1'}`);
  assert.notEqual(flipped, text);
  const original = await readAll(ibmAmlReader, TRANS, { file: 'x', source: 's' });
  const other = await withTempFile('LI-Small_Trans.csv', flipped, (path) => readAll(ibmAmlReader, path, { file: 'x', source: 's' }));
  assert.deepEqual(other.transactions, original.transactions);
  assert.deepEqual(other.truth.map((l) => l.transactionId), ['row:3', 'row:4', 'row:6', 'row:7', 'row:8', 'row:9']);
  for (const t of original.transactions) {
    assert.deepEqual(Object.keys(t).filter((k) => !['originalAmountMinor', 'originalCurrency'].includes(k)).sort(), [
      'amountMinor', 'channel', 'currency', 'fromAccount', 'id', 'provenance', 'source', 'timeMs', 'toAccount',
    ]);
  }
});

test('a Trans file without the label column loads the same transactions and no labels', async () => {
  const text = await readFile(TRANS, 'utf8');
  const unlabelled = text.replace(/,[^,\n]*$/gm, '');
  assert.ok(unlabelled.startsWith(`${HEADER.replace(',Is Laundering', '')}\n`));
  const r = await withTempFile('x_Trans.csv', unlabelled, (path) => readAll(ibmAmlReader, path));
  assert.deepEqual(rows(r.transactions), TRANS_ROWS);
  assert.deepEqual(r.truth, []);
  assert.deepEqual(r.rejects, []);
});

/** Expected block of each data row of Patterns.txt, derived from the file text line by line. */
async function patternBlocks(): Promise<{ line: number; scheme: string; instance: number }[]> {
  const SCHEMES: Record<string, string> = {
    'FAN-IN': 'fan-in', 'FAN-OUT': 'fan-out', 'GATHER-SCATTER': 'gather-scatter', 'SCATTER-GATHER': 'scatter-gather',
    CYCLE: 'cycle', RANDOM: 'random', BIPARTITE: 'bipartite', STACK: 'stack',
  };
  const lines = (await readFile(PATTERNS, 'utf8')).split('\n');
  const out: { line: number; scheme: string; instance: number }[] = [];
  let scheme: string | undefined;
  let instance = 0;
  lines.forEach((text, i) => {
    const begin = /^BEGIN LAUNDERING ATTEMPT - ([A-Z-]+)(?::|$)/.exec(text);
    if (begin) {
      scheme = SCHEMES[begin[1]!];
      assert.ok(scheme, `unknown scheme in ${text}`);
      instance++;
    } else if (text.startsWith('END LAUNDERING ATTEMPT')) scheme = undefined;
    else if (text !== '') {
      assert.ok(scheme, `row outside a block at line ${i + 1}`);
      out.push({ line: i + 1, scheme, instance });
    }
  });
  return out;
}

test('Patterns.txt: every row is a transaction labelled laundering with its scheme and attempt instance', async () => {
  const r = await readAll(ibmAmlReader, PATTERNS, { source: 'LI-Small_Patterns.txt' });
  const blocks = await patternBlocks();
  assert.equal(blocks.length, 1023);
  assert.deepEqual(r.rejects, []);
  assert.deepEqual(
    r.transactions.map((t) => [t.id, t.provenance.line]),
    blocks.map((b, i) => [`row:${i + 1}`, b.line]),
  );
  assert.deepEqual(labels(r.truth), blocks.map((b, i) => [`row:${i + 1}`, true, b.scheme, String(b.instance)]));
  const perScheme = new Map<string, Set<string>>();
  for (const l of r.truth) perScheme.set(l.scheme!, (perScheme.get(l.scheme!) ?? new Set()).add(l.instance!));
  assert.deepEqual(Object.fromEntries([...perScheme].map(([s, ids]) => [s, ids.size]).sort()), {
    bipartite: 16, cycle: 12, 'fan-in': 12, 'fan-out': 19, 'gather-scatter': 12, random: 15, 'scatter-gather': 13, stack: 18,
  });
  for (const t of r.transactions) Transaction.parse(t);
  // The first block (FAN-IN, Max 3-degree) and the Bitcoin row, field by field.
  assert.deepEqual(rows(r.transactions.slice(0, 3)), [
    ['row:1', utc(2022, 9, 1, 2, 38), '001812/80279F810', '0110/8000A94C0', 1_015_474, 'AUD', 'ach', 2],
    ['row:2', utc(2022, 9, 2, 14, 36), '022595/80279F8B0', '0110/8000A94C0', 532_679, 'AUD', 'ach', 3],
    ['row:3', utc(2022, 9, 3, 14, 9), '001120/800E36A50', '0110/8000A94C0', 463_481, 'AUD', 'ach', 4],
  ]);
  const bitcoin = r.transactions.find((t) => t.provenance.line === 1059)!;
  assert.deepEqual(rows([bitcoin]), [[bitcoin.id, utc(2022, 9, 9, 2, 58), '00349/800220961', '0020/8000E50E1', 36_128_300, 'XBT', 'crypto', 1059]]);
});

test('rows copied verbatim from Patterns.txt into Trans.csv read identically (apart from id and line)', async () => {
  const trans = await readAll(ibmAmlReader, TRANS);
  const patterns = await readAll(ibmAmlReader, PATTERNS);
  const strip = (t: Tx) => ({ ...t, id: '', provenance: { ...t.provenance, file: '', line: 0 } });
  for (const [transRow, patternsLine] of [[1, 2], [2, 8], [5, 98], [10, 1059], [11, 1061], [12, 207]] as const) {
    const a = trans.transactions[transRow - 1]!;
    const b = patterns.transactions.find((t) => t.provenance.line === patternsLine)!;
    assert.deepEqual(strip(a), strip(b), `Trans row ${transRow} / Patterns line ${patternsLine}`);
  }
});

const GOOD = '2022/09/01 02:38,001812,80279F810,0110,8000A94C0,10154.74,Australian Dollar,10154.74,Australian Dollar,ACH,1';

test('bad rows are rejected with their physical line and reason; the rows after them keep their row numbers', async () => {
  const lines = [
    HEADER, // 1
    GOOD, // 2  row:1
    '2022/09/01 02:38,001812,80279F810,0110,8000A94C0,10154.74,Australian Dollar,10154.74,Australian Dollar,ACH', // 3 row:2
    GOOD.replace('02:38', '02:39'), // 4 row:3
    GOOD.replace('2022/09/01', '2022/02/29'), // 5 row:4
    GOOD.replace('Australian Dollar,10154.74', 'Dollar,10154.74'), // 6 row:5
    GOOD.replace(/Australian Dollar,ACH/, 'Peso,ACH'), // 7 row:6
    GOOD.replace('10154.74', '12a'), // 8 row:7
    GOOD.replace('Dollar,10154.74', 'Dollar,'), // 9 row:8
    GOOD.replace('10154.74', '-5.00'), // 10 row:9
    GOOD.replace('ACH', 'Crypto'), // 11 row:10
    GOOD.replace('80279F810', ''), // 12 row:11
    '', // 13 blank: not a row
    GOOD.replace('001812', '"001812"x'), // 14 row:12 (tokenizer)
    GOOD.replace('02:38', '02:40'), // 15 row:13
    '\u0000INVALID\u0000', // 16 row:14 (replaced by invalid UTF-8 below)
    GOOD.replace('02:38', '02:41'), // 17 row:15
    GOOD.replace('2022/09/01 02:38', '2022-09-01 02:38'), // 18 row:16
  ];
  const bytes = Buffer.from(lines.join('\n') + '\n');
  const at = bytes.indexOf('\u0000INVALID\u0000');
  bytes[at] = 0xff;
  const r = await withTempFile('bad_Trans.csv', bytes, (path) => readAll(ibmAmlReader, path, { file: 'bad_Trans.csv' }));
  assert.deepEqual(r.transactions.map((t) => [t.id, t.provenance.line, t.timeMs]), [
    ['row:1', 2, utc(2022, 9, 1, 2, 38)],
    ['row:3', 4, utc(2022, 9, 1, 2, 39)],
    ['row:13', 15, utc(2022, 9, 1, 2, 40)],
    ['row:15', 17, utc(2022, 9, 1, 2, 41)],
  ]);
  assert.deepEqual(r.rejects.map((j) => [j.line, j.reason]), [
    [3, 'expected 11 columns, found 10'],
    [5, 'unparseable timestamp "2022/02/29 02:38" (expected YYYY/MM/DD HH:MM)'],
    [6, 'unknown currency "Dollar"'],
    [7, 'unknown currency "Peso"'],
    [8, 'unparseable amount received "12a"'],
    [9, 'unparseable amount paid ""'],
    [10, 'unparseable amount received "-5.00"'],
    [11, 'unknown payment format "Crypto"'],
    [12, 'empty bank or account'],
    [14, 'unexpected character "x" after closing quote at column 26'],
    [16, 'invalid UTF-8 at byte 1 of the line (is the file in another encoding? try --encoding windows-1252)'],
    [18, 'unparseable timestamp "2022-09-01 02:38" (expected YYYY/MM/DD HH:MM)'],
  ]);
  for (const j of r.rejects) assert.equal(j.file, 'bad_Trans.csv');
  assert.equal(r.rejects[0]!.record, lines[2]);
  assert.deepEqual(labels(r.truth), [['row:1', true, null, null], ['row:3', true, null, null], ['row:13', true, null, null], ['row:15', true, null, null]]);
});

test('a file whose header is not the IBM header: the header line and every row are rejected, nothing loads', async () => {
  const text = `${HEADER.replace('Amount Paid', 'Amount Sent')}\n${GOOD}\n${GOOD}\n`;
  const r = await withTempFile('x_Trans.csv', text, (path) => readAll(ibmAmlReader, path));
  assert.deepEqual(r.transactions, []);
  assert.deepEqual(r.rejects.map((j) => [j.line, j.reason.replace(/:.*/, '')]), [
    [1, 'not an IBM AMLworld header'],
    [2, 'file has no valid IBM AMLworld header'],
    [3, 'file has no valid IBM AMLworld header'],
  ]);
});

test('a UTF-8 BOM and CRLF line ends change nothing', async () => {
  const text = await readFile(TRANS, 'utf8');
  const r = await withTempFile('crlf_Trans.csv', `\uFEFF${text.replace(/\n/g, '\r\n')}`, (path) => readAll(ibmAmlReader, path));
  assert.deepEqual(rows(r.transactions), TRANS_ROWS);
  assert.deepEqual(r.rejects, []);
});

test('through the pipeline: ids and labels as read directly, the source named after the file', async () => {
  const r = await collect(readFiles([{ path: TRANS }], { format: 'ibm-aml', batchId: 'b9' }));
  assert.deepEqual(rows(r.transactions), TRANS_ROWS);
  assert.ok(r.transactions.every((t) => t.source === 'LI-Small_Trans.csv' && t.provenance.batch === 'b9'));
  assert.equal(r.truth.length, 6);
});

// Regression: currencyCode("constructor") returns Object; src/ingest/formats/ibm-aml.ts then calls minorExponent, which throws, and readFiles refuses the whole file.
test(
  'a currency cell naming an Object.prototype key is a rejected row, not a refused file',
  async () => {
    const text = `${HEADER}\n${GOOD}\n${GOOD.replace(/Australian Dollar/g, 'constructor')}\n${GOOD}\n`;
    const r = await withTempFile('proto_Trans.csv', text, (path) => collect(readFiles([{ path }], { format: 'ibm-aml', batchId: 'b' })));
    assert.deepEqual(r.rejects.map((j) => [j.line, j.reason]), [[3, 'unknown currency "constructor"']]);
    assert.deepEqual(r.transactions.map((t) => t.id), ['row:1', 'row:3']);
  },
);

test(
  'an invalid UTF-8 last row without a final newline is rejected, not dropped',
  async () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n${GOOD}\n`), Buffer.from(GOOD.replace('ACH', 'AC\u0000')), Buffer.from([0xff])]);
    const r = await withTempFile('last_Trans.csv', bytes, (path) => readAll(ibmAmlReader, path));
    assert.deepEqual(r.transactions.map((t) => t.id), ['row:1']);
    assert.deepEqual(r.rejects.map((j) => [j.line, j.reason.replace(/ at byte .*/, '')]), [[3, 'invalid UTF-8']]);
  },
);
