import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRules, RulesError } from '../../src/detect/index.js';
import { createEngine } from '../../src/detect/index.js';
import { channelIndex, TxBatch } from '../../src/model/index.js';
import { DAY, HOUR, only, scan, sorted, T0, World } from '../helpers/world.js';

const RULES = only({ 'remittance-splitting': {} });
const REMITTANCE = { channel: 'remittance' } as const;
/** Worlds start with a month of unrelated traffic: before a window has gone by, every sender is new. */
const AT = 40 * DAY;

function world(): World {
  const w = new World();
  w.tx('SOMEONE', 'ELSE', 100, 0);
  return w;
}

describe('remittance-splitting', () => {
  it('given 6 new senders remitting 1,800–2,800 USD each to one beneficiary within 3 days, raises one alert with all of them', () => {
    const w = world();
    w.recurring('EMPLOYER', 'B', 2_500, 0, 14 * DAY, 3);
    const ids = Array.from({ length: 6 }, (_, i) => w.tx(`S${i}`, 'B', 1_800 + i * 200, 40 * DAY + i * 14 * HOUR, REMITTANCE));
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    const a = alerts[0]!;
    assert.equal(a.typology, 'remittance-splitting');
    assert.deepEqual(sorted(a.transactions), sorted(ids));
    assert.deepEqual(sorted(a.accounts), ['B', 'S0', 'S1', 'S2', 'S3', 'S4', 'S5']);
    assert.equal(a.amountMinor, 13_800_00);
    assert.ok(a.score >= 0.6, `score ${a.score}`);
    assert.equal(a.explanation, '6 senders (6 new to it) sent B 6 remittances under 3,000.00 USD each, 13,800.00 USD in total, within 70 h');
    assert.equal(a.factors.find((f) => f.name === 'cross-border')!.value, 0);
  });

  it('counts remittances in a currency other than the base currency as cross-border', () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.tx(`S${i}`, 'B', 40_000, AT + i * 10 * HOUR, { channel: 'remittance', currency: 'MXN' });
    const alerts = scan(w, RULES);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.factors.find((f) => f.name === 'cross-border')!.value, 1);
    assert.equal(alerts[0]!.currency, 'MXN');
    assert.match(alerts[0]!.explanation, /^5 senders \(5 new to it\) sent B 5 remittances under 3,000\.00 USD each, 10,000\.00 USD in total, within 40 h, 5 of them cross-border \(between countries, converted, or in a currency other than USD\)$/);
  });

  it('given the same relatives remitting every month, stays quiet once they are known', () => {
    const w = new World();
    for (let r = 0; r < 4; r++) w.recurring(`RELATIVE${r}`, 'FAMILY', 1_500, r * DAY, 30 * DAY, 6, 'remittance');
    const alerts = scan(w, RULES);
    for (const a of alerts) assert.ok(a.toMs < T0 + 30 * DAY, `alert at ${new Date(a.toMs).toISOString()}`);
  });

  it('does not call senders new before a window of data has gone by', () => {
    const early = new World();
    for (let i = 0; i < 8; i++) early.tx(`CUSTOMER${i}`, 'SUPPLIER', 500 + i * 300, i * 12 * HOUR, { channel: 'wire' });
    assert.deepEqual(scan(early, RULES), []);
    const later = world();
    for (let i = 0; i < 8; i++) later.tx(`CUSTOMER${i}`, 'SUPPLIER', 500 + i * 300, AT + i * 12 * HOUR, { channel: 'wire' });
    const alerts = scan(later, RULES);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.transactions.length, 8);
  });

  it('ignores remittances that are not small, and channels that are not configured', () => {
    const big = world();
    for (let i = 0; i < 6; i++) big.tx(`S${i}`, 'B', 4_000, AT + i * HOUR, REMITTANCE);
    assert.deepEqual(scan(big, RULES), []);

    const wires = world();
    for (let i = 0; i < 5; i++) wires.tx(`S${i}`, 'B', 2_000, AT + i * HOUR, { channel: 'wire' });
    for (let i = 0; i < 5; i++) wires.tx(`T${i}`, 'C', 2_000, AT + i * HOUR, { channel: 'ach' });
    const alerts = scan(wires, RULES);
    assert.equal(alerts.length, 1);
    assert.ok(alerts[0]!.accounts.includes('B'));
    assert.deepEqual(scan(wires, only({ 'remittance-splitting': { channels: ['remittance'] } })), []);
  });

  it('respects minSenders, minTotal and the window', () => {
    const few = world();
    for (let i = 0; i < 6; i++) few.tx(`S${i % 3}`, 'B', 2_000, AT + i * HOUR, REMITTANCE);
    assert.deepEqual(scan(few, RULES), []);
    assert.equal(scan(few, only({ 'remittance-splitting': { minSenders: 3 } })).length, 1);
    assert.deepEqual(scan(few, only({ 'remittance-splitting': { minSenders: 3, minTotal: 20_000 } })), []);

    const slow = world();
    for (let i = 0; i < 4; i++) slow.tx(`S${i}`, 'B', 2_000, AT + i * 3 * DAY, REMITTANCE);
    assert.deepEqual(scan(slow, RULES), []);
    assert.equal(scan(slow, only({ 'remittance-splitting': { windowHours: 24 * 10 } })).length, 1);
  });

  it('rejects bad parameters with the path of the setting', () => {
    assert.throws(
      () => parseRules({ typologies: { 'remittance-splitting': { channels: ['pigeon'] } } }, 'r.yaml'),
      (e: Error) => e instanceof RulesError && /r\.yaml: typologies\.remittance-splitting\.channels\.0: /.test(e.message),
    );
    assert.throws(
      () => parseRules({ typologies: { 'remittance-splitting': { minSenders: 1 } } }),
      (e: Error) => e instanceof RulesError && /typologies\.remittance-splitting\.minSenders: /.test(e.message),
    );
  });

  it('counts remittances between two countries as cross-border when the source names them', () => {
    const b = new TxBatch('remit.csv', 'remit.csv', 'test');
    b.push('warm', T0, 'SOMEONE', 'ELSE', 100_00, 'USD', channelIndex('ach'), 2);
    for (let i = 0; i < 5; i++) {
      b.push(`r${i}`, T0 + AT + i * HOUR, `S${i}`, 'B', 2_000_00, 'USD', channelIndex('remittance'), 3 + i, NaN, undefined, i < 3 ? 'US' : 'MX', 'MX');
    }
    const engine = createEngine(only({ 'remittance-splitting': {} }));
    const alerts = [...engine.push(b), ...engine.flush()];
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.factors.find((f) => f.name === 'cross-border')!.value, 0.6);
  });
});
