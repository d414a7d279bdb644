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
import { AccountColumn, WindowPeak } from './flow.js';
import { clamp01, scoreOf, weigh, hours, HOUR_MS, type Detector, type DetectorContext, type Typology } from '../typology.js';

const FanParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.6).describe('alerts scoring below this are dropped'),
    windowHours: z.number().positive().max(24 * 90).default(96).describe('look-back window'),
    minCounterparties: z.number().int().min(2).max(10_000).default(3).describe('distinct counterparties within the window'),
    maxEdgesScanned: z.number().int().min(8).max(100_000).default(256).describe('newest transactions examined per account; older ones in the window are not seen (hubs)'),
    minAmount: z.number().min(0).default(100).describe('ignore transactions below this base-currency amount'),
    businessCounterparties: z.number().int().min(2).max(1_000_000).default(50).describe('a fan this wide looks like a business (payroll, bills, a shop): the counterparties factor fades from here to twice as many'),
    includeCards: z.boolean().default(false).describe('let card payments start an evaluation (merchants take many; card typologies judge them)'),
    reevaluateShare: z.number().min(0).max(1).default(0.125).describe('after an evaluation that found d counterparties, the next waits for d × this many new ones (bounds the cost on hubs)'),
  })
  .strict();
export type FanParams = z.infer<typeof FanParams>;

const CARD = channelIndex('card');

function fanDetector(ctx: DetectorContext, p: FanParams, inbound: boolean, typology: string): Detector {
  const g: WindowGraph = ctx.graph;
  const windowMs = p.windowHours * HOUR_MS;
  const edges: number[] = [];
  const parties: number[] = [];
  const partyNew: number[] = [];
  const edgeParty: number[] = [];
  const partySlot = new AccountColumn(1024, 0);
  // Per account: the widest fan seen in earlier windows.
  const peaks = new WindowPeak();
  // Throttle on hubs: new counterparties since the last evaluation, and how many the next one waits for.
  const pendingColumn = new AccountColumn(1024, 0);
  const waitForColumn = new AccountColumn(1024, 0);
  return {
    onTransaction(tx: number): void {
      const t = g.time(tx);
      // Only a counterparty new to the window can make the fan wider.
      if (g.pairLastMs >= t - windowMs) return;
      if (g.base(tx) < p.minAmount || (!p.includeCards && g.channel(tx) === CARD)) return;
      const anchor = inbound ? g.to(tx) : g.from(tx);
      const pending = pendingColumn.ensure(anchor);
      const waitFor = waitForColumn.ensure(anchor);
      if (++pending[anchor]! < waitFor[anchor]!) return;
      pending[anchor] = 0;
      const since = t - windowMs;
      edges.length = 0;
      parties.length = 0;
      partyNew.length = 0;
      edgeParty.length = 0;
      g.newMarks();
      g.markOnce(anchor);
      let novel = 0;
      let scanned = 0;
      for (let e = inbound ? g.newestIn(anchor) : g.newestOut(anchor); e >= 0 && scanned < p.maxEdgesScanned; e = inbound ? g.prevIn(e) : g.prevOut(e)) {
        scanned++;
        const te = g.time(e);
        if (te < since) break;
        if (te > t) continue;
        const amount = g.base(e);
        if (amount < p.minAmount || (!p.includeCards && g.channel(e) === CARD)) continue;
        const other = inbound ? g.from(e) : g.to(e);
        const slots = partySlot.ensure(other);
        if (g.markOnce(other)) {
          slots[other] = parties.length;
          parties.push(other);
          const firstMs = inbound ? g.pairSince(other, anchor) : g.pairSince(anchor, other);
          const isNew = !(firstMs < since);
          partyNew.push(isNew ? 1 : 0);
          if (isNew) novel++;
        }
        edges.push(e);
        edgeParty.push(slots[other]!);
      }
      const d = parties.length;
      waitFor[anchor] = Math.floor(d * p.reevaluateShare);
      const prior = peaks.observe(anchor, d, t, since);
      // Known counterparties are the account's ordinary life once the engine has watched long enough to
      // know them: they then neither widen the fan nor belong in the alert.
      const observed = ctx.observed(t);
      const dEffective = novel + (d - novel) * (1 - observed);
      const newOnly = observed >= 0.5;
      if (dEffective < p.minCounterparties || (newOnly && novel < p.minCounterparties)) return;
      // An account that has fanned this wide before is doing what it does; a long-known account that never
      // did is changing; a young account gives little evidence either way.
      const historyMs = t - g.firstSeenMs[anchor]!;
      let aboveHistory = prior > 0 ? clamp01(1 - prior / d) : historyMs >= 2 * windowMs ? 1 : 0.25;
      // An account that meets strangers all the time (a dealer, a school) is not changing when it meets more.
      if (historyMs >= 2 * windowMs && novel > 0) {
        const strangers = inbound ? g.inNewPairs[anchor]! : g.outNewPairs[anchor]!;
        const expected = (Math.max(0, strangers - novel) * windowMs) / (historyMs - windowMs);
        aboveHistory = Math.min(aboveHistory, clamp01(1 - expected / novel));
      }
      let sum = 0;
      let listed = 0;
      for (let i = 0; i < edges.length; i++) {
        if (newOnly && partyNew[edgeParty[i]!] === 0) continue;
        const amount = g.base(edges[i]!);
        if (amount === amount) sum += amount;
        listed++;
      }
      const factors = weigh([
        { name: 'counterparties', value: clamp01((dEffective - 1) / 7) * clamp01(2 - dEffective / p.businessCounterparties), weight: 0.25 },
        { name: 'new-counterparties', value: novel / d, weight: 0.3, evidence: observed },
        { name: 'above-own-history', value: aboveHistory, weight: 0.2, evidence: observed },
        { name: 'amount-size', value: clamp01(Math.log10(Math.max(1, sum / listed) / 100) / 2), weight: 0.25 },
      ]);
      if (scoreOf(factors) < p.minScore) return;
      const txs: number[] = [];
      let first = t;
      for (let i = 0; i < edges.length; i++) {
        if (newOnly && partyNew[edgeParty[i]!] === 0) continue;
        txs.push(edges[i]!);
        first = Math.min(first, g.time(edges[i]!));
      }
      const implicated = newOnly ? parties.filter((_, i) => partyNew[i] === 1) : parties.slice();
      const who = ctx.name(anchor);
      const span = hours(Math.max(t - first, 0));
      const n = implicated.length;
      const explanation = inbound
        ? `${n} accounts${newOnly ? ' new to it' : ` (${novel} new to it)`} sent ${ctx.money(sum)} to ${who} in ${txs.length} transactions within ${span}`
        : `${who} sent ${ctx.money(sum)} to ${n} accounts${newOnly ? ' new to it' : ` (${novel} new to it)`} in ${txs.length} transactions within ${span}`;
      ctx.report({
        typology,
        key: who,
        factors,
        accounts: [anchor, ...implicated],
        transactions: txs,
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
