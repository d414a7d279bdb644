/**
 * The obvious alternative an analyst would write: fan-in, fan-out and cycle checks as SQL over DuckDB, with
 * the engine's default parameters (read from `rastro rules --json`). They do less than the engine: no
 * scoring, no novelty or history, no merging of overlapping findings, no explanation — only the shapes.
 *
 * Each step runs in its own child process (`node dist/bench/sql.js load|query ...`) so its time and peak RSS
 * are its own; the table lives in a DuckDB file between steps. A query is interrupted at its time limit.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { pathToFileURL } from 'node:url';
import { currencyCode } from '../src/model/index.js';

/** What the SQL checks need from the effective rules. */
export interface SqlParams {
  fanIn: { windowHours: number; minCounterparties: number; minAmount: number; includeCards: boolean };
  fanOut: { windowHours: number; minCounterparties: number; minAmount: number; includeCards: boolean };
  cycle: { windowHours: number; minHops: number; maxHops: number; amountTolerance: number; minAmount: number };
  /** Base-currency rate per currency code (the engine's fx table). */
  rates: Record<string, number>;
  /** DuckDB threads (0: DuckDB's default, all cores). */
  threads: number;
}

export type QueryName = 'fan-in' | 'fan-out' | 'cycle';
export const QUERIES: QueryName[] = ['fan-in', 'fan-out', 'cycle'];

export interface StepResult {
  ms: number;
  /** Rows the query returns (counted in SQL, not shipped to JavaScript). */
  rows: number;
  /** What the rows are. */
  unit: string;
  timedOut: boolean;
  threads: number;
  error?: string;
}

const interval = (hours: number): string => `INTERVAL '${Math.round(hours * 3600)} seconds'`;

/**
 * read_csv into `tx` (time, sender, receiver, amount in the base currency, payment format), as an analyst would
 * load the IBM layout; `Is Laundering` is read and dropped, never used. Currency names map to the engine's rates.
 */
async function load(conn: DuckDBConnection, csv: string, rates: Record<string, number>): Promise<number> {
  const path = csv.replace(/'/g, "''");
  await conn.run(`
    CREATE TEMP TABLE raw AS SELECT * FROM read_csv('${path}', header = true, timestampformat = '%Y/%m/%d %H:%M', columns = {
      'ts': 'TIMESTAMP', 'from_bank': 'VARCHAR', 'from_account': 'VARCHAR', 'to_bank': 'VARCHAR', 'to_account': 'VARCHAR',
      'amount_received': 'DOUBLE', 'receiving_currency': 'VARCHAR', 'amount_paid': 'DOUBLE', 'payment_currency': 'VARCHAR',
      'payment_format': 'VARCHAR', 'is_laundering': 'INTEGER'})`);
  const names = (await conn.runAndReadAll(`SELECT DISTINCT payment_currency FROM raw`)).getRows().map((r) => String(r[0]));
  const fx = names.map((n) => `('${n.replace(/'/g, "''")}', ${rates[currencyCode(n) ?? ''] ?? 'NULL'})`);
  await conn.run(`CREATE TEMP TABLE fx(name VARCHAR, rate DOUBLE)`);
  if (fx.length > 0) await conn.run(`INSERT INTO fx VALUES ${fx.join(', ')}`);
  await conn.run(`
    CREATE TABLE tx AS
    SELECT r.ts, r.from_bank || '/' || r.from_account AS src, r.to_bank || '/' || r.to_account AS dst,
           r.amount_paid * fx.rate AS amount, r.payment_format AS format
    FROM raw r LEFT JOIN fx ON fx.name = r.payment_currency`);
  await conn.run(`DROP TABLE raw`);
  const n = (await conn.runAndReadAll(`SELECT count(*) FROM tx`)).getRows()[0]![0];
  return Number(n);
}

/** Accounts with ≥ k distinct counterparties within any window: a distinct count over a sliding time frame. */
function fanSql(p: SqlParams['fanIn'], inbound: boolean): string {
  const [anchor, other] = inbound ? ['dst', 'src'] : ['src', 'dst'];
  return `
    WITH f AS (
      SELECT src, dst, ts FROM tx
      WHERE src <> dst AND amount >= ${p.minAmount}${p.includeCards ? '' : ` AND format <> 'Credit Card'`}
    ), w AS (
      SELECT ${anchor} AS account,
             count(DISTINCT ${other}) OVER (PARTITION BY ${anchor} ORDER BY ts
                                            RANGE BETWEEN ${interval(p.windowHours)} PRECEDING AND CURRENT ROW) AS counterparties
      FROM f
    )
    SELECT account, max(counterparties) AS counterparties FROM w
    WHERE counterparties >= ${p.minCounterparties}
    GROUP BY account`;
}

/**
 * Cycles of minHops..maxHops: a recursive CTE extends every transaction by later transactions of the receiver
 * (strictly increasing times, all within the window from the first hop, each hop within ±tolerance of the
 * previous one, no account twice) until the path returns to its origin.
 */
function cycleSql(p: SqlParams['cycle']): string {
  const hi = 1 + p.amountTolerance;
  return `
    WITH RECURSIVE e AS (
      SELECT src, dst, ts, amount FROM tx WHERE src <> dst AND amount > 0
    ), path(origin, last, first_ts, last_ts, amount, hops, accounts) AS (
      SELECT src, dst, ts, ts, amount, 1, [src, dst] FROM e
      UNION ALL
      SELECT path.origin, e.dst, path.first_ts, e.ts, e.amount, path.hops + 1, list_append(path.accounts, e.dst)
      FROM path JOIN e
        ON e.src = path.last
       AND e.ts > path.last_ts
       AND e.ts <= path.first_ts + ${interval(p.windowHours)}
       AND e.amount BETWEEN path.amount / ${hi} AND path.amount * ${hi}
      WHERE path.hops < ${p.maxHops}
        AND path.last <> path.origin
        AND (e.dst = path.origin OR NOT list_contains(path.accounts, e.dst))
    )
    SELECT origin, accounts, first_ts, last_ts FROM path
    WHERE last = origin AND hops >= ${p.minHops} AND amount >= ${p.minAmount}`;
}

export function querySql(name: QueryName, p: SqlParams): { sql: string; unit: string } {
  if (name === 'fan-in') return { sql: fanSql(p.fanIn, true), unit: 'receivers' };
  if (name === 'fan-out') return { sql: fanSql(p.fanOut, false), unit: 'senders' };
  return { sql: cycleSql(p.cycle), unit: 'cycles' };
}

async function open(db: string, p: SqlParams, readOnly: boolean): Promise<{ conn: DuckDBConnection; threads: number }> {
  const config: Record<string, string> = {};
  if (p.threads > 0) config.threads = String(p.threads);
  if (readOnly) config.access_mode = 'READ_ONLY';
  const instance = await DuckDBInstance.create(db, config);
  const conn = await instance.connect();
  const threads = Number((await conn.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0]![0]);
  return { conn, threads };
}

/** Child entry: `sql.js load <csv> <db> <params.json>` or `sql.js query <db> <name> <params.json> <timeoutMs>`. */
async function main(argv: string[]): Promise<void> {
  const [mode, ...rest] = argv;
  let result: StepResult;
  if (mode === 'load') {
    const [csv, db, params] = rest as [string, string, string];
    const p = JSON.parse(params) as SqlParams;
    const { conn, threads } = await open(db, p, false);
    const started = performance.now();
    const rows = await load(conn, csv, p.rates);
    await conn.run('CHECKPOINT');
    result = { ms: performance.now() - started, rows, unit: 'transactions', timedOut: false, threads };
  } else if (mode === 'query') {
    const [db, name, params, timeout] = rest as [string, QueryName, string, string];
    const p = JSON.parse(params) as SqlParams;
    const { conn, threads } = await open(db, p, true);
    const { sql, unit } = querySql(name, p);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      conn.interrupt();
    }, Number(timeout));
    const started = performance.now();
    try {
      const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM (${sql})`)).getRows()[0]![0]);
      result = { ms: performance.now() - started, rows, unit, timedOut: false, threads };
    } catch (err) {
      result = { ms: performance.now() - started, rows: 0, unit, timedOut, threads, ...(timedOut ? {} : { error: (err as Error).message }) };
    } finally {
      clearTimeout(timer);
    }
  } else {
    throw new Error(`usage: sql.js load <csv> <db> <params.json> | query <db> <name> <params.json> <timeoutMs>`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
  process.exit(0);
}
