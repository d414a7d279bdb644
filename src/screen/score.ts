/**
 * The score of two names, as `rastro screen pairs` reports it, and the threshold that turns it into a match.
 */
import { compareNames, explainComparison } from './compare.js';
import { kindOfSchema, normalizeName, type NameForm } from './normalize.js';

/**
 * Default match threshold, chosen on the labelled pairs that bench/screen-pairs.ts builds from the OFAC and
 * UN lists (figures in the README). Between 0.6 and 0.8 F1 on name variants against hard negatives (entries
 * sharing surnames, relatives, common Spanish names on listed surnames) is flat; 0.7 is where it peaks and
 * where relatives stop matching (under 5 % of them score 0.7 or more). Two of three words shared with the
 * third left out scores 0.85; two shared and one different, 0.67.
 */
export const DEFAULT_THRESHOLD = 0.7;

export interface PairScore {
  score: number;
  match: boolean;
  reasons: string[];
}

/** Score two names of the given schema (Person, Company, Organization, LegalEntity, Vessel, or none). */
export function scoreNames(name1: string, name2: string, schema?: string, threshold = DEFAULT_THRESHOLD): PairScore {
  const kind = kindOfSchema(schema);
  return scoreForms(normalizeName(name1, kind), normalizeName(name2, kind), threshold);
}

export function scoreForms(a: NameForm, b: NameForm, threshold = DEFAULT_THRESHOLD): PairScore {
  const c = compareNames(a, b);
  const score = Math.round(c.score * 1000) / 1000;
  return { score, match: score >= threshold, reasons: explainComparison(c) };
}
