/**
 * Name against name: a score in [0, 1] and the reasons for it.
 *
 * Both names are bags of weighted tokens (order does not matter: "Guzman Loera Joaquin" is "Joaquin Guzman
 * Loera"). Tokens are paired one to one, best similarity first; a token can also pair with two or three
 * neighbouring words of the other name written as one (Delacruz = de la Cruz, Alqaida = Al Qaida).
 * What is left unpaired counts against the score in two ways: a token on each side with no partner is a
 * conflict (Jose ≠ Juan: a different person), a token on one side only is an omission (a middle name or a
 * second surname left out), which costs less.
 *
 *   score = Σ sim·w (paired) / (Σ w (paired) + Σ w (conflicts) + OMISSION_COST · Σ w (omitted))
 */
import type { NameForm } from './normalize.js';
import { consonantKey } from './phonetic.js';
import { editDistance, jaroWinkler } from './similarity.js';

/** Share of an omitted token's weight that counts against the score. */
export const OMISSION_COST = 0.35;
/** Share of the weight of an omitted first name, when the other name's first word pairs elsewhere. */
export const LEADING_OMISSION_COST = 1;
/** Weight of a conflict between the two first names of people, in units of an ordinary conflict. */
export const LEADING_CONFLICT_COST = 2;
/** Below this similarity two tokens are different words. */
export const TOKEN_MATCH_MIN = 0.78;

export type TokenHow = 'exact' | 'phonetic' | 'fuzzy' | 'initial' | 'fused' | 'skeleton' | 'acronym';

export interface TokenPair {
  a: string;
  b: string;
  sim: number;
  how: TokenHow;
}

export interface NameComparison {
  score: number;
  pairs: TokenPair[];
  /** Tokens on both sides with no partner: [from a, from b]. */
  conflicts: Array<[string, string]>;
  /** Tokens present in one name only. */
  omittedA: string[];
  omittedB: string[];
}

const DIGIT = /\d/;

/**
 * Mean of Jaro-Winkler and edit similarity: a typo (one edit in a long word) scores about 0.9, a different
 * word with a shared prefix much less. Below TOKEN_MATCH_MIN the value is only a lower bound (the edit
 * distance is not computed to the end once the pair cannot reach it).
 */
function typoSimilarity(x: string, y: string): number {
  const jw = jaroWinkler(x, y);
  const longest = Math.max(x.length, y.length);
  const maxEdits = Math.floor(longest * (1 - (2 * TOKEN_MATCH_MIN - jw)) + 1e-9);
  if (maxEdits < 0) return 0.5 * jw;
  const edits = editDistance(x, y, maxEdits);
  return 0.5 * jw + 0.5 * Math.max(0, 1 - edits / longest);
}

const HOWS: readonly TokenHow[] = ['exact', 'phonetic', 'fuzzy', 'initial', 'fused', 'skeleton', 'acronym'];

/**
 * Token similarities already computed for one query name, per query token and listed token id: screening
 * compares one query with many listed names that share words. Values are packed integers (sim·10⁴·8 + how).
 */
export type QueryPairCache = Array<Map<number, number>>;

export function newQueryPairCache(query: NameForm): QueryPairCache {
  return query.tokens.map(() => new Map<number, number>());
}

/** Similarity of token `i` of `a` and token `j` of `b`, and how it was found. */
export function tokenSimilarity(a: NameForm, i: number, b: NameForm, j: number, cache?: QueryPairCache): { sim: number; how: TokenHow } {
  const ia = a.ids[i]!;
  const ib = b.ids[j]!;
  if (ia === ib && ia >= 0) return EXACT;
  if ((i === 0 || j === 0) && a.kind !== 'organization' && b.kind !== 'organization' && otherSex(a.tokens[i]!, b.tokens[j]!)) return OTHER_SEX;
  const abjad = a.abjad || b.abjad;
  const map = ib >= 0 ? cache?.[i] : undefined;
  const packed = map?.get(ib);
  if (packed !== undefined) return { sim: (packed >> 3) / 10_000, how: HOWS[packed & 7]! };
  const x = a.tokens[i]!;
  const y = b.tokens[j]!;
  const r = x === y ? EXACT : wordSimilarity(x, a.phonetic[i]!, a.consonants[i]!, y, b.phonetic[j]!, b.consonants[j]!, abjad);
  map?.set(ib, (Math.round(r.sim * 10_000) << 3) | HOWS.indexOf(r.how));
  return r;
}

/**
 * Spanish (and Italian, Portuguese) given names that differ only in the final a/o are the two sexes: Mario
 * is not Maria, Francisco is not Francisca. Only for a first name: Lukashenko and Lukashenka are one surname.
 */
function otherSex(x: string, y: string): boolean {
  if (x.length !== y.length || x.length < 4) return false;
  const ex = x.charCodeAt(x.length - 1);
  const ey = y.charCodeAt(y.length - 1);
  if (!((ex === 97 && ey === 111) || (ex === 111 && ey === 97))) return false;
  return x.slice(0, -1) === y.slice(0, -1);
}

const OTHER_SEX: { sim: number; how: TokenHow } = Object.freeze({ sim: 0.3, how: 'fuzzy' }) as { sim: number; how: TokenHow };

const EXACT: { sim: number; how: TokenHow } = Object.freeze({ sim: 1, how: 'exact' }) as { sim: number; how: TokenHow };

/**
 * Similarity of two words given their phonetic spellings and consonant skeletons: exact 1, same sound 0.95,
 * else the mean of Jaro-Winkler and edit similarity (capped at 0.94), raised when only vowels differ.
 */
export function wordSimilarity(x: string, px: string, cx: string, y: string, py: string, cy: string, abjad: boolean): { sim: number; how: TokenHow } {
  if (x === y) return { sim: 1, how: 'exact' };
  if (DIGIT.test(x) || DIGIT.test(y)) return { sim: 0, how: 'fuzzy' };
  if (x.length === 1 || y.length === 1) return x[0] === y[0] ? { sim: 0.9, how: 'initial' } : { sim: 0, how: 'fuzzy' };
  if (px === py) return { sim: 0.95, how: 'phonetic' };
  let sim: number;
  if (Math.min(x.length, y.length) <= 3 && !abjad) {
    // Short words (Un, Ali, Lee) carry too few letters for a typo to be told from another word: one letter
    // left out of a longer word (Kng, Kong) is all that passes.
    sim = Math.max(x.length, y.length) >= 4 && Math.abs(x.length - y.length) === 1 && editDistance(x, y, 1) === 1 ? 0.8 : 0;
  } else {
    sim = Math.max(typoSimilarity(x, y), typoSimilarity(px, py));
  }
  let how: TokenHow = 'fuzzy';
  const abjadShort = abjad && cx.length === 1 && x.length <= 4 && y.length <= 4;
  if (cx === cy && (abjad ? cx.length >= 2 || abjadShort : cx.length >= 3 && Math.abs(x.length - y.length) <= 2)) {
    // Same consonants, other vowels: the way abjad scripts are written (Mohammed, Muhammad), else a vowel typo.
    const floor = abjadShort ? 0.85 : abjad ? 0.92 : 0.82;
    if (sim < floor) {
      sim = floor;
      how = 'skeleton';
    }
  } else if (abjad && cx.length >= 3 && cy.length >= 3 && editDistance(cx, cy, 1) <= 1 && sim < 0.82) {
    sim = 0.82;
    how = 'skeleton';
  }
  return { sim: Math.min(sim, 0.94), how };
}

const MAX_EDGES = 64 * 64;
const edgeI = new Int32Array(MAX_EDGES);
const edgeJ = new Int32Array(MAX_EDGES);
const edgeSim = new Float64Array(MAX_EDGES);
const edgeHow: TokenHow[] = [];
const edgeOrder = new Int32Array(MAX_EDGES);

/** Compare two normalised names. Symmetric up to the order of the reasons. */
export function compareNames(a: NameForm, b: NameForm, cache?: QueryPairCache): NameComparison {
  const na = a.tokens.length;
  const nb = b.tokens.length;
  if ((na === 1) !== (nb === 1) && a.kind !== 'person' && b.kind !== 'person') {
    const acronym = na === 1 ? matchAcronym(a.tokens[0]!, b) : matchAcronym(b.tokens[0]!, a);
    if (acronym) {
      const pair: TokenPair = na === 1 ? { a: a.tokens[0]!, b: acronym, sim: ACRONYM_SCORE, how: 'acronym' } : { a: acronym, b: b.tokens[0]!, sim: ACRONYM_SCORE, how: 'acronym' };
      return { score: ACRONYM_SCORE, pairs: [pair], conflicts: [], omittedA: [], omittedB: [] };
    }
  }
  let ne = 0;
  for (let i = 0; i < na; i++) {
    for (let j = 0; j < nb && ne < MAX_EDGES; j++) {
      const t = tokenSimilarity(a, i, b, j, cache);
      if (t.sim < TOKEN_MATCH_MIN) continue;
      edgeI[ne] = i;
      edgeJ[ne] = j;
      edgeSim[ne] = t.sim;
      edgeHow[ne] = t.how;
      // Best pairs first; ties go to the heavier tokens, then to the same position (insertion sort: few edges).
      let k = ne++;
      while (k > 0 && edgeBefore(a, b, ne - 1, edgeOrder[k - 1]!)) {
        edgeOrder[k] = edgeOrder[k - 1]!;
        k--;
      }
      edgeOrder[k] = ne - 1;
    }
  }
  const usedA = new Array<boolean>(na).fill(false);
  const usedB = new Array<boolean>(nb).fill(false);
  const pairs: TokenPair[] = [];
  // For each token, the position of its partner on the other side (-1: none or a fused group).
  const pairsAt = { a: new Array<number>(na).fill(-1), b: new Array<number>(nb).fill(-1) };
  let matchedScore = 0;
  let matchedWeight = 0;
  for (let k = 0; k < ne; k++) {
    const e = edgeOrder[k]!;
    const i = edgeI[e]!;
    const j = edgeJ[e]!;
    if (usedA[i] || usedB[j]) continue;
    usedA[i] = true;
    usedB[j] = true;
    const w = (a.weights[i]! + b.weights[j]!) / 2;
    const sim = edgeSim[e]!;
    matchedScore += sim * w;
    matchedWeight += w;
    pairs.push({ a: a.tokens[i]!, b: b.tokens[j]!, sim, how: edgeHow[e]! });
    pairsAt.a[i] = j;
    pairsAt.b[j] = i;
  }
  for (const [x, y, usedX, usedY, flip] of [
    [a, b, usedA, usedB, false],
    [b, a, usedB, usedA, true],
  ] as const) {
    for (let i = 0; i < x.tokens.length; i++) {
      if (usedX[i] || x.tokens[i]!.length < 4) continue;
      const fused = findFused(x.tokens[i]!, y, usedY, a.abjad || b.abjad);
      if (!fused) continue;
      usedX[i] = true;
      let wy = 0;
      for (const t of fused.tokens) {
        usedY[t] = true;
        wy = Math.max(wy, y.weights[t]!);
      }
      const w = (x.weights[i]! + wy) / 2;
      matchedScore += fused.sim * w;
      matchedWeight += w;
      const joined = fused.text;
      pairs.push(flip ? { a: joined, b: x.tokens[i]!, sim: fused.sim, how: 'fused' } : { a: x.tokens[i]!, b: joined, sim: fused.sim, how: 'fused' });
    }
  }
  const leftA: number[] = [];
  const leftB: number[] = [];
  for (let i = 0; i < na; i++) if (!usedA[i]) leftA.push(i);
  for (let j = 0; j < nb; j++) if (!usedB[j]) leftB.push(j);
  leftA.sort((p, q) => a.weights[q]! - a.weights[p]!);
  leftB.sort((p, q) => b.weights[q]! - b.weights[p]!);
  const conflicts: Array<[string, string]> = [];
  let conflictWeight = 0;
  const nConflicts = Math.min(leftA.length, leftB.length);
  for (let k = 0; k < nConflicts; k++) {
    conflicts.push([a.tokens[leftA[k]!]!, b.tokens[leftB[k]!]!]);
    conflictWeight += (a.weights[leftA[k]!]! + b.weights[leftB[k]!]!) / 2;
  }
  const omittedA = leftA.slice(nConflicts).map((i) => a.tokens[i]!);
  const omittedB = leftB.slice(nConflicts).map((j) => b.tokens[j]!);
  let omissionCost = 0;
  const personal = a.kind !== 'organization' && a.kind !== 'vessel' && b.kind !== 'organization' && b.kind !== 'vessel' && na >= 2 && nb >= 2;
  const costOf = (x: NameForm, i: number, otherFirstPairedElsewhere: boolean) =>
    x.weights[i]! * (DIGIT.test(x.tokens[i]!) ? 1 : personal && i === 0 && otherFirstPairedElsewhere ? LEADING_OMISSION_COST : OMISSION_COST);
  for (const i of leftA.slice(nConflicts)) omissionCost += costOf(a, i, pairedElsewhere(pairsAt, 'b'));
  for (const j of leftB.slice(nConflicts)) omissionCost += costOf(b, j, pairedElsewhere(pairsAt, 'a'));
  // Two people whose first names differ are two people, however many family names they share.
  if (personal && !usedA[0] && !usedB[0]) conflictWeight += (LEADING_CONFLICT_COST - 1) * ((a.weights[0]! + b.weights[0]!) / 2);
  const denominator = matchedWeight + conflictWeight + omissionCost;
  const score = denominator > 0 && matchedWeight > 0 ? matchedScore / denominator : 0;
  return { score: Math.min(1, Math.max(0, score)), pairs, conflicts, omittedA, omittedB };
}

function edgeBefore(a: NameForm, b: NameForm, e: number, f: number): boolean {
  const ds = edgeSim[e]! - edgeSim[f]!;
  if (ds !== 0) return ds > 0;
  const dw = a.weights[edgeI[e]!]! + b.weights[edgeJ[e]!]! - a.weights[edgeI[f]!]! - b.weights[edgeJ[f]!]!;
  if (dw !== 0) return dw > 0;
  return Math.abs(edgeI[e]! - edgeJ[e]!) < Math.abs(edgeI[f]! - edgeJ[f]!);
}

/** Score of an organisation's acronym against its full name (IRGC, FARC): strong, but not an exact name. */
export const ACRONYM_SCORE = 0.85;

/**
 * The words of `full` whose initials spell `token` in order (IRGC: Islamic Revolutionary Guard Corps; CRYMSA:
 * Comercial de Rodajes y Maquinaria S.A.), each particle and legal form used or passed over, or undefined.
 */
function matchAcronym(token: string, full: NameForm): string | undefined {
  if (token.length < 2 || token.length > 10 || /\d/.test(token) || full.words.length > 16) return undefined;
  const words = full.words;
  const optional = full.wordToken.map((t) => t < 0);
  const spell = (w: number, c: number): boolean => {
    if (w === words.length) return c === token.length;
    if (optional[w] && spell(w + 1, c)) return true;
    return c < token.length && words[w]![0] === token[c] && spell(w + 1, c + 1);
  };
  return spell(0, 0) ? words.join(' ') : undefined;
}

/**
 * Whether the first token of `side` is paired with a token other than the other name's first: then the
 * other name's first token, when omitted, is a given name the two do not share (Udai Saddam Hussein is
 * not Saddam Hussein), not a middle name left out.
 */
function pairedElsewhere(pairsAt: { a: number[]; b: number[] }, side: 'a' | 'b'): boolean {
  const partner = pairsAt[side][0];
  return partner !== undefined && partner > 0;
}

/** Two or three neighbouring words of `y`, written together, that spell `token` (all their tokens still free). */
function findFused(token: string, y: NameForm, usedY: readonly boolean[], abjad: boolean): { tokens: number[]; text: string; sim: number } | undefined {
  const words = y.words;
  for (let start = 0; start < words.length - 1; start++) {
    let text = words[start]!;
    for (let end = start + 1; end < Math.min(words.length, start + 3); end++) {
      text += words[end]!;
      if (!abjad && text.length > token.length + 2) break;
      if (!abjad && Math.abs(text.length - token.length) > 2) continue;
      if (!abjad && text.charCodeAt(0) !== token.charCodeAt(0)) break;
      let sim = text === token ? 1 : jaroWinkler(text, token);
      if (sim < 0.93 && abjad) {
        const c = consonantKey(text);
        if (c.length >= 3 && c === consonantKey(token)) sim = 0.93;
      }
      if (sim < 0.93) continue;
      const tokens: number[] = [];
      let free = true;
      for (let k = start; k <= end; k++) {
        const t = y.wordToken[k]!;
        if (t < 0) continue;
        if (usedY[t]) free = false;
        tokens.push(t);
      }
      if (free && tokens.length > 0) return { tokens, text, sim: Math.min(sim, 0.97) };
    }
  }
  return undefined;
}

/** One-line reasons for a comparison, for people reading the result. */
export function explainComparison(c: NameComparison): string[] {
  const reasons: string[] = [];
  for (const p of c.pairs) {
    if (p.how === 'exact') reasons.push(`"${p.a}" = "${p.b}"`);
    else reasons.push(`"${p.a}" ~ "${p.b}" (${p.how}, ${p.sim.toFixed(2)})`);
  }
  for (const [x, y] of c.conflicts) reasons.push(`"${x}" ≠ "${y}" (different words)`);
  if (c.omittedA.length > 0) reasons.push(`only in the first name: ${c.omittedA.map((t) => `"${t}"`).join(', ')}`);
  if (c.omittedB.length > 0) reasons.push(`only in the second name: ${c.omittedB.map((t) => `"${t}"`).join(', ')}`);
  return reasons;
}
