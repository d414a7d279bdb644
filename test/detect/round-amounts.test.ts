import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRules, RulesError } from '../../src/detect/index.js';
import { DAY, HOUR, only, scan, sorted, T0, World } from '../helpers/world.js';

const RULES = only({ 'round-amounts': {} });

function rejects(params: Record<string, unknown>, path: RegExp): void {
  assert.throws(
    () => parseRules({ typologies: { 'round-amounts': params } }, 'r.yaml'),
    (e: Error) => e instanceof RulesError && path.test(e.message),
  );
}

describe('round-amounts', () => {
  it('given one account sending 10,000, 25,000 and 15,000 USD to 3 new accounts within 2 days, raises one alert with those transfers', () => {
    const w = new World();
    w.tx('A', 'GROCER', 123.45, 0);
    const ids = [w.tx('A', 'R1', 10_000, 40 * DAY), w.tx('A', 'R2', 25_000, 40 * DAY + 30 * HOUR), w.tx('A', 'R3', 15_000, 42 * DAY)];
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    const a = alerts[0]!;
    assert.equal(a.typology, 'round-amounts');
    assert.deepEqual(sorted(a.transactions), sorted(ids));
    assert.deepEqual(sorted(a.accounts), ['A', 'R1', 'R2', 'R3']);
    assert.equal(a.amountMinor, 50_000_00);
    assert.ok(a.score >= 0.65, `score ${a.score}`);
    assert.equal(a.explanation, 'A sent 3 round-amount transfers totalling 50,000.00 USD to 3 accounts within 2 days, 3 of them to a new counterparty');
  });

  it('given 4 senders paying one account 20,000 USD each within 3 days, raises one alert on the receiver', () => {
    const w = new World();
    w.tx('M', 'GROCER', 45.5, 0);
    const ids = ['S1', 'S2', 'S3', 'S4'].map((s, i) => w.tx(s, 'M', 20_000, 40 * DAY + i * 18 * HOUR));
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.match(alerts[0]!.explanation, /^M received 4 round-amount transfers totalling 80,000\.00 USD from 4 accounts within 54 h, 4 of them from a new counterparty$/);
  });

  it('ignores amounts that are not round, or round but small', () => {
    const w = new World();
    w.tx('A', 'GROCER', 45.5, 0);
    for (let i = 0; i < 5; i++) w.tx('A', `R${i}`, 10_250.37, 40 * DAY + i * HOUR);
    for (let i = 0; i < 5; i++) w.tx('B', `Q${i}`, 2_000, 40 * DAY + i * HOUR);
    assert.deepEqual(scan(w, RULES), []);
    assert.equal(scan(w, only({ 'round-amounts': { minAmount: 1_000 } })).length, 1);
  });

  it('given tenants paying the same rent every month, stays quiet once the rent has history', () => {
    const w = new World();
    for (let t = 0; t < 3; t++) w.recurring(`TENANT${t}`, 'LANDLORD', 6_000, t * HOUR, 30 * DAY, 5);
    const alerts = scan(w, RULES);
    for (const a of alerts) assert.ok(a.toMs < T0 + 30 * DAY, `alert at ${new Date(a.toMs).toISOString()}`);
    // With every finding kept, the later months show the benign recurrence that pulls them down.
    const all = scan(w, only({ 'round-amounts': { minScore: 0 } }));
    const later = all.filter((a) => a.fromMs >= T0 + 30 * DAY);
    assert.ok(later.length > 0);
    for (const a of later) {
      assert.equal(a.factors.find((f) => f.name === 'rent-like-recurrence')!.value, 1);
      assert.equal(a.score, 0);
      assert.match(a.explanation, /3 of them repeat a payment of the same amount between the same accounts about 30 days earlier$/);
    }
  });

  it('given a dealer selling at round prices to new buyers every month, alerts on the first month only', () => {
    const w = new World();
    w.tx('DEALER', 'GROCER', 45.5, 0);
    for (let m = 0; m < 4; m++) for (let b = 0; b < 3; b++) w.tx(`BUYER${m}-${b}`, 'DEALER', 20_000 + b * 5_000, 40 * DAY + m * 30 * DAY + b * DAY);
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    assert.ok(alerts[0]!.toMs < T0 + 50 * DAY);
  });

  it('judges roundness in the transaction’s own currency, with a larger step for yen', () => {
    const w = new World();
    w.tx('A', 'GROCER', 45.5, 0);
    for (let i = 0; i < 3; i++) w.tx('A', `R${i}`, 1_234_000, 40 * DAY + i * HOUR, { currency: 'JPY' });
    assert.deepEqual(scan(w, RULES), []);
    assert.equal(scan(w, only({ 'round-amounts': { roundToPerCurrency: [] } })).length, 1);
    const big = new World();
    big.tx('A', 'GROCER', 45.5, 0);
    for (let i = 0; i < 3; i++) big.tx('A', `R${i}`, 2_000_000, 40 * DAY + i * HOUR, { currency: 'JPY' });
    const alerts = scan(big, RULES);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.currency, 'JPY');
    assert.equal(alerts[0]!.amountMinor, 6_000_000);
  });

  it('respects minCount and the window', () => {
    const w = new World();
    w.tx('A', 'GROCER', 45.5, 0);
    for (let i = 0; i < 3; i++) w.tx('A', `R${i}`, 10_000, 40 * DAY + i * 4 * DAY);
    assert.deepEqual(scan(w, RULES), []);
    assert.equal(scan(w, only({ 'round-amounts': { windowHours: 24 * 9 } })).length, 1);
    assert.deepEqual(scan(w, only({ 'round-amounts': { windowHours: 24 * 9, minCount: 4 } })), []);
  });

  it('rejects bad parameters with the path of the setting', () => {
    rejects({ roundTo: 0 }, /r\.yaml: typologies\.round-amounts\.roundTo: /);
    rejects({ recurrenceDays: 7, recurrenceToleranceDays: 7 }, /typologies\.round-amounts\.recurrenceToleranceDays: recurrenceToleranceDays must be below recurrenceDays/);
    rejects({ roundToPerCurrency: [{ currency: 'YEN', roundTo: 100 }] }, /typologies\.round-amounts\.roundToPerCurrency\.0\.currency: unknown currency code/);
  });
});
