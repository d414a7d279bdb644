/**
 * The bulk paths of ingest sessions store exactly what the plain staged path stores: DuckDB's coded Parquet
 * segments (one segment or many), PostgreSQL's direct binary COPY in bulk mode and its staged text COPY.
 * The same batches — every text column holding what COPY and CSV must escape, ids that only look like row
 * numbers, accounts with and without the reader's interned numbers, institutions coming and going, labels and
 * rejects between transaction batches, a deduplicated source, a reload — go through each path, and the
 * tables come out the same, row for row. Plus the pieces: the Parquet writer, row-number ids, the dictionary.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { emptyBatch, type IngestBatch } from '../../src/ingest/reader.js';
import { CHANNELS, TxBatch } from '../../src/model/index.js';
import { DuckDbStore } from '../../src/store/duckdb.js';
import { rowNumber, StageDictionary } from '../../src/store/duckdb-stage.js';
import { parquetParts } from '../../src/store/parquet.js';
import { PostgresStore, type PostgresOptions } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/store.js';

const ADMIN_URL = process.env.RASTRO_TEST_PG;
const pgSkip = ADMIN_URL ? false : 'RASTRO_TEST_PG not set: PostgreSQL paths skipped';
const T0 = Date.UTC(2022, 8, 1);
const dirs: string[] = [];
const databases: string[] = [];

after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  if (ADMIN_URL && databases.length > 0) {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      for (const name of databases) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  }
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'rastro-paths-'));
  dirs.push(d);
  return d;
}

async function pgDatabase(): Promise<string> {
  const name = `rastro_test_${randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  databases.push(name);
  const url = new URL(ADMIN_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Text that COPY (text and binary), CSV and SQL literals must carry unchanged (NUL: stored as U+FFFD everywhere). */
const NASTY = ['tab\there', 'new\nline', 'cr\rlf', 'back\\slash', '\\N', 'quote"d', "apos'trophe", 'comma,semi;', 'ünï €', '😀 emoji', 'nul\u0000byte', '', ' lead', 'trail '];

/** Accounts: plain ids and nasty ones; institution per account (undefined for some, and coming and going for others). */
const ACCOUNTS = [...Array.from({ length: 90 }, (_, j) => `BANK${j % 7}/${(1000 + j).toString(16)}`), ...NASTY.map((s) => `acc ${s}`)];

function institutionOf(j: number, i: number): string | undefined {
  if (j % 11 === 0) return undefined;
  if (j % 13 === 0) return i % 2 === 0 ? undefined : `BANK${j % 7}`; // null on some rows: the same result in any steps
  if (j >= 90) return NASTY[j - 90];
  return `BANK${j % 7}`;
}

/** A reader-style interned numbering of ACCOUNTS (the ref of account j is j). */
const SPACE = { name: 'test interner' };

function ids(i: number): string {
  // Mostly row numbers; some ids that only look like them, or are anything at all (unique within the source).
  switch (i % 41) {
    case 5:
      return `row:0${i}`;
    case 6:
      return `ROW:${i}`;
    case 7:
      return `row:${i}a`;
    case 8:
      return `row: ${i}`;
    case 9:
      return `${NASTY[i % NASTY.length]}#${i}`;
    case 10:
      return `row:${i}.0`;
    default:
      return `row:${i + 1}`;
  }
}

/** Rows of `source`; `plain`: row-number ids, no countries, no conversion (segments of only such rows decode with fewer joins). */
function batchOf(source: string, from: number, to: number, opts: { unique: boolean; refs: boolean; labels?: boolean; rejects?: boolean; plain?: boolean }): IngestBatch {
  const tx = new TxBatch(source, `data/${source}`, 'b-1', to - from);
  for (let i = from; i < to; i++) {
    const f = (i * 7) % ACCOUNTS.length;
    const t = (i * 13 + 5) % ACCOUNTS.length;
    const converted = !opts.plain && i % 5 === 0;
    const amount = i % 97 === 0 ? Number.MAX_SAFE_INTEGER : i % 89 === 0 ? -i : i * 1000 + 7;
    tx.push(
      opts.unique ? (opts.plain ? `row:${i + 1}` : ids(i)) : `B${i % 50}`,
      i % 83 === 0 ? -86_400_000 * i : T0 + i * 60_000,
      ACCOUNTS[f]!,
      ACCOUNTS[t]!,
      amount,
      ['USD', 'EUR', 'MXN', 'JPY', 'XBT'][i % 5]!,
      i % CHANNELS.length,
      i + 2,
      converted ? i * 3 : NaN,
      converted ? ['MXN', 'USD', 'COP'][i % 3] : undefined,
      opts.plain ? undefined : i % 3 === 0 ? 'MX' : i % 3 === 1 ? NASTY[i % NASTY.length] : undefined,
      opts.plain ? undefined : i % 4 === 0 ? 'US' : undefined,
      institutionOf(f, i),
      institutionOf(t, i),
    );
    if (opts.refs && i % 17 !== 0) tx.setRefs(SPACE, tx.length - 1, f, t);
  }
  const batch = { ...emptyBatch(tx, opts.unique) };
  if (opts.labels) {
    for (let i = from; i < to; i += 9) {
      batch.truth.push({ source, transactionId: tx.id[i - from]!, laundering: i % 2 === 0, scheme: i % 4 === 0 ? 'fan-in' : undefined, instance: i % 4 === 0 ? `${i}` : undefined });
    }
  }
  if (opts.rejects) batch.rejects.push({ file: `data/${source}`, line: to + 1, reason: `bad ${NASTY[from % NASTY.length]}`, record: `raw,"${NASTY[to % NASTY.length]}"` });
  return batch;
}

/** Session 1: a new source in uneven batches (with and without refs), then a source that needs deduplication. Session 2: the first again. */
async function load(store: Store): Promise<unknown[]> {
  const counts: unknown[] = [];
  const s1 = await store.beginIngest({ batchId: 'b-1', startedMs: T0, files: ['data/a.csv', 'data/b.csv'] });
  const sizes = [700, 333, 1200, 1, 999, 2048, 17, 1500];
  let at = 0;
  for (const [k, n] of sizes.entries()) {
    await s1.write(batchOf('a.csv', at, at + n, { unique: true, refs: k % 3 !== 2, labels: k % 2 === 0, rejects: k % 3 === 1, plain: k === 2 || k === 5 }));
    at += n;
  }
  await s1.write(batchOf('b.csv', 0, 900, { unique: false, refs: false, labels: true, rejects: true }));
  await s1.write(batchOf('b.csv', 900, 1400, { unique: false, refs: true }));
  counts.push(await s1.commit());
  const s2 = await store.beginIngest({ batchId: 'b-2', startedMs: T0, files: ['data/a.csv'] });
  at = 0;
  for (const [k, n] of sizes.entries()) {
    await s2.write(batchOf('a.csv', at, at + n, { unique: true, refs: true, plain: k === 2 || k === 5 }));
    at += n;
  }
  counts.push(await s2.commit());
  return counts;
}

const TABLES = {
  transactions: 'source, id, time_ms, from_account, to_account, amount_minor, currency, orig_amount_minor, orig_currency, channel, from_country, to_country, file, line, batch_id',
  accounts: 'id, kind, institution, country, currency, name, file, line, batch_id',
  truth_labels: 'source, transaction_id, laundering, scheme, instance',
  rejects: 'batch_id, file, line, reason, record',
  ingest_runs: 'batch_id, transactions_read, transactions_inserted, rejects',
};

/** Every row of the ingest tables as text, sorted in JavaScript (no collation involved). */
function normalise(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.values(r).map((v) => (v === null || v === undefined ? null : String(v))))).sort();
}

async function dumpDuckDb(path: string): Promise<Record<string, string[]>> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    const out: Record<string, string[]> = {};
    for (const [table, cols] of Object.entries(TABLES)) out[table] = normalise((await c.runAndReadAll(`SELECT ${cols} FROM ${table}`)).getRowObjectsJS() as Record<string, unknown>[]);
    return out;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

async function dumpPostgres(url: string): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, string[]> = {};
    for (const [table, cols] of Object.entries(TABLES)) out[table] = normalise((await c.query(`SELECT ${cols} FROM ${table}`)).rows as Record<string, unknown>[]);
    const defaults = await c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'transactions' AND column_default IS NOT NULL`);
    assert.deepEqual(defaults.rows, [], 'no column defaults left on transactions');
    return out;
  } finally {
    await c.end();
  }
}

/** The load's counts on `store` (closed after), and its tables as `dump` reads them then. */
async function loadAndDump(store: Store, dump: () => Promise<Record<string, string[]>>): Promise<{ counts: unknown[]; tables: Record<string, string[]> }> {
  let counts: unknown[];
  try {
    counts = await load(store);
  } finally {
    await store.close();
  }
  return { counts, tables: await dump() };
}

async function viaDuckDb(segmentRows?: number): Promise<{ counts: unknown[]; tables: Record<string, string[]> }> {
  const path = join(await tempDir(), 'p.duckdb');
  return loadAndDump(await DuckDbStore.open(path, segmentRows ? { ingestSegmentRows: segmentRows } : {}), () => dumpDuckDb(path));
}

async function viaPostgres(options: PostgresOptions): Promise<{ counts: unknown[]; tables: Record<string, string[]> }> {
  const url = await pgDatabase();
  return loadAndDump(await PostgresStore.open(url, options), () => dumpPostgres(url));
}

/** PostgreSQL text cannot hold NUL: every path stores U+FFFD there, so the DuckDB tables are compared with that substitution. */
function asPostgresText(tables: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.map((r) => r.replaceAll('\\u0000', '\uFFFD')).sort()]));
}

test('DuckDB: coded segments store the same rows in one segment or in many', async () => {
  const one = await viaDuckDb();
  const many = await viaDuckDb(1000);
  assert.deepEqual(many.counts, one.counts);
  assert.deepEqual(many.tables, one.tables);
  const [first, second] = one.counts as { transactionsRead: number; transactionsInserted: number }[];
  assert.equal(first!.transactionsRead, 6798 + 1400);
  assert.equal(first!.transactionsInserted, 6798 + 50);
  assert.equal(second!.transactionsInserted, 0);
  assert.equal(one.tables.transactions!.length, 6798 + 50);
  // Spot checks on what the coding must not lose.
  const tx = one.tables.transactions!.map((r) => JSON.parse(r) as (string | null)[]);
  const byId = new Map(tx.filter((r) => r[0] === 'a.csv').map((r) => [r[1], r]));
  assert.ok(byId.has('row:1') && byId.has('row:05') && byId.has('ROW:6') && byId.has('row:7a') && byId.has('row: 8') && byId.has('row:10.0'));
  assert.ok([...byId.keys()].some((id) => id!.startsWith('nul\u0000byte#')), 'NUL kept by DuckDB');
  assert.equal(byId.get('row:98')![5], String(Number.MAX_SAFE_INTEGER));
  assert.equal(byId.get('row:89a')![5], '-89');
  assert.equal(byId.get('row:84')![2], String(-86_400_000 * 83));
  assert.deepEqual(byId.get('row:1')!.slice(7, 12), ['0', 'MXN', 'wire', 'MX', 'US']);
  assert.deepEqual(byId.get('row:3')!.slice(7, 12), [null, null, CHANNELS[2], null, null]);
  assert.deepEqual(byId.get('row:2')!.slice(7, 12), [null, null, CHANNELS[1], NASTY[1], null]);
  const accounts = one.tables.accounts!.map((r) => JSON.parse(r) as (string | null)[]);
  assert.equal(accounts.length, ACCOUNTS.length);
  const nasty = accounts.find((a) => a[0] === 'acc tab\there')!;
  assert.deepEqual([nasty[1], nasty[2]], ['bank', 'tab\there']);
  assert.deepEqual(accounts.find((a) => a[0] === ACCOUNTS[0])!.slice(1, 3), ['unknown', null]);
  assert.deepEqual(accounts.find((a) => a[0] === ACCOUNTS[13])!.slice(1, 3), ['bank', 'BANK6'], 'an institution on some rows only is kept');
});

test('PostgreSQL: direct binary COPY (bulk mode) and staged text COPY store what DuckDB stores', { skip: pgSkip }, async () => {
  const duck = asPostgresText((await viaDuckDb(1000)).tables);
  const direct = await viaPostgres({ bulkMinRows: 500, mergeEveryRows: 700 });
  const staged = await viaPostgres({ bulkMinRows: Infinity, mergeEveryRows: 700 });
  assert.deepEqual(direct.counts, staged.counts);
  assert.deepEqual(staged.tables, duck);
  assert.deepEqual(direct.tables, duck);
});

test('within one merge step an account named with two institutions gets the greatest, and its first line', async () => {
  const path = join(await tempDir(), 'i.duckdb');
  const store = await DuckDbStore.open(path);
  try {
    const tx = new TxBatch('i.csv', 'i.csv', 'b', 3);
    tx.push('row:1', T0, 'x', 'y', 1, 'USD', 0, 7, NaN, undefined, undefined, undefined, 'B', undefined);
    tx.push('row:2', T0, 'x', 'y', 1, 'USD', 0, 5, NaN, undefined, undefined, undefined, 'C', 'D');
    tx.push('row:3', T0, 'x', 'y', 1, 'USD', 0, 9, NaN, undefined, undefined, undefined, 'A', undefined);
    tx.setRefs(SPACE, 0, 0, 1);
    tx.setRefs(SPACE, 1, 0, 1);
    tx.setRefs(SPACE, 2, 0, 1);
    const s = await store.beginIngest({ batchId: 'b', startedMs: T0, files: ['i.csv'] });
    await s.write(emptyBatch(tx, true));
    await s.commit();
  } finally {
    await store.close();
  }
  const accounts = (await dumpDuckDb(path)).accounts!.map((r) => JSON.parse(r) as (string | null)[]);
  assert.deepEqual(accounts.map((a) => [a[0], a[1], a[2], a[7]]), [['x', 'bank', 'C', '5'], ['y', 'bank', 'D', '5']]);
});

test('PostgreSQL direct COPY: an abort with the COPY open, a row refused by the encoder or by the server, leave nothing and a usable store', { skip: pgSkip }, async () => {
  const url = await pgDatabase();
  const store = await PostgresStore.open(url, { bulkMinRows: 100, mergeEveryRows: 200 });
  try {
    const s1 = await store.beginIngest({ batchId: 'x', startedMs: T0, files: ['data/a.csv'] });
    await s1.write(batchOf('a.csv', 0, 300, { unique: true, refs: true })); // merged: bulk mode
    await s1.write(batchOf('a.csv', 300, 400, { unique: true, refs: true, labels: true })); // direct COPY, open
    await s1.abort();
    assert.equal((await store.stats()).transactions, 0);

    const s2 = await store.beginIngest({ batchId: 'y', startedMs: T0, files: ['data/a.csv'] });
    await s2.write(batchOf('a.csv', 0, 300, { unique: true, refs: true }));
    const bad = batchOf('a.csv', 300, 310, { unique: true, refs: true });
    bad.transactions.line[3] = 3_000_000_000; // beyond PostgreSQL integer
    await assert.rejects(
      (async () => {
        await s2.write(bad);
        await s2.commit();
      })(),
      /out of range for type integer/,
    );
    await s2.abort();
    assert.equal((await store.stats()).transactions, 0);

    // Refused by the server in the middle of the open COPY (a NULL where the table has NOT NULL).
    const s2b = await store.beginIngest({ batchId: 'y2', startedMs: T0, files: ['data/a.csv'] });
    await s2b.write(batchOf('a.csv', 0, 300, { unique: true, refs: true }));
    const refused = batchOf('a.csv', 300, 310, { unique: true, refs: true });
    (refused.transactions.currency as (string | undefined)[])[3] = undefined;
    await assert.rejects(
      (async () => {
        await s2b.write(refused);
        await s2b.write(batchOf('a.csv', 310, 320, { unique: true, refs: true }));
        await s2b.commit();
      })(),
      /bulk load of \d+ row\(s\) into transactions failed: .*null value/,
    );
    await s2b.abort();
    assert.equal((await store.stats()).transactions, 0);

    const s3 = await store.beginIngest({ batchId: 'z', startedMs: T0, files: ['data/a.csv'] });
    await s3.write(batchOf('a.csv', 0, 300, { unique: true, refs: true }));
    await s3.write(batchOf('a.csv', 300, 1000, { unique: true, refs: true, labels: true, rejects: true }));
    assert.equal((await s3.commit()).transactionsInserted, 1000);
    const stats = await store.stats();
    assert.equal(stats.transactions, 1000);
  } finally {
    await store.close();
  }
  const tables = await dumpPostgres(url);
  assert.equal(tables.rejects!.length, 1);
  assert.ok(tables.truth_labels!.length > 0);
});

test('rowNumber: exactly the ids that are `row:${n}` for a whole n ≥ 1', () => {
  for (const n of [1, 9, 10, 123456, 5136247, 2 ** 53 - 2]) assert.equal(rowNumber(`row:${n}`), n);
  for (const id of ['row:0', 'row:01', 'row:', 'row:-1', 'row:+1', 'row:1.0', 'row:1e3', 'row: 1', 'row:1 ', 'Row:1', 'rows:1', 'row:９', `row:${2 ** 53}`, 'row:99999999999999999999', 'x', '']) {
    assert.equal(rowNumber(id), -1, id);
  }
});

test('the stage dictionary: stable codes, account numbers as codes, the strings each segment used', () => {
  const d = new StageDictionary();
  const a = d.code('EUR');
  assert.equal(d.code('EUR'), a);
  assert.equal(d.frequent('EUR'), a);
  const usd = d.frequent('USD');
  assert.notEqual(usd, a);
  d.prepareRefs(SPACE, 10);
  const x = d.refAccount('acc x', 3, 'BANK');
  assert.equal(d.value(x), 'acc x');
  assert.equal(d.value(d.lastInstitution), 'BANK');
  assert.equal(d.refAccount('acc x', 3, undefined), x);
  assert.equal(d.lastInstitution, -1);
  assert.equal(d.refAccount('acc x', 3, 'BANK'), x);
  assert.equal(d.value(d.lastInstitution), 'BANK');
  const used = d.usedCodes([Int32Array.from([x, -1, a, a, x, usd]), Int32Array.from([a, a, a, a, a, usd])], 5);
  assert.deepEqual(used.sort(), [x, a].sort(), 'only the first rows of each column count');
  assert.deepEqual(d.usedCodes([Int32Array.from([usd, a])], 2).sort(), [usd, a].sort(), 'a new segment ships its codes again');
});

test('the Parquet writer: doubles, integers and UTF-8 strings read back by DuckDB, over several row groups or none', async () => {
  const dir = await tempDir();
  const n = 5000;
  const d = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? -i * 1e12 : i / 8));
  const k = Int32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -i : i * 100_000));
  const s = Array.from({ length: n }, (_, i) => `${NASTY[i % NASTY.length]}${i}`);
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    for (const [rows, groups] of [[n, 1024], [n, n], [1, 10], [0, 10]] as const) {
      const path = join(dir, `t-${rows}-${groups}.parquet`);
      await writeFile(path, Buffer.concat(parquetParts([{ name: 'd', type: 'double', values: d }, { name: 'k', type: 'int32', values: k }, { name: 's', type: 'string', values: s }], rows, groups)));
      const back = (await c.runAndReadAll(`SELECT d, k, s FROM read_parquet('${path}')`)).getRows();
      assert.equal(back.length, rows);
      back.forEach(([bd, bk, bs], i) => {
        assert.equal(bd, d[i]);
        assert.equal(bk, k[i]);
        assert.equal(bs, s[i]);
      });
    }
  } finally {
    c.closeSync();
    instance.closeSync();
  }
});
