/**
 * DuckDB, the embedded default: one file. Ingest stages transactions as Parquet segments that DuckDB reads and
 * decodes on its own threads (duckdb-stage.ts); the investigation store's writes stage their large inserts as
 * Parquet files too, and send the rest with the commit (DuckWriteRunner).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import {
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { IngestBatch } from '../ingest/reader.js';
import type { Alert } from '../model/index.js';
import type { InvestigationStore } from './investigation.js';
import { SqlInvestigationStore, updateFromValues, type ColumnSpec, type ColumnType, type SqlBackend, type SqlRunner } from './investigation-sql.js';
import { Mutex } from './mutex.js';
import { dialectStatement, KEYLESS_IN_DUCKDB, MIGRATIONS } from './schema.js';
import { alertRow, SqlStore, type Row, type SqlParam } from './sql-store.js';
import { parquetParts, type ParquetColumn } from './parquet.js';
import { SEGMENT_ROWS, segmentStatements, STAGE_DICT, StageDictionary, TxSegment } from './duckdb-stage.js';
import { ALL_STAGE_TABLES, stageDdl, type StageTable, type StageType, type StageValue } from './stage.js';
import { StagedIngestSession } from './staged-session.js';
import type { IngestRunInfo, IngestSession } from './store.js';

const DUCK_TYPES: Record<StageType, DuckDBType> = { text: VARCHAR, double: DOUBLE, int: INTEGER, bool: BOOLEAN };
const CHUNK_ROWS = 2048; // DuckDB's vector size

/** Write a file from parts, in order (large parts straight from their buffers, no stream buffering in between). */
async function writeParts(path: string, parts: readonly Buffer[]): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (const part of parts) {
      for (let at = 0; at < part.length; ) at += (await handle.write(part, at, part.length - at)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

export interface DuckDbOptions {
  /** DuckDB memory limit (default 768MB; e.g. '2GB'); larger work spills to disk. */
  memoryLimit?: string;
  threads?: number;
  /** Rows per staged segment of a new source's transactions, one insert each (default SEGMENT_ROWS; tests use small ones). */
  ingestSegmentRows?: number;
}

export class DuckDbStore extends SqlStore {
  readonly kind = 'duckdb' as const;
  private busy = false;
  readonly investigation: InvestigationStore;
  private readonly backend: DuckDbBackend;

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    writeConn: DuckDBConnection,
    private readonly options: DuckDbOptions,
  ) {
    super();
    this.backend = new DuckDbBackend(conn, writeConn, location === ':memory:' ? tmpdir() : dirname(location));
    this.investigation = new SqlInvestigationStore(this.backend);
  }

  static async open(path: string, options: DuckDbOptions = {}): Promise<DuckDbStore> {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const config: Record<string, string> = { memory_limit: options.memoryLimit ?? '768MB', preserve_insertion_order: 'false' };
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(path, config);
    const conn = await instance.connect();
    const store = new DuckDbStore(path, instance, conn, await instance.connect(), options);
    await store.migrate();
    return store;
  }

  private async migrate(): Promise<void> {
    await this.conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ms BIGINT NOT NULL)`);
    const applied = new Set((await this.query(`SELECT version FROM schema_migrations`)).map((r) => Number(r.version)));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await this.conn.run('BEGIN TRANSACTION');
      try {
        for (const s of m.statements) await this.conn.run(dialectStatement(s, 'duckdb'));
        await this.conn.run(`INSERT INTO schema_migrations VALUES ($1, $2, $3)`, [m.version, m.name, Date.now()]);
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK');
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
      }
    }
  }

  protected async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    const reader = await this.conn.runAndReadAll(sql, params as DuckDBValue[]);
    return reader.getRowObjectsJS() as Row[];
  }

  async beginIngest(info: IngestRunInfo): Promise<IngestSession> {
    if (this.busy) throw new Error('another ingest session is open on this DuckDB store');
    this.busy = true;
    try {
      for (const t of ALL_STAGE_TABLES) {
        await this.conn.run(`DROP TABLE IF EXISTS ${t.name}`);
        await this.conn.run(stageDdl(t));
      }
      await this.conn.run('BEGIN TRANSACTION');
    } catch (err) {
      this.busy = false;
      throw err;
    }
    const stageDir = await mkdtemp(join(this.location === ':memory:' ? tmpdir() : dirname(this.location), '.rastro-stage-'));
    return new DuckDbIngestSession(this.conn, info, stageDir, this.options.ingestSegmentRows ?? SEGMENT_ROWS, () => {
      this.busy = false;
    });
  }

  async writeAlerts(alerts: readonly Alert[], batchId: string): Promise<number> {
    if (alerts.length === 0) return 0;
    let inserted = 0;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      // Multi-row statements: one round trip per chunk, not per alert or per implicated account.
      for (let start = 0; start < alerts.length; start += 256) {
        const chunk = alerts.slice(start, start + 256);
        const params: DuckDBValue[] = [];
        const rows: string[] = [];
        for (const a of chunk) {
          const base = params.length;
          params.push(...(alertRow(a, batchId) as DuckDBValue[]));
          rows.push(`(${Array.from({ length: 12 }, (_, i) => `$${base + i + 1}`).join(',')})`);
        }
        const r = await this.conn.run(`INSERT INTO alerts VALUES ${rows.join(',')} ON CONFLICT DO NOTHING`, params);
        inserted += r.rowsChanged;
      }
      const links: DuckDBValue[] = [];
      for (const a of alerts) for (const acc of new Set(a.accounts)) links.push(a.id, acc);
      for (let start = 0; start < links.length; start += 2048) {
        const chunk = links.slice(start, start + 2048);
        const rows: string[] = [];
        for (let i = 0; i < chunk.length; i += 2) rows.push(`($${i + 1},$${i + 2})`);
        await this.conn.run(`INSERT INTO alert_accounts VALUES ${rows.join(',')} ON CONFLICT DO NOTHING`, chunk);
      }
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK');
      throw err;
    }
    return inserted;
  }

  async close(): Promise<void> {
    await this.backend.close();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** Appender chunk types: integers travel as doubles (exact below 2^53) and DuckDB casts them to BIGINT. */
const CHUNK_TYPES: Record<ColumnType, DuckDBType> = { text: VARCHAR, bigint: DOUBLE, double: DOUBLE, bool: BOOLEAN };
/** Rows per literal multi-row statement. */
const LITERAL_CHUNK_ROWS = 500;

/**
 * A text value as the investigation tables keep it: NUL, which PostgreSQL text cannot hold, as U+FFFD on every
 * path (literal, appender, Parquet), so the same input reads back the same in either store at any group size.
 */
function textValue(v: string): string {
  return v.indexOf('\u0000') < 0 ? v : v.replaceAll('\u0000', '\uFFFD');
}

function duckValue(type: ColumnType, v: SqlParam): DuckDBValue {
  if (v === null || v === undefined) return null;
  if (type === 'bigint' || type === 'double') return Number(v);
  return typeof v === 'string' ? textValue(v) : v;
}

/** A value as a DuckDB SQL literal: strings quoted with quotes doubled (DuckDB gives backslashes no meaning), NUL replaced. */
export function sqlLiteral(type: ColumnType, v: SqlParam): string {
  if (v === null || v === undefined) return 'NULL';
  if (type === 'bool') return v === true || v === 'true' ? 'TRUE' : 'FALSE';
  if (type === 'bigint' || type === 'double') {
    const n = Number(v);
    if (!Number.isFinite(n)) return 'NULL';
    return type === 'bigint' ? String(Math.trunc(n)) : String(n);
  }
  return `'${textValue(String(v)).replace(/'/g, "''")}'`;
}

/** Rows from which a bulk insert is staged as a Parquet file that DuckDB reads on its own threads. */
export const DUCK_PARQUET_MIN_ROWS = 2_000;
/** Rows below which an insert goes as held literal SQL (sent with the commit) rather than through the appender. */
const DUCK_APPENDER_MIN_ROWS = 64;

/**
 * Rows of `columns` as a Parquet file's columns, and the SELECT list that turns them back into the table's
 * values: integers travel as doubles (exact below 2^53) and are cast, booleans as 0/1, and a column holding
 * nulls gets a 0/1 null mask beside it (Parquet columns here are all required).
 */
export function parquetRows(columns: readonly ColumnSpec[], rows: readonly SqlParam[][]): { columns: ParquetColumn[]; select: string } {
  const n = rows.length;
  const out: ParquetColumn[] = [];
  const select: string[] = [];
  for (let c = 0; c < columns.length; c++) {
    const [, type] = columns[c]!;
    const name = `c${c}`;
    let mask: Int32Array | undefined;
    let expr: string;
    if (type === 'text') {
      const values = new Array<string>(n);
      for (let r = 0; r < n; r++) {
        const v = rows[r]![c];
        if (v === null || v === undefined) {
          mask ??= new Int32Array(n);
          mask[r] = 1;
          values[r] = '';
        } else values[r] = textValue(typeof v === 'string' ? v : String(v));
      }
      out.push({ name, type: 'string', values });
      expr = name;
    } else if (type === 'bool') {
      const values = new Int32Array(n);
      for (let r = 0; r < n; r++) {
        const v = rows[r]![c];
        if (v === null || v === undefined) {
          mask ??= new Int32Array(n);
          mask[r] = 1;
        } else values[r] = v === true || v === 'true' ? 1 : 0;
      }
      out.push({ name, type: 'int32', values });
      expr = `(${name} <> 0)`;
    } else {
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const v = rows[r]![c];
        if (v === null || v === undefined) {
          mask ??= new Int32Array(n);
          mask[r] = 1;
        } else values[r] = Number(v);
      }
      out.push({ name, type: 'double', values });
      expr = type === 'bigint' ? `CAST(${name} AS BIGINT)` : name;
    }
    if (mask) {
      out.push({ name: `n${c}`, type: 'int32', values: mask });
      expr = `CASE WHEN n${c} = 1 THEN NULL ELSE ${expr} END`;
    }
    select.push(expr);
  }
  return { columns: out, select: select.join(', ') };
}

/** Up to LITERAL_CHUNK_ROWS rows from `start` as a VALUES list of literals. */
function literalRows(columns: readonly ColumnSpec[], rows: readonly SqlParam[][], start: number): string {
  return rows
    .slice(start, start + LITERAL_CHUNK_ROWS)
    .map((r) => `(${columns.map(([, type], c) => sqlLiteral(type, r[c]!)).join(',')})`)
    .join(',\n');
}

/**
 * One write transaction on DuckDB's write connection, in as few trips to DuckDB's thread as it can: statements
 * are held and sent together with the COMMIT (BEGIN too when nothing needed the transaction open before), since
 * every trip waits for the JavaScript thread to come back to it, which under load means waiting for a request's
 * work. Many rows are staged as a Parquet file and inserted by DuckDB on its own threads (the appender costs
 * this thread about 2.5 µs a row of a wide table: a native call per text value); a few rows go as literals;
 * the appender takes the sizes in between.
 */
class DuckWriteRunner implements SqlRunner {
  private held: string[] = [];
  private heldTables = new Set<string>();
  private opened = false;
  readonly staged: string[] = [];

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly backend: DuckDbBackend,
  ) {}

  /** Open the transaction now (before the appender, or a statement whose result is needed). */
  private async begin(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    await this.conn.run('BEGIN TRANSACTION');
  }

  /** Send the held statements (opening the transaction with them if need be). */
  private async flush(): Promise<void> {
    if (this.held.length === 0) return;
    const sql = this.pending('');
    this.held = [];
    this.heldTables.clear();
    await this.conn.run(sql);
  }

  private pending(tail: string): string {
    const parts = this.opened ? [] : ['BEGIN TRANSACTION'];
    this.opened = true;
    parts.push(...this.held);
    if (tail) parts.push(tail);
    return parts.join(';\n');
  }

  private hold(table: string, sql: string): void {
    this.held.push(sql);
    this.heldTables.add(table);
  }

  async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    await this.flush();
    await this.begin();
    return (await this.conn.runAndReadAll(sql, params as DuckDBValue[])).getRowObjectsJS() as Row[];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    await this.flush();
    await this.begin();
    return (await this.conn.run(sql, params as DuckDBValue[])).rowsChanged;
  }

  async insertMany(table: string, columns: readonly ColumnSpec[], rows: readonly SqlParam[][], conflict?: string): Promise<void> {
    if (rows.length === 0) return;
    // Keyless here (see KEYLESS_IN_DUCKDB): nothing to conflict with.
    if (conflict === 'ON CONFLICT DO NOTHING' && KEYLESS_IN_DUCKDB.has(table)) conflict = undefined;
    const names = columns.map(([n]) => n).join(', ');
    if (rows.length >= DUCK_PARQUET_MIN_ROWS) {
      const staged = parquetRows(columns, rows);
      const path = this.backend.stageFile(parquetParts(staged.columns, rows.length, 122_880));
      this.staged.push(path);
      this.hold(table, `INSERT INTO ${table} (${names}) SELECT ${staged.select} FROM read_parquet(${sqlLiteral('text', path)}) ${conflict ?? ''}`);
      return;
    }
    if (conflict || rows.length < DUCK_APPENDER_MIN_ROWS) {
      // Rows as SQL literals: binding parameters costs more than parsing here (measured: 5 upserted rows in one
      // statement take 3 ms as literals, 5 ms as $n parameters, 12 ms as UNNESTed list parameters).
      for (let start = 0; start < rows.length; start += LITERAL_CHUNK_ROWS) {
        this.hold(table, `INSERT INTO ${table} (${names}) VALUES ${literalRows(columns, rows, start)} ${conflict ?? ''}`);
      }
      return;
    }
    // The appender writes at once: statements held for this table go first, and the transaction must be open.
    if (this.heldTables.has(table)) await this.flush();
    await this.begin();
    await this.backend.append(this.conn, table, columns, rows);
  }

  async updateFrom(table: string, keys: readonly ColumnSpec[], set: readonly ColumnSpec[], rows: readonly SqlParam[][]): Promise<void> {
    const columns = [...keys, ...set];
    for (let start = 0; start < rows.length; start += LITERAL_CHUNK_ROWS) {
      this.hold(table, updateFromValues(table, keys, set, literalRows(columns, rows, start)));
    }
  }

  /** Commit, with the held statements in the same trip. */
  async commit(): Promise<void> {
    if (!this.opened && this.held.length === 0) return;
    const sql = this.pending('COMMIT');
    this.held = [];
    this.heldTables.clear();
    await this.conn.run(sql);
  }

  async rollback(): Promise<void> {
    this.held = [];
    this.heldTables.clear();
    if (this.opened) await this.conn.run('ROLLBACK').catch(() => undefined);
  }
}

/**
 * The investigation store's access to DuckDB: reads on the main connection, write transactions one at a
 * time on their own connection (DuckDB's MVCC keeps readers consistent meanwhile), each a DuckWriteRunner.
 */
class DuckDbBackend implements SqlBackend {
  readonly dialect = 'duckdb' as const;
  /** A DuckDB file is opened by one process at a time. */
  readonly sharedWriters = false;
  private readonly lock = new Mutex();
  /** Where staged Parquet files go (made on first use, removed at close). */
  private stageDir: string | undefined;
  private stageSeq = 0;

  constructor(
    private readonly readConn: DuckDBConnection,
    private readonly writeConn: DuckDBConnection,
    private readonly stageParent: string,
  ) {}

  async query(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return (await this.readConn.runAndReadAll(sql, params as DuckDBValue[])).getRowObjectsJS() as Row[];
  }

  /** After the writes in flight. */
  close(): Promise<void> {
    return this.lock.run(async () => {
      this.dropAppenders();
      this.writeConn.closeSync();
      if (this.stageDir) await rm(this.stageDir, { recursive: true, force: true });
      this.stageDir = undefined;
    });
  }

  /**
   * A new staged file holding `parts`, written synchronously (a few MB into the page cache: less than the trips
   * an asynchronous write would wait for). Each file name is used once: DuckDB may cache what it read of a file.
   */
  stageFile(parts: readonly Buffer[]): string {
    this.stageDir ??= mkdtempSync(join(this.stageParent, '.rastro-write-'));
    const path = join(this.stageDir, `w${++this.stageSeq}.parquet`);
    const fd = openSync(path, 'w');
    try {
      for (const part of parts) for (let at = 0; at < part.length; ) at += writeSync(fd, part, at, part.length - at);
    } finally {
      closeSync(fd);
    }
    return path;
  }

  /**
   * Appenders of the write connection, one per table, kept across transactions: creating one is a trip to
   * DuckDB's thread, and a group commit of a few rows would pay it per table (measured: 2 of its 6 trips).
   * Rows appended inside a transaction commit or roll back with it.
   */
  private readonly appenders = new Map<string, DuckDBAppender>();

  private async appenderFor(conn: DuckDBConnection, table: string): Promise<DuckDBAppender> {
    let a = this.appenders.get(table);
    if (!a) {
      a = await conn.createAppender(table);
      this.appenders.set(table, a);
    }
    return a;
  }

  private dropAppenders(): void {
    for (const a of this.appenders.values()) {
      try {
        a.closeSync();
      } catch {
        // closing flushes what it still holds; a failed appender's rows are discarded with it
      }
    }
    this.appenders.clear();
  }

  /** Rows through the table's appender, whole data chunks at a time; the caller has the transaction open. */
  async append(conn: DuckDBConnection, table: string, columns: readonly ColumnSpec[], rows: readonly SqlParam[][]): Promise<void> {
    // The appender fills every column of the table in order: callers pass the full column list.
    const types = columns.map(([, t]) => CHUNK_TYPES[t]);
    const appender = await this.appenderFor(conn, table);
    let ok = false;
    try {
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows.length - start);
        const chunk = DuckDBDataChunk.create(types, n);
        for (let c = 0; c < columns.length; c++) {
          const type = columns[c]![1];
          const values = new Array<DuckDBValue>(n);
          for (let r = 0; r < n; r++) values[r] = duckValue(type, rows[start + r]![c]!);
          chunk.setColumnValues(c, values);
        }
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
      ok = true;
    } finally {
      // An appender that failed keeps the rows it could not write: it is closed, not reused.
      if (!ok) this.dropAppenders();
    }
  }

  write<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      const runner = new DuckWriteRunner(this.writeConn, this);
      try {
        const result = await fn(runner);
        await runner.commit();
        return result;
      } catch (err) {
        this.dropAppenders();
        await runner.rollback();
        throw err;
      } finally {
        for (const path of runner.staged) rmSync(path, { force: true });
      }
    });
  }
}

/**
 * Transactions are staged as segments of coded columns (see duckdb-stage.ts) written as Parquet files, and
 * loaded by DuckDB's own parallel reader while the readers go on parsing the next segment: the database work
 * (decoding, storing) runs on DuckDB's threads, overlapped with JavaScript, and the JavaScript thread does a
 * few array writes per row. (Both the row appender, ~30 ns a value on this thread, and CSV staging, text built
 * here then parsed there, cost several times more, measured.) Small record kinds are buffered and go through
 * the appender when the connection is free.
 */
class DuckDbIngestSession extends StagedIngestSession {
  private readonly types = new Map<string, DuckDBType[]>(ALL_STAGE_TABLES.map((t) => [t.name, t.columns.map(([, ty]) => DUCK_TYPES[ty])]));
  private readonly buffered = new Map<string, StageValue[][]>();
  private readonly dictionary = new StageDictionary();
  private segment: TxSegment | undefined;
  /** The last segment written, whose arrays the next one reuses. */
  private written: TxSegment | undefined;
  private segmentNo = 0;
  /** The background load of the previous segment: resolves to rows inserted. */
  private pending: Promise<number> | undefined;
  /** Rows inserted by finished background loads, not yet reported to the base session. */
  private insertedUnreported = 0;

  constructor(
    private readonly conn: DuckDBConnection,
    info: IngestRunInfo,
    private readonly stageDir: string,
    private readonly segmentRows: number,
    private readonly onRelease: () => void,
  ) {
    super(info);
  }

  /**
   * Copies (new sources) in large inserts (see SEGMENT_ROWS). Deduplicating merges keep the default steps: they
   * insert few rows, and their anti-joins hold a step in memory (5 M duplicates measured: 200,000-row steps
   * 0.8 GB peak RSS, 500,000 and 1,000,000 both 1.6 GB for a 10–25 % shorter run).
   */
  protected override mergeEvery(fast: boolean): number {
    return fast ? this.segmentRows : super.mergeEvery(fast);
  }

  protected async append(table: StageTable, columns: StageValue[][], rows: number): Promise<void> {
    if (rows === 0) return;
    const held = this.buffered.get(table.name);
    if (!held) this.buffered.set(table.name, columns.map((c) => c.slice(0, rows)));
    else for (let c = 0; c < columns.length; c++) for (let r = 0; r < rows; r++) held[c]!.push(columns[c]![r]!);
  }

  /** Append buffered small records through the appender; the connection must be idle. */
  private async flushBuffered(): Promise<void> {
    for (const [name, columns] of this.buffered) {
      const rows = columns[0]!.length;
      const types = this.types.get(name)!;
      const appender = await this.conn.createAppender(name, null, 'temp');
      try {
        for (let start = 0; start < rows; start += CHUNK_ROWS) {
          const n = Math.min(CHUNK_ROWS, rows - start);
          const chunk = DuckDBDataChunk.create(types, n);
          for (let c = 0; c < columns.length; c++) chunk.setColumnValues(c, columns[c]!.slice(start, start + n) as DuckDBValue[]);
          appender.appendDataChunk(chunk);
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    }
    this.buffered.clear();
  }

  protected override async appendTransactions(batch: IngestBatch, _fast: boolean): Promise<void> {
    const { source, file, batchId } = batch.transactions;
    if (!this.segment) {
      this.segment = new TxSegment(this.dictionary, source, file, batchId, this.written);
      this.written = undefined;
    }
    this.segment.add(batch);
  }

  protected override async mergeStagedTransactions(fast: boolean): Promise<number> {
    const segment = this.segment;
    this.segment = undefined;
    if (!segment || segment.rows === 0) return 0;
    const no = ++this.segmentNo;
    const rowsPath = join(this.stageDir, `tx-${no}.parquet`);
    const dictPath = join(this.stageDir, `tx-${no}-dict.parquet`);
    await writeParts(dictPath, segment.dictionaryFile());
    await writeParts(rowsPath, segment.rowsFile());
    this.written = segment;
    await this.waitForLoad();
    await this.flushBuffered();
    this.pending = this.loadSegment(segment, rowsPath, dictPath, fast);
    // Keep an unobserved failure from crashing the process; it is rethrown by waitForLoad().
    this.pending.catch(() => undefined);
    return this.takeInserted();
  }

  private async loadSegment(segment: TxSegment, rowsPath: string, dictPath: string, fast: boolean): Promise<number> {
    const sql = segmentStatements(rowsPath, dictPath, fast, segment.shape);
    await this.conn.run(sql.dictionary);
    const inserted = (await this.conn.run(sql.transactions, [segment.source, segment.file, segment.batchId])).rowsChanged;
    await this.conn.run(sql.accounts, [segment.file, segment.batchId]);
    await rm(rowsPath, { force: true });
    await rm(dictPath, { force: true });
    return inserted;
  }

  private async waitForLoad(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.insertedUnreported += await pending;
  }

  private takeInserted(): number {
    const n = this.insertedUnreported;
    this.insertedUnreported = 0;
    return n;
  }

  protected override async settle(): Promise<number> {
    await this.waitForLoad();
    await this.flushBuffered();
    return this.takeInserted();
  }

  protected async exec(sql: string, params: readonly (string | number | null)[] = []): Promise<number> {
    return (await this.conn.run(sql, params as DuckDBValue[])).rowsChanged;
  }

  protected async sourceIsStored(source: string): Promise<boolean> {
    await this.waitForLoad();
    const reader = await this.conn.runAndReadAll(`SELECT 1 AS hit FROM transactions WHERE source = $1 LIMIT 1`, [source]);
    return reader.currentRowCount > 0;
  }

  protected async commitTransaction(): Promise<void> {
    await this.conn.run('COMMIT');
  }

  protected async rollback(): Promise<void> {
    await this.conn.run('ROLLBACK');
  }

  protected async release(): Promise<void> {
    this.segment = undefined;
    await this.conn.run(`DROP TABLE IF EXISTS ${STAGE_DICT}`).catch(() => undefined);
    for (const t of ALL_STAGE_TABLES) await this.conn.run(`DROP TABLE IF EXISTS ${t.name}`).catch(() => undefined);
    await rm(this.stageDir, { recursive: true, force: true });
    this.onRelease();
  }
}
