/**
 * What else the query says about the party (birth date, country, identity number, kind) against what the
 * list says about the entry: each agreement raises the name score a little, each contradiction lowers it,
 * an identity number that matches raises it a lot. Nothing is said when either side is silent.
 */
import { countryCode } from './countries.js';
import { compareDates, parseBirthDates, type DateAgreement } from './dates.js';
import type { WatchlistEntity } from './model.js';
import type { NameKind } from './normalize.js';

export interface QueryAttributes {
  kind?: NameKind;
  /** Birth date as written (ISO, "25 Dec 1954", a year). */
  birthDate?: string;
  /** Country of nationality or residence: ISO code, name or demonym. */
  country?: string;
  /** Passport, national id, tax number, registration number... */
  idNumber?: string;
}

export interface Adjustment {
  delta: number;
  reason: string;
}

/** Only names at least this similar are raised by agreeing attributes: a birth date alone is no match. */
export const RAISE_FROM = 0.6;

const DATE_DELTA: Record<DateAgreement, number> = {
  'same-day': 0.06,
  'same-month': 0.04,
  'same-year': 0.03,
  'near-year': 0,
  different: -0.2,
  unknown: 0,
};

const DATE_RANK: DateAgreement[] = ['same-day', 'same-month', 'same-year', 'near-year', 'different', 'unknown'];

function idKey(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function entityCountries(e: WatchlistEntity): { nationality: Set<string>; any: Set<string> } {
  const nationality = new Set<string>();
  const any = new Set<string>();
  for (const n of e.nationalities) {
    const c = countryCode(n);
    if (c) {
      nationality.add(c);
      any.add(c);
    }
  }
  for (const p of e.birthPlaces) {
    const c = countryCode(p);
    if (c) any.add(c);
  }
  for (const a of e.addresses) {
    const c = countryCode(a.country ?? a.full);
    if (c) any.add(c);
  }
  for (const id of e.ids) {
    const c = countryCode(id.country);
    if (c) any.add(c);
  }
  return { nationality, any };
}

function kindOfEntity(e: WatchlistEntity): NameKind {
  if (e.schema === 'Person') return 'person';
  if (e.schema === 'Vessel' || e.schema === 'Airplane') return 'vessel';
  return 'organization';
}

/** Adjustments to a name score from the query's other attributes. */
export function compareAttributes(q: QueryAttributes, e: WatchlistEntity, nameScore: number): Adjustment[] {
  const out: Adjustment[] = [];
  const raise = nameScore >= RAISE_FROM;
  if (q.kind && q.kind !== 'unknown') {
    const ek = kindOfEntity(e);
    if (ek !== q.kind) out.push({ delta: -0.1, reason: `a ${q.kind} query against a listed ${e.schema}` });
  }
  if (q.idNumber) {
    const k = idKey(q.idNumber);
    const hit = k.length >= 4 ? e.ids.find((id) => idKey(id.number) === k) : undefined;
    if (hit) out.push({ delta: 0.25, reason: `id number ${q.idNumber} = ${hit.type} ${hit.number}${hit.country ? ` (${hit.country})` : ''}` });
  }
  if (q.birthDate && e.birthDates.length > 0) {
    const qd = parseBirthDates(q.birthDate);
    let best: DateAgreement = 'unknown';
    let bestListed = '';
    for (const d of qd) {
      for (const l of e.birthDates) {
        const a = compareDates(d, l);
        if (DATE_RANK.indexOf(a) < DATE_RANK.indexOf(best)) {
          best = a;
          bestListed = l;
        }
      }
    }
    const delta = DATE_DELTA[best];
    if (delta < 0) out.push({ delta, reason: `birth date ${q.birthDate} ≠ listed ${e.birthDates.join(', ')}` });
    else if (delta > 0 && raise) out.push({ delta, reason: `birth date ${q.birthDate} agrees with listed ${bestListed} (${best})` });
  }
  if (q.country) {
    const qc = countryCode(q.country);
    if (qc) {
      const { nationality, any } = entityCountries(e);
      if (any.has(qc)) {
        if (raise) out.push({ delta: 0.03, reason: `country ${q.country} appears in the entry (nationality, birth place, address or id)` });
      } else if (nationality.size > 0) {
        out.push({ delta: -0.05, reason: `country ${q.country} is not among the listed nationalities` });
      }
    }
  }
  return out;
}
