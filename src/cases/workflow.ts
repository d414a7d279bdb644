/**
 * Alert and case workflow rules as pure functions over plain records: who may take an alert, what a
 * disposition does, which decisions close a case. The server applies the result through the store.
 */
import type { Viewer } from '../model/index.js';
import type { AlertPatch, AlertStatus, Disposition, QueueAlert } from '../store/index.js';
import { can } from './access.js';

/** Statuses an analyst can no longer change (a supervisor can reopen). */
export const FINAL_STATUSES: readonly AlertStatus[] = ['false-positive', 'escalated', 'sar'];

/** A disposition needs a reason a reviewer can follow; this is the least we accept. */
export const MIN_REASON_CHARS = 10;

export const DECISION_KINDS = ['file-str', 'file-sar', 'close-no-action', 'refer-to-law-enforcement', 'request-information', 'keep-monitoring'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Decisions that close the case they are taken on. */
export const CLOSING_DECISIONS: readonly DecisionKind[] = ['close-no-action', 'file-str', 'file-sar', 'refer-to-law-enforcement'];

export type Verdict<T> = { ok: true; value: T } | { ok: false; status: 403 | 409 | 400; message: string };

export function assignment(alert: QueueAlert, viewer: Viewer, assignee: string | null): Verdict<AlertPatch> {
  if (FINAL_STATUSES.includes(alert.status) && !can(viewer.role, 'alerts:reopen')) {
    return { ok: false, status: 409, message: `alert is ${alert.status}; only a supervisor can reopen it` };
  }
  const self = assignee === viewer.userId || (assignee === null && alert.assignee === viewer.userId);
  if (!self && !can(viewer.role, 'alerts:assign-others')) {
    return { ok: false, status: 403, message: 'analysts assign alerts to themselves only; a supervisor assigns others' };
  }
  const status: AlertStatus = FINAL_STATUSES.includes(alert.status) ? alert.status : assignee === null ? 'new' : 'assigned';
  return { ok: true, value: { assignee, status } };
}

const DISPOSITION_STATUS: Record<Disposition, AlertStatus> = { 'false-positive': 'false-positive', escalate: 'escalated', sar: 'sar' };

export function disposition(alert: QueueAlert, viewer: Viewer, kind: Disposition, reason: string): Verdict<AlertPatch> {
  const text = reason.trim();
  if (text.length < MIN_REASON_CHARS) return { ok: false, status: 400, message: `a reason of at least ${MIN_REASON_CHARS} characters is required` };
  if (FINAL_STATUSES.includes(alert.status) && !can(viewer.role, 'alerts:reopen')) {
    return { ok: false, status: 409, message: `alert is already ${alert.status}; only a supervisor can change a disposition` };
  }
  if (alert.assignee !== undefined && alert.assignee !== viewer.userId && !can(viewer.role, 'alerts:assign-others')) {
    return { ok: false, status: 403, message: 'the alert is assigned to someone else' };
  }
  return {
    ok: true,
    value: { status: DISPOSITION_STATUS[kind], disposition: kind, dispositionReason: text, assignee: alert.assignee ?? viewer.userId },
  };
}

/** Whether a disposition sends the alert into a case. */
export function needsCase(kind: Disposition): boolean {
  return kind !== 'false-positive';
}
