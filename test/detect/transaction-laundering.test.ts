import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, HOUR, only, scan, World } from '../helpers/world.js';

describe('transaction-laundering', () => {
  it('a "travel agency" paid at night, at three fixed fares, by the same few cards, raises one alert', () => {
    const w = new World();
    const fares = [899, 1249, 1599];
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(w.tx(`CARD${i % 6}`, 'TRAVEL', fares[i % 3]!, 10 * DAY + Math.floor(i / 6) * DAY + (i % 4) * HOUR + HOUR, { channel: 'card' }));
    const alerts = scan(w, only({ 'transaction-laundering': {} }));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.typology, 'transaction-laundering');
    assert.equal(alerts[0]!.accounts[0], 'TRAVEL');
    assert.ok(alerts[0]!.transactions.length >= 20);
    assert.match(alerts[0]!.explanation, /^TRAVEL took \d+ card payments .* from 6 cards within .*: 100 % at its 5 most frequent amounts, 100 % from cards paying 3\+ times/);
  });

  it('a grocery shop with many customers, varied baskets and daytime hours stays quiet', () => {
    const w = new World();
    for (let d = 0; d < 14; d++) for (let c = 0; c < 10; c++) w.tx(`CARD${d * 10 + c}`, 'GROCER', 12 + ((d * 37 + c * 53) % 140) + c / 7, d * DAY + (9 + c) * HOUR, { channel: 'card' });
    assert.deepEqual(scan(w, only({ 'transaction-laundering': {} })), []);
  });

  it('a subscription service (one price, monthly) stays quiet', () => {
    const w = new World();
    for (let c = 0; c < 60; c++) w.recurring(`CARD${c}`, 'STREAMING', 12.99, c * HOUR, 30 * DAY, 3, 'card');
    assert.deepEqual(scan(w, only({ 'transaction-laundering': {} })), []);
  });
});
