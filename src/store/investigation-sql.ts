/**
 * InvestigationStore in portable SQL ($n parameters, shared by DuckDB and PostgreSQL). The dialects supply
 * a SqlBackend: reads, and serialised write transactions with a bulk insert. Visibility is one SQL
 * predicate (`visible`) used by every read; writes touch the viewer's own tenant only, and each writes its
 * audit entry (hash-chained) inside the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Tlp, Viewer } from '../model/index.js';
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
  DecisionRecord,
  Disposition,
  EntityKind,
  EntityQuery,
  EntityRecord,
  IntakeReportRecord,
  IntakeResult,
  IntakeWrite,
  InvestigationStore,
  MonitoredWrite,
  NoteRecord,
  QueueAlert,
  SessionRecord,
  TenantRecord,
  TenantTransaction,
  TokenRecord,
  UserRecord,
} from './investigation.js';
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
}

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

  constructor(
    private readonly db: SqlBackend,
    private readonly clock: () => number = Date.now,
  ) {}

  // ---- audit ----------------------------------------------------------------------------------------

  private async appendAuditIn(tx: SqlRunner, drafts: readonly AuditDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    let head = this.db.sharedWriters ? undefined : this.auditHead;
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
  }

  /** A write transaction with its audit entries; the cached audit head is dropped if it fails. */
  private async write<T>(fn: (tx: SqlRunner, audit: AuditDraft[]) => Promise<T>): Promise<T> {
    try {
      return await this.db.write(async (tx) => {
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
    await this.write(async (tx, a) => {
      if (txRows.length > 0) await tx.insertMany('tenant_transactions', TX_COLUMNS, txRows);
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

  async alerts(v: Viewer, q: AlertQuery = {}): Promise<QueueAlert[]> {
    const { limit, offset } = pageLimit(q);
    const p = new Params();
    const where = [
      visible('a', v, p, this.clock(), ['assignee'], q.scope ?? 'own'),
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
    const rows = await this.db.query(
      `SELECT * FROM tenant_alerts a WHERE ${where.join(' AND ')} ORDER BY a.score DESC, a.created_ms DESC, a.tenant_id, a.id
       LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    const out = rows.map(toAlert);
    await this.auditShared(v, 'alert', out);
    return out;
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
