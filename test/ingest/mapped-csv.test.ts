import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mappedCsvReader } from '../../src/ingest/formats/mapped-csv.js';
import { CsvMapping, loadMapping } from '../../src/ingest/mapping.js';
import { readFiles } from '../../src/ingest/pipeline.js';
import type { IngestBatch, ReadContext } from '../../src/ingest/reader.js';
import { detectReader, UnknownFormatError } from '../../src/ingest/registry.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/csv/${name}`, import.meta.url));
const example = (name: string): string => fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
const at = (iso: string): number => Date.parse(iso);

async function read(path: string, mapping: CsvMapping | undefined, batchRows?: number): Promise<IngestBatch[]> {
  const ctx: ReadContext = { path, file: path, source: 'csv-test', batchId: 'batch-1', mapping, batchRows };
  const batches: IngestBatch[] = [];
  for await (const batch of mappedCsvReader.read(ctx)) batches.push(batch);
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

// A fan-in of four SPEI transfers into an STP account, passed on within hours minus a 4.5 % cut.
const MULE = '646180015700001238';
const SPEI_ROWS: TxTuple[] = [
  ['MBAN01002406030000412390', at('2024-06-03T15:14:27Z'), '012180015237409814', MULE, 4_950_000, 'MXN', 'wire', 2],
  ['BNET01002406030000098231', at('2024-06-03T15:52:08Z'), '002180700123456788', MULE, 4_890_000, 'MXN', 'wire', 3],
  ['2024060340014TR0000055871', at('2024-06-03T16:31:45Z'), '014180655012345674', MULE, 4_975_000, 'MXN', 'wire', 4],
  ['BNTE01002406030000733410', at('2024-06-03T17:05:12Z'), '072580010987654321', MULE, 4_900_000, 'MXN', 'wire', 5],
  ['STP2024060300000918273', at('2024-06-03T19:40:59Z'), MULE, '021180040599123454', 18_830_000, 'MXN', 'wire', 6],
  ['STP2024060300000918274', at('2024-06-03T19:41:30Z'), MULE, '646180015700004565', 885_000, 'MXN', 'internal', 7],
  ['CHQ0000004471', at('2024-06-04T18:30:00Z'), '044180025670012347', '030320090000123456', 780_000, 'MXN', 'cheque', 8],
  ['CODI2024060400000311', at('2024-06-05T01:02:41Z'), '030320090000123456', '646180015700007892', 35_000, 'MXN', 'mobile', 9],
  ['SPID2024060500000012', at('2024-06-05T22:45:33Z'), '021180040599123454', '044180025670012347', 995_000, 'USD', 'wire', 10],
];

test('SPEI export: clave de rastreo as id, Mexico City time to UTC, quoted thousands, tipo to channel', async () => {
  const mapping = await loadMapping(fixture('spei-mapping.yaml'));
  const batches = await read(fixture('spei-transfers.csv'), mapping);
  assert.deepEqual(txs(batches), SPEI_ROWS);
  assert.deepEqual(rejects(batches), []);
  assert.deepEqual(truth(batches), []);
  assert.equal(batches.flatMap((b) => b.accounts).length, 10);
  assert.deepEqual(batches[0]!.accounts[1], { id: MULE, kind: 'bank', provenance: { file: fixture('spei-transfers.csv'), line: 2, batch: 'batch-1' } });
});

test('the README example (examples/spei-*) reads exactly like the fixture', async () => {
  const mapping = await loadMapping(example('spei-mapping.yaml'));
  assert.deepEqual(mapping, await loadMapping(fixture('spei-mapping.yaml')));
  const batches = await read(example('spei-transfers.csv'), mapping);
  assert.deepEqual(txs(batches), SPEI_ROWS);
  assert.deepEqual(rejects(batches), []);
});

test('SPEI export with bad rows: each rejected with its physical line and reason, the rest loads', async () => {
  const mapping = await loadMapping(fixture('spei-mapping.yaml'));
  const batches = await read(fixture('spei-bad.csv'), mapping);
  assert.deepEqual(txs(batches), [
    ['MBAN01002406030000412390', at('2024-06-03T15:14:27Z'), '012180015237409814', MULE, 4_950_000, 'MXN', 'wire', 2],
    // a line break inside the free-text concepto column is fine: the record spans lines 10-11
    ['BNET01002406030000098237', at('2024-06-03T16:25:00Z'), '002180700123456788', MULE, 260_000, 'MXN', 'wire', 10],
    // empty moneda and tipo: the mapping's default currency and channel
    ['BNET01002406030000098240', at('2024-06-03T16:45:00Z'), '002180700123456788', MULE, 310_000, 'MXN', 'other', 16],
  ]);
  assert.deepEqual(rejects(batches), [
    [3, 'expected 8 columns, found 7'],
    [4, 'unparseable date "31/04/2024 10:00:00" (column "fecha", expected DD/MM/YYYY HH:mm:ss)'],
    [5, 'unparseable amount "1.500,00" (column "monto", decimal separator ".")'],
    [6, 'unknown currency "MXP" (column "moneda")'],
    [7, 'empty toAccount (column "cuenta_destino")'],
    [8, 'negative amount "-2,000.00" (negativeAmounts: reject)'],
    [9, 'invalid UTF-8 at byte 111 of the line (is the file in another encoding? try --encoding windows-1252)'],
    [12, 'line break inside fromAccount (column "cuenta_origen")'],
    [14, 'unknown channel "BITCOIN" (column "tipo"); add it to channelValues'],
    [15, 'empty id (column "clave_rastreo")'],
    [17, 'unterminated quoted field (file truncated?)'],
  ]);
  const all = batches.flatMap((b) => b.rejects);
  assert.equal(all[7]!.record, '03/06/2024 10:30:00,BNET01002406030000098238,"0021807001\n23456788",646180015700001238,"2,700.00",MXN,SPEI,CUENTA PARTIDA');
  assert.ok(all.every((r) => r.file === fixture('spei-bad.csv')));
});

test('Brazilian statement: Windows-1252, ";" and decimal ",", Brasília time, signed debits reversed, label only as truth', async () => {
  const mapping = await loadMapping(fixture('pix-mapping.yaml'));
  const batches = await read(fixture('pix-extrato.csv'), mapping);
  assert.deepEqual(txs(batches), [
    ['row:1', at('2024-06-03T17:05:00Z'), '0001/12345-6', '0341/99887-1', 123_456, 'BRL', 'mobile', 2],
    // -350,00 from 0001 to 0237: 350,00 from 0237 to 0001
    ['row:2', at('2024-06-03T21:40:00Z'), '0237/55555-0', '0001/12345-6', 35_000, 'BRL', 'wire', 3],
    // "Transferência" (decoded from Windows-1252) matches channelValues TRANSFERÊNCIA regardless of case
    ['row:3', at('2024-06-04T12:00:00Z'), '0001/12345-6', '0001/77777-3', 2_000_000, 'BRL', 'internal', 4],
    ['row:4', at('2024-06-05T02:59:00Z'), '0104/31313-9', '0001/12345-6', 999_999, 'BRL', 'mobile', 5],
  ]);
  assert.deepEqual(truth(batches), [
    { source: 'csv-test', transactionId: 'row:3', laundering: true },
    { source: 'csv-test', transactionId: 'row:4', laundering: true },
  ]);
  assert.deepEqual(rejects(batches), [[6, 'unknown channel "Boleto" (column "Operação"); add it to channelValues']]);
  for (const b of batches) {
    for (const t of b.transactions.rows()) {
      assert.deepEqual(Object.keys(t).sort(), ['amountMinor', 'channel', 'currency', 'fromAccount', 'id', 'provenance', 'source', 'timeMs', 'toAccount']);
    }
  }
});

test('headerless remittance file mapped by index: original amounts, country codes, short rows', async () => {
  const mapping = await loadMapping(fixture('remesas-mapping.json'));
  const batches = await read(fixture('remesas.txt'), mapping);
  const rows = batches.flatMap((b) => [...b.transactions.rows()]);
  assert.deepEqual(
    rows.map((t) => [t.id, t.timeMs, t.fromAccount, t.toAccount, t.amountMinor, t.currency, t.originalAmountMinor, t.originalCurrency, t.fromCountry, t.toCountry, t.channel, t.provenance.line]),
    [
      ['RM-1001', at('2024-06-03T16:00:00Z'), 'US-AGT-0091', 'MX-BEN-4410', 595_000, 'MXN', 35_000, 'USD', 'US', 'MX', 'remittance', 1],
      ['RM-1002', at('2024-06-03T17:00:00Z'), 'US-AGT-0091', 'MX-BEN-4411', 1_666_000, 'MXN', 98_000, 'USD', 'US', 'MX', 'remittance', 2],
      ['RM-1005', at('2024-06-03T20:00:00Z'), 'US-AGT-0092', 'GT-BEN-0001', 213_000, 'GTQ', 27_550, 'USD', 'US', 'GT', 'remittance', 5],
      ['RM-1006', at('2024-06-03T21:00:00Z'), 'US-AGT-0093', 'MX-BEN-4414', 170_000, 'MXN', undefined, undefined, 'US', 'MX', 'remittance', 6],
    ],
  );
  assert.deepEqual(rejects(batches), [
    [3, 'expected at least 10 columns, found 5'],
    [4, 'invalid fromCountry "USA" (column 6, expected ISO 3166-1 alpha-2)'],
  ]);
  assert.deepEqual(batches[0]!.accounts.slice(0, 2).map((a) => [a.id, a.country]), [['US-AGT-0091', 'US'], ['MX-BEN-4410', 'MX']]);
});

test('small batches: rows split across batches, in order, ids and lines kept', async () => {
  const mapping = await loadMapping(fixture('spei-mapping.yaml'));
  const batches = await read(fixture('spei-transfers.csv'), mapping, 4);
  assert.deepEqual(batches.map((b) => b.transactions.length), [4, 4, 1]);
  assert.deepEqual(txs(batches), SPEI_ROWS);
});

test('a mapped column the header lacks refuses the whole file, naming the column', async () => {
  const base = await loadMapping(fixture('spei-mapping.yaml'));
  const mapping = CsvMapping.parse({ ...base, columns: { ...base.columns, amount: 'importe' } });
  const path = fixture('spei-transfers.csv');
  await assert.rejects(read(path, mapping), (err: Error) => {
    assert.match(err.message, /spei-transfers\.csv:1: the mapping does not fit this file: columns\.amount names column "importe", which is not in the header/);
    assert.match(err.message, /header: fecha, clave_rastreo, cuenta_origen, cuenta_destino, monto, moneda, tipo, concepto/);
    return true;
  });
  const byIndex = CsvMapping.parse({ ...base, columns: { ...base.columns, channel: 8 } });
  await assert.rejects(read(path, byIndex), /columns\.channel is column 8 \(0-based\) but the header has 8 columns/);
  await assert.rejects(read(path, undefined), /needs a mapping file/);

  // The pipeline turns the refusal into a file-level reject and goes on with the next file.
  const out: IngestBatch[] = [];
  for await (const b of readFiles([{ path }, { path: fixture('spei-bad.csv') }], { batchId: 'b', format: 'csv', mapping })) out.push(b);
  assert.equal(out[0]!.rejects.length, 1);
  const refusal = out[0]!.rejects[0]!;
  assert.deepEqual([refusal.file, refusal.line], [path, 0]);
  assert.ok(refusal.reason.startsWith(`file refused: ${path}:1: the mapping does not fit this file: columns.amount names column "importe"`), refusal.reason);
  assert.equal(out.at(-1)!.file, fixture('spei-bad.csv'));
});

test('matching a header name ignores case and surrounding spaces', async () => {
  const base = await loadMapping(fixture('spei-mapping.yaml'));
  const mapping = CsvMapping.parse({ ...base, columns: { ...base.columns, time: 'FECHA', amount: ' Monto ' } });
  assert.deepEqual(txs(await read(fixture('spei-transfers.csv'), mapping)), SPEI_ROWS);
});

test('mapping schema: defaults, strict keys, date formats and UTC offsets checked before the first row', () => {
  const columns = { time: 0, fromAccount: 1, toAccount: 2, amount: 3 };
  const m = CsvMapping.parse({ currency: 'MXN', header: false, columns });
  assert.equal(m.utcOffset, '+00:00');
  assert.equal(m.negativeAmounts, 'reject');
  assert.equal(m.dateFormat, 'iso');
  const issues = (raw: unknown) => {
    const r = CsvMapping.safeParse(raw);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };
  assert.deepEqual(issues({ currency: 'MXN', header: false, columns, dateFormat: 'fecha' }), ['dateFormat']);
  assert.deepEqual(issues({ currency: 'MXN', header: false, columns, utcOffset: '-6' }), ['utcOffset']);
  assert.deepEqual(issues({ currency: 'MXN', header: false, columns, negativeAmounts: 'abs' }), ['negativeAmounts']);
  assert.deepEqual(issues({ currency: 'MXN', header: false, columns, timezone: 'America/Mexico_City' }), ['']);
  assert.deepEqual(issues({ header: false, columns }), ['currency']);
});

test('ISO dates: no offset means the mapping utcOffset, an explicit zone is kept; an undecodable line still counts as a row', async () => {
  const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'rastro-csv-'));
  try {
    const path = join(dir, 'iso.csv');
    const lines = 'when,from,to,amount\n2024-06-03 09:00:00,a,b,1\n2024-06-03T09:00:00Z,a,b,2\n2024-06-03T09:00:00-05:00,a,b,3\n';
    const more = '2024-06-03,a,b,4\n2024-06-03T09:00:00.250,a,b,5\n';
    // An undecodable line between them still counts as a data row for row:<n>.
    await writeFile(path, Buffer.concat([Buffer.from(lines), Buffer.from([0x32, 0x30, 0xff, 0x0a]), Buffer.from(more)]));
    const mapping = CsvMapping.parse({ currency: 'MXN', utcOffset: '-06:00', columns: { time: 'when', fromAccount: 'from', toAccount: 'to', amount: 'amount' } });
    const batches = await read(path, mapping);
    assert.deepEqual(rejects(batches), [[5, 'invalid UTF-8 at byte 3 of the line (is the file in another encoding? try --encoding windows-1252)']]);
    assert.deepEqual(txs(batches).map((r) => [r[0], new Date(r[1]).toISOString()]), [
      ['row:1', '2024-06-03T15:00:00.000Z'],
      ['row:2', '2024-06-03T09:00:00.000Z'],
      ['row:3', '2024-06-03T14:00:00.000Z'],
      ['row:5', '2024-06-03T06:00:00.000Z'],
      ['row:6', '2024-06-03T15:00:00.250Z'],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('detection: a generic CSV is never auto-detected; with a mapping it goes to the csv reader', async () => {
  await assert.rejects(detectReader(fixture('spei-transfers.csv')), UnknownFormatError);
  assert.equal((await detectReader(fixture('spei-transfers.csv'), true)).format, 'csv');
  assert.equal(mappedCsvReader.detect('fecha,clave_rastreo,cuenta_origen,cuenta_destino,monto,moneda,tipo\n', 'spei.csv'), false);
});
