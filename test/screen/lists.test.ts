/**
 * List versions: loading a list twice changes nothing; a new version reports what was added, removed and
 * changed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ListSet, loadOfacSdnCsv } from '../../src/screen/index.js';
import { fixtures } from './helpers.js';

describe('list versions', () => {
  test('given the same list loaded twice, the second load adds, removes and changes nothing', async () => {
    const set = new ListSet();
    const first = set.apply(await loadOfacSdnCsv(join(fixtures, 'ofac-sdn', 'sdn.csv')));
    assert.equal(first.added.length, 43);
    const digest = set.versions()[0]!.digest;
    const again = set.apply(await loadOfacSdnCsv(join(fixtures, 'ofac-sdn', 'sdn.csv')));
    assert.deepEqual([again.added.length, again.removed.length, again.changed.length, again.unchanged], [0, 0, 0, 43]);
    assert.equal(set.size, 43);
    assert.equal(set.versions()[0]!.digest, digest);
  });

  test('given a new version, the diff names the added, removed and changed entries and the changed fields', async () => {
    const set = new ListSet();
    set.apply(await loadOfacSdnCsv(join(fixtures, 'ofac-sdn', 'sdn.csv')));
    const diff = set.apply(await loadOfacSdnCsv(join(fixtures, 'ofac-sdn-v2', 'sdn.csv')));
    assert.deepEqual(diff.added.map((x) => x.name), ['BELTRAN LEYVA, Marcos Arturo']);
    assert.deepEqual(diff.removed.map((x) => x.name), ['LOS ZETAS']);
    assert.deepEqual(diff.changed.map((x) => [x.name, x.fields]), [['ZAMBADA GARCIA, Ismael', ['birthDates', 'remarks']]]);
    assert.equal(diff.unchanged, 41);
    assert.equal(set.size, 43);
  });
});
