/**
 * Specification of the text source: bytes → pieces of whole lines with physical line numbers.
 * Pieces are flattened into [line, text] pairs ([line, 'BAD: reason'] for lines marked bad), so the
 * expectations do not depend on how the source groups lines into pieces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTextPieces, readHead, type TextPiece, type TextSourceOptions } from '../../src/ingest/text.js';
import { withTempFile } from '../helpers/ingest.js';

type Line = [line: number, text: string];

/** Flatten pieces into lines; checks that pieces are contiguous and that bad lines carry empty text. */
function flatten(pieces: TextPiece[]): Line[] {
  const lines: Line[] = [];
  let next = 1;
  for (const piece of pieces) {
    assert.equal(piece.firstLine, next, `piece starts at line ${piece.firstLine}, expected ${next}`);
    const parts = piece.text.split('\n');
    if (piece.text.endsWith('\n')) parts.pop();
    parts.forEach((text, i) => {
      const line = piece.firstLine + i;
      const bad = piece.badLines?.get(line);
      if (bad !== undefined) assert.equal(text, '', `bad line ${line} keeps no text`);
      lines.push([line, bad === undefined ? text : `BAD: ${bad}`]);
    });
    for (const line of piece.badLines?.keys() ?? []) {
      assert.ok(line >= piece.firstLine && line < piece.firstLine + parts.length, `bad line ${line} outside its piece`);
    }
    next = piece.firstLine + parts.length;
  }
  return lines;
}

/** Stream `bytes` in chunks of `size` bytes. */
async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}

/** Read bytes as a file (whole) or through the `stream` option in chunks of `chunk` bytes. */
async function read(bytes: Uint8Array, options: TextSourceOptions = {}, chunk?: number): Promise<Line[]> {
  return withTempFile('input.txt', bytes, async (path) => {
    const pieces: TextPiece[] = [];
    const stream = chunk === undefined ? undefined : chunks(bytes, chunk);
    for await (const piece of readTextPieces(path, { ...options, stream })) pieces.push(piece);
    return flatten(pieces);
  });
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const cat = (...parts: (Buffer | number[])[]): Buffer => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const utf16le = (s: string): Buffer => cat([0xff, 0xfe], Buffer.from(s, 'utf16le'));
const utf16be = (s: string): Buffer => cat([0xfe, 0xff], Buffer.from(s, 'utf16le').swap16());
const INVALID_LINE_REASON = 'invalid UTF-8 at byte 3 of the line (is the file in another encoding? try --encoding windows-1252)';

test('plain UTF-8: one entry per physical line, \\r kept for the tokenizer, no final newline needed', async () => {
  assert.deepEqual(await read(utf8('a,b\r\nc,d\n\ne€,f')), [[1, 'a,b\r'], [2, 'c,d'], [3, ''], [4, 'e€,f']]);
  assert.deepEqual(await read(utf8('')), []);
  assert.deepEqual(await read(utf8('\n')), [[1, '']]);
});

test('a UTF-8 BOM is stripped', async () => {
  assert.deepEqual(await read(cat(UTF8_BOM, utf8('Timestamp,From Bank\nx,y\n'))), [[1, 'Timestamp,From Bank'], [2, 'x,y']]);
  assert.equal(await withTempFile('h.csv', cat(UTF8_BOM, utf8('Timestamp,x\n')), (p) => readHead(p)), 'Timestamp,x\n');
});

test('UTF-16LE and UTF-16BE files with a BOM are decoded (including characters outside the BMP)', async () => {
  const text = 'é,b\r\n€,d\n𝄞,中文\nlast';
  const expected: Line[] = [[1, 'é,b\r'], [2, '€,d'], [3, '𝄞,中文'], [4, 'last']];
  assert.deepEqual(await read(utf16le(text)), expected);
  assert.deepEqual(await read(utf16be(text)), expected);
  assert.equal(await withTempFile('h.csv', utf16le('a,b\n'), (p) => readHead(p)), 'a,b\n');
  assert.equal(await withTempFile('h.csv', utf16be('a,b\n'), (p) => readHead(p)), 'a,b\n');
});

test('one line of invalid UTF-8: that line alone is bad, with its number and byte; the rest is decoded', async () => {
  const bytes = cat(utf8('a€\n'), utf8('ab'), [0xff], utf8('c\n'), utf8('d中\n'), utf8('x'), [0xe2, 0x82], utf8('\nend'));
  assert.deepEqual(await read(bytes), [
    [1, 'a€'],
    [2, `BAD: ${INVALID_LINE_REASON}`],
    [3, 'd中'],
    [4, 'BAD: invalid UTF-8 at byte 2 of the line (is the file in another encoding? try --encoding windows-1252)'],
    [5, 'end'],
  ]);
});

test('chunk boundaries anywhere (also inside multi-byte characters) give the same lines as the whole file', async () => {
  const bytes = cat(utf8('añ€𝄞,中\n'), utf8('x'), [0xc3], utf8('é\n\r\n'), utf8('ü'.repeat(7)), utf8('\nno final newline €'));
  const whole = await read(bytes);
  assert.deepEqual(whole, [[1, 'añ€𝄞,中'], [2, 'BAD: invalid UTF-8 at byte 2 of the line (is the file in another encoding? try --encoding windows-1252)'], [3, '\r'], [4, 'ü'.repeat(7)], [5, 'no final newline €']]);
  for (const size of [1, 2, 3, 4, 5, 7, 11]) assert.deepEqual(await read(bytes, {}, size), whole, `chunks of ${size} bytes`);
  const wide = utf16le('añ€𝄞,中\nsecond\n');
  const wideWhole = await read(wide);
  assert.deepEqual(wideWhole, [[1, 'añ€𝄞,中'], [2, 'second']]);
  for (const size of [3, 4, 5, 7]) assert.deepEqual(await read(wide, {}, size), wideWhole, `UTF-16 in chunks of ${size} bytes`);
});

test(
  'the reason of an invalid line names its first invalid byte, also after a multi-byte character',
  async () => {
    assert.deepEqual(await read(cat(utf8('é'), [0xff], utf8('\n'))), [[1, 'BAD: invalid UTF-8 at byte 3 of the line (is the file in another encoding? try --encoding windows-1252)']]);
  },
);

test(
  'a BOM split across the first chunks is still recognised',
  async () => {
    const plain = cat(UTF8_BOM, utf8('a,b\nc,d\n'));
    for (const size of [1, 2]) assert.deepEqual(await read(plain, {}, size), [[1, 'a,b'], [2, 'c,d']], `UTF-8 BOM, chunks of ${size}`);
    assert.deepEqual(await read(utf16le('a,b\n'), {}, 1), [[1, 'a,b']], 'UTF-16LE, chunks of 1');
    assert.deepEqual(await read(utf16be('a,b\n'), {}, 1), [[1, 'a,b']], 'UTF-16BE, chunks of 1');
  },
);

test('a line longer than maxLineBytes, arriving byte by byte, is bad; the lines after it keep their numbers', async () => {
  const bytes = utf8(`short\n${'x'.repeat(50)}\nnext\n${'y'.repeat(11)}`);
  assert.deepEqual(await read(bytes, { maxLineBytes: 10 }, 1), [
    [1, 'short'],
    [2, 'BAD: line longer than 10 bytes'],
    [3, 'next'],
    [4, 'BAD: line longer than 10 bytes'],
  ]);
});

test(
  'a line longer than maxLineBytes is bad whatever the chunking (whole file, any chunk size)',
  async () => {
    const bytes = utf8(`short\n${'x'.repeat(50)}\nnext\n`);
    const expected: Line[] = [[1, 'short'], [2, 'BAD: line longer than 10 bytes'], [3, 'next']];
    assert.deepEqual(await read(bytes, { maxLineBytes: 10 }), expected, 'whole file');
    for (const size of [1, 4, 8, 16, 64]) assert.deepEqual(await read(bytes, { maxLineBytes: 10 }, size), expected, `chunks of ${size}`);
  },
);

test(
  'UTF-16: an over-long line is one bad line and the lines after it keep their numbers',
  async () => {
    const bytes = utf16le(`short\n${'x'.repeat(25)}\nnext\n`);
    const expected: Line[] = [[1, 'short'], [2, 'BAD: line longer than 10 characters'], [3, 'next']];
    assert.deepEqual(await read(bytes, { maxLineBytes: 10 }, 4), expected, 'chunks of 4');
    assert.deepEqual(await read(bytes, { maxLineBytes: 10 }), expected, 'whole file');
  },
);

test('declared single-byte encodings decode every byte', async () => {
  const bytes = cat(utf8('Opera'), [0xe7, 0xe3], utf8('o;'), [0x80], utf8('\n'));
  assert.deepEqual(await read(bytes, { encoding: 'windows-1252' }), [[1, 'Operação;€']]);
  assert.deepEqual(await read(bytes, { encoding: 'latin1' }), [[1, 'Operação;€']]); // WHATWG: latin1 is windows-1252
  assert.deepEqual(await read(bytes), [[1, 'BAD: invalid UTF-8 at byte 6 of the line (is the file in another encoding? try --encoding windows-1252)']]);
});

test('onBytes reports the bytes read so far, ending at the file size', async () => {
  const bytes = utf8('a,b\n'.repeat(10));
  const seen: number[] = [];
  await read(bytes, { onBytes: (n) => seen.push(n) }, 7);
  assert.deepEqual(seen, [7, 14, 21, 28, 35, 40]);
});
