/**
 * unusual-transfer: one transfer far above anything its sender ever paid and its receiver ever received,
 * between accounts that never dealt before. Laundering that uses ordinary people's accounts (recruited
 * mules, bipartite and stacked layering between unrelated accounts) shows up as exactly this, even when
 * no shape links the transfers. Needs a profile: accounts with too little history are not judged.
 */
import { z } from 'zod';
import { clamp01, scoreOf, HOUR_MS, type Detector, type Typology } from '../typology.js';
import { newPair, sizeOf } from './flow.js';

const UnusualParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.6),
    minAmount: z.number().min(0).default(1_000).describe('smallest transfer judged (base currency)'),
    minHistoryTransactions: z.number().int().min(1).max(1_000_000).default(5).describe('past transactions an account needs before its profile counts'),
    minHistoryDays: z.number().min(0).max(3650).default(14).describe('age an account needs before its profile counts'),
    minRatio: z.number().min(1).default(2).describe('transfer / largest past amount on that side, to count as out of profile'),
    unprofiledSide: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('how far out of profile the side without a profile (a fresh account) counts when the other side is out of profile: unknown, so half by default; 0 judges on the profiled side alone'),
  })
  .strict();
type UnusualParams = z.infer<typeof UnusualParams>;

export const unusualTransfer: Typology<UnusualParams> = {
  name: 'unusual-transfer',
  summary: 'a transfer far above both accounts’ profiles between accounts that never dealt before',
  params: UnusualParams,
  horizonMs: () => 24 * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const minAgeMs = p.minHistoryDays * 24 * HOUR_MS;
    function outOfProfile(account: number, pastMax: number, t: number, amount: number): number {
      const history = g.inCount[account]! + g.outCount[account]!;
      if (history < p.minHistoryTransactions || t - g.firstSeenMs[account]! < minAgeMs) return -1;
      const ratio = pastMax > 0 ? amount / pastMax : Infinity;
      if (ratio < p.minRatio) return 0;
      return clamp01(Math.log(ratio) / Math.log(10));
    }
    return {
      onTransaction(tx: number): void {
        if (g.pairCount > 0) return;
        const amount = g.base(tx);
        if (!(amount >= p.minAmount)) return;
        const a = g.from(tx);
        const b = g.to(tx);
        const t = g.time(tx);
        const s = outOfProfile(a, g.outMax[a]!, t, amount);
        const r = outOfProfile(b, g.inMax[b]!, t, amount);
        // One side out of profile; the other out of profile too or without one (fresh accounts). A transfer
        // within the profile of either side (a dealer selling a car, a school taking fees) is not unusual.
        if (s === 0 || r === 0 || (s < 0 && r < 0)) return;
        if (!newPair(g, a, b, t)) return;
        const factors = [
          { name: 'above-sender-profile', value: (s < 0 ? p.unprofiledSide : s) * ctx.observed(t), weight: 0.3 },
          { name: 'above-receiver-profile', value: (r < 0 ? p.unprofiledSide : r) * ctx.observed(t), weight: 0.3 },
          { name: 'new-counterparty', value: ctx.observed(t), weight: 0.2 },
          { name: 'amount-size', value: sizeOf(amount), weight: 0.2 },
        ];
        if (scoreOf(factors) < p.minScore) return;
        const parts: string[] = [];
        if (s > 0) parts.push(`${(amount / g.outMax[a]!).toFixed(1)}× the most ${ctx.name(a)} ever paid`);
        if (r > 0) parts.push(`${(amount / g.inMax[b]!).toFixed(1)}× the most ${ctx.name(b)} ever received`);
        if (s < 0) parts.push(`${ctx.name(a)} is too new to have a profile`);
        if (r < 0) parts.push(`${ctx.name(b)} is too new to have a profile`);
        ctx.report({
          typology: 'unusual-transfer',
          key: `u${tx}`,
          factors,
          accounts: [a, b],
          transactions: [tx],
          explanation: `${ctx.name(a)} paid ${ctx.money(amount)} to new counterparty ${ctx.name(b)}: ${parts.join(' and ')}`,
          minScore: p.minScore,
        });
      },
    };
  },
};
