/**
 * Blocking: which listed names are worth comparing with a query, found without looking at all of them.
 *
 * Every distinct word of the listed names (and every two or three neighbouring words written together, for
 * "Delacruz" against "de la Cruz") is a vocabulary entry with the names that hold it. A query word finds
 * the vocabulary words like it through three keys: the word itself, its phonetic skeleton (first sound and
 * consonants) or consonants only (abjad scripts), and shared trigrams (typos). Each found word passes the
 * matcher's own word similarity before its names are counted. Names collect the weight of the query words
 * they share; the best-scoring entities go on to the full comparison.
 */
import { TOKEN_MATCH_MIN, wordSimilarity } from './compare.js';
import type { NameForm } from './normalize.js';
import { consonantKey, phoneticKey, skeletonKey } from './phonetic.js';

/** Longest fused spelling indexed. */
const MAX_FUSED_CHARS = 24;
/**
 * Only spellings fused with a short word are indexed: particles and prefixes (de la, al, abd, abu, bin),
 * Korean and Chinese syllables (Jong Un). Two long words written as one are rare and cost a lot of index.
 */
const MAX_JOINED_WORD = 4;
/** Similar-word lookups remembered (the lists' and queries' vocabulary repeats a lot). */
const SIMILAR_CACHE_ENTRIES = 100_000;
/** Vocabulary words with a trigram in common examined for one query word, at most. */
const MAX_TRIGRAM_CANDIDATES = 2_000;

export interface SimilarWord {
  word: number;
  sim: number;
}

function trigrams(word: string): string[] {
  const padded = `^${word}$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

class Builder {
  readonly words: string[] = [];
  readonly ids = new Map<string, number>();
  readonly postings: number[][] = [];

  add(word: string, form: number): void {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
      this.postings.push([]);
    }
    const p = this.postings[id]!;
    if (p[p.length - 1] !== form) p.push(form);
  }
}

export class NameIndex {
  private readonly words: string[];
  private readonly phonetic: string[];
  private readonly consonants: string[];
  private readonly ids: Map<string, number>;
  private readonly postings: Int32Array[];
  private readonly bySkeleton = new Map<string, number[]>();
  private readonly byConsonants = new Map<string, number[]>();
  private readonly byTrigram = new Map<string, Int32Array>();
  /** Distinct trigrams of each vocabulary word. */
  private readonly gramCount: Uint16Array;
  private readonly similarCache = new Map<string, SimilarWord[]>();
  // Scratch space reused by every lookup (one query at a time: the index is not re-entrant).
  private readonly gramHits: Uint16Array;
  private readonly touchedWords: Int32Array;
  private readonly formWeight: Float64Array;
  private readonly formBest: Float64Array;
  private readonly touchedForms: Int32Array;
  private readonly wordForms: Int32Array;
  readonly formCount: number;

  constructor(forms: readonly NameForm[]) {
    const b = new Builder();
    forms.forEach((f, id) => {
      for (const t of f.tokens) b.add(t, id);
      const w = f.words;
      for (let i = 0; i + 1 < w.length; i++) {
        let fused = w[i]!;
        let short = fused.length <= MAX_JOINED_WORD;
        for (let j = i + 1; j < Math.min(w.length, i + 3); j++) {
          fused += w[j]!;
          short ||= w[j]!.length <= MAX_JOINED_WORD;
          if (fused.length > MAX_FUSED_CHARS) break;
          if (short) b.add(fused, id);
        }
      }
    });
    this.words = b.words;
    this.ids = b.ids;
    this.postings = b.postings.map((p) => Int32Array.from(p));
    this.phonetic = this.words.map(phoneticKey);
    this.consonants = this.words.map(consonantKey);
    this.gramCount = new Uint16Array(this.words.length);
    const grams = new Map<string, number[]>();
    this.words.forEach((w, id) => {
      push(this.bySkeleton, skeletonKey(w), id);
      const c = this.consonants[id]!;
      if (c.length >= 2) push(this.byConsonants, c, id);
      if (w.length >= 4) {
        const gs = new Set(trigrams(w));
        this.gramCount[id] = gs.size;
        for (const g of gs) push(grams, g, id);
      }
    });
    for (const [g, ids] of grams) this.byTrigram.set(g, Int32Array.from(ids));
    this.formCount = forms.length;
    this.gramHits = new Uint16Array(this.words.length);
    this.touchedWords = new Int32Array(this.words.length);
    this.formWeight = new Float64Array(forms.length);
    this.formBest = new Float64Array(forms.length);
    this.touchedForms = new Int32Array(forms.length);
    this.wordForms = new Int32Array(forms.length);
  }

  get vocabularySize(): number {
    return this.words.length;
  }

  /** Vocabulary words similar to a query word, with their similarity. */
  similar(word: string, abjad: boolean): SimilarWord[] {
    const cacheKey = abjad ? `\u0001${word}` : word;
    const cached = this.similarCache.get(cacheKey);
    if (cached) return cached;
    const out: SimilarWord[] = [];
    const seen = new Set<number>();
    const px = phoneticKey(word);
    const cx = consonantKey(word);
    const consider = (id: number) => {
      if (seen.has(id)) return;
      seen.add(id);
      const y = this.words[id]!;
      const sim = y === word ? 1 : y.length === 1 || word.length === 1 ? 0 : wordSimilarity(word, px, cx, y, this.phonetic[id]!, this.consonants[id]!, abjad).sim;
      if (sim >= TOKEN_MATCH_MIN) out.push({ word: id, sim });
    };
    const exact = this.ids.get(word);
    if (exact !== undefined) consider(exact);
    if (word.length > 1 && !/\d/.test(word)) {
      for (const id of this.bySkeleton.get(skeletonKey(word)) ?? []) consider(id);
      if (cx.length >= 2 && abjad) for (const id of this.byConsonants.get(cx) ?? []) consider(id);
      if (cx.length >= 3 && !abjad) for (const id of this.byConsonants.get(cx) ?? []) if (Math.abs(this.words[id]!.length - word.length) <= 2) consider(id);
      if (word.length >= 4) {
        const grams = [...new Set(trigrams(word))];
        const hits = this.gramHits;
        const touched = this.touchedWords;
        let n = 0;
        for (const g of grams) {
          const list = this.byTrigram.get(g);
          if (!list) continue;
          for (let k = 0; k < list.length; k++) {
            const id = list[k]!;
            const h = hits[id]!;
            if (h === 0) touched[n++] = id;
            hits[id] = h + 1;
          }
        }
        let examined = 0;
        for (let k = 0; k < n; k++) {
          const id = touched[k]!;
          const shared = hits[id]!;
          hits[id] = 0;
          // One typo spoils at most three trigrams of the longer word; ask for the rest, and at least one.
          if (shared < Math.max(1, Math.max(grams.length, this.gramCount[id]!) - 3)) continue;
          if (Math.abs(this.words[id]!.length - word.length) > 2) continue;
          if (examined++ >= MAX_TRIGRAM_CANDIDATES) continue;
          consider(id);
        }
      }
    }
    if (this.similarCache.size >= SIMILAR_CACHE_ENTRIES) this.similarCache.clear();
    this.similarCache.set(cacheKey, out);
    return out;
  }

  /**
   * Forms that share words with the query, with the weight of query words they share (each query word
   * counted once per form, at its best similarity). `visit` is called once per form found.
   */
  candidates(query: NameForm, visit: (form: number, weight: number) => void): void {
    const queryWords: Array<{ word: string; weight: number }> = query.tokens.map((t, i) => ({ word: t, weight: query.weights[i]! }));
    // The query's own fused spellings ("de la cruz" against a listed "Delacruz").
    const w = query.words;
    for (let i = 0; i + 1 < w.length; i++) {
      let fused = w[i]!;
      for (let j = i + 1; j < Math.min(w.length, i + 3); j++) {
        fused += w[j]!;
        if (fused.length > MAX_FUSED_CHARS) break;
        if (this.ids.has(fused)) queryWords.push({ word: fused, weight: 1 });
      }
    }
    const weight = this.formWeight;
    const best = this.formBest;
    const touched = this.touchedForms;
    const wordForms = this.wordForms;
    let nTouched = 0;
    for (const q of queryWords) {
      if (q.weight <= 0) continue;
      let nWordForms = 0;
      for (const s of this.similar(q.word, query.abjad)) {
        const list = this.postings[s.word]!;
        for (let k = 0; k < list.length; k++) {
          const form = list[k]!;
          const prev = best[form]!;
          if (prev === 0) wordForms[nWordForms++] = form;
          if (prev < s.sim) best[form] = s.sim;
        }
      }
      for (let k = 0; k < nWordForms; k++) {
        const form = wordForms[k]!;
        if (weight[form] === 0) touched[nTouched++] = form;
        weight[form] = weight[form]! + q.weight * best[form]!;
        best[form] = 0;
      }
    }
    for (let k = 0; k < nTouched; k++) {
      const form = touched[k]!;
      const wgt = weight[form]!;
      weight[form] = 0;
      visit(form, wgt);
    }
  }
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
