/**
 * `rastro screen` as the contract states it: pairs in, the same rows plus score and match out; names in,
 * one JSON line per query out; bad input exits 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cli, fixtures } from './helpers.js';

function rastro(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', input, env: { ...process.env, RASTRO_LISTS: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rastro screen', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-screen-'));
    await writeFile(
      join(dir, 'pairs.csv'),
      'id,name1,name2,schema\n1,"GUZMAN LOERA, Joaquin",Joaquín Guzmán Loera,Person\n2,Jose Garcia Lopez,Juan Garcia Lopez,Person\n3,Banco Nacional de Cuba,"BANCO NACIONAL DE CUBA, S.A.",Company\n4,SADDAM HUSSEIN AL-TIKRITI,صدام حسين التكريتي,\n',
    );
    await writeFile(join(dir, 'queries.csv'), 'id,name,dob,country\nq1,Joaquin Guzman Loera,1954-12-25,Mexico\nq2,Maria Fernanda Ruiz Ortega,,\nq3,12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h,,\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('pairs: same rows and columns, plus score and match at the default threshold', () => {
    const r = rastro(['screen', 'pairs', 'pairs.csv', '--out', 'scores.csv'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(join(dir, 'scores.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'id,name1,name2,schema,score,match');
    assert.equal(lines.length, 5);
    assert.match(lines[1]!, /^1,"GUZMAN LOERA, Joaquin",Joaquín Guzmán Loera,Person,1\.000,true$/);
    assert.match(lines[2]!, /,false$/);
    assert.match(lines[3]!, /,true$/);
    assert.match(lines[4]!, /,true$/);
  });

  test('pairs without name1/name2 in the header exit 2', async () => {
    await writeFile(join(dir, 'bad.csv'), 'a,b\nx,y\n');
    const r = rastro(['screen', 'pairs', 'bad.csv', '--out', 'bad-out.csv'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /name1 and name2/);
  });

  test('names: one JSON line per query with candidates, scores and reasons', () => {
    const r = rastro(['screen', 'names', 'queries.csv', '--lists', join(fixtures, 'ofac-sdn'), join(fixtures, 'un-consolidated-subset.xml'), join(fixtures, 'ofac-crypto'), '--out', 'm.jsonl'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(join(dir, 'm.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.equal(lines[0].query.id, 'q1');
    assert.equal(lines[0].match, true);
    assert.equal(lines[0].candidates[0].key, 'ofac-sdn:6861');
    assert.ok(lines[0].candidates[0].reasons.length > 0);
    assert.equal(lines[1].match, false);
    assert.equal(lines[2].match, true);
    assert.equal(lines[2].candidates[0].score, 1);
  });

  test('names --db keeps each query\'s candidates with its party in the store', async () => {
    const db = join(dir, 'screen.duckdb');
    const r = rastro(['screen', 'names', 'queries.csv', '--lists', join(fixtures, 'ofac-sdn'), join(fixtures, 'ofac-crypto'), '--out', 'db.jsonl', '--db', db, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!) as { stored: number };
    assert.ok(summary.stored > 0, r.stdout);
    const { openStore } = await import('../../src/store/index.js');
    const store = await openStore(db);
    try {
      const kept = await store.screeningsOfParty('q1');
      assert.equal(kept[0]!.entityKey, 'ofac-sdn:6861');
      assert.equal(kept[0]!.match, true);
      assert.ok(kept[0]!.reasons.length > 0);
    } finally {
      await store.close();
    }
  });

  test('names from standard input, one per line, without a header', () => {
    const r = rastro(['screen', 'names', '-', '--lists', join(fixtures, 'ofac-sdn'), '--out', 'stdin.jsonl'], dir, 'GUZMAN LOERA, Joaquin\nIsmael Zambada\n');
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(join(dir, 'stdin.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.query.name), ['GUZMAN LOERA, Joaquin', 'Ismael Zambada']);
    assert.ok(lines.every((l) => l.match));
  });

  test('names without any list exit 2 and say how to give one', () => {
    const r = rastro(['screen', 'names', 'queries.csv', '--out', 'x.jsonl'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--lists/);
  });

  test('diff: what a new list version added, removed and changed', () => {
    const r = rastro(['screen', 'diff', join(fixtures, 'ofac-sdn'), join(fixtures, 'ofac-sdn-v2'), '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const [d] = JSON.parse(r.stdout);
    assert.equal(d.list, 'ofac-sdn');
    assert.equal(d.added.length, 1);
    assert.equal(d.removed.length, 1);
    assert.equal(d.changed.length, 1);
  });
});
