import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, HOUR, only, scan, sorted, T0, World } from '../helpers/world.js';

describe('fan-in', () => {
  it('given 6 new senders paying one account 9,000–15,000 USD within 3 days, raises one alert with all of them', () => {
    const w = new World();
    // A month of ordinary life for the receiver: salary in, rent out.
    w.recurring('EMPLOYER', 'M', 3000, 0, 14 * DAY, 3);
    w.recurring('M', 'LANDLORD', 1200, 2 * DAY, 30 * DAY, 2);
    const ids = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].map((s, i) => w.tx(s, 'M', 9000 + i * 1200, 40 * DAY + i * 10 * HOUR));
    const alerts = scan(w, only({ 'fan-in': {} }));
    assert.equal(alerts.length, 1);
    const a = alerts[0]!;
    assert.equal(a.typology, 'fan-in');
    assert.deepEqual(sorted(a.transactions), sorted(ids));
    assert.deepEqual(sorted(a.accounts), sorted(['M', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6']));
    assert.equal(a.amountMinor, (9000 * 6 + 1200 * 15) * 100);
    assert.equal(a.currency, 'USD');
    assert.ok(a.score >= 0.8, `score ${a.score}`);
    assert.match(a.explanation, /^6 accounts new to it sent 72,000\.00 USD to M in 6 transactions within 50 h$/);
  });

  it('given a utility paid monthly by the same 20 households, raises nothing once it has history', () => {
    const w = new World();
    for (let h = 0; h < 20; h++) w.recurring(`H${h}`, 'UTILITY', 80 + h, h * HOUR, 30 * DAY, 4);
    const alerts = scan(w, only({ 'fan-in': {} }));
    for (const a of alerts) assert.ok(a.toMs < T0 + 30 * DAY, `alert at ${new Date(a.toMs).toISOString()}`);
  });

  it('given a merchant taking card payments from many new cards, raises nothing', () => {
    const w = new World();
    for (let d = 0; d < 60; d++) for (let c = 0; c < 8; c++) w.tx(`CARD${d * 8 + c}`, 'SHOP', 20 + ((d * 7 + c * 13) % 90), d * DAY + c * HOUR, { channel: 'card' });
    assert.deepEqual(scan(w, only({ 'fan-in': {} })), []);
  });

  it('given two senders only, stays below the minimum of counterparties', () => {
    const w = new World();
    w.tx('S1', 'M', 9000, 0);
    w.tx('S2', 'M', 9000, HOUR);
    w.tx('S1', 'M', 9000, 2 * HOUR);
    assert.deepEqual(scan(w, only({ 'fan-in': {} })), []);
  });

  it('merges the growing fan into one alert, and a fan outside the window into a second', () => {
    const w = new World();
    for (let i = 0; i < 5; i++) w.tx(`A${i}`, 'M', 12_000, i * HOUR);
    for (let i = 0; i < 5; i++) w.tx(`B${i}`, 'M', 12_000, 30 * DAY + i * HOUR);
    const alerts = scan(w, only({ 'fan-in': {} }));
    assert.equal(alerts.length, 2);
    assert.deepEqual(alerts.map((a) => a.transactions.length), [5, 5]);
  });
});

describe('fan-out', () => {
  it('given one account paying 8 new receivers within a day, raises one alert', () => {
    const w = new World();
    const ids = Array.from({ length: 8 }, (_, i) => w.tx('BOSS', `R${i}`, 4000 + i * 333, i * 2 * HOUR));
    const alerts = scan(w, only({ 'fan-out': {} }));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.typology, 'fan-out');
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.match(alerts[0]!.explanation, /^BOSS sent 41,324\.00 USD to 8 accounts new to it in 8 transactions/);
  });

  it('given a payroll to the same 30 employees every month, raises nothing after the first', () => {
    const w = new World();
    for (let e = 0; e < 30; e++) w.recurring('EMPLOYER', `E${e}`, 2500 + e * 10, 0, 30 * DAY, 5);
    const alerts = scan(w, only({ 'fan-out': {} }));
    // The very first payroll has no history yet; every later one is known counterparties.
    assert.ok(alerts.length <= 1, JSON.stringify(alerts.map((a) => a.fromMs)));
    for (const a of alerts) assert.ok(a.toMs < T0 + 30 * DAY);
  });
});
