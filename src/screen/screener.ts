/**
 * Screening: a party (name, and optionally birth date, country, id number, crypto address) against every
 * loaded list. The engine calls `screen` per party; it is pure over the entities it was built from.
 */
import { compareAttributes, type QueryAttributes } from './attributes.js';
import { NameIndex } from './blocking.js';
import { compareNames, explainComparison, newQueryPairCache, type NameComparison } from './compare.js';
import { looksLikeCryptoAddress, normalizeCryptoAddress } from './crypto.js';
import { ListSet } from './lists.js';
import type { LoadedList, NameStrength, WatchlistEntity } from './model.js';
import { kindOfSchema, normalizeName, type NameForm, type NameKind } from './normalize.js';
import { DEFAULT_THRESHOLD } from './score.js';

export interface ScreenQuery {
  /** Caller's reference for the party, echoed back. */
  id?: string;
  name?: string;
  /** Person, Company, Organization, LegalEntity, Vessel. */
  schema?: string;
  birthDate?: string;
  country?: string;
  idNumber?: string;
  cryptoAddress?: string;
}

export interface Candidate {
  key: string;
  list: string;
  sourceId: string;
  name: string;
  schema: string;
  programs: string[];
  /** The listed name (primary or alias) that scored best. */
  matchedName: string;
  nameStrength: NameStrength | 'crypto-address';
  /** Score of the names alone. */
  nameScore: number;
  /** Name score adjusted by the other attributes: what `match` is decided on. */
  score: number;
  match: boolean;
  reasons: string[];
}

export interface ScreenResult {
  query: ScreenQuery;
  match: boolean;
  candidates: Candidate[];
}

export interface ScreenOptions {
  /** Score at or above which a candidate is a match. */
  threshold?: number;
  /** Candidates below this score are not reported. */
  minScore?: number;
  /** At most this many candidates per query. */
  limit?: number;
}

/** Entities compared in full per query, at most (the best by blocking weight). */
const MAX_ENTITIES_COMPARED = 25;
/** Blocking weight a form needs, as a share of the query's weight, to be compared at all. */
const MIN_BLOCK_SHARE = 0.5;
/** A weak alias (nickname, low-quality a.k.a.) identifies less than the name itself. */
const WEAK_ALIAS_FACTOR = 0.92;
/** The most the other attributes can add to a name score (an id number and a birth date and a country). */
const MAX_ATTRIBUTE_RAISE = 0.34;

interface Form {
  entity: number;
  strength: NameStrength;
  name: string;
  form: NameForm;
}

function kindOfEntity(e: WatchlistEntity): NameKind {
  if (e.schema === 'Person') return 'person';
  if (e.schema === 'Vessel' || e.schema === 'Airplane') return 'vessel';
  return 'organization';
}

/** Listed spellings of one name: "Lom-ali Butayev (Butaev)" is also "Lom-ali Butayev" and "Lom-ali Butaev". */
function spellings(name: string): string[] {
  const paren = /\s*\(([^)]{2,60})\)/.exec(name);
  if (!paren) return [name];
  const without = name.replace(paren[0], '').trim();
  const out = [without];
  const inner = paren[1]!.trim();
  const before = without.split(/\s+/);
  if (/^[^\s]+$/.test(inner) && before.length > 1) out.push([...before.slice(0, -1), inner].join(' '));
  else if (inner.split(/\s+/).length >= 2) out.push(inner);
  return out.filter(Boolean);
}

export class Screener {
  private readonly entities: WatchlistEntity[];
  private readonly forms: Form[] = [];
  private readonly formsOfEntity: number[][] = [];
  private readonly index: NameIndex;
  private readonly crypto = new Map<string, Array<{ entity: number; asset: string; address: string }>>();

  constructor(entities: readonly WatchlistEntity[]) {
    this.entities = [...entities];
    this.entities.forEach((e, ei) => {
      const mine: number[] = [];
      this.formsOfEntity.push(mine);
      for (const c of e.cryptoAddresses) {
        const k = normalizeCryptoAddress(c.address);
        const list = this.crypto.get(k) ?? [];
        if (!list.some((x) => x.entity === ei)) list.push({ entity: ei, asset: c.asset, address: c.address });
        this.crypto.set(k, list);
      }
      if (e.schema === 'CryptoWallet') return;
      const kind = kindOfEntity(e);
      const seen = new Set<string>();
      for (const n of e.names) {
        for (const spelling of spellings(n.name)) {
          const form = normalizeName(spelling, kind);
          const sig = form.tokens.join(' ');
          if (!sig || seen.has(sig)) continue;
          seen.add(sig);
          mine.push(this.forms.length);
          this.forms.push({ entity: ei, strength: n.strength, name: n.name, form });
        }
      }
    });
    this.index = new NameIndex(this.forms.map((f) => f.form));
  }

  static fromLists(lists: readonly LoadedList[] | ListSet): Screener {
    if (lists instanceof ListSet) return new Screener(lists.entities());
    const set = new ListSet();
    for (const l of lists) set.apply(l);
    return new Screener(set.entities());
  }

  get stats(): { entities: number; names: number; vocabulary: number; cryptoAddresses: number } {
    return { entities: this.entities.length, names: this.forms.length, vocabulary: this.index.vocabularySize, cryptoAddresses: this.crypto.size };
  }

  screen(query: ScreenQuery, options: ScreenOptions = {}): ScreenResult {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    const minScore = options.minScore ?? 0.5;
    const limit = options.limit ?? 10;
    const byEntity = new Map<number, Candidate>();
    const keep = (ei: number, c: Candidate) => {
      const prev = byEntity.get(ei);
      if (!prev || prev.score < c.score) byEntity.set(ei, c);
    };

    let address = query.cryptoAddress?.trim();
    let name = query.name?.trim();
    if (!address && name && looksLikeCryptoAddress(name)) {
      address = name;
      name = undefined;
    }
    if (address) {
      for (const hit of this.crypto.get(normalizeCryptoAddress(address)) ?? []) {
        const e = this.entities[hit.entity]!;
        keep(hit.entity, this.candidate(e, e.name, 'crypto-address', 1, 1, [`crypto address ${hit.address} (${hit.asset}) is listed for this entry`], threshold));
      }
    }

    if (name) {
      const kind = kindOfSchema(query.schema);
      const q = normalizeName(name, kind);
      const attrs: QueryAttributes = { kind, ...pick(query) };
      let queryWeight = 0;
      for (const w of q.weights) queryWeight += w;
      const entityBlock = new Map<number, number>();
      const formsHit: number[] = [];
      this.index.candidates(q, (form, weight) => {
        if (weight < MIN_BLOCK_SHARE * queryWeight) return;
        formsHit.push(form);
        const ei = this.forms[form]!.entity;
        entityBlock.set(ei, Math.max(entityBlock.get(ei) ?? 0, weight));
      });
      const chosen = new Set([...entityBlock.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_ENTITIES_COMPARED).map(([ei]) => ei));
      const best = new Map<number, { score: number; form: number; comparison: NameComparison }>();
      const pairCache = newQueryPairCache(q);
      for (const fi of formsHit) {
        const f = this.forms[fi]!;
        if (!chosen.has(f.entity)) continue;
        const c = compareNames(q, f.form, pairCache);
        const score = f.strength === 'weak' ? c.score * WEAK_ALIAS_FACTOR : c.score;
        const prev = best.get(f.entity);
        if (prev && prev.score >= score) continue;
        best.set(f.entity, { score, form: fi, comparison: c });
      }
      for (const [ei, b] of best) {
        const e = this.entities[ei]!;
        const f = this.forms[b.form]!;
        if (b.score + MAX_ATTRIBUTE_RAISE < minScore) continue;
        const nameReasons = explainComparison(b.comparison);
        if (f.strength === 'weak') nameReasons.push(`weak alias: score × ${WEAK_ALIAS_FACTOR}`);
        const adjustments = compareAttributes(attrs, e, b.score);
        let score = b.score;
        for (const a of adjustments) score += a.delta;
        score = Math.min(1, Math.max(0, score));
        const reasons = [`name "${name}" against ${f.strength === 'primary' ? 'listed name' : `${f.strength} alias`} "${f.name}": ${round(b.score)}`, ...nameReasons];
        for (const a of adjustments) reasons.push(`${a.delta > 0 ? '+' : ''}${a.delta.toFixed(2)} ${a.reason}`);
        keep(ei, this.candidate(e, f.name, f.strength, b.score, score, reasons, threshold));
      }
    }

    const candidates = [...byEntity.values()].filter((c) => c.score >= minScore).sort((a, b) => b.score - a.score || a.key.localeCompare(b.key)).slice(0, limit);
    return { query, match: candidates.some((c) => c.match), candidates };
  }

  private candidate(e: WatchlistEntity, matchedName: string, strength: Candidate['nameStrength'], nameScore: number, score: number, reasons: string[], threshold: number): Candidate {
    const s = round(score);
    return {
      key: e.key,
      list: e.list,
      sourceId: e.sourceId,
      name: e.name,
      schema: e.schema,
      programs: e.programs,
      matchedName,
      nameStrength: strength,
      nameScore: round(nameScore),
      score: s,
      match: s >= threshold,
      reasons,
    };
  }
}

function pick(q: ScreenQuery): QueryAttributes {
  const out: QueryAttributes = {};
  if (q.birthDate) out.birthDate = q.birthDate;
  if (q.country) out.country = q.country;
  if (q.idNumber) out.idNumber = q.idNumber;
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
