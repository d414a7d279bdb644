/**
 * transaction-laundering: a card merchant whose takings do not look like a business selling to the public
 * (the fake travel sites of the field). Card schemes' indicators, computed over the merchant's card payments
 * in a window: few distinct price points carry most of the takings, the same cards pay again and again, and
 * payments come at night. Evaluated once every `evaluateEvery` card payments per merchant (a quarter of its
 * window's payments for busy merchants), over at most the
 * `maxEdgesScanned` newest of them (older ones in the window are then not seen).
 */
import { z } from 'zod';
import { channelIndex } from '../../model/index.js';
import { clamp01, hours, HOUR_MS, scoreOf, type Detector, type Typology } from '../typology.js';
import { AccountColumn, sizeOf } from './flow.js';

const TransactionLaunderingParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.6),
    windowHours: z.number().positive().max(24 * 90).default(24 * 7).describe('look-back window over the merchant\'s card payments'),
    minPayments: z.number().int().min(5).max(100_000).default(20).describe('card payments in the window before a merchant is judged'),
    evaluateEvery: z.number().int().min(1).max(100_000).default(10).describe('card payments per merchant between two evaluations'),
    pricePoints: z.number().int().min(1).max(20).default(5).describe('how many of the most frequent amounts count as "fixed prices"'),
    minAveragePayment: z.number().min(0).default(100).describe('merchants whose average card payment is below this (base currency) are not judged: a café sells the same coffee to the same regulars'),
    repeatCardPayments: z.number().int().min(2).max(100).default(3).describe('a card paying the merchant this often in the window is a repeat card'),
    nightFromHour: z.number().int().min(0).max(23).default(0).describe('night starts at this UTC hour'),
    nightToHour: z.number().int().min(1).max(24).default(5).describe('night ends before this UTC hour'),
    maxEdgesScanned: z.number().int().min(8).max(100_000).default(512),
  })
  .strict();
type TransactionLaunderingParams = z.infer<typeof TransactionLaunderingParams>;

const CARD = channelIndex('card');

export const transactionLaundering: Typology<TransactionLaunderingParams> = {
  name: 'transaction-laundering',
  summary: 'a card merchant whose takings do not look like sales: few fixed prices, the same cards again and again, at night',
  params: TransactionLaunderingParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const windowMs = p.windowHours * HOUR_MS;
    const pending = new AccountColumn(1024, 0);
    // Busy merchants are re-judged less often: after n payments in the window, the next look waits for n/4 more.
    const waitFor = new AccountColumn(1024, 0);
    const edges: number[] = [];
    const cards: number[] = [];
    const cardCount = new AccountColumn(1024, 0);
    const priceCount = new Map<number, number>();
    return {
      onTransaction(tx: number): void {
        if (g.channel(tx) !== CARD) return;
        const merchant = g.to(tx);
        const waiting = pending.ensure(merchant);
        const wait = waitFor.ensure(merchant);
        if (++waiting[merchant]! < Math.max(p.evaluateEvery, wait[merchant]!)) return;
        waiting[merchant] = 0;
        const t = g.time(tx);
        const since = t - windowMs;
        edges.length = cards.length = 0;
        priceCount.clear();
        g.newMarks();
        let sum = 0;
        let night = 0;
        let seen = 0;
        for (let e = g.newestIn(merchant); e >= 0 && seen < p.maxEdgesScanned; e = g.prevIn(e)) {
          seen++;
          const te = g.time(e);
          if (te < since) break;
          if (te > t || g.channel(e) !== CARD) continue;
          edges.push(e);
          const minor = g.txMinor[g.slot(e)]!;
          priceCount.set(minor, (priceCount.get(minor) ?? 0) + 1);
          const a = g.base(e);
          if (a === a) sum += a;
          const hour = Math.floor((((te % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS);
          if (hour >= p.nightFromHour && hour < p.nightToHour) night++;
          const card = g.from(e);
          const counts = cardCount.ensure(card);
          if (g.markOnce(card)) {
            cards.push(card);
            counts[card] = 0;
          }
          counts[card] = counts[card]! + 1;
        }
        const n = edges.length;
        waitFor.ensure(merchant)[merchant] = Math.floor(n / 4);
        if (n < p.minPayments || !(sum / n >= p.minAveragePayment)) return;
        const top = [...priceCount.values()].sort((x, y) => y - x).slice(0, p.pricePoints).reduce((x, y) => x + y, 0);
        let repeatPayments = 0;
        const counts = cardCount.data;
        for (const c of cards) if (counts[c]! >= p.repeatCardPayments) repeatPayments += counts[c]!;
        const fixedShare = top / n;
        const repeatShare = repeatPayments / n;
        const nightShare = night / n;
        const expectedNight = (p.nightToHour - p.nightFromHour) / 24;
        const factors = [
          { name: 'fixed-price-points', value: clamp01((fixedShare - 0.3) / 0.6), weight: 0.35 },
          { name: 'repeat-cards', value: clamp01(repeatShare / 0.5), weight: 0.3 },
          { name: 'night-payments', value: clamp01((nightShare - expectedNight) / (1 - expectedNight)), weight: 0.2 },
          { name: 'amount-size', value: sizeOf(sum / n), weight: 0.15 },
        ];
        if (scoreOf(factors) < p.minScore) return;
        let first = t;
        for (const e of edges) first = Math.min(first, g.time(e));
        ctx.report({
          typology: 'transaction-laundering',
          key: ctx.name(merchant),
          factors,
          accounts: [merchant, ...cards],
          transactions: edges.slice(),
          explanation:
            `${ctx.name(merchant)} took ${n} card payments (${ctx.money(sum)}) from ${cards.length} cards within ${hours(t - first)}: ` +
            `${Math.round(fixedShare * 100)} % at its ${p.pricePoints} most frequent amounts, ${Math.round(repeatShare * 100)} % from cards paying ` +
            `${p.repeatCardPayments}+ times, ${Math.round(nightShare * 100)} % at night`,
          minScore: p.minScore,
        });
      },
    };
  },
};
