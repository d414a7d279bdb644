/**
 * Matching IBM `*_Patterns.txt` rows to `*_Trans.csv` rows by content: every column counts, identical rows
 * are matched in order and each Patterns row once, and what does not match is counted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateFiles, PatternIndex } from '../../src/eval/index.js';
import { ibmAmlReader } from '../../src/ingest/formats/ibm-aml.js';
import { IBM_HEADER, PATTERNS_TXT, TRANS_ROWS } from '../helpers/eval-world.js';
import { collect, fixture, withTempDir, writeIn } from '../helpers/ingest.js';
import type { IngestBatch } from '../../src/ingest/index.js';
import type { TruthLabel } from '../../src/model/index.js';

async function batches(path: string): Promise<IngestBatch[]> {
  const out: IngestBatch[] = [];
  for await (const b of ibmAmlReader.read({ path, file: path, source: 'x', batchId: 'b' })) out.push(b);
  return out;
}

async function annotate(patterns: string, trans: string): Promise<{ labels: TruthLabel[]; index: PatternIndex }> {
  return withTempDir(async (dir) => {
    const index = new PatternIndex();
    for (const b of await batches(await writeIn(dir, 'P.txt', patterns))) index.addPatterns(b, 'P:');
    const labels: TruthLabel[] = [];
    for (const b of await batches(await writeIn(dir, 'T.csv', trans))) labels.push(...index.annotate(b.transactions, b.truth));
    return { labels, index };
  });
}

const brief = (labels: TruthLabel[]) => labels.map((l) => `${l.transactionId} ${l.laundering ? 'L' : '-'} ${l.scheme ?? ''} ${l.instance ?? ''}`.trim());

test('each Trans row gets the scheme (kebab-case) and attempt of the Patterns row with the same content', async () => {
  const trans = `${IBM_HEADER}\n${[TRANS_ROWS[6], ...TRANS_ROWS.slice(0, 6)].join('\n')}\n`;
  const { labels, index } = await annotate(PATTERNS_TXT, trans);
  assert.deepEqual(brief(labels), [
    'row:2 L fan-in P:1',
    'row:3 L fan-in P:1',
    'row:4 L fan-in P:1',
    'row:5 L cycle P:2',
    'row:6 L cycle P:2',
    'row:7 L cycle P:2',
  ]);
  assert.deepEqual(index.counts(), { rows: 6, matched: 6, unmatched: 0, matchedNotLaundering: 0, attempts: 2 });
});

test('a row differing in any column (format, amount paid, account) does not match; unmatched Patterns rows are counted', async () => {
  const changed = [
    TRANS_ROWS[0]!.replace(',ACH,', ',Wire,'),
    TRANS_ROWS[1]!.replace('200.00,US Dollar,ACH', '199.00,US Dollar,ACH'),
    TRANS_ROWS[2]!.replace('004,A3', '004,A4'),
    TRANS_ROWS[3]!,
  ];
  const { labels, index } = await annotate(PATTERNS_TXT, `${IBM_HEADER}\n${changed.join('\n')}\n`);
  assert.deepEqual(brief(labels), ['row:1 L', 'row:2 L', 'row:3 L', 'row:4 L cycle P:2']);
  assert.deepEqual(index.counts(), { rows: 6, matched: 1, unmatched: 5, matchedNotLaundering: 0, attempts: 2 });
});

test('identical rows are matched in order, each Patterns row once; a match on a row not labelled laundering is counted', async () => {
  const row = TRANS_ROWS[0]!;
  const patterns = `BEGIN LAUNDERING ATTEMPT - STACK\n${row}\nEND LAUNDERING ATTEMPT - STACK\n\nBEGIN LAUNDERING ATTEMPT - SCATTER-GATHER\n${row}\nEND LAUNDERING ATTEMPT - SCATTER-GATHER\n`;
  const benign = row.replace(/,1$/, ',0');
  const { labels, index } = await annotate(patterns, `${IBM_HEADER}\n${row}\n${benign}\n${row}\n`);
  assert.deepEqual(brief(labels), ['row:1 L stack P:1', 'row:3 L', 'row:2 - scatter-gather P:2']);
  assert.deepEqual(index.counts(), { rows: 2, matched: 2, unmatched: 0, matchedNotLaundering: 1, attempts: 2 });
});

test('the real LI-Small_Patterns.txt: its 117 attempts index, and the verbatim rows of the Trans fixture match', async () => {
  const { report } = await withTempDir(async (dir) =>
    evaluateFiles({
      alerts: await writeIn(dir, 'none.jsonl', ''),
      truth: [fixture('ibm-amlworld/LI-Small_Trans.csv')],
      patterns: fixture('ibm-amlworld/LI-Small_Patterns.txt'),
    }),
  );
  const p = report.truth.patterns!;
  assert.equal(p.attempts, 117);
  assert.equal(p.rows, 1023);
  // Rows 1, 2, 5, 10, 11, 12 of the fixture are verbatim copies (SOURCES.md); the others were changed.
  assert.equal(p.matched, 6);
  assert.equal(p.unmatched, 1017);
  assert.deepEqual(
    report.schemes.map((s) => [s.scheme, s.transactions, s.attempts]),
    [
      ['fan-in', 2, 2],
      ['fan-out', 2, 1],
      ['stack', 2, 2],
    ],
  );
  assert.equal(report.transactions.positives, 6);
});

test('the Patterns reader and the Trans reader agree row by row on the real fixture (same canonical content)', async () => {
  const rows = await collect(ibmAmlReader.read({ path: fixture('ibm-amlworld/LI-Small_Patterns.txt'), file: 'p', source: 'p', batchId: 'b' }));
  assert.equal(rows.transactions.length, 1023);
  assert.equal(new Set(rows.truth.map((l) => l.instance)).size, 117);
  assert.ok(rows.truth.every((l) => l.scheme !== undefined && /^[a-z]+(-[a-z]+)*$/.test(l.scheme)));
});
