/**
 * Pass-through typologies: money that lands in an account and leaves it again soon after.
 * - `mule-pass-through`: received funds forwarded (in one or several transfers) within hours, minus a
 *   small cut (money mules keep 3–5 %); a chain of such accounts is one alert.
 * - `rapid-movement`: value crossing several accounts in a row, each forwarding it within hours.
 * - `stack`: layering through accounts with no past relation: X → M → Y with similar amounts, new
 *   pairs, amounts out of character for M; parallel layers (other pass-through accounts fed by the same
 *   source or feeding the same sink) raise the score.
 */
import { z } from 'zod';
import { clamp01, scoreOf, weigh, hours, HOUR_MS, type Detector, type DetectorContext, type Typology } from '../typology.js';
import { AccountColumn, ChainIndex, matchingIn, newPair, sentBetween, sizeOf } from './flow.js';

const MuleParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.5),
    maxHoldHours: z.number().positive().max(24 * 30).default(24).describe('longest time between receiving and forwarding'),
    minKeep: z.number().min(0).max(1).default(0.01).describe('smallest share of the received amount the mule keeps'),
    maxKeep: z.number().min(0).max(1).default(0.08).describe('largest share the mule keeps'),
    minAmount: z.number().min(0).default(500).describe('smallest received amount considered (base currency)'),
    maxEdgesScanned: z.number().int().min(4).max(10_000).default(32).describe('newest in/out transactions examined per account'),
    maxSplits: z.number().int().min(1).max(1_000).default(10).describe('most transfers the forwarded money may be split into (a payroll run is not a mule)'),
    maxChains: z.number().int().min(1024).max(10_000_000).default(200_000).describe('transactions remembered as part of a chain; at the limit the oldest half is forgotten'),
  })
  .strict()
  .refine((p) => p.minKeep <= p.maxKeep, { message: 'minKeep must not exceed maxKeep', path: ['minKeep'] });
type MuleParams = z.infer<typeof MuleParams>;

export const mulePassThrough: Typology<MuleParams> = {
  name: 'mule-pass-through',
  summary: 'an account forwards most of what it received within hours, keeping a small cut; chains are one alert',
  params: MuleParams,
  horizonMs: (p) => p.maxHoldHours * HOUR_MS * 2,
  create: (ctx, p) => mulePassThroughDetector(ctx, p),
};

export interface MulePassThroughOptions {
  /** Skip received amounts the forwarded-sum bounds rule out (default); false: examine every one (tests compare). */
  bounds?: boolean;
}

export function mulePassThroughDetector(ctx: DetectorContext, p: MuleParams, options: MulePassThroughOptions = {}): Detector {
  const g = ctx.graph;
  const holdMs = p.maxHoldHours * HOUR_MS;
  const chains = new ChainIndex(p.maxChains);
  const useBounds = options.bounds !== false;
  const chainMules = new Map<string, number>();
  const outs: number[] = [];
  return {
    onTransaction(tx: number): void {
      const m = g.from(tx);
      const t = g.time(tx);
      const amountOut = g.base(tx);
      // Bounds that spare most walks out of m, exact when no amount is negative: what m forwarded since
      // any ti is at least this transfer (the walk's first) and at most what it sent in the whole hold
      // window (the walk's longest prefix), and the kept share falls as the forwarded sum grows.
      const bounded = useBounds && !g.negativeSeen && amountOut >= 0;
      let sentAll = NaN;
      let seen = 0;
      for (let i = g.newestIn(m); i >= 0 && seen < p.maxEdgesScanned; i = g.prevIn(i)) {
        seen++;
        const ti = g.time(i);
        if (ti < t - holdMs) break;
        if (ti > t) continue;
        const amountIn = g.base(i);
        if (!(amountIn >= p.minAmount)) continue;
        if (bounded) {
          if (!(1 - amountOut / amountIn >= p.minKeep)) continue;
          if (sentAll !== sentAll) sentAll = sentBetween(g, m, t - holdMs, t, p.maxEdgesScanned);
          if (!(1 - sentAll / amountIn <= p.maxKeep)) continue;
        }
        outs.length = 0;
        const sent = sentBetween(g, m, ti, t, p.maxEdgesScanned, outs);
        const keep = 1 - sent / amountIn;
        const keepBefore = 1 - (sent - amountOut) / amountIn;
        // This transfer is the one that brings the forwarded share into the band.
        if (!(keep >= p.minKeep && keep <= p.maxKeep) || keepBefore <= p.maxKeep || outs.length > p.maxSplits) continue;
        const upstream = chains.get(i);
        const key = upstream ?? `m${i}`;
        const mules = (chainMules.get(key) ?? 0) + 1;
        chainMules.set(key, mules);
        if (chainMules.size > p.maxChains) chainMules.delete(chainMules.keys().next().value!);
        for (const o of outs) chains.set(o, key);
        let novel = newPair(g, g.from(i), m, ti - holdMs) ? 1 : 0;
        for (const o of outs) if (newPair(g, m, g.to(o), ti - holdMs)) novel++;
        const holdMsActual = t - ti;
        const mid = (p.minKeep + p.maxKeep) / 2;
        const factors = weigh([
          { name: 'kept-share-in-band', value: clamp01(1 - Math.abs(keep - mid) / (p.maxKeep - p.minKeep + 1e-9)), weight: 0.25 },
          { name: 'speed', value: clamp01(1 - holdMsActual / holdMs), weight: 0.15 },
          { name: 'new-counterparties', value: novel / (outs.length + 1), weight: 0.25, evidence: ctx.observed(t) },
          { name: 'chain-of-mules', value: clamp01((mules - 1) / 2), weight: 0.2 },
          { name: 'split-into-several', value: clamp01((outs.length - 1) / 3), weight: 0.1 },
          { name: 'amount-size', value: sizeOf(amountIn), weight: 0.15 },
        ]);
        if (scoreOf(factors) < p.minScore) continue;
        const receivers = outs.map((o) => g.to(o));
        ctx.report({
          typology: 'mule-pass-through',
          key,
          factors,
          accounts: [g.from(i), m, ...receivers],
          transactions: [i, ...outs],
          explanation: `${ctx.name(m)} received ${ctx.money(amountIn)} from ${ctx.name(g.from(i))} and forwarded ${ctx.money(sent)} in ${outs.length} transfer(s) within ${hours(holdMsActual)}, keeping ${(keep * 100).toFixed(1)} %` + (mules > 1 ? ` (mule ${mules} of a chain)` : ''),
          minScore: p.minScore,
        });
        return;
      }
    },
  };
}

const RapidParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.5),
    minHops: z.number().int().min(2).max(64).default(3).describe('transfers in the chain (accounts crossed = hops + 1)'),
    maxHops: z.number().int().min(2).max(64).default(12).describe('longest chain followed back'),
    maxHoldHours: z.number().positive().max(24 * 30).default(24).describe('longest stay in each account'),
    windowHours: z.number().positive().max(24 * 90).default(72).describe('first to last transfer of the chain'),
    minRatio: z.number().positive().default(0.7).describe('smallest forwarded / received amount per hop'),
    maxRatio: z.number().positive().default(1.1).describe('largest forwarded / received amount per hop'),
    minAmount: z.number().min(0).default(500),
    maxEdgesScanned: z.number().int().min(4).max(10_000).default(32),
  })
  .strict();
type RapidParams = z.infer<typeof RapidParams>;

export const rapidMovement: Typology<RapidParams> = {
  name: 'rapid-movement',
  summary: 'value crosses several accounts in a row, each forwarding it within hours',
  params: RapidParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const holdMs = p.maxHoldHours * HOUR_MS;
    const windowMs = p.windowHours * HOUR_MS;
    const chain: number[] = [];
    return {
      onTransaction(tx: number): void {
        const amount = g.base(tx);
        if (!(amount >= p.minAmount)) return;
        const t = g.time(tx);
        chain.length = 0;
        chain.push(tx);
        let cur = tx;
        g.newMarks();
        g.markOnce(g.to(tx));
        while (chain.length < p.maxHops) {
          const holder = g.from(cur);
          if (!g.markOnce(holder)) break;
          const tc = g.time(cur);
          const prev = matchingIn(g, holder, Math.max(tc - holdMs, t - windowMs), tc, g.base(cur), p.minRatio, p.maxRatio, p.maxEdgesScanned);
          if (prev < 0) break;
          chain.push(prev);
          cur = prev;
        }
        if (chain.length < p.minHops) return;
        chain.reverse();
        const first = chain[0]!;
        const spanMs = t - g.time(first);
        let novel = 0;
        for (const e of chain) if (newPair(g, g.from(e), g.to(e), g.time(first) - windowMs)) novel++;
        const accounts = [g.from(first), ...chain.map((e) => g.to(e))];
        const factors = weigh([
          { name: 'accounts-crossed', value: clamp01((chain.length - 1) / 5), weight: 0.3 },
          { name: 'speed', value: clamp01(1 - spanMs / windowMs), weight: 0.2 },
          { name: 'new-counterparties', value: novel / chain.length, weight: 0.3, evidence: ctx.observed(t) },
          { name: 'amount-size', value: sizeOf(g.base(first)), weight: 0.2 },
        ]);
        if (scoreOf(factors) < p.minScore) return;
        ctx.report({
          typology: 'rapid-movement',
          key: `r${first}`,
          factors,
          accounts,
          transactions: chain.slice(),
          explanation: `${ctx.money(g.base(first))} moved from ${ctx.name(accounts[0]!)} through ${chain.length - 1} account(s) to ${ctx.name(accounts[accounts.length - 1]!)} in ${chain.length} transfers within ${hours(spanMs)}`,
          minScore: p.minScore,
        });
      },
    };
  },
};

const StackParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.6),
    maxHoldHours: z.number().positive().max(24 * 30).default(72).describe('longest time between receiving and forwarding'),
    minRatio: z.number().positive().default(0.7).describe('smallest forwarded / received amount'),
    maxRatio: z.number().positive().default(1.3).describe('largest forwarded / received amount (currency conversions move it)'),
    minAmount: z.number().min(0).default(500),
    historyDays: z.number().positive().default(30).describe('a pair that dealt within this many days before is not new'),
    maxEdgesScanned: z.number().int().min(4).max(10_000).default(32),
  })
  .strict();
type StackParams = z.infer<typeof StackParams>;

export const stack: Typology<StackParams> = {
  name: 'stack',
  summary: 'layering: accounts with no past relation pass similar amounts on, in parallel layers',
  params: StackParams,
  horizonMs: (p) => p.maxHoldHours * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const holdMs = p.maxHoldHours * HOUR_MS;
    const historyMs = p.historyDays * 24 * HOUR_MS;
    // Last time each account was seen acting as a layer (time), and the source / sink it used.
    const layerMs = new AccountColumn(1024, -Infinity);
    const fedBy = new AccountColumn(1024, -1);
    const feeds = new AccountColumn(1024, -1);
    const sourceLayers = new AccountColumn(1024, 0);
    const sinkLayers = new AccountColumn(1024, 0);
    const sourceMs = new AccountColumn(1024, -Infinity);
    const sinkMs = new AccountColumn(1024, -Infinity);
    return {
      onTransaction(tx: number): void {
        const amountOut = g.base(tx);
        if (!(amountOut >= p.minAmount)) return;
        const m = g.from(tx);
        const z2 = g.to(tx);
        const t = g.time(tx);
        if (!newPair(g, m, z2, t - historyMs)) return;
        const i = matchingIn(g, m, t - holdMs, t, amountOut, p.minRatio, p.maxRatio, p.maxEdgesScanned);
        if (i < 0) return;
        const x = g.from(i);
        if (x === z2 || !newPair(g, x, m, g.time(i) - historyMs)) return;
        const amountIn = g.base(i);
        // Out of character: M never paid out amounts like this before.
        const pastMax = g.outMax[m]!;
        const usual = pastMax > 0 ? clamp01(1 - pastMax / amountIn) : g.inCount[m]! <= 1 ? 0.5 : 1;
        const lm = layerMs.ensure(Math.max(m, x, z2));
        const fb = fedBy.ensure(m);
        const fd = feeds.ensure(m);
        const sl = sourceLayers.ensure(x);
        const kl = sinkLayers.ensure(z2);
        const sm = sourceMs.ensure(x);
        const km = sinkMs.ensure(z2);
        if (sm[x]! < t - holdMs) sl[x] = 0;
        if (km[z2]! < t - holdMs) kl[z2] = 0;
        if (!(lm[m]! >= t - holdMs && fb[m] === x)) sl[x] = sl[x]! + 1;
        if (!(lm[m]! >= t - holdMs && fd[m] === z2)) kl[z2] = kl[z2]! + 1;
        sm[x] = t;
        km[z2] = t;
        lm[m] = t;
        fb[m] = x;
        fd[m] = z2;
        const parallel = Math.max(sl[x]!, kl[z2]!) - 1;
        const holdActual = t - g.time(i);
        const ratio = amountOut / amountIn;
        const factors = [
          { name: 'new-counterparties', value: ctx.observed(t), weight: 0.25 },
          { name: 'out-of-character-for-the-layer', value: usual * ctx.observed(t), weight: 0.25 },
          { name: 'amount-carried-through', value: clamp01(1 - Math.abs(Math.log(ratio)) / Math.log(p.maxRatio)), weight: 0.1 },
          { name: 'speed', value: clamp01(1 - holdActual / holdMs), weight: 0.1 },
          { name: 'amount-size', value: sizeOf(amountIn), weight: 0.15 },
          { name: 'parallel-layers', value: clamp01(parallel / 2), weight: 0.25 },
        ];
        if (scoreOf(factors) < p.minScore) return;
        ctx.report({
          typology: 'stack',
          key: `${ctx.name(x)}>${ctx.name(m)}`,
          factors,
          accounts: [x, m, z2],
          transactions: [i, tx],
          explanation: `${ctx.name(m)} received ${ctx.money(amountIn)} from new counterparty ${ctx.name(x)} and passed ${ctx.money(amountOut)} to new counterparty ${ctx.name(z2)} within ${hours(holdActual)}` + (parallel > 0 ? ` (${parallel + 1} parallel layers)` : ''),
          minScore: p.minScore,
        });
      },
    };
  },
};
