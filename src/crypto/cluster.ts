/**
 * Address clustering: addresses spent together in one transaction have one owner (multi-input heuristic),
 * CoinJoins excepted; optionally the change output joins its payer. Union-find over address ids on an
 * Int32Array. A cluster's id is the smallest address id in it: addresses are numbered in the order they
 * first appear, so a cluster keeps its id as blocks are added, and when two clusters merge the older id
 * survives. Clustering is recomputed over the whole graph each time (millions of inputs a second), which
 * keeps it exact when late blocks resolve old orphan inputs; `compareClusterings` tells what moved.
 */
import { changeOutput, type ChangeHeuristic } from './change.js';
import { CJ_NONE, COINJOIN_KINDS, coinjoinKind, type CoinjoinKind } from './coinjoin.js';
import type { UtxoGraph } from './graph.js';

export interface ClusterOptions {
  /** Leave CoinJoin inputs apart (default true). */
  coinjoinFilter?: boolean;
  /** Change rules to apply (default none). */
  change?: readonly ChangeHeuristic[];
  /** Rules that must agree on a change output (default 1). */
  changeVote?: number;
}

export interface Clustering {
  /** Cluster id (smallest member address id) of every address. */
  clusterOf: Int32Array;
  /** Members per cluster id (0 for ids that are not cluster ids). */
  size: Int32Array;
  clusterCount: number;
  /** CoinJoin shape per transaction (index into COINJOIN_KINDS). */
  coinjoin: Uint8Array;
  coinjoinCounts: Record<CoinjoinKind, number>;
  /** Transactions whose inputs were merged. */
  multiInputTxs: number;
  /** Change outputs joined to their payer. */
  changeLinks: number;
  inputsSeen: number;
  options: Required<ClusterOptions>;
  ms: number;
}

export class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(a: number): number {
    const p = this.parent;
    while (p[a] !== a) {
      const up = p[p[a]!]!;
      p[a] = up;
      a = up;
    }
    return a;
  }

  /** Join the sets of a and b; the smaller root id becomes the root. Returns the root. */
  union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      this.parent[rb] = ra;
      return ra;
    }
    this.parent[ra] = rb;
    return rb;
  }
}

export function clusterGraph(g: UtxoGraph, options: ClusterOptions = {}): Clustering {
  const started = performance.now();
  const opts: Required<ClusterOptions> = { coinjoinFilter: options.coinjoinFilter ?? true, change: options.change ?? [], changeVote: options.changeVote ?? 1 };
  const n = g.addressCount;
  const uf = new UnionFind(n);
  const coinjoin = new Uint8Array(g.txCount);
  const coinjoinCounts = Object.fromEntries(COINJOIN_KINDS.map((k) => [k, 0])) as Record<CoinjoinKind, number>;
  let multiInputTxs = 0;
  let changeLinks = 0;
  let inputsSeen = 0;
  const { txInStart, inPrev, outAddr } = g;
  for (let t = 0; t < g.txCount; t++) {
    const s = txInStart[t]!;
    const e = txInStart[t + 1]!;
    inputsSeen += e - s;
    if (e - s >= 2 || opts.change.length > 0) {
      const kind = e - s >= 2 ? coinjoinKind(g, t) : CJ_NONE;
      coinjoin[t] = kind;
      if (kind !== CJ_NONE) coinjoinCounts[COINJOIN_KINDS[kind]!]++;
      if (kind !== CJ_NONE && opts.coinjoinFilter) continue;
      let first = -1;
      for (let i = s; i < e; i++) {
        const p = inPrev[i]!;
        if (p < 0) continue;
        const a = outAddr[p]!;
        if (a < 0) continue;
        if (first === -1) first = a;
        else uf.union(first, a);
      }
      if (e - s >= 2 && first !== -1) multiInputTxs++;
      if (opts.change.length > 0 && first !== -1 && kind === CJ_NONE) {
        const o = changeOutput(g, t, opts.change, opts.changeVote);
        if (o >= 0) {
          uf.union(first, outAddr[o]!);
          changeLinks++;
        }
      }
    }
  }
  coinjoinCounts.none = g.txCount - Object.values(coinjoinCounts).reduce((a, b) => a + b, 0);
  const clusterOf = new Int32Array(n);
  const size = new Int32Array(n);
  let clusterCount = 0;
  for (let a = 0; a < n; a++) {
    const r = uf.find(a);
    clusterOf[a] = r;
    if (size[r]!++ === 0) clusterCount++;
  }
  return { clusterOf, size, clusterCount, coinjoin, coinjoinCounts, multiInputTxs, changeLinks, inputsSeen, options: opts, ms: performance.now() - started };
}

export interface ClusterChanges {
  /** Old cluster id → the id it now belongs to, for clusters that merged into an older one. */
  merged: Map<number, number>;
  /** Addresses whose cluster changed for another reason (different options: clusters split). */
  reassigned: number;
  /** Addresses that are new since the previous clustering. */
  newAddresses: number;
}

/** What changed between a stored clustering (`before`, maybe shorter) and a new one. */
export function compareClusterings(before: Int32Array, after: Int32Array): ClusterChanges {
  const merged = new Map<number, number>();
  let reassigned = 0;
  for (let a = 0; a < before.length; a++) {
    const o = before[a]!;
    const n = after[a]!;
    if (o === n) continue;
    if (a === o && n < o) merged.set(o, n);
    else if (!(n < o && after[o] === n)) reassigned++;
  }
  return { merged, reassigned, newAddresses: Math.max(0, after.length - before.length) };
}

/** Members of a cluster (address ids, ascending). */
export function clusterMembers(c: Clustering, id: number): number[] {
  const out: number[] = [];
  const of = c.clusterOf;
  for (let a = id; a < of.length; a++) if (of[a] === id) out.push(a);
  return out;
}
