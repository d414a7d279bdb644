/**
 * String similarity for name tokens: Jaro-Winkler (prefix-weighted, good for names) and the optimal
 * string alignment distance (Levenshtein with adjacent transpositions) with an early exit bound.
 * Both work on short lower-case ASCII tokens; buffers are reused, so neither allocates per call.
 */

const MAX_TOKEN = 64;
const matchedA = new Uint8Array(MAX_TOKEN);
const matchedB = new Uint8Array(MAX_TOKEN);

/** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, up to 4 characters). Longer inputs are cut to 64 characters. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = Math.min(a.length, MAX_TOKEN);
  const lb = Math.min(b.length, MAX_TOKEN);
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  matchedA.fill(0, 0, la);
  matchedB.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    const ca = a.charCodeAt(i);
    for (let j = lo; j <= hi; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === ca) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

let rowPrev2 = new Int32Array(MAX_TOKEN + 1);
let rowPrev = new Int32Array(MAX_TOKEN + 1);
let rowCur = new Int32Array(MAX_TOKEN + 1);

/**
 * Optimal string alignment distance (insert, delete, substitute, swap neighbours), or `limit + 1` as soon as
 * the distance is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = MAX_TOKEN): number {
  const la = Math.min(a.length, MAX_TOKEN);
  const lb = Math.min(b.length, MAX_TOKEN);
  if (Math.abs(la - lb) > limit) return limit + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  for (let j = 0; j <= lb; j++) rowPrev[j] = j;
  for (let i = 1; i <= la; i++) {
    rowCur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(rowPrev[j]! + 1, rowCur[j - 1]! + 1, rowPrev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, rowPrev2[j - 2]! + 1);
      rowCur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = rowPrev2;
    rowPrev2 = rowPrev;
    rowPrev = rowCur;
    rowCur = t;
  }
  return rowPrev[lb]!;
}
