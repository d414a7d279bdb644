/**
 * Versioned schema migrations, shared by DuckDB and PostgreSQL (portable types only).
 * A migration is never edited once released: add a new version instead.
 */
export interface Migration {
  version: number;
  name: string;
  /**
   * Statements; `{pk_tx}` expands to the transactions primary key clause where the dialect keeps one, and
   * `{pk:<columns>}` to `, PRIMARY KEY (<columns>)` in PostgreSQL and to nothing in DuckDB (see KEYLESS_IN_DUCKDB).
   */
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'canonical model',
    statements: [
      `CREATE TABLE ingest_runs (batch_id VARCHAR PRIMARY KEY, started_ms BIGINT NOT NULL, finished_ms BIGINT,
        files VARCHAR NOT NULL, transactions_read BIGINT, transactions_inserted BIGINT, rejects BIGINT)`,
      `CREATE TABLE transactions (source VARCHAR NOT NULL, id VARCHAR NOT NULL, time_ms BIGINT NOT NULL,
        from_account VARCHAR NOT NULL, to_account VARCHAR NOT NULL, amount_minor BIGINT NOT NULL, currency VARCHAR NOT NULL,
        orig_amount_minor BIGINT, orig_currency VARCHAR, channel VARCHAR NOT NULL, from_country VARCHAR, to_country VARCHAR,
        file VARCHAR NOT NULL, line INTEGER NOT NULL, batch_id VARCHAR NOT NULL{pk_tx})`,
      `CREATE TABLE accounts (id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, institution VARCHAR, country VARCHAR,
        currency VARCHAR, name VARCHAR, file VARCHAR NOT NULL, line INTEGER NOT NULL, batch_id VARCHAR NOT NULL)`,
      `CREATE TABLE parties (id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, name VARCHAR NOT NULL, country VARCHAR,
        birth_date VARCHAR, identifiers VARCHAR NOT NULL, file VARCHAR NOT NULL, line INTEGER NOT NULL, batch_id VARCHAR NOT NULL)`,
      `CREATE TABLE party_accounts (party_id VARCHAR NOT NULL, account_id VARCHAR NOT NULL, role VARCHAR NOT NULL,
        file VARCHAR NOT NULL, line INTEGER NOT NULL, batch_id VARCHAR NOT NULL, PRIMARY KEY (party_id, account_id, role))`,
      `CREATE TABLE reports (id VARCHAR PRIMARY KEY, format VARCHAR NOT NULL, report_code VARCHAR NOT NULL,
        reporting_entity VARCHAR, entity_reference VARCHAR, submitted_ms BIGINT, currency VARCHAR, reason VARCHAR,
        action VARCHAR, indicators VARCHAR NOT NULL, source VARCHAR NOT NULL, file VARCHAR NOT NULL, line INTEGER NOT NULL,
        batch_id VARCHAR NOT NULL)`,
      `CREATE TABLE report_links (report_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, ref VARCHAR NOT NULL,
        PRIMARY KEY (report_id, kind, ref))`,
      `CREATE TABLE truth_labels (source VARCHAR NOT NULL, transaction_id VARCHAR NOT NULL, laundering BOOLEAN NOT NULL,
        scheme VARCHAR, instance VARCHAR, PRIMARY KEY (source, transaction_id))`,
      `CREATE TABLE rejects (batch_id VARCHAR NOT NULL, file VARCHAR NOT NULL, line INTEGER NOT NULL,
        reason VARCHAR NOT NULL, record VARCHAR NOT NULL)`,
      `CREATE TABLE alerts (id VARCHAR PRIMARY KEY, typology VARCHAR NOT NULL, score DOUBLE PRECISION NOT NULL,
        factors VARCHAR NOT NULL, accounts VARCHAR NOT NULL, transactions VARCHAR NOT NULL, from_ms BIGINT NOT NULL,
        to_ms BIGINT NOT NULL, amount_minor BIGINT NOT NULL, currency VARCHAR NOT NULL, explanation VARCHAR NOT NULL,
        batch_id VARCHAR NOT NULL)`,
      `CREATE TABLE alert_accounts (alert_id VARCHAR NOT NULL, account VARCHAR NOT NULL, PRIMARY KEY (alert_id, account))`,
    ],
  },
  {
    version: 2,
    name: 'investigation server: tenants, access, monitored transactions, alert queue, cases, intake, audit',
    statements: [
      `CREATE TABLE tenants (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, operator BOOLEAN NOT NULL, settings VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL)`,
      `CREATE TABLE users (id VARCHAR PRIMARY KEY, tenant_id VARCHAR NOT NULL, username VARCHAR NOT NULL UNIQUE, display_name VARCHAR NOT NULL,
        role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, disabled BOOLEAN NOT NULL, created_ms BIGINT NOT NULL)`,
      `CREATE TABLE api_tokens (id VARCHAR PRIMARY KEY, tenant_id VARCHAR NOT NULL, name VARCHAR NOT NULL, role VARCHAR NOT NULL,
        secret_hash VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT, revoked_ms BIGINT)`,
      `CREATE TABLE sessions (id_hash VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, csrf VARCHAR NOT NULL, created_ms BIGINT NOT NULL,
        expires_ms BIGINT NOT NULL)`,
      `CREATE TABLE sharing_agreements (id VARCHAR PRIMARY KEY, owner_tenant VARCHAR NOT NULL, partner_tenant VARCHAR NOT NULL,
        max_tlp VARCHAR NOT NULL, purpose VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT,
        revoked_ms BIGINT)`,
      `CREATE TABLE tenant_transactions (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, time_ms BIGINT NOT NULL,
        from_account VARCHAR NOT NULL, to_account VARCHAR NOT NULL, amount_minor BIGINT NOT NULL, currency VARCHAR NOT NULL,
        orig_amount_minor BIGINT, orig_currency VARCHAR, channel VARCHAR NOT NULL, from_country VARCHAR, to_country VARCHAR,
        tlp VARCHAR NOT NULL, received_ms BIGINT NOT NULL, batch_id VARCHAR NOT NULL{pk:tenant_id, id})`,
      `CREATE TABLE tenant_alerts (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, typology VARCHAR NOT NULL,
        score DOUBLE PRECISION NOT NULL, factors VARCHAR NOT NULL, accounts VARCHAR NOT NULL, transactions VARCHAR NOT NULL,
        from_ms BIGINT NOT NULL, to_ms BIGINT NOT NULL, amount_minor BIGINT NOT NULL, currency VARCHAR NOT NULL, explanation VARCHAR NOT NULL,
        status VARCHAR NOT NULL, assignee VARCHAR, disposition VARCHAR, disposition_reason VARCHAR, case_id VARCHAR, tlp VARCHAR NOT NULL,
        created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL{pk:tenant_id, id})`,
      `CREATE TABLE tenant_alert_refs (tenant_id VARCHAR NOT NULL, alert_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, ref VARCHAR NOT NULL{pk:tenant_id, kind, ref, alert_id})`,
      `CREATE TABLE cases (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, title VARCHAR NOT NULL, summary VARCHAR NOT NULL,
        status VARCHAR NOT NULL, tlp VARCHAR NOT NULL, assignee VARCHAR, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL, PRIMARY KEY (tenant_id, id))`,
      `CREATE TABLE case_items (tenant_id VARCHAR NOT NULL, case_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, ref VARCHAR NOT NULL,
        note VARCHAR, added_by VARCHAR NOT NULL, added_ms BIGINT NOT NULL, PRIMARY KEY (tenant_id, case_id, kind, ref))`,
      `CREATE TABLE case_notes (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, case_id VARCHAR NOT NULL, body VARCHAR NOT NULL,
        tlp VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL, PRIMARY KEY (tenant_id, id))`,
      `CREATE TABLE case_attachments (tenant_id VARCHAR NOT NULL, case_id VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, name VARCHAR NOT NULL,
        media_type VARCHAR NOT NULL, size_bytes BIGINT NOT NULL, tlp VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
        created_ms BIGINT NOT NULL, PRIMARY KEY (tenant_id, case_id, sha256))`,
      `CREATE TABLE blobs (sha256 VARCHAR PRIMARY KEY, size_bytes BIGINT NOT NULL, content_base64 VARCHAR NOT NULL, created_ms BIGINT NOT NULL)`,
      `CREATE TABLE case_decisions (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, case_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        reason VARCHAR NOT NULL, decided_by VARCHAR NOT NULL, decided_ms BIGINT NOT NULL, PRIMARY KEY (tenant_id, id))`,
      `CREATE TABLE case_events (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, case_id VARCHAR NOT NULL, at_ms BIGINT NOT NULL,
        actor VARCHAR NOT NULL, kind VARCHAR NOT NULL, detail VARCHAR NOT NULL, PRIMARY KEY (tenant_id, id))`,
      `CREATE TABLE tenant_entities (tenant_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR,
        data VARCHAR NOT NULL, tlp VARCHAR NOT NULL, source VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL, PRIMARY KEY (tenant_id, kind, id))`,
      `CREATE TABLE tenant_reports (tenant_id VARCHAR NOT NULL, id VARCHAR NOT NULL, format VARCHAR NOT NULL, report_code VARCHAR NOT NULL,
        entity_reference VARCHAR, reporting_entity VARCHAR, submitted_ms BIGINT, reason VARCHAR, action VARCHAR, indicators VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL, tlp VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL, PRIMARY KEY (tenant_id, id))`,
      `CREATE TABLE tenant_report_links (tenant_id VARCHAR NOT NULL, report_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, ref VARCHAR NOT NULL,
        PRIMARY KEY (tenant_id, report_id, kind, ref))`,
      `CREATE TABLE audit_log (seq BIGINT NOT NULL, at_ms BIGINT NOT NULL, actor_tenant VARCHAR NOT NULL, actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL, object_kind VARCHAR NOT NULL, object_id VARCHAR NOT NULL, object_tenant VARCHAR NOT NULL, ip VARCHAR NOT NULL,
        detail VARCHAR NOT NULL, prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL{pk:seq})`,
    ],
  },
  {
    version: 3,
    name: 'sanctions screening results kept with the party they were about',
    statements: [
      `CREATE TABLE party_screenings (party_id VARCHAR NOT NULL, screened_ms BIGINT NOT NULL, query_name VARCHAR, entity_key VARCHAR NOT NULL,
        list VARCHAR NOT NULL, list_version VARCHAR, entity_name VARCHAR NOT NULL, matched_name VARCHAR NOT NULL, name_strength VARCHAR NOT NULL,
        score DOUBLE PRECISION NOT NULL, is_match BOOLEAN NOT NULL, programs VARCHAR NOT NULL, reasons VARCHAR NOT NULL,
        PRIMARY KEY (party_id, entity_key, screened_ms))`,
    ],
  },
  {
    version: 4,
    name: 'account-flow indexes for the network explorer (PostgreSQL; DuckDB scans its columns)',
    statements: [],
  },
  {
    version: 5,
    name: 'hash indexes for the monitored transactions’ accounts (PostgreSQL; cheaper to keep up at ingest)',
    statements: [],
  },
];

export const TRANSACTION_COLUMNS = [
  'source',
  'id',
  'time_ms',
  'from_account',
  'to_account',
  'amount_minor',
  'currency',
  'orig_amount_minor',
  'orig_currency',
  'channel',
  'from_country',
  'to_country',
  'file',
  'line',
  'batch_id',
] as const;

/**
 * Tables that have a primary key in PostgreSQL only (`{pk:...}`). In DuckDB an index costs milliseconds at
 * every commit (measured: 16 appended rows commit in 1.6 ms without, 7 ms with), and an upsert of a few
 * rows 3-15 ms, which the real-time path cannot afford: their writers keep rows unique themselves
 * (transactions: the monitor's id index; alerts: inserted once when raised, then updated; audit: one
 * serialised writer, verified by the hash chain; alert references: duplicates are harmless to every
 * query, which asks EXISTS or IN).
 */
export const KEYLESS_IN_DUCKDB: ReadonlySet<string> = new Set(
  MIGRATIONS.flatMap((m) => m.statements)
    .filter((s) => s.includes('{pk:'))
    .map((s) => /CREATE TABLE (\w+)/.exec(s)?.[1])
    .filter((t): t is string => t !== undefined),
);

/** A migration statement for a dialect: `{pk_tx}` and `{pk:<columns>}` expanded. */
export function dialectStatement(statement: string, dialect: 'duckdb' | 'postgres'): string {
  return dialect === 'duckdb'
    ? statement.replace('{pk_tx}', '').replace(/\{pk:([^}]*)\}/g, '')
    : statement.replace('{pk_tx}', ', PRIMARY KEY (source, id)').replace(/\{pk:([^}]*)\}/g, ', PRIMARY KEY ($1)');
}
