/**
 * Follow the funds of one output forward (where did it go) or backward (where did it come from) for up to
 * N hops, stopping at labelled services. Value is split in proportion at every transaction (haircut):
 * forward, an output's share of the spending transaction's inputs goes to each of its outputs by value
 * (the rest is fee); backward, a transaction's value comes from each input by value. Paths meeting at an
 * output are added up, so the work per hop is bounded by the outputs reached, not by the paths.
 *
 * Limits: `maxEdges` edges in all (the trace stops expanding and says so), flows below `minSats` end as
 * `dust`. Every satoshi of the start ends in exactly one endpoint: labelled, unspent, mined (coinbase),
 * not-loaded (orphan input), burned (OP_RETURN), fee, dust, hop-limit or truncated.
 */
import type { Clustering } from './cluster.js';
import type { UtxoGraph } from './graph.js';
import { maskNames, type Labels } from './tags.js';

export type TraceDirection = 'fwd' | 'back';
export type EndReason = 'labelled' | 'unspent' | 'mined' | 'not-loaded' | 'burned' | 'fee' | 'dust' | 'hop-limit' | 'truncated';

export interface TraceOptions {
  hops?: number;
  /** Stop at outputs of labelled addresses (default true); false follows through them. */
  stopAtLabelled?: boolean;
  minSats?: number;
  maxEdges?: number;
}

export interface TraceEdge {
  hop: number;
  /** The transaction the value moves through. */
  tx: number;
  /** Output the value leaves (fwd: spent output; back: the output being explained). */
  from: number;
  /** Output the value reaches (fwd: an output of tx; back: an output spent by tx). */
  to: number;
  sats: number;
}

export interface TraceEndpoint {
  reason: EndReason;
  /** The output it ends at (-1 for fees, not-loaded inputs of a tx, and mined value). */
  output: number;
  tx: number;
  hop: number;
  sats: number;
  categories: string[];
}

export interface Trace {
  direction: TraceDirection;
  start: number;
  startSats: number;
  hops: number;
  edges: TraceEdge[];
  endpoints: TraceEndpoint[];
  /** Value per category of the labelled endpoints reached. */
  byCategory: { category: string; sats: number; minHop: number }[];
  truncated: boolean;
  ms: number;
}

export function trace(g: UtxoGraph, start: number, direction: TraceDirection, labels?: Labels, options: TraceOptions = {}): Trace {
  const started = performance.now();
  const hops = options.hops ?? 5;
  if (!Number.isInteger(hops) || hops < 1 || hops > 1000) throw new RangeError('hops must be a whole number from 1 to 1000');
  if (start < 0 || start >= g.outCount) throw new RangeError(`no output ${start}`);
  const stop = options.stopAtLabelled ?? true;
  const minSats = options.minSats ?? 1;
  const maxEdges = options.maxEdges ?? 1_000_000;
  const edges: TraceEdge[] = [];
  const endpoints: TraceEndpoint[] = [];
  const ends = new Map<string, TraceEndpoint>();
  const end = (reason: EndReason, output: number, tx: number, hop: number, sats: number) => {
    if (sats <= 0) return;
    const key = `${reason}:${output}:${output < 0 ? tx : ''}`;
    const e = ends.get(key);
    if (e) {
      e.sats += sats;
      e.hop = Math.min(e.hop, hop);
      return;
    }
    const a = output >= 0 ? g.outAddr[output]! : -1;
    const cats = labels && a >= 0 && labels.mask[a] ? maskNames(labels, labels.mask[a]!) : [];
    const ep: TraceEndpoint = { reason, output, tx, hop, sats, categories: cats };
    ends.set(key, ep);
    endpoints.push(ep);
  };
  const labelled = (o: number) => {
    const a = g.outAddr[o]!;
    return labels !== undefined && a >= 0 && labels.mask[a]! !== 0;
  };
  let truncated = false;
  const startSats = g.outValue[start]!;
  let frontier = new Map<number, number>([[start, startSats]]);

  for (let hop = 1; frontier.size > 0; hop++) {
    const next = new Map<number, number>();
    for (const [o, sats] of frontier) {
      if (hop > 1 && stop && labelled(o)) {
        end('labelled', o, g.outTx[o]!, hop - 1, sats);
        continue;
      }
      if (sats < minSats) {
        end('dust', o, g.outTx[o]!, hop - 1, sats);
        continue;
      }
      if (direction === 'fwd') {
        const s = g.outSpender[o]!;
        if (g.outAddr[o]! < 0) {
          end('burned', o, g.outTx[o]!, hop - 1, sats);
          continue;
        }
        if (s < 0) {
          end(labelled(o) ? 'labelled' : 'unspent', o, g.outTx[o]!, hop - 1, sats);
          continue;
        }
        if (hop > hops) {
          end(labelled(o) ? 'labelled' : 'hop-limit', o, g.outTx[o]!, hop - 1, sats);
          continue;
        }
        if (edges.length >= maxEdges) {
          truncated = true;
          end('truncated', o, g.outTx[o]!, hop - 1, sats);
          continue;
        }
        const t = g.inTx[s]!;
        let inSum = 0;
        let unresolved = 0;
        for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
          const p = g.inPrev[i]!;
          if (p >= 0) inSum += g.outValue[p]!;
          else unresolved++;
        }
        let outSum = 0;
        for (let k = g.txOutStart[t]!; k < g.txOutStart[t + 1]!; k++) outSum += g.outValue[k]!;
        // Unloaded inputs: assume they brought what the outputs need beyond the known inputs.
        const whole = unresolved > 0 ? Math.max(inSum, outSum) : inSum;
        if (whole <= 0) continue;
        const frac = sats / whole;
        for (let k = g.txOutStart[t]!; k < g.txOutStart[t + 1]!; k++) {
          const v = g.outValue[k]! * frac;
          if (v <= 0) continue;
          edges.push({ hop, tx: t, from: o, to: k, sats: v });
          next.set(k, (next.get(k) ?? 0) + v);
        }
        end('fee', -1, t, hop, sats - frac * outSum);
      } else {
        const t = g.outTx[o]!;
        if (g.isCoinbase(t)) {
          end('mined', -1, t, hop, sats);
          continue;
        }
        if (hop > hops) {
          end(labelled(o) ? 'labelled' : 'hop-limit', o, t, hop - 1, sats);
          continue;
        }
        if (edges.length >= maxEdges) {
          truncated = true;
          end('truncated', o, t, hop - 1, sats);
          continue;
        }
        let known = 0;
        let unresolved = 0;
        let outSum = 0;
        for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
          const p = g.inPrev[i]!;
          if (p >= 0) known += g.outValue[p]!;
          else unresolved++;
        }
        for (let k = g.txOutStart[t]!; k < g.txOutStart[t + 1]!; k++) outSum += g.outValue[k]!;
        const unknown = unresolved > 0 ? Math.max(outSum - known, 0) : 0;
        const whole = known + unknown;
        if (whole <= 0) {
          end('not-loaded', -1, t, hop, sats);
          continue;
        }
        end('not-loaded', -1, t, hop, (sats * unknown) / whole);
        for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
          const p = g.inPrev[i]!;
          if (p < 0) continue;
          const v = (sats * g.outValue[p]!) / whole;
          if (v <= 0) continue;
          edges.push({ hop, tx: t, from: o, to: p, sats: v });
          next.set(p, (next.get(p) ?? 0) + v);
        }
      }
    }
    frontier = next;
  }
  const byCat = new Map<string, { sats: number; minHop: number }>();
  for (const e of endpoints) {
    if (e.reason !== 'labelled') continue;
    for (const c of e.categories) {
      const x = byCat.get(c) ?? { sats: 0, minHop: Infinity };
      x.sats += e.sats;
      x.minHop = Math.min(x.minHop, e.hop);
      byCat.set(c, x);
    }
  }
  for (const e of endpoints) e.sats = Math.round(e.sats * 1e3) / 1e3;
  endpoints.sort((a, b) => b.sats - a.sats || a.hop - b.hop);
  return {
    direction,
    start,
    startSats,
    hops,
    edges,
    endpoints,
    byCategory: [...byCat].map(([category, v]) => ({ category, sats: Math.round(v.sats), minHop: v.minHop })).sort((a, b) => b.sats - a.sats),
    truncated,
    ms: performance.now() - started,
  };
}

/** The cluster an output's address belongs to (-1 for OP_RETURN). */
export function clusterOfOutput(g: UtxoGraph, c: Clustering | undefined, o: number): number {
  const a = g.outAddr[o]!;
  if (a < 0) return -1;
  return c ? c.clusterOf[a]! : a;
}
