/**
 * Versioned schema migrations, shared by DuckDB and PostgreSQL (portable types only).
 * A migration is never edited once released: add a new version instead.
 */
export interface Migration {
  version: number;
  name: string;
  /** Statements; `{pk_tx}` expands to the transactions primary key clause where the dialect keeps one. */
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
