/**
 * `rastro generate` as users and scripts meet it: files, summary, exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withTempDir, writeIn } from '../helpers/ingest.js';
import { PATTERNS } from '../helpers/scenario.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function rastro(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('generate writes Trans.csv, Patterns.txt, accounts.csv and world.json, prints a summary, exits 0', async () => {
  await withTempDir(async (dir) => {
    const args = ['generate', '--accounts', '800', '--days', '20', '--seed', '5', '--start', '2023-03-01', '--no-schemes', '--embed-patterns', PATTERNS, '--embed-repeat', '2', '--out', 'w'];
    const r = rastro([...args, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.instances, 234);
    assert.equal(s.launderingTransactions, 2046);
    assert.equal(s.start, '2023-03-01T00:00:00.000Z');
    assert.equal(s.attackStart, '2023-03-14T00:00:00.000Z');
    for (const f of ['Trans.csv', 'Patterns.txt', 'accounts.csv', 'world.json']) assert.ok(existsSync(join(dir, 'w', f)), f);
    const lines = readFileSync(join(dir, 'w', 'Trans.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, s.transactions + 1);
    const text = rastro(args, dir);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^generated [\d,]+ transactions \(2,046 laundering in 234 attempt\(s\): .*\) among [\d,]+ accounts at \d+ banks over 20 days from 2023-03-01 \(attacks from 2023-03-14\) into w in/);
    assert.ok(readFileSync(join(dir, 'w', 'Trans.csv')).equals(Buffer.from(`${lines.join('\n')}\n`)));
    assert.match(text.stderr, /note: \d+% of the accounts take part in laundering/);
  });
});

test('generate refuses bad input with exit code 2 and a message', async () => {
  await withTempDir(async (dir) => {
    const bad = await writeIn(dir, 'bad_Patterns.txt', 'BEGIN LAUNDERING ATTEMPT - CYCLE\n2022/09/01 00:00,1,2,3,4,5.00,Peso Oro,5.00,Peso Oro,ACH,1\nEND LAUNDERING ATTEMPT - CYCLE\n');
    const cases: [string[], RegExp][] = [
      [['--accounts', '10'], /--accounts takes a whole number from 500 to/],
      [['--days', '0'], /--days takes a whole number from 1 to/],
      [['--seed', '-3'], /--seed takes a whole number/],
      [['--start', '2022-02-30'], /--start takes a date YYYY-MM-DD/],
      [['--embed-patterns', 'missing.txt'], /missing\.txt: ENOENT/],
      [['--embed-patterns', bad], /bad_Patterns\.txt:2: unknown currency "Peso Oro"/],
      [['--format', 'csv'], /argument 'csv' is invalid/],
      [['--schemes', 'fan-in,smurfs'], /--schemes: unknown scheme "smurfs"; known: all, default, field, shapes, mule-network/],
      [['--scheme-scale', '-1'], /--scheme-scale takes a number from 0 to 1000/],
    ];
    for (const [extra, message] of cases) {
      const r = rastro(['generate', '--accounts', '600', '--days', '5', '--out', 'w', ...extra], dir);
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(rastro(['generate', '--accounts', '600'], dir).code, 2, '--out is required');
  });
});
