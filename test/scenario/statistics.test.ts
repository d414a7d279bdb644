/**
 * Statistical sanity of the generated world (default schemes), measured the way the literature describes
 * payment networks: given a world of 8,000 accounts over 60 days, then the degree distributions are
 * heavy-tailed (a few merchants, utilities and employers with thousands of counterparties, most accounts
 * with a handful), amounts per channel sit where real ones do, and benign fan-ins and fan-outs far
 * outnumber the criminal ones — the shapes alone do not give laundering away.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateWorld } from '../../src/scenario/index.js';
import { FX_PER_USD } from '../../src/scenario/geography.js';
import { groupBy, median, quantile, readCsv, readRastro, type RastroRow } from '../helpers/scenario.js';

/** Hill's estimator of the tail index over the largest `share` of the values (smaller = heavier tail). */
function hill(values: readonly number[], share: number): number {
  const desc = [...values].sort((a, b) => b - a);
  const k = Math.max(2, Math.ceil(desc.length * share));
  const xk = desc[k]!;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.log(desc[i]! / xk);
  return k / sum;
}

function distinct(rows: readonly RastroRow[], key: 'from' | 'to'): Map<string, number> {
  const sets = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.from === r.to) continue;
    const k = r[key];
    let s = sets.get(k);
    if (!s) sets.set(k, (s = new Set()));
    s.add(key === 'to' ? r.from : r.to);
  }
  return new Map([...sets].map(([k, s]) => [k, s.size]));
}

describe('the statistics of a world of 8,000 accounts over 60 days (seed 13, default schemes)', () => {
  let dir: string;
  let rows: RastroRow[];
  let roleOf: Map<string, string>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-stats-'));
    await generateWorld({ accounts: 8_000, days: 60, seed: 13, startMs: Date.UTC(2022, 8, 1), outDir: dir, format: 'rastro' });
    rows = (await readRastro(dir)).rows;
    roleOf = new Map((await readCsv(join(dir, 'accounts.csv'))).map((a) => [a.account!, a.role!]));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('in-degree is heavy-tailed: the top 1 % of accounts take over 30 % of the payer links, tail index below 2.5', () => {
    const degrees = [...distinct(rows, 'to').values()];
    const total = degrees.reduce((a, b) => a + b, 0);
    const top = [...degrees].sort((a, b) => b - a).slice(0, Math.ceil(degrees.length / 100)).reduce((a, b) => a + b, 0);
    assert.ok(top / total > 0.3, `top 1 % hold ${((100 * top) / total).toFixed(1)} %`);
    assert.ok(Math.max(...degrees) >= 100 * median(degrees), `max ${Math.max(...degrees)}, median ${median(degrees)}`);
    assert.ok(hill(degrees, 0.02) < 2.5, `tail index ${hill(degrees, 0.02)}`);
  });

  test('businesses\' out-degree is heavy-tailed (payroll, suppliers); people\'s is spread but bounded by their habits', () => {
    const out = distinct(rows, 'from');
    const business = [...out].filter(([a]) => !['person', 'fresh'].includes(roleOf.get(a)!)).map(([, d]) => d);
    assert.ok(Math.max(...business) >= 20 * median(business), `max ${Math.max(...business)}, median ${median(business)}`);
    assert.ok(hill(business, 0.1) < 2.5, `tail index ${hill(business, 0.1)}`);
    const people = [...out].filter(([a]) => roleOf.get(a) === 'person').map(([, d]) => d);
    assert.ok(median(people) >= 5 && median(people) <= 40, `median ${median(people)} payees per person`);
    assert.ok(quantile(people, 0.99) >= 2 * median(people));
  });

  test('amounts per channel, in US dollars, sit where real ones do', () => {
    const byChannel = groupBy(rows.filter((r) => !r.laundering), (r) => r.channel);
    const usd = (c: string) => (byChannel.get(c) ?? []).map((r) => r.paid / (FX_PER_USD[r.paidCurrency] ?? 1));
    const expect: Record<string, { median: [number, number]; p99Max: number }> = {
      card: { median: [10, 60], p99Max: 2_000 },
      ach: { median: [20, 300], p99Max: 50_000 },
      wire: { median: [300, 5_000], p99Max: 200_000 },
      cheque: { median: [300, 5_000], p99Max: 100_000 },
      remittance: { median: [150, 600], p99Max: 2_000 },
      cash: { median: [300, 3_000], p99Max: 10_000 },
      reinvestment: { median: [10, 1_000], p99Max: 20_000 },
    };
    for (const [channel, e] of Object.entries(expect)) {
      const v = usd(channel);
      assert.ok(v.length > 100, `${v.length} ${channel} rows`);
      const m = median(v);
      assert.ok(m >= e.median[0] && m <= e.median[1], `${channel} median ${m.toFixed(0)} USD`);
      assert.ok(quantile(v, 0.99) <= e.p99Max, `${channel} p99 ${quantile(v, 0.99).toFixed(0)} USD`);
    }
    assert.ok(quantile(usd('card'), 0.99) > 8 * median(usd('card')), 'card amounts are heavy-tailed');
    assert.ok(median(usd('wire')) > 5 * median(usd('ach')), 'wires are the large payments');
    // Cards and cash in whole units or cents alike; cash deposits mostly whole units.
    const cash = byChannel.get('cash')!;
    assert.ok(cash.filter((r) => Number.isInteger(r.amount)).length > 0.5 * cash.length);
  });

  test('benign fan-ins and fan-outs (five or more counterparties within three days) far outnumber the criminal ones', () => {
    const fans = (laundering: boolean, key: 'from' | 'to') => {
      const sets = new Map<string, Set<string>>();
      for (const r of rows) {
        if (r.laundering !== laundering || r.from === r.to) continue;
        const k = `${r[key]}|${Math.floor(r.timeMs / (3 * 86_400_000))}`;
        let s = sets.get(k);
        if (!s) sets.set(k, (s = new Set()));
        s.add(key === 'to' ? r.from : r.to);
      }
      return [...sets.values()].filter((s) => s.size >= 5).length;
    };
    const benignIn = fans(false, 'to');
    const benignOut = fans(false, 'from');
    const criminalIn = fans(true, 'to');
    const criminalOut = fans(true, 'from');
    assert.ok(criminalIn > 0 && criminalOut > 0, `${criminalIn} criminal fan-ins, ${criminalOut} fan-outs`);
    assert.ok(benignIn > 10 * criminalIn, `${benignIn} benign fan-ins vs ${criminalIn}`);
    assert.ok(benignOut > 10 * criminalOut, `${benignOut} benign fan-outs vs ${criminalOut}`);
    // Benign fans come from every kind of business and from people.
    const inRoles = new Set<string>();
    for (const r of rows) if (!r.laundering) inRoles.add(roleOf.get(r.to)!);
    for (const role of ['merchant', 'utility', 'landlord', 'supplier', 'exchange']) assert.ok(inRoles.has(role), role);
  });

  test('the criminal share is small: under 0.5 % of the rows and 5 % of the accounts', async () => {
    const laundering = rows.filter((r) => r.laundering).length;
    assert.ok(laundering > 200 && laundering < 0.005 * rows.length, `${laundering} of ${rows.length}`);
    const accounts = await readCsv(join(dir, 'accounts.csv'));
    const members = accounts.filter((a) => a.is_laundering === '1').length;
    assert.ok(members < 0.05 * accounts.length, `${members} of ${accounts.length} accounts`);
  });
});
