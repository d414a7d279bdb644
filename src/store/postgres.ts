/**
 * PostgreSQL, for servers and shared deployments: a small connection pool for reads, one dedicated
 * connection per ingest session (staging in TEMP tables loaded with COPY, merged with the shared
 * portable statements, one transaction), versioned migrations guarded by an advisory lock.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { IngestBatch } from '../ingest/reader.js';
import { CHANNELS, type Alert } from '../model/index.js';
import type { InvestigationStore } from './investigation.js';
import { SqlInvestigationStore, updateFromValues, type ColumnSpec, type ColumnType, type SqlBackend, type SqlRunner } from './investigation-sql.js';
import { Mutex } from './mutex.js';
import { dialectStatement, MIGRATIONS } from './schema.js';
import { alertRow, SqlStore, type Row, type SqlParam } from './sql-store.js';
import { ALL_STAGE_TABLES, mergeTxAccountsFrom, STAGE_TX, stageDdl, TxAccountSides, type StageTable, type StageType, type StageValue } from './stage.js';
import { DEFAULT_MERGE_EVERY_ROWS, StagedIngestSession } from './staged-session.js';
import type { IngestRunInfo, IngestSession } from './store.js';

export interface PostgresOptions {
  /** Connections in the pool (reads, alerts, one per open ingest session). Default 4. */
  poolSize?: number;
  /** Staged transactions merged into the tables every this many rows (bounds the staging table). */
  mergeEveryRows?: number;
  /** work_mem for the merge statements of an ingest session (PostgreSQL units, e.g. '64MB'). Default '64MB'. */
  ingestWorkMem?: string;
  /** maintenance_work_mem for building indexes after a bulk load. Default '256MB'. */
  maintenanceWorkMem?: string;
  /**
   * Bulk mode: when the first merge of a session finds `transactions` empty and at least this many rows
   * staged (default 100,000), its indexes are dropped and built once at commit. Infinity turns it off.
   */
  bulkMinRows?: number;
}

/** Advisory lock keys (pg_advisory_xact_lock(int4, int4)): class 'Rs', then what is guarded. */
const LOCK_CLASS = 0x5273;
const LOCK_MIGRATIONS = 1;
const LOCK_INGEST = 2;
/** Investigation writes: one at a time across processes, so the audit chain grows in one line. */
const LOCK_AUDIT = 3;

/** PostgreSQL-only statements applied with a shared migration version (indexes the read queries need). */
const PG_EXTRA_STATEMENTS: Readonly<Record<number, readonly string[]>> = {
  1: [
    `CREATE INDEX transactions_from_time_idx ON transactions (from_account, time_ms)`,
    `CREATE INDEX transactions_to_time_idx ON transactions (to_account, time_ms)`,
    `CREATE INDEX alerts_typology_idx ON alerts (typology)`,
    `CREATE INDEX alerts_score_idx ON alerts (score)`,
    `CREATE INDEX alert_accounts_account_idx ON alert_accounts (account)`,
    `CREATE INDEX rejects_batch_idx ON rejects (batch_id)`,
  ],
  2: [
    `CREATE INDEX tenant_alerts_queue_idx ON tenant_alerts (tenant_id, status, score)`,
    `CREATE INDEX cases_tenant_idx ON cases (tenant_id, status, updated_ms)`,
    `CREATE INDEX case_events_case_idx ON case_events (tenant_id, case_id, at_ms)`,
    `CREATE INDEX case_notes_case_idx ON case_notes (tenant_id, case_id)`,
    `CREATE INDEX sharing_partner_idx ON sharing_agreements (partner_tenant, owner_tenant)`,
    `CREATE INDEX users_tenant_idx ON users (tenant_id)`,
    `CREATE INDEX audit_tenants_idx ON audit_log (actor_tenant, seq)`,
    `CREATE INDEX audit_object_tenant_idx ON audit_log (object_tenant, seq)`,
  ],
  4: [
    `CREATE INDEX tenant_transactions_from_idx ON tenant_transactions (tenant_id, from_account, time_ms)`,
    `CREATE INDEX tenant_transactions_to_idx ON tenant_transactions (tenant_id, to_account, time_ms)`,
    `CREATE INDEX tenant_alert_refs_alert_idx ON tenant_alert_refs (tenant_id, alert_id, kind)`,
  ],
  // The explorer and the account filters ask for accounts by equality (=, IN, OR of both sides); a hash index
  // answers that and costs about half as much to keep up as the btree (10,000 monitored rows: 75 ms instead
  // of 130 ms, measured), whose string comparisons in the database's collation dominate at ingest.
  5: [
    `DROP INDEX tenant_transactions_from_idx`,
    `DROP INDEX tenant_transactions_to_idx`,
    `CREATE INDEX tenant_transactions_from_hash ON tenant_transactions USING hash (from_account)`,
    `CREATE INDEX tenant_transactions_to_hash ON tenant_transactions USING hash (to_account)`,
  ],
};

/** Default staged rows at the first merge into an empty transactions table from which a session loads in bulk mode. */
const BULK_MIN_ROWS = 100_000;
/** Alerts written per INSERT statement (arrays through unnest, one round trip per chunk). */
const ALERT_CHUNK = 1000;
/** Characters of COPY text collected before handing a chunk to the connection. */
const COPY_CHUNK_CHARS = 1 << 16;

/** The URL as it may be shown: any password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    let changed = false;
    if (u.password !== '') {
      u.password = '***';
      changed = true;
    }
    if (u.searchParams.has('password')) {
      u.searchParams.set('password', '***');
      changed = true;
    }
    return changed ? u.toString() : url;
  } catch {
    // Not a WHATWG URL (e.g. an unencoded socket path): mask userinfo and password parameters textually.
    return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^/]*@/i, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***');
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; detail?: string; where?: string };
  let text = e?.message ?? String(err);
  if (e?.detail) text += ` (${e.detail})`;
  if (e?.where) text += ` [${e.where}]`;
  return text;
}

function sqlSummary(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// ---- COPY text format --------------------------------------------------------------------------

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPE_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\uFFFD' };

/**
 * A text value in COPY text format. PostgreSQL text cannot hold NUL, so NUL becomes U+FFFD
 * (as lone surrogates already do when Node encodes UTF-8).
 */
export function copyText(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, (c) => ESCAPES[c]!) : s;
}

/** A number in COPY text format: integers print without exponent (below 1e21); NaN is NULL. */
function copyNumber(v: StageValue): string {
  const n = typeof v === 'number' ? v : Number(v);
  if (Number.isNaN(n)) return '\\N';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}

type Encoder = (v: StageValue) => string;

function encoderFor(type: StageType): Encoder {
  switch (type) {
    case 'text': {
      // Most text columns repeat values (source, file, batch, currency, channel): remember the last one.
      let last: StageValue | undefined;
      let lastOut = '';
      return (v) => {
        if (v === last) return lastOut;
        const out = v === null || v === undefined ? '\\N' : copyText(typeof v === 'string' ? v : String(v));
        last = v;
        lastOut = out;
        return out;
      };
    }
    case 'double':
    case 'int':
      return (v) => (v === null || v === undefined ? '\\N' : copyNumber(v));
    case 'bool':
      return (v) => (v === null || v === undefined ? '\\N' : v ? 't' : 'f');
  }
}

/** COPY text of rows (given as column arrays), in chunks of about COPY_CHUNK_CHARS characters. */
export function* copyChunks(table: StageTable, columns: readonly StageValue[][], rows: number): Generator<string> {
  const encoders = table.columns.map(([, type]) => encoderFor(type));
  const width = encoders.length;
  if (columns.length !== width) throw new Error(`${table.name}: ${columns.length} columns given, ${width} expected`);
  const last = width - 1;
  let buf = '';
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < last; c++) buf += encoders[c]!(columns[c]![r]!) + '\t';
    buf += encoders[last]!(columns[last]![r]!) + '\n';
    if (buf.length >= COPY_CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

const TX_DIRECT_COLUMNS = [
  'source', 'id', 'time_ms', 'from_account', 'to_account', 'amount_minor', 'currency', 'orig_amount_minor', 'orig_currency',
  'channel', 'from_country', 'to_country', 'from_institution', 'to_institution', 'file', 'line', 'batch_id',
];
/** stage_tx still has the layout txCopyChunks writes (otherwise the generic column path is used). */
const TX_DIRECT = STAGE_TX.columns.map(([n]) => n).join() === TX_DIRECT_COLUMNS.join();
/** Columns the same for a whole batch: set as stage_tx column defaults instead of sent in every row. */
const TX_BATCH_CONSTANT = ['source', 'file', 'batch_id'];
/** The columns txCopyChunks writes, in order. */
const TX_COPY_COLUMNS = TX_DIRECT_COLUMNS.filter((c) => !TX_BATCH_CONSTANT.includes(c));
const CHANNEL_TEXT = CHANNELS.map((c) => copyText(c));

/** A string as a PostgreSQL literal (NUL, which text cannot hold, as U+FFFD like in COPY). */
function literal(v: string): string {
  return pg.escapeLiteral(v.replace(/\0/g, '\uFFFD'));
}

/** Staging steps (mergeEveryRows) per merge step of a direct load (see PostgresIngestSession.mergeEvery). */
const DIRECT_MERGE_STEPS = 5;

/** Accounts of directly copied rows, one per (id, institution) with its least line (see TxAccountSides). */
const STAGE_TX_ACCOUNTS = 'stage_tx_accounts';

function optText(v: string | undefined): string {
  return v === undefined ? '\\N' : copyText(v);
}

/** The columns of `transactions` a direct load sends (txBinaryRows): TX_COPY_COLUMNS without the institutions. */
const TX_TABLE_COPY_COLUMNS = TX_COPY_COLUMNS.filter((c) => c !== 'from_institution' && c !== 'to_institution');

/** COPY text of a batch's transactions (TX_COPY_COLUMNS), straight from the typed columns. */
export function* txCopyChunks(batch: IngestBatch): Generator<string> {
  const tx = batch.transactions;
  let lastCurrency = '';
  let currencyText = '';
  let buf = '';
  for (let i = 0; i < tx.length; i++) {
    const currency = tx.currency[i]!;
    if (currency !== lastCurrency) {
      lastCurrency = currency;
      currencyText = copyText(currency);
    }
    buf +=
      copyText(tx.id[i]!) + '\t' + copyNumber(tx.timeMs[i]!) + '\t' + copyText(tx.fromAccount[i]!) + '\t' + copyText(tx.toAccount[i]!) + '\t' +
      copyNumber(tx.amountMinor[i]!) + '\t' + currencyText + '\t' + copyNumber(tx.originalAmountMinor[i]!) + '\t' + optText(tx.originalCurrency[i]) + '\t' +
      (CHANNEL_TEXT[tx.channel[i]!] ?? 'other') + '\t' + optText(tx.fromCountry[i]) + '\t' + optText(tx.toCountry[i]) + '\t' +
      optText(tx.fromInstitution[i]) + '\t' + optText(tx.toInstitution[i]) + '\t' + tx.line[i] + '\n';
    if (buf.length >= COPY_CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

// ---- COPY binary format (direct loads) --------------------------------------------------------

/** Header of a binary COPY stream: signature, flags, header extension length. */
const BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** End of a binary COPY stream: a field count of -1. */
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);
/** Fields per row of txBinaryRows (TX_TABLE_COPY_COLUMNS). */
const TX_BINARY_FIELDS = 12;

/** Writes COPY binary fields into a buffer sized by the caller (`bound`). */
class BinaryRows {
  o = 0;
  constructor(readonly buf: Buffer) {}

  int16(v: number): void {
    this.buf[this.o++] = (v >>> 8) & 0xff;
    this.buf[this.o++] = v & 0xff;
  }

  private int32At(at: number, v: number): void {
    const b = this.buf;
    b[at] = (v >>> 24) & 0xff;
    b[at + 1] = (v >>> 16) & 0xff;
    b[at + 2] = (v >>> 8) & 0xff;
    b[at + 3] = v & 0xff;
  }

  null(): void {
    this.int32At(this.o, -1);
    this.o += 4;
  }

  /** An int4 field; values outside int4 are refused as the text format's int4 input would refuse them. */
  int4(v: number, column: string): void {
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new Error(`${column} ${v} is out of range for type integer`);
    this.int32At(this.o, 4);
    this.int32At(this.o + 4, v);
    this.o += 8;
  }

  /** An int8 field from a double holding an integer (NaN: NULL when `nullable`). */
  int8(v: number, column: string, nullable = false): void {
    if (nullable && Number.isNaN(v)) return this.null();
    if (!Number.isSafeInteger(v)) throw new Error(`${column} ${v} is not an integer PostgreSQL can store exactly`);
    const hi = Math.floor(v / 4294967296);
    const lo = v - hi * 4294967296;
    this.int32At(this.o, 8);
    this.int32At(this.o + 4, hi | 0);
    this.int32At(this.o + 8, lo | 0);
    this.o += 12;
  }

  float8(v: number): void {
    this.int32At(this.o, 8);
    this.buf.writeDoubleBE(v, this.o + 4);
    this.o += 12;
  }

  bool(v: boolean): void {
    this.int32At(this.o, 1);
    this.buf[this.o + 4] = v ? 1 : 0;
    this.o += 5;
  }

  /** A text field as UTF-8; NUL, which PostgreSQL text cannot hold, becomes U+FFFD (as in `copyText`). */
  text(s: string | undefined): void {
    if (s === undefined) return this.null();
    const b = this.buf;
    const start = this.o + 4;
    let p = start;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0 || c >= 0x80) {
        p = start + b.write(s.replaceAll('\0', '\uFFFD'), start, 'utf8');
        break;
      }
      b[p++] = c;
    }
    this.int32At(this.o, p - start);
    this.o = p;
  }
}

/** Upper bound of the bytes of a text field (4-byte length + at most 3 UTF-8 bytes per UTF-16 unit). */
function textBound(s: string | undefined): number {
  return s === undefined ? 4 : 4 + 3 * s.length;
}

/** A batch's transactions as COPY binary rows of TX_TABLE_COPY_COLUMNS (no header or trailer). */
export function txBinaryRows(batch: IngestBatch): Buffer {
  const tx = batch.transactions;
  const n = tx.length;
  let bound = 0;
  for (let i = 0; i < n; i++) {
    bound +=
      textBound(tx.id[i]) + textBound(tx.fromAccount[i]) + textBound(tx.toAccount[i]) + textBound(tx.currency[i]) + textBound(tx.originalCurrency[i]) +
      textBound(tx.fromCountry[i]) + textBound(tx.toCountry[i]);
  }
  bound += n * (2 + 3 * 12 + 4 + 8 + 4 + 3 * 16);
  const out = new BinaryRows(Buffer.allocUnsafe(bound));
  for (let i = 0; i < n; i++) {
    out.int16(TX_BINARY_FIELDS);
    out.text(tx.id[i]);
    out.int8(tx.timeMs[i]!, 'time_ms');
    out.text(tx.fromAccount[i]);
    out.text(tx.toAccount[i]);
    out.int8(tx.amountMinor[i]!, 'amount_minor');
    out.text(tx.currency[i]);
    out.int8(tx.originalAmountMinor[i]!, 'orig_amount_minor', true);
    out.text(tx.originalCurrency[i]);
    out.text(CHANNELS[tx.channel[i]!] ?? 'other');
    out.text(tx.fromCountry[i]);
    out.text(tx.toCountry[i]);
    out.int4(tx.line[i]!, 'line');
  }
  return out.buf.subarray(0, out.o);
}

/**
 * Rows given as values (investigation writes) as one COPY binary stream, header and trailer included; undefined
 * when a value does not have its column's type (a string for a bigint, a fraction for an integer), which the
 * caller then sends as SQL, where PostgreSQL converts or names the value.
 */
function binaryRowsOf(columns: readonly ColumnSpec[], rows: readonly SqlParam[][]): Buffer | undefined {
  let bound = BINARY_HEADER.length + BINARY_TRAILER.length;
  for (const row of rows) {
    bound += 2;
    for (let c = 0; c < columns.length; c++) {
      const v = row[c];
      bound += typeof v === 'string' ? textBound(v) : 12;
    }
  }
  const out = new BinaryRows(Buffer.allocUnsafe(bound));
  BINARY_HEADER.copy(out.buf, 0);
  out.o = BINARY_HEADER.length;
  for (const row of rows) {
    out.int16(columns.length);
    for (let c = 0; c < columns.length; c++) {
      const v = row[c] ?? null;
      if (v === null) {
        out.null();
        continue;
      }
      switch (columns[c]![1]) {
        case 'text':
          if (typeof v !== 'string') return undefined;
          out.text(v);
          break;
        case 'bigint':
          if (typeof v !== 'number' || !Number.isSafeInteger(v)) return undefined;
          out.int8(v, columns[c]![0]);
          break;
        case 'double':
          if (typeof v !== 'number') return undefined;
          out.float8(v);
          break;
        case 'bool':
          if (typeof v !== 'boolean') return undefined;
          out.bool(v);
          break;
      }
    }
  }
  BINARY_TRAILER.copy(out.buf, out.o);
  return out.buf.subarray(0, out.o + BINARY_TRAILER.length);
}

/** A value as an SQL literal for a column of `type` (see PgWriteRunner.commit). */
function sqlLiteral(v: SqlParam, type: ColumnType): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return literal(v);
  if (typeof v === 'boolean') return type === 'bool' ? (v ? 'TRUE' : 'FALSE') : literal(String(v));
  if (type === 'double') return Number.isFinite(v) ? String(v) : literal(String(v));
  if (type === 'bigint' && Number.isSafeInteger(v)) return String(v);
  return literal(String(v));
}

/**
 * COPY a finished binary stream into `table` on `client`; `prefix`: statements that return no rows, sent in the
 * same query string before the COPY (the server runs them, then asks for the data).
 */
function copyBinary(client: pg.PoolClient, table: string, columns: readonly ColumnSpec[], data: Buffer, prefix = ''): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(`${prefix}COPY ${table} (${columns.map(([n]) => n).join(', ')}) FROM STDIN (FORMAT binary)`));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(data);
  });
}

// ---- store ---------------------------------------------------------------------------------------

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  /** Sessions not yet committed or aborted: close() aborts them, or pool.end() would wait for ever. */
  private readonly sessions = new Set<PostgresIngestSession>();
  readonly investigation: InvestigationStore;
  private readonly backend: PostgresBackend;

  private constructor(
    readonly location: string,
    private readonly pool: pg.Pool,
    private readonly options: PostgresOptions,
  ) {
    super();
    this.backend = new PostgresBackend(pool);
    this.investigation = new SqlInvestigationStore(this.backend);
  }

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const location = redactUrl(url);
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4, application_name: 'rastro' });
    // An idle connection that dies (server restart) must not take the process down; the pool drops it.
    pool.on('error', () => undefined);
    const store = new PostgresStore(location, pool, options);
    try {
      await store.migrate();
    } catch (err) {
      await pool.end().catch(() => undefined);
      const message = (err as Error).message ?? String(err);
      throw new Error(message.startsWith('PostgreSQL') ? message : `PostgreSQL ${location}: ${describe(err)}`, { cause: err });
    }
    return store;
  }

  /** Apply missing MIGRATIONS in order, each in its own transaction, serialised across processes. */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      // Fast path: an up-to-date schema is read, nothing written.
      const exists = await client.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
      if (exists.rows[0]?.present === true) {
        const applied = new Set((await client.query(`SELECT version FROM schema_migrations`)).rows.map((r: Row) => Number(r.version)));
        if (MIGRATIONS.every((m) => applied.has(m.version))) return;
      }
      for (const m of MIGRATIONS) {
        await client.query('BEGIN');
        try {
          await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_MIGRATIONS]);
          await client.query(
            `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ms BIGINT NOT NULL)`,
          );
          const done = await client.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [m.version]);
          if ((done.rowCount ?? 0) > 0) {
            await client.query('COMMIT');
            continue;
          }
          for (const s of m.statements) await client.query(dialectStatement(s, 'postgres'));
          for (const s of PG_EXTRA_STATEMENTS[m.version] ?? []) await client.query(s);
          await client.query(`INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)`, [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          throw new Error(`PostgreSQL ${this.location}: migration ${m.version} (${m.name}) failed: ${describe(err)}`, { cause: err });
        }
      }
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  protected async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params as unknown[]);
    return result.rows as Row[];
  }

  async beginIngest(info: IngestRunInfo): Promise<IngestSession> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new Error(`PostgreSQL ${this.location}: cannot connect for ingest: ${describe(err)}`, { cause: err });
    }
    const settings = {
      mergeEveryRows: this.options.mergeEveryRows ?? DEFAULT_MERGE_EVERY_ROWS,
      maintenanceWorkMem: this.options.maintenanceWorkMem ?? '256MB',
      bulkMinRows: this.options.bulkMinRows ?? BULK_MIN_ROWS,
    };
    const session = new PostgresIngestSession(client, info, settings, () => {
      this.sessions.delete(session);
    });
    this.sessions.add(session);
    try {
      await session.start(this.options.ingestWorkMem ?? '64MB');
    } catch (err) {
      await session.abort().catch(() => undefined);
      throw new Error(`PostgreSQL ${this.location}: cannot start ingest session: ${describe(err)}`, { cause: err });
    }
    return session;
  }

  async writeAlerts(alerts: readonly Alert[], batchId: string): Promise<number> {
    if (alerts.length === 0) return 0;
    const client = await this.pool.connect();
    let broken = false;
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    let inserted = 0;
    try {
      await client.query('BEGIN');
      try {
        for (let start = 0; start < alerts.length; start += ALERT_CHUNK) {
          const chunk = alerts.slice(start, start + ALERT_CHUNK);
          const cols: SqlParam[][] = Array.from({ length: 12 }, () => []);
          const links: [string[], string[]] = [[], []];
          for (const a of chunk) {
            const row = alertRow(a, batchId);
            for (let c = 0; c < 12; c++) cols[c]!.push(row[c]!);
            for (const acc of new Set(a.accounts)) {
              links[0].push(a.id);
              links[1].push(acc);
            }
          }
          const r = await client.query(
            `INSERT INTO alerts (id, typology, score, factors, accounts, transactions, from_ms, to_ms, amount_minor, currency, explanation, batch_id)
             SELECT id, typology, score, factors, accounts, transactions, CAST(from_ms AS BIGINT), CAST(to_ms AS BIGINT),
                    CAST(amount_minor AS BIGINT), currency, explanation, batch_id
             FROM unnest($1::varchar[], $2::varchar[], $3::float8[], $4::varchar[], $5::varchar[], $6::varchar[], $7::float8[],
                         $8::float8[], $9::float8[], $10::varchar[], $11::varchar[], $12::varchar[])
               AS a(id, typology, score, factors, accounts, transactions, from_ms, to_ms, amount_minor, currency, explanation, batch_id)
             ON CONFLICT DO NOTHING`,
            cols,
          );
          inserted += r.rowCount ?? 0;
          if (links[0].length > 0) {
            await client.query(
              `INSERT INTO alert_accounts (alert_id, account) SELECT * FROM unnest($1::varchar[], $2::varchar[]) ON CONFLICT DO NOTHING`,
              links,
            );
          }
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw new Error(`PostgreSQL ${this.location}: writing ${alerts.length} alert(s) failed: ${describe(err)}`, { cause: err });
      }
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
    return inserted;
  }

  async close(): Promise<void> {
    for (const session of [...this.sessions]) await session.abort().catch(() => undefined);
    await this.backend.drain();
    await this.pool.end();
  }
}

/** Rows per multi-row statement: held inserts and updates (literals) go in chunks of this many. */
const PG_INSERT_CHUNK_ROWS = 5_000;
/** From this many rows an insert without a conflict clause goes by COPY binary (two round trips; below, the one of an INSERT costs less). */
const PG_COPY_MIN_ROWS = 2_000;

/**
 * The investigation store's access to PostgreSQL: reads from the pool, write transactions on one pooled
 * connection each, serialised in this process and, across processes, by a transaction advisory lock.
 */
class PostgresBackend implements SqlBackend {
  readonly dialect = 'postgres' as const;
  readonly sharedWriters = true;
  private readonly lock = new Mutex();

  constructor(private readonly pool: pg.Pool) {}

  async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params as unknown[])).rows as Row[];
  }

  /** Resolves once the writes in flight are done. */
  drain(): Promise<void> {
    return this.lock.run(async () => undefined);
  }

  /**
   * Write transactions are serialised across processes by a transaction-level advisory lock, under which the
   * audit chain's head is read (another process may have moved it). After a commit this process knows the
   * head it left; the next transaction assumes it has not moved and goes in one round trip (begin, lock, a
   * guard that the head is still that one, the held inserts, commit). If another process did write in
   * between, the guard fails the transaction, which is rolled back and run again with the head read first.
   */
  private head: { seq: number; hash: string } | null | undefined;

  write<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      const known = this.head;
      this.head = undefined;
      if (known !== undefined) {
        try {
          return await this.attempt(fn, known);
        } catch (err) {
          if ((err as { cause?: { code?: string } }).cause?.code !== HEAD_MOVED) throw err;
        }
      }
      return this.attempt(fn, undefined);
    });
  }

  /** The previous writeStaged call's turn under the lock: resolves when it is over (done or failed). */
  private turn: Promise<void> = Promise.resolve();

  /**
   * A write transaction in two steps that overlap with other calls': `stage` (the bulk insert) runs at once on a
   * connection of its own, in a transaction without the lock, beside other calls' stages; then, once every
   * earlier call has had its turn, `fn` runs under the lock (taken with its first statement, the head guarded)
   * and both commit together. Two group commits thus keep two PostgreSQL processes busy instead of one, and
   * the tails (alerts, audit entries) still go in call order, so an alert is inserted before it is updated
   * and the audit chain grows in that order. If the guard finds the head moved, the whole write runs again as
   * write() does, with the head read first.
   */
  async writeStaged<T>(stage: (tx: SqlRunner) => Promise<void>, fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const previous = this.turn;
    let ended!: () => void;
    this.turn = new Promise<void>((resolve) => (ended = resolve));
    try {
      const client = await this.pool.connect();
      let broken = false;
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      const runner = new PgWriteRunner(client, undefined, true);
      let moved = false;
      try {
        try {
          await stage(runner);
        } finally {
          await previous;
        }
        return await this.lock.run(async () => {
          const known = this.head;
          this.head = undefined;
          try {
            await runner.lockWith(known);
            const result = await fn(runner);
            await runner.commit();
            this.head = runner.auditHead;
            return result;
          } catch (err) {
            if ((err as { code?: string }).code !== HEAD_MOVED) throw err;
            moved = true;
            await client.query('ROLLBACK').catch(() => {
              broken = true;
            });
            // Under the lock already: the serial path's second attempt, with the head read first.
            return this.attempt(async (tx) => {
              await stage(tx);
              return fn(tx);
            }, undefined);
          }
        });
      } catch (err) {
        if (!moved) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
        }
        throw (err as Error).message?.startsWith('PostgreSQL') ? err : new Error(`PostgreSQL: ${describe(err)}`, { cause: err });
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    } finally {
      ended();
    }
  }

  /** One write transaction; `known`: the audit head assumed (guarded), or undefined to read it first. */
  private async attempt<T>(fn: (tx: SqlRunner) => Promise<T>, known: { seq: number; hash: string } | null | undefined): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    const runner = new PgWriteRunner(client, known);
    try {
      if (known === undefined) await runner.begin();
      const result = await fn(runner);
      await runner.commit();
      this.head = runner.auditHead;
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw new Error(`PostgreSQL: ${describe(err)}`, { cause: err });
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }
}

/** SQLSTATE of the guard's refusal when another process moved the audit head (see PostgresBackend.write). */
const HEAD_MOVED = 'RSA01';

/** An insert held back to go with the next statement (see PgWriteRunner), or a statement of its own (`sql`). */
type HeldInsert =
  | { table: string; columns: readonly ColumnSpec[]; rows: readonly SqlParam[][]; conflict: string; sql?: undefined }
  | { table: string; sql: string };
/** PostgreSQL's name of each column type, for casting literals. */
const PG_TYPES: Record<ColumnType, string> = { text: 'varchar', bigint: 'int8', double: 'float8', bool: 'bool' };

/**
 * The statements of one write transaction. A group commit is mostly round trips, so BEGIN (with the lock and
 * the audit-head read or guard) is sent only with the first statement that needs an answer, and small inserts
 * are held back and sent together, as data-modifying WITH clauses of one statement, before the next statement
 * that needs an answer or with the commit (one string with BEGIN and COMMIT when nothing was sent before: one
 * round trip for the whole transaction). An insert into a table already held goes after the held ones. Large
 * inserts without a conflict clause go by COPY binary. An error of a held insert surfaces with the statement
 * that sends it, and fails the transaction as it would have.
 */
class PgWriteRunner implements SqlRunner {
  auditHead?: { seq: number; hash: string } | null;
  private held: HeldInsert[] = [];
  /** Whether BEGIN (and the lock) went to the server. */
  private opened = false;
  /** Staged mode: the transaction opens without the lock, which `lockWith` adds later (see PostgresBackend.writeStaged). */
  private unlocked: boolean;
  /** The lock (and guard) go with the next statement sent. */
  private lockPending = false;

  /** `known`: the audit head this process left, assumed and guarded; undefined: `begin` reads it. */
  constructor(
    private readonly client: pg.PoolClient,
    private known: { seq: number; hash: string } | null | undefined,
    staged = false,
  ) {
    if (known !== undefined) this.auditHead = known;
    this.unlocked = staged;
  }

  /**
   * Staged mode, the staging done: take the writers' lock with the next statement, the head `known` guarded,
   * or (undefined) now, reading the head under it.
   */
  async lockWith(known: { seq: number; hash: string } | null | undefined): Promise<void> {
    this.unlocked = false;
    this.known = known;
    if (known !== undefined) {
      this.auditHead = known;
      if (this.opened) this.lockPending = true;
      return;
    }
    if (!this.opened) return this.begin();
    const results = (await this.client.query(this.lockStatements())) as unknown as pg.QueryResult[];
    const head = results[1]?.rows[0] as Row | undefined;
    this.auditHead = head ? { seq: Number(head.seq), hash: String(head.hash) } : null;
  }

  /**
   * BEGIN, the writers' lock, then the audit head: read (a statement of its own, so its snapshot is taken after
   * the lock), or guarded (in one DO block that returns no rows, so it can go ahead of a COPY; each of its
   * statements takes a fresh snapshot, the guard's after the lock).
   */
  private opening(): string {
    return this.unlocked ? 'BEGIN' : `BEGIN; ${this.lockStatements()}`;
  }

  /** The lock and the head read (two statements, the second returning it) or guard (one, returning no rows). */
  private lockStatements(): string {
    if (this.known === undefined) {
      return `SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${LOCK_AUDIT}); SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`;
    }
    const moved =
      this.known === null ? 'EXISTS (SELECT 1 FROM audit_log)' : `(SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) IS DISTINCT FROM ${literal(this.known.hash)}`;
    return (
      `DO $$BEGIN PERFORM pg_advisory_xact_lock(${LOCK_CLASS}, ${LOCK_AUDIT}); ` +
      `IF ${moved} THEN RAISE EXCEPTION 'the audit chain moved (another writer)' USING ERRCODE = '${HEAD_MOVED}'; END IF; END$$`
    );
  }

  /** Open the transaction now (before a statement that must run inside it). */
  async begin(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    const results = (await this.client.query(this.opening())) as unknown as pg.QueryResult[];
    if (!this.unlocked && this.known === undefined) {
      const head = results[2]?.rows[0] as Row | undefined;
      this.auditHead = head ? { seq: Number(head.seq), hash: String(head.hash) } : null;
    }
  }

  async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    await this.flush();
    return (await this.client.query(sql, params as unknown[])).rows as Row[];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    await this.flush();
    return (await this.client.query(sql, params as unknown[])).rowCount ?? 0;
  }

  async insertMany(table: string, columns: readonly ColumnSpec[], rows: readonly SqlParam[][], conflict = ''): Promise<void> {
    if (rows.length === 0) return;
    if (!conflict && rows.length >= PG_COPY_MIN_ROWS) {
      // Many rows with no conflict clause: COPY binary (no array literals to build here or parse there).
      const data = binaryRowsOf(columns, rows);
      if (data) {
        if (this.held.length > 0) await this.flush();
        // The opening goes with the COPY when it returns no rows (the head is guarded, not read).
        let prefix = '';
        if (!this.opened && (this.unlocked || this.known !== undefined)) {
          prefix = `${this.opening()}; `;
          this.opened = true;
        } else {
          await this.begin();
          if (this.lockPending) prefix = `${this.lockStatements()}; `;
          this.lockPending = false;
        }
        return copyBinary(this.client, table, columns, data, prefix);
      }
    }
    if (this.held.some((h) => h.table === table)) await this.flush();
    if (rows.length <= PG_INSERT_CHUNK_ROWS) {
      this.held.push({ table, columns, rows, conflict });
      return;
    }
    for (let start = 0; start < rows.length; start += PG_INSERT_CHUNK_ROWS) {
      await this.flush();
      this.held.push({ table, columns, rows: rows.slice(start, start + PG_INSERT_CHUNK_ROWS), conflict });
    }
  }

  /** Held too: a statement of its own after the held ones (so it sees their rows), its literals cast to their column types. */
  async updateFrom(table: string, keys: readonly ColumnSpec[], set: readonly ColumnSpec[], rows: readonly SqlParam[][]): Promise<void> {
    const columns = [...keys, ...set];
    for (let start = 0; start < rows.length; start += PG_INSERT_CHUNK_ROWS) {
      const values = rows
        .slice(start, start + PG_INSERT_CHUNK_ROWS)
        .map((r) => `(${columns.map(([, type], c) => `${sqlLiteral(r[c] ?? null, type)}::${PG_TYPES[type]}`).join(', ')})`)
        .join(', ');
      this.held.push({ table, sql: updateFromValues(table, keys, set, values) });
    }
  }

  /** Commit, with the held inserts (and BEGIN, if nothing went before) in the same round trip. */
  async commit(): Promise<void> {
    await this.send('COMMIT');
  }

  /** Send the held inserts now (before a statement that must see them). */
  async flush(): Promise<void> {
    await this.begin();
    if (this.held.length > 0 || this.lockPending) await this.send('');
  }

  /**
   * One simple-protocol string: BEGIN and the lock if not sent yet, the held inserts as one statement (several
   * as WITH clauses), then `tail`. Values go as literals: a string escaped by the driver's escapeLiteral, a value
   * not of its column's kind quoted, so the column's input function refuses it as a bound parameter would be.
   * If a statement fails, PostgreSQL skips the rest of the string and the caller rolls back.
   */
  private async send(tail: string): Promise<void> {
    const parts: string[] = [];
    if (!this.opened) parts.push(this.opening());
    else if (this.lockPending) parts.push(this.lockStatements());
    this.opened = true;
    this.lockPending = false;
    const held = this.held;
    this.held = [];
    // Consecutive inserts as one statement; a held statement of its own between them ends the run.
    let inserts: string[] = [];
    const endRun = () => {
      if (inserts.length > 0) parts.push(inserts.length === 1 ? inserts[0]! : `WITH ${inserts.map((q, i) => `w${i} AS (${q})`).join(', ')} SELECT 1`);
      inserts = [];
    };
    for (const h of held) {
      if (h.sql !== undefined) {
        endRun();
        parts.push(h.sql);
        continue;
      }
      const names = h.columns.map(([n]) => n).join(', ');
      const rows = h.rows.map((r) => `(${h.columns.map(([, type], c) => sqlLiteral(r[c] ?? null, type)).join(', ')})`).join(', ');
      inserts.push(`INSERT INTO ${h.table} (${names}) VALUES ${rows} ${h.conflict}`);
    }
    endRun();
    if (tail) parts.push(tail);
    if (parts.length > 0) await this.client.query(parts.join('; '));
  }
}

/** An index of `transactions` dropped for a bulk load, and how to build it again. */
interface DroppedIndex {
  name: string;
  primary: boolean;
  create: string;
}

class PostgresIngestSession extends StagedIngestSession {
  /** Inside BEGIN … COMMIT/ROLLBACK. */
  private inTransaction = false;
  private released = false;
  /** The connection failed or was left in an unknown state: destroy it rather than return it to the pool. */
  private broken = false;
  /**
   * Bulk mode: the first merge of a large load into an empty `transactions` table drops its indexes and
   * builds them once at commit (several times cheaper than maintaining them row by row). Decided once.
   */
  private bulk: 'undecided' | 'on' | 'off' = 'undecided';
  private dropped: DroppedIndex[] = [];
  /** Rows in stage_tx since the last merge. */
  private stagedTx = 0;
  /** The (source, file, batch) the stage_tx column defaults hold. */
  private txDefaults = '';
  /**
   * Direct load (bulk mode, a new source with unique ids): rows are copied straight into `transactions`,
   * whose constant columns (source, file, batch) are column defaults meanwhile; their accounts are collected
   * here and merged at each merge step. Rows copied since the last merge, and the defaults set.
   */
  private directRows = 0;
  private directDefaults = '';
  /** The defaults the constant columns had before the direct load (null: none). */
  private savedDefaults = new Map<string, string | null>();
  private readonly directSides = new TxAccountSides();
  private directCopy: { stream: ReturnType<typeof copyFrom>; finished: Promise<void>; rows: number; failed: boolean } | undefined;
  /** Records staged while the direct COPY holds the connection. */
  private readonly held: { table: StageTable; columns: StageValue[][]; rows: number }[] = [];
  private readonly onClientError = () => {
    this.broken = true;
  };

  constructor(
    private readonly client: pg.PoolClient,
    info: IngestRunInfo,
    private readonly settings: { mergeEveryRows: number; maintenanceWorkMem: string; bulkMinRows: number },
    private readonly onRelease: () => void,
  ) {
    super(info, settings.mergeEveryRows);
    client.on('error', this.onClientError);
  }

  /** BEGIN, one ingest at a time per database, staging tables that vanish with the transaction. */
  async start(workMem: string): Promise<void> {
    await this.client.query('BEGIN');
    this.inTransaction = true;
    // Concurrent sessions would race on the same keys (unique violations, upsert deadlocks): queue them.
    await this.client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_INGEST]);
    await this.client.query(`SELECT set_config('work_mem', $1, true)`, [workMem]);
    for (const t of ALL_STAGE_TABLES) await this.client.query(`${stageDdl(t)} ON COMMIT DROP`);
    await this.client.query(`CREATE TEMP TABLE ${STAGE_TX_ACCOUNTS} (id VARCHAR, institution VARCHAR, line INTEGER) ON COMMIT DROP`);
  }

  protected override async appendTransactions(batch: IngestBatch, fast: boolean): Promise<void> {
    if (!TX_DIRECT) return super.appendTransactions(batch, fast);
    const tx = batch.transactions;
    if (tx.length === 0) return;
    if (fast && this.bulk === 'on' && this.stagedTx === 0) return this.copyDirect(batch);
    const key = JSON.stringify([tx.source, tx.file, tx.batchId]);
    if (key !== this.txDefaults) {
      await this.exec(
        `ALTER TABLE ${STAGE_TX.name} ALTER COLUMN source SET DEFAULT ${literal(tx.source)}, ALTER COLUMN file SET DEFAULT ${literal(tx.file)},
         ALTER COLUMN batch_id SET DEFAULT ${literal(tx.batchId)}`,
      );
      this.txDefaults = key;
    }
    await this.copy(STAGE_TX.name, TX_COPY_COLUMNS, txCopyChunks(batch), tx.length);
    this.stagedTx += tx.length;
  }

  /**
   * COPY a batch straight into `transactions` (see `directRows`). Only in bulk mode: the session already holds
   * the table exclusively (its indexes are dropped), so the temporary column defaults are seen by no one, and
   * the rows need no staging copy (the primary key, rebuilt at commit, checks the ids once). One COPY in the
   * binary format stays open across batches until the next merge step, so the server converts rows while
   * the reader parses the next ones; other records wait in `held` meanwhile (the connection is busy).
   */
  private async copyDirect(batch: IngestBatch): Promise<void> {
    const tx = batch.transactions;
    const key = JSON.stringify([tx.source, tx.file, tx.batchId]);
    if (key !== this.directDefaults) {
      await this.closeDirectCopy();
      if (this.directDefaults === '') {
        // Whatever defaults the columns had come back before commit (the schema declares none).
        const r = await this.client.query(
          `SELECT a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS expr FROM pg_attribute a
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = 'transactions'::regclass AND a.attname = ANY($1)`,
          [TX_BATCH_CONSTANT],
        );
        this.savedDefaults = new Map((r.rows as Row[]).map((row) => [String(row.name), row.expr === null ? null : String(row.expr)]));
      }
      await this.exec(`ALTER TABLE transactions ${TX_BATCH_CONSTANT.map((c) => `ALTER COLUMN ${c} SET DEFAULT ${literal(c === 'source' ? tx.source : c === 'file' ? tx.file : tx.batchId)}`).join(', ')}`);
      this.directDefaults = key;
    }
    const rows = txBinaryRows(batch);
    if (!this.directCopy) {
      const stream = this.client.query(copyFrom(`COPY transactions (${TX_TABLE_COPY_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`));
      const finished = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      this.directCopy = { stream, finished, rows: 0, failed: false };
      const copy = this.directCopy;
      finished.catch(() => {
        copy.failed = true; // reported by closeDirectCopy
      });
      stream.write(BINARY_HEADER);
    }
    const copy = this.directCopy;
    if (copy.failed) await this.closeDirectCopy();
    copy.rows += tx.length;
    if (!copy.stream.write(rows)) {
      // Wait for the socket to drain, or for the COPY to fail (then closing it reports the error).
      await Promise.race([new Promise<void>((resolve) => copy.stream.once('drain', () => resolve())), copy.finished.catch(() => undefined)]);
    }
    this.directSides.add(batch);
    this.directRows += tx.length;
  }

  /** End the open direct COPY and wait until the server has stored its rows; then the held records go in. */
  private async closeDirectCopy(): Promise<void> {
    const copy = this.directCopy;
    if (!copy) return;
    this.directCopy = undefined;
    copy.stream.end(BINARY_TRAILER);
    try {
      await copy.finished;
    } catch (err) {
      throw new Error(`PostgreSQL: bulk load of ${copy.rows} row(s) into transactions failed: ${describe(err)}`, { cause: err });
    }
    const held = this.held.splice(0, this.held.length);
    for (const h of held) await this.append(h.table, h.columns, h.rows);
  }

  /** Cancel an open direct COPY (the server rolls it back); the connection is usable again afterwards. */
  private async abortDirectCopy(): Promise<void> {
    const copy = this.directCopy;
    if (!copy) return;
    this.directCopy = undefined;
    copy.stream.destroy(new Error('ingest aborted'));
    await copy.finished.catch(() => undefined);
  }

  /** Merge the accounts of the rows copied directly (each file's rows are merged before the next file's). */
  private async mergeDirect(): Promise<number> {
    const rows = this.directRows;
    if (rows === 0) return 0;
    await this.closeDirectCopy();
    const [, file, batchId] = JSON.parse(this.directDefaults) as [string, string, string];
    const sides = this.directSides;
    const chunks: string[] = [];
    let buf = '';
    sides.forEach((id, institution, line) => {
      buf += `${copyText(id)}\t${optText(institution)}\t${line}\n`;
      if (buf.length >= COPY_CHUNK_CHARS) {
        chunks.push(buf);
        buf = '';
      }
    });
    if (buf.length > 0) chunks.push(buf);
    await this.copy(STAGE_TX_ACCOUNTS, ['id', 'institution', 'line'], chunks, sides.size);
    await this.exec(mergeTxAccountsFrom(`(SELECT id, institution, ${literal(file)} AS file, line, ${literal(batchId)} AS batch_id FROM ${STAGE_TX_ACCOUNTS}) a`));
    await this.exec(`TRUNCATE ${STAGE_TX_ACCOUNTS}`);
    sides.clear();
    this.directRows = 0;
    return rows;
  }

  /** Give the columns of `transactions` their own defaults (none) back. */
  private async dropDirectDefaults(): Promise<void> {
    if (this.directDefaults === '') return;
    const restore = TX_BATCH_CONSTANT.map((c) => {
      const expr = this.savedDefaults.get(c);
      return expr ? `ALTER COLUMN ${c} SET DEFAULT ${expr}` : `ALTER COLUMN ${c} DROP DEFAULT`;
    });
    await this.exec(`ALTER TABLE transactions ${restore.join(', ')}`);
    this.directDefaults = '';
  }

  protected async append(table: StageTable, columns: StageValue[][], rows: number): Promise<void> {
    if (rows === 0) return;
    if (this.directCopy) {
      this.held.push({ table, columns, rows });
      return;
    }
    await this.copy(table.name, table.columns.map(([n]) => n), copyChunks(table, columns, rows), rows);
    if (table.name === STAGE_TX.name) this.stagedTx += rows;
  }

  /** COPY text chunks into a stage table, streamed with backpressure (encoding proceeds as the socket drains). */
  private async copy(table: string, columns: readonly string[], chunks: Iterable<string>, rows: number): Promise<void> {
    const stream = this.client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    try {
      await pipeline(Readable.from(chunks), stream);
    } catch (err) {
      throw new Error(`PostgreSQL: bulk load of ${rows} row(s) into ${table} failed: ${describe(err)}`, { cause: err });
    }
  }

  /** Direct loads merge their accounts in larger steps: each step waits for the server to catch up with the COPY. */
  protected override mergeEvery(fast: boolean): number {
    return fast && this.bulk === 'on' ? DIRECT_MERGE_STEPS * super.mergeEvery(fast) : super.mergeEvery(fast);
  }

  protected override async mergeStagedTransactions(fast: boolean): Promise<number> {
    if (this.directRows > 0) return this.mergeDirect();
    if (this.bulk === 'undecided') await this.decideBulk(fast);
    // Deduplicating merges probe the primary key: have it back before they run.
    if (!fast) await this.restoreIndexes(true);
    const inserted = await super.mergeStagedTransactions(fast);
    this.stagedTx = 0;
    return inserted;
  }

  private async decideBulk(fast: boolean): Promise<void> {
    this.bulk = 'off';
    if (this.stagedTx < this.settings.bulkMinRows) return;
    const empty = await this.client.query(`SELECT NOT EXISTS (SELECT 1 FROM transactions) AS empty`);
    if (empty.rows[0]?.empty !== true) return;
    const indexes = await this.client.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_indexdef(i.indexrelid) AS def,
              con.conname, con.contype, pg_get_constraintdef(con.oid) AS condef
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
       WHERE i.indrelid = 'transactions'::regclass
         AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = i.indrelid AND f.conindid = i.indexrelid)`,
    );
    const plan: { drop: string; index: DroppedIndex }[] = [];
    for (const r of indexes.rows as Row[]) {
      const name = String(r.name);
      if (r.contype === 'p') {
        // Kept for deduplicating merges, which probe it; new sources with unique ids are checked once, at rebuild.
        if (!fast) continue;
        const constraint = pg.escapeIdentifier(String(r.conname));
        plan.push({
          drop: `ALTER TABLE transactions DROP CONSTRAINT ${constraint}`,
          index: { name, primary: true, create: `ALTER TABLE transactions ADD CONSTRAINT ${constraint} ${String(r.condef)}` },
        });
      } else if (r.contype === null || r.contype === undefined) {
        plan.push({ drop: `DROP INDEX ${name}`, index: { name, primary: false, create: String(r.def) } });
      }
    }
    if (plan.length === 0) return;
    await this.client.query('SAVEPOINT rastro_bulk');
    try {
      for (const p of plan) await this.client.query(p.drop);
      await this.client.query('RELEASE SAVEPOINT rastro_bulk');
    } catch {
      // Not ours to drop after all (permissions, dependencies): load with the indexes in place.
      await this.client.query('ROLLBACK TO SAVEPOINT rastro_bulk');
      return;
    }
    this.dropped = plan.map((p) => p.index);
    this.bulk = 'on';
  }

  /** Build the indexes dropped for bulk mode (only the primary key when `primaryOnly`). */
  private async restoreIndexes(primaryOnly: boolean): Promise<void> {
    if (this.dropped.length === 0) return;
    await this.client.query(`SELECT set_config('maintenance_work_mem', $1, true)`, [this.settings.maintenanceWorkMem]);
    const left: DroppedIndex[] = [];
    for (const d of this.dropped) {
      if (primaryOnly && !d.primary) {
        left.push(d);
        continue;
      }
      try {
        await this.client.query(d.create);
      } catch (err) {
        throw new Error(`PostgreSQL: rebuilding index ${d.name} after the bulk load failed: ${describe(err)}`, { cause: err });
      }
    }
    this.dropped = left;
  }

  protected async exec(sql: string, params: readonly (string | number | null)[] = []): Promise<number> {
    // Emptying the transaction staging table: TRUNCATE frees its pages, DELETE would keep them until commit.
    const statement = sql.trim() === `DELETE FROM ${STAGE_TX.name}` ? `TRUNCATE ${STAGE_TX.name}` : sql;
    try {
      return (await this.client.query(statement, params as unknown[])).rowCount ?? 0;
    } catch (err) {
      throw new Error(`PostgreSQL ingest step failed: ${sqlSummary(sql)}: ${describe(err)}`, { cause: err });
    }
  }

  protected async sourceIsStored(source: string): Promise<boolean> {
    // In bulk mode the table was empty when this session (the only writer) started filling it, and the
    // base session remembers every source it wrote: an unseen source cannot be stored.
    if (this.bulk === 'on') return false;
    const r = await this.client.query(`SELECT 1 FROM transactions WHERE source = $1 LIMIT 1`, [source]);
    return (r.rowCount ?? 0) > 0;
  }

  protected async commitTransaction(): Promise<void> {
    await this.dropDirectDefaults();
    await this.restoreIndexes(false);
    if (this.bulk === 'on') {
      // Planner statistics for the freshly loaded tables now, rather than whenever autovacuum (if on) gets to them.
      await this.exec('ANALYZE transactions, accounts');
    }
    try {
      await this.client.query('COMMIT');
    } catch (err) {
      throw new Error(`PostgreSQL: committing ingest ${this.info.batchId} failed: ${describe(err)}`, { cause: err });
    }
    this.inTransaction = false;
  }

  protected async rollback(): Promise<void> {
    await this.abortDirectCopy();
    if (!this.inTransaction) return;
    try {
      await this.client.query('ROLLBACK');
      this.inTransaction = false;
    } catch (err) {
      this.broken = true;
      throw err;
    }
  }

  protected async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.abortDirectCopy();
    if (this.inTransaction && !this.broken) {
      await this.client.query('ROLLBACK').then(
        () => {
          this.inTransaction = false;
        },
        () => {
          this.broken = true;
        },
      );
    }
    this.client.removeListener('error', this.onClientError);
    // Staging tables are ON COMMIT DROP (and never exist after ROLLBACK); a connection in doubt is closed.
    this.client.release(this.broken || this.inTransaction);
    this.onRelease();
  }
}
