/**
 * The alert queue and case work: filter and take alerts, dispose of them with a reason, group what
 * matters into cases with notes, content-addressed attachments, decisions and a timeline.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { can } from '../../cases/access.js';
import { assignment, CLOSING_DECISIONS, DECISION_KINDS, disposition, needsCase, type DecisionKind } from '../../cases/workflow.js';
import { parseIso } from '../../model/time.js';
import type { AlertQuery, CaseItem, CaseRecord } from '../../store/index.js';
import type { AppContext } from '../app.js';
import { ApiError, forbidden, invalid, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { route, type AnyRoute } from '../route.js';
import {
  AlertsCountQuery,
  AlertsQuery,
  ApiAlert,
  apiAlert,
  apiAttachment,
  ApiAttachment,
  ApiCase,
  apiCase,
  ApiCaseItem,
  apiDecision,
  apiEvent,
  ApiEvent,
  apiItem,
  ApiNote,
  apiNote,
  AssignBody,
  AttachmentParams,
  AttachmentQuery,
  CaseDetail,
  CasePatchBody,
  CasesQuery,
  Count,
  CreateCaseBody,
  DecisionIn,
  DispositionBody,
  DispositionResult,
  IdParam,
  ItemQuery,
  ItemsBody,
  NoteIn,
  Ok,
  page,
  pageOf,
  PageQuery,
} from '../schemas.js';

/** Attachments are kept in the database: bounded per file. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** The alert list's filters as the store takes them. */
function alertFilter(query: z.infer<typeof AlertsCountQuery>): AlertQuery {
  return {
    ...(query.typology ? { typology: query.typology } : {}),
    ...(query.minScore !== undefined ? { minScore: query.minScore } : {}),
    ...(query.maxScore !== undefined ? { maxScore: query.maxScore } : {}),
    ...(query.from ? { fromMs: parseIso(query.from) } : {}),
    ...(query.to ? { toMs: parseIso(query.to) } : {}),
    ...(query.account ? { account: query.account } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.assignee ? { assignee: query.assignee } : {}),
    ...(query.corridor ? { corridor: { from: query.corridor.slice(0, 2), to: query.corridor.slice(3, 5) } } : {}),
    scope: query.scope,
  };
}

export function caseRoutes(ctx: AppContext): AnyRoute[] {
  const inv = ctx.store.investigation;

  async function ownAlert(viewer: Parameters<typeof inv.alert>[0], id: string) {
    const a = await inv.alert(viewer, id);
    if (!a) throw notFound('alert');
    if (a.tenantId !== viewer.tenantId) throw forbidden('alerts shared by another agency are read-only');
    return a;
  }

  async function assigneeInTenant(tenantId: string, userId: string | null | undefined): Promise<void> {
    if (userId === null || userId === undefined) return;
    const u = await inv.user(userId);
    if (!u || u.tenantId !== tenantId || u.disabled) throw invalid(`no active user ${userId} in this agency`, [{ path: 'body.assignee', message: 'unknown user' }]);
  }

  return [
    route({
      method: 'GET',
      url: '/api/alerts',
      summary: 'The alert queue, highest score first; filter by typology, score, time, account, status, assignee; scope own/shared/all',
      tag: 'alerts',
      access: 'alerts:read',
      query: AlertsQuery,
      response: pageOf(ApiAlert),
      handler: async ({ viewer, query }) => {
        const rows = await inv.alerts(viewer, {
          ...alertFilter(query),
          sort: query.sort,
          ...(query.order ? { order: query.order } : {}),
          limit: query.limit + 1,
          offset: query.offset,
        });
        return page(rows.map(apiAlert), query);
      },
    }),
    route({
      method: 'GET',
      url: '/api/alerts/count',
      summary: 'How many alerts the queue lists with these filters (for paging)',
      tag: 'alerts',
      access: 'alerts:read',
      query: AlertsCountQuery,
      response: Count,
      handler: async ({ viewer, query }) => ({ count: await inv.countAlerts(viewer, alertFilter(query)) }),
    }),
    route({
      method: 'GET',
      url: '/api/alerts/:id',
      summary: 'One alert with its factors, accounts and transactions',
      tag: 'alerts',
      access: 'alerts:read',
      params: IdParam,
      errors: [404],
      response: ApiAlert,
      handler: async ({ viewer, params }) => {
        const a = await inv.alert(viewer, params.id);
        if (!a) throw notFound('alert');
        return apiAlert(a);
      },
    }),
    route({
      method: 'POST',
      url: '/api/alerts/:id/assign',
      summary: 'Take an alert (analysts: themselves; supervisors: anyone in the agency), or release it',
      tag: 'alerts',
      access: 'alerts:work',
      params: IdParam,
      body: AssignBody,
      errors: [404, 409],
      response: ApiAlert,
      handler: async ({ viewer, params, body }) => {
        const a = await ownAlert(viewer, params.id);
        await assigneeInTenant(viewer.tenantId, body.assignee);
        const verdict = assignment(a, viewer, body.assignee);
        if (!verdict.ok) throw new ApiError(verdict.status, verdict.status === 409 ? 'conflict' : 'forbidden', verdict.message);
        const next = await inv.updateAlert(viewer, a.id, verdict.value, ctx.clock(), 'alert.assign', { assignee: body.assignee });
        if (!next) throw notFound('alert');
        return apiAlert(next);
      },
    }),
    route({
      method: 'POST',
      url: '/api/alerts/:id/disposition',
      summary: 'Dispose of an alert: false positive, escalate (into a case) or SAR (into a case, for filing); a reason is mandatory',
      tag: 'alerts',
      access: 'alerts:work',
      params: IdParam,
      body: DispositionBody,
      errors: [404, 409],
      response: DispositionResult,
      handler: async ({ viewer, params, body }) => {
        const a = await ownAlert(viewer, params.id);
        const verdict = disposition(a, viewer, body.disposition, body.reason);
        if (!verdict.ok) {
          const code = verdict.status === 409 ? 'conflict' : verdict.status === 403 ? 'forbidden' : 'invalid_request';
          throw new ApiError(verdict.status, code, verdict.message, verdict.status === 400 ? [{ path: 'body.reason', message: verdict.message }] : undefined);
        }
        const now = ctx.clock();
        let caseId: string | undefined;
        if (needsCase(body.disposition)) {
          const items: CaseItem[] = [
            { caseId: '', kind: 'alert', ref: a.id, addedBy: viewer.userId, addedMs: now },
            ...a.accounts.slice(0, 200).map((acc) => ({ caseId: '', kind: 'account' as const, ref: acc, addedBy: viewer.userId, addedMs: now })),
          ];
          if (body.caseId) {
            caseId = body.caseId;
            if (!(await inv.addCaseItems(viewer, caseId, items.map((i) => ({ ...i, caseId: caseId! })), now))) throw notFound('case');
          } else {
            caseId = newId('case');
            const record: CaseRecord = {
              tenantId: viewer.tenantId,
              id: caseId,
              title: `${a.typology}: ${a.explanation.slice(0, 200)}`,
              summary: `Opened from alert ${a.id} (${body.disposition}): ${verdict.value.dispositionReason}`,
              status: 'open',
              tlp: a.tlp,
              assignee: viewer.userId,
              createdBy: viewer.userId,
              createdMs: now,
              updatedMs: now,
            };
            await inv.createCase(viewer, record, items.map((i) => ({ ...i, caseId: caseId! })));
          }
        }
        const next = await inv.updateAlert(viewer, a.id, { ...verdict.value, ...(caseId ? { caseId } : {}) }, now, 'alert.disposition', {
          disposition: body.disposition,
          reason: verdict.value.dispositionReason,
          caseId,
        });
        if (!next) throw notFound('alert');
        return { alert: apiAlert(next), ...(caseId ? { caseId } : {}) };
      },
    }),

    // ---- cases ----
    route({
      method: 'GET',
      url: '/api/cases',
      summary: 'Cases, most recently changed first; scope own/shared/all',
      tag: 'cases',
      access: 'cases:read',
      query: CasesQuery,
      response: pageOf(ApiCase),
      handler: async ({ viewer, query }) => {
        const rows = await inv.cases(viewer, {
          ...(query.status ? { status: query.status } : {}),
          ...(query.assignee ? { assignee: query.assignee } : {}),
          scope: query.scope,
          limit: query.limit + 1,
          offset: query.offset,
        });
        return page(rows.map(apiCase), query);
      },
    }),
    route({
      method: 'POST',
      url: '/api/cases',
      summary: 'Open a case, optionally with alerts, parties, accounts, wallets and transactions',
      tag: 'cases',
      access: 'cases:write',
      body: CreateCaseBody,
      status: 201,
      response: ApiCase,
      handler: async ({ viewer, body }) => {
        await assigneeInTenant(viewer.tenantId, body.assignee);
        const now = ctx.clock();
        const id = newId('case');
        const record: CaseRecord = {
          tenantId: viewer.tenantId,
          id,
          title: body.title,
          summary: body.summary,
          status: 'open',
          tlp: body.tlp ?? 'AMBER',
          createdBy: viewer.userId,
          createdMs: now,
          updatedMs: now,
          ...(body.assignee ? { assignee: body.assignee } : {}),
        };
        await inv.createCase(viewer, record, body.items.map((i) => ({ caseId: id, kind: i.kind, ref: i.ref, ...(i.note ? { note: i.note } : {}), addedBy: viewer.userId, addedMs: now })));
        return apiCase(record);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:id',
      summary: 'A case with its items, decisions and attachments',
      tag: 'cases',
      access: 'cases:read',
      params: IdParam,
      errors: [404],
      response: CaseDetail,
      handler: async ({ viewer, params }) => {
        const c = await inv.case(viewer, params.id);
        if (!c) throw notFound('case');
        const [items, decisions, attachments] = await Promise.all([inv.caseItems(viewer, c.id), inv.decisions(viewer, c.id), inv.attachments(viewer, c.id)]);
        return {
          case: apiCase(c),
          items: (items ?? []).map(apiItem),
          decisions: (decisions ?? []).map(apiDecision),
          attachments: (attachments ?? []).map(apiAttachment),
        };
      },
    }),
    route({
      method: 'PATCH',
      url: '/api/cases/:id',
      summary: 'Change a case’s title, summary, status, marking or assignee',
      tag: 'cases',
      access: 'cases:write',
      params: IdParam,
      body: CasePatchBody,
      errors: [404],
      response: ApiCase,
      handler: async ({ viewer, params, body }) => {
        if (body.status === 'closed' && !can(viewer.role, 'cases:decide')) throw forbidden('a supervisor closes cases (with a decision)');
        await assigneeInTenant(viewer.tenantId, body.assignee);
        const c = await inv.updateCase(viewer, params.id, body, ctx.clock());
        if (!c) throw notFound('case');
        return apiCase(c);
      },
    }),
    route({
      method: 'POST',
      url: '/api/cases/:id/items',
      summary: 'Add alerts, parties, accounts, wallets or transactions to a case',
      tag: 'cases',
      access: 'cases:write',
      params: IdParam,
      body: ItemsBody,
      errors: [404],
      response: z.object({ items: z.array(ApiCaseItem) }),
      handler: async ({ viewer, params, body }) => {
        const now = ctx.clock();
        const ok = await inv.addCaseItems(
          viewer,
          params.id,
          body.items.map((i) => ({ caseId: params.id, kind: i.kind, ref: i.ref, ...(i.note ? { note: i.note } : {}), addedBy: viewer.userId, addedMs: now })),
          now,
        );
        if (!ok) throw notFound('case');
        return { items: ((await inv.caseItems(viewer, params.id)) ?? []).map(apiItem) };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/cases/:id/items',
      summary: 'Remove an item from a case',
      tag: 'cases',
      access: 'cases:write',
      params: IdParam,
      query: ItemQuery,
      errors: [404],
      response: Ok,
      handler: async ({ viewer, params, query }) => {
        if (!(await inv.removeCaseItem(viewer, params.id, query.kind, query.ref, ctx.clock()))) throw notFound('case item');
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:id/notes',
      summary: 'A case’s notes (RED notes only for their author and supervisors)',
      tag: 'cases',
      access: 'cases:read',
      params: IdParam,
      query: PageQuery,
      errors: [404],
      response: pageOf(ApiNote),
      handler: async ({ viewer, params, query }) => {
        const notes = await inv.notes(viewer, params.id, { limit: query.limit + 1, offset: query.offset });
        if (!notes) throw notFound('case');
        return page(notes.map(apiNote), query);
      },
    }),
    route({
      method: 'POST',
      url: '/api/cases/:id/notes',
      summary: 'Add a note to a case',
      tag: 'cases',
      access: 'cases:write',
      params: IdParam,
      body: NoteIn,
      status: 201,
      errors: [404],
      response: ApiNote,
      handler: async ({ viewer, params, body }) => {
        const c = await inv.case(viewer, params.id);
        if (!c || c.tenantId !== viewer.tenantId) throw notFound('case');
        const note = { tenantId: viewer.tenantId, id: newId('note'), caseId: params.id, body: body.body, tlp: body.tlp ?? c.tlp, createdBy: viewer.userId, createdMs: ctx.clock() };
        if (!(await inv.addNote(viewer, note))) throw notFound('case');
        return apiNote(note);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:id/attachments',
      summary: 'A case’s attachments (metadata)',
      tag: 'cases',
      access: 'cases:read',
      params: IdParam,
      errors: [404],
      response: z.object({ items: z.array(ApiAttachment) }),
      handler: async ({ viewer, params }) => {
        const items = await inv.attachments(viewer, params.id);
        if (!items) throw notFound('case');
        return { items: items.map(apiAttachment) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/cases/:id/attachments',
      summary: 'Attach a file (application/octet-stream body, ?name=); stored once per content (SHA-256)',
      tag: 'cases',
      access: 'cases:write',
      params: IdParam,
      query: AttachmentQuery,
      accepts: ['application/octet-stream'],
      bodyLimit: MAX_ATTACHMENT_BYTES,
      status: 201,
      errors: [404, 415],
      response: ApiAttachment,
      handler: async ({ viewer, params, query, body, req }) => {
        if (!Buffer.isBuffer(body)) throw new ApiError(415, 'unsupported_media_type', 'send the file as application/octet-stream');
        const media = String(req.headers['x-attachment-type'] ?? 'application/octet-stream').slice(0, 100);
        const c = await inv.case(viewer, params.id);
        if (!c || c.tenantId !== viewer.tenantId) throw notFound('case');
        const meta = {
          tenantId: viewer.tenantId,
          caseId: params.id,
          sha256: createHash('sha256').update(body).digest('hex'),
          name: query.name,
          mediaType: media,
          sizeBytes: body.length,
          tlp: query.tlp ?? c.tlp,
          createdBy: viewer.userId,
          createdMs: ctx.clock(),
        };
        if (!(await inv.addAttachment(viewer, meta, body))) throw notFound('case');
        return apiAttachment(meta);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:id/attachments/:sha256',
      summary: 'Download an attachment',
      tag: 'cases',
      access: 'cases:read',
      params: AttachmentParams,
      produces: 'application/octet-stream',
      errors: [404],
      response: z.unknown(),
      handler: async ({ viewer, params, reply }) => {
        const found = await inv.attachment(viewer, params.id, params.sha256);
        if (!found) throw notFound('attachment');
        reply.header('content-disposition', `attachment; filename="${found.meta.name.replace(/["\\]/g, '_')}"`);
        reply.header('x-content-type-options', 'nosniff');
        return found.content;
      },
    }),
    route({
      method: 'POST',
      url: '/api/cases/:id/decisions',
      summary: `Record a decision (${DECISION_KINDS.join(', ')}) with its reason; closing decisions close the case`,
      tag: 'cases',
      access: 'cases:decide',
      params: IdParam,
      body: DecisionIn,
      status: 201,
      errors: [404],
      response: z.object({ id: z.string(), kind: z.string(), reason: z.string(), decidedBy: z.string(), decided: z.string(), caseStatus: z.string() }),
      handler: async ({ viewer, params, body }) => {
        if (!(DECISION_KINDS as readonly string[]).includes(body.kind)) {
          throw invalid('unknown decision', [{ path: 'body.kind', message: `one of ${DECISION_KINDS.join(', ')}` }]);
        }
        if (body.reason.trim().length < 10) throw invalid('a reason of at least 10 characters is required', [{ path: 'body.reason', message: 'too short' }]);
        const now = ctx.clock();
        const d = { tenantId: viewer.tenantId, id: newId('dec'), caseId: params.id, kind: body.kind, reason: body.reason.trim(), decidedBy: viewer.userId, decidedMs: now };
        if (!(await inv.addDecision(viewer, d))) throw notFound('case');
        let status = 'open';
        if (CLOSING_DECISIONS.includes(body.kind as DecisionKind)) status = (await inv.updateCase(viewer, params.id, { status: 'closed' }, now))?.status ?? 'closed';
        else status = (await inv.case(viewer, params.id))?.status ?? 'open';
        return { ...apiDecision(d), caseStatus: status };
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:id/timeline',
      summary: 'Everything that happened to a case, oldest first',
      tag: 'cases',
      access: 'cases:read',
      params: IdParam,
      query: PageQuery,
      errors: [404],
      response: pageOf(ApiEvent),
      handler: async ({ viewer, params, query }) => {
        const events = await inv.timeline(viewer, params.id, { limit: query.limit + 1, offset: query.offset });
        if (!events) throw notFound('case');
        return page(events.map(apiEvent), query);
      },
    }),
  ];
}
