/**
 * A screening result as records to keep with the party it was about: one row per reported candidate,
 * with the lists' versions it was made against, so a later review can tell what was known when.
 * The store keeps them (`Store.writeScreenings`, table `party_screenings`); `rastro screen names --db` does so.
 */
import type { Candidate, ScreenResult } from './screener.js';

export interface ScreeningRecord {
  /** The party's id in Rastro (account, customer, counterparty). */
  partyId: string;
  /** UTC instant of the screening, ISO 8601. */
  screenedAt: string;
  queryName: string | null;
  entityKey: string;
  list: string;
  listVersion: string | null;
  entityName: string;
  matchedName: string;
  nameStrength: Candidate['nameStrength'];
  score: number;
  match: boolean;
  programs: string[];
  reasons: string[];
}

export function screeningRecords(
  partyId: string,
  result: ScreenResult,
  context: { screenedAtMs: number; listVersions?: ReadonlyArray<{ list: string; version?: string; digest: string }> },
): ScreeningRecord[] {
  const versions = new Map((context.listVersions ?? []).map((v) => [v.list, v.version ?? `digest:${v.digest}`]));
  const screenedAt = new Date(context.screenedAtMs).toISOString();
  return result.candidates.map((c) => ({
    partyId,
    screenedAt,
    queryName: result.query.name ?? result.query.cryptoAddress ?? null,
    entityKey: c.key,
    list: c.list,
    listVersion: versions.get(c.list) ?? null,
    entityName: c.name,
    matchedName: c.matchedName,
    nameStrength: c.nameStrength,
    score: c.score,
    match: c.match,
    programs: c.programs,
    reasons: c.reasons,
  }));
}
