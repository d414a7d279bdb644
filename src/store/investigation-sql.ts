/**
 * InvestigationStore in portable SQL ($n parameters, shared by DuckDB and PostgreSQL). The dialects supply
 * a SqlBackend: reads, and serialised write transactions with a bulk insert. Visibility is one SQL
 * predicate (`visible`) used by every read; writes touch the viewer's own tenant only, and each writes its
 * audit entry (hash-chained) inside the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_BASE_CURRENCY, DEFAULT_RATES_TO_USD, FxTable } from '../detect/fx.js';
import { formatIso, formatMinor, TLP_LEVELS, tlpRank, type Tlp, type Viewer } from '../model/index.js';
import { auditHash, GENESIS_HASH, type AuditDraft, type AuditEntry } from './audit-chain.js';
import type {
  AgreementRecord,
  AlertPatch,
  AlertQuery,
  AlertStatus,
  AttachmentRecord,
  AuditQuery,
  CaseEvent,
  CaseItem,
  CaseItemKind,
  CasePatch,
  CaseQuery,
  CaseRecord,
  CaseStatus,
  Dashboard,
  DashboardQuery,
  DecisionRecord,
  Disposition,
  EntityKind,
  EntityQuery,
  EntityRecord,
  GraphEdge,
  GraphNode,
  IntakeReportRecord,
  IntakeResult,
  IntakeWrite,
  InvestigationStore,
  MonitoredWrite,
  MoneyPath,
  Neighbourhood,
  NeighbourhoodQuery,
  NoteRecord,
  PathQuery,
  QueueAlert,
  SearchHit,
  SearchKind,
  SearchQuery,
  SessionRecord,
  TenantRecord,
  TenantTransaction,
  TokenRecord,
  UserRecord,
} from './investigation.js';
import { CASE_STATUSES } from './investigation.js';
import { rowToAlert, type Row, type SqlParam } from './sql-store.js';
import { pageLimit, type Page } from './store.js';

export type ColumnType = 'text' | 'bigint' | 'double' | 'bool';
export type ColumnSpec = readonly [name: string, type: ColumnType];

export interface SqlRunner {
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Rows changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Insert many rows in one statement (or the dialect's bulk path); `conflict` is appended (e.g. `ON CONFLICT DO NOTHING`). */
  insertMany(table: string, columns: readonly ColumnSpec[], rows: readonly SqlParam[][], conflict?: string): Promise<void>;
  /** `UPDATE table SET <set columns> FROM <rows> WHERE <key columns match>`, in one statement per chunk. */
  updateFrom(table: string, keys: readonly ColumnSpec[], set: readonly ColumnSpec[], rows: readonly SqlParam[][]): Promise<void>;
  /**
   * The audit chain's head as read under the writers' lock when the transaction began (null: the chain is
   * empty), for backends whose other processes may extend it; undefined when the backend did not read it.
   */
  auditHead?: { seq: number; hash: string } | null;
}

/**
 * `UPDATE <table> SET <set columns> FROM (<values>) AS v(...) WHERE <key columns match>` for a VALUES list whose
 * rows hold the key columns then the set columns.
 */
export function updateFromValues(table: string, keys: readonly ColumnSpec[], set: readonly ColumnSpec[], values: string): string {
  const names = [...keys, ...set].map(([n]) => n).join(', ');
  const assign = set.map(([n]) => `${n} = v.${n}`).join(', ');
  const match = keys.map(([n]) => `${table}.${n} = v.${n}`).join(' AND ');
  return `UPDATE ${table} SET ${assign} FROM (VALUES ${values}) AS v(${names}) WHERE ${match}`;
}

export interface SqlBackend {
  readonly dialect: 'duckdb' | 'postgres';
  query(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /**
   * One write transaction. Writes are serialised in the process; PostgreSQL also takes a transaction-level
   * advisory lock so that several server processes extend the one audit chain in turn.
   */
  write<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Whether another process may write the same database (the audit head must then be re-read under the lock). */
  readonly sharedWriters: boolean;
  /**
   * A write transaction whose `stage` (a bulk insert) may run beside other calls' stages, outside the writers'
   * lock, before `fn` runs under it in call order and both commit together. Absent: write() is used.
   */
  writeStaged?<T>(stage: (tx: SqlRunner) => Promise<void>, fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** Transactions waiting from which a backend with writeStaged overlaps group commits (one below: a COPY's worth). */
const OVERLAP_MONITORED_FROM = 2_000;

/** Entries of a list page beyond which reads of shared data are summarised in one audit entry. */
const MAX_SHARED_READ_ENTRIES = 50;
const NO_LOWER = -8.64e15;
const NO_UPPER = 8.64e15;

class Params {
  readonly values: SqlParam[] = [];
  add(v: SqlParam): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

function rankSql(column: string): string {
  return `(CASE ${column} WHEN 'CLEAR' THEN 0 WHEN 'GREEN' THEN 1 WHEN 'AMBER' THEN 2 WHEN 'AMBER+STRICT' THEN 3 ELSE 4 END)`;
}

// ---- exploration helpers -----------------------------------------------------------------------------

/** Ids per `IN (...)` list: with the few other parameters of a query, fewer than 1,000 parameters. */
const IN_CHUNK = 900;
/** Aggregated rows one frontier query answers at most (heaviest pairs first); beyond, the graph says truncated. */
const MAX_FRONTIER_ROWS = 50_000;
/** Accounts a path search discovers per direction at most before it gives up. */
const MAX_PATH_VISITS = 200_000;
/** Edge ids listed in one audit entry of a shared read (the count is always there). */
const MAX_AUDITED_IDS = 1_000;
const OPEN_ALERT_STATUSES = ['new', 'assigned'] as const;
const DAY_MS = 86_400_000;

/** The engine's default rates (USD base): amounts of the dashboard and the graph, and the alert list's amount order. */
const USD = new FxTable(DEFAULT_BASE_CURRENCY, DEFAULT_RATES_TO_USD);

/** USD of minor units (0 for a currency without a rate), to the cent. */
function usd(minor: number, currency: string): number {
  const f = USD.factor(currency);
  return Number.isFinite(f) ? minor * f : 0;
}
function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** SQL of an amount column in USD at the default rates (parameters only; currencies without a rate are 0). */
function usdSql(amount: string, currency: string, p: Params): string {
  const arms = Object.keys(DEFAULT_RATES_TO_USD).map((c) => `WHEN ${p.add(c)} THEN CAST(${p.add(USD.factor(c))} AS DOUBLE PRECISION)`);
  return `(${amount} * (CASE ${currency} ${arms.join(' ')} ELSE 0 END))`;
}

function chunked<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function inList(p: Params, ids: readonly string[]): string {
  return ids.map((id) => p.add(id)).join(', ');
}

/** A LIKE pattern matching `text` literally (lower-cased), with `%` around as asked. */
function likePattern(text: string, before: boolean, after: boolean): string {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return `${before ? '%' : ''}${escaped}${after ? '%' : ''}`;
}

function moreRestrictive(a: Tlp, b: Tlp): Tlp {
  return tlpRank(b) > tlpRank(a) ? b : a;
}
function asTlp(v: unknown): Tlp {
  const s = String(v);
  return (TLP_LEVELS as readonly string[]).includes(s) ? (s as Tlp) : 'RED';
}

/** Tag categories an entity's data JSON names: `tags`, `categories`, `category`, `abuse`, `sanctioned`. */
function entityTags(data: string): string[] {
  let d: unknown;
  try {
    d = JSON.parse(data);
  } catch {
    return [];
  }
  if (!d || typeof d !== 'object') return [];
  const o = d as Record<string, unknown>;
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v !== 'string' || v.trim() === '') return;
    const t = v.trim().toLowerCase();
    out.add(t === 'mixing_service' || t === 'mixing-service' ? 'mixer' : t === 'sanction' ? 'sanctioned' : t);
  };
  for (const key of ['tags', 'categories']) if (Array.isArray(o[key])) for (const v of o[key] as unknown[]) add(v);
  add(o.category);
  add(o.abuse);
  if (o.sanctioned === true) out.add('sanctioned');
  return [...out].sort();
}

/** One aggregated row of the money graph: transactions of a pair in one currency, tenant and marking. */
interface PairRow {
  from: string;
  to: string;
  currency: string;
  tenantId: string;
  tlp: Tlp;
  count: number;
  amountMinor: number;
  firstMs: number;
  lastMs: number;
}

function toPairRow(r: Row): PairRow {
  return {
    from: String(r.src),
    to: String(r.dst),
    currency: String(r.currency),
    tenantId: String(r.tenant_id),
    tlp: asTlp(r.tlp),
    count: num(r.n),
    amountMinor: num(r.amount),
    firstMs: num(r.first_ms),
    lastMs: num(r.last_ms),
  };
}

/** The rows of one directed pair, merged as they arrive. */
class PairAgg {
  count = 0;
  firstMs = Infinity;
  lastMs = -Infinity;
  tlp: Tlp = 'CLEAR';
  readonly amounts = new Map<string, number>();
  readonly tenants = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(
    readonly from: string,
    readonly to: string,
  ) {}

  add(r: PairRow): void {
    // The same row can come back from two chunks of one frontier: count it once.
    const key = `${r.currency}\u0000${r.tenantId}\u0000${r.tlp}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.count += r.count;
    this.firstMs = Math.min(this.firstMs, r.firstMs);
    this.lastMs = Math.max(this.lastMs, r.lastMs);
    this.tlp = moreRestrictive(this.tlp, r.tlp);
    this.amounts.set(r.currency, (this.amounts.get(r.currency) ?? 0) + r.amountMinor);
    this.tenants.set(r.tenantId, (this.tenants.get(r.tenantId) ?? 0) + r.count);
  }

  edge(typologies: readonly string[]): GraphEdge {
    let amountMinor = 0;
    let amountUsd = 0;
    for (const [c, m] of this.amounts) {
      amountMinor += m;
      amountUsd += usd(m, c);
    }
    const currencies = [...this.amounts.keys()];
    return {
      id: `${this.from}->${this.to}`,
      source: this.from,
      target: this.to,
      count: this.count,
      amountMinor,
      currency: currencies.length === 1 ? currencies[0]! : 'MIXED',
      amountUsd: cents(amountUsd),
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      typologies: [...typologies].sort(),
    };
  }
}

/** What a read of other tenants' data touched, per owner tenant: the audit entry written for each. */
class SharedReads {
  readonly owners = new Map<string, { ids: Set<string>; counts: Record<string, number> }>();

  constructor(private readonly viewerTenant: string) {}

  note(tenantId: string, what: string, n = 1, id?: string): void {
    if (tenantId === this.viewerTenant || n === 0) return;
    let o = this.owners.get(tenantId);
    if (!o) this.owners.set(tenantId, (o = { ids: new Set(), counts: {} }));
    o.counts[what] = (o.counts[what] ?? 0) + n;
    if (id !== undefined && o.ids.size < MAX_AUDITED_IDS) o.ids.add(id);
  }
}

interface NodeInfo {
  names: Partial<Record<EntityKind, string>>;
  kinds: Set<EntityKind>;
  tags: Set<string>;
  risk: number;
  typologies: Set<string>;
  alerts: number;
  tlp: Tlp;
}

/** A node: its kind as asked (the centre), else wallet or party when an entity says so, else account. */
function graphNode(id: string, hop: number, info: NodeInfo | undefined, tlp: Tlp | undefined, kind?: EntityKind): GraphNode {
  const k: EntityKind = kind ?? (info?.kinds.has('wallet') ? 'wallet' : info?.kinds.has('party') ? 'party' : 'account');
  const names = info?.names ?? {};
  return {
    id,
    kind: k,
    label: names[k] ?? names.account ?? names.party ?? names.wallet ?? id,
    hop,
    risk: info?.risk ?? 0,
    typologies: [...(info?.typologies ?? [])].sort(),
    tags: [...(info?.tags ?? [])].sort(),
    alerts: info?.alerts ?? 0,
    tlp: moreRestrictive(tlp ?? 'CLEAR', info?.tlp ?? 'CLEAR'),
  };
}

/** Kinds in the order search lists equally good matches. */
const SEARCH_KIND_ORDER: readonly SearchKind[] = ['account', 'party', 'wallet', 'transaction', 'case', 'alert'];

/**
 * What a viewer may see of table alias `a`: its own tenant's rows (RED only when the viewer is named on the row
 * through one of `named` columns, or supervises), and other tenants' non-RED rows whose marking an active
 * sharing agreement from that tenant to the viewer's allows.
 */
function visible(a: string, v: Viewer, p: Params, nowMs: number, named: readonly string[], scope: 'own' | 'shared' | 'all' = 'all'): string {
  const t = p.add(v.tenantId);
  const parts: string[] = [];
  if (scope !== 'shared') {
    let red = 'FALSE';
    if (v.role === 'supervisor') red = 'TRUE';
    else if (named.length > 0) {
      const u = p.add(v.userId);
      red = `(${named.map((c) => `${a}.${c} = ${u}`).join(' OR ')})`;
    }
    parts.push(`(${a}.tenant_id = ${t} AND (${a}.tlp <> 'RED' OR ${red}))`);
  }
  if (scope !== 'own') {
    parts.push(
      `(${a}.tenant_id <> ${t} AND ${a}.tlp <> 'RED' AND ${rankSql(`${a}.tlp`)} <= COALESCE((SELECT MAX(${rankSql('s.max_tlp')}) FROM sharing_agreements s
         WHERE s.owner_tenant = ${a}.tenant_id AND s.partner_tenant = ${t} AND s.revoked_ms IS NULL
           AND (s.expires_ms IS NULL OR s.expires_ms > ${p.add(nowMs)})), -1))`,
    );
  }
  return `(${parts.join(' OR ')})`;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}
function optNum(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}
function optStr(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}
function bool(v: unknown): boolean {
  return v === true || v === 't' || v === 'true' || v === 1;
}
function withOpt<T extends object, K extends string, V>(o: T, key: K, value: V | undefined): T {
  if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  return o;
}

function toTenant(r: Row): TenantRecord {
  return { id: String(r.id), name: String(r.name), operator: bool(r.operator), settings: String(r.settings), createdMs: num(r.created_ms) };
}
function toUser(r: Row): UserRecord {
  return {
    id: String(r.id),
    tenantId: String(r.tenant_id),
    username: String(r.username),
    displayName: String(r.display_name),
    role: String(r.role) as UserRecord['role'],
    passwordHash: String(r.password_hash),
    disabled: bool(r.disabled),
    createdMs: num(r.created_ms),
  };
}
function toToken(r: Row): TokenRecord {
  const t: TokenRecord = {
    id: String(r.id),
    tenantId: String(r.tenant_id),
    name: String(r.name),
    role: String(r.role) as TokenRecord['role'],
    secretHash: String(r.secret_hash),
    createdBy: String(r.created_by),
    createdMs: num(r.created_ms),
  };
  withOpt(t, 'expiresMs', optNum(r.expires_ms));
  return withOpt(t, 'revokedMs', optNum(r.revoked_ms));
}
function toAgreement(r: Row): AgreementRecord {
  const a: AgreementRecord = {
    id: String(r.id),
    ownerTenant: String(r.owner_tenant),
    partnerTenant: String(r.partner_tenant),
    maxTlp: String(r.max_tlp) as Tlp,
    purpose: String(r.purpose),
    createdBy: String(r.created_by),
    createdMs: num(r.created_ms),
  };
  withOpt(a, 'expiresMs', optNum(r.expires_ms));
  return withOpt(a, 'revokedMs', optNum(r.revoked_ms));
}
function toTransaction(r: Row): TenantTransaction {
  const t: TenantTransaction = {
    tenantId: String(r.tenant_id),
    id: String(r.id),
    timeMs: num(r.time_ms),
    fromAccount: String(r.from_account),
    toAccount: String(r.to_account),
    amountMinor: num(r.amount_minor),
    currency: String(r.currency),
    channel: String(r.channel),
    tlp: String(r.tlp) as Tlp,
    receivedMs: num(r.received_ms),
    batchId: String(r.batch_id),
  };
  withOpt(t, 'originalAmountMinor', optNum(r.orig_amount_minor));
  withOpt(t, 'originalCurrency', optStr(r.orig_currency));
  withOpt(t, 'fromCountry', optStr(r.from_country));
  return withOpt(t, 'toCountry', optStr(r.to_country));
}
function toAlert(r: Row): QueueAlert {
  const a: QueueAlert = {
    tenantId: String(r.tenant_id),
    ...rowToAlert(r),
    status: String(r.status) as AlertStatus,
    tlp: String(r.tlp) as Tlp,
    createdMs: num(r.created_ms),
    updatedMs: num(r.updated_ms),
  };
  withOpt(a, 'assignee', optStr(r.assignee));
  withOpt(a, 'disposition', optStr(r.disposition) as Disposition | undefined);
  withOpt(a, 'dispositionReason', optStr(r.disposition_reason));
  return withOpt(a, 'caseId', optStr(r.case_id));
}
function toCase(r: Row): CaseRecord {
  const c: CaseRecord = {
    tenantId: String(r.tenant_id),
    id: String(r.id),
    title: String(r.title),
    summary: String(r.summary),
    status: String(r.status) as CaseStatus,
    tlp: String(r.tlp) as Tlp,
    createdBy: String(r.created_by),
    createdMs: num(r.created_ms),
    updatedMs: num(r.updated_ms),
  };
  return withOpt(c, 'assignee', optStr(r.assignee));
}
function toItem(r: Row): CaseItem {
  const i: CaseItem = { caseId: String(r.case_id), kind: String(r.kind) as CaseItemKind, ref: String(r.ref), addedBy: String(r.added_by), addedMs: num(r.added_ms) };
  return withOpt(i, 'note', optStr(r.note));
}
function toNote(r: Row): NoteRecord {
  return {
    tenantId: String(r.tenant_id),
    id: String(r.id),
    caseId: String(r.case_id),
    body: String(r.body),
    tlp: String(r.tlp) as Tlp,
    createdBy: String(r.created_by),
    createdMs: num(r.created_ms),
  };
}
function toAttachment(r: Row): AttachmentRecord {
  return {
    tenantId: String(r.tenant_id),
    caseId: String(r.case_id),
    sha256: String(r.sha256),
    name: String(r.name),
    mediaType: String(r.media_type),
    sizeBytes: num(r.size_bytes),
    tlp: String(r.tlp) as Tlp,
    createdBy: String(r.created_by),
    createdMs: num(r.created_ms),
  };
}
function toDecision(r: Row): DecisionRecord {
  return {
    tenantId: String(r.tenant_id),
    id: String(r.id),
    caseId: String(r.case_id),
    kind: String(r.kind),
    reason: String(r.reason),
    decidedBy: String(r.decided_by),
    decidedMs: num(r.decided_ms),
  };
}
function toEvent(r: Row): CaseEvent {
  return { id: String(r.id), caseId: String(r.case_id), atMs: num(r.at_ms), actor: String(r.actor), kind: String(r.kind), detail: String(r.detail) };
}
function toEntity(r: Row): EntityRecord {
  const e: EntityRecord = {
    tenantId: String(r.tenant_id),
    kind: String(r.kind) as EntityKind,
    id: String(r.id),
    data: String(r.data),
    tlp: String(r.tlp) as Tlp,
    source: String(r.source),
    createdBy: String(r.created_by),
    createdMs: num(r.created_ms),
    updatedMs: num(r.updated_ms),
  };
  return withOpt(e, 'name', optStr(r.name));
}
function toReport(r: Row, links: { kind: string; ref: string }[]): IntakeReportRecord {
  const rep: IntakeReportRecord = {
    tenantId: String(r.tenant_id),
    id: String(r.id),
    format: String(r.format),
    reportCode: String(r.report_code),
    indicators: JSON.parse(String(r.indicators)) as string[],
    sha256: String(r.sha256),
    tlp: String(r.tlp) as Tlp,
    createdBy: String(r.created_by),
    createdMs: num(r.created_ms),
    links,
  };
  withOpt(rep, 'entityReference', optStr(r.entity_reference));
  withOpt(rep, 'reportingEntity', optStr(r.reporting_entity));
  withOpt(rep, 'submittedMs', optNum(r.submitted_ms));
  withOpt(rep, 'reason', optStr(r.reason));
  return withOpt(rep, 'action', optStr(r.action));
}
function toAudit(r: Row): AuditEntry {
  return {
    seq: num(r.seq),
    atMs: num(r.at_ms),
    actorTenant: String(r.actor_tenant),
    actor: String(r.actor),
    action: String(r.action),
    objectKind: String(r.object_kind),
    objectId: String(r.object_id),
    objectTenant: String(r.object_tenant),
    ip: String(r.ip),
    detail: String(r.detail),
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

const TX_COLUMNS: readonly ColumnSpec[] = [
  ['tenant_id', 'text'], ['id', 'text'], ['time_ms', 'bigint'], ['from_account', 'text'], ['to_account', 'text'], ['amount_minor', 'bigint'],
  ['currency', 'text'], ['orig_amount_minor', 'bigint'], ['orig_currency', 'text'], ['channel', 'text'], ['from_country', 'text'],
  ['to_country', 'text'], ['tlp', 'text'], ['received_ms', 'bigint'], ['batch_id', 'text'],
];
function txRow(t: TenantTransaction): SqlParam[] {
  return [
    t.tenantId, t.id, t.timeMs, t.fromAccount, t.toAccount, t.amountMinor, t.currency, t.originalAmountMinor ?? null, t.originalCurrency ?? null,
    t.channel, t.fromCountry ?? null, t.toCountry ?? null, t.tlp, t.receivedMs, t.batchId,
  ];
}

const ALERT_COLUMNS: readonly ColumnSpec[] = [
  ['tenant_id', 'text'], ['id', 'text'], ['typology', 'text'], ['score', 'double'], ['factors', 'text'], ['accounts', 'text'],
  ['transactions', 'text'], ['from_ms', 'bigint'], ['to_ms', 'bigint'], ['amount_minor', 'bigint'], ['currency', 'text'],
  ['explanation', 'text'], ['status', 'text'], ['assignee', 'text'], ['disposition', 'text'], ['disposition_reason', 'text'],
  ['case_id', 'text'], ['tlp', 'text'], ['created_by', 'text'], ['created_ms', 'bigint'], ['updated_ms', 'bigint'],
];
/** Detection fields refreshed when a live alert grows; workflow fields stay as the analysts left them. */
const ALERT_KEYS: readonly ColumnSpec[] = [['tenant_id', 'text'], ['id', 'text']];
const ALERT_DETECTION: readonly ColumnSpec[] = [
  ['typology', 'text'], ['score', 'double'], ['factors', 'text'], ['accounts', 'text'], ['transactions', 'text'], ['from_ms', 'bigint'],
  ['to_ms', 'bigint'], ['amount_minor', 'bigint'], ['currency', 'text'], ['explanation', 'text'], ['updated_ms', 'bigint'],
];
function alertUpdateRow(a: QueueAlert): SqlParam[] {
  return [
    a.tenantId, a.id, a.typology, a.score, JSON.stringify(a.factors), JSON.stringify(a.accounts), JSON.stringify(a.transactions), a.fromMs, a.toMs,
    a.amountMinor, a.currency, a.explanation, a.updatedMs,
  ];
}
function alertRow(a: QueueAlert): SqlParam[] {
  return [
    a.tenantId, a.id, a.typology, a.score, JSON.stringify(a.factors), JSON.stringify(a.accounts), JSON.stringify(a.transactions), a.fromMs, a.toMs,
    a.amountMinor, a.currency, a.explanation, a.status, a.assignee ?? null, a.disposition ?? null, a.dispositionReason ?? null, a.caseId ?? null,
    a.tlp, 'engine', a.createdMs, a.updatedMs,
  ];
}
const REF_COLUMNS: readonly ColumnSpec[] = [['tenant_id', 'text'], ['alert_id', 'text'], ['kind', 'text'], ['ref', 'text']];
const AUDIT_COLUMNS: readonly ColumnSpec[] = [
  ['seq', 'bigint'], ['at_ms', 'bigint'], ['actor_tenant', 'text'], ['actor', 'text'], ['action', 'text'], ['object_kind', 'text'],
  ['object_id', 'text'], ['object_tenant', 'text'], ['ip', 'text'], ['detail', 'text'], ['prev_hash', 'text'], ['hash', 'text'],
];
const ENTITY_COLUMNS: readonly ColumnSpec[] = [
  ['tenant_id', 'text'], ['kind', 'text'], ['id', 'text'], ['name', 'text'], ['data', 'text'], ['tlp', 'text'], ['source', 'text'],
  ['created_by', 'text'], ['created_ms', 'bigint'], ['updated_ms', 'bigint'],
];

function draft(v: Viewer, atMs: number, action: string, objectKind: string, objectId: string, detail: object = {}, objectTenant = v.tenantId): AuditDraft {
  return { atMs, actorTenant: v.tenantId, actor: v.userId, action, objectKind, objectId, objectTenant, ip: v.ip ?? '', detail: JSON.stringify(detail) };
}

let eventCounter = 0;
/** Ids that sort in the order this process wrote them (timelines order by time, then id). */
function sortableId(prefix: string, atMs: number): string {
  eventCounter = (eventCounter + 1) % 1e9;
  return `${prefix}-${String(atMs).padStart(15, '0')}-${String(eventCounter).padStart(9, '0')}-${randomUUID().slice(0, 8)}`;
}

export class SqlInvestigationStore implements InvestigationStore {
  /** Last audit entry written by this process (seq, hash); re-read under the lock when other processes write too. */
  private auditHead: { seq: number; hash: string } | undefined;

  readonly overlapMonitoredFrom: number | undefined;

  constructor(
    private readonly db: SqlBackend,
    private readonly clock: () => number = Date.now,
  ) {
    this.overlapMonitoredFrom = db.writeStaged ? OVERLAP_MONITORED_FROM : undefined;
  }

  // ---- audit ----------------------------------------------------------------------------------------

  private async appendAuditIn(tx: SqlRunner, drafts: readonly AuditDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    let head = this.db.sharedWriters ? undefined : this.auditHead;
    if (!head && tx.auditHead !== undefined) head = tx.auditHead ?? { seq: 0, hash: GENESIS_HASH };
    if (!head) {
      const [last] = await tx.query(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
      head = last ? { seq: num(last.seq), hash: String(last.hash) } : { seq: 0, hash: GENESIS_HASH };
    }
    const rows: SqlParam[][] = [];
    let { seq, hash } = head;
    for (const d of drafts) {
      seq++;
      const h = auditHash(hash, seq, d);
      rows.push([seq, d.atMs, d.actorTenant, d.actor, d.action, d.objectKind, d.objectId, d.objectTenant, d.ip, d.detail, hash, h]);
      hash = h;
    }
    await tx.insertMany('audit_log', AUDIT_COLUMNS, rows);
    this.auditHead = { seq, hash };
    if (tx.auditHead !== undefined) tx.auditHead = this.auditHead;
  }

  /** A write transaction with its audit entries; the cached audit head is dropped if it fails. */
  private write<T>(fn: (tx: SqlRunner, audit: AuditDraft[]) => Promise<T>): Promise<T> {
    return this.audited((tail) => this.db.write(tail), fn);
  }

  /** write() in two steps where the backend overlaps them (see SqlBackend.writeStaged). */
  private writeStaged<T>(stage: (tx: SqlRunner) => Promise<void>, fn: (tx: SqlRunner, audit: AuditDraft[]) => Promise<T>): Promise<T> {
    const staged = this.db.writeStaged?.bind(this.db);
    if (!staged) {
      return this.write(async (tx, audit) => {
        await stage(tx);
        return fn(tx, audit);
      });
    }
    return this.audited((tail) => staged(stage, tail), fn);
  }

  /** `fn` with an audit list whose entries are chained in at its end, run by `run`; a failure drops the cached head. */
  private async audited<T>(run: (tail: (tx: SqlRunner) => Promise<T>) => Promise<T>, fn: (tx: SqlRunner, audit: AuditDraft[]) => Promise<T>): Promise<T> {
    try {
      return await run(async (tx) => {
        const audit: AuditDraft[] = [];
        const result = await fn(tx, audit);
        await this.appendAuditIn(tx, audit);
        return result;
      });
    } catch (err) {
      this.auditHead = undefined;
      throw err;
    }
  }

  async appendAudit(entries: readonly AuditDraft[]): Promise<void> {
    if (entries.length === 0) return;
    await this.write(async (_tx, audit) => {
      audit.push(...entries);
    });
  }

  /** Audit the viewer's reading of records owned by other tenants. */
  private async auditShared(v: Viewer, kind: string, records: readonly { tenantId: string; id: string }[]): Promise<void> {
    const shared = records.filter((r) => r.tenantId !== v.tenantId);
    if (shared.length === 0) return;
    const now = this.clock();
    const entries =
      shared.length <= MAX_SHARED_READ_ENTRIES
        ? shared.map((r) => draft(v, now, 'read-shared', kind, r.id, {}, r.tenantId))
        : [...new Set(shared.map((r) => r.tenantId))].map((owner) => {
            const ids = shared.filter((r) => r.tenantId === owner).map((r) => r.id);
            return draft(v, now, 'read-shared', kind, `${ids.length} records`, { ids }, owner);
          });
    await this.appendAudit(entries);
  }

  async audit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const { limit, offset } = pageLimit(query);
    const p = new Params();
    const where = [`seq > ${p.add(query.afterSeq ?? 0)}`];
    if (query.tenantId !== undefined) {
      const t = p.add(query.tenantId);
      where.push(`(actor_tenant = ${t} OR object_tenant = ${t})`);
    }
    if (query.action !== undefined) where.push(`action = ${p.add(query.action)}`);
    const rows = await this.db.query(
      `SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    return rows.map(toAudit);
  }

  // ---- tenants, users, tokens, sessions ---------------------------------------------------------------

  async countTenants(): Promise<number> {
    const [r] = await this.db.query(`SELECT COUNT(*) AS n FROM tenants`);
    return num(r?.n ?? 0);
  }

  async createTenant(t: TenantRecord, audit: AuditDraft): Promise<void> {
    await this.write(async (tx, a) => {
      await tx.run(`INSERT INTO tenants (id, name, operator, settings, created_ms) VALUES ($1, $2, $3, $4, $5)`, [t.id, t.name, t.operator, t.settings, t.createdMs]);
      a.push(audit);
    });
  }

  async tenant(id: string): Promise<TenantRecord | undefined> {
    const [r] = await this.db.query(`SELECT * FROM tenants WHERE id = $1`, [id]);
    return r ? toTenant(r) : undefined;
  }

  async tenants(page: Page = {}): Promise<TenantRecord[]> {
    const { limit, offset } = pageLimit(page);
    return (await this.db.query(`SELECT * FROM tenants ORDER BY created_ms, id LIMIT $1 OFFSET $2`, [limit, offset])).map(toTenant);
  }

  async updateTenantSettings(v: Viewer, settings: string, atMs: number): Promise<void> {
    await this.write(async (tx, a) => {
      await tx.run(`UPDATE tenants SET settings = $1 WHERE id = $2`, [settings, v.tenantId]);
      a.push(draft(v, atMs, 'tenant.settings', 'tenant', v.tenantId, { bytes: settings.length }));
    });
  }

  async createUser(u: UserRecord, audit: AuditDraft): Promise<void> {
    await this.write(async (tx, a) => {
      await tx.run(
        `INSERT INTO users (id, tenant_id, username, display_name, role, password_hash, disabled, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [u.id, u.tenantId, u.username, u.displayName, u.role, u.passwordHash, u.disabled, u.createdMs],
      );
      a.push(audit);
    });
  }

  async user(id: string): Promise<UserRecord | undefined> {
    const [r] = await this.db.query(`SELECT * FROM users WHERE id = $1`, [id]);
    return r ? toUser(r) : undefined;
  }

  async userByUsername(username: string): Promise<UserRecord | undefined> {
    const [r] = await this.db.query(`SELECT * FROM users WHERE username = $1`, [username]);
    return r ? toUser(r) : undefined;
  }

  async users(v: Viewer, page: Page = {}): Promise<UserRecord[]> {
    const { limit, offset } = pageLimit(page);
    return (await this.db.query(`SELECT * FROM users WHERE tenant_id = $1 ORDER BY username LIMIT $2 OFFSET $3`, [v.tenantId, limit, offset])).map(toUser);
  }

  async updateUser(
    v: Viewer,
    id: string,
    patch: Partial<Pick<UserRecord, 'role' | 'disabled' | 'passwordHash' | 'displayName'>>,
    atMs: number,
  ): Promise<UserRecord | undefined> {
    return this.write(async (tx, a) => {
      const [row] = await tx.query(`SELECT * FROM users WHERE id = $1 AND tenant_id = $2`, [id, v.tenantId]);
      if (!row) return undefined;
      const u = { ...toUser(row), ...patch };
      await tx.run(`UPDATE users SET role = $1, disabled = $2, password_hash = $3, display_name = $4 WHERE id = $5 AND tenant_id = $6`, [
        u.role, u.disabled, u.passwordHash, u.displayName, id, v.tenantId,
      ]);
      if (patch.disabled === true || patch.passwordHash !== undefined) await tx.run(`DELETE FROM sessions WHERE user_id = $1`, [id]);
      a.push(draft(v, atMs, 'user.update', 'user', id, { ...patch, passwordHash: patch.passwordHash === undefined ? undefined : '(changed)' }));
      return u;
    });
  }

  async createToken(t: TokenRecord, audit: AuditDraft): Promise<void> {
    await this.write(async (tx, a) => {
      await tx.run(
        `INSERT INTO api_tokens (id, tenant_id, name, role, secret_hash, created_by, created_ms, expires_ms, revoked_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)`,
        [t.id, t.tenantId, t.name, t.role, t.secretHash, t.createdBy, t.createdMs, t.expiresMs ?? null],
      );
      a.push(audit);
    });
  }

  async token(id: string): Promise<TokenRecord | undefined> {
    const [r] = await this.db.query(`SELECT * FROM api_tokens WHERE id = $1`, [id]);
    return r ? toToken(r) : undefined;
  }

  async tokens(v: Viewer): Promise<TokenRecord[]> {
    return (await this.db.query(`SELECT * FROM api_tokens WHERE tenant_id = $1 ORDER BY created_ms, id`, [v.tenantId])).map(toToken);
  }

  async revokeToken(v: Viewer, id: string, atMs: number): Promise<boolean> {
    return this.write(async (tx, a) => {
      const n = await tx.run(`UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2 AND tenant_id = $3 AND revoked_ms IS NULL`, [atMs, id, v.tenantId]);
      if (n > 0) a.push(draft(v, atMs, 'token.revoke', 'token', id));
      return n > 0;
    });
  }

  async createSession(s: SessionRecord, audit: AuditDraft): Promise<void> {
    await this.write(async (tx, a) => {
      await tx.run(`DELETE FROM sessions WHERE expires_ms < $1`, [s.createdMs]);
      await tx.run(`INSERT INTO sessions (id_hash, user_id, csrf, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)`, [
        s.idHash, s.userId, s.csrf, s.createdMs, s.expiresMs,
      ]);
      a.push(audit);
    });
  }

  async session(idHash: string, nowMs: number): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    const [r] = await this.db.query(
      `SELECT s.id_hash, s.user_id, s.csrf, s.created_ms AS s_created_ms, s.expires_ms, u.* FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_hash = $1 AND s.expires_ms > $2`,
      [idHash, nowMs],
    );
    if (!r) return undefined;
    return {
      session: { idHash: String(r.id_hash), userId: String(r.user_id), csrf: String(r.csrf), createdMs: num(r.s_created_ms), expiresMs: num(r.expires_ms) },
      user: toUser(r),
    };
  }

  async deleteSession(idHash: string, audit: AuditDraft): Promise<void> {
    await this.write(async (tx, a) => {
      await tx.run(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
      a.push(audit);
    });
  }

  async createAgreement(ag: AgreementRecord, audit: AuditDraft): Promise<void> {
    await this.write(async (tx, a) => {
      await tx.run(
        `INSERT INTO sharing_agreements (id, owner_tenant, partner_tenant, max_tlp, purpose, created_by, created_ms, expires_ms, revoked_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)`,
        [ag.id, ag.ownerTenant, ag.partnerTenant, ag.maxTlp, ag.purpose, ag.createdBy, ag.createdMs, ag.expiresMs ?? null],
      );
      a.push(audit);
    });
  }

  async agreements(v: Viewer): Promise<AgreementRecord[]> {
    return (
      await this.db.query(`SELECT * FROM sharing_agreements WHERE owner_tenant = $1 OR partner_tenant = $1 ORDER BY created_ms, id`, [v.tenantId])
    ).map(toAgreement);
  }

  async revokeAgreement(v: Viewer, id: string, atMs: number): Promise<boolean> {
    return this.write(async (tx, a) => {
      const n = await tx.run(`UPDATE sharing_agreements SET revoked_ms = $1 WHERE id = $2 AND owner_tenant = $3 AND revoked_ms IS NULL`, [atMs, id, v.tenantId]);
      if (n > 0) a.push(draft(v, atMs, 'sharing.revoke', 'agreement', id));
      return n > 0;
    });
  }

  // ---- monitoring ------------------------------------------------------------------------------------

  async transactionIds(tenantId: string, limit: number): Promise<{ ids: string[]; total: number }> {
    const [c] = await this.db.query(`SELECT COUNT(*) AS n FROM tenant_transactions WHERE tenant_id = $1`, [tenantId]);
    const total = num(c?.n ?? 0);
    if (total === 0) return { ids: [], total };
    const rows = await this.db.query(`SELECT id FROM tenant_transactions WHERE tenant_id = $1 ORDER BY time_ms DESC LIMIT $2`, [tenantId, limit]);
    return { ids: rows.map((r) => String(r.id)), total };
  }

  async existingTransactionIds(tenantId: string, ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += 1000) {
      const chunk = ids.slice(start, start + 1000);
      const p = new Params();
      const t = p.add(tenantId);
      const list = chunk.map((id) => p.add(id)).join(', ');
      for (const r of await this.db.query(`SELECT id FROM tenant_transactions WHERE tenant_id = ${t} AND id IN (${list})`, p.values)) found.add(String(r.id));
    }
    return found;
  }

  async recordMonitored(writes: readonly MonitoredWrite[]): Promise<void> {
    const txRows: SqlParam[][] = [];
    const alerts = new Map<string, QueueAlert>();
    const updates = new Map<string, QueueAlert>();
    const refs = new Map<string, SqlParam[]>();
    const audit: AuditDraft[] = [];
    for (const w of writes) {
      for (const t of w.transactions) txRows.push(txRow(t));
      // One row per alert: the latest view wins (an alert raised and grown in one group is inserted as it ends).
      for (const a of w.alertUpdates ?? []) {
        const key = `${a.tenantId}\u0000${a.id}`;
        if (alerts.has(key)) alerts.set(key, { ...a, status: alerts.get(key)!.status });
        else updates.set(key, a);
      }
      for (const a of w.alerts) {
        alerts.set(`${a.tenantId}\u0000${a.id}`, updates.get(`${a.tenantId}\u0000${a.id}`) ?? a);
        updates.delete(`${a.tenantId}\u0000${a.id}`);
      }
      if (!w.refs) {
        for (const a of [...w.alerts, ...(w.alertUpdates ?? [])]) {
          for (const acc of a.accounts) refs.set(`${a.tenantId}\u0000${a.id}\u0000account\u0000${acc}`, [a.tenantId, a.id, 'account', acc]);
          for (const tx of a.transactions) refs.set(`${a.tenantId}\u0000${a.id}\u0000transaction\u0000${tx}`, [a.tenantId, a.id, 'transaction', tx]);
        }
      }
      for (const r of w.refs ?? []) refs.set(`${w.tenantId}\u0000${r.alertId}\u0000${r.kind}\u0000${r.ref}`, [w.tenantId, r.alertId, r.kind, r.ref]);
      audit.push(...w.audit);
    }
    await this.writeStaged(async (tx) => {
      if (txRows.length > 0) await tx.insertMany('tenant_transactions', TX_COLUMNS, txRows);
    }, async (tx, a) => {
      if (alerts.size > 0) await tx.insertMany('tenant_alerts', ALERT_COLUMNS, [...alerts.values()].map(alertRow), 'ON CONFLICT DO NOTHING');
      if (updates.size > 0) await tx.updateFrom('tenant_alerts', ALERT_KEYS, ALERT_DETECTION, [...updates.values()].map(alertUpdateRow));
      if (refs.size > 0) await tx.insertMany('tenant_alert_refs', REF_COLUMNS, [...refs.values()], 'ON CONFLICT DO NOTHING');
      a.push(...audit);
    });
  }

  async transaction(v: Viewer, id: string): Promise<TenantTransaction | undefined> {
    const p = new Params();
    const idp = p.add(id);
    const [r] = await this.db.query(
      `SELECT * FROM tenant_transactions t WHERE t.id = ${idp} AND ${visible('t', v, p, this.clock(), [])} ORDER BY (t.tenant_id = ${p.add(v.tenantId)}) DESC LIMIT 1`,
      p.values,
    );
    if (!r) return undefined;
    const t = toTransaction(r);
    await this.auditShared(v, 'transaction', [t]);
    return t;
  }

  async transactions(v: Viewer, q: { account?: string; fromMs?: number; toMs?: number } & Page): Promise<TenantTransaction[]> {
    const { limit, offset } = pageLimit(q);
    const p = new Params();
    const where = [visible('t', v, p, this.clock(), []), `t.time_ms >= ${p.add(q.fromMs ?? NO_LOWER)}`, `t.time_ms < ${p.add(q.toMs ?? NO_UPPER)}`];
    if (q.account !== undefined) {
      const acc = p.add(q.account);
      where.push(`(t.from_account = ${acc} OR t.to_account = ${acc})`);
    }
    const rows = await this.db.query(
      `SELECT * FROM tenant_transactions t WHERE ${where.join(' AND ')} ORDER BY t.time_ms, t.tenant_id, t.id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const out = rows.map(toTransaction);
    await this.auditShared(v, 'transaction', out);
    return out;
  }

  async alertsOnTransactions(tenantId: string, ids: readonly string[]): Promise<QueueAlert[]> {
    if (ids.length === 0) return [];
    const p = new Params();
    const t = p.add(tenantId);
    const list = ids.slice(0, 1000).map((id) => p.add(id)).join(', ');
    const rows = await this.db.query(
      `SELECT * FROM tenant_alerts a WHERE a.tenant_id = ${t} AND a.id IN
         (SELECT alert_id FROM tenant_alert_refs r WHERE r.tenant_id = ${t} AND r.kind = 'transaction' AND r.ref IN (${list}))
       ORDER BY a.created_ms, a.id`,
      p.values,
    );
    return rows.map(toAlert);
  }

  // ---- alerts ----------------------------------------------------------------------------------------

  /** The filter of an alert list (alias `a`), shared by the list, its count and the dashboard. */
  private alertWhere(v: Viewer, q: AlertQuery, p: Params, nowMs: number): string[] {
    const where = [
      visible('a', v, p, nowMs, ['assignee'], q.scope ?? 'own'),
      `a.to_ms >= ${p.add(q.fromMs ?? NO_LOWER)}`,
      `a.from_ms < ${p.add(q.toMs ?? NO_UPPER)}`,
      `a.score >= ${p.add(q.minScore ?? 0)}`,
      `a.score <= ${p.add(q.maxScore ?? 1)}`,
    ];
    if (q.typology !== undefined) where.push(`a.typology = ${p.add(q.typology)}`);
    if (q.status !== undefined) where.push(`a.status = ${p.add(q.status)}`);
    if (q.assignee !== undefined) where.push(`a.assignee = ${p.add(q.assignee)}`);
    if (q.account !== undefined) {
      where.push(`EXISTS (SELECT 1 FROM tenant_alert_refs r WHERE r.tenant_id = a.tenant_id AND r.alert_id = a.id AND r.kind = 'account' AND r.ref = ${p.add(q.account)})`);
    }
    if (q.corridor !== undefined) {
      where.push(
        `EXISTS (SELECT 1 FROM tenant_alert_refs r JOIN tenant_transactions t ON t.tenant_id = r.tenant_id AND t.id = r.ref
           WHERE r.tenant_id = a.tenant_id AND r.alert_id = a.id AND r.kind = 'transaction'
             AND t.from_country = ${p.add(q.corridor.from)} AND t.to_country = ${p.add(q.corridor.to)})`,
      );
    }
    return where;
  }

  /** ORDER BY of an alert list: the chosen key, then id (and tenant) so that pages are stable. */
  private alertOrder(q: AlertQuery, p: Params): string {
    const sort = q.sort ?? 'score';
    const dir = (q.order ?? (sort === 'typology' ? 'asc' : 'desc')) === 'asc' ? 'ASC' : 'DESC';
    const key =
      sort === 'time'
        ? `a.from_ms ${dir}, a.to_ms ${dir}`
        : sort === 'amount'
          ? `${usdSql('a.amount_minor', 'a.currency', p)} ${dir}`
          : sort === 'typology'
            ? `a.typology ${dir}, a.score DESC`
            : `a.score ${dir}, a.created_ms ${dir}`;
    return `${key}, a.id ${dir}, a.tenant_id ${dir}`;
  }

  async alerts(v: Viewer, q: AlertQuery = {}): Promise<QueueAlert[]> {
    const { limit, offset } = pageLimit(q);
    const p = new Params();
    const where = this.alertWhere(v, q, p, this.clock());
    const rows = await this.db.query(
      `SELECT * FROM tenant_alerts a WHERE ${where.join(' AND ')} ORDER BY ${this.alertOrder(q, p)}
       LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const out = rows.map(toAlert);
    await this.auditShared(v, 'alert', out);
    return out;
  }

  async countAlerts(v: Viewer, q: AlertQuery = {}): Promise<number> {
    const p = new Params();
    const [r] = await this.db.query(`SELECT COUNT(*) AS n FROM tenant_alerts a WHERE ${this.alertWhere(v, q, p, this.clock()).join(' AND ')}`, p.values);
    return num(r?.n ?? 0);
  }

  async alert(v: Viewer, id: string): Promise<QueueAlert | undefined> {
    const p = new Params();
    const idp = p.add(id);
    const [r] = await this.db.query(
      `SELECT * FROM tenant_alerts a WHERE a.id = ${idp} AND ${visible('a', v, p, this.clock(), ['assignee'])}
       ORDER BY (a.tenant_id = ${p.add(v.tenantId)}) DESC LIMIT 1`,
      p.values,
    );
    if (!r) return undefined;
    const a = toAlert(r);
    await this.auditShared(v, 'alert', [a]);
    return a;
  }

  async updateAlert(v: Viewer, id: string, patch: AlertPatch, atMs: number, action: string, detail: object): Promise<QueueAlert | undefined> {
    return this.write(async (tx, audit) => {
      const p = new Params();
      const idp = p.add(id);
      const [row] = await tx.query(`SELECT * FROM tenant_alerts a WHERE a.id = ${idp} AND ${visible('a', v, p, atMs, ['assignee'], 'own')}`, p.values);
      if (!row) return undefined;
      const cur = toAlert(row);
      const next: QueueAlert = { ...cur, updatedMs: atMs };
      if (patch.status !== undefined) next.status = patch.status;
      if (patch.assignee !== undefined) {
        if (patch.assignee === null) delete next.assignee;
        else next.assignee = patch.assignee;
      }
      if (patch.disposition !== undefined) next.disposition = patch.disposition;
      if (patch.dispositionReason !== undefined) next.dispositionReason = patch.dispositionReason;
      if (patch.caseId !== undefined) next.caseId = patch.caseId;
      await tx.run(
        `UPDATE tenant_alerts SET status = $1, assignee = $2, disposition = $3, disposition_reason = $4, case_id = $5, updated_ms = $6
         WHERE tenant_id = $7 AND id = $8`,
        [next.status, next.assignee ?? null, next.disposition ?? null, next.dispositionReason ?? null, next.caseId ?? null, atMs, v.tenantId, id],
      );
      audit.push(draft(v, atMs, action, 'alert', id, detail));
      return next;
    });
  }

  // ---- cases -----------------------------------------------------------------------------------------

  private async event(tx: SqlRunner, v: Viewer, caseId: string, atMs: number, kind: string, detail: object): Promise<void> {
    await tx.run(`INSERT INTO case_events (tenant_id, id, case_id, at_ms, actor, kind, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      v.tenantId, sortableId('ev', atMs), caseId, atMs, v.userId, kind, JSON.stringify(detail),
    ]);
  }

  private async insertItems(tx: SqlRunner, tenantId: string, items: readonly CaseItem[]): Promise<void> {
    if (items.length === 0) return;
    await tx.insertMany(
      'case_items',
      [['tenant_id', 'text'], ['case_id', 'text'], ['kind', 'text'], ['ref', 'text'], ['note', 'text'], ['added_by', 'text'], ['added_ms', 'bigint']],
      items.map((i) => [tenantId, i.caseId, i.kind, i.ref, i.note ?? null, i.addedBy, i.addedMs]),
      'ON CONFLICT DO NOTHING',
    );
  }

  /** The viewer's own case, visible to them, for a change (inside the write transaction). */
  private async ownCase(tx: SqlRunner, v: Viewer, id: string, atMs: number): Promise<CaseRecord | undefined> {
    const p = new Params();
    const idp = p.add(id);
    const [row] = await tx.query(`SELECT * FROM cases c WHERE c.id = ${idp} AND ${visible('c', v, p, atMs, ['created_by', 'assignee'], 'own')}`, p.values);
    return row ? toCase(row) : undefined;
  }

  async createCase(v: Viewer, c: CaseRecord, items: CaseItem[]): Promise<void> {
    await this.write(async (tx, audit) => {
      await tx.run(
        `INSERT INTO cases (tenant_id, id, title, summary, status, tlp, assignee, created_by, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [v.tenantId, c.id, c.title, c.summary, c.status, c.tlp, c.assignee ?? null, c.createdBy, c.createdMs, c.updatedMs],
      );
      await this.insertItems(tx, v.tenantId, items);
      await this.event(tx, v, c.id, c.createdMs, 'created', { title: c.title, tlp: c.tlp, items: items.map((i) => `${i.kind}:${i.ref}`) });
      audit.push(draft(v, c.createdMs, 'case.create', 'case', c.id, { title: c.title, tlp: c.tlp, items: items.length }));
    });
  }

  async case(v: Viewer, id: string): Promise<CaseRecord | undefined> {
    const c = await this.caseQuiet(v, id);
    if (c) await this.auditShared(v, 'case', [c]);
    return c;
  }

  private async caseQuiet(v: Viewer, id: string): Promise<CaseRecord | undefined> {
    const p = new Params();
    const idp = p.add(id);
    const [row] = await this.db.query(
      `SELECT * FROM cases c WHERE c.id = ${idp} AND ${visible('c', v, p, this.clock(), ['created_by', 'assignee'])}
       ORDER BY (c.tenant_id = ${p.add(v.tenantId)}) DESC LIMIT 1`,
      p.values,
    );
    return row ? toCase(row) : undefined;
  }

  async cases(v: Viewer, q: CaseQuery = {}): Promise<CaseRecord[]> {
    const { limit, offset } = pageLimit(q);
    const p = new Params();
    const where = [visible('c', v, p, this.clock(), ['created_by', 'assignee'], q.scope ?? 'own')];
    if (q.status !== undefined) where.push(`c.status = ${p.add(q.status)}`);
    if (q.assignee !== undefined) where.push(`c.assignee = ${p.add(q.assignee)}`);
    const rows = await this.db.query(
      `SELECT * FROM cases c WHERE ${where.join(' AND ')} ORDER BY c.updated_ms DESC, c.tenant_id, c.id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const out = rows.map(toCase);
    await this.auditShared(v, 'case', out);
    return out;
  }

  async updateCase(v: Viewer, id: string, patch: CasePatch, atMs: number): Promise<CaseRecord | undefined> {
    return this.write(async (tx, audit) => {
      const cur = await this.ownCase(tx, v, id, atMs);
      if (!cur) return undefined;
      const next: CaseRecord = { ...cur, updatedMs: atMs };
      if (patch.title !== undefined) next.title = patch.title;
      if (patch.summary !== undefined) next.summary = patch.summary;
      if (patch.status !== undefined) next.status = patch.status;
      if (patch.tlp !== undefined) next.tlp = patch.tlp;
      if (patch.assignee !== undefined) {
        if (patch.assignee === null) delete next.assignee;
        else next.assignee = patch.assignee;
      }
      await tx.run(
        `UPDATE cases SET title = $1, summary = $2, status = $3, tlp = $4, assignee = $5, updated_ms = $6 WHERE tenant_id = $7 AND id = $8`,
        [next.title, next.summary, next.status, next.tlp, next.assignee ?? null, atMs, v.tenantId, id],
      );
      await this.event(tx, v, id, atMs, 'updated', patch);
      audit.push(draft(v, atMs, 'case.update', 'case', id, patch));
      return next;
    });
  }

  private async touchCase(tx: SqlRunner, v: Viewer, id: string, atMs: number): Promise<void> {
    await tx.run(`UPDATE cases SET updated_ms = $1 WHERE tenant_id = $2 AND id = $3`, [atMs, v.tenantId, id]);
  }

  async addCaseItems(v: Viewer, caseId: string, items: CaseItem[], atMs: number): Promise<boolean> {
    return this.write(async (tx, audit) => {
      if (!(await this.ownCase(tx, v, caseId, atMs))) return false;
      await this.insertItems(tx, v.tenantId, items);
      await this.touchCase(tx, v, caseId, atMs);
      await this.event(tx, v, caseId, atMs, 'items-added', { items: items.map((i) => `${i.kind}:${i.ref}`) });
      audit.push(draft(v, atMs, 'case.items-add', 'case', caseId, { items: items.map((i) => `${i.kind}:${i.ref}`) }));
      return true;
    });
  }

  async removeCaseItem(v: Viewer, caseId: string, kind: CaseItemKind, ref: string, atMs: number): Promise<boolean> {
    return this.write(async (tx, audit) => {
      if (!(await this.ownCase(tx, v, caseId, atMs))) return false;
      const n = await tx.run(`DELETE FROM case_items WHERE tenant_id = $1 AND case_id = $2 AND kind = $3 AND ref = $4`, [v.tenantId, caseId, kind, ref]);
      if (n === 0) return false;
      await this.touchCase(tx, v, caseId, atMs);
      await this.event(tx, v, caseId, atMs, 'item-removed', { item: `${kind}:${ref}` });
      audit.push(draft(v, atMs, 'case.item-remove', 'case', caseId, { item: `${kind}:${ref}` }));
      return true;
    });
  }

  async caseItems(v: Viewer, caseId: string): Promise<CaseItem[] | undefined> {
    const c = await this.case(v, caseId);
    if (!c) return undefined;
    const rows = await this.db.query(`SELECT * FROM case_items WHERE tenant_id = $1 AND case_id = $2 ORDER BY added_ms, kind, ref`, [c.tenantId, caseId]);
    return rows.map(toItem);
  }

  async addNote(v: Viewer, note: NoteRecord): Promise<boolean> {
    return this.write(async (tx, audit) => {
      if (!(await this.ownCase(tx, v, note.caseId, note.createdMs))) return false;
      await tx.run(`INSERT INTO case_notes (tenant_id, id, case_id, body, tlp, created_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        v.tenantId, note.id, note.caseId, note.body, note.tlp, note.createdBy, note.createdMs,
      ]);
      await this.touchCase(tx, v, note.caseId, note.createdMs);
      await this.event(tx, v, note.caseId, note.createdMs, 'note-added', { note: note.id, tlp: note.tlp });
      audit.push(draft(v, note.createdMs, 'case.note-add', 'case', note.caseId, { note: note.id, tlp: note.tlp }));
      return true;
    });
  }

  async notes(v: Viewer, caseId: string, page: Page = {}): Promise<NoteRecord[] | undefined> {
    const c = await this.case(v, caseId);
    if (!c) return undefined;
    const { limit, offset } = pageLimit(page);
    const p = new Params();
    const rows = await this.db.query(
      `SELECT * FROM case_notes n WHERE n.tenant_id = ${p.add(c.tenantId)} AND n.case_id = ${p.add(caseId)} AND ${visible('n', v, p, this.clock(), ['created_by'])}
       ORDER BY n.created_ms, n.id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const out = rows.map(toNote);
    await this.auditShared(v, 'note', out);
    return out;
  }

  async addAttachment(v: Viewer, meta: AttachmentRecord, content: Buffer): Promise<boolean> {
    return this.write(async (tx, audit) => {
      if (!(await this.ownCase(tx, v, meta.caseId, meta.createdMs))) return false;
      // Content-addressed: the same bytes are stored once, whichever cases (and tenants) attach them.
      await tx.insertMany(
        'blobs',
        [['sha256', 'text'], ['size_bytes', 'bigint'], ['content_base64', 'text'], ['created_ms', 'bigint']],
        [[meta.sha256, content.length, content.toString('base64'), meta.createdMs]],
        'ON CONFLICT DO NOTHING',
      );
      await tx.insertMany(
        'case_attachments',
        [['tenant_id', 'text'], ['case_id', 'text'], ['sha256', 'text'], ['name', 'text'], ['media_type', 'text'], ['size_bytes', 'bigint'], ['tlp', 'text'], ['created_by', 'text'], ['created_ms', 'bigint']],
        [[v.tenantId, meta.caseId, meta.sha256, meta.name, meta.mediaType, meta.sizeBytes, meta.tlp, meta.createdBy, meta.createdMs]],
        'ON CONFLICT DO NOTHING',
      );
      await this.touchCase(tx, v, meta.caseId, meta.createdMs);
      await this.event(tx, v, meta.caseId, meta.createdMs, 'attachment-added', { sha256: meta.sha256, name: meta.name, sizeBytes: meta.sizeBytes });
      audit.push(draft(v, meta.createdMs, 'case.attachment-add', 'case', meta.caseId, { sha256: meta.sha256, name: meta.name, sizeBytes: meta.sizeBytes }));
      return true;
    });
  }

  async attachments(v: Viewer, caseId: string): Promise<AttachmentRecord[] | undefined> {
    const c = await this.case(v, caseId);
    if (!c) return undefined;
    const p = new Params();
    const rows = await this.db.query(
      `SELECT * FROM case_attachments t WHERE t.tenant_id = ${p.add(c.tenantId)} AND t.case_id = ${p.add(caseId)} AND ${visible('t', v, p, this.clock(), ['created_by'])}
       ORDER BY t.created_ms, t.sha256`,
      p.values,
    );
    return rows.map(toAttachment);
  }

  async attachment(v: Viewer, caseId: string, sha256: string): Promise<{ meta: AttachmentRecord; content: Buffer } | undefined> {
    const c = await this.caseQuiet(v, caseId);
    if (!c) return undefined;
    const p = new Params();
    const [row] = await this.db.query(
      `SELECT t.*, b.content_base64 FROM case_attachments t JOIN blobs b ON b.sha256 = t.sha256
       WHERE t.tenant_id = ${p.add(c.tenantId)} AND t.case_id = ${p.add(caseId)} AND t.sha256 = ${p.add(sha256)} AND ${visible('t', v, p, this.clock(), ['created_by'])}`,
      p.values,
    );
    if (!row) return undefined;
    const meta = toAttachment(row);
    await this.auditShared(v, 'attachment', [{ tenantId: meta.tenantId, id: `${caseId}/${sha256}` }]);
    return { meta, content: Buffer.from(String(row.content_base64), 'base64') };
  }

  async addDecision(v: Viewer, d: DecisionRecord): Promise<boolean> {
    return this.write(async (tx, audit) => {
      if (!(await this.ownCase(tx, v, d.caseId, d.decidedMs))) return false;
      await tx.run(`INSERT INTO case_decisions (tenant_id, id, case_id, kind, reason, decided_by, decided_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        v.tenantId, d.id, d.caseId, d.kind, d.reason, d.decidedBy, d.decidedMs,
      ]);
      await this.touchCase(tx, v, d.caseId, d.decidedMs);
      await this.event(tx, v, d.caseId, d.decidedMs, 'decision', { decision: d.id, kind: d.kind, reason: d.reason });
      audit.push(draft(v, d.decidedMs, 'case.decision', 'case', d.caseId, { decision: d.id, kind: d.kind }));
      return true;
    });
  }

  async decisions(v: Viewer, caseId: string): Promise<DecisionRecord[] | undefined> {
    const c = await this.case(v, caseId);
    if (!c) return undefined;
    const rows = await this.db.query(`SELECT * FROM case_decisions WHERE tenant_id = $1 AND case_id = $2 ORDER BY decided_ms, id`, [c.tenantId, caseId]);
    return rows.map(toDecision);
  }

  async timeline(v: Viewer, caseId: string, page: Page = {}): Promise<CaseEvent[] | undefined> {
    const c = await this.case(v, caseId);
    if (!c) return undefined;
    const { limit, offset } = pageLimit(page);
    const rows = await this.db.query(`SELECT * FROM case_events WHERE tenant_id = $1 AND case_id = $2 ORDER BY at_ms, id LIMIT $3 OFFSET $4`, [
      c.tenantId, caseId, limit, offset,
    ]);
    return rows.map(toEvent);
  }

  // ---- exploration: the money graph, the dashboard, search ------------------------------------------------

  /** One audit entry per owner tenant whose data an aggregated read touched (counts, and the first ids). */
  private async auditSharedReads(v: Viewer, kind: string, objectId: string, reads: SharedReads): Promise<void> {
    if (reads.owners.size === 0) return;
    const now = this.clock();
    await this.appendAudit(
      [...reads.owners].map(([owner, o]) => draft(v, now, 'read-shared', kind, objectId, { ...o.counts, ...(o.ids.size > 0 ? { ids: [...o.ids] } : {}) }, owner)),
    );
  }

  /**
   * Whether the viewer sees an account (or wallet, or party acting without an account) at all: named by a
   * visible transaction or a visible entity. Answers the most restrictive marking of those, undefined when none.
   */
  private async accountMarking(v: Viewer, id: string, nowMs: number): Promise<Tlp | undefined> {
    const p = new Params();
    const idp = p.add(id);
    const [t] = await this.db.query(
      `SELECT MAX(${rankSql('t.tlp')}) AS r FROM tenant_transactions t WHERE (t.from_account = ${idp} OR t.to_account = ${idp}) AND ${visible('t', v, p, nowMs, [])}`,
      p.values,
    );
    const q = new Params();
    const [e] = await this.db.query(
      `SELECT MAX(${rankSql('e.tlp')}) AS r FROM tenant_entities e WHERE e.id = ${q.add(id)} AND ${visible('e', v, q, nowMs, ['created_by'])}`,
      q.values,
    );
    const ranks = [t?.r, e?.r].filter((r) => r !== null && r !== undefined).map(num);
    return ranks.length === 0 ? undefined : TLP_LEVELS[Math.max(...ranks)];
  }

  /** The visible transactions matched by `match` (alias `t`), aggregated per pair, currency, tenant and marking; heaviest first. */
  private async pairQuery(v: Viewer, p: Params, match: string, range: { fromMs: number; toMs: number }, nowMs: number): Promise<{ rows: PairRow[]; full: boolean }> {
    const rows = await this.db.query(
      `SELECT t.from_account AS src, t.to_account AS dst, t.currency, t.tenant_id, t.tlp, COUNT(*) AS n, SUM(t.amount_minor) AS amount,
         MIN(t.time_ms) AS first_ms, MAX(t.time_ms) AS last_ms
       FROM tenant_transactions t
       WHERE ${match} AND t.time_ms >= ${p.add(range.fromMs)} AND t.time_ms < ${p.add(range.toMs)} AND ${visible('t', v, p, nowMs, [])}
       GROUP BY t.from_account, t.to_account, t.currency, t.tenant_id, t.tlp
       ORDER BY n DESC, src, dst, t.currency, t.tenant_id, t.tlp LIMIT ${p.add(MAX_FRONTIER_ROWS)}`,
      p.values,
    );
    return { rows: rows.map(toPairRow), full: rows.length >= MAX_FRONTIER_ROWS };
  }

  /** pairQuery over a set of accounts, one query per chunk of `IN` list (`match` gets the list of placeholders). */
  private async pairRows(
    v: Viewer,
    ids: readonly string[],
    match: (list: string) => string,
    range: { fromMs: number; toMs: number },
    nowMs: number,
  ): Promise<{ rows: PairRow[]; full: boolean }> {
    const rows: PairRow[] = [];
    let full = false;
    for (const chunk of chunked(ids)) {
      const p = new Params();
      const got = await this.pairQuery(v, p, match(inList(p, chunk)), range, nowMs);
      for (const r of got.rows) rows.push(r);
      full ||= got.full;
    }
    return { rows, full };
  }

  /** Typologies of the visible alerts resting on transactions from `sources`, per pair `keep` accepts (key `from\0to`). */
  private async pairTypologies(
    v: Viewer,
    sources: readonly string[],
    range: { fromMs: number; toMs: number },
    nowMs: number,
    keep: (key: string) => boolean,
    reads: SharedReads,
  ): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    const sharedAlerts = new Set<string>();
    for (const chunk of chunked(sources)) {
      const p = new Params();
      const rows = await this.db.query(
        `SELECT DISTINCT t.from_account AS src, t.to_account AS dst, a.typology, a.tenant_id, a.id AS alert_id
         FROM tenant_transactions t
         JOIN tenant_alert_refs r ON r.tenant_id = t.tenant_id AND r.kind = 'transaction' AND r.ref = t.id
         JOIN tenant_alerts a ON a.tenant_id = r.tenant_id AND a.id = r.alert_id
         WHERE t.from_account IN (${inList(p, chunk)}) AND t.time_ms >= ${p.add(range.fromMs)} AND t.time_ms < ${p.add(range.toMs)}
           AND ${visible('t', v, p, nowMs, [])} AND ${visible('a', v, p, nowMs, ['assignee'])}`,
        p.values,
      );
      for (const r of rows) {
        const key = `${String(r.src)}\u0000${String(r.dst)}`;
        if (!keep(key)) continue;
        let set = out.get(key);
        if (!set) out.set(key, (set = new Set()));
        set.add(String(r.typology));
        const tenant = String(r.tenant_id);
        if (tenant !== v.tenantId && !sharedAlerts.has(`${tenant}\u0000${String(r.alert_id)}`)) {
          sharedAlerts.add(`${tenant}\u0000${String(r.alert_id)}`);
          reads.note(tenant, 'alerts');
        }
      }
    }
    return out;
  }

  /** What the viewer's visible alerts and entities say of these accounts. */
  private async nodeInfo(v: Viewer, ids: readonly string[], nowMs: number, reads: SharedReads): Promise<Map<string, NodeInfo>> {
    const out = new Map<string, NodeInfo>();
    const info = (id: string): NodeInfo => {
      let i = out.get(id);
      if (!i) out.set(id, (i = { names: {}, kinds: new Set(), tags: new Set(), risk: 0, typologies: new Set(), alerts: 0, tlp: 'CLEAR' }));
      return i;
    };
    for (const chunk of chunked(ids)) {
      const p = new Params();
      const alerts = await this.db.query(
        `SELECT r.ref AS account, a.tenant_id, a.typology, a.tlp, COUNT(DISTINCT a.id) AS n, MAX(a.score) AS max_score
         FROM tenant_alert_refs r JOIN tenant_alerts a ON a.tenant_id = r.tenant_id AND a.id = r.alert_id
         WHERE r.kind = 'account' AND r.ref IN (${inList(p, chunk)}) AND ${visible('a', v, p, nowMs, ['assignee'])}
         GROUP BY r.ref, a.tenant_id, a.typology, a.tlp`,
        p.values,
      );
      for (const r of alerts) {
        const i = info(String(r.account));
        i.alerts += num(r.n);
        i.risk = Math.max(i.risk, num(r.max_score));
        i.typologies.add(String(r.typology));
        i.tlp = moreRestrictive(i.tlp, asTlp(r.tlp));
        reads.note(String(r.tenant_id), 'accountAlerts', num(r.n));
      }
      const q = new Params();
      const entities = await this.db.query(
        `SELECT e.tenant_id, e.kind, e.id, e.name, e.data, e.tlp FROM tenant_entities e
         WHERE e.id IN (${inList(q, chunk)}) AND ${visible('e', v, q, nowMs, ['created_by'])}
         ORDER BY (e.tenant_id = ${q.add(v.tenantId)}) DESC, e.tenant_id, e.kind`,
        q.values,
      );
      for (const r of entities) {
        const i = info(String(r.id));
        const kind = String(r.kind) as EntityKind;
        i.kinds.add(kind);
        const name = optStr(r.name);
        if (name && i.names[kind] === undefined) i.names[kind] = name;
        for (const t of entityTags(String(r.data))) i.tags.add(t);
        i.tlp = moreRestrictive(i.tlp, asTlp(r.tlp));
        reads.note(String(r.tenant_id), 'entities', 1, `${kind}:${String(r.id)}`);
      }
    }
    return out;
  }

  /** Accounts named with a party in the visible reports naming it (goAML intake keeps no other party→account link). */
  private async partyLinks(v: Viewer, partyId: string, nowMs: number, limit: number): Promise<Map<string, { firstMs: number; lastMs: number; tlp: Tlp; tenants: Set<string> }>> {
    const p = new Params();
    const party = p.add(partyId);
    const rows = await this.db.query(
      `SELECT l2.ref AS account, rep.tenant_id, rep.tlp, MIN(COALESCE(rep.submitted_ms, rep.created_ms)) AS first_ms, MAX(COALESCE(rep.submitted_ms, rep.created_ms)) AS last_ms
       FROM tenant_report_links l1
       JOIN tenant_reports rep ON rep.tenant_id = l1.tenant_id AND rep.id = l1.report_id
       JOIN tenant_report_links l2 ON l2.tenant_id = l1.tenant_id AND l2.report_id = l1.report_id AND l2.kind = 'account'
       WHERE l1.kind = 'party' AND l1.ref = ${party} AND l2.ref <> ${party} AND ${visible('rep', v, p, nowMs, ['created_by'])}
       GROUP BY l2.ref, rep.tenant_id, rep.tlp ORDER BY l2.ref, rep.tenant_id, rep.tlp LIMIT ${p.add(limit)}`,
      p.values,
    );
    const out = new Map<string, { firstMs: number; lastMs: number; tlp: Tlp; tenants: Set<string> }>();
    for (const r of rows) {
      const account = String(r.account);
      const cur = out.get(account) ?? { firstMs: Infinity, lastMs: -Infinity, tlp: 'CLEAR' as Tlp, tenants: new Set<string>() };
      cur.firstMs = Math.min(cur.firstMs, num(r.first_ms));
      cur.lastMs = Math.max(cur.lastMs, num(r.last_ms));
      cur.tlp = moreRestrictive(cur.tlp, asTlp(r.tlp));
      cur.tenants.add(String(r.tenant_id));
      out.set(account, cur);
    }
    return out;
  }

  async neighbourhood(v: Viewer, q: NeighbourhoodQuery): Promise<Neighbourhood | undefined> {
    const now = this.clock();
    const range = { fromMs: q.fromMs ?? NO_LOWER, toMs: q.toMs ?? NO_UPPER };
    const reads = new SharedReads(v.tenantId);
    const hop = new Map<string, number>([[q.id, 0]]);
    let truncated = false;
    let centerTlp: Tlp;
    let links = new Map<string, { firstMs: number; lastMs: number; tlp: Tlp; tenants: Set<string> }>();
    if (q.kind === 'party') {
      const p = new Params();
      const [party] = await this.db.query(
        `SELECT e.tenant_id, e.tlp FROM tenant_entities e WHERE e.kind = 'party' AND e.id = ${p.add(q.id)} AND ${visible('e', v, p, now, ['created_by'])}
         ORDER BY (e.tenant_id = ${p.add(v.tenantId)}) DESC LIMIT 1`,
        p.values,
      );
      if (!party) return undefined;
      centerTlp = asTlp(party.tlp);
      // The party's own transactions (goAML names a party without an account by its party id) start at hop 0;
      // the accounts named with it in its reports are its links, at hop 1.
      links = await this.partyLinks(v, q.id, now, q.maxNodes);
      for (const account of links.keys()) {
        if (hop.has(account)) continue;
        if (hop.size >= q.maxNodes) {
          truncated = true;
          break;
        }
        hop.set(account, 1);
      }
    } else {
      const marking = await this.accountMarking(v, q.id, now);
      if (marking === undefined) return undefined;
      centerTlp = marking;
    }

    const pairs = new Map<string, PairAgg>();
    const take = (rows: PairRow[], atHop: number | undefined) => {
      rows.sort((a, b) => b.count - a.count || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
      for (const r of rows) {
        if (atHop !== undefined) {
          for (const other of [r.from, r.to]) {
            if (hop.has(other)) continue;
            if (hop.size >= q.maxNodes) truncated = true;
            else hop.set(other, atHop);
          }
        }
        if (!hop.has(r.from) || !hop.has(r.to)) continue;
        const key = `${r.from}\u0000${r.to}`;
        let agg = pairs.get(key);
        if (!agg) pairs.set(key, (agg = new PairAgg(r.from, r.to)));
        agg.add(r);
      }
    };
    const at = (d: number) => [...hop].filter(([, h]) => h === d).map(([id]) => id);
    for (let h = 1; h <= q.hops; h++) {
      const frontier = at(h - 1);
      if (frontier.length === 0) continue;
      const got = await this.pairRows(v, frontier, (list) => `(t.from_account IN (${list}) OR t.to_account IN (${list}))`, range, now);
      truncated ||= got.full;
      take(got.rows, h);
    }
    // Transactions among the outermost nodes: the loop above never asked about them.
    const outer = at(q.hops);
    if (outer.length > 1) {
      const among = outer.length <= IN_CHUNK ? (list: string) => `t.from_account IN (${list}) AND t.to_account IN (${list})` : (list: string) => `t.from_account IN (${list})`;
      const got = await this.pairRows(v, outer, among, range, now);
      truncated ||= got.full;
      take(got.rows.filter((r) => hop.get(r.from) === q.hops && hop.get(r.to) === q.hops), undefined);
    }

    const typologies = await this.pairTypologies(v, [...hop.keys()], range, now, (key) => pairs.has(key), reads);
    const edges: GraphEdge[] = [];
    const edgeTlp = new Map<string, Tlp>([[q.id, centerTlp]]);
    const mark = (id: string, tlp: Tlp) => edgeTlp.set(id, moreRestrictive(edgeTlp.get(id) ?? 'CLEAR', tlp));
    for (const [key, agg] of pairs) {
      const edge = agg.edge([...(typologies.get(key) ?? [])]);
      edges.push(edge);
      mark(agg.from, agg.tlp);
      mark(agg.to, agg.tlp);
      for (const [tenant, n] of agg.tenants) reads.note(tenant, 'transactions', n, edge.id);
    }
    for (const [account, l] of links) {
      if (!hop.has(account) || pairs.has(`${q.id}\u0000${account}`)) continue;
      edges.push({ id: `${q.id}->${account}`, source: q.id, target: account, count: 0, amountMinor: 0, currency: '', amountUsd: 0, firstMs: l.firstMs, lastMs: l.lastMs, typologies: [] });
      mark(account, l.tlp);
      for (const tenant of l.tenants) reads.note(tenant, 'reports', 1, `${q.id}->${account}`);
    }
    const info = await this.nodeInfo(v, [...hop.keys()], now, reads);
    const nodes = [...hop].map(([id, h]) => graphNode(id, h, info.get(id), edgeTlp.get(id), id === q.id ? q.kind : undefined));
    nodes.sort((a, b) => a.hop - b.hop || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    edges.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    await this.auditSharedReads(v, 'graph', `${q.kind}:${q.id}`, reads);
    return { center: q.id, nodes, edges, truncated };
  }

  /** Neighbours of a frontier, as [known, neighbour] steps: out (money leaving), in (money arriving) or both. */
  private async steps(v: Viewer, front: readonly string[], dir: 'out' | 'in' | 'both', range: { fromMs: number; toMs: number }, nowMs: number): Promise<[string, string][]> {
    const out: [string, string][] = [];
    const inFront = new Set(front);
    for (const chunk of chunked(front)) {
      const p = new Params();
      const list = inList(p, chunk);
      const match = dir === 'out' ? `t.from_account IN (${list})` : dir === 'in' ? `t.to_account IN (${list})` : `(t.from_account IN (${list}) OR t.to_account IN (${list}))`;
      const rows = await this.db.query(
        `SELECT DISTINCT t.from_account AS src, t.to_account AS dst FROM tenant_transactions t
         WHERE ${match} AND t.time_ms >= ${p.add(range.fromMs)} AND t.time_ms < ${p.add(range.toMs)} AND ${visible('t', v, p, nowMs, [])}
         ORDER BY src, dst LIMIT ${p.add(MAX_FRONTIER_ROWS)}`,
        p.values,
      );
      for (const r of rows) {
        const src = String(r.src);
        const dst = String(r.dst);
        if (src === dst) continue;
        if (dir !== 'in' && inFront.has(src)) out.push([src, dst]);
        if (dir !== 'out' && inFront.has(dst)) out.push([dst, src]);
      }
    }
    return out;
  }

  /** Bidirectional breadth-first search, one level of the smaller frontier at a time; the accounts of a shortest path. */
  private async shortestPath(v: Viewer, q: PathQuery, range: { fromMs: number; toMs: number }, nowMs: number, directed: boolean): Promise<string[] | undefined> {
    type Seen = Map<string, { via: string | null; depth: number }>;
    const fwd: Seen = new Map([[q.fromId, { via: null, depth: 0 }]]);
    const bwd: Seen = new Map([[q.toId, { via: null, depth: 0 }]]);
    let fFront = [q.fromId];
    let bFront = [q.toId];
    let dF = 0;
    let dB = 0;
    while (fFront.length > 0 && bFront.length > 0 && dF + dB < q.maxHops) {
      const forward = fFront.length <= bFront.length;
      const seen = forward ? fwd : bwd;
      const other = forward ? bwd : fwd;
      const depth = (forward ? dF : dB) + 1;
      const next: string[] = [];
      let meet: { node: string; length: number } | undefined;
      for (const [known, b] of await this.steps(v, forward ? fFront : bFront, directed ? (forward ? 'out' : 'in') : 'both', range, nowMs)) {
        if (seen.has(b)) continue;
        seen.set(b, { via: known, depth });
        next.push(b);
        const o = other.get(b);
        if (o && (!meet || depth + o.depth < meet.length || (depth + o.depth === meet.length && b < meet.node))) meet = { node: b, length: depth + o.depth };
      }
      if (forward) {
        fFront = next;
        dF = depth;
      } else {
        bFront = next;
        dB = depth;
      }
      if (meet) {
        const path: string[] = [];
        for (let n: string | null = meet.node; n !== null; n = fwd.get(n)!.via) path.unshift(n);
        for (let n: string | null = bwd.get(meet.node)!.via; n !== null; n = bwd.get(n)!.via) path.push(n);
        return path;
      }
      if (fwd.size + bwd.size > MAX_PATH_VISITS) return undefined;
    }
    return undefined;
  }

  async moneyPath(v: Viewer, q: PathQuery): Promise<MoneyPath | undefined> {
    const now = this.clock();
    const range = { fromMs: q.fromMs ?? NO_LOWER, toMs: q.toMs ?? NO_UPPER };
    const fromTlp = await this.accountMarking(v, q.fromId, now);
    const toTlp = await this.accountMarking(v, q.toId, now);
    if (fromTlp === undefined || toTlp === undefined) return undefined;
    let directed = true;
    let ids: string[] | undefined = q.fromId === q.toId ? [q.fromId] : await this.shortestPath(v, q, range, now, true);
    if (!ids) {
      directed = false;
      ids = await this.shortestPath(v, q, range, now, false);
    }
    if (!ids) return { found: false, directed: false, hops: 0, nodes: [], edges: [] };

    const reads = new SharedReads(v.tenantId);
    const wanted: [string, string][] = [];
    for (let i = 0; i + 1 < ids.length; i++) {
      wanted.push([ids[i]!, ids[i + 1]!]);
      if (!directed) wanted.push([ids[i + 1]!, ids[i]!]);
    }
    const pairs = new Map<string, PairAgg>();
    if (wanted.length > 0) {
      const p = new Params();
      const match = `(${wanted.map(([a, b]) => `(t.from_account = ${p.add(a)} AND t.to_account = ${p.add(b)})`).join(' OR ')})`;
      for (const r of (await this.pairQuery(v, p, match, range, now)).rows) {
        const key = `${r.from}\u0000${r.to}`;
        let agg = pairs.get(key);
        if (!agg) pairs.set(key, (agg = new PairAgg(r.from, r.to)));
        agg.add(r);
      }
    }
    const typologies = await this.pairTypologies(v, ids, range, now, (key) => pairs.has(key), reads);
    // A path of one account has no edge to mark it: it keeps the marking of the records that name it.
    const edgeTlp = new Map<string, Tlp>(ids.length === 1 ? [[q.fromId, fromTlp]] : []);
    const mark = (id: string, tlp: Tlp) => edgeTlp.set(id, moreRestrictive(edgeTlp.get(id) ?? 'CLEAR', tlp));
    const edges: GraphEdge[] = [];
    // In path order; both directions of a step when the path ignores direction.
    for (const [a, b] of wanted) {
      const agg = pairs.get(`${a}\u0000${b}`);
      if (!agg) continue;
      const edge = agg.edge([...(typologies.get(`${a}\u0000${b}`) ?? [])]);
      edges.push(edge);
      mark(a, agg.tlp);
      mark(b, agg.tlp);
      for (const [tenant, n] of agg.tenants) reads.note(tenant, 'transactions', n, edge.id);
    }
    const info = await this.nodeInfo(v, ids, now, reads);
    const nodes = ids.map((id, i) => graphNode(id, i, info.get(id), edgeTlp.get(id)));
    await this.auditSharedReads(v, 'path', `${q.fromId}->${q.toId}`, reads);
    return { found: true, directed, hops: ids.length - 1, nodes, edges };
  }

  async dashboard(v: Viewer, q: DashboardQuery = {}): Promise<Dashboard> {
    const now = this.clock();
    const scope = q.scope ?? 'own';
    const aq: AlertQuery = { scope };
    if (q.fromMs !== undefined) aq.fromMs = q.fromMs;
    if (q.toMs !== undefined) aq.toMs = q.toMs;
    const fromMs = q.fromMs ?? NO_LOWER;
    const toMs = q.toMs ?? NO_UPPER;
    const reads = new SharedReads(v.tenantId);

    let p = new Params();
    const byDay = await this.db.query(
      `SELECT x.day, x.typology, COUNT(*) AS n FROM
         (SELECT CAST(FLOOR(a.from_ms / 86400000.0) AS BIGINT) AS day, a.typology FROM tenant_alerts a WHERE ${this.alertWhere(v, aq, p, now).join(' AND ')}) x
       GROUP BY x.day, x.typology ORDER BY x.day, x.typology`,
      p.values,
    );
    const alertsByDay = byDay.map((r) => ({ day: formatIso(num(r.day) * DAY_MS).slice(0, 10), typology: String(r.typology), count: num(r.n) }));

    p = new Params();
    const open = OPEN_ALERT_STATUSES.map((s) => p.add(s)).join(', ');
    const typologyRows = await this.db.query(
      `SELECT a.typology, a.currency, a.tenant_id, COUNT(*) AS n, SUM(CASE WHEN a.status IN (${open}) THEN 1 ELSE 0 END) AS open_n, SUM(a.amount_minor) AS amount
       FROM tenant_alerts a WHERE ${this.alertWhere(v, aq, p, now).join(' AND ')} GROUP BY a.typology, a.currency, a.tenant_id`,
      p.values,
    );
    const typologies = new Map<string, { typology: string; count: number; amountUsd: number; open: number }>();
    const totals = { alerts: 0, open: 0, amountUsd: 0, cases: 0, transactions: 0 };
    for (const r of typologyRows) {
      const name = String(r.typology);
      const t = typologies.get(name) ?? { typology: name, count: 0, amountUsd: 0, open: 0 };
      const amount = usd(num(r.amount), String(r.currency));
      t.count += num(r.n);
      t.open += num(r.open_n);
      t.amountUsd += amount;
      typologies.set(name, t);
      totals.alerts += num(r.n);
      totals.open += num(r.open_n);
      totals.amountUsd += amount;
      reads.note(String(r.tenant_id), 'alerts', num(r.n));
    }
    const byTypology = [...typologies.values()]
      .map((t) => ({ ...t, amountUsd: cents(t.amountUsd) }))
      .sort((a, b) => b.count - a.count || (a.typology < b.typology ? -1 : 1));

    // Alerts per account: references can repeat (DuckDB keeps them keyless), so each alert counts once.
    p = new Params();
    const topRows = await this.db.query(
      `SELECT x.ref AS account, COUNT(*) AS n, MAX(x.score) AS max_score FROM
         (SELECT DISTINCT r.ref, a.tenant_id, a.id, a.score FROM tenant_alert_refs r JOIN tenant_alerts a ON a.tenant_id = r.tenant_id AND a.id = r.alert_id
          WHERE r.kind = 'account' AND ${this.alertWhere(v, aq, p, now).join(' AND ')}) x
       GROUP BY x.ref ORDER BY n DESC, account LIMIT 10`,
      p.values,
    );
    const topAccounts = topRows.map((r) => ({ account: String(r.account), alerts: num(r.n), maxScore: num(r.max_score), amountUsd: 0 }));
    if (topAccounts.length > 0) {
      p = new Params();
      const list = inList(p, topAccounts.map((a) => a.account));
      const amounts = await this.db.query(
        `SELECT x.ref AS account, x.currency, SUM(x.amount_minor) AS amount FROM
           (SELECT DISTINCT r.ref, a.tenant_id, a.id, a.currency, a.amount_minor FROM tenant_alert_refs r JOIN tenant_alerts a ON a.tenant_id = r.tenant_id AND a.id = r.alert_id
            WHERE r.kind = 'account' AND r.ref IN (${list}) AND ${this.alertWhere(v, aq, p, now).join(' AND ')}) x
         GROUP BY x.ref, x.currency`,
        p.values,
      );
      const byAccount = new Map(topAccounts.map((a) => [a.account, a]));
      for (const r of amounts) {
        const a = byAccount.get(String(r.account));
        if (a) a.amountUsd += usd(num(r.amount), String(r.currency));
      }
      for (const a of topAccounts) a.amountUsd = cents(a.amountUsd);
    }

    const txWhere = (p: Params) => `${visible('t', v, p, now, [], scope)} AND t.time_ms >= ${p.add(fromMs)} AND t.time_ms < ${p.add(toMs)}`;
    p = new Params();
    const corridorRows = await this.db.query(
      `SELECT t.from_country AS fc, t.to_country AS tc, COUNT(*) AS n FROM tenant_transactions t
       WHERE ${txWhere(p)} AND t.from_country IS NOT NULL AND t.to_country IS NOT NULL AND t.from_country <> '' AND t.to_country <> ''
       GROUP BY t.from_country, t.to_country ORDER BY n DESC, fc, tc LIMIT 10`,
      p.values,
    );
    const topCorridors = corridorRows.map((r) => ({ fromCountry: String(r.fc), toCountry: String(r.tc), count: num(r.n), amountUsd: 0 }));
    if (topCorridors.length > 0) {
      p = new Params();
      const match = topCorridors.map((c) => `(t.from_country = ${p.add(c.fromCountry)} AND t.to_country = ${p.add(c.toCountry)})`).join(' OR ');
      const amounts = await this.db.query(
        `SELECT t.from_country AS fc, t.to_country AS tc, t.currency, SUM(t.amount_minor) AS amount FROM tenant_transactions t
         WHERE ${txWhere(p)} AND (${match}) GROUP BY t.from_country, t.to_country, t.currency`,
        p.values,
      );
      const byCorridor = new Map(topCorridors.map((c) => [`${c.fromCountry}>${c.toCountry}`, c]));
      for (const r of amounts) {
        const c = byCorridor.get(`${String(r.fc)}>${String(r.tc)}`);
        if (c) c.amountUsd += usd(num(r.amount), String(r.currency));
      }
      for (const c of topCorridors) c.amountUsd = cents(c.amountUsd);
    }

    p = new Params();
    for (const r of await this.db.query(`SELECT t.tenant_id, COUNT(*) AS n FROM tenant_transactions t WHERE ${txWhere(p)} GROUP BY t.tenant_id`, p.values)) {
      totals.transactions += num(r.n);
      reads.note(String(r.tenant_id), 'transactions', num(r.n));
    }

    p = new Params();
    const caseRows = await this.db.query(
      `SELECT c.status, c.tenant_id, COUNT(*) AS n FROM cases c
       WHERE ${visible('c', v, p, now, ['created_by', 'assignee'], scope)} AND c.created_ms >= ${p.add(fromMs)} AND c.created_ms < ${p.add(toMs)}
       GROUP BY c.status, c.tenant_id`,
      p.values,
    );
    const statuses = new Map<string, number>(CASE_STATUSES.map((s) => [s, 0]));
    for (const r of caseRows) {
      statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + num(r.n));
      totals.cases += num(r.n);
      reads.note(String(r.tenant_id), 'cases', num(r.n));
    }
    totals.amountUsd = cents(totals.amountUsd);
    await this.auditSharedReads(v, 'dashboard', 'dashboard', reads);
    return {
      alertsByDay,
      byTypology,
      topAccounts,
      topCorridors,
      casesByStatus: [...statuses].map(([status, count]) => ({ status, count })),
      totals,
    };
  }

  async search(v: Viewer, q: SearchQuery): Promise<SearchHit[]> {
    const now = this.clock();
    const kinds = new Set<SearchKind>(q.kinds);
    const needle = q.q.toLowerCase();
    const limit = Math.max(1, Math.min(100, Math.floor(q.limit)));
    /** A hit and the tenants whose records produced it (for the audit of shared reads). */
    type Hit = SearchHit & { tenants: string[] };
    const hits = new Map<string, Hit>();
    const put = (h: Hit, replace = false) => {
      const key = `${h.kind}\u0000${h.id}`;
      const cur = hits.get(key);
      // One hit per kind and id: the viewer's own record before a shared one, an entity before a bare account id.
      if (!cur || replace || (!cur.tenants.includes(v.tenantId) && h.tenants.includes(v.tenantId))) hits.set(key, h);
    };
    const rankOf = (id: string, label: string) => {
      const a = id.toLowerCase();
      const b = label.toLowerCase();
      return a === needle || b === needle ? 0 : a.startsWith(needle) || b.startsWith(needle) ? 1 : 2;
    };
    /** Exact match first, then prefix, then the rest, in SQL (so that LIMIT keeps the best). */
    const order = (p: Params, columns: string[]) => {
      const exact = p.add(needle);
      const prefix = p.add(likePattern(q.q, false, true));
      return `(CASE WHEN ${columns.map((c) => `${c} = ${exact}`).join(' OR ')} THEN 0 WHEN ${columns.map((c) => `${c} LIKE ${prefix} ESCAPE '\\'`).join(' OR ')} THEN 1 ELSE 2 END)`;
    };

    if (kinds.has('account')) {
      const p = new Params();
      const like = p.add(likePattern(q.q, true, true));
      const rows = await this.db.query(
        `SELECT x.acc, x.tenant_id, x.tlp, COUNT(*) AS n FROM (
           SELECT t.from_account AS acc, t.tenant_id, t.tlp FROM tenant_transactions t WHERE LOWER(t.from_account) LIKE ${like} ESCAPE '\\' AND ${visible('t', v, p, now, [])}
           UNION ALL
           SELECT t.to_account AS acc, t.tenant_id, t.tlp FROM tenant_transactions t WHERE LOWER(t.to_account) LIKE ${like} ESCAPE '\\' AND ${visible('t', v, p, now, [])}
         ) x GROUP BY x.acc, x.tenant_id, x.tlp ORDER BY ${order(p, ['LOWER(x.acc)'])}, LENGTH(x.acc), x.acc, x.tenant_id, x.tlp LIMIT ${p.add(limit * 4)}`,
        p.values,
      );
      const accounts = new Map<string, { tlp: Tlp; n: number; tenants: Set<string> }>();
      for (const r of rows) {
        const acc = String(r.acc);
        if (!accounts.has(acc) && accounts.size >= limit) continue;
        const a = accounts.get(acc) ?? { tlp: 'CLEAR' as Tlp, n: 0, tenants: new Set<string>() };
        a.tlp = moreRestrictive(a.tlp, asTlp(r.tlp));
        a.n += num(r.n);
        a.tenants.add(String(r.tenant_id));
        accounts.set(acc, a);
      }
      for (const [acc, a] of accounts) {
        put({ kind: 'account', id: acc, label: acc, tlp: a.tlp, detail: `${a.n} transaction${a.n === 1 ? '' : 's'}`, tenants: [...a.tenants].sort() });
      }
    }

    const entityKinds = (['party', 'account', 'wallet'] as const).filter((k) => kinds.has(k));
    if (entityKinds.length > 0) {
      const p = new Params();
      const like = p.add(likePattern(q.q, true, true));
      const rows = await this.db.query(
        `SELECT * FROM tenant_entities e WHERE e.kind IN (${inList(p, entityKinds)}) AND ${visible('e', v, p, now, ['created_by'])}
           AND (LOWER(e.id) LIKE ${like} ESCAPE '\\' OR LOWER(COALESCE(e.name, '')) LIKE ${like} ESCAPE '\\')
         ORDER BY ${order(p, ['LOWER(e.id)', "LOWER(COALESCE(e.name, ''))"])}, LENGTH(e.id), e.id, e.kind, e.tenant_id LIMIT ${p.add(limit)}`,
        p.values,
      );
      for (const e of rows.map(toEntity)) {
        // An entity replaces the bare account id found in transactions of the same tenant (it has a name).
        const cur = hits.get(`${e.kind}\u0000${e.id}`);
        put({ kind: e.kind, id: e.id, label: e.name ?? e.id, tlp: e.tlp, detail: e.source, tenants: [e.tenantId] }, cur !== undefined && cur.label === cur.id && cur.tenants.includes(e.tenantId));
      }
    }

    if (kinds.has('transaction')) {
      const p = new Params();
      const rows = await this.db.query(
        `SELECT * FROM tenant_transactions t WHERE LOWER(t.id) LIKE ${p.add(likePattern(q.q, false, true))} ESCAPE '\\' AND ${visible('t', v, p, now, [])}
         ORDER BY ${order(p, ['LOWER(t.id)'])}, LENGTH(t.id), t.id, t.tenant_id LIMIT ${p.add(limit)}`,
        p.values,
      );
      for (const t of rows.map(toTransaction)) {
        put({
          kind: 'transaction',
          id: t.id,
          label: t.id,
          tlp: t.tlp,
          detail: `${t.fromAccount} → ${t.toAccount}, ${formatMinor(t.amountMinor, t.currency)} ${t.currency}, ${formatIso(t.timeMs)}`,
          tenants: [t.tenantId],
        });
      }
    }

    if (kinds.has('case')) {
      const p = new Params();
      const like = p.add(likePattern(q.q, true, true));
      const rows = await this.db.query(
        `SELECT * FROM cases c WHERE ${visible('c', v, p, now, ['created_by', 'assignee'])} AND (LOWER(c.id) LIKE ${like} ESCAPE '\\' OR LOWER(c.title) LIKE ${like} ESCAPE '\\')
         ORDER BY ${order(p, ['LOWER(c.id)', 'LOWER(c.title)'])}, c.updated_ms DESC, c.id, c.tenant_id LIMIT ${p.add(limit)}`,
        p.values,
      );
      for (const c of rows.map(toCase)) put({ kind: 'case', id: c.id, label: c.title, tlp: c.tlp, detail: c.status, tenants: [c.tenantId] });
    }

    if (kinds.has('alert')) {
      const p = new Params();
      const rows = await this.db.query(
        `SELECT * FROM tenant_alerts a WHERE ${visible('a', v, p, now, ['assignee'])} AND LOWER(a.id) LIKE ${p.add(likePattern(q.q, true, true))} ESCAPE '\\'
         ORDER BY ${order(p, ['LOWER(a.id)'])}, a.score DESC, a.id, a.tenant_id LIMIT ${p.add(limit)}`,
        p.values,
      );
      for (const a of rows.map(toAlert)) {
        put({ kind: 'alert', id: a.id, label: `${a.typology} ${a.score.toFixed(2)}`, tlp: a.tlp, detail: a.explanation.slice(0, 200), tenants: [a.tenantId] });
      }
    }

    const kindOrder = (k: SearchKind) => SEARCH_KIND_ORDER.indexOf(k);
    const out = [...hits.values()]
      .map((h) => ({ h, rank: rankOf(h.id, h.label) }))
      .sort((a, b) => a.rank - b.rank || kindOrder(a.h.kind) - kindOrder(b.h.kind) || a.h.id.length - b.h.id.length || (a.h.id < b.h.id ? -1 : a.h.id > b.h.id ? 1 : 0))
      .slice(0, limit)
      .map((x) => x.h);
    const shared = new Map<SearchKind, { tenantId: string; id: string }[]>();
    for (const h of out) {
      for (const tenantId of h.tenants) {
        if (tenantId === v.tenantId) continue;
        let list = shared.get(h.kind);
        if (!list) shared.set(h.kind, (list = []));
        list.push({ tenantId, id: h.id });
      }
    }
    for (const [kind, records] of shared) await this.auditShared(v, kind, records);
    return out.map(({ tenants: _tenants, ...h }) => h);
  }

  // ---- entities and intake ------------------------------------------------------------------------------

  async entity(v: Viewer, kind: EntityKind, id: string): Promise<EntityRecord | undefined> {
    const p = new Params();
    const [row] = await this.db.query(
      `SELECT * FROM tenant_entities e WHERE e.kind = ${p.add(kind)} AND e.id = ${p.add(id)} AND ${visible('e', v, p, this.clock(), ['created_by'])}
       ORDER BY (e.tenant_id = ${p.add(v.tenantId)}) DESC LIMIT 1`,
      p.values,
    );
    if (!row) return undefined;
    const e = toEntity(row);
    await this.auditShared(v, kind, [e]);
    return e;
  }

  async entities(v: Viewer, q: EntityQuery = {}): Promise<EntityRecord[]> {
    const { limit, offset } = pageLimit(q);
    const p = new Params();
    const where = [visible('e', v, p, this.clock(), ['created_by'], q.scope ?? 'own')];
    if (q.kind !== undefined) where.push(`e.kind = ${p.add(q.kind)}`);
    if (q.q !== undefined) {
      const like = p.add(`%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(LOWER(e.id) LIKE ${like} ESCAPE '\\' OR LOWER(COALESCE(e.name, '')) LIKE ${like} ESCAPE '\\')`);
    }
    const rows = await this.db.query(
      `SELECT * FROM tenant_entities e WHERE ${where.join(' AND ')} ORDER BY e.kind, e.id, e.tenant_id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const out = rows.map(toEntity);
    await this.auditShared(v, 'entity', out);
    return out;
  }

  async saveIntake(v: Viewer, w: IntakeWrite): Promise<IntakeResult> {
    return this.write(async (tx, audit) => {
      const created: IntakeResult['created'] = [];
      const linked: IntakeResult['linked'] = [];
      const fresh: EntityRecord[] = [];
      for (const e of w.entities) {
        const [hit] = await tx.query(`SELECT 1 AS hit FROM tenant_entities WHERE tenant_id = $1 AND kind = $2 AND id = $3`, [v.tenantId, e.kind, e.id]);
        if (hit) linked.push({ kind: e.kind, id: e.id });
        else {
          created.push({ kind: e.kind, id: e.id });
          fresh.push(e);
        }
      }
      if (fresh.length > 0) {
        await tx.insertMany(
          'tenant_entities',
          ENTITY_COLUMNS,
          fresh.map((e) => [v.tenantId, e.kind, e.id, e.name ?? null, e.data, e.tlp, e.source, e.createdBy, e.createdMs, e.updatedMs]),
          'ON CONFLICT DO NOTHING',
        );
      }
      const ids = w.transactions.map((t) => t.id);
      const known = new Set<string>();
      for (let s = 0; s < ids.length; s += 500) {
        const chunk = ids.slice(s, s + 500);
        const p = new Params();
        const t = p.add(v.tenantId);
        for (const r of await tx.query(`SELECT id FROM tenant_transactions WHERE tenant_id = ${t} AND id IN (${chunk.map((id) => p.add(id)).join(', ')})`, p.values)) {
          known.add(String(r.id));
        }
      }
      const newTx = w.transactions.filter((t) => !known.has(t.id));
      if (newTx.length > 0) await tx.insertMany('tenant_transactions', TX_COLUMNS, newTx.map(txRow), 'ON CONFLICT DO NOTHING');
      const r = w.report;
      await tx.run(
        `INSERT INTO tenant_reports (tenant_id, id, format, report_code, entity_reference, reporting_entity, submitted_ms, reason, action, indicators, sha256, tlp, created_by, created_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          v.tenantId, r.id, r.format, r.reportCode, r.entityReference ?? null, r.reportingEntity ?? null, r.submittedMs ?? null, r.reason ?? null,
          r.action ?? null, JSON.stringify(r.indicators), r.sha256, r.tlp, r.createdBy, r.createdMs,
        ],
      );
      if (r.links.length > 0) {
        await tx.insertMany(
          'tenant_report_links',
          [['tenant_id', 'text'], ['report_id', 'text'], ['kind', 'text'], ['ref', 'text']],
          r.links.map((l) => [v.tenantId, r.id, l.kind, l.ref]),
          'ON CONFLICT DO NOTHING',
        );
      }
      audit.push(
        draft(v, r.createdMs, 'report.intake', 'report', r.id, {
          code: r.reportCode,
          sha256: r.sha256,
          created: created.length,
          linked: linked.length,
          transactions: newTx.length,
        }),
      );
      return { created, linked, transactionsInserted: newTx.length, transactionsKnown: known.size };
    });
  }

  private async reportLinks(tenantId: string, ids: readonly string[]): Promise<Map<string, { kind: string; ref: string }[]>> {
    const out = new Map<string, { kind: string; ref: string }[]>();
    if (ids.length === 0) return out;
    const p = new Params();
    const t = p.add(tenantId);
    const rows = await this.db.query(
      `SELECT report_id, kind, ref FROM tenant_report_links WHERE tenant_id = ${t} AND report_id IN (${ids.map((id) => p.add(id)).join(', ')}) ORDER BY report_id, kind, ref`,
      p.values,
    );
    for (const r of rows) {
      const id = String(r.report_id);
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push({ kind: String(r.kind), ref: String(r.ref) });
    }
    return out;
  }

  async report(v: Viewer, id: string): Promise<IntakeReportRecord | undefined> {
    const p = new Params();
    const [row] = await this.db.query(
      `SELECT * FROM tenant_reports r WHERE r.id = ${p.add(id)} AND ${visible('r', v, p, this.clock(), ['created_by'])}
       ORDER BY (r.tenant_id = ${p.add(v.tenantId)}) DESC LIMIT 1`,
      p.values,
    );
    if (!row) return undefined;
    const links = await this.reportLinks(String(row.tenant_id), [id]);
    const rep = toReport(row, links.get(id) ?? []);
    await this.auditShared(v, 'report', [rep]);
    return rep;
  }

  async reports(v: Viewer, page: Page & { scope?: 'own' | 'shared' | 'all' } = {}): Promise<IntakeReportRecord[]> {
    const { limit, offset } = pageLimit(page);
    const p = new Params();
    const rows = await this.db.query(
      `SELECT * FROM tenant_reports r WHERE ${visible('r', v, p, this.clock(), ['created_by'], page.scope ?? 'own')}
       ORDER BY r.created_ms DESC, r.tenant_id, r.id LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const out = rows.map((r) => toReport(r, []));
    await this.auditShared(v, 'report', out);
    return out;
  }
}

/** TLP order as SQL sees it (tests check it agrees with the model's). */
export const TLP_RANK_SQL = rankSql;
