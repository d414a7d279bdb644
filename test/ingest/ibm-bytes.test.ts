/**
 * The IBM AMLworld reader's byte path (plain rows read from undecoded bytes) against its text path (every line
 * through the CSV tokenizer): for the same file, exactly the same transactions (ids, values, interned account
 * numbers, institutions, provenance), labels, rejects and batches. Files: generated rows covering every field
 * form the fast checks accept or refuse, files larger than a read chunk (pieces and records spanning them), and
 * seeded corruptions of both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { makeIbmAmlReader } from '../../src/ingest/formats/ibm-aml.js';
import type { IngestBatch } from '../../src/ingest/reader.js';
import { isBytePiece, readLinePieces, readTextPieces, type BytePiece, type TextPiece } from '../../src/ingest/text.js';
import { fixture, txRows, withTempFile } from '../helpers/ingest.js';

const HEADER = 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';
const READ_CHUNK = 1 << 20;

/** mulberry32: deterministic cases. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const CURRENCIES = ['US Dollar', 'Euro', 'Yen', 'Bitcoin', 'UK Pound', 'Mexican Peso', 'usd', ' Euro', 'Zorkmid', '', 'Brazil Real', 'Yuan'];
const FORMATS = ['ACH', 'Wire', 'Cash', 'Cheque', 'Credit Card', 'Reinvestment', 'Bitcoin', 'ach', 'Telegraph', ''];
const AMOUNTS = [
  '10154.74', '0.01', '7', '7.', '.5', '123.456', '123.455', '99.995', '0', '00012.30', '1.23456789', '9007199254740991', '90071992547409.93',
  '1,234.56', '1 234', '-5.00', '+5', '1e3', '1.0E7', '', '.', 'abc', '12.3.4', '١٢٣',
];
const TIMES = ['2022/09/01 02:38', '2022/09/01 00:00', '2022/12/31 23:59', '2024/02/29 12:00', '2023/02/29 12:00', '2022/13/01 00:00', '2022/09/01 24:00',
  '2022/09/01 12:60', '2022-09-01 02:38', '2022/09/01 2:38', '0000/01/01 00:00', '0099/01/01 00:00', '2022/09/31 10:10', ''];
const BANKS = ['001812', '0110', '015', '70', 'Bänk', '00\u00e9', '', 'a/b', '1'];
const ACCOUNTS = ['80279F810', '8000A94C0', '80074C7E0', 'x', '', 'ä', '8/1', '800F963A0'];

/** A data line of mostly plain rows and, one in `oddity` rows, a field from the lists of unusual forms. */
function line(r: (n: number) => number, oddity: number): string {
  const pick = <T>(xs: readonly T[], plain: number) => (r(oddity) === 0 ? xs[r(xs.length)]! : xs[r(plain)]!);
  const amount = pick(AMOUNTS, 3);
  const currency = pick(CURRENCIES, 6);
  const same = r(3) > 0;
  const fields = [
    pick(TIMES, 4), pick(BANKS, 4), pick(ACCOUNTS, 4), pick(BANKS, 4), pick(ACCOUNTS, 4),
    amount, currency, same ? amount : pick(AMOUNTS, 3), same ? currency : pick(CURRENCIES, 6), pick(FORMATS, 7), String(r(oddity) === 0 ? r(4) : r(2)),
  ];
  if (r(oddity * 4) === 0) fields.pop(); // 10 fields
  if (r(oddity * 4) === 0) fields.push('extra');
  let text = fields.join(',');
  if (r(oddity * 2) === 0) text = text.replace(/,([^,]*)$/, ',"$1"');
  if (r(oddity * 4) === 0) text += '\r';
  return text;
}

function generate(seed: number, rows: number, oddity: number): string {
  const r = rng(seed);
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    lines.push(line(r, oddity));
    if (r(oddity * 8) === 0) lines.push(r(2) === 0 ? '' : '\r');
  }
  return `${lines.join('\n')}\n`;
}

/** Seeded corruptions: flips, inserts (quotes, delimiters, line breaks, NUL, broken UTF-8, BOM), cut, line swaps. */
function corrupt(bytes: Buffer, seed: number): Buffer {
  const r = rng(seed);
  const palette = ['"', '""', ',', '\n', '\r\n', '\r', '\u0000', '\uFFFD', 'é', '\u{1F600}'].map((s) => Buffer.from(s, 'utf8'));
  palette.push(Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xef, 0xbb, 0xbf]));
  let b = Buffer.from(bytes);
  const ops = 1 + r(6);
  for (let k = 0; k < ops; k++) {
    const at = r(b.length + 1);
    switch (r(4)) {
      case 0:
        if (b.length > 0) b[Math.min(at, b.length - 1)] = r(256);
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), palette[r(palette.length)]!, b.subarray(at)]);
        break;
      case 2:
        if (r(4) === 0) b = b.subarray(0, at);
        break;
      default: {
        const lines = b.toString('latin1').split('\n');
        const i = r(lines.length);
        const j = r(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        b = Buffer.from(lines.join('\n'), 'latin1');
      }
    }
  }
  return b;
}

/** Everything a read yields, batch by batch, with the typed columns and interned refs spelled out. */
function snapshot(batches: IngestBatch[]): unknown[] {
  return batches.map((b) => {
    const t = b.transactions;
    const rows = txRows(t);
    return { rows, truth: b.truth, rejects: b.rejects, uniqueIds: b.uniqueIds, file: b.file, source: b.source };
  });
}

async function readWith(bytePath: boolean, path: string, batchRows?: number): Promise<unknown[]> {
  const batches: IngestBatch[] = [];
  for await (const b of makeIbmAmlReader({ bytePath }).read({ path, file: path, source: 's.csv', batchId: 'b', batchRows })) batches.push(b);
  return snapshot(batches);
}

async function samePaths(content: string | Buffer, label: string, batchRows?: number): Promise<number> {
  return withTempFile('x_Trans.csv', content, async (path) => {
    const text = await readWith(false, path, batchRows);
    const bytes = await readWith(true, path, batchRows);
    assert.deepEqual(bytes, text, `${label}: the byte path differs from the text path`);
    return (text as { rows: unknown[] }[]).reduce((n, b) => n + b.rows.length, 0);
  });
}

test('byte path = text path on the IBM fixture and on generated rows of every field form', async () => {
  await samePaths(await readFile(fixture('ibm-amlworld/LI-Small_Trans.csv')), 'LI-Small_Trans.csv');
  const rows = await samePaths(generate(1, 4000, 3), 'generated, many oddities', 333);
  assert.ok(rows > 1000, `only ${rows} rows accepted: the generator should make mostly valid rows`);
  await samePaths(generate(2, 4000, 40), 'generated, few oddities');
  // Without the label column, and without a header (every row a reject).
  await samePaths(generate(3, 500, 10).replace(/,[^,\n]*$/gm, ''), 'no label column');
  await samePaths(generate(4, 200, 10).split('\n').slice(1).join('\n'), 'no header');
});

test('byte path = text path across read chunks: pieces, a quoted record spanning two pieces, no final newline', async () => {
  const big = generate(5, 30_000, 60);
  assert.ok(Buffer.byteLength(big) > 2 * READ_CHUNK, 'the file spans several read chunks');
  await samePaths(big, 'several chunks');
  await samePaths(big.trimEnd(), 'no final newline');
  // A record whose quoted field runs over the first chunk boundary.
  const lines = big.split('\n');
  let bytes = 0;
  let k = 0;
  while (bytes + Buffer.byteLength(lines[k]!) + 1 < READ_CHUNK - 40) bytes += Buffer.byteLength(lines[k++]!) + 1;
  lines[k] = `2022/09/01 02:38,001812,80279F810,0110,8000A94C0,1.00,Euro,1.00,Euro,ACH,"0${'\n'.repeat(3)}${'y'.repeat(200)}"`;
  await samePaths(lines.join('\n'), 'quoted record across the chunk boundary');
  // A quoted record with blank lines inside it, in the middle of a piece.
  const middle = big.split('\n');
  middle[5000] = `2022/09/01 02:38,001812,80279F810,0110,8000A94C0,1.00,Euro,1.00,Euro,ACH,"0\n\n\r\n,,\n"`;
  await samePaths(middle.join('\n'), 'blank lines inside a quoted record');
  // An unbalanced quote just before the boundary: the text path's long-record recovery rereads the lines after it.
  lines[k] = `2022/09/01 02:38,001812,80279F810,0110,8000A94C0,1.00,Euro,1.00,Euro,ACH,"0`;
  await samePaths(lines.join('\n'), 'unbalanced quote before the boundary');
});

test('byte path = text path on seeded corruptions', async () => {
  const base = Buffer.from(generate(6, 1500, 12));
  const fixtureBytes = await readFile(fixture('ibm-amlworld/LI-Small_Trans.csv'));
  for (let c = 0; c < 150; c++) {
    await samePaths(corrupt(c % 3 === 0 ? fixtureBytes : base, 1000 + c), `corruption case ${c}`, 97);
  }
});

/** Lines of the pieces of a source, decoded (byte pieces) or as given, with their numbers and bad-line reasons. */
function lines(pieces: (TextPiece | BytePiece)[]): [number, string][] {
  const out: [number, string][] = [];
  let next = 1;
  for (const piece of pieces) {
    assert.equal(piece.firstLine, next);
    const text = isBytePiece(piece) ? piece.bytes.toString('utf8') : piece.text;
    if (isBytePiece(piece)) {
      assert.ok(text.endsWith('\n'), 'byte pieces hold whole lines');
      assert.equal(piece.lines, text.split('\n').length - 1);
    }
    const parts = text.split('\n');
    if (text.endsWith('\n')) parts.pop();
    parts.forEach((t, i) => {
      const bad = isBytePiece(piece) ? undefined : piece.badLines?.get(piece.firstLine + i);
      out.push([piece.firstLine + i, bad === undefined ? t : `BAD: ${bad}`]);
    });
    next = piece.firstLine + parts.length;
  }
  return out;
}

test('readLinePieces gives the lines readTextPieces gives, undecoded where the bytes are clean', async () => {
  const long = 'z'.repeat(READ_CHUNK + 10);
  const cases: [string, Buffer][] = [
    ['plain', Buffer.from(generate(7, 20_000, 50))],
    ['BOM and CRLF', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\r\nc,d\r\n\r\ne,f')])],
    ['invalid UTF-8 in one line of a big file', Buffer.concat([Buffer.from(generate(8, 15_000, 50)), Buffer.from([0x61, 0xff, 0x0a]), Buffer.from(generate(9, 15_000, 50))])],
    ['a line longer than the limit', Buffer.from(`a\n${long}\nb\n`)],
    ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x,y\nz\n', 'utf16le')])],
    ['empty', Buffer.alloc(0)],
  ];
  for (const [label, bytes] of cases) {
    await withTempFile('p.csv', bytes, async (path) => {
      const text: TextPiece[] = [];
      for await (const p of readTextPieces(path)) text.push(p);
      const mixed: (TextPiece | BytePiece)[] = [];
      let sawBytes = false;
      for await (const p of readLinePieces(path)) {
        if (isBytePiece(p)) {
          sawBytes = true;
          mixed.push({ ...p, bytes: Buffer.from(p.bytes) }); // bytes are only valid until the next piece
        } else mixed.push(p);
      }
      assert.deepEqual(lines(mixed), lines(text), label);
      if (label === 'plain') assert.ok(sawBytes, 'clean UTF-8 comes as bytes');
    });
  }
});
