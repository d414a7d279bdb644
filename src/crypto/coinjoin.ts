/**
 * CoinJoin shapes. A CoinJoin's inputs belong to many people, so the multi-input heuristic must not merge
 * them: each shape below marks a transaction whose inputs are left apart.
 *
 *   whirlpool           Samourai Whirlpool mix: 5..8 inputs and as many outputs, all outputs P2WPKH of one
 *                       pool denomination (0.001, 0.01, 0.05, 0.5 BTC), every known input at least that much
 *   wasabi2             Wasabi 2 (WabiSabi): ≥ 50 inputs and ≥ 50 outputs, all segwit, at least half of the
 *                       outputs at standard denominations (2^k, 3^k, 2·3^k, 10^k, 2·10^k, 5·10^k sats)
 *   wasabi              Wasabi 1 (ZeroLink): ≥ 10 equal P2WPKH outputs of about 0.1 BTC (0.08..0.12)
 *   samourai-stonewall  Stonewall / StonewallX2: ≥ 2 inputs, exactly 4 outputs, exactly two of them equal
 *   equal-output        any other join (JoinMarket style): k ≥ 3 equal outputs, ≥ k distinct input
 *                       addresses, at most 2k + 1 outputs (one mixed output and one change per participant)
 */
import type { UtxoGraph } from './graph.js';
import { St } from './script.js';

export const COINJOIN_KINDS = ['none', 'whirlpool', 'wasabi2', 'wasabi', 'samourai-stonewall', 'equal-output'] as const;
export type CoinjoinKind = (typeof COINJOIN_KINDS)[number];

export const CJ_NONE = 0;
export const CJ_WHIRLPOOL = 1;
export const CJ_WASABI2 = 2;
export const CJ_WASABI = 3;
export const CJ_STONEWALL = 4;
export const CJ_EQUAL_OUTPUT = 5;

export const WHIRLPOOL_POOLS_SATS = [100_000, 1_000_000, 5_000_000, 50_000_000] as const;
const WASABI_MIN_SATS = 8_000_000;
const WASABI_MAX_SATS = 12_000_000;
const WASABI_MIN_EQUAL = 10;
const WASABI2_MIN_IO = 50;
const EQUAL_OUTPUT_MIN = 3;
/** Equal outputs below this are dust or fee artefacts, not mixed amounts. */
const MIN_MIXED_SATS = 10_000;

const STANDARD_DENOMINATIONS: ReadonlySet<number> = (() => {
  const set = new Set<number>();
  const max = 21e14;
  for (let v = 1; v <= max; v *= 2) set.add(v);
  for (let v = 1; v <= max; v *= 3) {
    set.add(v);
    set.add(2 * v);
  }
  for (let v = 1; v <= max; v *= 10) {
    set.add(v);
    set.add(2 * v);
    set.add(5 * v);
  }
  return set;
})();

export function isStandardDenomination(sats: number): boolean {
  return sats >= 5000 && STANDARD_DENOMINATIONS.has(sats);
}

function isSegwit(type: number): boolean {
  return type === St.WitnessV0Keyhash || type === St.WitnessV0Scripthash || type === St.WitnessV1Taproot;
}

/** Scratch space reused across calls (the classifier runs once per transaction). */
const counts = new Map<number, number>();
const distinctInputs = new Set<number>();

/** The CoinJoin shape of transaction t (CJ_NONE when it has none). */
export function coinjoinKind(g: UtxoGraph, t: number): number {
  if (g.isCoinbase(t)) return CJ_NONE;
  const inStart = g.txInStart[t]!;
  const nIn = g.txInStart[t + 1]! - inStart;
  if (nIn < 2) return CJ_NONE;
  const outStart = g.txOutStart[t]!;
  const outEnd = g.txOutStart[t + 1]!;
  // Every shape needs three outputs or more (Stonewall four, a join three equal ones): most transactions stop here.
  if (outEnd - outStart < 3) return CJ_NONE;
  let nOut = 0;
  let allP2wpkh = true;
  let allSegwitOut = true;
  let topValue = 0;
  let topCount = 0;
  let distinctValues = 0;
  const small = outEnd - outStart <= 16;
  if (!small) counts.clear();
  for (let o = outStart; o < outEnd; o++) {
    const type = g.outType[o]!;
    if (type === St.Nulldata) continue;
    nOut++;
    if (type !== St.WitnessV0Keyhash) allP2wpkh = false;
    if (!isSegwit(type)) allSegwitOut = false;
    const v = g.outValue[o]!;
    let c: number;
    if (small) {
      // Few outputs: count equal values by scanning the earlier ones (no map).
      c = 1;
      let seenBefore = false;
      for (let q = outStart; q < o; q++) {
        if (g.outType[q] === St.Nulldata || g.outValue[q] !== v) continue;
        c++;
        seenBefore = true;
      }
      if (!seenBefore) distinctValues++;
    } else {
      c = (counts.get(v) ?? 0) + 1;
      counts.set(v, c);
      if (c === 1) distinctValues++;
    }
    if (c > topCount || (c === topCount && v > topValue)) {
      topCount = c;
      topValue = v;
    }
  }
  if (nOut < 2) return CJ_NONE;

  // Whirlpool: n × n, one pool denomination, P2WPKH outputs.
  if (nIn === nOut && nIn >= 5 && nIn <= 8 && topCount === nOut && allP2wpkh && (WHIRLPOOL_POOLS_SATS as readonly number[]).includes(topValue)) {
    let inputsCover = true;
    for (let i = inStart; i < inStart + nIn; i++) {
      const p = g.inPrev[i]!;
      if (p >= 0 && g.outValue[p]! < topValue) inputsCover = false;
    }
    if (inputsCover) return CJ_WHIRLPOOL;
  }

  // Wasabi 2: large, all segwit, mostly standard denominations.
  if (nIn >= WASABI2_MIN_IO && nOut >= WASABI2_MIN_IO && allSegwitOut) {
    let inSegwit = true;
    for (let i = inStart; i < inStart + nIn; i++) {
      const p = g.inPrev[i]!;
      if (p >= 0 && !isSegwit(g.outType[p]!)) inSegwit = false;
    }
    let denominated = 0;
    for (let o = outStart; o < outEnd; o++) if (g.outType[o] !== St.Nulldata && isStandardDenomination(g.outValue[o]!)) denominated++;
    if (inSegwit && denominated * 2 >= nOut) return CJ_WASABI2;
  }

  // Wasabi 1: many equal P2WPKH outputs of about 0.1 BTC.
  if (topCount >= WASABI_MIN_EQUAL && topValue >= WASABI_MIN_SATS && topValue <= WASABI_MAX_SATS && allP2wpkh && nIn >= topCount) return CJ_WASABI;

  // Stonewall: four outputs, exactly one pair equal.
  if (nOut === 4 && topCount === 2 && distinctValues === 3 && topValue >= MIN_MIXED_SATS) return CJ_STONEWALL;

  // Generic equal-output join.
  if (topCount >= EQUAL_OUTPUT_MIN && topValue >= MIN_MIXED_SATS && nOut <= 2 * topCount + 1 && nIn >= topCount) {
    distinctInputs.clear();
    for (let i = inStart; i < inStart + nIn; i++) {
      const p = g.inPrev[i]!;
      if (p >= 0) distinctInputs.add(g.outAddr[p]!);
    }
    // Unknown (orphan) inputs count as distinct: their owners cannot be told apart either.
    let unknown = 0;
    for (let i = inStart; i < inStart + nIn; i++) if (g.inPrev[i]! < 0) unknown++;
    if (distinctInputs.size + unknown >= topCount) return CJ_EQUAL_OUTPUT;
  }
  return CJ_NONE;
}
