/**
 * Detection quality on a generated world: a benign economy with the IBM AMLworld LI-Small laundering
 * attempts embedded on ordinary accounts (rastro generate → scan → eval, through the real CLI). The
 * thresholds are the targets where the engine meets them; they fail if detection regresses. Also:
 * the engine must never read the label column.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const patterns = join(root, 'test', 'fixtures', 'ibm-amlworld', 'LI-Small_Patterns.txt');

function rastro(...args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `rastro ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface SchemeReport {
  scheme: string;
  transactionRecall: number;
  attemptRecall: number;
}

describe('detection quality on a generated world with IBM attempts embedded', () => {
  let dir: string;
  let report: { transactions: { recall: number }; accounts: { recall: number; precision: number }; schemes: SchemeReport[] };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-quality-'));
    rastro('generate', '--accounts', '4000', '--days', '75', '--seed', '3', '--embed-patterns', patterns, '--out', dir, '-q');
    rastro('scan', join(dir, 'Trans.csv'), '--alerts', join(dir, 'alerts.jsonl'), '-q');
    report = JSON.parse(rastro('eval', '--alerts', join(dir, 'alerts.jsonl'), '--truth', join(dir, 'Trans.csv'), join(dir, 'accounts.csv'), '--patterns', join(dir, 'Patterns.txt'), '--json', '-q'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const recall = (scheme: string) => report.schemes.find((s) => s.scheme === scheme)!;

  for (const scheme of ['fan-in', 'fan-out', 'cycle', 'scatter-gather', 'gather-scatter']) {
    it(`finds ≥ 90 % of the ${scheme} laundering transactions`, () => {
      assert.ok(recall(scheme).transactionRecall >= 0.9, `${scheme}: ${JSON.stringify(recall(scheme))}`);
    });
  }

  it('finds ≥ 60 % of the stack transactions and ≥ 40 % of the bipartite ones (disjoint edges: no shape to see)', () => {
    assert.ok(recall('stack').transactionRecall >= 0.6, JSON.stringify(recall('stack')));
    assert.ok(recall('bipartite').transactionRecall >= 0.4, JSON.stringify(recall('bipartite')));
  });

  it('finds ≥ 85 % of the laundering accounts', () => {
    assert.ok(report.accounts.recall >= 0.85, JSON.stringify(report.accounts));
  });

  it('raises exactly the same alerts when every label is flipped', () => {
    const original = readFileSync(join(dir, 'Trans.csv'), 'utf8');
    const flipped = original.replace(/,([01])\n/g, (_, l: string) => (l === '1' ? ',0\n' : ',1\n'));
    assert.notEqual(flipped, original);
    writeFileSync(join(dir, 'Flipped.csv'), flipped);
    rastro('scan', join(dir, 'Flipped.csv'), '--alerts', join(dir, 'flipped.jsonl'), '-q');
    assert.equal(readFileSync(join(dir, 'flipped.jsonl'), 'utf8'), readFileSync(join(dir, 'alerts.jsonl'), 'utf8'));
  });
});
