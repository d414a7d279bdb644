/**
 * Detectors that decide most transactions from their own incremental state instead of walking the window
 * graph find exactly what the walk finds. On seeded hand-made worlds — out-of-order (late) transactions, a
 * ring small enough to forget transactions inside a window, small scan caps, amounts without a rate (NaN),
 * negative amounts — each detector runs twice over the same graph, with and without its shortcut, and the
 * findings (keys, factors, accounts, transactions, sentences) must be the same, one for one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRules } from '../../src/detect/index.js';
import { FxTable } from '../../src/detect/fx.js';
import { WindowGraph } from '../../src/detect/graph.js';
import { mulePassThroughDetector } from '../../src/detect/typologies/pass-through.js';
import { transactionLaunderingDetector } from '../../src/detect/typologies/transaction-laundering.js';
import type { Detector, DetectorContext, Finding } from '../../src/detect/typology.js';
import { channelIndex } from '../../src/model/index.js';
import { mulberry32 } from '../../src/scenario/rng.js';

const HOUR = 3_600_000;
const CARD = channelIndex('card');
const WIRE = channelIndex('wire');


interface Tx {
  from: string;
  to: string;
  timeMs: number;
  minor: number;
  currency: string;
  channel: number;
}

/** Feed transactions (in the given order, as the engine would release them) to pairs of detectors sharing one graph. */
function run(txs: readonly Tx[], ringCapacity: number, make: (ctx: DetectorContext, report: (f: Finding) => void) => Detector[]): { findings: string[][]; late: number; forgotten: boolean } {
  const g = new WindowGraph({ ringCapacity, maxAccounts: 1_000_000, maxPairs: 1 << 20 });
  const fx = new FxTable('USD', { USD: 1, EUR: 1.1 });
  const base: Omit<DetectorContext, 'report'> = {
    graph: g,
    fx,
    money: (b: number) => `${b.toFixed(2)} USD`,
    name: (a: number) => g.accountName[a] ?? '?',
    observed: () => 1,
  };
  const findings: string[][] = [];
  const detectors: Detector[] = [];
  for (let k = 0; k < 2; k++) {
    const list: string[] = [];
    findings.push(list);
    const report = (f: Finding): void => void list.push(JSON.stringify(f));
    detectors.push(...make({ ...base, report }, report).slice(k, k + 1));
  }
  let late = 0;
  let maxMs = -Infinity;
  for (const r of txs) {
    if (r.timeMs < maxMs) late++;
    maxMs = Math.max(maxMs, r.timeMs);
    const from = g.intern(r.from, r.timeMs);
    const to = g.intern(r.to, r.timeMs);
    const tx = g.add(`row:${g.total + 1}`, 0, r.timeMs, from, to, r.minor * fx.factor(r.currency), r.minor, fx.currencyIndex(r.currency), r.channel);
    for (const d of detectors) d.onTransaction(tx);
    g.settle(tx);
  }
  return { findings, late, forgotten: txs.length > g.capacity };
}

describe('transaction-laundering: the per-merchant queues decide as the walk does', () => {
  function world(seed: number, rows: number, lateShare: number): Tx[] {
    const r = mulberry32(seed);
    const merchants = ['TRAVEL', 'SHOP', 'CAFE', 'AIRLINE', 'HOTEL'];
    const prices = [899, 1249, 1599, 45, 120];
    const txs: Tx[] = [];
    let t = Date.UTC(2024, 0, 1);
    for (let i = 0; i < rows; i++) {
      // Whole ten minutes: payments land exactly on window edges too.
      t += Math.floor(r() * 12) * 600_000;
      const m = merchants[Math.floor(r() * merchants.length)]!;
      const late = r() < lateShare ? Math.floor(r() * 180) * 600_000 : 0;
      const card = r() < 0.8;
      const fixed = m === 'TRAVEL' || m === 'AIRLINE';
      const amount = fixed ? prices[Math.floor(r() * 3)]! : card ? 5 + Math.floor(r() * 300) : 50 + Math.floor(r() * 5000);
      txs.push({
        from: card ? `CARD${Math.floor(r() * (fixed ? 8 : 80))}` : `ACC${Math.floor(r() * 30)}`,
        to: r() < 0.05 ? `ACC${Math.floor(r() * 30)}` : m,
        timeMs: t - late,
        minor: amount * 100 + Math.floor(r() * 3),
        currency: r() < 0.03 ? 'ZZZ' : r() < 0.2 ? 'EUR' : 'USD',
        channel: card ? CARD : WIRE,
      });
    }
    return txs;
  }

  const cases = [
    { name: 'in time order, defaults', seed: 1, rows: 6000, late: 0, ring: 1 << 16, params: {} },
    { name: 'in time order, small caps, a ring that forgets inside the window', seed: 2, rows: 6000, late: 0, ring: 1024, params: { maxEdgesScanned: 16, minPayments: 5, evaluateEvery: 2, minScore: 0.3 } },
    { name: 'the average gate often closed, waits set from the queue', seed: 5, rows: 8000, late: 0, ring: 1 << 16, params: { maxEdgesScanned: 40, minPayments: 5, evaluateEvery: 1, minScore: 0, minAveragePayment: 160 } },
    { name: 'the average gate often closed, a forgetting ring, late transactions', seed: 6, rows: 8000, late: 0.01, ring: 1024, params: { maxEdgesScanned: 400, minPayments: 5, evaluateEvery: 1, minScore: 0, minAveragePayment: 160, windowHours: 24 * 60 } },
    { name: 'late transactions', seed: 3, rows: 6000, late: 0.02, ring: 1 << 16, params: { minPayments: 5, evaluateEvery: 1, minScore: 0.3, windowHours: 48 } },
    { name: 'late transactions, small caps, a forgetting ring', seed: 4, rows: 8000, late: 0.05, ring: 1024, params: { maxEdgesScanned: 8, minPayments: 5, evaluateEvery: 3, minScore: 0, minAveragePayment: 50 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = parseRules({ typologies: { 'transaction-laundering': c.params } }).typologies['transaction-laundering'] as unknown as Parameters<typeof transactionLaunderingDetector>[1];
      const txs = world(c.seed, c.rows, c.late);
      const r = run(txs, c.ring, (ctx) => [transactionLaunderingDetector(ctx, p), transactionLaunderingDetector(ctx, p, { queues: false })]);
      assert.ok(r.findings[1]!.length > 0, 'the world raises findings');
      assert.equal(r.late > 0, c.late > 0);
      assert.deepEqual(r.findings[0], r.findings[1]);
    });
  }
});

describe('mule-pass-through: the forwarded-sum bounds skip only what the full check refuses', () => {
  function world(seed: number, rows: number, lateShare: number, negatives: boolean): Tx[] {
    const r = mulberry32(seed);
    const txs: Tx[] = [];
    let t = Date.UTC(2024, 0, 1);
    const accounts = 40;
    for (let i = 0; i < rows; i++) {
      t += Math.floor(r() * 0.5 * HOUR);
      const late = r() < lateShare ? Math.floor(r() * 10 * HOUR) : 0;
      const a = Math.floor(r() * accounts);
      let b = Math.floor(r() * accounts);
      if (b === a) b = (b + 1) % accounts;
      const amount = 400 + Math.floor(r() * 5000);
      const currency = r() < 0.03 ? 'ZZZ' : r() < 0.2 ? 'EUR' : 'USD';
      txs.push({ from: `A${a}`, to: `A${b}`, timeMs: t - late, minor: amount * 100, currency, channel: WIRE });
      // Often the receiver forwards most of it on within hours, in one to three parts.
      if (r() < 0.5) {
        const parts = 1 + Math.floor(r() * 3);
        const keep = 0.005 + r() * 0.1;
        for (let k = 0; k < parts; k++) {
          const c = Math.floor(r() * accounts);
          const minor = Math.round((amount * 100 * (1 - keep)) / parts);
          txs.push({ from: `A${b}`, to: `A${c}`, timeMs: t + Math.floor(r() * 20 * HOUR), minor: negatives && r() < 0.05 ? -minor : minor, currency: r() < 0.1 ? 'EUR' : currency, channel: WIRE });
        }
      }
    }
    if (lateShare === 0) txs.sort((x, y) => x.timeMs - y.timeMs);
    return txs;
  }

  const cases = [
    { name: 'in time order, defaults', seed: 11, rows: 3000, late: 0, negatives: false, ring: 1 << 16, params: { minScore: 0 } },
    { name: 'late transactions, small caps, a forgetting ring', seed: 12, rows: 3000, late: 0.05, negatives: false, ring: 1024, params: { minScore: 0, maxEdgesScanned: 4, maxSplits: 2 } },
    { name: 'negative amounts (no bounds)', seed: 13, rows: 3000, late: 0.02, negatives: true, ring: 1 << 16, params: { minScore: 0 } },
    { name: 'a wide band', seed: 14, rows: 3000, late: 0, negatives: false, ring: 1 << 16, params: { minScore: 0, minKeep: 0, maxKeep: 0.5, minAmount: 0 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = parseRules({ typologies: { 'mule-pass-through': c.params } }).typologies['mule-pass-through'] as unknown as Parameters<typeof mulePassThroughDetector>[1];
      const r = run(world(c.seed, c.rows, c.late, c.negatives), c.ring, (ctx) => [mulePassThroughDetector(ctx, p), mulePassThroughDetector(ctx, p, { bounds: false })]);
      assert.ok(r.findings[1]!.length > 10, 'the world raises findings');
      assert.deepEqual(r.findings[0], r.findings[1]);
    });
  }
});
