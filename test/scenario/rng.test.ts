/**
 * Specification of the generator's randomness: reproducible streams, independent per purpose and index,
 * and samplers with the distributions they claim.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AliasTable, deriveSeed, Rng } from '../../src/scenario/index.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

test('a seed gives the same stream every time; purposes and indices give different streams', () => {
  assert.deepEqual(draw(new Rng(42), 5), draw(new Rng(42), 5));
  assert.notDeepEqual(draw(new Rng(42), 5), draw(new Rng(43), 5));
  assert.equal(deriveSeed(1, 'cards', 3), deriveSeed(1, 'cards', 3));
  const seeds = new Set([deriveSeed(1, 'cards', 3), deriveSeed(1, 'cards', 4), deriveSeed(1, 'bills', 3), deriveSeed(2, 'cards', 3)]);
  assert.equal(seeds.size, 4);
  for (const u of draw(new Rng(7), 10_000)) assert.ok(u >= 0 && u < 1);
});

test('the alias table samples in proportion to the weights, never a zero weight', () => {
  const table = new AliasTable([1, 0, 2, 7]);
  const rng = new Rng(9);
  const counts = [0, 0, 0, 0];
  const n = 200_000;
  for (let i = 0; i < n; i++) counts[table.sample(rng)]!++;
  assert.equal(counts[1], 0);
  assert.ok(Math.abs(counts[0]! / n - 0.1) < 0.005, String(counts));
  assert.ok(Math.abs(counts[2]! / n - 0.2) < 0.005, String(counts));
  assert.ok(Math.abs(counts[3]! / n - 0.7) < 0.005, String(counts));
  assert.equal(table.total, 10);
  assert.ok(new AliasTable([]).empty);
  assert.throws(() => new AliasTable([1, -1]));
  assert.throws(() => new AliasTable([0, 0]).sample(rng));
});

test('Poisson counts, log-normal amounts and normals have the means and medians asked for', () => {
  const rng = new Rng(3);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const lambda of [0.5, 4, 250]) {
    const m = mean(Array.from({ length: 20_000 }, () => rng.poisson(lambda)));
    assert.ok(Math.abs(m - lambda) < 0.03 * lambda + 0.02, `poisson(${lambda}) mean ${m}`);
  }
  const amounts = Array.from({ length: 20_001 }, () => rng.logNormal(100, 0.8)).sort((a, b) => a - b);
  assert.ok(Math.abs(amounts[10_000]! - 100) < 3, `median ${amounts[10_000]}`);
  const normals = Array.from({ length: 20_000 }, () => rng.normal());
  assert.ok(Math.abs(mean(normals)) < 0.03);
  assert.ok(Math.abs(mean(normals.map((x) => x * x)) - 1) < 0.03);
});
