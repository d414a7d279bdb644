/**
 * Change heuristics: which output of a payment goes back to the payer. Each is a separate rule that names
 * one output or abstains; none is on by default (they are guesses, and a wrong guess merges two owners).
 *
 *   address-type   every input is of one script type and exactly one output is of that type
 *   round-amount   exactly one output is not a round amount (a multiple of 0.001 BTC); payments are round
 *   fresh-address  exactly one output goes to an address never seen before; the others were seen
 *   optimal-change exactly one output is smaller than the smallest input (a larger change would make an
 *                  input unnecessary)
 *
 * A transaction qualifies when it is not a coinbase, has all inputs resolved, two or more outputs with an
 * address, and pays no output back to an input address (self-change already is the payer's). With several
 * rules on, an output is change when at least `vote` rules name it and no rule names another.
 */
import type { UtxoGraph } from './graph.js';
import { St } from './script.js';

export const CHANGE_HEURISTICS = ['address-type', 'round-amount', 'fresh-address', 'optimal-change'] as const;
export type ChangeHeuristic = (typeof CHANGE_HEURISTICS)[number];

export const ROUND_SATS = 100_000;

function normalisedType(type: number): number {
  // A public key and its hash are the same wallet habit.
  return type === St.Pubkey ? St.Pubkeyhash : type;
}

/** Fill `out` with the outputs of t that could be change; false when t does not qualify. */
function candidates(g: UtxoGraph, t: number, out: number[]): boolean {
  out.length = 0;
  if (g.isCoinbase(t)) return false;
  const inStart = g.txInStart[t]!;
  const inEnd = g.txInStart[t + 1]!;
  for (let i = inStart; i < inEnd; i++) if (g.inPrev[i]! < 0) return false;
  for (let o = g.txOutStart[t]!; o < g.txOutStart[t + 1]!; o++) {
    const a = g.outAddr[o]!;
    if (a < 0) continue;
    for (let i = inStart; i < inEnd; i++) if (g.outAddr[g.inPrev[i]!] === a) return false;
    out.push(o);
  }
  return out.length >= 2;
}

function only(outputs: readonly number[], pick: (o: number) => boolean): number {
  let found = -1;
  for (const o of outputs) {
    if (!pick(o)) continue;
    if (found !== -1) return -1;
    found = o;
  }
  return found;
}

export function addressTypeChange(g: UtxoGraph, t: number, outs: readonly number[]): number {
  let type = -1;
  for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) {
    const ty = normalisedType(g.outType[g.inPrev[i]!]!);
    if (type === -1) type = ty;
    else if (ty !== type) return -1;
  }
  return only(outs, (o) => normalisedType(g.outType[o]!) === type);
}

export function roundAmountChange(g: UtxoGraph, _t: number, outs: readonly number[]): number {
  return only(outs, (o) => g.outValue[o]! % ROUND_SATS !== 0);
}

export function freshAddressChange(g: UtxoGraph, t: number, outs: readonly number[]): number {
  return only(outs, (o) => g.addrFirstTx[g.outAddr[o]!] === t);
}

export function optimalChange(g: UtxoGraph, t: number, outs: readonly number[]): number {
  let smallest = Infinity;
  for (let i = g.txInStart[t]!; i < g.txInStart[t + 1]!; i++) smallest = Math.min(smallest, g.outValue[g.inPrev[i]!]!);
  return only(outs, (o) => g.outValue[o]! < smallest);
}

const RULES: Record<ChangeHeuristic, (g: UtxoGraph, t: number, outs: readonly number[]) => number> = {
  'address-type': addressTypeChange,
  'round-amount': roundAmountChange,
  'fresh-address': freshAddressChange,
  'optimal-change': optimalChange,
};

const scratch: number[] = [];

/** The change output of t by the enabled rules (see the module comment), or -1. */
export function changeOutput(g: UtxoGraph, t: number, rules: readonly ChangeHeuristic[], vote = 1): number {
  if (rules.length === 0 || !candidates(g, t, scratch)) return -1;
  let pick = -1;
  let votes = 0;
  for (const r of rules) {
    const o = RULES[r](g, t, scratch);
    if (o === -1) continue;
    if (pick === -1) pick = o;
    else if (o !== pick) return -1;
    votes++;
  }
  return votes >= vote ? pick : -1;
}

/** Each rule's own answer for t (for explanations and tests); -1 where it abstains. */
export function changeVotes(g: UtxoGraph, t: number): Record<ChangeHeuristic, number> {
  const ok = candidates(g, t, scratch);
  const r = {} as Record<ChangeHeuristic, number>;
  for (const name of CHANGE_HEURISTICS) r[name] = ok ? RULES[name](g, t, scratch) : -1;
  return r;
}
