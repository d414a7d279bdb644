/**
 * Specification of the IBM AMLworld writer: amounts, timestamps, currency names and payment formats exactly
 * as IBM writes them, and the byte encoder agreeing with the text functions on every value.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currencyCode, parseAmountMinor, minorExponent } from '../../src/model/index.js';
import { IbmRowFormat, ibmAmount, ibmCurrencyName, ibmPaymentFormat, ibmTimestamp, minuteStamps } from '../../src/scenario/formats/ibm-aml.js';
import { Rng, World } from '../../src/scenario/index.js';

test('amounts: two decimals for every fiat currency (Yen too), crypto with its significant decimals', () => {
  assert.equal(ibmAmount(1_015_474, 'AUD'), '10154.74');
  assert.equal(ibmAmount(5, 'USD'), '0.05');
  assert.equal(ibmAmount(0, 'EUR'), '0.00');
  assert.equal(ibmAmount(94_402, 'JPY'), '94402.00');
  assert.equal(ibmAmount(36_128_300, 'XBT'), '0.361283');
  assert.equal(ibmAmount(100_000_000, 'XBT'), '1.00');
  assert.equal(ibmAmount(81_667_867_751, 'USD'), '816678677.51');
  assert.throws(() => ibmAmount(-1, 'USD'));
  assert.throws(() => ibmAmount(1.5, 'USD'));
});

test('timestamps YYYY/MM/DD HH:MM in UTC, and the day table agrees with them', () => {
  assert.equal(ibmTimestamp(Date.UTC(2022, 8, 1, 2, 38)), '2022/09/01 02:38');
  const day = Date.UTC(2024, 1, 29);
  const stamps = minuteStamps(day);
  assert.equal(stamps.length, 1440);
  for (const m of [0, 59, 60, 721, 1439]) assert.equal(stamps[m], ibmTimestamp(day + m * 60_000));
});

test('currency names and payment formats are IBM\'s and read back to the same codes and channels', () => {
  for (const [code, name] of [['USD', 'US Dollar'], ['EUR', 'Euro'], ['MXN', 'Mexican Peso'], ['COP', 'Colombian Peso'], ['GTQ', 'Quetzal'], ['HNL', 'Lempira'], ['XBT', 'Bitcoin'], ['GBP', 'UK Pound']]) {
    assert.equal(ibmCurrencyName(code!), name);
    assert.equal(currencyCode(name!), code);
  }
  assert.deepEqual(
    (['ach', 'wire', 'cash', 'cheque', 'card', 'reinvestment', 'crypto'] as const).map(ibmPaymentFormat),
    ['ACH', 'Wire', 'Cash', 'Cheque', 'Credit Card', 'Reinvestment', 'Bitcoin'],
  );
  assert.throws(() => ibmPaymentFormat('mobile'));
  assert.throws(() => ibmCurrencyName('ZAR'));
});

test('the byte encoder writes exactly the text row, for any amount in any currency', () => {
  const world = new World({ accounts: 600, days: 2, seed: 1, startMs: Date.UTC(2022, 8, 1) });
  const format = new IbmRowFormat(world);
  const rng = new Rng(4);
  for (let i = 0; i < 5_000; i++) {
    const currency = rng.pick(['USD', 'EUR', 'COP', 'JPY', 'XBT', 'MXN']);
    const paidCurrency = rng.chance(0.5) ? currency : rng.pick(['USD', 'EUR', 'XBT']);
    const amount = Math.floor(10 ** (rng.next() * 13));
    const paid = rng.chance(0.5) ? amount : Math.floor(10 ** (rng.next() * 13));
    const from = rng.int(world.accountCount);
    const to = rng.int(world.accountCount);
    const row = format.body(from, to, amount, currency, paid, paidCurrency, 'wire', i % 2 === 0);
    assert.equal(row, `,${world.bankCode(from)},${world.accountHex(from)},${world.bankCode(to)},${world.accountHex(to)},${ibmAmount(amount, currency)},${ibmCurrencyName(currency)},${ibmAmount(paid, paidCurrency)},${ibmCurrencyName(paidCurrency)},Wire,${i % 2 === 0 ? 1 : 0}`);
    const f = row.split(',');
    assert.equal(parseAmountMinor(f[5]!, minorExponent(currency)), amount, 'reads back to the same minor units');
  }
});
