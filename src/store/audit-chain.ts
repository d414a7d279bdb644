/**
 * The audit trail's tamper evidence: each entry's hash covers the previous entry's hash and every field
 * of the entry, so changing, removing or reordering any stored entry breaks every hash after it.
 * Pure functions; the store appends, `rastro audit verify` and the API check.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What a caller says happened; the store adds the sequence number and the hashes. */
export interface AuditDraft {
  atMs: number;
  /** Tenant the actor acted for. */
  actorTenant: string;
  /** User id, `token:<id>`, or `system`. */
  actor: string;
  /** Dotted verb, e.g. `alert.disposition`, `case.read-shared`. */
  action: string;
  objectKind: string;
  objectId: string;
  /** Tenant owning the object (differs from actorTenant for reads of shared data). */
  objectTenant: string;
  /** Where the request came from ('' when not from the network). */
  ip: string;
  /** JSON text with the particulars (stored and hashed verbatim). */
  detail: string;
}

export interface AuditEntry extends AuditDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Hex SHA-256 over the previous hash and the entry's fields, one per line (fields are single-line JSON or ids). */
export function auditHash(prevHash: string, seq: number, d: AuditDraft): string {
  const h = createHash('sha256');
  h.update(
    [prevHash, String(seq), String(d.atMs), d.actorTenant, d.actor, d.action, d.objectKind, d.objectId, d.objectTenant, d.ip, d.detail]
      .map((f) => JSON.stringify(f))
      .join('\n'),
  );
  return h.digest('hex');
}

export interface ChainCheck {
  ok: boolean;
  entries: number;
  lastSeq: number;
  lastHash: string;
  /** First entry that does not follow from the one before, with why. */
  broken?: { seq: number; reason: string };
}

/**
 * Continue a check over the next entries (ascending seq). `state` carries the previous entry between pages,
 * so the whole log is checked in bounded memory.
 */
export function checkChain(entries: readonly AuditEntry[], state: ChainCheck): ChainCheck {
  if (state.broken) return state;
  let { lastSeq, lastHash, entries: n } = state;
  for (const e of entries) {
    if (e.seq !== lastSeq + 1) return { ok: false, entries: n, lastSeq, lastHash, broken: { seq: e.seq, reason: `sequence jumps from ${lastSeq} to ${e.seq} (entries removed)` } };
    if (e.prevHash !== lastHash) return { ok: false, entries: n, lastSeq, lastHash, broken: { seq: e.seq, reason: 'previous-hash link does not match the entry before' } };
    const expected = auditHash(e.prevHash, e.seq, e);
    if (expected !== e.hash) return { ok: false, entries: n, lastSeq, lastHash, broken: { seq: e.seq, reason: 'entry content does not match its hash (altered)' } };
    lastSeq = e.seq;
    lastHash = e.hash;
    n++;
  }
  return { ok: true, entries: n, lastSeq, lastHash };
}

export function startChainCheck(): ChainCheck {
  return { ok: true, entries: 0, lastSeq: 0, lastHash: GENESIS_HASH };
}
