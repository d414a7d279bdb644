/**
 * Specification of timestamp parsing: text → UTC epoch milliseconds, NaN for anything that is not a real
 * instant (never a silently shifted date).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, formatIso, parseIbmTimestamp, parseIso, parseTimestamp, utcInstant } from '../../src/model/time.js';

/** ISO text of an instant for messages; 'not a Date' outside the range JS dates hold. */
function show(v: number): string {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? 'not a Date' : d.toISOString();
}

function nan(fn: (t: string) => number, inputs: string[], label: string): void {
  for (const text of inputs) {
    const v = fn(text);
    assert.ok(Number.isNaN(v), `${label}(${JSON.stringify(text)}) = ${v} (${show(v)}), expected NaN`);
  }
}

test('IBM AMLworld timestamps: YYYY/MM/DD HH:MM in UTC, to the exact epoch millisecond', () => {
  assert.equal(parseIbmTimestamp('2022/09/01 02:38'), 1_661_999_880_000);
  assert.equal(parseIbmTimestamp('2022/09/01 02:38'), Date.UTC(2022, 8, 1, 2, 38));
  assert.equal(parseIbmTimestamp('2022/09/01 00:00'), 1_661_990_400_000);
  assert.equal(parseIbmTimestamp('2022/12/31 23:59'), Date.UTC(2022, 11, 31, 23, 59));
  assert.equal(parseIbmTimestamp('2020/02/29 12:00'), Date.UTC(2020, 1, 29, 12), 'leap year');
  assert.equal(parseIbmTimestamp('2000/02/29 12:00'), Date.UTC(2000, 1, 29, 12), 'divisible by 400');
  assert.equal(parseIbmTimestamp('1970/01/01 00:00'), 0);
});

test('IBM timestamps: impossible dates and other shapes are NaN', () => {
  nan(parseIbmTimestamp, [
    '2022/02/29 00:00', // not a leap year
    '1900/02/29 00:00', // divisible by 100, not by 400
    '2022/13/01 00:00',
    '2022/00/10 00:00',
    '2022/04/31 00:00',
    '2022/09/00 00:00',
    '2022/09/32 00:00',
    '2022/09/01 24:00',
    '2022/09/01 23:60',
    '2022-09-01 02:38',
    '2022/9/1 2:38',
    '2022/09/01 02:38:00',
    '2022/09/01T02:38',
    ' 2022/09/01 02:38',
    '2022/09/01 02:3a',
    '+022/09/01 02:38',
    '2022/09/01 -2:38',
    '',
    'Timestamp',
  ], 'parseIbmTimestamp');
});

// Regression: src/model/time.ts utcInstant calls Date.UTC, which maps years 0-99 to 1900-1999.
test(
  'years before 100 are not shifted into the 1900s',
  () => {
    for (const [text, v] of [
      ['0022/09/01 02:38', parseIbmTimestamp('0022/09/01 02:38')],
      ['0050-01-01', parseIso('0050-01-01')],
      ['0099-12-31T00:00:00Z', parseIso('0099-12-31T00:00:00Z')],
    ] as const) {
      // Either refused, or the year as written; never 1922 / 1950 / 1999.
      const year = Number(text.slice(0, 4));
      assert.ok(Number.isNaN(v) || new Date(v).getUTCFullYear() === year, `${text} read as ${show(v)}`);
    }
  },
);

test('utcInstant: the fields of a real instant, NaN for impossible ones', () => {
  assert.equal(utcInstant(2022, 9, 1, 2, 38), Date.UTC(2022, 8, 1, 2, 38));
  assert.equal(utcInstant(2024, 2, 29), Date.UTC(2024, 1, 29));
  assert.equal(utcInstant(2022, 9, 1, 2, 38, 5, 250), Date.UTC(2022, 8, 1, 2, 38, 5, 250));
  assert.equal(utcInstant(2016, 12, 31, 23, 59, 60), Date.UTC(2016, 11, 31, 23, 59, 59), 'a leap second stays in its minute');
  for (const fields of [
    [2022, 2, 29], [2022, 4, 31], [2022, 6, 31], [2022, 9, 31], [2022, 11, 31], [2022, 13, 1], [2022, 0, 1], [2022, 1, 0],
    [2022, 1, 1, 24], [2022, 1, 1, -1], [2022, 1, 1, 0, 60], [2022, 1, 1, 0, 0, 61], [2022, 1, 1, 0, 0, 0, 1000],
    [0, 1, 1], [10000, 1, 1], [NaN, 1, 1],
  ] as const) {
    const v = utcInstant(...(fields as unknown as [number, number, number]));
    assert.ok(Number.isNaN(v), `utcInstant(${fields.join(', ')}) = ${v}`);
  }
});

test('ISO 8601: Z, offsets (+HH:MM, +HHMM, +HH) and no zone (UTC); date only; fractions', () => {
  const base = Date.UTC(2022, 8, 1, 2, 38);
  assert.equal(parseIso('2022-09-01T02:38:00Z'), base);
  assert.equal(parseIso('2022-09-01T02:38:00'), base, 'no zone means UTC');
  assert.equal(parseIso('2022-09-01 02:38'), base, 'space separator, no seconds');
  assert.equal(parseIso('2022-09-01T02:38Z'), base);
  assert.equal(parseIso('2022-09-01T02:38:00+02:00'), base - 2 * 3_600_000);
  assert.equal(parseIso('2022-09-01T02:38:00-03:00'), base + 3 * 3_600_000);
  assert.equal(parseIso('2022-09-01T02:38:00-0300'), base + 3 * 3_600_000);
  assert.equal(parseIso('2022-09-01T02:38:00+05:30'), base - 5.5 * 3_600_000);
  assert.equal(parseIso('2022-09-01T02:38:00+05'), base - 5 * 3_600_000);
  assert.equal(parseIso('2022-09-01T02:38:00.5Z'), base + 500);
  assert.equal(parseIso('2022-09-01T02:38:00.123456789Z'), base + 123, 'fraction truncated to milliseconds');
  assert.equal(parseIso('2022-09-01T02:38:00,250Z'), base + 250);
  assert.equal(parseIso('2022-09-01'), Date.UTC(2022, 8, 1));
  assert.equal(parseIso('  2022-09-01T02:38:00Z  '), base);
  // Agrees with the platform parser where both are defined.
  for (const t of ['2022-09-01T02:38:00Z', '2022-09-01T02:38:00+02:00', '2022-09-01T02:38:00.5-07:00', '2024-02-29T23:59:59Z']) {
    assert.equal(parseIso(t), Date.parse(t), t);
  }
});

test('ISO 8601: impossible dates and loose shapes are NaN', () => {
  nan(parseIso, [
    '2022-9-1',
    '2022-09-1',
    '22-09-01',
    '2022/09/01',
    '2022-02-29',
    '2022-02-29T00:00:00Z',
    '2022-13-01T00:00:00Z',
    '2022-04-31',
    '2022-09-01T24:00:00Z',
    '2022-09-01T23:60:00Z',
    '2022-09-01T02:38:00+2',
    '2022-09-01T02:38:00ZZ',
    '2022-09-01T2:38:00Z',
    '2022-09-01T02',
    '2022-09-01T02:38:00 UTC',
    '',
    'not a date',
    '1661999880000',
  ], 'parseIso');
});

// Regression: src/model/time.ts parseIso applies any two-digit offset (+99:99 shifts by 100 h 39 min).
test(
  'ISO 8601: offsets outside ±23:59 or with minutes over 59 are NaN',
  () => {
    nan(parseIso, ['2022-09-01T02:38:00+99:99', '2022-09-01T02:38:00+05:75', '2022-09-01T02:38:00-25:00'], 'parseIso');
  },
);

test('patterns: DD/MM/YYYY HH:mm and friends, literals must match, fields must be real', () => {
  const base = Date.UTC(2022, 8, 1, 2, 38);
  assert.equal(parseTimestamp('01/09/2022 02:38', 'DD/MM/YYYY HH:mm'), base);
  assert.equal(parseTimestamp(' 01/09/2022 02:38 ', 'DD/MM/YYYY HH:mm'), base, 'surrounding spaces');
  assert.equal(parseTimestamp('09/01/2022 02:38', 'MM/DD/YYYY HH:mm'), base);
  assert.equal(parseTimestamp('03/06/2024 09:14:27', 'DD/MM/YYYY HH:mm:ss'), Date.UTC(2024, 5, 3, 9, 14, 27));
  assert.equal(parseTimestamp('20220901', 'YYYYMMDD'), Date.UTC(2022, 8, 1));
  assert.equal(parseTimestamp('2022.09.01 02:38:05.042', 'YYYY.MM.DD HH:mm:ss.SSS'), base + 5042);
  nan((t) => parseTimestamp(t, 'DD/MM/YYYY HH:mm'), [
    '31/04/2024 10:00',
    '29/02/2023 10:00',
    '01/13/2022 02:38',
    '1/9/2022 02:38',
    '01-09-2022 02:38',
    '01/09/2022',
    '01/09/2022 02:38:00',
    '01/09/2022 24:00',
    'aa/09/2022 02:38',
    '',
  ], 'DD/MM/YYYY HH:mm');
  assert.throws(() => compilePattern('HH:mm'), /needs YYYY, MM and DD/);
  assert.throws(() => parseTimestamp('01/09', 'DD/MM'), /needs YYYY, MM and DD/);
});

test('epoch formats: integer milliseconds, (fractional) seconds', () => {
  assert.equal(parseTimestamp('1661999880000', 'epoch-ms'), 1_661_999_880_000);
  assert.equal(parseTimestamp(' 1661999880000 ', 'epoch-ms'), 1_661_999_880_000);
  assert.equal(parseTimestamp('0', 'epoch-ms'), 0);
  assert.equal(parseTimestamp('-1000', 'epoch-ms'), -1000);
  assert.equal(parseTimestamp('1661999880', 'epoch-s'), 1_661_999_880_000);
  assert.equal(parseTimestamp('1661999880.5', 'epoch-s'), 1_661_999_880_500);
  nan((t) => parseTimestamp(t, 'epoch-ms'), ['', ' ', 'abc', '1.5', '12a', 'NaN', '9007199254740993'], 'epoch-ms');
  nan((t) => parseTimestamp(t, 'epoch-s'), ['', ' ', 'abc', 'Infinity', '12a'], 'epoch-s');
});

// Regression: src/model/time.ts parseTimestamp epoch-s returns 1e+303 for "1e300" (not a safe integer) and epoch-ms accepts 9e15 (outside the Date range: formatIso throws) and hex "0x10".
test(
  'epoch formats: only decimal numbers naming an instant JS dates can hold (|ms| ≤ 8.64e15) are accepted',
  () => {
    nan((t) => parseTimestamp(t, 'epoch-s'), ['1e300', '99999999999999', '0x10'], 'epoch-s');
    nan((t) => parseTimestamp(t, 'epoch-ms'), ['9000000000000000', '8640000000000001', '0x10', '1e3'], 'epoch-ms');
  },
);

test('formatIso: seconds precision unless milliseconds are present; parseIso(formatIso(t)) is t', () => {
  assert.equal(formatIso(1_661_999_880_000), '2022-09-01T02:38:00Z');
  assert.equal(formatIso(1_661_999_880_500), '2022-09-01T02:38:00.500Z');
  assert.equal(formatIso(0), '1970-01-01T00:00:00Z');
  for (const t of [0, 1, 1_661_999_880_000, 1_661_999_880_999, Date.UTC(2024, 1, 29, 23, 59, 59, 7)]) {
    assert.equal(parseIso(formatIso(t)), t, String(t));
  }
});

test('parseIso: the fixed-shape fast path agrees with the general reading', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 2_000; i++) {
    const ms = Math.floor((rand() * 2 - 0.5) * 4e12);
    const full = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    assert.equal(parseIso(full), ms, full);
    assert.equal(parseIso(`${full.slice(0, 19)}Z`), ms - (ms % 1000 + 1000) % 1000, full);
  }
  for (const bad of ['2024-02-30T10:00:00Z', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:60:00Z', '2024-01-01T00:00:0xZ', '2024-01-01X00:00:00Z', '2024-01-01T00:00:00.12xZ']) {
    assert.ok(Number.isNaN(parseIso(bad)), bad);
  }
  // Same length, other shapes: left to the expression, which reads them.
  assert.equal(parseIso('2024-01-01 10:00:00Z'), Date.UTC(2024, 0, 1, 10));
  assert.equal(parseIso('2024-01-01T10:00:00+0000'), Date.UTC(2024, 0, 1, 10));
  assert.equal(parseIso('2024-01-01T10:00:00,5Z'), Date.UTC(2024, 0, 1, 10, 0, 0, 500));
});
