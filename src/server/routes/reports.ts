/**
 * Reports in and out: goAML intake (as the FIU receives reports, linked to the parties and accounts it
 * already has), the entities it builds up, case exports as goAML STR/SAR XML and FinCEN SAR XML, each
 * validated against its schema before it leaves; and the audit trail.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { IntakeError, intakeGoaml } from '../../cases/intake.js';
import { parseSettings } from '../../report/config.js';
import { buildFincenSar, buildGoamlReport, validateReport, type CaseBundle } from '../../report/index.js';
import { checkChain, startChainCheck, type QueueAlert, type TenantTransaction, type EntityRecord } from '../../store/index.js';
import type { AppContext } from '../app.js';
import { ApiError, forbidden, invalid, notFound } from '../errors.js';
import { route, type AnyRoute } from '../route.js';
import {
  ApiAuditEntry,
  apiAudit,
  apiEntity,
  ApiEntity,
  apiReport,
  ApiReport,
  AuditQueryIn,
  AuditVerify,
  EntitiesQuery,
  EntityParams,
  IdParam,
  IngestQuery,
  IntakeResult,
  page,
  pageOf,
  PageQuery,
  ReportExportQuery,
  Scope,
} from '../schemas.js';

export const INTAKE_BODY_LIMIT = 32 * 1024 * 1024;
/** Transactions and entities gathered into one export at most. */
const MAX_EXPORT_TRANSACTIONS = 2_000;
const MAX_EXPORT_ENTITIES = 500;

export function reportRoutes(ctx: AppContext): AnyRoute[] {
  const inv = ctx.store.investigation;

  async function bundle(viewer: Parameters<typeof inv.case>[0], caseId: string): Promise<CaseBundle> {
    const c = await inv.case(viewer, caseId);
    if (!c) throw notFound('case');
    if (c.tenantId !== viewer.tenantId) throw forbidden('only the agency owning a case files reports from it');
    const items = (await inv.caseItems(viewer, caseId)) ?? [];
    const decisions = (await inv.decisions(viewer, caseId)) ?? [];
    const alerts: QueueAlert[] = [];
    for (const i of items.filter((x) => x.kind === 'alert').slice(0, 200)) {
      const a = await inv.alert(viewer, i.ref);
      if (a) alerts.push(a);
    }
    const txIds = new Set<string>(items.filter((x) => x.kind === 'transaction').map((x) => x.ref));
    for (const a of alerts) for (const t of a.transactions) txIds.add(t);
    const transactions: TenantTransaction[] = [];
    for (const id of [...txIds].slice(0, MAX_EXPORT_TRANSACTIONS)) {
      const t = await inv.transaction(viewer, id);
      if (t) transactions.push(t);
    }
    const entities: EntityRecord[] = [];
    for (const i of items.filter((x) => x.kind === 'party' || x.kind === 'account' || x.kind === 'wallet').slice(0, MAX_EXPORT_ENTITIES)) {
      const e = await inv.entity(viewer, i.kind as 'party' | 'account' | 'wallet', i.ref);
      if (e) entities.push(e);
    }
    const tenant = (await inv.tenant(viewer.tenantId))!;
    return { case: c, items, decisions, alerts, transactions, entities, settings: parseSettings(tenant.settings, tenant.name), nowMs: ctx.clock() };
  }

  async function exported(viewer: Parameters<typeof inv.case>[0], caseId: string, format: string, xml: string, code: string): Promise<string> {
    const issues = await validateReport(format === 'goaml' ? 'goaml' : 'fincen-sar', xml);
    if (issues.length > 0) {
      throw new ApiError(
        422,
        'schema_invalid',
        `the ${format} report does not validate against its schema (${issues.length} issue(s)); fix the case data or the reporting settings`,
        issues.slice(0, 50).map((i) => ({ path: `${i.element}:${i.line}`, message: `${i.rule}: ${i.message}` })),
      );
    }
    const sha256 = createHash('sha256').update(xml).digest('hex');
    await inv.appendAudit([
      { atMs: ctx.clock(), actorTenant: viewer.tenantId, actor: viewer.userId, action: 'report.export', objectKind: 'case', objectId: caseId, objectTenant: viewer.tenantId, ip: viewer.ip ?? '', detail: JSON.stringify({ format, code, sha256, bytes: xml.length }) },
    ]);
    return xml;
  }

  return [
    route({
      method: 'POST',
      url: '/api/reports/goaml',
      summary: 'Intake of goAML XML reports (STR/SAR/CTR...): stored with their transactions, parties and accounts, linked to those already known',
      tag: 'reports',
      access: 'reports:intake',
      query: IngestQuery,
      accepts: ['application/xml', 'text/xml'],
      bodyLimit: INTAKE_BODY_LIMIT,
      status: 201,
      errors: [415],
      response: IntakeResult,
      handler: async ({ viewer, query, body }) => {
        if (typeof body !== 'string') throw new ApiError(415, 'unsupported_media_type', 'send the goAML report as application/xml');
        const tenant = (await inv.tenant(viewer.tenantId))!;
        const tlp = query.tlp ?? parseSettings(tenant.settings, tenant.name).defaultTlp;
        try {
          return await intakeGoaml(inv, viewer, body, tlp, ctx.clock());
        } catch (err) {
          if (err instanceof IntakeError) throw invalid(`goAML report refused at line ${err.line}: ${err.message}`, [{ path: `body:${err.line}`, message: err.message }]);
          throw err;
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/reports',
      summary: 'Reports received, newest first',
      tag: 'reports',
      access: 'reports:read',
      query: PageQuery.extend({ scope: Scope }),
      response: pageOf(ApiReport),
      handler: async ({ viewer, query }) => page((await inv.reports(viewer, { limit: query.limit + 1, offset: query.offset, scope: query.scope })).map(apiReport), query),
    }),
    route({
      method: 'GET',
      url: '/api/reports/:id',
      summary: 'One received report with its links',
      tag: 'reports',
      access: 'reports:read',
      params: IdParam,
      errors: [404],
      response: ApiReport,
      handler: async ({ viewer, params }) => {
        const r = await inv.report(viewer, params.id);
        if (!r) throw notFound('report');
        return apiReport(r);
      },
    }),
    route({
      method: 'GET',
      url: '/api/entities',
      summary: 'Parties, accounts and wallets known to the agency (from intake), by kind and name',
      tag: 'reports',
      access: 'entities:read',
      query: EntitiesQuery,
      response: pageOf(ApiEntity),
      handler: async ({ viewer, query }) =>
        page(
          (await inv.entities(viewer, { ...(query.kind ? { kind: query.kind } : {}), ...(query.q ? { q: query.q } : {}), scope: query.scope, limit: query.limit + 1, offset: query.offset })).map(apiEntity),
          query,
        ),
    }),
    route({
      method: 'GET',
      url: '/api/entities/:kind/:id',
      summary: 'One party, account or wallet (URL-encode ids holding a slash)',
      tag: 'reports',
      access: 'entities:read',
      params: EntityParams,
      errors: [404],
      response: ApiEntity,
      handler: async ({ viewer, params }) => {
        const e = await inv.entity(viewer, params.kind, params.id);
        if (!e) throw notFound(params.kind);
        return apiEntity(e);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:id/report/goaml',
      summary: 'The case as a goAML XML report (STR by default, SAR after a file-sar decision), validated against the goAML schema',
      tag: 'reports',
      access: 'reports:export',
      params: IdParam,
      query: ReportExportQuery,
      produces: 'application/xml',
      errors: [404, 422],
      response: z.string(),
      handler: async ({ viewer, params, query }) => {
        const b = await bundle(viewer, params.id);
        const goaml = b.settings.goaml;
        if (!goaml) throw invalid('the agency has no goAML reporting settings (PUT /api/tenant/reporting)');
        const code = query.code ?? (b.decisions.some((d) => d.kind === 'file-sar') ? 'SAR' : 'STR');
        if (!goaml.reportCodes.includes(code)) throw invalid(`report code ${code} is not in this FIU's list`, [{ path: 'query.code', message: `one of ${goaml.reportCodes.join(', ')}` }]);
        return exported(viewer, params.id, 'goaml', buildGoamlReport(b, code), code);
      },
    }),
    route({
      method: 'GET',
      url: '/api/cases/:id/report/fincen',
      summary: 'The case as a FinCEN SAR XML batch, validated against the FinCEN schema',
      tag: 'reports',
      access: 'reports:export',
      params: IdParam,
      produces: 'application/xml',
      errors: [404, 422],
      response: z.string(),
      handler: async ({ viewer, params }) => {
        const b = await bundle(viewer, params.id);
        if (!b.settings.fincen) throw invalid('the agency has no FinCEN filing settings (PUT /api/tenant/reporting)');
        return exported(viewer, params.id, 'fincen', buildFincenSar(b), 'SARX');
      },
    }),

    // ---- audit ----
    route({
      method: 'GET',
      url: '/api/audit',
      summary: 'The audit trail of this agency: what its people did, and who read or changed its data',
      tag: 'audit',
      access: 'audit:read',
      query: AuditQueryIn,
      response: pageOf(ApiAuditEntry),
      handler: async ({ viewer, query }) =>
        page(
          (await inv.audit({ tenantId: viewer.tenantId, ...(query.afterSeq !== undefined ? { afterSeq: query.afterSeq } : {}), ...(query.action ? { action: query.action } : {}), limit: query.limit + 1, offset: query.offset })).map(apiAudit),
          query,
        ),
    }),
    route({
      method: 'GET',
      url: '/api/audit/verify',
      summary: 'Check the whole hash chain of the audit trail (every agency’s entries; only the verdict is answered)',
      tag: 'audit',
      access: 'audit:read',
      response: AuditVerify,
      handler: async () => {
        let state = startChainCheck();
        for (;;) {
          const entries = await inv.audit({ afterSeq: state.lastSeq, limit: 5_000 });
          state = checkChain(entries, state);
          if (!state.ok || entries.length < 5_000) break;
        }
        return state;
      },
    }),
  ];
}
