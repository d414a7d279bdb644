/**
 * cycle: funds leave an account and come back to it through 2..maxHops accounts, each hop later than the
 * one before, all within a window, each hop carrying an amount close to the previous one (fees and
 * currency conversions may shrink or move it by `amountTolerance`). Found when the closing transaction
 * arrives, by a bounded depth-first search backwards from its sender (`maxVisits` edges per transaction:
 * at the limit the search stops and longer or busier cycles can be missed).
 */
import { z } from 'zod';
import { clamp01, scoreOf, weigh, hours, HOUR_MS, type Detector, type Typology } from '../typology.js';

const CycleParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.5),
    windowHours: z.number().positive().max(24 * 90).default(168).describe('first to last hop'),
    minHops: z.number().int().min(2).max(64).default(2),
    maxHops: z.number().int().min(2).max(64).default(12),
    minAmount: z.number().min(0).default(300).describe('smallest closing payment considered (base currency): friends settling a dinner bill are not a cycle'),
    amountTolerance: z.number().min(0).max(10).default(0.35).describe('a hop may carry between 1/(1+tol) and (1+tol) times the previous hop'),
    maxVisits: z.number().int().min(16).max(1_000_000).default(2_000).describe('edges examined per closing transaction'),
    maxInEdgesPerAccount: z.number().int().min(4).max(100_000).default(64).describe('newest incoming transactions examined per account on the path'),
  })
  .strict()
  .refine((p) => p.minHops <= p.maxHops, { message: 'minHops must not exceed maxHops', path: ['minHops'] });
type CycleParams = z.infer<typeof CycleParams>;

export const cycle: Typology<CycleParams> = {
  name: 'cycle',
  summary: 'funds return to their origin through 2..N time-ordered hops of similar amounts',
  params: CycleParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const windowMs = p.windowHours * HOUR_MS;
    const lo = 1 / (1 + p.amountTolerance);
    const hi = 1 + p.amountTolerance;
    // Explicit DFS stack: edge on the path at each depth and the cursor of the next sibling to try.
    const pathEdge = new Int32Array(p.maxHops + 1);
    const cursor = new Int32Array(p.maxHops + 1);
    const onPath: number[] = [];
    let visits = 0;

    function nextCandidate(e: number, beforeMs: number, amount: number, since: number): number {
      // Walk incoming edges of `account` from `e` onwards; return the first usable one.
      let seen = 0;
      for (; e >= 0 && seen < p.maxInEdgesPerAccount && visits < p.maxVisits; e = g.prevIn(e)) {
        seen++;
        visits++;
        const te = g.time(e);
        if (te < since) return -1;
        if (te > beforeMs) continue;
        const a = g.base(e);
        const r = a / amount;
        if (!(r >= lo && r <= hi)) continue;
        if (onPath.includes(g.from(e))) {
          if (g.from(e) !== onPath[0]) continue;
        }
        return e;
      }
      return -1;
    }

    return {
      onTransaction(tx: number): void {
        const t = g.time(tx);
        const origin = g.to(tx); // the cycle starts where the closing payment lands
        const closer = g.from(tx);
        if (origin === closer) return;
        const amount0 = g.base(tx);
        if (!(amount0 >= p.minAmount) || amount0 <= 0) return;
        const since = t - windowMs;
        visits = 0;
        onPath.length = 0;
        onPath.push(origin, closer);
        let depth = 0; // number of edges on the path besides tx
        let holder = closer;
        let beforeMs = t;
        let amount = amount0;
        cursor[0] = nextCandidate(g.newestIn(holder), beforeMs, amount, since);
        while (depth >= 0 && visits < p.maxVisits) {
          const e = cursor[depth]!;
          if (e < 0) {
            // Exhausted this level: pop.
            depth--;
            if (depth < 0) break;
            onPath.pop();
            const prevEdge = pathEdge[depth]!;
            const prevBefore = depth === 0 ? t : g.time(pathEdge[depth - 1]!);
            const prevAmount = depth === 0 ? amount0 : g.base(pathEdge[depth - 1]!);
            cursor[depth] = nextCandidate(g.prevIn(prevEdge), prevBefore, prevAmount, since);
            continue;
          }
          pathEdge[depth] = e;
          const sender = g.from(e);
          const hops = depth + 2;
          if (sender === origin) {
            if (hops >= p.minHops) report(tx, depth + 1, hops);
            cursor[depth] = nextCandidate(g.prevIn(e), depth === 0 ? t : g.time(pathEdge[depth - 1]!), depth === 0 ? amount0 : g.base(pathEdge[depth - 1]!), since);
            continue;
          }
          if (hops >= p.maxHops) {
            cursor[depth] = nextCandidate(g.prevIn(e), depth === 0 ? t : g.time(pathEdge[depth - 1]!), depth === 0 ? amount0 : g.base(pathEdge[depth - 1]!), since);
            continue;
          }
          // Descend: look at what paid `sender` before e.
          holder = sender;
          beforeMs = g.time(e);
          amount = g.base(e);
          onPath.push(sender);
          depth++;
          cursor[depth] = nextCandidate(g.newestIn(holder), beforeMs, amount, since);
        }

        function report(closing: number, pathLen: number, hopCount: number): void {
          const edges: number[] = [];
          for (let i = pathLen - 1; i >= 0; i--) edges.push(pathEdge[i]!);
          edges.push(closing);
          const accounts = edges.map((x) => g.from(x));
          const firstMs = g.time(edges[0]!);
          const spanMs = t - firstMs;
          let worst = 1;
          let novel = 0;
          for (let i = 0; i < edges.length; i++) {
            if (i > 0) {
              const r = g.base(edges[i]!) / g.base(edges[i - 1]!);
              worst = Math.min(worst, r > 1 ? 1 / r : r);
            }
            const first = g.pairSince(g.from(edges[i]!), g.to(edges[i]!));
            if (!(first < firstMs)) novel++;
          }
          const sent = g.base(edges[0]!);
          const back = g.base(closing);
          const factors = weigh([
            { name: 'hops', value: clamp01((hopCount - 1) / 4), weight: 0.35 },
            { name: 'amount-kept-along-the-path', value: clamp01((worst - lo) / (1 - lo)), weight: 0.25 },
            { name: 'new-counterparties', value: novel / edges.length, weight: 0.3, evidence: ctx.observed(t) },
            { name: 'speed', value: clamp01(1 - spanMs / windowMs), weight: 0.15 },
            { name: 'amount-size', value: clamp01(Math.log10(Math.max(1, sent) / 100) / 2), weight: 0.15 },
          ]);
          if (scoreOf(factors) < p.minScore) return;
          const key = [...accounts].sort((a, b) => a - b).join(',');
          ctx.report({
            typology: 'cycle',
            key,
            factors,
            accounts,
            transactions: edges,
            explanation: `${ctx.money(sent)} left ${ctx.name(origin)} and ${ctx.money(back)} came back through ${hopCount - 1} other account(s) in ${hopCount} time-ordered hops within ${hours(spanMs)}`,
            minScore: p.minScore,
          });
        }
      },
    };
  },
};
