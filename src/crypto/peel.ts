/**
 * Peel chains: a large sum walked down a chain of transactions, each with one input and two outputs, one
 * small payment peeled off and the change moving on to the next step. Reported as alerts in the engine's
 * alert format (typology `peel-chain`, amounts in XBT).
 *
 * A step is a transaction with one (resolved) input and exactly two outputs with addresses, the smaller at
 * most `maxPeelShare` of the two. The chain follows the larger output to the transaction spending it while
 * that is a step too. Chains of at least `minHops` steps are reported, at most `maxChains` of them (longest
 * first; the rest are counted). Score = Σ value × weight of the listed factors, as for every alert.
 */
import type { Alert } from '../model/index.js';
import type { UtxoGraph } from './graph.js';
import { maskNames, type Labels } from './tags.js';

export interface PeelOptions {
  minHops?: number;
  maxPeelShare?: number;
  maxChains?: number;
  /** Steps followed per chain at most (a chain longer than this is cut and says so). */
  maxHops?: number;
}

export interface PeelChain {
  /** Step transactions in order. */
  txs: number[];
  /** The output peeled off at each step. */
  peels: number[];
  /** The change output at each step (the last one is where the chain ends). */
  changes: number[];
  /** Value entering the first step. */
  startSats: number;
  peeledSats: number;
  /** Value left on the last change output. */
  remainingSats: number;
  cut: boolean;
}

/** Larger and smaller output of a peel step, or undefined when t is not one. */
function step(g: UtxoGraph, t: number, maxShare: number): { big: number; small: number } | undefined {
  const inStart = g.txInStart[t]!;
  if (g.txInStart[t + 1]! - inStart !== 1 || g.inPrev[inStart]! < 0) return undefined;
  let a = -1;
  let b = -1;
  for (let o = g.txOutStart[t]!; o < g.txOutStart[t + 1]!; o++) {
    if (g.outAddr[o]! < 0) {
      if (g.outValue[o]! > 0) return undefined;
      continue;
    }
    if (a === -1) a = o;
    else if (b === -1) b = o;
    else return undefined;
  }
  if (b === -1) return undefined;
  const [big, small] = g.outValue[a]! >= g.outValue[b]! ? [a, b] : [b, a];
  const total = g.outValue[big]! + g.outValue[small]!;
  if (total <= 0 || g.outValue[small]! > maxShare * total || g.outValue[small]! <= 0) return undefined;
  return { big, small };
}

export function findPeelChains(g: UtxoGraph, options: PeelOptions = {}): { chains: PeelChain[]; more: number } {
  const minHops = options.minHops ?? 4;
  const maxShare = options.maxPeelShare ?? 0.25;
  const maxChains = options.maxChains ?? 10_000;
  const maxHops = options.maxHops ?? 10_000;
  const big = new Int32Array(g.txCount).fill(-1);
  const small = new Int32Array(g.txCount).fill(-1);
  for (let t = 0; t < g.txCount; t++) {
    const s = step(g, t, maxShare);
    if (s) {
      big[t] = s.big;
      small[t] = s.small;
    }
  }
  const nextStep = (t: number): number => {
    const sp = g.outSpender[big[t]!]!;
    if (sp < 0) return -1;
    const n = g.inTx[sp]!;
    return big[n]! >= 0 ? n : -1;
  };
  const chains: PeelChain[] = [];
  for (let t = 0; t < g.txCount; t++) {
    if (big[t]! < 0) continue;
    // A head: its input is not the change of another step.
    const p = g.inPrev[g.txInStart[t]!]!;
    const pt = g.outTx[p]!;
    if (big[pt]! >= 0 && big[pt] === p) continue;
    const txs: number[] = [];
    let cut = false;
    for (let s = t; s >= 0; s = nextStep(s)) {
      if (txs.length >= maxHops) {
        cut = true;
        break;
      }
      txs.push(s);
    }
    if (txs.length < minHops) continue;
    const peels = txs.map((s) => small[s]!);
    const changes = txs.map((s) => big[s]!);
    let peeled = 0;
    for (const o of peels) peeled += g.outValue[o]!;
    chains.push({ txs, peels, changes, startSats: g.outValue[p]!, peeledSats: peeled, remainingSats: g.outValue[changes[changes.length - 1]!]!, cut });
  }
  chains.sort((a, b) => b.txs.length - a.txs.length || a.txs[0]! - b.txs[0]!);
  const more = Math.max(0, chains.length - maxChains);
  return { chains: chains.slice(0, maxChains), more };
}

function btc(sats: number): string {
  return `${(sats / 1e8).toFixed(8).replace(/0+$/, '').replace(/\.$/, '')} BTC`;
}

/** One alert per chain, numbered from `firstId`. */
export function peelChainAlerts(g: UtxoGraph, chains: readonly PeelChain[], labels?: Labels, firstId = 1): Alert[] {
  return chains.map((c, k) => {
    const accounts: string[] = [];
    const seen = new Set<number>();
    const push = (o: number) => {
      const a = g.outAddr[o]!;
      if (a >= 0 && !seen.has(a)) {
        seen.add(a);
        accounts.push(g.addressName(a));
      }
    };
    push(g.inPrev[g.txInStart[c.txs[0]!]!]!);
    for (const o of c.changes) push(o);
    for (const o of c.peels) push(o);
    const serviceCounts = new Map<string, number>();
    let labelledPeels = 0;
    for (const o of c.peels) {
      const a = g.outAddr[o]!;
      const m = labels && a >= 0 ? labels.mask[a]! : 0;
      if (!m) continue;
      labelledPeels++;
      for (const name of maskNames(labels!, m)) serviceCounts.set(name, (serviceCounts.get(name) ?? 0) + 1);
    }
    let shareSum = 0;
    for (let i = 0; i < c.txs.length; i++) shareSum += g.outValue[c.peels[i]!]! / (g.outValue[c.peels[i]!]! + g.outValue[c.changes[i]!]!);
    const avgShare = shareSum / c.txs.length;
    const hopsFactor = Math.min(1, c.txs.length / 10);
    const factors = [
      { name: 'hops', value: Math.round(hopsFactor * 1000) / 1000, weight: 0.6 },
      { name: 'small-peels', value: Math.round((1 - Math.min(1, avgShare / 0.25)) * 1000) / 1000, weight: 0.2 },
      { name: 'peels-to-services', value: Math.round((labelledPeels / c.txs.length) * 1000) / 1000, weight: 0.2 },
    ];
    const score = Math.min(1, Math.round(factors.reduce((s, f) => s + f.value * f.weight, 0) * 1000) / 1000);
    const first = g.addressName(g.outAddr[g.inPrev[g.txInStart[c.txs[0]!]!]!]!);
    const last = g.outAddr[c.changes[c.changes.length - 1]!]!;
    const services = [...serviceCounts].map(([n, v]) => `${n} ×${v}`).join(', ');
    const explanation =
      `peel chain of ${c.txs.length} hops from ${first}: ${c.txs.length} payments peeled off (${btc(c.peeledSats)} in all), ` +
      `${btc(c.remainingSats)} moved on to ${g.addressName(last)}` +
      (services ? `; peels reached ${services}` : '') +
      (c.cut ? ' (chain longer than the step limit: cut)' : '');
    const times = c.txs.map((t) => g.txTime[t]! * 1000);
    return {
      id: `a-${String(firstId + k).padStart(6, '0')}`,
      typology: 'peel-chain',
      score,
      factors,
      accounts,
      transactions: c.txs.map((t) => g.txid(t)),
      fromMs: Math.min(...times),
      toMs: Math.max(...times),
      amountMinor: c.peeledSats,
      currency: 'XBT',
      explanation,
    };
  });
}
