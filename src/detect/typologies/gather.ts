/**
 * The IBM AMLworld / AMLSim shapes around one or two hub accounts:
 * - `gather-scatter`: many accounts pay one account, which then pays many others (in ≈ out).
 * - `scatter-gather`: one account pays several intermediaries, which all pay one sink.
 * - `bipartite`: several senders each pay several of the same receivers (dense sender × receiver block).
 */
import { z } from 'zod';
import { channelIndex } from '../../model/index.js';
import { clamp01, scoreOf, weigh, hours, HOUR_MS, type Detector, type Typology } from '../typology.js';
import { newPair, sizeOf } from './flow.js';

const CARD = channelIndex('card');

const GatherScatterParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.6),
    windowHours: z.number().positive().max(24 * 90).default(192).describe('from the first payment in to the last payment out'),
    minSenders: z.number().int().min(1).max(10_000).default(2),
    minReceivers: z.number().int().min(1).max(10_000).default(2),
    minCounterparties: z.number().int().min(2).max(10_000).default(5).describe('senders + receivers'),
    minPassThrough: z.number().min(0).max(10).default(0.5).describe('smallest paid out / paid in within the window'),
    minAmount: z.number().min(0).default(200).describe('payments below this base-currency amount are not part of the pattern'),
    includeCards: z.boolean().default(false).describe('count card payments (shoppers are not a scatter)'),
    maxPassThrough: z.number().min(0).max(100).default(1.5).describe('largest paid out / paid in (an account paying out far more than came in is spending its own money)'),
    maxEdgesScanned: z.number().int().min(8).max(100_000).default(256),
  })
  .strict();
type GatherScatterParams = z.infer<typeof GatherScatterParams>;

export const gatherScatter: Typology<GatherScatterParams> = {
  name: 'gather-scatter',
  summary: 'many accounts pay one account, which passes the money on to many others',
  params: GatherScatterParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const windowMs = p.windowHours * HOUR_MS;
    const ins: number[] = [];
    const outs: number[] = [];
    const senders: number[] = [];
    const receivers: number[] = [];
    return {
      onTransaction(tx: number): void {
        const t = g.time(tx);
        if (g.pairLastMs >= t - windowMs) return; // a receiver new to the window widens the scatter
        if (!(g.base(tx) >= p.minAmount) || (!p.includeCards && g.channel(tx) === CARD)) return;
        const m = g.from(tx);
        if (g.newestIn(m) < 0) return;
        const since = t - windowMs;
        ins.length = outs.length = senders.length = receivers.length = 0;
        let inSum = 0;
        let outSum = 0;
        let novel = 0;
        let card = 0;
        let firstIn = Infinity;
        // Once the engine knows the account's relations, they are its ordinary life, not the pattern.
        const ignoreKnown = ctx.observed(t) >= 0.5;
        g.newMarks();
        g.markOnce(m);
        let seen = 0;
        for (let e = g.newestIn(m); e >= 0 && seen < p.maxEdgesScanned; e = g.prevIn(e)) {
          seen++;
          const te = g.time(e);
          if (te < since) break;
          if (te > t || !(g.base(e) >= p.minAmount) || (!p.includeCards && g.channel(e) === CARD)) continue;
          const s = g.from(e);
          const isNew = newPair(g, s, m, since);
          if (ignoreKnown && !isNew) continue;
          ins.push(e);
          inSum += g.base(e) || 0;
          if (te < firstIn) firstIn = te;
          if (g.channel(e) === CARD) card++;
          if (g.markOnce(s)) {
            senders.push(s);
            if (isNew) novel++;
          }
        }
        if (senders.length < p.minSenders) return;
        seen = 0;
        for (let e = g.newestOut(m); e >= 0 && seen < p.maxEdgesScanned; e = g.prevOut(e)) {
          seen++;
          const te = g.time(e);
          if (te < firstIn) break;
          if (te > t || !(g.base(e) >= p.minAmount) || (!p.includeCards && g.channel(e) === CARD)) continue;
          const r = g.to(e);
          const isNew = newPair(g, m, r, since);
          if (ignoreKnown && !isNew) continue;
          outs.push(e);
          outSum += g.base(e) || 0;
          if (g.markOnce(r)) {
            receivers.push(r);
            if (isNew) novel++;
          }
        }
        const k = senders.length + receivers.length;
        if (receivers.length < p.minReceivers || k < p.minCounterparties) return;
        const passRatio = outSum / inSum;
        if (!(passRatio >= p.minPassThrough && passRatio <= p.maxPassThrough)) return;
        const factors = weigh([
          { name: 'counterparties', value: clamp01((k - 3) / 8), weight: 0.2 },
          { name: 'new-counterparties', value: novel / k, weight: 0.4, evidence: ctx.observed(t) },
          { name: 'money-passed-through', value: clamp01(1 - Math.abs(1 - passRatio)), weight: 0.2 },
          { name: 'amount-size', value: sizeOf(inSum / ins.length), weight: 0.2 },
          { name: 'card-payments', value: card / ins.length, weight: -0.4 },
        ]);
        if (scoreOf(factors) < p.minScore) return;
        ctx.report({
          typology: 'gather-scatter',
          key: ctx.name(m),
          factors,
          accounts: [m, ...senders, ...receivers],
          transactions: [...ins, ...outs],
          explanation: `${senders.length} accounts paid ${ctx.money(inSum)} into ${ctx.name(m)}, which paid ${ctx.money(outSum)} out to ${receivers.length} accounts within ${hours(t - firstIn)}`,
          minScore: p.minScore,
        });
      },
    };
  },
};

const ScatterGatherParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.5),
    windowHours: z.number().positive().max(24 * 90).default(120).describe('from the first scatter payment to the last gather payment'),
    minIntermediaries: z.number().int().min(1).max(10_000).default(2),
    minRatio: z.number().positive().default(0.5).describe('smallest amount passed on / amount received per intermediary'),
    maxRatio: z.number().positive().default(1.5),
    minAmount: z.number().min(0).default(200).describe('payments below this base-currency amount are not part of the pattern'),
    includeCards: z.boolean().default(false).describe('count card payments (every shop would be a sink)'),
    maxSinkEdgesScanned: z.number().int().min(4).max(100_000).default(64).describe('newest payments into the sink examined'),
    maxSourceEdgesScanned: z.number().int().min(1).max(10_000).default(16).describe('newest payments into each intermediary examined'),
  })
  .strict();
type ScatterGatherParams = z.infer<typeof ScatterGatherParams>;

export const scatterGather: Typology<ScatterGatherParams> = {
  name: 'scatter-gather',
  summary: 'one account pays several intermediaries, which all pass the money to one sink',
  params: ScatterGatherParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const windowMs = p.windowHours * HOUR_MS;
    // Candidate sources of the trigger's intermediary and, per source, the paths found.
    const sources: number[] = [];
    const pathIn: number[] = [];
    const pathOut: number[] = [];
    const pathSource: number[] = [];
    function sourcesOf(mid: number, outEdge: number, since: number, into: number[] | null, source: number): number {
      // Returns the in-edge of `mid` from `source` (or collects candidate sources when into != null).
      const tOut = g.time(outEdge);
      const amount = g.base(outEdge);
      let seen = 0;
      for (let e = g.newestIn(mid); e >= 0 && seen < p.maxSourceEdgesScanned; e = g.prevIn(e)) {
        seen++;
        const te = g.time(e);
        if (te < since) break;
        if (te > tOut) continue;
        const r = amount / g.base(e);
        if (!(r >= p.minRatio && r <= p.maxRatio)) continue;
        const s = g.from(e);
        if (into) {
          if (!into.includes(s)) into.push(s);
        } else if (s === source) return e;
      }
      return -1;
    }
    return {
      onTransaction(tx: number): void {
        if (!(g.base(tx) >= p.minAmount) || (!p.includeCards && g.channel(tx) === CARD)) return;
        const sink = g.to(tx);
        const t = g.time(tx);
        const since = t - windowMs;
        const prev = g.prevIn(tx);
        if (prev < 0 || g.time(prev) < since) return; // the sink needs at least two payments in the window
        sources.length = 0;
        sourcesOf(g.from(tx), tx, since, sources, -1);
        if (sources.length === 0) return;
        let best = -1;
        let bestCount = 0;
        for (const s of sources) {
          if (s === sink) continue;
          pathIn.length = pathOut.length = pathSource.length = 0;
          g.newMarks();
          let seen = 0;
          for (let e = g.newestIn(sink); e >= 0 && seen < p.maxSinkEdgesScanned; e = g.prevIn(e)) {
            seen++;
            const te = g.time(e);
            if (te < since) break;
            if (te > t || !(g.base(e) >= p.minAmount) || (!p.includeCards && g.channel(e) === CARD)) continue;
            const mid = g.from(e);
            if (mid === s || !g.markOnce(mid)) continue;
            const into = sourcesOf(mid, e, since, null, s);
            if (into >= 0) {
              pathIn.push(into);
              pathOut.push(e);
            }
          }
          if (pathIn.length > bestCount) {
            bestCount = pathIn.length;
            best = s;
            pathSource.push(...pathIn, ...pathOut);
            if (bestCount >= p.minIntermediaries) break;
          }
        }
        if (best < 0 || bestCount < p.minIntermediaries) return;
        const edges = [...pathIn, ...pathOut];
        let scattered = 0;
        let gathered = 0;
        let novel = 0;
        let first = Infinity;
        for (const e of pathIn) {
          scattered += g.base(e) || 0;
          first = Math.min(first, g.time(e));
        }
        for (const e of pathOut) gathered += g.base(e) || 0;
        for (const e of edges) if (newPair(g, g.from(e), g.to(e), since)) novel++;
        const mids = pathOut.map((e) => g.from(e));
        const factors = weigh([
          { name: 'intermediaries', value: clamp01((bestCount - 1) / 4), weight: 0.35 },
          { name: 'new-counterparties', value: novel / edges.length, weight: 0.3, evidence: ctx.observed(t) },
          { name: 'money-passed-through', value: clamp01(1 - Math.abs(1 - gathered / scattered)), weight: 0.15 },
          { name: 'amount-size', value: sizeOf(scattered / bestCount), weight: 0.2 },
        ]);
        if (scoreOf(factors) < p.minScore) return;
        ctx.report({
          typology: 'scatter-gather',
          key: `${ctx.name(best)}>${ctx.name(sink)}`,
          factors,
          accounts: [best, ...mids, sink],
          transactions: edges,
          explanation: `${ctx.name(best)} paid ${ctx.money(scattered)} to ${bestCount} intermediaries, which passed ${ctx.money(gathered)} on to ${ctx.name(sink)} within ${hours(t - first)}`,
          minScore: p.minScore,
        });
      },
    };
  },
};

const BipartiteParams = z
  .object({
    enabled: z.boolean().default(true),
    minScore: z.number().min(0).max(1).default(0.7).describe('small blocks of strangers are common (flatmates, shared suppliers): only dense, new, sizeable blocks alert'),
    windowHours: z.number().positive().max(24 * 90).default(96),
    minSenders: z.number().int().min(2).max(10_000).default(2),
    minReceivers: z.number().int().min(2).max(10_000).default(2),
    minEdges: z.number().int().min(3).max(100_000).default(4).describe('sender → receiver payments inside the block'),
    minAmount: z.number().min(0).default(200).describe('payments below this base-currency amount are not part of a block'),
    includeCards: z.boolean().default(false).describe('count card payments (shoppers at the same shops form blocks)'),
    maxEdgesScanned: z.number().int().min(4).max(100_000).default(32).describe('newest payments examined per account'),
  })
  .strict();
type BipartiteParams = z.infer<typeof BipartiteParams>;

export const bipartite: Typology<BipartiteParams> = {
  name: 'bipartite',
  summary: 'several senders each pay several of the same receivers within a window',
  params: BipartiteParams,
  horizonMs: (p) => p.windowHours * HOUR_MS,
  create(ctx, p): Detector {
    const g = ctx.graph;
    const windowMs = p.windowHours * HOUR_MS;
    const receivers: number[] = [];
    const edges: number[] = [];
    const senders: number[] = [];
    const counts = (e: number): boolean => g.base(e) >= p.minAmount && (p.includeCards || g.channel(e) !== CARD);
    return {
      onTransaction(tx: number): void {
        const t = g.time(tx);
        const since = t - windowMs;
        if (!(g.base(tx) >= p.minAmount) || (!p.includeCards && g.channel(tx) === CARD)) return;
        if (g.pairLastMs >= since) return; // only a new pair in the window can densify a block
        const a = g.from(tx);
        const po = g.prevOut(tx);
        const pi = g.prevIn(tx);
        if (po < 0 || pi < 0 || g.time(po) < since || g.time(pi) < since) return;
        // Receivers of a in the window (marked), then every sender into them and its edges into the marked set.
        receivers.length = edges.length = senders.length = 0;
        g.newMarks();
        let seen = 0;
        for (let e = g.newestOut(a); e >= 0 && seen < p.maxEdgesScanned; e = g.prevOut(e)) {
          seen++;
          if (g.time(e) < since) break;
          if (counts(e) && g.markOnce(g.to(e))) receivers.push(g.to(e));
        }
        if (receivers.length < p.minReceivers) return;
        const candidates: number[] = [];
        for (const r of receivers) {
          seen = 0;
          for (let e = g.newestIn(r); e >= 0 && seen < p.maxEdgesScanned; e = g.prevIn(e)) {
            seen++;
            if (g.time(e) < since) break;
            if (!counts(e)) continue;
            const s = g.from(e);
            if (s !== a && !candidates.includes(s) && candidates.length < p.maxEdgesScanned) candidates.push(s);
          }
        }
        // The block is the marked receiver set; a sender belongs when it paid two distinct members of it.
        let novel = 0;
        candidates.unshift(a);
        for (const s of candidates) {
          const start = edges.length;
          let firstTo = -1;
          let distinct = 0;
          seen = 0;
          for (let e = g.newestOut(s); e >= 0 && seen < p.maxEdgesScanned; e = g.prevOut(e)) {
            seen++;
            if (g.time(e) < since) break;
            if (g.time(e) > t || !g.isMarked(g.to(e)) || !counts(e)) continue;
            edges.push(e);
            if (distinct === 0) {
              firstTo = g.to(e);
              distinct = 1;
            } else if (distinct === 1 && g.to(e) !== firstTo) distinct = 2;
          }
          if (distinct < 2) {
            edges.length = start;
            continue;
          }
          senders.push(s);
          for (let i = start; i < edges.length; i++) if (newPair(g, g.from(edges[i]!), g.to(edges[i]!), since)) novel++;
        }
        if (senders.length < p.minSenders || edges.length < p.minEdges) return;
        const used = new Set(edges.map((e) => g.to(e)));
        if (used.size < p.minReceivers) return;
        let sum = 0;
        let first = Infinity;
        for (const e of edges) {
          sum += g.base(e) || 0;
          first = Math.min(first, g.time(e));
        }
        const density = edges.length / (senders.length * used.size);
        const factors = weigh([
          { name: 'block-size', value: clamp01((senders.length + used.size - 3) / 6), weight: 0.25 },
          { name: 'density', value: clamp01(density), weight: 0.1 },
          { name: 'new-counterparties', value: novel / edges.length, weight: 0.45, evidence: ctx.observed(t) },
          { name: 'amount-size', value: sizeOf(sum / edges.length), weight: 0.2 },
        ]);
        if (scoreOf(factors) < p.minScore) return;
        const rs = [...used];
        ctx.report({
          typology: 'bipartite',
          key: [...senders].sort((x, y) => x - y).join(',') + '>' + rs.sort((x, y) => x - y).join(','),
          factors,
          accounts: [...senders, ...rs],
          transactions: edges.slice(),
          explanation: `${senders.length} senders made ${edges.length} payments totalling ${ctx.money(sum)} to the same ${rs.length} receivers within ${hours(t - first)}`,
          minScore: p.minScore,
        });
      },
    };
  },
};
