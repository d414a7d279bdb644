/**
 * The API's shapes: one zod schema per request and response body, the single source of validation, types
 * and the OpenAPI document. Times are ISO 8601 UTC instants at this edge; money is integer minor units
 * with its ISO 4217 currency.
 */
import { z } from 'zod';
import { Channel, CountryCode, CurrencyCode, formatIso, MinorUnits, Role, Tlp, USER_ROLES } from '../model/index.js';
import { parseIso } from '../model/time.js';
import {
  ALERT_SORTS,
  ALERT_STATUSES,
  CASE_ITEM_KINDS,
  CASE_STATUSES,
  DISPOSITIONS,
  ENTITY_KINDS,
  SEARCH_KINDS,
  type AgreementRecord,
  type AttachmentRecord,
  type AuditEntry,
  type CaseEvent,
  type CaseItem,
  type CaseRecord,
  type DecisionRecord,
  type EntityRecord,
  type GraphEdge,
  type IntakeReportRecord,
  type NoteRecord,
  type QueueAlert,
  type TenantRecord,
  type TenantTransaction,
  type TokenRecord,
  type UserRecord,
} from '../store/index.js';

/** Rows a list answers at most per page. */
export const MAX_API_PAGE = 1000;

export const IsoInstant = z
  .string()
  .refine((s) => Number.isFinite(parseIso(s)), 'an ISO 8601 date-time, e.g. 2024-01-10T09:30:00Z')
  .describe('ISO 8601 instant (UTC when no offset is given)');

const iso = (ms: number | undefined) => (ms === undefined ? undefined : formatIso(ms));

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_API_PAGE).default(100).describe(`rows per page (1..${MAX_API_PAGE})`),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('rows to skip'),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextOffset: z.number().int().nullable().describe('offset of the next page, null on the last one'),
  });
}

/** One page of a list read with limit + 1 rows: whether there is more. */
export function page<T>(rows: T[], q: { limit: number; offset: number }): { items: T[]; nextOffset: number | null } {
  const more = rows.length > q.limit;
  return { items: more ? rows.slice(0, q.limit) : rows, nextOffset: more ? q.offset + q.limit : null };
}

export const IdParam = z.object({ id: z.string().min(1).max(200) });
export const Ok = z.object({ ok: z.literal(true) });

// ---- monitoring --------------------------------------------------------------------------------------

export const MAX_BATCH_TRANSACTIONS = 100_000;
/** Longest transaction id and account number a sender may post (characters). */
export const MAX_TRANSACTION_TEXT = 200;

export const TransactionIn = z
  .object({
    id: z.string().min(1).max(MAX_TRANSACTION_TEXT).describe('the sender system’s own id: repeated ids are recognised and not processed twice'),
    time: IsoInstant,
    fromAccount: z.string().min(1).max(MAX_TRANSACTION_TEXT),
    toAccount: z.string().min(1).max(MAX_TRANSACTION_TEXT),
    amountMinor: MinorUnits.min(0).describe('settled amount in minor units of currency (cents)'),
    currency: CurrencyCode,
    channel: Channel.default('other'),
    fromCountry: CountryCode.optional(),
    toCountry: CountryCode.optional(),
    originalAmountMinor: MinorUnits.min(0).optional(),
    originalCurrency: CurrencyCode.optional(),
  })
  .strict()
  .describe('A transaction in the canonical model');
export type TransactionIn = z.infer<typeof TransactionIn>;

export const TransactionsBody = z
  .union([TransactionIn, z.array(TransactionIn).min(1).max(MAX_BATCH_TRANSACTIONS)])
  .describe(`One transaction, or an array of up to ${MAX_BATCH_TRANSACTIONS}; or (Content-Type application/xml) an ISO 20022 pacs.008 message`);

export const IngestQuery = z.object({ tlp: Tlp.optional().describe('marking of the transactions and of new alerts (default: the tenant’s)') });

export const Factor = z.object({ name: z.string(), value: z.number(), weight: z.number() });

export const ApiAlert = z.object({
  id: z.string(),
  tenantId: z.string(),
  typology: z.string(),
  score: z.number(),
  factors: z.array(Factor),
  accounts: z.array(z.string()),
  transactions: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  explanation: z.string(),
  status: z.enum(ALERT_STATUSES),
  assignee: z.string().optional(),
  disposition: z.enum(DISPOSITIONS).optional(),
  dispositionReason: z.string().optional(),
  caseId: z.string().optional(),
  tlp: Tlp,
  created: z.string(),
  updated: z.string(),
});
export type ApiAlert = z.infer<typeof ApiAlert>;

export function apiAlert(a: QueueAlert): ApiAlert {
  const out: ApiAlert = {
    id: a.id,
    tenantId: a.tenantId,
    typology: a.typology,
    score: a.score,
    factors: a.factors,
    accounts: a.accounts,
    transactions: a.transactions,
    from: formatIso(a.fromMs),
    to: formatIso(a.toMs),
    amountMinor: a.amountMinor,
    currency: a.currency,
    explanation: a.explanation,
    status: a.status,
    tlp: a.tlp,
    created: formatIso(a.createdMs),
    updated: formatIso(a.updatedMs),
  };
  if (a.assignee !== undefined) out.assignee = a.assignee;
  if (a.disposition !== undefined) out.disposition = a.disposition;
  if (a.dispositionReason !== undefined) out.dispositionReason = a.dispositionReason;
  if (a.caseId !== undefined) out.caseId = a.caseId;
  return out;
}

export const IngestResult = z.object({
  accepted: z.number().int().describe('transactions new to the tenant, run through the engine and stored'),
  duplicates: z.number().int().describe('transactions already received (same id): not processed again'),
  duplicateIds: z.array(z.string()).describe('their ids (the first 1,000)'),
  alerts: z.array(ApiAlert).describe('alerts these transactions raised or grew (for duplicates: the stored alerts resting on them)'),
});

export const ApiTransaction = TransactionIn.omit({ channel: true })
  .extend({ channel: z.string(), tenantId: z.string(), tlp: Tlp, received: z.string(), batchId: z.string() })
  .strip();
export function apiTransaction(t: TenantTransaction): z.infer<typeof ApiTransaction> {
  const out: z.infer<typeof ApiTransaction> = {
    id: t.id,
    time: formatIso(t.timeMs),
    fromAccount: t.fromAccount,
    toAccount: t.toAccount,
    amountMinor: t.amountMinor,
    currency: t.currency,
    channel: t.channel,
    tenantId: t.tenantId,
    tlp: t.tlp,
    received: formatIso(t.receivedMs),
    batchId: t.batchId,
  };
  if (t.fromCountry !== undefined) out.fromCountry = t.fromCountry;
  if (t.toCountry !== undefined) out.toCountry = t.toCountry;
  if (t.originalAmountMinor !== undefined) out.originalAmountMinor = t.originalAmountMinor;
  if (t.originalCurrency !== undefined) out.originalCurrency = t.originalCurrency;
  return out;
}

export const TransactionsQuery = PageQuery.extend({
  account: z.string().min(1).max(200).optional(),
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
});

// ---- alerts --------------------------------------------------------------------------------------------

export const Scope = z.enum(['own', 'shared', 'all']).default('own').describe('own agency, shared with it by partners, or both');

export const AlertsQuery = PageQuery.extend({
  typology: z.string().max(100).optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  maxScore: z.coerce.number().min(0).max(1).optional(),
  from: IsoInstant.optional().describe('alerts whose time span ends at or after this instant'),
  to: IsoInstant.optional().describe('alerts whose time span starts before this instant'),
  account: z.string().min(1).max(200).optional(),
  status: z.enum(ALERT_STATUSES).optional(),
  assignee: z.string().max(200).optional(),
  corridor: z
    .string()
    .regex(/^[A-Z]{2}-[A-Z]{2}$/, 'two country codes, e.g. US-MX')
    .optional()
    .describe('alerts with a transaction sent from the first country to the second (ISO 3166 alpha-2, e.g. US-MX)'),
  scope: Scope,
  sort: z.enum(ALERT_SORTS).default('score').describe('score; time (start of the alert); amount (in USD at the default rates); typology. Ties break on id'),
  order: z.enum(['asc', 'desc']).optional().describe('default: desc for score, time and amount; asc for typology'),
});

/** The filters of the alert list, without paging or order: for its count. */
export const AlertsCountQuery = AlertsQuery.omit({ limit: true, offset: true, sort: true, order: true });
export const Count = z.object({ count: z.number().int() });

export const AssignBody = z.object({ assignee: z.string().min(1).max(200).nullable().describe('user id; null to unassign') }).strict();

export const DispositionBody = z
  .object({
    disposition: z.enum(DISPOSITIONS),
    reason: z.string().max(10_000).describe('why: mandatory, at least 10 characters'),
    caseId: z.string().max(200).optional().describe('escalate / sar: the case to add the alert to (default: a new case)'),
  })
  .strict();

export const DispositionResult = z.object({ alert: ApiAlert, caseId: z.string().optional() });

// ---- cases ----------------------------------------------------------------------------------------------

export const ApiCase = z.object({
  id: z.string(),
  tenantId: z.string(),
  title: z.string(),
  summary: z.string(),
  status: z.enum(CASE_STATUSES),
  tlp: Tlp,
  assignee: z.string().optional(),
  createdBy: z.string(),
  created: z.string(),
  updated: z.string(),
});
export function apiCase(c: CaseRecord): z.infer<typeof ApiCase> {
  const out: z.infer<typeof ApiCase> = {
    id: c.id,
    tenantId: c.tenantId,
    title: c.title,
    summary: c.summary,
    status: c.status,
    tlp: c.tlp,
    createdBy: c.createdBy,
    created: formatIso(c.createdMs),
    updated: formatIso(c.updatedMs),
  };
  if (c.assignee !== undefined) out.assignee = c.assignee;
  return out;
}

export const CaseItemIn = z.object({ kind: z.enum(CASE_ITEM_KINDS), ref: z.string().min(1).max(500), note: z.string().max(2000).optional() }).strict();
export const ApiCaseItem = z.object({ kind: z.enum(CASE_ITEM_KINDS), ref: z.string(), note: z.string().optional(), addedBy: z.string(), added: z.string() });
export function apiItem(i: CaseItem): z.infer<typeof ApiCaseItem> {
  const out: z.infer<typeof ApiCaseItem> = { kind: i.kind, ref: i.ref, addedBy: i.addedBy, added: formatIso(i.addedMs) };
  if (i.note !== undefined) out.note = i.note;
  return out;
}

export const CreateCaseBody = z
  .object({
    title: z.string().trim().min(1).max(300),
    summary: z.string().max(20_000).default(''),
    tlp: Tlp.optional(),
    assignee: z.string().max(200).optional(),
    items: z.array(CaseItemIn).max(1000).default([]),
  })
  .strict();

export const CasePatchBody = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    summary: z.string().max(20_000).optional(),
    status: z.enum(CASE_STATUSES).optional(),
    tlp: Tlp.optional(),
    assignee: z.string().max(200).nullable().optional(),
  })
  .strict();

export const CasesQuery = PageQuery.extend({ status: z.enum(CASE_STATUSES).optional(), assignee: z.string().max(200).optional(), scope: Scope });

export const CaseDetail = z.object({
  case: ApiCase,
  items: z.array(ApiCaseItem),
  decisions: z.array(z.object({ id: z.string(), kind: z.string(), reason: z.string(), decidedBy: z.string(), decided: z.string() })),
  attachments: z.array(z.lazy(() => ApiAttachment)),
});

export const ItemsBody = z.object({ items: z.array(CaseItemIn).min(1).max(1000) }).strict();
export const ItemQuery = z.object({ kind: z.enum(CASE_ITEM_KINDS), ref: z.string().min(1).max(500) });

export const NoteIn = z.object({ body: z.string().trim().min(1).max(50_000), tlp: Tlp.optional() }).strict();
export const ApiNote = z.object({ id: z.string(), caseId: z.string(), tenantId: z.string(), body: z.string(), tlp: Tlp, createdBy: z.string(), created: z.string() });
export function apiNote(n: NoteRecord): z.infer<typeof ApiNote> {
  return { id: n.id, caseId: n.caseId, tenantId: n.tenantId, body: n.body, tlp: n.tlp, createdBy: n.createdBy, created: formatIso(n.createdMs) };
}

export const ApiAttachment = z.object({
  sha256: z.string(),
  name: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  tlp: Tlp,
  createdBy: z.string(),
  created: z.string(),
});
export function apiAttachment(a: AttachmentRecord): z.infer<typeof ApiAttachment> {
  return { sha256: a.sha256, name: a.name, mediaType: a.mediaType, sizeBytes: a.sizeBytes, tlp: a.tlp, createdBy: a.createdBy, created: formatIso(a.createdMs) };
}
export const AttachmentQuery = z.object({
  // eslint-disable-next-line no-control-regex
  name: z.string().min(1).max(255).regex(/^[^/\\\u0000-\u001f]+$/, 'a file name without slashes or control characters'),
  tlp: Tlp.optional(),
});
export const AttachmentParams = z.object({ id: z.string().min(1).max(200), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'hex SHA-256') });

export const DecisionIn = z.object({ kind: z.string(), reason: z.string().max(10_000) }).strict();
export function apiDecision(d: DecisionRecord) {
  return { id: d.id, kind: d.kind, reason: d.reason, decidedBy: d.decidedBy, decided: formatIso(d.decidedMs) };
}

export const ApiEvent = z.object({ id: z.string(), at: z.string(), actor: z.string(), kind: z.string(), detail: z.unknown() });
export function apiEvent(e: CaseEvent): z.infer<typeof ApiEvent> {
  return { id: e.id, at: formatIso(e.atMs), actor: e.actor, kind: e.kind, detail: JSON.parse(e.detail) as unknown };
}

// ---- entities and intake ---------------------------------------------------------------------------------

export const ApiEntity = z.object({
  tenantId: z.string(),
  kind: z.enum(ENTITY_KINDS),
  id: z.string(),
  name: z.string().optional(),
  data: z.unknown(),
  tlp: Tlp,
  source: z.string(),
  created: z.string(),
});
export function apiEntity(e: EntityRecord): z.infer<typeof ApiEntity> {
  const out: z.infer<typeof ApiEntity> = { tenantId: e.tenantId, kind: e.kind, id: e.id, data: JSON.parse(e.data) as unknown, tlp: e.tlp, source: e.source, created: formatIso(e.createdMs) };
  if (e.name !== undefined) out.name = e.name;
  return out;
}
export const EntitiesQuery = PageQuery.extend({ kind: z.enum(ENTITY_KINDS).optional(), q: z.string().min(1).max(200).optional(), scope: Scope });
export const EntityParams = z.object({ kind: z.enum(ENTITY_KINDS), id: z.string().min(1).max(500) });

export const ApiReport = z.object({
  id: z.string(),
  tenantId: z.string(),
  format: z.string(),
  reportCode: z.string(),
  entityReference: z.string().optional(),
  reportingEntity: z.string().optional(),
  submitted: z.string().optional(),
  reason: z.string().optional(),
  indicators: z.array(z.string()),
  sha256: z.string(),
  tlp: Tlp,
  created: z.string(),
  links: z.array(z.object({ kind: z.string(), ref: z.string() })),
});
export function apiReport(r: IntakeReportRecord): z.infer<typeof ApiReport> {
  const out: z.infer<typeof ApiReport> = {
    id: r.id,
    tenantId: r.tenantId,
    format: r.format,
    reportCode: r.reportCode,
    indicators: r.indicators,
    sha256: r.sha256,
    tlp: r.tlp,
    created: formatIso(r.createdMs),
    links: r.links,
  };
  if (r.entityReference !== undefined) out.entityReference = r.entityReference;
  if (r.reportingEntity !== undefined) out.reportingEntity = r.reportingEntity;
  const submitted = iso(r.submittedMs);
  if (submitted !== undefined) out.submitted = submitted;
  if (r.reason !== undefined) out.reason = r.reason;
  return out;
}
export const IntakeResult = z.object({
  reports: z.array(
    z.object({
      id: z.string(),
      reportCode: z.string(),
      duplicate: z.boolean().describe('received before (same reporting entity and reference): nothing stored again'),
      created: z.array(z.object({ kind: z.enum(ENTITY_KINDS), id: z.string() })),
      linked: z.array(z.object({ kind: z.enum(ENTITY_KINDS), id: z.string() })),
      transactionsInserted: z.number().int(),
      transactionsKnown: z.number().int(),
    }),
  ),
  rejects: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export const ReportExportQuery = z.object({
  code: z.string().min(1).max(10).optional().describe('goAML report code (default: STR, or SAR when the case has a file-sar decision)'),
});

// ---- exploration: the money graph, the dashboard, search ------------------------------------------------------

export const ApiGraphNode = z.object({
  id: z.string(),
  kind: z.enum(ENTITY_KINDS),
  label: z.string().describe('the entity’s name when known, else the id'),
  hop: z.number().int().describe('hops from the centre (neighbourhood) or position on the path'),
  risk: z.number().describe('highest score of the visible alerts naming the account; 0 without any'),
  typologies: z.array(z.string()).describe('typologies of those alerts'),
  tags: z.array(z.string()).describe('categories known from entity data: market, mixer, exchange, sanctioned...'),
  alerts: z.number().int(),
  tlp: Tlp.describe('most restrictive marking of the records that produced the node'),
});
export const ApiGraphEdge = z.object({
  id: z.string().describe('`<source>-><target>`'),
  source: z.string(),
  target: z.string(),
  count: z.number().int().describe('transactions; 0 for a party’s link to an account named with it in a report'),
  amountMinor: z.number().int().describe('sum in minor units of `currency` (a plain sum of minor units when MIXED)'),
  currency: z.string().describe('the one currency of the transactions, MIXED for several, empty for a link'),
  amountUsd: z.number().describe('in USD at the engine’s default rates (currencies without a rate count 0)'),
  firstTime: z.string(),
  lastTime: z.string(),
  typologies: z.array(z.string()).describe('typologies of the visible alerts resting on any of the transactions'),
});
export function apiGraphEdge(e: GraphEdge): z.infer<typeof ApiGraphEdge> {
  const { firstMs, lastMs, ...rest } = e;
  return { ...rest, firstTime: formatIso(firstMs), lastTime: formatIso(lastMs) };
}

export const NeighbourhoodQuery = z.object({
  kind: z.enum(ENTITY_KINDS).describe('party: the party and the accounts named with it in its reports; wallet: as an account id'),
  id: z.string().min(1).max(500),
  hops: z.coerce.number().int().min(1).max(4).default(2),
  from: IsoInstant.optional().describe('transactions at or after this instant'),
  to: IsoInstant.optional().describe('transactions before this instant'),
  maxNodes: z.coerce.number().int().min(10).max(20_000).default(2000).describe('nodes at most; beyond, `truncated` is true'),
});
export const Neighbourhood = z.object({ center: z.string(), nodes: z.array(ApiGraphNode), edges: z.array(ApiGraphEdge), truncated: z.boolean() });

export const PathQuery = z.object({
  fromId: z.string().min(1).max(500),
  toId: z.string().min(1).max(500),
  maxHops: z.coerce.number().int().min(1).max(8).default(6),
  from: IsoInstant.optional().describe('transactions at or after this instant'),
  to: IsoInstant.optional().describe('transactions before this instant'),
});
export const MoneyPath = z.object({
  found: z.boolean(),
  directed: z.boolean().describe('false when only a path ignoring the direction of the money exists'),
  hops: z.number().int(),
  nodes: z.array(ApiGraphNode),
  edges: z.array(ApiGraphEdge),
});

export const DashboardQuery = z.object({
  from: IsoInstant.optional().describe('alerts whose span ends at or after, transactions and cases at or after this instant'),
  to: IsoInstant.optional().describe('alerts whose span starts before, transactions and cases before this instant'),
  scope: Scope,
});
export const Dashboard = z.object({
  alertsByDay: z.array(z.object({ day: z.string().describe('YYYY-MM-DD (UTC) of the alert’s start'), typology: z.string(), count: z.number().int() })),
  byTypology: z.array(z.object({ typology: z.string(), count: z.number().int(), amountUsd: z.number(), open: z.number().int().describe('new or assigned') })),
  topAccounts: z.array(z.object({ account: z.string(), alerts: z.number().int(), maxScore: z.number(), amountUsd: z.number() })),
  topCorridors: z.array(z.object({ fromCountry: z.string(), toCountry: z.string(), count: z.number().int(), amountUsd: z.number() })),
  casesByStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
  totals: z.object({ alerts: z.number().int(), open: z.number().int(), amountUsd: z.number(), cases: z.number().int(), transactions: z.number().int() }),
});

export const SearchQuery = z.object({
  q: z.string().trim().min(2).max(200).describe('case-insensitive; a substring of ids and names (transaction ids: a prefix)'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const SearchResult = z.object({
  items: z.array(
    z.object({
      kind: z.enum(SEARCH_KINDS),
      id: z.string(),
      label: z.string(),
      tlp: Tlp,
      detail: z.string().optional(),
    }),
  ),
});

// ---- tenancy and access ------------------------------------------------------------------------------------

export const ApiTenant = z.object({ id: z.string(), name: z.string(), operator: z.boolean(), created: z.string() });
export function apiTenant(t: TenantRecord): z.infer<typeof ApiTenant> {
  return { id: t.id, name: t.name, operator: t.operator, created: formatIso(t.createdMs) };
}
export const TenantCreate = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes (2–41)'),
    name: z.string().trim().min(1).max(200),
    admin: z.object({ username: z.string().regex(/^[a-zA-Z0-9._@-]{3,100}$/), password: z.string().min(12).max(200), displayName: z.string().max(200).optional() }),
  })
  .strict();

export const ApiUser = z.object({ id: z.string(), tenantId: z.string(), username: z.string(), displayName: z.string(), role: Role, disabled: z.boolean(), created: z.string() });
export function apiUser(u: UserRecord): z.infer<typeof ApiUser> {
  return { id: u.id, tenantId: u.tenantId, username: u.username, displayName: u.displayName, role: u.role, disabled: u.disabled, created: formatIso(u.createdMs) };
}
export const UserCreate = z
  .object({
    username: z.string().regex(/^[a-zA-Z0-9._@-]{3,100}$/, '3–100 letters, digits or . _ @ -'),
    password: z.string().min(12, 'at least 12 characters').max(200),
    displayName: z.string().max(200).optional(),
    role: z.enum(USER_ROLES),
  })
  .strict();
export const UserPatch = z
  .object({
    role: z.enum(USER_ROLES).optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(12).max(200).optional(),
    displayName: z.string().max(200).optional(),
  })
  .strict();

export const LoginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict();
export const Me = z.object({ user: ApiUser.optional(), tenant: ApiTenant, role: Role, actor: z.string(), csrfToken: z.string().optional() });

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  createdBy: z.string(),
  created: z.string(),
  expires: z.string().optional(),
  revoked: z.string().optional(),
});
export function apiToken(t: TokenRecord): z.infer<typeof ApiToken> {
  const out: z.infer<typeof ApiToken> = { id: t.id, name: t.name, role: t.role, createdBy: t.createdBy, created: formatIso(t.createdMs) };
  const expires = iso(t.expiresMs);
  if (expires !== undefined) out.expires = expires;
  const revoked = iso(t.revokedMs);
  if (revoked !== undefined) out.revoked = revoked;
  return out;
}
export const TokenCreate = z
  .object({ name: z.string().trim().min(1).max(200), role: Role.default('system'), expires: IsoInstant.optional() })
  .strict();
export const TokenCreated = z.object({ token: ApiToken, value: z.string().describe('the secret: shown once, send as `Authorization: Bearer <value>`') });

export const ApiAgreement = z.object({
  id: z.string(),
  ownerTenant: z.string(),
  partnerTenant: z.string(),
  maxTlp: Tlp,
  purpose: z.string(),
  createdBy: z.string(),
  created: z.string(),
  expires: z.string().optional(),
  revoked: z.string().optional(),
});
export function apiAgreement(a: AgreementRecord): z.infer<typeof ApiAgreement> {
  const out: z.infer<typeof ApiAgreement> = {
    id: a.id,
    ownerTenant: a.ownerTenant,
    partnerTenant: a.partnerTenant,
    maxTlp: a.maxTlp,
    purpose: a.purpose,
    createdBy: a.createdBy,
    created: formatIso(a.createdMs),
  };
  const expires = iso(a.expiresMs);
  if (expires !== undefined) out.expires = expires;
  const revoked = iso(a.revokedMs);
  if (revoked !== undefined) out.revoked = revoked;
  return out;
}
export const AgreementCreate = z
  .object({
    partnerTenant: z.string().min(1).max(100),
    maxTlp: Tlp.describe('highest marking shared (RED is never shared)'),
    purpose: z.string().trim().min(3).max(2000),
    expires: IsoInstant.optional(),
  })
  .strict();

export const ApiAuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorTenant: z.string(),
  actor: z.string(),
  action: z.string(),
  objectKind: z.string(),
  objectId: z.string(),
  objectTenant: z.string(),
  ip: z.string(),
  detail: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export function apiAudit(e: AuditEntry): z.infer<typeof ApiAuditEntry> {
  return { ...e, at: formatIso(e.atMs), detail: JSON.parse(e.detail) as unknown };
}
export const AuditQueryIn = PageQuery.extend({ afterSeq: z.coerce.number().int().min(0).optional(), action: z.string().max(100).optional() });
export const AuditVerify = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  lastSeq: z.number().int(),
  lastHash: z.string(),
  broken: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
});
