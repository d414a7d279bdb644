/**
 * Specification of the streaming CSV tokenizer: given text pieces (whole lines with their first line number),
 * exactly these records (fields, starting physical line) and these bad records (line, reason).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CsvTokenizer, csvEscape, type CsvOptions, type CsvSink } from '../../src/ingest/csv.js';
import type { TextPiece } from '../../src/ingest/text.js';

type Event = ['rec', number, string[]] | ['bad', number, string];

/** Tokenize pieces; records as ['rec', line, fields], bad records as ['bad', line, reason]. */
function tokenize(pieces: TextPiece[] | string, options?: CsvOptions): Event[] {
  const list = typeof pieces === 'string' ? [{ text: pieces, firstLine: 1 }] : pieces;
  const tokenizer = new CsvTokenizer(options);
  const events: Event[] = [];
  const sink: CsvSink = {
    record: (fields, count, line) => events.push(['rec', line, fields.slice(0, count)]),
    bad: (line, reason) => events.push(['bad', line, reason]),
  };
  for (const piece of list) tokenizer.push(piece, sink);
  tokenizer.end(sink);
  return events;
}

/** The same text cut into one piece per line (pieces are always whole lines). */
function perLine(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let line = 1;
  for (const part of text.split(/(?<=\n)/)) pieces.push({ text: part, firstLine: line++ });
  return pieces;
}

test('plain records: fields split on the delimiter, empty fields kept, line numbers physical', () => {
  assert.deepEqual(tokenize('a,b,c\n1,,3\n,\nx\n'), [
    ['rec', 1, ['a', 'b', 'c']],
    ['rec', 2, ['1', '', '3']],
    ['rec', 3, ['', '']],
    ['rec', 4, ['x']],
  ]);
});

test('quoted fields: commas inside, doubled quotes, empty quoted fields, a trailing delimiter', () => {
  assert.deepEqual(tokenize('a,"b,c",d\n"x ""q"" y",2\n"","",""\n"a",\n"""",x\n'), [
    ['rec', 1, ['a', 'b,c', 'd']],
    ['rec', 2, ['x "q" y', '2']],
    ['rec', 3, ['', '', '']],
    ['rec', 4, ['a', '']],
    ['rec', 5, ['"', 'x']],
  ]);
});

test('a quoted newline keeps the record on its starting line; the next record has its own physical line', () => {
  assert.deepEqual(tokenize('h1,h2\n"multi\nline",z\nnext,1\n"three\n\nlines",w\nlast,2\n'), [
    ['rec', 1, ['h1', 'h2']],
    ['rec', 2, ['multi\nline', 'z']],
    ['rec', 4, ['next', '1']],
    ['rec', 5, ['three\n\nlines', 'w']],
    ['rec', 8, ['last', '2']],
  ]);
});

test('CRLF line ends: no \\r in fields, a quoted CRLF becomes \\n; blank lines (also \\r\\n alone) are skipped', () => {
  assert.deepEqual(tokenize('a,b\r\n"c\r\nd",e\r\n\r\n\n  \r\nf,g\r\nlast,"q"\r\n'), [
    ['rec', 1, ['a', 'b']],
    ['rec', 2, ['c\nd', 'e']],
    ['rec', 6, ['  ']],
    ['rec', 7, ['f', 'g']],
    ['rec', 8, ['last', 'q']],
  ]);
});

test('a file without a final newline still yields its last record', () => {
  assert.deepEqual(tokenize('a,b\nc,d'), [['rec', 1, ['a', 'b']], ['rec', 2, ['c', 'd']]]);
  assert.deepEqual(tokenize('a,b\n"c",d'), [['rec', 1, ['a', 'b']], ['rec', 2, ['c', 'd']]]);
});

test('a quoted record split across two pieces is joined; the following record keeps its line', () => {
  const pieces: TextPiece[] = [
    { text: 'a,"b\n', firstLine: 1 },
    { text: 'c",d\ne,f\n', firstLine: 2 },
  ];
  assert.deepEqual(tokenize(pieces), [
    ['rec', 1, ['a', 'b\nc', 'd']],
    ['rec', 3, ['e', 'f']],
  ]);
});

test('cutting the input into one piece per line changes nothing', () => {
  const text = 'id,amount,memo\n1,"1,000.00","say ""hi"""\n2,5,"two\nlines"\r\n\n3,7,x\n"4",8,"a\n\n\nb"\n5,9,end';
  const whole = tokenize(text);
  assert.deepEqual(tokenize(perLine(text)), whole);
  assert.equal(whole.length, 6);
  assert.deepEqual(whole.map((e) => e[1]), [1, 2, 3, 6, 7, 11]);
});

test('an unterminated quote at end of input is one bad record at its starting line ("unterminated")', () => {
  assert.deepEqual(tokenize('a,b\nc,"open\nd,e\n'), [
    ['rec', 1, ['a', 'b']],
    ['bad', 2, 'unterminated quoted field (file truncated?)'],
  ]);
  assert.deepEqual(tokenize('a,b\n"x'), [
    ['rec', 1, ['a', 'b']],
    ['bad', 2, 'unterminated quoted field (file truncated?)'],
  ]);
});

test('text after a closing quote makes the record bad, with the column; the next line is read normally', () => {
  assert.deepEqual(tokenize('"ab"x,c\nd,e\nf,"g" ,h\ni,j\n'), [
    ['bad', 1, 'unexpected character "x" after closing quote at column 5'],
    ['rec', 2, ['d', 'e']],
    ['bad', 3, 'unexpected character " " after closing quote at column 6'],
    ['rec', 4, ['i', 'j']],
  ]);
});

test('an over-long record (unbalanced quote) is bad at its first line; the lines after it are read again', () => {
  const events = tokenize(`1,2\n"${'z'.repeat(30)}\nq,r\ns,t\n`, { maxRecordChars: 20 });
  assert.deepEqual(events, [
    ['rec', 1, ['1', '2']],
    ['bad', 2, 'record longer than 20 characters (unbalanced quote?)'],
    ['rec', 3, ['q', 'r']],
    ['rec', 4, ['s', 't']],
  ]);
});

test('a record with more fields than maxFields is bad; the next one is read', () => {
  assert.deepEqual(tokenize('a,b,c,d\nx,y\n"a",b,c,d\n', { maxFields: 3 }), [
    ['bad', 1, 'more than 3 fields'],
    ['rec', 2, ['x', 'y']],
    ['bad', 3, 'more than 3 fields'],
  ]);
});

test('other delimiters: ";" (commas are then plain text), tab, pipe', () => {
  assert.deepEqual(tokenize('a;b;"c;d"\n1,5;2\n', { delimiter: ';' }), [
    ['rec', 1, ['a', 'b', 'c;d']],
    ['rec', 2, ['1,5', '2']],
  ]);
  assert.deepEqual(tokenize('a\tb\t"c\td"\nx y\t\n', { delimiter: '\t' }), [
    ['rec', 1, ['a', 'b', 'c\td']],
    ['rec', 2, ['x y', '']],
  ]);
  assert.deepEqual(tokenize('RM-1|"a|b"|c\n', { delimiter: '|' }), [['rec', 1, ['RM-1', 'a|b', 'c']]]);
  for (const bad of ['"', '\n', '\r', ',,', '']) {
    assert.throws(() => new CsvTokenizer({ delimiter: bad }), /delimiter must be one character/, JSON.stringify(bad));
  }
});

test('lines the text source marked bad are bad records with its reason; a quoted record running into one is bad', () => {
  const badLines = new Map([[2, 'invalid UTF-8 at byte 3 of the line']]);
  assert.deepEqual(tokenize([{ text: 'a,b\n\nc,d\n', firstLine: 1, badLines }]), [
    ['rec', 1, ['a', 'b']],
    ['bad', 2, 'invalid UTF-8 at byte 3 of the line'],
    ['rec', 3, ['c', 'd']],
  ]);
  const events = tokenize([
    { text: 'x,"a\n', firstLine: 1 },
    { text: '\n', firstLine: 2, badLines: new Map([[2, 'line longer than 10 bytes']]) },
    { text: 'k,l\n', firstLine: 3 },
  ]);
  assert.deepEqual(events, [
    ['bad', 1, 'record starting here spans a bad line 2: line longer than 10 bytes'],
    ['rec', 3, ['k', 'l']],
  ]);
});

test(
  'a last line that is bad and has no final newline (an empty piece carrying only its bad line) is a bad record',
  () => {
    const pieces: TextPiece[] = [
      { text: 'a,b\n', firstLine: 1 },
      { text: '', firstLine: 2, badLines: new Map([[2, 'invalid UTF-8 at byte 3 of the line']]) },
    ];
    assert.deepEqual(tokenize(pieces), [
      ['rec', 1, ['a', 'b']],
      ['bad', 2, 'invalid UTF-8 at byte 3 of the line'],
    ]);
  },
);

test('raw() is the text of the record last delivered', () => {
  const tokenizer = new CsvTokenizer();
  const raws: string[] = [];
  const sink: CsvSink = { record: () => raws.push(tokenizer.raw()), bad: () => raws.push('BAD') };
  tokenizer.push({ text: 'a,b\r\n"c\nd",e\n"q""",r\n', firstLine: 1 }, sink);
  tokenizer.end(sink);
  assert.deepEqual(raws, ['a,b', '"c\nd",e', '"q""",r']);
});

// Regression: src/ingest/csv.ts push() opens a multi-line record at any quote on the line, so rows after `ab"c` vanish into one "unterminated" reject.
test(
  'a stray quote inside an unquoted field does not swallow the rows after it',
  () => {
    assert.deepEqual(tokenize('h1,h2\nab"c,d\ne,f\ng,h""\n'), [
      ['rec', 1, ['h1', 'h2']],
      ['rec', 2, ['ab"c', 'd']], // a quote inside an unquoted field is a literal character
      ['rec', 3, ['e', 'f']],
      ['rec', 4, ['g', 'h""']],
    ]);
  },
);

test('csvEscape quotes only when needed and round-trips through the tokenizer', () => {
  assert.equal(csvEscape('plain'), 'plain');
  assert.equal(csvEscape('a,b'), '"a,b"');
  assert.equal(csvEscape('say "hi"'), '"say ""hi"""');
  assert.equal(csvEscape('two\nlines'), '"two\nlines"');
  const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', '', '"', 'x\r\ny'];
  const line = values.map(csvEscape).join(',');
  const [event] = tokenize(`${line}\n`);
  assert.deepEqual(event, ['rec', 1, values.map((v) => v.replace(/\r\n/g, '\n'))]);
});
