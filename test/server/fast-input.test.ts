/**
 * The hot-path reader of POST /api/transactions accepts exactly what the zod schema accepts, and reads it the
 * same way: every case is checked against `TransactionIn` itself, valid ones field by field.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fastBatch, fastTransaction } from '../../src/server/fast-input.js';
import { TransactionIn } from '../../src/server/schemas.js';
import { parseIso } from '../../src/model/time.js';

const base = { id: 'T1', time: '2024-03-01T10:00:00Z', fromAccount: 'A/1', toAccount: 'B/2', amountMinor: 12_345, currency: 'USD', channel: 'wire' };

const cases: [string, unknown][] = [
  ['minimal', base],
  ['no channel (default other)', { ...base, channel: undefined }],
  ['all optional fields', { ...base, fromCountry: 'US', toCountry: 'MX', originalAmountMinor: 250_000, originalCurrency: 'MXN' }],
  ['offset time', { ...base, time: '2024-03-01T10:00:00.123+05:30' }],
  ['date only', { ...base, time: '2024-03-01' }],
  ['zero amount', { ...base, amountMinor: 0 }],
  ['200-character id', { ...base, id: 'x'.repeat(200) }],
  ['non-ASCII account', { ...base, fromAccount: 'ES91 2100 0418 4502 0005 1332 — ñ' }],
  ['extra field', { ...base, note: 'x' }],
  ['missing id', { ...base, id: undefined }],
  ['empty id', { ...base, id: '' }],
  ['201-character id', { ...base, id: 'x'.repeat(201) }],
  ['numeric id', { ...base, id: 7 }],
  ['bad time', { ...base, time: '2024-13-45T99:00:00Z' }],
  ['time as number', { ...base, time: 1_700_000_000_000 }],
  ['negative amount', { ...base, amountMinor: -1 }],
  ['fractional amount', { ...base, amountMinor: 1.5 }],
  ['unsafe amount', { ...base, amountMinor: 2 ** 60 }],
  ['amount as string', { ...base, amountMinor: '100' }],
  ['unknown currency', { ...base, currency: 'XXQ' }],
  ['lower-case currency', { ...base, currency: 'usd' }],
  ['unknown channel', { ...base, channel: 'pigeon' }],
  ['null channel', { ...base, channel: null }],
  ['lower-case country', { ...base, fromCountry: 'us' }],
  ['three-letter country', { ...base, toCountry: 'USA' }],
  ['null country', { ...base, toCountry: null }],
  ['bad original currency', { ...base, originalCurrency: 'ZZZ' }],
  ['negative original amount', { ...base, originalAmountMinor: -5 }],
  ['array', [base]],
  ['null', null],
  ['string', 'T1'],
];

for (const [name, raw] of cases) {
  test(`fast input agrees with TransactionIn: ${name}`, () => {
    // JSON round trip: what the server parses (undefined fields vanish as they would on the wire).
    const value: unknown = JSON.parse(JSON.stringify(raw));
    const zod = TransactionIn.safeParse(value);
    const fast = fastTransaction(value);
    if (!zod.success) {
      assert.equal(fast, undefined, 'the fast reader must leave rejected input to zod');
      return;
    }
    // Valid input: the fast reader must take it (else the hot path is not the common path) and read it alike.
    assert.ok(fast, 'valid input read by the fast path');
    const z = zod.data;
    assert.deepEqual(fast, {
      id: z.id,
      timeMs: parseIso(z.time),
      fromAccount: z.fromAccount,
      toAccount: z.toAccount,
      amountMinor: z.amountMinor,
      currency: z.currency,
      channel: z.channel,
      ...(z.fromCountry !== undefined ? { fromCountry: z.fromCountry } : {}),
      ...(z.toCountry !== undefined ? { toCountry: z.toCountry } : {}),
      ...(z.originalAmountMinor !== undefined ? { originalAmountMinor: z.originalAmountMinor } : {}),
      ...(z.originalCurrency !== undefined ? { originalCurrency: z.originalCurrency } : {}),
    });
  });
}

test('fast batch: every transaction read, or none (zod then judges the whole batch)', () => {
  const good = [base, { ...base, id: 'T2' }];
  assert.equal(fastBatch(good, 10)?.length, 2);
  assert.equal(fastBatch([base, { ...base, amountMinor: -1 }], 10), undefined);
  assert.equal(fastBatch([], 10), undefined);
  assert.equal(fastBatch(good, 1), undefined, 'over the batch limit');
});

test('fast input ignores inherited properties and refuses own __proto__ keys', () => {
  const withProto: unknown = JSON.parse(`{"id":"T1","time":"2024-03-01T10:00:00Z","fromAccount":"A","toAccount":"B","amountMinor":1,"currency":"USD","__proto__":{"x":1}}`);
  assert.equal(fastTransaction(withProto), undefined);
  assert.equal(TransactionIn.safeParse(withProto).success, false);
});
