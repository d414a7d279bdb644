import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRules, RulesError } from '../../src/detect/index.js';
import { DAY, HOUR, only, scan, sorted, World } from '../helpers/world.js';

const RULES = only({ 'dormant-reactivation': {} });

/** Five small payments into `who` on days 0..4: its whole past, 200 USD on average. */
function smallPast(w: World, who: string, amount = 200): void {
  for (let d = 0; d < 5; d++) w.tx(`PAYER-${who}`, who, amount, d * DAY);
}

describe('dormant-reactivation', () => {
  it('given an account silent for 201 days that receives 50,000 USD and passes it on within hours, raises one alert with both transfers', () => {
    const w = new World();
    smallPast(w, 'D');
    const ids = [w.tx('X', 'D', 50_000, 205 * DAY), w.tx('D', 'Y', 48_000, 205 * DAY + 20 * HOUR)];
    w.tx('D', 'Z', 1_000, 205 * DAY + 100 * HOUR); // after the follow-on window: ordinary again
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    const a = alerts[0]!;
    assert.equal(a.typology, 'dormant-reactivation');
    assert.deepEqual(sorted(a.transactions), sorted(ids));
    assert.deepEqual(sorted(a.accounts), ['D', 'X', 'Y']);
    assert.equal(a.amountMinor, 98_000_00);
    assert.equal(a.score, 1);
    assert.equal(
      a.explanation,
      'D, silent for 201 days, received 50,000.00 USD from X (250 times its past average transaction) and then made 1 more transaction(s) within 20 h, passing on 48,000.00 USD',
    );
  });

  it('given a dormant account that drains itself, merges the transfers of the next 72 h into the same alert', () => {
    const w = new World();
    smallPast(w, 'D', 500);
    const ids = [w.tx('D', 'M1', 30_000, 370 * DAY), w.tx('D', 'M2', 100, 370 * DAY + 10 * HOUR), w.tx('D', 'M3', 200, 370 * DAY + 30 * HOUR)];
    w.tx('D', 'M4', 50, 370 * DAY + 100 * HOUR);
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.deepEqual(sorted(alerts[0]!.accounts), ['D', 'M1', 'M2', 'M3']);
    assert.equal(alerts[0]!.explanation, 'D, silent for 366 days, sent 30,000.00 USD to M1 (60 times its past average transaction) and then made 2 more transaction(s) within 30 h');
  });

  it('sees through a small test payment made first', () => {
    const w = new World();
    smallPast(w, 'D');
    const ids = [w.tx('X', 'D', 1, 200 * DAY), w.tx('X', 'D', 50_000, 200 * DAY + 12 * HOUR)];
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.equal(alerts[0]!.explanation, 'D, silent for 196 days, active again for 12 h, received 50,000.00 USD from X (300 times its past average transaction)');
  });

  it('stays quiet for an active account receiving a large sum', () => {
    const w = new World();
    w.recurring('EMPLOYER', 'A', 3_000, 0, 30 * DAY, 12);
    w.tx('ESTATE', 'A', 50_000, 340 * DAY);
    assert.deepEqual(scan(w, RULES), []);
  });

  it('stays quiet for a dormant account that wakes with an ordinary amount', () => {
    const w = new World();
    smallPast(w, 'D');
    w.tx('D', 'SHOP', 300, 250 * DAY);
    w.tx('D', 'SHOP', 250, 251 * DAY);
    assert.deepEqual(scan(w, RULES), []);
  });

  it('stays quiet for a yearly payment of the size the account always moved', () => {
    const w = new World();
    w.tx('INSURER', 'P', 40_000, 0);
    w.tx('INSURER', 'P', 40_000, 365 * DAY);
    assert.deepEqual(scan(w, RULES), []);
  });

  it('respects dormantDays and minAmount', () => {
    const short = new World();
    smallPast(short, 'D');
    short.tx('X', 'D', 50_000, 104 * DAY);
    assert.deepEqual(scan(short, RULES), []);
    assert.equal(scan(short, only({ 'dormant-reactivation': { dormantDays: 90 } })).length, 1);

    const small = new World();
    smallPast(small, 'D');
    small.tx('X', 'D', 8_000, 300 * DAY);
    assert.deepEqual(scan(small, RULES), []);
    assert.equal(scan(small, only({ 'dormant-reactivation': { minAmount: 5_000 } })).length, 1);
    assert.deepEqual(scan(small, only({ 'dormant-reactivation': { minAmount: 5_000, minTimesAverage: 50 } })), []);
  });

  it('rejects bad parameters with the path of the setting', () => {
    assert.throws(
      () => parseRules({ typologies: { 'dormant-reactivation': { dormantDays: -1 } } }, 'r.yaml'),
      (e: Error) => e instanceof RulesError && /r\.yaml: typologies\.dormant-reactivation\.dormantDays: /.test(e.message),
    );
    assert.throws(
      () => parseRules({ typologies: { 'dormant-reactivation': { minTimesAverage: 0.5 } } }),
      (e: Error) => e instanceof RulesError && /typologies\.dormant-reactivation\.minTimesAverage: /.test(e.message),
    );
  });
});
