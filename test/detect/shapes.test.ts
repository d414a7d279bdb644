import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRules, RulesError } from '../../src/detect/index.js';
import { DAY, HOUR, only, scan, sorted, World } from '../helpers/world.js';

/** Ordinary life for an account so that its profile exists: salary in, rent and shopping out. */
function life(w: World, who: string, salary = 3000): void {
  w.recurring(`EMPLOYER-${who}`, who, salary, 0, 14 * DAY, 4);
  w.recurring(who, `LANDLORD-${who}`, 1000, DAY, 30 * DAY, 2);
  for (let i = 0; i < 6; i++) w.tx(who, 'SUPERMARKET', 60 + i, 2 * DAY + i * 5 * DAY, { channel: 'card' });
}

describe('scatter-gather', () => {
  it('given one source paying 4 intermediaries that each pass it to one sink, raises one alert with the 8 transfers', () => {
    const w = new World();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(w.tx('SRC', `MID${i}`, 9000 + i * 100, 60 * DAY + i * HOUR));
    for (let i = 0; i < 4; i++) ids.push(w.tx(`MID${i}`, 'SINK', 8800 + i * 100, 61 * DAY + i * HOUR));
    const alerts = scan(w, only({ 'scatter-gather': {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.deepEqual(sorted(alerts[0]!.accounts), sorted(['SRC', 'MID0', 'MID1', 'MID2', 'MID3', 'SINK']));
    assert.match(alerts[0]!.explanation, /^SRC paid 36,600\.00 USD to 4 intermediaries, which passed 35,800\.00 USD on to SINK/);
  });

  it('stays quiet when the intermediaries pay the sink amounts unrelated to what they received', () => {
    const w = new World();
    for (let i = 0; i < 4; i++) w.tx('SRC', `MID${i}`, 9000, i * HOUR);
    for (let i = 0; i < 4; i++) w.tx(`MID${i}`, 'SINK', 40, DAY + i * HOUR);
    assert.deepEqual(scan(w, only({ 'scatter-gather': {} })), []);
  });
});

describe('gather-scatter', () => {
  it('given 4 senders into one account that pays 5 receivers, raises one alert', () => {
    const w = new World();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(w.tx(`IN${i}`, 'HUB', 10_000, i * 5 * HOUR));
    for (let i = 0; i < 5; i++) ids.push(w.tx('HUB', `OUT${i}`, 7_800, 2 * DAY + i * 5 * HOUR));
    const alerts = scan(w, only({ 'gather-scatter': {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.match(alerts[0]!.explanation, /^4 accounts paid 40,000\.00 USD into HUB, which paid 39,000\.00 USD out to 5 accounts/);
  });

  it('stays quiet when little of the money in goes out', () => {
    const w = new World();
    for (let i = 0; i < 4; i++) w.tx(`IN${i}`, 'HUB', 10_000, i * HOUR);
    for (let i = 0; i < 5; i++) w.tx('HUB', `OUT${i}`, 100, DAY + i * HOUR);
    assert.deepEqual(scan(w, only({ 'gather-scatter': {} })), []);
  });
});

describe('bipartite', () => {
  it('given 3 senders each paying the same 3 receivers, raises one alert over the 9 payments', () => {
    const w = new World();
    const ids: string[] = [];
    let h = 0;
    for (const s of ['A1', 'A2', 'A3']) for (const r of ['B1', 'B2', 'B3']) ids.push(w.tx(s, r, 5000 + h * 10, h++ * 2 * HOUR));
    const alerts = scan(w, only({ bipartite: {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.deepEqual(sorted(alerts[0]!.accounts), ['A1', 'A2', 'A3', 'B1', 'B2', 'B3']);
  });
});

describe('mule-pass-through', () => {
  it('chains of mules each keeping 4 % are one alert', () => {
    const w = new World();
    for (const m of ['M1', 'M2', 'M3']) life(w, m);
    const ids = [
      w.tx('BOSS', 'M1', 10_000, 50 * DAY),
      w.tx('M1', 'M2', 4_800, 50 * DAY + 3 * HOUR),
      w.tx('M1', 'M2X', 4_800, 50 * DAY + 4 * HOUR),
      w.tx('M2', 'M3', 4_608, 50 * DAY + 9 * HOUR),
    ];
    const alerts = scan(w, only({ 'mule-pass-through': { minAmount: 4000 } }));
    assert.equal(alerts.length, 1, JSON.stringify(alerts.map((a) => a.explanation)));
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.ok(alerts[0]!.accounts.includes('M2'));
  });

  it('an account that keeps most of what it receives is not a mule', () => {
    const w = new World();
    w.tx('BOSS', 'M1', 10_000, 0);
    w.tx('M1', 'X', 5_000, 3 * HOUR);
    assert.deepEqual(scan(w, only({ 'mule-pass-through': {} })), []);
  });
});

describe('rapid-movement', () => {
  it('value crossing 4 accounts within a day is one alert', () => {
    const w = new World();
    const ids = [w.tx('A', 'B', 20_000, 0), w.tx('B', 'C', 19_500, 2 * HOUR), w.tx('C', 'D', 19_000, 5 * HOUR), w.tx('D', 'E', 18_700, 9 * HOUR)];
    const alerts = scan(w, only({ 'rapid-movement': {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.transactions, ids);
    assert.match(alerts[0]!.explanation, /^20,000\.00 USD moved from A through 3 account\(s\) to E in 4 transfers within 9 h/);
  });

  it('stays quiet when each account holds the money for days', () => {
    const w = new World();
    w.tx('A', 'B', 20_000, 0);
    w.tx('B', 'C', 19_500, 3 * DAY);
    w.tx('C', 'D', 19_000, 6 * DAY);
    assert.deepEqual(scan(w, only({ 'rapid-movement': {} })), []);
  });
});

describe('stack', () => {
  it('a person who never moved more than 1,000 passes 9,000 between two strangers', () => {
    const w = new World();
    life(w, 'M');
    const ids = [w.tx('X', 'M', 9_000, 60 * DAY), w.tx('M', 'Y', 8_700, 61 * DAY)];
    const alerts = scan(w, only({ stack: {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.transactions, ids);
  });

  it('a company that always moves such amounts is not a layer', () => {
    const w = new World();
    for (let i = 0; i < 10; i++) {
      w.tx(`CLIENT${i}`, 'CO', 9_000, i * 3 * DAY);
      w.tx('CO', `SUPPLIER${i}`, 8_700, i * 3 * DAY + HOUR);
    }
    const alerts = scan(w, only({ stack: {} }));
    assert.ok(alerts.length <= 1, `${alerts.length} alerts`);
  });
});

describe('unusual-transfer', () => {
  it('flags 12,000 between two people whose profiles never exceeded 3,000', () => {
    const w = new World();
    life(w, 'P');
    life(w, 'Q');
    const id = w.tx('P', 'Q', 12_000, 60 * DAY);
    const alerts = scan(w, only({ 'unusual-transfer': {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.transactions, [id]);
    assert.match(alerts[0]!.explanation, /12\.0× the most P ever paid and 4\.0× the most Q ever received/);
  });

  it('judges a fresh account’s transfer on the profiled side, the fresh side counting as unknown (half)', () => {
    const w = new World();
    life(w, 'Q');
    const id = w.tx('NEW', 'Q', 12_000, 60 * DAY);
    const [alert, ...more] = scan(w, only({ 'unusual-transfer': {} }));
    assert.equal(more.length, 0);
    assert.deepEqual(alert!.transactions, [id]);
    assert.equal(alert!.factors.find((f) => f.name === 'above-sender-profile')!.value, 0.5);
    assert.match(alert!.explanation, /4\.0× the most Q ever received and NEW is too new to have a profile/);
    // Judged on the profiled side alone (score 0.58 here), it is not unusual enough.
    assert.deepEqual(scan(w, only({ 'unusual-transfer': { unprofiledSide: 0 } })), []);
  });

  it('does not judge a transfer between two accounts without a profile', () => {
    const w = new World();
    w.tx('P', 'Q', 12_000, 0);
    assert.deepEqual(scan(w, only({ 'unusual-transfer': {} })), []);
  });
});

describe('rules', () => {
  it('rejects unknown typologies and bad parameters with their path', () => {
    assert.throws(() => parseRules({ typologies: { 'fan-inn': {} } }, 'r.yaml'), (e: Error) => e instanceof RulesError && /r\.yaml: typologies: Unrecognized key: "fan-inn"/.test(e.message));
    assert.throws(() => parseRules({ typologies: { cycle: { minHops: 9, maxHops: 3 } } }, 'r.yaml'), /typologies\.cycle\.minHops: minHops must not exceed maxHops/);
    assert.throws(() => parseRules({ engine: { ringCapacity: 'big' } }, 'r.yaml'), /engine\.ringCapacity/);
  });

  it('overlays given rates on the default table', () => {
    const r = parseRules({ fx: { rates: { EUR: 1.1 } } });
    assert.equal(r.fx.rates.EUR, 1.1);
    assert.equal(r.fx.rates.MXN, 0.05);
  });
});

describe('engine', () => {
  it('re-orders input within the lateness bound and counts what arrives later', async () => {
    const { createEngine } = await import('../../src/detect/index.js');
    const w = new World();
    const ids = [
      w.tx('A', 'B', 10_000, 0),
      w.tx('B', 'C', 9_700, 5 * HOUR),
      w.tx('C', 'A', 9_500, 10 * HOUR),
    ];
    // Closing payment first: within a 24 h lateness the engine puts it back in order.
    const reversed = new World();
    for (const i of [2, 0, 1]) {
      const t = w.txs[i]!;
      reversed.tx(t.from, t.to, t.amount, t.timeMs - Date.UTC(2024, 0, 1), { id: t.id });
    }
    const engine = createEngine(only({ cycle: {} }, { latenessMinutes: 24 * 60 }));
    const alerts = [...engine.push(reversed.batches(4096, false)[0]!), ...engine.flush()];
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.transactions, ids);
    assert.equal(engine.stats().late, 0);
    // One row per batch with no lateness: the out-of-order rows are late.
    const strict = createEngine(only({ cycle: {} }, { latenessMinutes: 0 }));
    for (const b of reversed.batches(1, false)) strict.push(b);
    strict.flush();
    assert.equal(strict.stats().late, 2);
  });

  it('holds at most maxPendingTransactions for re-ordering and counts what it lets through early', async () => {
    const { createEngine } = await import('../../src/detect/index.js');
    const w = new World();
    for (let i = 0; i < 10; i++) w.tx(`A${i}`, `B${i}`, 100, i * HOUR);
    const engine = createEngine(only({ cycle: {} }, { latenessMinutes: 7 * 24 * 60, maxPendingTransactions: 4 }));
    engine.push(w.batches(4096, false)[0]!);
    assert.equal(engine.stats().releasedEarly, 6);
    assert.equal(engine.stats().transactions, 6);
    engine.flush();
    assert.equal(engine.stats().transactions, 10);
  });
});
