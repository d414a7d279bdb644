/**
 * Specification of format detection: each known layout is claimed by exactly its reader; anything else is an
 * UnknownFormatError that names the file and lists every known layout (detection never guesses).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadMapping } from '../../src/ingest/mapping.js';
import { InputError, readFiles } from '../../src/ingest/pipeline.js';
import { FORMATS } from '../../src/ingest/reader.js';
import { READERS, UnknownFormatError, detectReader, knownLayouts, readerFor } from '../../src/ingest/registry.js';
import { readHead } from '../../src/ingest/text.js';
import { collect, fixture, withTempFile } from '../helpers/ingest.js';

const EXPECTED: Record<string, string[]> = {
  'ibm-aml': ['ibm-amlworld/LI-Small_Trans.csv', 'ibm-amlworld/LI-Small_Patterns.txt'],
  amlsim: [
    'amlsim/full/transactions.csv',
    'amlsim/full/cash_tx.csv',
    'amlsim/currency/transactions.csv',
    'amlsim/sample-outputs/tx.csv',
    'amlsim/sample-outputs/cash_tx.csv',
    'amlsim/sample-outputs/accounts.csv',
    'amlsim/node-sample/transactions.csv',
    'amlsim/node-sample/nodes.csv',
    'amlsim/node-alone/transactions.csv',
    'amlsim/bad/transactions.csv',
  ],
  iso20022: [
    'iso20022/sepa-sct-pacs.008.001.02.xml',
    'iso20022/cbpr-plus-pacs.008.001.08-bah.xml',
    'iso20022/fedwire-pacs.008.001.08-prefixed.xml',
    'iso20022/pacs.008.001.05-fallback-ids.xml',
    'iso20022/pix-spi-pacs.008-two-transfers.xml',
    'iso20022/bad-fields-pacs.008.001.09.xml',
    'iso20022/pacs008-xxe.xml',
  ],
  goaml: [
    'goaml/sample-report-5.0.1.xml',
    'goaml/sample-STR-5.0.2-uae.xml',
    'goaml/sample-SAR-5.0.2-uae.xml',
    'goaml/ctr-5.0.1-accounts.xml',
    'goaml/sar-5.0.1-activity.xml',
    'goaml/bad-fields-5.0.1.xml',
    'goaml/goaml-xxe.xml',
  ],
};

const GENERIC_CSV = ['csv/spei-transfers.csv', 'csv/pix-extrato.csv', 'csv/remesas.txt'];

/** Assert `promise` rejects with an UnknownFormatError naming `path` and listing every known layout. */
async function assertUnknown(promise: Promise<unknown>, path: string, firstLine?: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UnknownFormatError, `expected UnknownFormatError, got ${String(err)}`);
    assert.equal(err.exitCode, 2);
    assert.ok(err.message.startsWith(`${path}:1: cannot tell the layout of this file`), err.message);
    if (firstLine !== undefined) assert.ok(err.message.includes(`(first line: ${JSON.stringify(firstLine)})`), err.message);
    assert.ok(err.message.includes('Known layouts:'), err.message);
    for (const reader of READERS) {
      for (const layout of reader.layouts) assert.ok(err.message.includes(layout), `message lacks ${reader.format} layout ${layout}`);
    }
    assert.ok(err.message.includes('--format csv --mapping <file>'), err.message);
    return true;
  });
}

test('detectReader picks each fixture\'s reader, and no other reader claims it', async () => {
  for (const [format, files] of Object.entries(EXPECTED)) {
    for (const file of files) {
      const path = fixture(file);
      assert.equal((await detectReader(path)).format, format, file);
      const head = await readHead(path);
      const claims = READERS.filter((r) => r.detect(head, file)).map((r) => r.format);
      assert.deepEqual(claims, [format], `readers claiming ${file}`);
    }
  }
});

test('a BOM, UTF-16, CRLF or a 10-column header (no label) do not hide the IBM layout', async () => {
  const text = await readFile(fixture('ibm-amlworld/LI-Small_Trans.csv'), 'utf8');
  const variants: [string, string | Buffer][] = [
    ['bom', `\uFEFF${text}`],
    ['crlf', text.replace(/\n/g, '\r\n')],
    ['no label', text.replace(/,[^,\n]*$/gm, '')],
    ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['patterns after a blank line', `\n${await readFile(fixture('ibm-amlworld/LI-Small_Patterns.txt'), 'utf8')}`],
  ];
  for (const [name, content] of variants) {
    assert.equal(await withTempFile('x.csv', content, async (path) => (await detectReader(path)).format), 'ibm-aml', name);
  }
});

test('a generic CSV without a mapping is an UnknownFormatError naming the file and listing the layouts', async () => {
  for (const file of GENERIC_CSV) {
    const path = fixture(file);
    const firstLine = (await readHead(path)).split('\n', 1)[0]!;
    await assertUnknown(detectReader(path), path, firstLine.slice(0, 200));
  }
});

test('with a mapping, a CSV no reader claims goes to the generic csv reader; a known layout keeps its reader', async () => {
  for (const file of GENERIC_CSV) assert.equal((await detectReader(fixture(file), true)).format, 'csv', file);
  assert.equal((await detectReader(fixture('ibm-amlworld/LI-Small_Trans.csv'), true)).format, 'ibm-aml');
  assert.equal((await detectReader(fixture('amlsim/full/transactions.csv'), true)).format, 'amlsim');
});

test('random text, an empty file, binary bytes, other XML and an AMLSim alerts.csv are UnknownFormatErrors', async () => {
  const cases: [string, string | Buffer, string][] = [
    ['notes.txt', 'The quick brown fox\njumps over the lazy dog\n', 'The quick brown fox'],
    ['empty.csv', '', ''],
    ['blob.bin', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x80]), '\u0000\uFFFD\u0013\u0037'],
    ['page.xml', '<?xml version="1.0"?>\n<html><body>no report</body></html>\n', '<?xml version="1.0"?>'],
    ['ibm-ish.csv', 'Timestamp,From Bank,Account\n2022/09/01 02:38,1,2\n', 'Timestamp,From Bank,Account'],
  ];
  for (const [name, content, firstLine] of cases) {
    await withTempFile(name, content, (path) => assertUnknown(detectReader(path), path, firstLine));
  }
  const alerts = fixture('amlsim/sample-outputs/alerts.csv');
  await assertUnknown(detectReader(alerts), alerts);
});

test('knownLayouts lists every layout of every reader, one per line, with its format', () => {
  const lines = knownLayouts().split('\n');
  assert.equal(lines.length, READERS.reduce((n, r) => n + r.layouts.length, 0));
  for (const r of READERS) for (const l of r.layouts) assert.ok(lines.includes(`  ${r.format.padEnd(9)} ${l}`), l);
  assert.deepEqual(READERS.map((r) => r.format).sort(), [...FORMATS].sort());
});

test('readerFor: each format name gives its reader; an unknown name is an UnknownFormatError listing the formats', () => {
  for (const format of FORMATS) assert.equal(readerFor(format).format, format);
  assert.throws(
    () => readerFor('xlsx' as never),
    (err: unknown) => err instanceof UnknownFormatError && err.message === 'unknown format "xlsx"; known: auto, ibm-aml, amlsim, csv, iso20022, goaml',
  );
});

test('readFiles: auto detection errors are thrown (not turned into rejects); csv without a mapping is an InputError', async () => {
  const spei = fixture('csv/spei-transfers.csv');
  await assertUnknown(collect(readFiles([{ path: spei }], { batchId: 'b' })), spei);
  await assert.rejects(collect(readFiles([{ path: spei }], { format: 'csv', batchId: 'b' })), (err: unknown) => {
    return err instanceof InputError && err.message === `${spei}: the csv format needs --mapping <file>`;
  });
  const mapping = await loadMapping(fixture('csv/spei-mapping.yaml'));
  const r = await collect(readFiles([{ path: spei }], { batchId: 'b', mapping }));
  assert.equal(r.transactions.length, 9);
  assert.deepEqual(r.rejects, []);
});
