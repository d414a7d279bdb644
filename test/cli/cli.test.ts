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
