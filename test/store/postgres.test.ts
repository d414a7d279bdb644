/**
 * PostgreSQL-specific behaviour of the store (the shared contract suite covers the rest).
 * Runs when RASTRO_TEST_PG holds an admin URL; each run works in a fresh database it drops at the end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { emptyBatch, type IngestBatch } from '../../src/ingest/reader.js';
import { TxBatch, channelIndex, type Account, type Alert, type Party, type Transaction } from '../../src/model/index.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { PostgresStore, redactUrl } from '../../src/store/postgres.js';
import { checkChain, startChainCheck } from '../../src/store/index.js';

const ADMIN_URL = process.env.RASTRO_TEST_PG;
const skip = ADMIN_URL ? false : 'RASTRO_TEST_PG not set: PostgreSQL tests skipped';
const created: string[] = [];
let dbUrl = '';

function urlFor(db: string): string {
  const u = new URL(ADMIN_URL!);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = ADMIN_URL!): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `rastro_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  created.push(name);
  return urlFor(name);
}

before(async () => {
  if (ADMIN_URL) dbUrl = await freshDatabase();
});

after(async () => {
  if (!ADMIN_URL) return;
  for (const name of created) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

const sql = <T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  admin(async (c) => (await c.query<T>(text, params)).rows, dbUrl);

function batchOf(tx: TxBatch, extra: Partial<IngestBatch> = {}): IngestBatch {
  return { ...emptyBatch(tx), ...extra };
}

/** Everything COPY text format must escape, plus what it must leave alone. */
const NASTY = [
  'tab\there',
  'line\nfeed',
  'carriage\rreturn\r\n',
  'back\\slash\\',
  '\\N',
  '\\.',
  '\\',
  'quotes "double" \'single\'',
  'unicode ñ 中文 🚀 é\u200b',
  '{braces},[brackets];semi',
  '',
  ' spaced\t\t',
];
const pick = (i: number): string => NASTY[i % NASTY.length]!;

test('COPY text format: tabs, newlines, backslashes, quotes and unicode in every text column round-trip exactly', { skip }, async () => {
  const store = await PostgresStore.open(dbUrl);
  try {
    const source = `src\t"${pick(3)}\n`;
    const file = 'dir\\sub\tname\n.csv';
    const batchId = 'batch\r\\N 🚀';
    const tx = new TxBatch(source, file, batchId);
    const amounts = [0, -1, 12345, 9_007_199_254_740_991, -9_007_199_254_740_991, 1e18];
    const expected: Transaction[] = [];
    for (let i = 0; i < NASTY.length; i++) {
      const id = `id ${i} ${pick(i)}`;
      const from = `from ${pick(i)}`;
      const to = `to ${pick(i + 1)}`;
      const timeMs = i % 2 === 0 ? -86_400_000 * (i + 1) : 1_700_000_000_000 + i;
      const amount = amounts[i % amounts.length]!;
      const orig = i % 3 === 0 ? NaN : amount * 2;
      tx.push(id, timeMs, from, to, amount, pick(i + 2), channelIndex('wire'), i + 2, orig, pick(i + 3), pick(i + 4), pick(i + 5), pick(i + 6), pick(i + 7));
      const t: Transaction = {
        id,
        source,
        timeMs,
        fromAccount: from,
        toAccount: to,
        amountMinor: amount,
        currency: pick(i + 2),
        channel: 'wire',
        provenance: { file, line: i + 2, batch: batchId },
        fromCountry: pick(i + 4),
        toCountry: pick(i + 5),
      };
      if (!Number.isNaN(orig)) t.originalAmountMinor = orig;
      t.originalCurrency = pick(i + 3);
      expected.push(t);
    }
    const prov = { file, line: 7, batch: batchId };
    const account: Account = { id: `acct ${pick(0)}${pick(1)}${pick(3)}`, kind: 'bank', institution: pick(8), country: pick(1), currency: pick(2), name: pick(7), provenance: prov };
    const party: Party = {
      id: `party ${pick(4)}${pick(5)}`,
      kind: 'person',
      name: pick(8) + pick(0),
      country: pick(2),
      birthDate: pick(3),
      identifiers: [{ type: pick(0), value: pick(1) + pick(3) + pick(7) }],
      provenance: prov,
    };
    const batch = batchOf(tx, {
      accounts: [account],
      parties: [party],
      links: [{ partyId: party.id, accountId: account.id, role: pick(9) + pick(2), provenance: prov }],
      reports: [
        {
          id: `rep ${pick(0)}`,
          format: pick(1),
          reportCode: pick(3),
          reportingEntity: pick(8),
          entityReference: pick(4),
          submittedMs: 1_700_000_000_123,
          currency: pick(5),
          reason: pick(7),
          action: pick(9),
          indicators: [pick(0), pick(3)],
          transactionIds: [expected[0]!.id],
          partyIds: [party.id],
          accountIds: [account.id],
          provenance: prov,
        },
      ],
      truth: [{ source, transactionId: expected[1]!.id, laundering: true, scheme: pick(2), instance: pick(6) }],
      rejects: [
        { file, line: 3, reason: pick(0) + pick(1), record: NASTY.join('|') },
        { file, line: 4, reason: 'NUL byte', record: 'bin\0ary' },
      ],
    });

    const session = await store.beginIngest({ batchId, startedMs: 1, files: [file] });
    await session.write(batch);
    const counts = await session.commit();
    assert.equal(counts.transactionsInserted, NASTY.length);

    for (const t of expected) {
      const got = await store.transactionsOfAccount(t.fromAccount);
      assert.deepEqual(got, [t], `transaction ${JSON.stringify(t.id)}`);
      const detail = await store.account(t.fromAccount);
      assert.equal(detail?.account.institution, pick(expected.indexOf(t) + 6), `institution of ${JSON.stringify(t.fromAccount)}`);
      assert.equal((await store.account(t.toAccount))?.account.institution, pick(expected.indexOf(t) + 7));
    }

    const detail = await store.account(account.id);
    assert.deepEqual(detail, { account, parties: [{ party, role: pick(9) + pick(2) }] });

    const [report] = await sql(`SELECT * FROM reports`);
    assert.deepEqual(
      [report?.id, report?.format, report?.report_code, report?.reporting_entity, report?.entity_reference, report?.currency, report?.reason, report?.action],
      [`rep ${pick(0)}`, pick(1), pick(3), pick(8), pick(4), pick(5), pick(7), pick(9)],
    );
    assert.equal(report?.submitted_ms, '1700000000123');
    assert.deepEqual(JSON.parse(String(report?.indicators)), [pick(0), pick(3)]);
    assert.equal(report?.source, source);
    const links = await sql(`SELECT kind, ref FROM report_links ORDER BY kind`);
    assert.deepEqual(links, [
      { kind: 'account', ref: account.id },
      { kind: 'party', ref: party.id },
      { kind: 'transaction', ref: `${source}|${expected[0]!.id}` },
    ]);
    assert.deepEqual(await sql(`SELECT * FROM truth_labels`), [
      { source, transaction_id: expected[1]!.id, laundering: true, scheme: pick(2), instance: pick(6) },
    ]);

    const rejects = await store.rejects({ batchId });
    assert.deepEqual(rejects, [
      { batchId, file, line: 3, reason: pick(0) + pick(1), record: NASTY.join('|') },
      // PostgreSQL text cannot hold NUL: it is stored as U+FFFD rather than failing the whole run.
      { batchId, file, line: 4, reason: 'NUL byte', record: 'bin\uFFFDary' },
    ]);
    const [run] = await sql(`SELECT files FROM ingest_runs WHERE batch_id = $1`, [batchId]);
    assert.deepEqual(JSON.parse(String(run?.files)), [file]);
  } finally {
    await store.close();
  }
});

test('COPY of many rows: chunks across the stream, every row once, amounts exact', { skip }, async () => {
  const store = await PostgresStore.open(dbUrl);
  try {
    const rows = 20_000;
    const session = await store.beginIngest({ batchId: 'many', startedMs: 1, files: ['many.csv'] });
    let expectedSum = 0;
    for (let start = 0; start < rows; start += 8192) {
      const tx = new TxBatch('many-source', 'many.csv', 'many');
      for (let i = start; i < Math.min(rows, start + 8192); i++) {
        const amount = i * 1_000_003;
        expectedSum += amount;
        tx.push(`row:${i}`, 1_600_000_000_000 + i * 1000, `A${i % 97}`, `B${i % 89}\t${i % 3}`, amount, 'USD', channelIndex('ach'), i + 2);
      }
      await session.write({ ...batchOf(tx), uniqueIds: true });
    }
    const counts = await session.commit();
    assert.equal(counts.transactionsRead, rows);
    assert.equal(counts.transactionsInserted, rows);
    const [agg] = await sql(`SELECT COUNT(*) AS n, SUM(amount_minor) AS s, COUNT(DISTINCT to_account) AS tos FROM transactions WHERE source = 'many-source'`);
    assert.deepEqual(agg, { n: String(rows), s: String(expectedSum), tos: String(89 * 3) });
  } finally {
    await store.close();
  }
});

test('migrations: applied once with the PostgreSQL indexes; re-opening (also concurrently) is a no-op', { skip }, async () => {
  const url = await freshDatabase();
  // Two processes starting at once: the advisory lock lets one migrate, the other finds the work done.
  const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)]);
  await Promise.all([a.close(), b.close()]);
  const rowsOf = () => admin(async (c) => (await c.query(`SELECT version, name, applied_ms FROM schema_migrations ORDER BY version`)).rows, url);
  const first = await rowsOf();
  assert.deepEqual(
    first.map((r) => [r.version, r.name]),
    MIGRATIONS.map((m) => [m.version, m.name]),
  );
  const indexes = await admin(async (c) => (await c.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()`)).rows.map((r) => String(r.indexdef)), url);
  for (const want of [
    'transactions USING btree (source, id)',
    'transactions USING btree (from_account, time_ms)',
    'transactions USING btree (to_account, time_ms)',
    'alerts USING btree (typology)',
    'alerts USING btree (score)',
    'alert_accounts USING btree (account)',
    'rejects USING btree (batch_id)',
  ]) {
    assert.ok(indexes.some((d) => d.includes(want)), `index on ${want}`);
  }

  const store = await PostgresStore.open(url);
  const tx = new TxBatch('keep', 'keep.csv', 'keep-1');
  tx.push('1', 1000, 'A', 'B', 5, 'EUR', channelIndex('wire'), 2);
  const session = await store.beginIngest({ batchId: 'keep-1', startedMs: 1, files: ['keep.csv'] });
  await session.write(batchOf(tx));
  await session.commit();
  await store.close();

  const again = await PostgresStore.open(url);
  try {
    assert.deepEqual(await rowsOf(), first, 'schema_migrations unchanged');
    assert.equal((await again.stats()).transactions, 1, 'data kept');
  } finally {
    await again.close();
  }
});

test('location hides the password, in the store and in connection errors', { skip }, async () => {
  const u = new URL(dbUrl);
  u.username = u.username || 'postgres';
  u.password = 's3cr:et@pw';
  // trust authentication: the server never asks for the password, so the connection succeeds.
  const store = await PostgresStore.open(u.toString());
  try {
    assert.ok(!store.location.includes('s3cr'), store.location);
    assert.ok(store.location.includes(':***@'), store.location);
    assert.ok(store.location.includes(u.host) && store.location.endsWith(u.pathname), store.location);
  } finally {
    await store.close();
  }
  await assert.rejects(PostgresStore.open('postgres://rastro:hunter2@127.0.0.1:1/nowhere'), (err: Error) => {
    assert.ok(!err.message.includes('hunter2'), err.message);
    assert.match(err.message, /postgres:\/\/rastro:\*\*\*@127\.0\.0\.1:1\/nowhere/);
    return true;
  });
});

test('redactUrl: userinfo, password parameter, unparseable URLs, nothing to hide', () => {
  assert.equal(redactUrl('postgres://u:pw@h:5432/db'), 'postgres://u:***@h:5432/db');
  assert.equal(redactUrl('postgresql://h/db?sslmode=require&password=pw'), 'postgresql://h/db?sslmode=require&password=***');
  assert.equal(redactUrl('postgres://u@h/db'), 'postgres://u@h/db');
  assert.ok(!redactUrl('postgres://u:p w%zz@[bad/db').includes('p w'));
});

test('a failed session rolls back everything, merged or staged, and leaves the connection clean', { skip }, async () => {
  const url = await freshDatabase();
  // Merges every 2 rows, so rows reach the real tables before the failure.
  const store = await PostgresStore.open(url, { mergeEveryRows: 2, poolSize: 1 });
  try {
    const session = await store.beginIngest({ batchId: 'bad', startedMs: 1, files: ['bad.csv'] });
    const good = new TxBatch('s', 'bad.csv', 'bad');
    for (let i = 0; i < 5; i++) good.push(`t${i}`, 1000 + i, `A${i}`, `B${i}`, 100, 'USD', channelIndex('wire'), i + 2);
    await session.write(batchOf(good, { accounts: [{ id: 'A0', kind: 'bank', name: 'x', provenance: { file: 'bad.csv', line: 2, batch: 'bad' } }] }));
    const bad = new TxBatch('s', 'bad.csv', 'bad');
    bad.push('t9', 2000, 'A9', 'B9', Infinity, 'USD', channelIndex('wire'), 20); // out of BIGINT range at merge
    bad.push('t10', 2000, 'A10', 'B10', 1, 'USD', channelIndex('wire'), 21);
    await assert.rejects(session.write(batchOf(bad)), /PostgreSQL ingest step failed: INSERT INTO transactions.*out of range/);
    await session.abort();

    const counts = await admin(
      async (c) =>
        (await c.query(`SELECT (SELECT COUNT(*) FROM transactions) AS t, (SELECT COUNT(*) FROM accounts) AS a, (SELECT COUNT(*) FROM ingest_runs) AS r`)).rows[0],
      url,
    );
    assert.deepEqual(counts, { t: '0', a: '0', r: '0' });

    // Abort after writing, without any error: nothing stays either.
    const aborted = await store.beginIngest({ batchId: 'aborted', startedMs: 1, files: ['bad.csv'] });
    await aborted.write(batchOf(good));
    await aborted.abort();
    assert.equal((await store.stats()).transactions, 0);

    // The single pooled connection is reused: its staging tables start empty, the next run is whole.
    const retry = await store.beginIngest({ batchId: 'retry', startedMs: 1, files: ['bad.csv'] });
    await retry.write(batchOf(good));
    const result = await retry.commit();
    assert.equal(result.transactionsInserted, 5);
    const stats = await store.stats();
    assert.equal(stats.transactions, 5);
    assert.equal(stats.accounts, 10);

    // Closing the store with a session still open rolls it back instead of waiting for it.
    const open = await store.beginIngest({ batchId: 'left-open', startedMs: 1, files: ['open.csv'] });
    const more = new TxBatch('other', 'open.csv', 'left-open');
    more.push('x', 1, 'C', 'D', 1, 'USD', channelIndex('cash'), 2);
    await open.write(batchOf(more));
  } finally {
    await store.close();
  }
  const reopened = await PostgresStore.open(url);
  try {
    assert.equal((await reopened.stats()).transactions, 5);
  } finally {
    await reopened.close();
  }
});

test('concurrent ingest sessions are serialised: the same rows land once', { skip }, async () => {
  const url = await freshDatabase();
  const store = await PostgresStore.open(url, { poolSize: 3 });
  try {
    const batch = () => {
      const tx = new TxBatch('same', 'same.csv', 'c');
      for (let i = 0; i < 100; i++) tx.push(`row:${i}`, 1000 + i, `A${i % 7}`, `B${i % 5}`, i, 'USD', channelIndex('card'), i + 2);
      return { ...batchOf(tx), uniqueIds: true };
    };
    const first = await store.beginIngest({ batchId: 'c1', startedMs: 1, files: ['same.csv'] });
    const secondStarting = store.beginIngest({ batchId: 'c2', startedMs: 2, files: ['same.csv'] });
    await first.write(batch());
    const a = await first.commit();
    const second = await secondStarting;
    await second.write(batch());
    const b = await second.commit();
    assert.equal(a.transactionsInserted, 100);
    assert.equal(b.transactionsInserted, 0);
    assert.equal(b.duplicates, 100);
    assert.equal((await store.stats()).transactions, 100);
  } finally {
    await store.close();
  }
});

test('writeAlerts: JSON and text with quotes, backslashes and braces survive the array path; re-writing inserts nothing', { skip }, async () => {
  const store = await PostgresStore.open(dbUrl);
  try {
    const alerts: Alert[] = Array.from({ length: 1500 }, (_, i) => ({
      id: `alert-${i}-${pick(i)}`,
      typology: i % 2 ? 'fan-in' : 'structuring',
      score: (i % 100) / 100,
      factors: [{ name: `f "${pick(i + 1)}" {x}`, value: i + 0.5, weight: 0.25 }],
      accounts: [`acc ${pick(i)}`, `acc ${pick(i + 3)}`, `acc ${pick(i)}`],
      transactions: [`t,${i}`, `t\\${i}`],
      fromMs: 1_700_000_000_000 + i,
      toMs: 1_700_000_100_000 + i,
      amountMinor: 9_007_199_254_740_991 - i,
      currency: 'USD',
      explanation: `${pick(i + 2)} NULL {} "q" \\`,
    }));
    assert.equal(await store.writeAlerts(alerts, 'alerts-1'), 1500);
    assert.equal(await store.writeAlerts(alerts.slice(0, 10), 'alerts-2'), 0);
    const got = await store.alerts({ typology: 'structuring', limit: 10_000 });
    const want = alerts.filter((a) => a.typology === 'structuring');
    const byId = new Map(got.map((a) => [a.id, a]));
    assert.equal(got.length, want.length);
    for (const a of want) assert.deepEqual(byId.get(a.id), a);
    const one = alerts[7]!;
    assert.deepEqual(
      (await store.alerts({ account: one.accounts[1]!, limit: 10_000 })).some((a) => a.id === one.id),
      true,
    );
    const [links] = await sql(`SELECT COUNT(*) AS n FROM alert_accounts WHERE alert_id = $1`, [one.id]);
    assert.equal(links?.n, String(new Set(one.accounts).size));
  } finally {
    await store.close();
  }
});

test('bulk mode: a large load into an empty table drops the indexes, builds them at commit, and checks the key', { skip }, async () => {
  const url = await freshDatabase();
  const store = await PostgresStore.open(url, { bulkMinRows: 1000, mergeEveryRows: 2000 });
  const q = (text: string, params: unknown[] = []) => admin(async (c) => (await c.query(text, params)).rows, url);
  const indexDefs = async () => (await q(`SELECT indexdef FROM pg_indexes WHERE tablename = 'transactions' ORDER BY indexname`)).map((r) => String(r.indexdef));
  const exclusiveLock = async () =>
    (await q(`SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'transactions' AND l.mode = 'AccessExclusiveLock'`)).length > 0;
  const rows = (source: string, from: number, to: number, uniqueIds = true): IngestBatch => {
    const tx = new TxBatch(source, `${source}.csv`, 'bulk', to - from);
    for (let i = from; i < to; i++) tx.push(`row:${i}`, 1000 + i, `A${i % 50}`, `B${i % 40}`, i, 'USD', channelIndex('ach'), i + 2);
    return { ...batchOf(tx), uniqueIds };
  };
  try {
    const before = await indexDefs();
    assert.equal(before.length, 3);

    // A duplicate id despite uniqueIds: found when the primary key is built, and nothing stays.
    const bad = await store.beginIngest({ batchId: 'bulk-bad', startedMs: 1, files: ['dup.csv'] });
    await bad.write(rows('dup', 0, 1500));
    await bad.write(rows('dup', 1499, 2500));
    assert.equal(await exclusiveLock(), true, 'bulk mode holds the table');
    await assert.rejects(bad.commit(), /rebuilding index .*transactions_pkey.*(duplicate|unique)/i);
    assert.deepEqual(await indexDefs(), before);
    assert.equal((await store.stats()).transactions, 0);

    // Unique rows, then a source that needs deduplication in the same session: the key comes back first.
    const session = await store.beginIngest({ batchId: 'bulk', startedMs: 1, files: ['a.csv', 'b.csv'] });
    await session.write(rows('a', 0, 2500));
    assert.equal(await exclusiveLock(), true);
    await session.write(rows('b', 0, 1200, false));
    await session.write(rows('b', 600, 1800, false)); // 600 repeated ids
    const counts = await session.commit();
    assert.equal(counts.transactionsRead, 2500 + 1200 + 1200);
    assert.equal(counts.transactionsInserted, 2500 + 1800);
    assert.deepEqual(await indexDefs(), before, 'same indexes after the bulk load');
    assert.equal((await store.stats()).transactions, 4300);
    assert.ok((await q(`SELECT 1 FROM pg_stats WHERE tablename = 'transactions'`)).length > 0, 'analysed');
    assert.equal((await store.transactionsOfAccount('A7', { limit: 10_000 })).length, 4300 / 50);

    // Into a table that has rows, indexes are maintained as usual.
    const more = await store.beginIngest({ batchId: 'more', startedMs: 1, files: ['c.csv'] });
    await more.write(rows('c', 0, 2500));
    assert.equal(await exclusiveLock(), false, 'no bulk mode on a non-empty table');
    assert.equal((await more.commit()).transactionsInserted, 2500);
    assert.deepEqual(await indexDefs(), before);
  } finally {
    await store.close();
  }
});

test('two processes extend one audit chain: a stale head is caught by the guard and the write runs again', { skip }, async () => {
  const url = await freshDatabase();
  const a = await PostgresStore.open(url);
  const b = await PostgresStore.open(url);
  const draft = (who: string, i: number) => ({
    atMs: 1_000 + i,
    actorTenant: 't',
    actor: who,
    action: `step-${i}`,
    objectKind: 'tenant',
    objectId: 't',
    objectTenant: 't',
    ip: '',
    detail: JSON.stringify({ i, quote: "it's \\ \"x\"" }),
  });
  try {
    // A learns the head, B moves it, A writes again on its stale head: one entry each, in one unbroken line.
    await a.investigation.appendAudit([draft('a', 1)]);
    await b.investigation.appendAudit([draft('b', 2)]);
    await a.investigation.appendAudit([draft('a', 3), draft('a', 4)]);
    await b.investigation.appendAudit([draft('b', 5)]);
    // Concurrent writers: serialised by the lock, each retrying when the other moved the head.
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).investigation.appendAudit([draft(i % 2 ? 'a' : 'b', 10 + i)])));
    // Bulk monitored groups (COPY) send the guard ahead of the COPY in its query string: a stale head is caught there too.
    const group = (who: string, n: number) => [
      {
        tenantId: 't',
        transactions: Array.from({ length: 2_100 }, (_, i) => ({
          tenantId: 't', id: `${who}${n}-${i}`, timeMs: 1_000, fromAccount: 'X', toAccount: 'Y', amountMinor: 1, currency: 'USD', channel: 'wire', tlp: 'AMBER' as const, receivedMs: 1_000, batchId: 'b',
        })),
        alerts: [],
        audit: [draft(who, 100 + n)],
      },
    ];
    await a.investigation.recordMonitored(group('a', 1));
    await b.investigation.recordMonitored(group('b', 2));
    await a.investigation.recordMonitored(group('a', 3));
    assert.equal((await a.investigation.transactionIds('t', 1)).total, 3 * 2_100);
    const entries = await a.investigation.audit({ limit: 100 });
    assert.equal(entries.length, 5 + 12 + 3);
    assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1));
    assert.deepEqual(entries.slice(0, 5).map((e) => e.action), ['step-1', 'step-2', 'step-3', 'step-4', 'step-5']);
    assert.equal(checkChain(entries, startChainCheck()).ok, true);
    assert.equal(entries[0]!.detail, JSON.stringify({ i: 1, quote: "it's \\ \"x\"" }), 'values travel as literals intact');
  } finally {
    await a.close();
    await b.close();
  }
});
