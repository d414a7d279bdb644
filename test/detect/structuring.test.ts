import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRules, RulesError } from '../../src/detect/index.js';
import { DAY, HOUR, only, scan, sorted, World } from '../helpers/world.js';

const CASH = { channel: 'cash' } as const;

/** A month of ordinary life before anything happens: salary in, rent out. */
function life(w: World, who: string): void {
  w.recurring(`EMPLOYER-${who}`, who, 3000, 0, 14 * DAY, 3);
  w.recurring(who, `LANDLORD-${who}`, 1200, 2 * DAY, 30 * DAY, 2);
}

function rejects(params: Record<string, unknown>, path: RegExp): void {
  assert.throws(
    () => parseRules({ typologies: { structuring: params } }, 'r.yaml'),
    (e: Error) => e instanceof RulesError && path.test(e.message),
  );
}

describe('structuring', () => {
  it('given 3 cash deposits of 9,000–9,800 USD at one branch within 2 days, raises one alert with exactly those deposits', () => {
    const w = new World();
    life(w, 'ACC');
    const ids = [
      w.tx('cash:branch:7', 'ACC', 9_000, 40 * DAY, CASH),
      w.tx('cash:branch:7', 'ACC', 9_400, 40 * DAY + 20 * HOUR, CASH),
      w.tx('cash:branch:7', 'ACC', 9_800, 42 * DAY, CASH),
    ];
    const alerts = scan(w, only({ structuring: {} }));
    assert.equal(alerts.length, 1);
    const a = alerts[0]!;
    assert.equal(a.typology, 'structuring');
    assert.deepEqual(sorted(a.transactions), sorted(ids));
    assert.deepEqual(sorted(a.accounts), ['ACC', 'cash:branch:7']);
    assert.equal(a.amountMinor, 28_200_00);
    assert.equal(a.currency, 'USD');
    assert.ok(a.score >= 0.5 && a.score < 0.8, `score ${a.score}`);
    assert.equal(
      a.explanation,
      '3 cash deposits of 9,000.00 USD to 9,800.00 USD, each just below the 10,000 USD reporting threshold, reached ACC from cash:branch:7 within 2 days, 28,200.00 USD in total',
    );
  });

  it('given smurfs depositing at 4 branches, raises one alert that grows with every deposit and scores higher', () => {
    const w = new World();
    life(w, 'ACC');
    const ids = ['1', '2', '3', '4', '2'].map((b, i) => w.tx(`cash:branch:${b}`, 'ACC', 9_100 + i * 150, 40 * DAY + i * 9 * HOUR, CASH));
    const alerts = scan(w, only({ structuring: {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.deepEqual(sorted(alerts[0]!.accounts), ['ACC', 'cash:branch:1', 'cash:branch:2', 'cash:branch:3', 'cash:branch:4']);
    assert.ok(alerts[0]!.score >= 0.85, `score ${alerts[0]!.score}`);
    assert.match(alerts[0]!.explanation, /^5 cash deposits of 9,100\.00 USD to 9,700\.00 USD, .* reached ACC from 4 depositors within 36 h, 47,000\.00 USD in total$/);
    const several = alerts[0]!.factors.find((f) => f.name === 'several-depositors')!;
    assert.equal(several.value, 1);
  });

  it('given a shop whose daily cash takings are sometimes above the threshold, raises nothing', () => {
    const w = new World();
    const takings = [12_000, 9_200, 11_500, 8_900, 13_000, 9_600, 10_400];
    for (let d = 0; d < 28; d++) w.tx('cash:branch:1', 'SHOP', takings[d % takings.length]!, d * DAY + 18 * HOUR, CASH);
    assert.deepEqual(scan(w, only({ structuring: {} })), []);
  });

  it('ignores transfers just below the threshold unless their channel is configured', () => {
    const w = new World();
    for (let i = 0; i < 3; i++) w.tx(`S${i}`, 'ACC', 9_500, i * DAY, { channel: 'ach' });
    assert.deepEqual(scan(w, only({ structuring: {} })), []);
    assert.equal(scan(w, only({ structuring: { channels: ['cash', 'ach'] } })).length, 1);
  });

  it('ignores deposits well below the band', () => {
    const w = new World();
    for (let i = 0; i < 6; i++) w.tx('cash:branch:1', 'ACC', 4_000, i * DAY, CASH);
    assert.deepEqual(scan(w, only({ structuring: {} })), []);
  });

  it('flags two deposits whose total exceeds the threshold when they sit right under it, unless told not to', () => {
    const w = new World();
    const ids = [w.tx('cash:branch:1', 'ACC', 9_900, 0, CASH), w.tx('cash:branch:2', 'ACC', 9_800, 3 * DAY, CASH)];
    const alerts = scan(w, only({ structuring: {} }));
    assert.equal(alerts.length, 1);
    assert.deepEqual(sorted(alerts[0]!.transactions), sorted(ids));
    assert.ok(Math.abs(alerts[0]!.factors.find((f) => f.name === 'total-over-threshold')!.value - 0.97) < 1e-9);
    assert.deepEqual(scan(w, only({ structuring: { flagTotalOverThreshold: false } })), []);
  });

  it('counts only the deposits within the window', () => {
    const w = new World();
    for (let i = 0; i < 3; i++) w.tx('cash:branch:1', 'ACC', 9_300, i * 5 * DAY, CASH);
    assert.deepEqual(scan(w, only({ structuring: {} })), []);
    assert.equal(scan(w, only({ structuring: { windowHours: 24 * 11 } })).length, 1);
  });

  it('judges a currency with its own threshold in its own units, and others against the USD-equivalent fallback', () => {
    const yen = new World();
    const ids = [0, 1, 2].map((i) => yen.tx('cash:branch:9', 'ACC', 950_000, i * DAY, { channel: 'cash', currency: 'JPY' }));
    const own = scan(yen, only({ structuring: { thresholds: [{ currency: 'JPY', amount: 1_000_000 }] } }));
    assert.equal(own.length, 1);
    assert.deepEqual(sorted(own[0]!.transactions), sorted(ids));
    assert.equal(own[0]!.currency, 'JPY');
    assert.match(own[0]!.explanation, /^3 cash deposits of 950,000 JPY, each just below the 1,000,000 JPY reporting threshold, .* 2,850,000 JPY in total$/);
    // 950,000 JPY is about 6,745 USD: inside the default 7,500 USD-equivalent band as well.
    assert.equal(scan(yen, only({ structuring: {} })).length, 1);

    // 140,000 MXN ≈ 7,000 USD: just below the 7,500 USD-equivalent fallback, far below a 200,000 MXN rule.
    const pesos = new World();
    for (let i = 0; i < 3; i++) pesos.tx('cash:branch:3', 'ACC', 140_000, i * DAY, { channel: 'cash', currency: 'MXN' });
    const fallback = scan(pesos, only({ structuring: {} }));
    assert.equal(fallback.length, 1);
    assert.match(fallback[0]!.explanation, /^3 cash deposits of 7,000\.00 USD, each just below the 7,500 USD-equivalent reporting threshold/);
    assert.deepEqual(scan(pesos, only({ structuring: { thresholds: [{ currency: 'MXN', amount: 200_000 }] } })), []);
  });

  it('sees no further back than maxEdgesScanned incoming transactions', () => {
    const w = new World();
    const deposits = [9_600, 9_700, 9_800];
    deposits.forEach((amount, i) => {
      w.tx('cash:branch:1', 'ACC', amount, i * DAY, CASH);
      for (let c = 0; c < 5; c++) w.tx(`CARD${i}-${c}`, 'ACC', 30, i * DAY + (c + 1) * HOUR, { channel: 'card' });
    });
    const rules = { flagTotalOverThreshold: false };
    assert.equal(scan(w, only({ structuring: rules })).length, 1);
    assert.deepEqual(scan(w, only({ structuring: { ...rules, maxEdgesScanned: 8 } })), []);
  });

  it('rejects bad parameters with the path of the setting', () => {
    rejects({ band: 2 }, /r\.yaml: typologies\.structuring\.band: /);
    rejects({ thresholds: [{ currency: 'XYZ', amount: 10_000 }] }, /typologies\.structuring\.thresholds\.0\.currency: unknown currency code/);
    rejects({ thresholds: [{ currency: 'USD', amount: 10_000 }, { currency: 'USD', amount: 3_000 }] }, /typologies\.structuring\.thresholds: a currency is listed twice/);
    rejects({ channels: ['pigeon'] }, /typologies\.structuring\.channels\.0: /);
    rejects({ minDeposit: 3 }, /typologies\.structuring: Unrecognized key: "minDeposit"/);
  });
});
