/**
 * Quality floor on labelled pairs sampled from the real lists (test/fixtures/sanctions/pairs-labelled.csv,
 * built by bench/screen-pairs.ts): at the default threshold the matcher keeps its precision and recall.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsvText } from '../../src/screen/loaders/csv-file.js';
import { scoreNames } from '../../src/screen/index.js';
import { fixtures } from './helpers.js';

test('given the labelled pairs, precision stays ≥ 0.95 and recall on name variants ≥ 0.9 at the default threshold', () => {
  const rows = parseCsvText(readFileSync(join(fixtures, 'pairs-labelled.csv'), 'utf8'), []).slice(1);
  assert.ok(rows.length > 500);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let variants = 0;
  let variantHits = 0;
  for (const { fields } of rows) {
    const [name1, name2, schema, label, category] = fields as [string, string, string, string, string];
    const m = scoreNames(name1, name2, schema).match;
    const positive = label === 'true';
    if (m && positive) tp++;
    else if (m) fp++;
    else if (positive) fn++;
    if (positive && !category.startsWith('alias')) {
      variants++;
      if (m) variantHits++;
    }
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const f1 = (2 * precision * recall) / (precision + recall);
  assert.ok(precision >= 0.95, `precision ${precision.toFixed(3)}`);
  assert.ok(variantHits / variants >= 0.9, `recall on variants ${(variantHits / variants).toFixed(3)}`);
  assert.ok(f1 >= 0.8, `F1 ${f1.toFixed(3)}`);
});
