/**
 * The investigation side of the store: agencies and their people, monitored transactions, the alert queue,
 * cases, report intake and the audit trail. Every record belongs to a tenant and carries a TLP marking;
 * every read takes the Viewer and its SQL only returns what that viewer may see (own tenant, or another
 * tenant's record under an active sharing agreement allowing its marking); every change is written with
 * its audit entry in the same database transaction, and reads of another tenant's data are audited too.
 * One implementation in portable SQL (investigation-sql.ts) serves DuckDB and PostgreSQL.
 */
import type { Alert, Role, Tlp, Viewer } from '../model/index.js';
import type { AuditDraft, AuditEntry } from './audit-chain.js';
import type { Page } from './store.js';

export interface TenantRecord {
  id: string;
  name: string;
  /** The operator tenant runs the server: its admins manage the other tenants. */
  operator: boolean;
  /** JSON text: reporting configuration (FIU code lists, reporting entity), defaults. */
  settings: string;
  createdMs: number;
}

export interface UserRecord {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdMs: number;
}

export interface TokenRecord {
  id: string;
  tenantId: string;
  name: string;
  role: Role;
  secretHash: string;
  createdBy: string;
  createdMs: number;
  expiresMs?: number;
  revokedMs?: number;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrf: string;
  createdMs: number;
  expiresMs: number;
}

export interface AgreementRecord {
  id: string;
  ownerTenant: string;
  partnerTenant: string;
  maxTlp: Tlp;
  purpose: string;
  createdBy: string;
  createdMs: number;
  expiresMs?: number;
  revokedMs?: number;
}

export interface TenantTransaction {
  tenantId: string;
  id: string;
  timeMs: number;
  fromAccount: string;
  toAccount: string;
  amountMinor: number;
  currency: string;
  originalAmountMinor?: number;
  originalCurrency?: string;
  channel: string;
  fromCountry?: string;
  toCountry?: string;
  tlp: Tlp;
  receivedMs: number;
  batchId: string;
}

export const ALERT_STATUSES = ['new', 'assigned', 'false-positive', 'escalated', 'sar'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const DISPOSITIONS = ['false-positive', 'escalate', 'sar'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export interface QueueAlert extends Alert {
  tenantId: string;
  status: AlertStatus;
  assignee?: string;
  disposition?: Disposition;
  dispositionReason?: string;
  caseId?: string;
  tlp: Tlp;
  createdMs: number;
  updatedMs: number;
}

export interface AlertQuery extends Page {
  typology?: string;
  minScore?: number;
  maxScore?: number;
  /** Alert time span overlaps [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
  account?: string;
  status?: AlertStatus;
  assignee?: string;
  /** Alerts with a transaction sent from one country to another. */
  corridor?: { from: string; to: string };
  /** 'own' (default): the viewer's tenant; 'shared': other tenants' alerts shared with it; 'all'. */
  scope?: 'own' | 'shared' | 'all';
  /** Order of the list (default score); ties are broken by id, so pages are stable. */
  sort?: AlertSort;
  /** Default: descending for score, time and amount, ascending for typology. */
  order?: 'asc' | 'desc';
}

export const ALERT_SORTS = ['score', 'time', 'amount', 'typology'] as const;
/** score; time: start of the alert's span; amount: in the base currency (USD) at the engine's default rates; typology. */
export type AlertSort = (typeof ALERT_SORTS)[number];

export interface AlertPatch {
  status?: AlertStatus;
  /** null clears the assignment. */
  assignee?: string | null;
  disposition?: Disposition;
  dispositionReason?: string;
  caseId?: string;
}

export const CASE_STATUSES = ['open', 'in-review', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_ITEM_KINDS = ['alert', 'party', 'account', 'wallet', 'transaction'] as const;
export type CaseItemKind = (typeof CASE_ITEM_KINDS)[number];

export interface CaseRecord {
  tenantId: string;
  id: string;
  title: string;
  summary: string;
  status: CaseStatus;
  tlp: Tlp;
  assignee?: string;
  createdBy: string;
  createdMs: number;
  updatedMs: number;
}

export interface CaseQuery extends Page {
  status?: CaseStatus;
  assignee?: string;
  scope?: 'own' | 'shared' | 'all';
}

export interface CasePatch {
  title?: string;
  summary?: string;
  status?: CaseStatus;
  tlp?: Tlp;
  assignee?: string | null;
}

export interface CaseItem {
  caseId: string;
  kind: CaseItemKind;
  ref: string;
  note?: string;
  addedBy: string;
  addedMs: number;
}

export interface NoteRecord {
  tenantId: string;
  id: string;
  caseId: string;
  body: string;
  tlp: Tlp;
  createdBy: string;
  createdMs: number;
}

export interface AttachmentRecord {
  tenantId: string;
  caseId: string;
  /** Content address: hex SHA-256 of the bytes. */
  sha256: string;
  name: string;
  mediaType: string;
  sizeBytes: number;
  tlp: Tlp;
  createdBy: string;
  createdMs: number;
}

export interface DecisionRecord {
  tenantId: string;
  id: string;
  caseId: string;
  kind: string;
  reason: string;
  decidedBy: string;
  decidedMs: number;
}

export interface CaseEvent {
  id: string;
  caseId: string;
  atMs: number;
  actor: string;
  kind: string;
  /** JSON text. */
  detail: string;
}

export const ENTITY_KINDS = ['party', 'account', 'wallet'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface EntityRecord {
  tenantId: string;
  kind: EntityKind;
  id: string;
  name?: string;
  /** JSON text: the canonical record (Party, Account, or a wallet description). */
  data: string;
  tlp: Tlp;
  /** Where it came from: `goaml:<report id>`, `api`, `case:<id>`. */
  source: string;
  createdBy: string;
  createdMs: number;
  updatedMs: number;
}

export interface EntityQuery extends Page {
  kind?: EntityKind;
  /** Case-insensitive substring of id or name. */
  q?: string;
  scope?: 'own' | 'shared' | 'all';
}

export interface IntakeReportRecord {
  tenantId: string;
  id: string;
  format: string;
  reportCode: string;
  entityReference?: string;
  reportingEntity?: string;
  submittedMs?: number;
  reason?: string;
  action?: string;
  indicators: string[];
  /** SHA-256 of the XML as received. */
  sha256: string;
  tlp: Tlp;
  createdBy: string;
  createdMs: number;
  links: { kind: string; ref: string }[];
}

/** One group of monitored input written atomically: the transactions, the alerts they raised or grew, the audit entries. */
export interface MonitoredWrite {
  tenantId: string;
  transactions: TenantTransaction[];
  /** Alerts just raised: inserted. */
  alerts: QueueAlert[];
  /** Alerts that grew since they were written: detection fields refreshed, workflow fields (status, assignee, case) kept. */
  alertUpdates?: QueueAlert[];
  /**
   * The alerts' account and transaction references not written before (a writer that remembers what it wrote
   * sends only the new ones); absent: every reference of `alerts`.
   */
  refs?: { alertId: string; kind: 'account' | 'transaction'; ref: string }[];
  audit: AuditDraft[];
}

export interface IntakeWrite {
  report: IntakeReportRecord;
  entities: EntityRecord[];
  transactions: TenantTransaction[];
}

export interface IntakeResult {
  /** Entities that were new to the tenant. */
  created: { kind: EntityKind; id: string }[];
  /** Entities the tenant already had (the report is linked to them). */
  linked: { kind: EntityKind; id: string }[];
  transactionsInserted: number;
  transactionsKnown: number;
}

// ---- exploration: the money graph, the dashboard, search (read-only) ----

/** An account (or wallet, or party) of the money graph, with what the viewer's visible alerts say of it. */
export interface GraphNode {
  id: string;
  kind: EntityKind;
  /** The entity's name when one is known, else the id. */
  label: string;
  /** Distance from the centre (neighbourhood) or position on the path. */
  hop: number;
  /** Highest score of the visible alerts naming this account; 0 without any. */
  risk: number;
  typologies: string[];
  /** Categories known from entity data (e.g. market, mixer, exchange, sanctioned). */
  tags: string[];
  alerts: number;
  /** Most restrictive marking of the records that produced the node. */
  tlp: Tlp;
}

/** The visible transactions from one account to another, aggregated. */
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Transactions; 0 for a party's link to an account named with it in a report (no money). */
  count: number;
  /** Sum in minor units (of `currency`; a plain sum of minor units when MIXED). */
  amountMinor: number;
  /** The one currency of the transactions, or MIXED. */
  currency: string;
  /** In USD at the engine's default rates (currencies without a rate count 0). */
  amountUsd: number;
  firstMs: number;
  lastMs: number;
  /** Typologies of the visible alerts resting on any of the transactions. */
  typologies: string[];
}

export interface NeighbourhoodQuery {
  kind: EntityKind;
  id: string;
  /** 1..4 */
  hops: number;
  maxNodes: number;
  /** Transactions with time in [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
}

export interface Neighbourhood {
  center: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** maxNodes (or the rows a frontier query answers) was reached: nodes were left out. */
  truncated: boolean;
}

export interface PathQuery {
  fromId: string;
  toId: string;
  maxHops: number;
  fromMs?: number;
  toMs?: number;
}

export interface MoneyPath {
  found: boolean;
  /** Whether the path follows the direction of the money (else it was found ignoring direction). */
  directed: boolean;
  hops: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface DashboardQuery {
  /** Alerts whose span overlaps [fromMs, toMs); transactions and cases whose time / creation is in it. */
  fromMs?: number;
  toMs?: number;
  scope?: 'own' | 'shared' | 'all';
}

export interface Dashboard {
  alertsByDay: { day: string; typology: string; count: number }[];
  byTypology: { typology: string; count: number; amountUsd: number; open: number }[];
  topAccounts: { account: string; alerts: number; maxScore: number; amountUsd: number }[];
  topCorridors: { fromCountry: string; toCountry: string; count: number; amountUsd: number }[];
  casesByStatus: { status: string; count: number }[];
  totals: { alerts: number; open: number; amountUsd: number; cases: number; transactions: number };
}

export const SEARCH_KINDS = ['account', 'party', 'wallet', 'transaction', 'case', 'alert'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchQuery {
  /** Case-insensitive substring (transaction ids: prefix). */
  q: string;
  limit: number;
  /** The kinds the viewer may read. */
  kinds: readonly SearchKind[];
}

export interface SearchHit {
  kind: SearchKind;
  id: string;
  label: string;
  tlp: Tlp;
  detail?: string;
}

export interface AuditQuery extends Page {
  /** Entries where this tenant acted or whose object this tenant owns. */
  tenantId?: string;
  afterSeq?: number;
  action?: string;
}

export interface InvestigationStore {
  // ---- tenants, people, tokens, sessions, sharing (authentication happens above; these are raw lookups) ----
  countTenants(): Promise<number>;
  createTenant(tenant: TenantRecord, audit: AuditDraft): Promise<void>;
  tenant(id: string): Promise<TenantRecord | undefined>;
  tenants(page?: Page): Promise<TenantRecord[]>;
  updateTenantSettings(viewer: Viewer, settings: string, atMs: number): Promise<void>;

  createUser(user: UserRecord, audit: AuditDraft): Promise<void>;
  user(id: string): Promise<UserRecord | undefined>;
  userByUsername(username: string): Promise<UserRecord | undefined>;
  users(viewer: Viewer, page?: Page): Promise<UserRecord[]>;
  /** Own tenant only; undefined when no such user there. */
  updateUser(
    viewer: Viewer,
    id: string,
    patch: Partial<Pick<UserRecord, 'role' | 'disabled' | 'passwordHash' | 'displayName'>>,
    atMs: number,
  ): Promise<UserRecord | undefined>;

  createToken(token: TokenRecord, audit: AuditDraft): Promise<void>;
  token(id: string): Promise<TokenRecord | undefined>;
  tokens(viewer: Viewer): Promise<TokenRecord[]>;
  revokeToken(viewer: Viewer, id: string, atMs: number): Promise<boolean>;

  createSession(session: SessionRecord, audit: AuditDraft): Promise<void>;
  session(idHash: string, nowMs: number): Promise<{ session: SessionRecord; user: UserRecord } | undefined>;
  deleteSession(idHash: string, audit: AuditDraft): Promise<void>;

  createAgreement(agreement: AgreementRecord, audit: AuditDraft): Promise<void>;
  /** Agreements where the viewer's tenant is owner or partner. */
  agreements(viewer: Viewer): Promise<AgreementRecord[]>;
  /** Only the owner tenant revokes. */
  revokeAgreement(viewer: Viewer, id: string, atMs: number): Promise<boolean>;

  // ---- real-time monitoring ----
  /** Up to `limit` stored transaction ids of a tenant, and how many it has in all. */
  transactionIds(tenantId: string, limit: number): Promise<{ ids: string[]; total: number }>;
  /** Which of these ids the tenant already has. */
  existingTransactionIds(tenantId: string, ids: readonly string[]): Promise<Set<string>>;
  /**
   * Write groups of monitored input in one database transaction. Calls may overlap: their transactions are
   * inserted side by side, the rest (alerts, their updates, audit entries) in call order.
   */
  recordMonitored(writes: readonly MonitoredWrite[]): Promise<void>;
  /**
   * Monitored transactions waiting to be written from which a second recordMonitored call is worth starting
   * while one is in flight (its bulk insert then overlaps the other's); undefined: one call at a time.
   */
  readonly overlapMonitoredFrom?: number;
  transaction(viewer: Viewer, id: string): Promise<TenantTransaction | undefined>;
  transactions(viewer: Viewer, query: { account?: string; fromMs?: number; toMs?: number } & Page): Promise<TenantTransaction[]>;
  /** The tenant's alerts resting on any of these transactions (idempotent replies to repeated input). */
  alertsOnTransactions(tenantId: string, ids: readonly string[]): Promise<QueueAlert[]>;

  // ---- alert queue ----
  alerts(viewer: Viewer, query?: AlertQuery): Promise<QueueAlert[]>;
  /** How many alerts `alerts` would list without paging. */
  countAlerts(viewer: Viewer, query?: AlertQuery): Promise<number>;
  alert(viewer: Viewer, id: string): Promise<QueueAlert | undefined>;
  /** Own tenant only. `action` names the change in the audit trail. */
  updateAlert(viewer: Viewer, id: string, patch: AlertPatch, atMs: number, action: string, detail: object): Promise<QueueAlert | undefined>;

  // ---- cases ----
  createCase(viewer: Viewer, record: CaseRecord, items: CaseItem[]): Promise<void>;
  case(viewer: Viewer, id: string): Promise<CaseRecord | undefined>;
  cases(viewer: Viewer, query?: CaseQuery): Promise<CaseRecord[]>;
  updateCase(viewer: Viewer, id: string, patch: CasePatch, atMs: number): Promise<CaseRecord | undefined>;
  /** Own tenant's case only; returns false when the case is not the viewer's to change. */
  addCaseItems(viewer: Viewer, caseId: string, items: CaseItem[], atMs: number): Promise<boolean>;
  removeCaseItem(viewer: Viewer, caseId: string, kind: CaseItemKind, ref: string, atMs: number): Promise<boolean>;
  caseItems(viewer: Viewer, caseId: string): Promise<CaseItem[] | undefined>;
  addNote(viewer: Viewer, note: NoteRecord): Promise<boolean>;
  notes(viewer: Viewer, caseId: string, page?: Page): Promise<NoteRecord[] | undefined>;
  addAttachment(viewer: Viewer, meta: AttachmentRecord, content: Buffer): Promise<boolean>;
  attachments(viewer: Viewer, caseId: string): Promise<AttachmentRecord[] | undefined>;
  attachment(viewer: Viewer, caseId: string, sha256: string): Promise<{ meta: AttachmentRecord; content: Buffer } | undefined>;
  addDecision(viewer: Viewer, decision: DecisionRecord): Promise<boolean>;
  decisions(viewer: Viewer, caseId: string): Promise<DecisionRecord[] | undefined>;
  timeline(viewer: Viewer, caseId: string, page?: Page): Promise<CaseEvent[] | undefined>;

  // ---- entities and report intake ----
  entity(viewer: Viewer, kind: EntityKind, id: string): Promise<EntityRecord | undefined>;
  entities(viewer: Viewer, query?: EntityQuery): Promise<EntityRecord[]>;
  saveIntake(viewer: Viewer, write: IntakeWrite): Promise<IntakeResult>;
  report(viewer: Viewer, id: string): Promise<IntakeReportRecord | undefined>;
  reports(viewer: Viewer, page?: Page & { scope?: 'own' | 'shared' | 'all' }): Promise<IntakeReportRecord[]>;

  // ---- exploration (read-only; reads of other tenants' data are audited per owner) ----
  /** Breadth-first over the visible transactions; undefined when the start is not visible to the viewer. */
  neighbourhood(viewer: Viewer, query: NeighbourhoodQuery): Promise<Neighbourhood | undefined>;
  /** Shortest money path (directed, else undirected); undefined when either end is not visible. */
  moneyPath(viewer: Viewer, query: PathQuery): Promise<MoneyPath | undefined>;
  dashboard(viewer: Viewer, query?: DashboardQuery): Promise<Dashboard>;
  search(viewer: Viewer, query: SearchQuery): Promise<SearchHit[]>;

  // ---- audit ----
  appendAudit(entries: readonly AuditDraft[]): Promise<void>;
  audit(query?: AuditQuery): Promise<AuditEntry[]>;
}
