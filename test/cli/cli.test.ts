/**
 * The command line as users and scripts meet it: exit codes, rejects, summaries, idempotency.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const IBM_HEADER = 'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';

function rastro(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rastro CLI', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-cli-'));
    await writeFile(
      join(dir, 'good_Trans.csv'),
      `${IBM_HEADER}\n2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0\n` +
        `2022/09/01 00:20,03208,8000F4580,001,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,0\n`,
    );
    await writeFile(
      join(dir, 'bad_Trans.csv'),
      `${IBM_HEADER}\n2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0\n` +
        `2022/09/31 00:20,03208,8000F4580,001,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,0\n` +
        `2022/09/01 00:21,03208,8000F4580,001,8000F5340,12.50,Peso Oro,12.50,Peso Oro,Cheque,0\n` +
        `2022/09/01 00:22,03208,8000F4580,001\n` +
        `2022/09/01 00:23,001,8000F5340,010,8000EBD30,99.00,Euro,99.00,Euro,Wire,1\n`,
    );
    await writeFile(join(dir, 'mystery.csv'), 'a,b,c\n1,2,3\n');
    await writeFile(join(dir, 'xxe.xml'), '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Document>&x;</Document>\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('ingest stores a clean file, exits 0, and a second run stores nothing new', () => {
    const first = rastro(['ingest', 'good_Trans.csv', '--db', 'one.duckdb', '--json'], dir);
    assert.equal(first.code, 0, first.stderr);
    const s1 = JSON.parse(first.stdout);
    assert.equal(s1.transactionsRead, 2);
    assert.equal(s1.transactionsInserted, 2);
    assert.equal(s1.rejects, 0);
    const second = rastro(['ingest', 'good_Trans.csv', '--db', 'one.duckdb', '--json'], dir);
    assert.equal(second.code, 0, second.stderr);
    const s2 = JSON.parse(second.stdout);
    assert.equal(s2.transactionsInserted, 0);
    assert.equal(s2.duplicates, 2);
    const stats = rastro(['stats', '--db', 'one.duckdb', '--json'], dir);
    assert.equal(stats.code, 0, stats.stderr);
    const st = JSON.parse(stats.stdout);
    assert.equal(st.transactions, 2);
    assert.equal(st.first, '2022-09-01T00:20:00Z');
    assert.deepEqual(st.sources, [{ source: 'good_Trans.csv', count: 2 }]);
  });

  test('rejected rows are written with file, line and reason, reported on stderr, and make the exit code 2', () => {
    const r = rastro(['ingest', 'bad_Trans.csv', '--db', 'two.duckdb', '--rejects', 'rej.csv', '--json'], dir);
    assert.equal(r.code, 2);
    const s = JSON.parse(r.stdout);
    assert.equal(s.transactionsRead, 2);
    assert.equal(s.rejects, 3);
    assert.match(r.stderr, /bad_Trans\.csv:3: unparseable timestamp "2022\/09\/31 00:20"/);
    assert.match(r.stderr, /bad_Trans\.csv:4: unknown currency "Peso Oro"/);
    assert.match(r.stderr, /bad_Trans\.csv:5: expected 11 columns, found 4/);
    assert.match(r.stderr, /3 record\(s\) rejected, written to rej\.csv/);
    const lines = readFileSync(join(dir, 'rej.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'file,line,reason,record');
    assert.equal(lines.length, 4);
    assert.equal(lines[3], `bad_Trans.csv,5,"expected 11 columns, found 4","2022/09/01 00:22,03208,8000F4580,001"`);
    const stats = JSON.parse(rastro(['stats', '--db', 'two.duckdb', '--json'], dir).stdout);
    assert.equal(stats.rejects, 3, 'rejects are quarantined in the store too');
    assert.equal(stats.truthLabels, 1);
  });

  test('a file of unknown layout exits 2 naming the file and listing the known layouts', () => {
    const r = rastro(['ingest', 'mystery.csv', '--db', 'three.duckdb'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /mystery\.csv:1: cannot tell the layout/);
    assert.match(r.stderr, /ibm-aml +IBM AMLworld \*_Trans\.csv/);
    assert.match(r.stderr, /goaml/);
    assert.match(r.stderr, /--mapping/);
  });

  test('a missing file exits 2 with its name', () => {
    const r = rastro(['ingest', 'nope.csv', '--db', 'four.duckdb'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.csv: cannot read: ENOENT/);
  });

  test('XML with a DOCTYPE is refused as a whole-file reject, nothing from the entity is read', () => {
    const r = rastro(['ingest', '--format', 'iso20022', 'xxe.xml', '--db', 'five.duckdb', '--rejects', 'xxe-rej.csv'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /xxe\.xml:\d+: file refused: DOCTYPE declarations are refused/);
    assert.doesNotMatch(readFileSync(join(dir, 'xxe-rej.csv'), 'utf8'), /root:/);
  });

  test('scan reads every input, writes the alerts file and <alerts>.rejects.csv', () => {
    const r = rastro(['scan', 'good_Trans.csv', 'bad_Trans.csv', '--alerts', 'out/alerts.jsonl', '--json'], dir);
    assert.equal(r.code, 2);
    const s = JSON.parse(r.stdout);
    assert.equal(s.transactionsRead, 4);
    assert.equal(s.rejects, 3);
    assert.ok(existsSync(join(dir, 'out', 'alerts.jsonl')));
    assert.equal(readFileSync(join(dir, 'out', 'alerts.jsonl.rejects.csv'), 'utf8').trim().split('\n').length, 4);
    const clean = rastro(['scan', 'good_Trans.csv', '--alerts', 'clean.jsonl', '--json'], dir);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(existsSync(join(dir, 'clean.jsonl.rejects.csv')), false, 'no rejects file when nothing was rejected');
  });

  test('a csv without mapping is refused before reading', () => {
    const r = rastro(['scan', '--format', 'csv', 'mystery.csv', '--alerts', 'x.jsonl'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--format csv needs --mapping/);
  });

  test('every command has help with an example', () => {
    for (const cmd of ['ingest', 'stats', 'scan', 'demo']) {
      const r = rastro([cmd, '--help'], dir);
      assert.equal(r.code, 0, `${cmd}: ${r.stderr}`);
      assert.match(r.stdout, /Example/, cmd);
    }
    const bad = rastro(['ingest', '--format', 'parquet', 'x'], dir);
    assert.equal(bad.code, 2);
  });
});

describe('rastro scan and rules', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-scan-'));
    const rows = [
      '2022/09/01 00:10,001,A1,002,B1,10000.00,US Dollar,10000.00,US Dollar,ACH,0',
      '2022/09/01 05:10,002,B1,003,C1,9700.00,US Dollar,9700.00,US Dollar,ACH,0',
      '2022/09/01 09:10,003,C1,001,A1,9400.00,US Dollar,9400.00,US Dollar,ACH,0',
    ];
    await writeFile(join(dir, 'cycle_Trans.csv'), `${IBM_HEADER}\n${rows.join('\n')}\n`);
    await writeFile(join(dir, 'other_Trans.csv'), `${IBM_HEADER}\n2022/09/01 00:20,010,8000EBD30,011,8000EBD31,3697.34,US Dollar,3697.34,US Dollar,ACH,0\n`);
    await writeFile(join(dir, 'rules.yaml'), 'engine:\n  warmupDays: 0\n');
    await writeFile(join(dir, 'bad-rules.yaml'), 'typologies:\n  cycle:\n    maxHops: 1\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  test('writes contract alert lines with row ids and the amounts in the source currency', () => {
    const r = rastro(['scan', 'cycle_Trans.csv', '--config', 'rules.yaml', '--alerts', 'out/alerts.jsonl', '--json', '-q'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(join(dir, 'out', 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const cycle = lines.find((a) => a.typology === 'cycle')!;
    assert.ok(cycle, JSON.stringify(lines));
    assert.match(cycle.id as string, /^a-\d{6}$/);
    assert.deepEqual(cycle.transactions, ['row:1', 'row:2', 'row:3']);
    assert.deepEqual([...(cycle.accounts as string[])].sort(), ['001/A1', '002/B1', '003/C1']);
    assert.equal(cycle.from, '2022-09-01T00:10:00Z');
    assert.equal(cycle.to, '2022-09-01T09:10:00Z');
    assert.deepEqual(cycle.amount, { value: 29100, currency: 'USD' });
    assert.ok((cycle.score as number) >= 0 && (cycle.score as number) <= 1);
    assert.equal(typeof cycle.explanation, 'string');
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { typologies: string[]; alerts: number };
    assert.ok(summary.typologies.includes('fan-in') && summary.typologies.includes('mule-pass-through'));
  });

  test('prefixes transaction ids with the file name when several files are scanned', () => {
    const r = rastro(['scan', 'cycle_Trans.csv', 'other_Trans.csv', '--config', 'rules.yaml', '--alerts', 'two.jsonl', '-q'], dir);
    assert.equal(r.code, 0, r.stderr);
    const cycle = readFileSync(join(dir, 'two.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { typology: string; transactions: string[] }).find((a) => a.typology === 'cycle')!;
    assert.deepEqual(cycle.transactions, ['cycle_Trans.csv#row:1', 'cycle_Trans.csv#row:2', 'cycle_Trans.csv#row:3']);
  });

  test('--db stores the transactions and the alerts; a second scan adds its own alerts', () => {
    const db = join(dir, 'scan.duckdb');
    for (let i = 0; i < 2; i++) {
      const r = rastro(['scan', 'cycle_Trans.csv', '--config', 'rules.yaml', '--alerts', `db${i}.jsonl`, '--db', db, '-q'], dir);
      assert.equal(r.code, 0, r.stderr);
    }
    const perScan = readFileSync(join(dir, 'db0.jsonl'), 'utf8').trim().split('\n').length;
    const stats = JSON.parse(rastro(['stats', '--db', db, '--json'], dir).stdout) as { transactions: number; alerts: number };
    assert.equal(stats.transactions, 3);
    assert.equal(stats.alerts, 2 * perScan);
  });

  test('demo: examples, a generated world scanned into the database, and the report against the truth', () => {
    const db = join(dir, 'demo', 'rastro.duckdb');
    const r = rastro(['demo', '--db', db, '--accounts', '1500', '--days', '60', '--seed', '2'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /world: [\d,]+ transactions/);
    assert.match(r.stdout, /found versus the truth \([\d,]+ alerts\)/);
    assert.match(r.stdout, /laundering transactions caught \d+\.\d %/);
    for (const scheme of ['fan-in', 'fan-out', 'cycle', 'scatter-gather']) assert.match(r.stdout, new RegExp(`\\n    ${scheme} +\\d`));
    const stats = JSON.parse(rastro(['stats', '--db', db, '--json'], dir).stdout) as { alerts: number; transactions: number };
    assert.ok(stats.alerts > 0 && stats.transactions > 10_000, JSON.stringify(stats));
  });

  test('rejects a bad rules file with exit 2 and the setting at fault', () => {
    const r = rastro(['scan', 'cycle_Trans.csv', '--config', 'bad-rules.yaml', '--alerts', 'x.jsonl'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad-rules\.yaml: typologies\.cycle\.maxHops: /);
    const rules = rastro(['rules', '--config', 'bad-rules.yaml'], dir);
    assert.equal(rules.code, 2);
  });

  test('rastro rules prints every typology with its parameters', () => {
    const r = rastro(['rules', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const rules = JSON.parse(r.stdout) as { typologies: Record<string, { enabled: boolean }>; engine: { latenessMinutes: number } };
    for (const t of ['fan-in', 'fan-out', 'cycle', 'scatter-gather', 'gather-scatter', 'bipartite', 'stack', 'structuring', 'mule-pass-through', 'rapid-movement', 'dormant-reactivation', 'round-amounts', 'remittance-splitting']) {
      assert.equal(rules.typologies[t]?.enabled, true, t);
    }
    assert.equal(rules.engine.latenessMinutes, 60);
  });
});
