/**
 * Live mode (the real-time API): each push answers the alerts its transactions raised or grew, under an id
 * fixed when the alert opened; closing emits nothing more. Batch mode is unchanged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/detect/index.js';
import { DAY, HOUR, only, scan, World } from '../helpers/world.js';

function fanInWorld(): World {
  const w = new World();
  w.recurring('EMPLOYER', 'M', 3000, 0, 14 * DAY, 3);
  ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].forEach((s, i) => w.tx(s, 'M', 9000 + i * 1200, 40 * DAY + i * 10 * HOUR));
  return w;
}

describe('engine live mode', () => {
  it('answers the fan-in on the transaction that completes it, then the same alert, grown, on each later one', () => {
    const rules = only({ 'fan-in': {} }, { latenessMinutes: 0 });
    const engine = createEngine(rules, { live: { alertIdPrefix: 'live-' } });
    const seen: { id: string; transactions: number }[] = [];
    for (const batch of fanInWorld().batches(1)) for (const a of engine.push(batch)) seen.push({ id: a.id, transactions: a.transactions.length });
    assert.ok(seen.length >= 2, JSON.stringify(seen));
    assert.ok(seen.every((s) => s.id === 'live-1'), 'one alert, one id, as it grows');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.transactions >= seen[i - 1]!.transactions);
    assert.equal(seen.at(-1)!.transactions, 6);
    assert.deepEqual(engine.flush(), [], 'closing emits nothing more');
  });

  it('leaves batch mode as it was: alerts emitted once, when they close, numbered a-000001', () => {
    const alerts = scan(fanInWorld(), only({ 'fan-in': {} }), 1);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.id, 'a-000001');
    assert.equal(alerts[0]!.transactions.length, 6);
  });
});
