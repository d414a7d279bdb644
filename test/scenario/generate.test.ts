/**
 * Specification of `generateWorld` with IBM AMLworld output: given a seed, the same bytes; the files read back
 * through Rastro's own IBM reader without a reject; the embedded attempts are exactly the labelled rows, in
 * the attack period, with their accounts in the truth; the whole file is in time order; memory is bounded
 * by days, not by the length of the world.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ibmAmlReader } from '../../src/ingest/formats/ibm-aml.js';
import type { GenerateSummary } from '../../src/scenario/index.js';
import { readAll, withTempDir } from '../helpers/ingest.js';
import { generate, readAccounts, readTrans, type TransRow } from '../helpers/scenario.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const HEADER = 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';
const FILES = ['Trans.csv', 'Patterns.txt', 'accounts.csv', 'world.json'];
const ibmTime = (t: string): number => Date.UTC(+t.slice(0, 4), +t.slice(5, 7) - 1, +t.slice(8, 10), +t.slice(11, 13), +t.slice(14, 16));

describe('a world of 1,500 accounts over 60 days with the LI-Small attempts embedded twice (seed 7)', () => {
  let dir: string;
  let summary: GenerateSummary;
  let rows: TransRow[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-world-'));
    summary = await generate(join(dir, 'a'), { repeat: 2 });
    rows = (await readTrans(join(dir, 'a'))).rows;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the same seed gives byte-identical files; another seed gives another world', async () => {
    await generate(join(dir, 'b'), { repeat: 2 });
    for (const f of FILES) assert.ok((await readFile(join(dir, 'a', f))).equals(await readFile(join(dir, 'b', f))), `${f} differs between two runs`);
    await generate(join(dir, 'c'), { repeat: 2, seed: 8 });
    assert.notEqual(await readFile(join(dir, 'c', 'Trans.csv'), 'utf8'), await readFile(join(dir, 'a', 'Trans.csv'), 'utf8'));
  });

  test('Trans.csv has the IBM header and reads back through the IBM reader with zero rejects', async () => {
    assert.equal((await readTrans(join(dir, 'a'))).header, HEADER);
    const path = join(dir, 'a', 'Trans.csv');
    const read = await readAll(ibmAmlReader, path);
    assert.deepEqual(read.rejects, []);
    assert.equal(read.transactions.length, summary.transactions);
    assert.equal(read.truth.length, summary.launderingTransactions);
    assert.ok(summary.transactions > 30_000, `${summary.transactions} transactions`);
    const channels = new Set(read.transactions.map((t) => t.channel));
    assert.deepEqual([...channels].sort(), ['ach', 'card', 'cash', 'cheque', 'crypto', 'reinvestment', 'wire']);
    const currencies = new Set(read.transactions.map((t) => t.currency));
    for (const c of ['USD', 'EUR', 'MXN', 'COP', 'GTQ', 'HNL']) assert.ok(currencies.has(c), `no ${c}`);
    assert.ok(read.transactions.some((t) => t.originalCurrency !== undefined), 'no cross-currency payment');
  });

  test('Patterns.txt reads back with zero rejects, one block per embedded attempt', async () => {
    const path = join(dir, 'a', 'Patterns.txt');
    const read = await readAll(ibmAmlReader, path);
    assert.deepEqual(read.rejects, []);
    const instances = new Set(read.truth.map((l) => l.instance));
    assert.equal(instances.size, summary.instances);
    assert.equal(summary.instances, 117 * 2);
    const text = await readFile(path, 'utf8');
    assert.equal(text.match(/^BEGIN LAUNDERING ATTEMPT - /gm)!.length, 234);
    assert.equal(text.match(/^END LAUNDERING ATTEMPT - /gm)!.length, 234);
  });

  test('the rows of Patterns.txt are exactly the Is Laundering = 1 rows of Trans.csv', async () => {
    const patternRows = (await readFile(join(dir, 'a', 'Patterns.txt'), 'utf8')).split('\n').filter((l) => /^\d{4}\//.test(l));
    const labelled = rows.filter((r) => r.laundering).map((r) => r.line);
    assert.equal(labelled.length, 1023 * 2);
    assert.deepEqual([...patternRows].sort(), [...labelled].sort());
    assert.ok(rows.filter((r) => !r.laundering).every((r) => r.line.endsWith(',0')));
  });

  test('the whole file is in time order, inside the period', () => {
    const start = Date.UTC(2022, 8, 1);
    const end = start + 60 * 86_400_000;
    let previous = '';
    for (const r of rows) {
      assert.ok(r.time >= previous, `${r.time} after ${previous}`);
      previous = r.time;
    }
    assert.ok(ibmTime(rows[0]!.time) >= start);
    assert.ok(ibmTime(rows.at(-1)!.time) < end);
  });

  test('the attempts lie in the last third of the period, after a clean history', () => {
    const attackStart = Date.parse(summary.attackStart);
    assert.equal(attackStart, Date.UTC(2022, 8, 1) + 40 * 86_400_000);
    const laundering = rows.filter((r) => r.laundering);
    // LI-Small's attempts last at most 8 days, so all of them fit after the attack start.
    assert.ok(laundering.every((r) => ibmTime(r.time) >= attackStart));
    assert.ok(rows.filter((r) => ibmTime(r.time) < attackStart).length > rows.length / 2);
  });

  test('accounts.csv lists every account once, with the laundering truth of the attempts', async () => {
    const accounts = await readAccounts(join(dir, 'a'));
    assert.equal(accounts.size, summary.accounts);
    for (const r of rows) {
      assert.ok(accounts.has(r.from), `${r.from} not in accounts.csv`);
      assert.ok(accounts.has(r.to), `${r.to} not in accounts.csv`);
    }
    const inAttempts = new Set(rows.filter((r) => r.laundering).flatMap((r) => [r.from, r.to]));
    const flagged = [...accounts.values()].filter((a) => a.laundering);
    assert.deepEqual(new Set(flagged.map((a) => a.account)), inAttempts);
    for (const a of flagged) {
      assert.ok(a.instances.length > 0 && a.instances.every((i) => /^ibm-\d+-[12]$/.test(i)), a.instances.join(';'));
      assert.match(a.scheme, /^(fan-in|fan-out|cycle|scatter-gather|gather-scatter|bipartite|stack|random)(;[a-z-]+)*$/);
    }
    // Most places in the attempts go to accounts recruited from the benign world (they keep their normal
    // lives, and some are recruited more than once); the rest to fresh accounts.
    const recruited = flagged.filter((a) => a.role !== 'fresh');
    const fresh = flagged.filter((a) => a.role === 'fresh');
    const places = (list: typeof flagged) => list.reduce((n, a) => n + a.instances.length, 0);
    assert.ok(places(recruited) > 2 * places(fresh), `${places(recruited)} recruited places, ${places(fresh)} fresh`);
    assert.ok(fresh.length > 0);
    const benignActivity = new Set(rows.filter((r) => !r.laundering).flatMap((r) => [r.from, r.to]));
    assert.ok(recruited.filter((a) => benignActivity.has(a.account)).length > 0.9 * recruited.length);
    assert.ok(fresh.every((a) => !benignActivity.has(a.account)), 'a fresh account has benign activity');
    assert.equal(accounts.size - summary.freshAccounts, 1_500);
    const ids = [...accounts.keys()];
    assert.ok(ids.every((id) => /^0\d{2,5}\/8[0-9A-F]{8}$/.test(id)), 'account ids look like IBM AMLworld ones');
  });

  test('world.json records the parameters and counts (and nothing that varies between runs)', async () => {
    const world = JSON.parse(await readFile(join(dir, 'a', 'world.json'), 'utf8'));
    assert.equal(world.seed, 7);
    assert.equal(world.days, 60);
    assert.equal(world.transactions, summary.transactions);
    assert.equal(world.attackStart, summary.attackStart);
    assert.equal(world.instancesByType.STACK, 18 * 2);
    assert.equal(world.outDir, undefined);
  });

  test('memory holds a few days of rows, not the world', () => {
    const perDay = summary.transactions / 60;
    assert.ok(summary.peakBufferedRows < 4 * perDay, `${summary.peakBufferedRows} rows held, ${Math.round(perDay)} per day`);
  });
});

test('a longer world holds no more rows at once than a short one: memory is bounded by days, not by length', async () => {
  await withTempDir(async (dir) => {
    const short = await generate(join(dir, 's'), { accounts: 2_000, days: 20, seed: 3 });
    const long = await generate(join(dir, 'l'), { accounts: 2_000, days: 200, seed: 3 });
    assert.ok(long.transactions > 200_000, `${long.transactions} transactions`);
    assert.ok(long.transactions > 8 * short.transactions);
    assert.ok(long.peakBufferedRows < 1.5 * short.peakBufferedRows, `${long.peakBufferedRows} vs ${short.peakBufferedRows}`);
  });
});

test('an attempt longer than the attack period starts earlier; one longer than the world is left out', async () => {
  await withTempDir(async (dir) => {
    const s = await generate(dir, { days: 6, repeat: 1 });
    // LI-Small attempts last up to 8 days; the 6-day world keeps those that fit, each whole.
    assert.ok(s.instances > 50 && s.instances < 117, `${s.instances} instances`);
    const { rows } = await readTrans(dir);
    const read = await readAll(ibmAmlReader, join(dir, 'Patterns.txt'));
    assert.equal(read.truth.length, rows.filter((r) => r.laundering).length);
  });
});
