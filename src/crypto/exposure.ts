/**
 * Exposure: of the value a target (an address, or its whole cluster) received, how much came from each
 * category of service (market, mixing_service, exchange, ransomware, sanctioned, ...), and of the value it
 * sent, how much reached each; directly (the immediate counterparty is labelled) or indirectly (through
 * up to `hops` unlabelled hops). Two taint models:
 *
 *   haircut  value is split in proportion at every transaction (inputs by value going back, outputs by
 *            value going forward), so shares add up to at most 100 %;
 *   poison   a received (sent) output counts in full for every category found anywhere within the hops
 *            behind (ahead of) it, so shares can add up to more than 100 %.
 *
 * Flows are aggregated per transaction and hop (no path explosion); each figure keeps the largest paths
 * behind it. Limits: `maxFrontier` transactions per hop, `maxOutputs` target outputs, flows below
 * `minSats` dropped; what a limit cut is counted as `unexplored` and reported, never silently lost.
 */
import type { Clustering } from './cluster.js';
import type { UtxoGraph } from './graph.js';
import { maskNames, type Labels } from './tags.js';

export interface ExposureOptions {
  hops?: number;
  minSats?: number;
  maxPathsPerCategory?: number;
  maxFrontier?: number;
  maxOutputs?: number;
}

export interface ExposurePath {
  sats: number;
  hops: number;
  /** Output ids from the target's side to the labelled side. */
  outputs: number[];
}

export interface CategoryExposure {
  category: string;
  directSats: number;
  indirectSats: number;
  /** (direct + indirect) / total. */
  share: number;
  directShare: number;
  poisonSats: number;
  poisonShare: number;
  paths: ExposurePath[];
}

export interface SideExposure {
  /** Value received from (sent to) others; transfers within the target's own cluster excluded. */
  totalSats: number;
  categories: CategoryExposure[];
  /** Value traced to a coinbase (newly mined) — receiving side only. */
  minedSats: number;
  /** Value that ran out of hops, reached unspent outputs or unloaded (orphan) inputs without a label. */
  unattributedSats: number;
  /** Value a limit cut short (maxFrontier, maxOutputs, minSats). */
  unexploredSats: number;
  feesSats: number;
  truncated: boolean;
}

export interface Exposure {
  hops: number;
  receiving: SideExposure;
  sending: SideExposure;
}

interface Flow {
  sats: number;
  /** The largest path feeding this flow. */
  path: number[];
  best: number;
}

class Collector {
  readonly byCat = new Map<number, { direct: number; indirect: number; poison: number; paths: ExposurePath[] }>();
  mined = 0;
  unattributed = 0;
  unexplored = 0;
  fees = 0;
  truncated = false;

  constructor(private readonly maxPaths: number) {}

  private entry(bit: number) {
    let e = this.byCat.get(bit);
    if (!e) this.byCat.set(bit, (e = { direct: 0, indirect: 0, poison: 0, paths: [] }));
    return e;
  }

  add(mask: number, sats: number, hop: number, path: number[]): void {
    for (let b = 0; b < 31; b++) {
      const bit = 1 << b;
      if (!(mask & bit)) continue;
      const e = this.entry(bit);
      if (hop === 1) e.direct += sats;
      else e.indirect += sats;
      const paths = e.paths;
      if (paths.length < this.maxPaths || sats > paths[paths.length - 1]!.sats) {
        const same = paths.find((p) => p.outputs.length === path.length && p.outputs.every((o, i) => o === path[i]));
        if (same) same.sats += sats;
        else paths.push({ sats, hops: hop, outputs: path });
        paths.sort((a, b) => b.sats - a.sats);
        if (paths.length > this.maxPaths) paths.length = this.maxPaths;
      }
    }
  }

  poison(mask: number, sats: number): void {
    for (let b = 0; b < 31; b++) if (mask & (1 << b)) this.entry(1 << b).poison += sats;
  }

  result(labels: Labels, total: number): SideExposure {
    const categories: CategoryExposure[] = [];
    for (const [bit, e] of this.byCat) {
      const category = maskNames(labels, bit)[0]!;
      const share = total > 0 ? (e.direct + e.indirect) / total : 0;
      categories.push({
        category,
        directSats: Math.round(e.direct),
        indirectSats: Math.round(e.indirect),
        share,
        directShare: total > 0 ? e.direct / total : 0,
        poisonSats: Math.round(e.poison),
        poisonShare: total > 0 ? e.poison / total : 0,
        paths: e.paths.map((p) => ({ ...p, sats: Math.round(p.sats) })),
      });
    }
    categories.sort((a, b) => b.share - a.share || b.poisonShare - a.poisonShare || a.category.localeCompare(b.category));
    return {
      totalSats: Math.round(total),
      categories,
      minedSats: Math.round(this.mined),
      unattributedSats: Math.round(this.unattributed),
      unexploredSats: Math.round(this.unexplored),
      feesSats: Math.round(this.fees),
      truncated: this.truncated,
    };
  }
}

export interface ExposureTarget {
  /** Addresses whose received outputs count (one address, or a whole cluster). */
  isTarget: (address: number) => boolean;
  /** The target's own side (its cluster): transfers inside it are not exposure. */
  isSelf: (address: number) => boolean;
  /** Output ids received by the target. */
  outputs: number[];
}

/** Target = one address; its cluster's other addresses count as self. */
export function addressTarget(g: UtxoGraph, address: number, clustering?: Clustering): ExposureTarget {
  const { start, list } = g.outputsByAddress();
  const c = clustering?.clusterOf[address] ?? address;
  return {
    isTarget: (a) => a === address,
    isSelf: (a) => a >= 0 && (clustering ? clustering.clusterOf[a] === c : a === address),
    outputs: Array.from(list.subarray(start[address]!, start[address + 1]!)),
  };
}

/** Target = a whole cluster. */
export function clusterTarget(g: UtxoGraph, clustering: Clustering, cluster: number): ExposureTarget {
  const { start, list } = g.outputsByAddress();
  const of = clustering.clusterOf;
  const outputs: number[] = [];
  for (let a = cluster; a < of.length; a++) if (of[a] === cluster) for (let k = start[a]!; k < start[a + 1]!; k++) outputs.push(list[k]!);
  outputs.sort((x, y) => x - y);
  const self = (a: number) => a >= 0 && of[a] === cluster;
  return { isTarget: self, isSelf: self, outputs };
}

function txInputSats(g: UtxoGraph, t: number): { known: number; unknown: number } {
  let known = 0;
  let unresolved = 0;
  for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
    const p = g.inPrev[i]!;
    if (p >= 0) known += g.outValue[p]!;
    else unresolved++;
  }
  let out = 0;
  for (let o = g.txOutStart[t]!; o < g.txOutStart[t + 1]!; o++) out += g.outValue[o]!;
  // Unloaded inputs carry at least what the outputs need beyond the known inputs.
  return { known, unknown: unresolved > 0 ? Math.max(out - known, 0) : 0 };
}

/** At most `max` flows go on (the largest); the rest count as unexplored and the result as truncated. */
function capFrontier(next: Map<number, Flow>, max: number, col: Collector): Map<number, Flow> {
  if (next.size <= max) return next;
  col.truncated = true;
  const keep = [...next.entries()].sort((x, y) => y[1].sats - x[1].sats);
  for (const [, f] of keep.slice(max)) col.unexplored += f.sats;
  return new Map(keep.slice(0, max));
}

function addFlow(next: Map<number, Flow>, key: number, sats: number, path: number[]): void {
  const f = next.get(key);
  if (!f) next.set(key, { sats, path, best: sats });
  else {
    f.sats += sats;
    if (sats > f.best) {
      f.best = sats;
      f.path = path;
    }
  }
}

/** Where the target's received value came from. */
function receiving(g: UtxoGraph, labels: Labels, target: ExposureTarget, o: Required<ExposureOptions>): SideExposure {
  const col = new Collector(o.maxPathsPerCategory);
  let total = 0;
  // Frontier: transaction → value flowing into the target through it (aggregated), with its best path.
  let frontier = new Map<number, Flow>();
  const outputs = target.outputs;
  if (outputs.length > o.maxOutputs) col.truncated = true;
  const poisonRoots: { sats: number; tx: number }[] = [];
  for (let k = 0; k < Math.min(outputs.length, o.maxOutputs); k++) {
    const out = outputs[k]!;
    const t = g.outTx[out]!;
    if (isInternal(g, t, target)) continue;
    const sats = g.outValue[out]!;
    total += sats;
    addFlow(frontier, t, sats, [out]);
    poisonRoots.push({ sats, tx: t });
  }
  for (let k = Math.min(outputs.length, o.maxOutputs); k < outputs.length; k++) col.unexplored += g.outValue[outputs[k]!]!;
  for (let hop = 1; hop <= o.hops && frontier.size > 0; hop++) {
    const next = new Map<number, Flow>();
    for (const [t, flow] of frontier) {
      if (g.isCoinbase(t)) {
        col.mined += flow.sats;
        continue;
      }
      const { known, unknown } = txInputSats(g, t);
      const whole = known + unknown;
      if (whole <= 0) {
        col.unattributed += flow.sats;
        continue;
      }
      col.unattributed += (flow.sats * unknown) / whole;
      for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
        const p = g.inPrev[i]!;
        if (p < 0) continue;
        const share = (flow.sats * g.outValue[p]!) / whole;
        const a = g.outAddr[p]!;
        if (target.isSelf(a)) {
          // Own funds mixed into the payment: not exposure; stays out of the shares.
          col.unattributed += share;
          continue;
        }
        const mask = a >= 0 ? labels.mask[a]! : 0;
        if (mask) col.add(mask, share, hop, [...flow.path, p]);
        else if (share < o.minSats) col.unexplored += share;
        else if (hop < o.hops) addFlow(next, g.outTx[p]!, share, [...flow.path, p]);
        else col.unattributed += share;
      }
    }
    frontier = capFrontier(next, o.maxFrontier, col);
  }
  for (const f of frontier.values()) col.unattributed += f.sats;
  // Poison: every category reachable behind each received transaction taints its whole value.
  for (const { sats, tx } of poisonRoots) col.poison(reachBack(g, labels, target, tx, o), sats);
  return col.result(labels, total);
}

/** True when every known input of t comes from the target's own side (a transfer to itself). */
function isInternal(g: UtxoGraph, t: number, target: ExposureTarget): boolean {
  let any = false;
  for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
    const p = g.inPrev[i]!;
    if (p < 0) return false;
    if (!target.isSelf(g.outAddr[p]!)) return false;
    any = true;
  }
  return any;
}

function reachBack(g: UtxoGraph, labels: Labels, target: ExposureTarget, root: number, o: Required<ExposureOptions>): number {
  let mask = 0;
  let frontier = [root];
  const seen = new Set<number>([root]);
  for (let hop = 1; hop <= o.hops && frontier.length; hop++) {
    const next: number[] = [];
    for (const t of frontier) {
      for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
        const p = g.inPrev[i]!;
        if (p < 0) continue;
        const a = g.outAddr[p]!;
        if (target.isSelf(a)) continue;
        const m = a >= 0 ? labels.mask[a]! : 0;
        if (m) mask |= m;
        else if (hop < o.hops) {
          const pt = g.outTx[p]!;
          if (!seen.has(pt) && seen.size < o.maxFrontier) {
            seen.add(pt);
            next.push(pt);
          }
        }
      }
    }
    frontier = next;
  }
  return mask;
}

/** Where the target's sent value went. */
function sending(g: UtxoGraph, labels: Labels, target: ExposureTarget, o: Required<ExposureOptions>): SideExposure {
  const col = new Collector(o.maxPathsPerCategory);
  let total = 0;
  // Outgoing transactions: those spending the target's outputs.
  const spentIn = new Set<number>();
  for (const out of target.outputs.slice(0, o.maxOutputs)) {
    const s = g.outSpender[out]!;
    if (s >= 0) spentIn.add(g.inTx[s]!);
  }
  if (target.outputs.length > o.maxOutputs) col.truncated = true;
  // Frontier: output → value of the target's funds on it.
  let frontier = new Map<number, Flow>();
  const poisonRoots: { sats: number; output: number }[] = [];
  for (const t of [...spentIn].sort((a, b) => a - b)) {
    let mine = 0;
    let all = 0;
    for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
      const p = g.inPrev[i]!;
      if (p < 0) continue;
      all += g.outValue[p]!;
      if (target.isTarget(g.outAddr[p]!)) mine += g.outValue[p]!;
    }
    if (all <= 0) continue;
    const part = mine / all;
    let out = 0;
    for (let k = g.txOutStart[t]!; k < g.txOutStart[t + 1]!; k++) {
      out += g.outValue[k]!;
      const a = g.outAddr[k]!;
      if (target.isSelf(a)) continue;
      const sats = g.outValue[k]! * part;
      if (sats <= 0) continue;
      total += sats;
      addFlow(frontier, k, sats, [k]);
      poisonRoots.push({ sats, output: k });
    }
    col.fees += (all - out) * part;
  }
  for (let hop = 1; hop <= o.hops && frontier.size > 0; hop++) {
    const next = new Map<number, Flow>();
    for (const [out, flow] of frontier) {
      const a = g.outAddr[out]!;
      const mask = a >= 0 ? labels.mask[a]! : 0;
      if (mask) {
        col.add(mask, flow.sats, hop, flow.path);
        continue;
      }
      const s = g.outSpender[out]!;
      if (a < 0 || s < 0 || hop >= o.hops) {
        col.unattributed += flow.sats;
        continue;
      }
      const t = g.inTx[s]!;
      const { known, unknown } = txInputSats(g, t);
      const whole = known + unknown;
      let outSum = 0;
      for (let k = g.txOutStart[t]!; k < g.txOutStart[t + 1]!; k++) outSum += g.outValue[k]!;
      if (whole <= 0) {
        col.unattributed += flow.sats;
        continue;
      }
      col.fees += (flow.sats * Math.max(0, whole - outSum)) / whole;
      for (let k = g.txOutStart[t]!; k < g.txOutStart[t + 1]!; k++) {
        const sats = (flow.sats * g.outValue[k]!) / whole;
        if (sats <= 0) continue;
        if (target.isSelf(g.outAddr[k]!)) col.unattributed += sats;
        else if (sats < o.minSats) col.unexplored += sats;
        else addFlow(next, k, sats, [...flow.path, k]);
      }
    }
    frontier = capFrontier(next, o.maxFrontier, col);
  }
  for (const f of frontier.values()) col.unattributed += f.sats;
  for (const { sats, output } of poisonRoots) col.poison(reachForward(g, labels, target, output, o), sats);
  return col.result(labels, total);
}

function reachForward(g: UtxoGraph, labels: Labels, target: ExposureTarget, root: number, o: Required<ExposureOptions>): number {
  let mask = 0;
  let frontier = [root];
  const seen = new Set<number>([root]);
  for (let hop = 1; hop <= o.hops && frontier.length; hop++) {
    const next: number[] = [];
    for (const out of frontier) {
      const a = g.outAddr[out]!;
      const m = a >= 0 ? labels.mask[a]! : 0;
      if (m) {
        mask |= m;
        continue;
      }
      const s = g.outSpender[out]!;
      if (s < 0 || hop >= o.hops) continue;
      const t = g.inTx[s]!;
      for (let k = g.txOutStart[t]!; k < g.txOutStart[t + 1]!; k++) {
        if (target.isSelf(g.outAddr[k]!) || seen.has(k) || seen.size >= o.maxFrontier) continue;
        seen.add(k);
        next.push(k);
      }
    }
    frontier = next;
  }
  return mask;
}

export function exposure(g: UtxoGraph, labels: Labels, target: ExposureTarget, options: ExposureOptions = {}): Exposure {
  const o: Required<ExposureOptions> = {
    hops: options.hops ?? 3,
    minSats: options.minSats ?? 1,
    maxPathsPerCategory: options.maxPathsPerCategory ?? 3,
    maxFrontier: options.maxFrontier ?? 100_000,
    maxOutputs: options.maxOutputs ?? 100_000,
  };
  if (!Number.isInteger(o.hops) || o.hops < 1 || o.hops > 100) throw new RangeError('hops must be a whole number from 1 to 100');
  return { hops: o.hops, receiving: receiving(g, labels, target, o), sending: sending(g, labels, target, o) };
}
