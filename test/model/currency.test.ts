/**
 * Specification of money parsing: decimal text → exact integer minor units (never through a float),
 * currency names → canonical codes, minor units → decimal text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currencyCode, formatMinor, isCurrency, minorExponent, minorToMajor, parseAmountMinor } from '../../src/model/currency.js';

/** Assert each [text, exponent, expected] (decimal separator '.' unless given). */
function amounts(cases: [text: string, exponent: number, expected: number, decimal?: '.' | ','][]): void {
  for (const [text, exponent, expected, decimal] of cases) {
    const actual = parseAmountMinor(text, exponent, decimal);
    assert.ok(Object.is(actual, expected), `parseAmountMinor(${JSON.stringify(text)}, ${exponent}, ${JSON.stringify(decimal ?? '.')}) = ${actual}, expected ${expected}`);
  }
}

test('amounts: exact minor units for the exponent of the currency (USD 2, XBT 8, JPY 0, KWD 3, CLF 4)', () => {
  amounts([
    ['10154.74', 2, 1_015_474],
    ['816678677.51', 2, 81_667_867_751],
    ['0.01', 2, 1],
    ['7', 2, 700],
    ['7.5', 2, 750],
    ['0.00012', 8, 12_000],
    ['0.361283', 8, 36_128_300],
    ['21000000', 8, 2_100_000_000_000_000],
    ['1500', 0, 1500],
    ['1.235', 3, 1235],
    ['1.2345', 4, 12_345],
    ['0', 2, 0],
    ['000123.40', 2, 12_340],
  ]);
  // The classic float trap: 0.1 + 0.2 style values stay exact.
  amounts([
    ['0.29', 2, 29],
    ['1.15', 2, 115],
    ['4.35', 2, 435],
    ['1234567.89', 2, 123_456_789],
  ]);
});

test('amounts: extra fraction digits are rounded half away from zero on the first dropped digit', () => {
  amounts([
    ['94401.67', 0, 94_402], // IBM AMLworld writes Yen with two decimals
    ['94401.49', 0, 94_401],
    ['94401.5', 0, 94_402],
    ['2.5', 0, 3],
    ['-2.5', 0, -3],
    ['0.125', 2, 13],
    ['0.1249999', 2, 12],
    ['-0.125', 2, -13],
    ['0.995', 2, 100],
    ['9.999', 2, 1000],
    ['0.123456785', 8, 12_345_679],
    ['0.123456784999', 8, 12_345_678],
    ['1.23456', 3, 1235],
  ]);
});

test('amounts: thousands separators (the other of . and ,, a space or an apostrophe) and the decimal comma', () => {
  amounts([
    ['1,234,567.89', 2, 123_456_789],
    ['1 234 567.89', 2, 123_456_789],
    ["1'234'567.89", 2, 123_456_789],
    ['49,500.00', 2, 4_950_000],
    ['10154,74', 2, 1_015_474, ','],
    ['0,5', 2, 50, ','],
    ['1.234.567,89', 2, 123_456_789, ','],
    ['1 234,5', 2, 123_450, ','],
    ['20.000,00', 2, 2_000_000, ','],
    ['-350,00', 2, -35_000, ','],
  ]);
});

test('amounts: signs and surrounding spaces', () => {
  amounts([
    ['-10154.74', 2, -1_015_474],
    ['+10154.74', 2, 1_015_474],
    ['  12.30  ', 2, 1230],
    [' -0.01', 2, -1],
  ]);
});

test(
  'amounts: negative zero is read as 0',
  () => {
    amounts([
      ['-0', 2, 0],
      ['-0.00', 2, 0],
      ['-0.001', 2, 0],
    ]);
  },
);

test('amounts: garbage is NaN, never a partial number', () => {
  const garbage = ['12a', 'a12', '', '   ', '1.2.3', '--1', '+-1', '-', '+', '.', '1-', '12 a', 'NaN', 'Infinity', '0x10', '1_000', '1e', '$12', '12€', '١٢'];
  for (const text of garbage) assert.ok(Number.isNaN(parseAmountMinor(text, 2)), `parseAmountMinor(${JSON.stringify(text)}, 2) should be NaN`);
  // A number in the other locale is not silently misread.
  assert.ok(Number.isNaN(parseAmountMinor('1.500,00', 2)), '"1.500,00" with decimal "."');
  assert.ok(Number.isNaN(parseAmountMinor('1,234.56', 2, ',')), '"1,234.56" with decimal ","');
  assert.ok(Number.isNaN(parseAmountMinor('1,2,3', 2, ',')), 'two decimal commas');
});

test('amounts: magnitudes that do not fit a safe integer of minor units are NaN', () => {
  amounts([
    ['90071992547409.91', 2, Number.MAX_SAFE_INTEGER],
    ['9007199254740991', 0, Number.MAX_SAFE_INTEGER],
    ['90071992.54740991', 8, Number.MAX_SAFE_INTEGER],
  ]);
  for (const [text, exponent] of [
    ['90071992547409.92', 2],
    ['9007199254740992', 0],
    ['-9007199254740992', 0],
    ['99999999999999999999', 2],
    ['100000000', 8],
    ['1e400', 2],
    ['1e300', 2],
  ] as const) {
    assert.ok(Number.isNaN(parseAmountMinor(text, exponent)), `parseAmountMinor(${JSON.stringify(text)}, ${exponent}) should be NaN`);
  }
});

test('amounts: scientific notation as Java prints doubles (AMLSim writes 1.0E7)', () => {
  amounts([
    ['1.0E7', 2, 1_000_000_000],
    ['1.5e3', 2, 150_000],
    ['2.5E-1', 2, 25],
  ]);
});

test(
  'amounts: scientific notation rounds like plain decimals (half away from zero, no float error)',
  () => {
    amounts([
      ['-2.5e0', 0, -3], // plain '-2.5' gives -3; Math.round(-2.5) gives -2
      ['1.005e0', 2, 101], // plain '1.005' gives 101; 1.005 * 100 = 100.49999999999999 gives 100
    ]);
  },
);

// Regression: src/model/currency.ts parseAmountMinor skips group separators anywhere, so "1,5" with decimal "." reads as 15.00.
test(
  'amounts: a thousands separator must be followed by a group of exactly three digits',
  () => {
    // A decimal-comma amount read with the wrong separator must not become 100 times larger.
    for (const [text, decimal] of [
      ['1,5', '.'],
      ['350,00', '.'],
      ['12,34.5', '.'],
      ['1,,234', '.'],
      ['1234,', '.'],
      ['1.50', ','],
      ['350.00', ','],
    ] as const) {
      const v = parseAmountMinor(text, 2, decimal);
      assert.ok(Number.isNaN(v), `parseAmountMinor(${JSON.stringify(text)}, 2, ${JSON.stringify(decimal)}) = ${v}, expected NaN`);
    }
  },
);

test('currency names written by IBM AMLworld map to ISO 4217 / crypto codes', () => {
  const ibm: Record<string, string> = {
    'US Dollar': 'USD',
    Euro: 'EUR',
    Yuan: 'CNY',
    Yen: 'JPY',
    Rupee: 'INR',
    Ruble: 'RUB',
    'UK Pound': 'GBP',
    'Canadian Dollar': 'CAD',
    'Australian Dollar': 'AUD',
    'Swiss Franc': 'CHF',
    'Mexican Peso': 'MXN',
    'Brazil Real': 'BRL',
    'Saudi Riyal': 'SAR',
    Shekel: 'ILS',
    Bitcoin: 'XBT',
  };
  for (const [name, code] of Object.entries(ibm)) {
    assert.equal(currencyCode(name), code, name);
    assert.equal(currencyCode(` ${name.toUpperCase()} `), code, `${name} upper-cased and padded`);
  }
});

test('currency codes resolve case-insensitively; unknown names and retired codes are undefined', () => {
  assert.equal(currencyCode('usd'), 'USD');
  assert.equal(currencyCode(' EUR '), 'EUR');
  assert.equal(currencyCode('XBT'), 'XBT');
  assert.equal(currencyCode('BTC'), 'XBT');
  assert.equal(currencyCode('usdt'), 'USDT');
  for (const unknown of ['', ' ', 'Dollar', 'Peso', 'MXP', 'XYZ', 'US Dollars', 'U S Dollar', 'EURO2']) {
    assert.equal(currencyCode(unknown), undefined, JSON.stringify(unknown));
  }
});

// Regression: src/model/currency.ts currencyCode looks names up in a plain object literal (NAMES[...]) and returns Object.prototype members.
test(
  'currency names that are Object.prototype keys are unknown, not prototype members',
  () => {
    for (const name of ['constructor', '__proto__', 'Constructor', '__PROTO__']) {
      assert.equal(currencyCode(name), undefined, JSON.stringify(name));
    }
  },
);

test('minor-unit exponents and currency membership', () => {
  assert.equal(minorExponent('USD'), 2);
  assert.equal(minorExponent('JPY'), 0);
  assert.equal(minorExponent('KWD'), 3);
  assert.equal(minorExponent('CLF'), 4);
  assert.equal(minorExponent('XBT'), 8);
  assert.equal(minorExponent('USDT'), 6);
  assert.throws(() => minorExponent('XYZ'), /unknown currency "XYZ"/);
  assert.throws(() => minorExponent('usd'), /unknown currency/);
  assert.equal(isCurrency('MXN'), true);
  assert.equal(isCurrency('MXP'), false);
  assert.equal(isCurrency('mxn'), false);
});

test('formatMinor writes the exact decimal text; parse(format(x)) is x', () => {
  assert.equal(formatMinor(1_015_474, 'USD'), '10154.74');
  assert.equal(formatMinor(5, 'USD'), '0.05');
  assert.equal(formatMinor(-5, 'USD'), '-0.05');
  assert.equal(formatMinor(-1_015_474, 'USD'), '-10154.74');
  assert.equal(formatMinor(94_402, 'JPY'), '94402');
  assert.equal(formatMinor(36_128_300, 'XBT'), '0.36128300');
  assert.equal(formatMinor(1235, 'KWD'), '1.235');
  assert.equal(formatMinor(Number.MAX_SAFE_INTEGER, 'USD'), '90071992547409.91');
  assert.throws(() => formatMinor(1, 'XYZ'), /unknown currency/);
  for (const [minor, code] of [
    [0, 'USD'], [1, 'USD'], [99, 'USD'], [100, 'USD'], [-1, 'USD'], [123_456_789, 'EUR'], [7, 'JPY'], [1, 'XBT'],
    [Number.MAX_SAFE_INTEGER, 'XBT'], [-Number.MAX_SAFE_INTEGER, 'USD'], [1001, 'KWD'],
  ] as const) {
    assert.equal(parseAmountMinor(formatMinor(minor, code), minorExponent(code)), minor, `${minor} ${code}`);
  }
  assert.equal(minorToMajor(1_015_474, 'USD'), 10154.74);
  assert.equal(minorToMajor(94_402, 'JPY'), 94402);
});
