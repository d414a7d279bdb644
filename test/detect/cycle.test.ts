import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, HOUR, only, scan, sorted, World } from '../helpers/world.js';

describe('cycle', () => {
  it('given money leaving A and returning through 4 accounts with fees taken, raises one cycle alert', () => {
    const w = new World();
    const ids = [
      w.tx('A', 'B', 10_000, 0),
      w.tx('B', 'C', 9_700, 5 * HOUR),
      w.tx('C', 'D', 9_500, 20 * HOUR),
      w.tx('D', 'E', 9_300, 30 * HOUR),
      w.tx('E', 'A', 9_000, 50 * HOUR),
    ];
    const alerts = scan(w, only({ cycle: {} }));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.typology, 'cycle');
    assert.deepEqual(alerts[0]!.transactions, ids);
    assert.deepEqual(sorted(alerts[0]!.accounts), ['A', 'B', 'C', 'D', 'E']);
    assert.match(alerts[0]!.explanation, /10,000\.00 USD left A and 9,000\.00 USD came back through 4 other account\(s\) in 5 time-ordered hops/);
  });

  it('converts currencies before comparing hops', () => {
    const w = new World();
    w.tx('A', 'B', 38_952, 0, { currency: 'CNY' });
    w.tx('B', 'C', 5_899, 10 * HOUR);
    w.tx('C', 'A', 6_002, 20 * HOUR);
    assert.equal(scan(w, only({ cycle: {} })).length, 1);
  });

  it('ignores loops whose hops are not in time order', () => {
    const w = new World();
    w.tx('B', 'C', 9_700, 0);
    w.tx('A', 'B', 10_000, 5 * HOUR);
    w.tx('C', 'A', 9_500, 10 * HOUR);
    assert.deepEqual(scan(w, only({ cycle: {} })), []);
  });

  it('ignores loops whose amounts do not carry through', () => {
    const w = new World();
    w.tx('A', 'B', 10_000, 0);
    w.tx('B', 'C', 150, 5 * HOUR);
    w.tx('C', 'A', 140, 10 * HOUR);
    assert.deepEqual(scan(w, only({ cycle: {} })), []);
  });

  it('ignores loops longer than the window', () => {
    const w = new World();
    w.tx('A', 'B', 10_000, 0);
    w.tx('B', 'C', 9_900, 4 * DAY);
    w.tx('C', 'A', 9_800, 8 * DAY);
    assert.deepEqual(scan(w, only({ cycle: {} })), []);
    assert.equal(scan(w, only({ cycle: { windowHours: 24 * 9 } })).length, 1);
  });

  it('respects maxHops', () => {
    const w = new World();
    const names = ['A', 'B', 'C', 'D', 'E', 'F'];
    names.forEach((n, i) => w.tx(n, names[(i + 1) % names.length]!, 10_000 - i * 10, i * HOUR));
    assert.equal(scan(w, only({ cycle: {} })).length, 1);
    assert.deepEqual(scan(w, only({ cycle: { maxHops: 5 } })), []);
  });
});
