/**
 * Reading in a worker thread (`readFilesInWorker`, what `rastro scan` uses) against reading in-process
 * (`readFiles`): for the same inputs, exactly the same batches in the same order (ids, values, account names and
 * interned numbers, institutions, provenance, labels, rejects), the same progress at the end and the same
 * errors. And the wire form alone: a batch encoded and decoded is the batch it was.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BatchDecoder, BatchEncoder } from '../../src/ingest/batch-wire.js';
import { InputError, readFiles, type FileInput, type ReadFilesOptions } from '../../src/ingest/pipeline.js';
import type { IngestBatch } from '../../src/ingest/reader.js';
import { readFilesInWorker } from '../../src/ingest/worker-read.js';
import { channelIndex, TxBatch } from '../../src/model/index.js';
import { fixture, txRows, withTempFile } from '../helpers/ingest.js';

/** Everything a read yields, batch by batch, with the typed columns spelled out. */
function snapshot(batches: IngestBatch[]): unknown[] {
  return batches.map((b) => {
    const t = b.transactions;
    const rows = txRows(t);
    return {
      rows,
      refs: t.accountRefs !== undefined,
      length: t.length,
      capacity: t.capacity,
      tx: [t.source, t.file, t.batchId],
      accounts: b.accounts,
      parties: b.parties,
      links: b.links,
      reports: b.reports,
      truth: b.truth,
      rejects: b.rejects,
      uniqueIds: b.uniqueIds,
      file: b.file,
      source: b.source,
      batchId: b.batchId,
    };
  });
}

async function both(inputs: FileInput[], options: Omit<ReadFilesOptions, 'batchId'> = {}): Promise<{ here: unknown[]; there: unknown[]; bytesHere: number[]; bytesThere: number[] }> {
  const bytesHere: number[] = [];
  const bytesThere: number[] = [];
  const here: IngestBatch[] = [];
  for await (const b of readFiles(inputs, { ...options, batchId: 'b1', onBytes: (n) => bytesHere.push(n) })) here.push(b);
  const there: IngestBatch[] = [];
  for await (const b of readFilesInWorker(inputs, { ...options, batchId: 'b1', onBytes: (n) => bytesThere.push(n) })) there.push(b);
  return { here: snapshot(here), there: snapshot(there), bytesHere, bytesThere };
}

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

async function drain(batches: AsyncIterable<IngestBatch>): Promise<number> {
  let n = 0;
  for await (const b of batches) n += b.transactions.length;
  return n;
}

const HEADER = 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';
const CURRENCIES = ['US Dollar', 'Euro', 'Yen', 'Bitcoin', 'UK Pound', 'Mexican Peso'];
const FORMATS = ['ACH', 'Wire', 'Cash', 'Cheque', 'Credit Card', 'Reinvestment', 'Bitcoin'];

/** Plain IBM rows (the byte path): `rows` transfers among a few hundred accounts, some converted. */
function ibmRows(rows: number): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const c = CURRENCIES[i % CURRENCIES.length]!;
    const paid = i % 9 === 0 ? CURRENCIES[(i + 1) % CURRENCIES.length]! : c;
    const day = String(1 + Math.floor(i / 500)).padStart(2, '0');
    const time = `2022/09/${day} ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    lines.push(`${time},${String(10 + (i % 17)).padStart(3, '0')},${(0x800000 + ((i * 7919) % 311)).toString(16).toUpperCase()},0${20 + (i % 5)},${(0x900000 + ((i * 104729) % 257)).toString(16).toUpperCase()},${(i * 37) % 10000}.${i % 100},${c},${(i * 41) % 10000}.${(i * 3) % 100},${paid},${FORMATS[i % FORMATS.length]},${i % 97 === 0 ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('reading in a worker thread', () => {
  it('gives the IBM reader\'s batches exactly (byte path, interned account numbers, labels), over many batches', async () => {
    await withTempFile('w_Trans.csv', ibmRows(3000), async (path) => {
      const r = await both([{ path }], { format: 'ibm-aml', batchRows: 37 });
      assert.ok(r.here.length > 50);
      assert.deepEqual(r.there, r.here);
      assert.equal(r.bytesThere.at(-1), r.bytesHere.at(-1));
    });
  });

  it('gives rejects, quoted and odd rows (the text path) exactly', async () => {
    const rows = [
      HEADER,
      '2022/09/01 00:00,001,A1,002,B,100.00,US Dollar,100.00,US Dollar,ACH,0',
      '2022/09/01 00:05,001,A1,002,B,1,234.00,US Dollar,100.00,US Dollar,ACH,0',
      '"2022/09/01 00:06","001","A1","003","C",5.00,Euro,6.00,US Dollar,Wire,1',
      '2022/09/01 00:07,001,A1,003,C,5.00,Zorkmid,5.00,Zorkmid,Wire,0',
      '2022/13/01 00:07,001,A1,003,C,5.00,Euro,5.00,Euro,Wire,0',
      '',
      '2022/09/01 00:08,0\u00e9,\u00e4,003,C,7.50,Euro,7.50,Euro,Credit Card,0',
      '2022/09/01 00:09,001,A1,002,B,100.00,US Dollar,100.00,US Dollar,Telegraph,0',
    ];
    for (let i = 0; i < 300; i++) rows.push(`2022/09/02 ${String(i % 24).padStart(2, '0')}:00,${100 + (i % 7)},X${i % 13},${200 + (i % 5)},Y${i % 11},${i}.${i % 100},US Dollar,${i}.${i % 100},US Dollar,Cheque,${i % 2}`);
    await withTempFile('odd_Trans.csv', `${rows.join('\n')}\n`, async (path) => {
      const r = await both([{ path }], { batchRows: 64 });
      const rejects = (r.here as { rejects: unknown[] }[]).reduce((n, b) => n + b.rejects.length, 0);
      assert.ok(rejects >= 4, 'the file has rejects');
      assert.deepEqual(r.there, r.here);
    });
  });

  it('gives several files of several formats exactly, in order (ids of other forms, countries, no account numbers)', async () => {
    const inputs = [
      { path: fixture('ibm-amlworld/LI-Small_Patterns.txt') },
      { path: fixture('amlsim/full/transactions.csv') },
      { path: fixture('iso20022/cbpr-plus-pacs.008.001.08-bah.xml') },
      { path: fixture('goaml/sample-STR-5.0.2-uae.xml') },
      { path: fixture('ibm-amlworld/LI-Small_Trans.csv'), source: 'again.csv' },
    ];
    const r = await both(inputs, { batchRows: 50 });
    assert.ok(r.here.length >= inputs.length);
    assert.deepEqual(r.there, r.here);
    assert.equal(r.bytesThere.at(-1), r.bytesHere.at(-1));
  });

  it('fails as the in-process read does: a layout it cannot tell, a csv without mapping', async () => {
    await withTempFile('what.txt', 'hello,world\n1,2\n', async (path) => {
      const here = await errorOf(drain(readFiles([{ path }], { batchId: 'b' })));
      const there = await errorOf(drain(readFilesInWorker([{ path }], { batchId: 'b' })));
      assert.ok(there instanceof InputError);
      assert.equal(there.message, here.message);
      const hereCsv = await errorOf(drain(readFiles([{ path }], { batchId: 'b', format: 'csv' })));
      const thereCsv = await errorOf(drain(readFilesInWorker([{ path }], { batchId: 'b', format: 'csv' })));
      assert.ok(thereCsv instanceof InputError);
      assert.equal(thereCsv.message, hereCsv.message);
    });
  });

  it('stops the worker when the consumer stops early', async () => {
    await withTempFile('w_Trans.csv', ibmRows(3000), async (path) => {
      let n = 0;
      for await (const b of readFilesInWorker([{ path }], { batchId: 'b', batchRows: 10 })) {
        n += b.transactions.length;
        if (n >= 20) break;
      }
      assert.equal(n, 20);
    });
  });
});

describe('batch wire form', () => {
  it('decodes to the batch it encoded: ids of any form, missing fields, unnumbered accounts, names sent once', () => {
    const space = {};
    const make = (rows: number, offset: number): IngestBatch => {
      const t = new TxBatch('s', 'f.csv', 'b', 16);
      const ids = ['row:1', 'row:01', 'row:1e3', 'x', 'row:9007199254740993', 'row:0'];
      for (let i = 0; i < rows; i++) {
        t.push(offset === 0 && i === 0 ? 'row:7' : ids[(i + offset) % ids.length]!, 1000 + i, `A${i % 3}`, `B${i % 4}`, i * 100, i % 2 ? 'USD' : 'EUR', channelIndex(i % 3 ? 'wire' : 'card'), i + 2,
          i % 3 ? NaN : 5, i % 3 ? undefined : 'MXN', i % 2 ? 'US' : undefined, undefined, i % 5 ? 'BANK1' : undefined, 'BANK2');
        t.setRefs(space, i, i % 3, i % 7 === 6 ? -1 : 3 + (i % 4));
      }
      const b: IngestBatch = {
        file: 'f.csv', source: 's', batchId: 'b', transactions: t, accounts: [], parties: [], links: [], reports: [],
        truth: [{ source: 's', transactionId: 'row:7', laundering: true, scheme: 'fan-in', instance: '1' }],
        rejects: [{ file: 'f.csv', line: 3, reason: 'bad', record: 'x,y' }], uniqueIds: true,
      };
      return b;
    };
    const encoder = new BatchEncoder();
    const decoder = new BatchDecoder();
    const originals = [make(16, 0), make(9, 1), make(0, 2)];
    const expected = snapshot(originals.map((b) => make(b.transactions.length, originals.indexOf(b))));
    const decoded: IngestBatch[] = [];
    let named = 0;
    for (const b of originals) {
      const { wire, transfer } = encoder.encode(b);
      named += wire.tx.newRefNames.length;
      // Through a real structured clone with transfer, as between threads.
      decoded.push(decoder.decode(structuredClone(wire, { transfer })));
    }
    assert.deepEqual(snapshot(decoded), expected);
    // Each interned number's name crosses once: 3 senders and 4 receivers.
    assert.equal(named, 7);
    assert.equal(decoded[0]!.transactions.accountRefs, decoded[1]!.transactions.accountRefs);
  });

  it('reads the same from a file whose first batch ends mid-way (sizes and rows are the worker\'s own)', async () => {
    const text = (await readFile(fixture('ibm-amlworld/LI-Small_Trans.csv'), 'utf8')).split('\n').slice(0, 40).join('\n');
    await withTempFile('cut_Trans.csv', text, async (path) => {
      const r = await both([{ path }], { batchRows: 16 });
      assert.deepEqual(r.there, r.here);
    });
  });
});
