/**
 * Specification of the three layouts `rastro generate` writes (IBM AMLworld, AMLSim, Rastro): given one seed,
 * they are three views of one world (same rows in the same order, same labels); each reads back through
 * Rastro's own readers without a reject; `rastro eval` finds every scheme and instance in the truth files of
 * each; and the same seed gives the same bytes in every file of every layout.
 */
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { evaluateFiles } from '../../src/eval/index.js';
import { loadMapping } from '../../src/ingest/index.js';
import { amlsimReader } from '../../src/ingest/formats/amlsim.js';
import { ibmAmlReader } from '../../src/ingest/formats/ibm-aml.js';
import { mappedCsvReader } from '../../src/ingest/formats/mapped-csv.js';
import { defaultSchemes, generateWorld, type GenerateFormat, type GenerateSummary } from '../../src/scenario/index.js';
import { readAll } from '../helpers/ingest.js';
import { readRastro, readTrans } from '../helpers/scenario.js';

const FORMATS: GenerateFormat[] = ['ibm-aml', 'amlsim', 'rastro'];
const WORLD = { accounts: 3_000, days: 45, seed: 5, startMs: Date.UTC(2022, 8, 1) };

describe('one world of 3,000 accounts over 45 days (seed 5, every scheme twice as often) in the three layouts', () => {
  let dir: string;
  const summary = {} as Record<GenerateFormat, GenerateSummary>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-formats-'));
    for (const format of FORMATS) summary[format] = await generateWorld({ ...WORLD, outDir: join(dir, format), format, schemes: defaultSchemes({ scale: 2 }) });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the same rows, in the same order, with the same labels, whatever the layout', async () => {
    const ibm = (await readTrans(join(dir, 'ibm-aml'))).rows;
    const rastro = (await readRastro(join(dir, 'rastro'))).rows;
    const amlsim = (await readFile(join(dir, 'amlsim', 'transactions.csv'), 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(','));
    assert.equal(ibm.length, rastro.length);
    assert.equal(ibm.length, amlsim.length);
    for (let i = 0; i < ibm.length; i++) {
      const r = rastro[i]!;
      assert.equal(ibm[i]!.time.replace(/\//g, '-').replace(' ', 'T') + ':00Z', r.time, `row ${i + 1}`);
      assert.equal(ibm[i]!.from, r.from);
      assert.equal(ibm[i]!.received, r.amount);
      assert.equal(ibm[i]!.laundering, r.laundering);
      const a = amlsim[i]!;
      assert.equal(a[0], String(r.id));
      assert.equal(a[5], r.time);
      assert.equal(a[6] === 'True', r.laundering);
      assert.equal(Number(a[4]), r.amount);
      assert.equal(a[8], r.currency);
      if (r.channel === 'cash') assert.deepEqual([a[1], a[2], a[3]], [r.to, r.branch, 'CASH-IN']);
      else assert.deepEqual([a[1], a[2]], [r.from, r.to]);
    }
    for (const f of FORMATS) assert.equal(summary[f].launderingTransactions, summary['ibm-aml'].launderingTransactions);
    const channels = new Set(rastro.map((r) => r.channel));
    for (const c of ['ach', 'wire', 'cash', 'card', 'cheque', 'remittance', 'mobile', 'reinvestment']) assert.ok(channels.has(c), `no ${c} in the Rastro layout`);
  });

  test('AMLSim: transactions.csv, accounts.csv and the alert lists read back through Rastro\'s AMLSim reader with zero rejects', async () => {
    const s = summary.amlsim;
    const read = await readAll(amlsimReader, join(dir, 'amlsim', 'transactions.csv'));
    assert.deepEqual(read.rejects, []);
    assert.equal(read.transactions.length, s.transactions);
    const labelled = read.truth.filter((l) => l.laundering);
    assert.equal(labelled.length, s.launderingTransactions);
    assert.equal(new Set(labelled.map((l) => l.instance)).size, s.instances);
    assert.ok(read.transactions.some((t) => t.fromAccount.startsWith('cash:branch:') && t.channel === 'cash'), 'CASH-IN rows read as branch deposits');
    assert.ok(new Set(read.transactions.map((t) => t.currency)).size >= 5, 'base_currency honoured');
    const accounts = await readAll(amlsimReader, join(dir, 'amlsim', 'accounts.csv'));
    assert.deepEqual(accounts.rejects, []);
    assert.equal(accounts.accounts.length, s.accounts);
    assert.equal(accounts.truth.length, s.launderingAccounts);
  });

  test('Rastro: transactions.csv reads back through the mapped-CSV reader with the mapping written beside it, channels and countries intact', async () => {
    const s = summary.rastro;
    const mapping = await loadMapping(join(dir, 'rastro', 'rastro-mapping.yaml'));
    const read = await readAll(mappedCsvReader, join(dir, 'rastro', 'transactions.csv'), { mapping });
    assert.deepEqual(read.rejects, []);
    assert.equal(read.transactions.length, s.transactions);
    assert.equal(read.truth.length, s.launderingTransactions);
    const t = read.transactions;
    assert.ok(t.some((x) => x.channel === 'remittance' && x.fromCountry === 'US' && x.toCountry === 'MX' && x.originalCurrency === 'USD' && x.currency === 'MXN'));
    assert.ok(t.some((x) => x.channel === 'mobile'));
    assert.ok(t.every((x) => x.fromCountry !== undefined && x.toCountry !== undefined), 'every row names both countries');
    assert.ok(t.filter((x) => x.fromCountry !== x.toCountry).length > 100, 'cross-border rows');
  });

  test('rastro eval finds every instance of every scheme in the truth of each layout', async () => {
    const empty = join(dir, 'no-alerts.jsonl');
    await writeFile(empty, '');
    const expected = Object.fromEntries(
      Object.entries(summary['ibm-aml'].instancesByType).map(([type, n]) => [type.toLowerCase(), n] as const),
    );
    const runs = [
      { truth: [join(dir, 'ibm-aml', 'Trans.csv'), join(dir, 'ibm-aml', 'accounts.csv')], patterns: join(dir, 'ibm-aml', 'Patterns.txt') },
      { truth: [join(dir, 'amlsim', 'transactions.csv'), join(dir, 'amlsim', 'accounts.csv'), join(dir, 'amlsim', 'alert_accounts.csv')] },
      { truth: [join(dir, 'rastro', 'transactions.csv'), join(dir, 'rastro', 'alert_accounts.csv')], format: 'csv' as const, mapping: await loadMapping(join(dir, 'rastro', 'rastro-mapping.yaml')) },
    ];
    for (const run of runs) {
      const { report, truthRejects } = await evaluateFiles({ alerts: empty, ...run });
      assert.deepEqual(truthRejects, []);
      const attempts = Object.fromEntries(report.schemes.filter((x) => x.attempts > 0).map((x) => [x.scheme, x.attempts]));
      assert.deepEqual(attempts, expected, run.truth[0]);
      assert.equal(report.transactions.positives, summary['ibm-aml'].launderingTransactions);
    }
    // IBM's Patterns rows all match a Trans row.
    const { report } = await evaluateFiles({ alerts: empty, ...runs[0]! });
    assert.equal(report.truth.patterns!.unmatched, 0);
    assert.equal(report.truth.patterns!.matchedNotLaundering, 0);
  });

  test('the Patterns file reads back through the IBM reader: one block per instance, titles without commas', async () => {
    const read = await readAll(ibmAmlReader, join(dir, 'ibm-aml', 'Patterns.txt'));
    assert.deepEqual(read.rejects, []);
    assert.equal(new Set(read.truth.map((l) => l.instance)).size, summary['ibm-aml'].instances);
    const schemes = new Set(read.truth.map((l) => l.scheme));
    for (const s of ['mule-network', 'structuring', 'remittance-splitting', 'mirror-swap', 'transaction-laundering', 'crypto-ramp', 'sanctioned-party', 'fan-in', 'stack']) {
      assert.ok(schemes.has(s), `no ${s} block`);
    }
  });

  test('the same seed gives byte-identical files in every layout, crypto and truth files included', async () => {
    for (const format of FORMATS) {
      const again = join(dir, `${format}-again`);
      await generateWorld({ ...WORLD, outDir: again, format, schemes: defaultSchemes({ scale: 2 }) });
      const files = (await readdir(join(dir, format))).sort();
      assert.deepEqual((await readdir(again)).sort(), files);
      assert.ok(files.length >= 10, files.join(' '));
      for (const f of files) assert.ok((await readFile(join(dir, format, f))).equals(await readFile(join(again, f))), `${format}/${f} differs`);
    }
    const other = join(dir, 'other-seed');
    await generateWorld({ ...WORLD, seed: 6, outDir: other, schemes: defaultSchemes({ scale: 2 }) });
    assert.notEqual(await readFile(join(other, 'crypto.jsonl'), 'utf8'), await readFile(join(dir, 'ibm-aml', 'crypto.jsonl'), 'utf8'));
  });
});
