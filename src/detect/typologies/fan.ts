/**
 * fan-in / fan-out: many distinct counterparties pay one account (or are paid by it) within a window.
 * Benign look-alikes (merchants, utilities, payroll) are told apart by history, not by size alone: known
 * counterparties (paid before the window), a degree that is normal for the account, card traffic and small
 * amounts all pull the score down; new counterparties, an account suddenly far above its own history and
 * large amounts push it up.
 */
import { z } from 'zod';
import { channelIndex } from '../../model/index.js';
import type { WindowGraph } from '../graph.js';
import { clamp01, scoreOf, hours, HOUR_MS, type Detector, type DetectorContext, type Typology } from '../typology.js';

const FanParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.5).describe('alerts scoring below this are dropped'),
    windowHours: z.number().positive().max(24 * 90).default(96).describe('look-back window'),
    minCounterparties: z.number().int().min(2).max(10_000).default(3).describe('distinct counterparties within the window'),
    maxEdgesScanned: z.number().int().min(8).max(100_000).default(256).describe('newest transactions examined per account; older ones in the window are not seen (hubs)'),
    minAmount: z.number().min(0).default(0).describe('ignore transactions below this base-currency amount'),
  })
  .strict();
export type FanParams = z.infer<typeof FanParams>;

const CARD = channelIndex('card');

function fanDetector(ctx: DetectorContext, p: FanParams, inbound: boolean, typology: string): Detector {
  const g: WindowGraph = ctx.graph;
  const windowMs = p.windowHours * HOUR_MS;
  const edges: number[] = [];
  const parties: number[] = [];
  // Per account: the widest fan seen in earlier windows, and the one of the current window.
  let pastPeak = new Uint32Array(1024);
  let curPeak = new Uint32Array(1024);
  let curPeakMs = new Float64Array(1024);
  function ensure(account: number): void {
    if (account < pastPeak.length) return;
    let n = pastPeak.length;
    while (n <= account) n *= 2;
    const a = new Uint32Array(n);
    a.set(pastPeak);
    pastPeak = a;
    const b = new Uint32Array(n);
    b.set(curPeak);
    curPeak = b;
    const c = new Float64Array(n);
    c.set(curPeakMs);
    curPeakMs = c;
  }
  return {
    onTransaction(tx: number): void {
      const t = g.time(tx);
      // Only a counterparty new to the window can make the fan wider.
      if (g.pairLastMs >= t - windowMs) return;
      if (g.base(tx) < p.minAmount) return;
      const anchor = inbound ? g.to(tx) : g.from(tx);
      const since = t - windowMs;
      edges.length = 0;
      parties.length = 0;
      g.newMarks();
      g.markOnce(anchor);
      let novel = 0;
      let card = 0;
      let sum = 0;
      let scanned = 0;
      for (let e = inbound ? g.newestIn(anchor) : g.newestOut(anchor); e >= 0 && scanned < p.maxEdgesScanned; e = inbound ? g.prevIn(e) : g.prevOut(e)) {
        scanned++;
        const te = g.time(e);
        if (te < since) break;
        if (te > t) continue;
        const amount = g.base(e);
        if (amount < p.minAmount) continue;
        const other = inbound ? g.from(e) : g.to(e);
        edges.push(e);
        if (amount === amount) sum += amount;
        if (g.channel(e) === CARD) card++;
        if (g.markOnce(other)) {
          parties.push(other);
          const first = inbound ? g.pairSince(other, anchor) : g.pairSince(anchor, other);
          if (!(first < since)) novel++;
        }
      }
      const d = parties.length;
      if (d < p.minCounterparties) return;
      ensure(anchor);
      if (curPeakMs[anchor]! < since) {
        pastPeak[anchor] = Math.max(pastPeak[anchor]!, curPeak[anchor]!);
        curPeak[anchor] = 0;
      }
      const prior = pastPeak[anchor]!;
      if (d > curPeak[anchor]!) curPeak[anchor] = d;
      curPeakMs[anchor] = t;
      // An account that has fanned this wide before is doing what it does; a long-known account that never
      // did is changing; a young account gives little evidence either way.
      const historyMs = t - g.firstSeenMs[anchor]!;
      const aboveHistory = prior > 0 ? clamp01(1 - prior / d) : historyMs >= 2 * windowMs ? 1 : 0.25;
      const avg = sum / edges.length;
      const factors = [
        { name: 'counterparties', value: clamp01((d - 1) / 7), weight: 0.25 },
        { name: 'new-counterparties', value: novel / d, weight: 0.3 },
        { name: 'above-own-history', value: aboveHistory, weight: 0.25 },
        { name: 'amount-size', value: clamp01(Math.log10(Math.max(1, avg) / 100) / 2), weight: 0.25 },
        { name: 'card-payments', value: card / edges.length, weight: -0.4 },
      ];
      if (scoreOf(factors) < p.minScore) return;
      const first = edges.length > 0 ? g.time(edges[edges.length - 1]!) : t;
      const who = ctx.name(anchor);
      const span = hours(Math.max(t - first, 0));
      const explanation = inbound
        ? `${d} accounts (${novel} new to it) sent ${ctx.money(sum)} to ${who} in ${edges.length} transactions within ${span}`
        : `${who} sent ${ctx.money(sum)} to ${d} accounts (${novel} new to it) in ${edges.length} transactions within ${span}`;
      ctx.report({
        typology,
        key: who,
        factors,
        accounts: [anchor, ...parties],
        transactions: edges.slice(),
        explanation,
        minScore: p.minScore,
      });
    },
  };
}

export const fanIn: Typology<FanParams> = {
  name: 'fan-in',
  summary: 'many distinct senders pay one account within a window',
  params: FanParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create: (ctx, p) => fanDetector(ctx, p, true, 'fan-in'),
};

export const fanOut: Typology<FanParams> = {
  name: 'fan-out',
  summary: 'one account pays many distinct receivers within a window',
  params: FanParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create: (ctx, p) => fanDetector(ctx, p, false, 'fan-out'),
};
