/**
 * One contract, two stores: every behaviour here must hold for DuckDB and PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { emptyBatch, type IngestBatch } from '../../src/ingest/reader.js';
import { channelIndex, TxBatch, type Alert, type Channel } from '../../src/model/index.js';
import type { Store } from '../../src/store/index.js';
import { allStoreFixtures } from '../helpers/stores.js';

const T0 = Date.UTC(2022, 8, 1, 10, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Row {
  id: string;
  t: number;
  from: string;
  to: string;
  amount: number;
  currency?: string;
  channel?: Channel;
  orig?: [number, string];
  countries?: [string, string];
  institutions?: [string, string];
}

function batch(source: string, rows: Row[], extra: Partial<Omit<IngestBatch, 'transactions'>> = {}, batchId = 'b-1'): IngestBatch {
  const tx = new TxBatch(source, `data/${source}`, batchId, Math.max(1, rows.length));
  rows.forEach((r, i) =>
    tx.push(r.id, r.t, r.from, r.to, r.amount, r.currency ?? 'USD', channelIndex(r.channel ?? 'wire'), i + 2, r.orig?.[0] ?? NaN, r.orig?.[1],
      r.countries?.[0], r.countries?.[1], r.institutions?.[0], r.institutions?.[1]),
  );
  return { ...emptyBatch(tx), ...extra };
}

async function ingest(store: Store, batches: IngestBatch[], batchId = 'b-1') {
  const session = await store.beginIngest({ batchId, startedMs: T0, files: batches.map((b) => b.file) });
  for (const b of batches) await session.write(b);
  return session.commit();
}

const WORLD: Row[] = [
  { id: 'T1', t: T0, from: 'MX/1', to: 'US/9', amount: 950_000, currency: 'USD', channel: 'wire', orig: [18_900_000, 'MXN'], countries: ['MX', 'US'], institutions: ['BANAMEX', 'CHASE'] },
  { id: 'T2', t: T0 + HOUR, from: 'MX/2', to: 'US/9', amount: 900_000, channel: 'remittance' },
  { id: 'T3', t: T0 + 2 * HOUR, from: 'MX/3', to: 'US/9', amount: 980_000, channel: 'cash' },
  { id: 'T4', t: T0 + DAY + HOUR, from: 'US/9', to: 'CO/5', amount: 2_700_000, channel: 'wire' },
  { id: 'T5', t: T0 + DAY + 2 * HOUR, from: 'US/9', to: 'CO/5', amount: 50_000, currency: 'EUR', channel: 'card' },
];

for (const fixture of allStoreFixtures()) {
  describe(`store contract: ${fixture.name}`, { skip: fixture.skip }, () => {
    after(() => fixture.cleanup());

    test('given a small world, stores every field and answers the investigation reads', async () => {
      const store = await fixture.open();
      try {
        const prov = { file: 'data/world.csv', line: 2, batch: 'b-1' };
        const counts = await ingest(store, [
          batch('world.csv', WORLD, {
            accounts: [{ id: 'US/9', kind: 'bank', institution: 'CHASE', country: 'US', name: 'Hub LLC', provenance: prov }],
            parties: [{ id: 'p-hub', kind: 'company', name: 'Hub LLC', country: 'US', identifiers: [{ type: 'EIN', value: '12-345' }], provenance: prov }],
            links: [{ partyId: 'p-hub', accountId: 'US/9', role: 'holder', provenance: prov }],
            reports: [{ id: 'r-1', format: 'goaml', reportCode: 'STR', reason: 'fan-in', indicators: ['MLTF'], transactionIds: ['T1', 'T2'], partyIds: ['p-hub'], accountIds: ['US/9'], provenance: prov }],
            truth: [{ source: 'world.csv', transactionId: 'T4', laundering: true, scheme: 'fan-in', instance: '1' }],
            rejects: [{ file: 'data/world.csv', line: 9, reason: 'unparseable amount "x"', record: 'a,b,"c, d"\tx' }],
          }),
        ]);
        assert.equal(counts.transactionsRead, 5);
        assert.equal(counts.transactionsInserted, 5);
        assert.equal(counts.duplicates, 0);
        assert.equal(counts.rejects, 1);

        const txs = await store.transactionsOfAccount('US/9');
        assert.deepEqual(txs.map((t) => t.id), ['T1', 'T2', 'T3', 'T4', 'T5']);
        assert.deepEqual(txs[0], {
          id: 'T1', source: 'world.csv', timeMs: T0, fromAccount: 'MX/1', toAccount: 'US/9', amountMinor: 950_000, currency: 'USD',
          originalAmountMinor: 18_900_000, originalCurrency: 'MXN', channel: 'wire', fromCountry: 'MX', toCountry: 'US',
          provenance: { file: 'data/world.csv', line: 2, batch: 'b-1' },
        });
        assert.equal(txs[1]!.originalAmountMinor, undefined);
        assert.equal(txs[1]!.channel, 'remittance');

        const window = await store.transactionsOfAccount('US/9', { fromMs: T0 + HOUR, toMs: T0 + DAY + HOUR });
        assert.deepEqual(window.map((t) => t.id), ['T2', 'T3'], 'lower bound inclusive, upper exclusive');
        assert.deepEqual((await store.transactionsOfAccount('US/9', { limit: 2, offset: 1 })).map((t) => t.id), ['T2', 'T3']);

        const nb = await store.neighbours('US/9');
        assert.deepEqual(nb[0], { account: 'CO/5', direction: 'out', currency: 'USD', count: 1, amountMinor: 2_700_000, firstMs: T0 + DAY + HOUR, lastMs: T0 + DAY + HOUR });
        assert.deepEqual(
          nb.map((n) => `${n.direction}:${n.account}:${n.currency}:${n.amountMinor}`),
          ['out:CO/5:USD:2700000', 'in:MX/3:USD:980000', 'in:MX/1:USD:950000', 'in:MX/2:USD:900000', 'out:CO/5:EUR:50000'],
        );
        assert.deepEqual((await store.neighbours('US/9', { direction: 'in' })).map((n) => n.account), ['MX/3', 'MX/1', 'MX/2']);

        const days = await store.dailyAggregates('US/9');
        assert.deepEqual(days, [
          { dayMs: Date.UTC(2022, 8, 1), currency: 'USD', inCount: 3, inAmountMinor: 2_830_000, outCount: 0, outAmountMinor: 0 },
          { dayMs: Date.UTC(2022, 8, 2), currency: 'EUR', inCount: 0, inAmountMinor: 0, outCount: 1, outAmountMinor: 50_000 },
          { dayMs: Date.UTC(2022, 8, 2), currency: 'USD', inCount: 0, inAmountMinor: 0, outCount: 1, outAmountMinor: 2_700_000 },
        ]);

        const hub = await store.account('US/9');
        assert.equal(hub?.account.kind, 'bank');
        assert.equal(hub?.account.name, 'Hub LLC');
        assert.deepEqual(hub?.parties.map((p) => [p.party.id, p.party.name, p.role, p.party.identifiers]), [['p-hub', 'Hub LLC', 'holder', [{ type: 'EIN', value: '12-345' }]]]);
        const derived = await store.account('MX/1');
        assert.deepEqual([derived?.account.kind, derived?.account.institution], ['bank', 'BANAMEX'], 'accounts named only by transactions are derived with their institution');
        assert.equal((await store.account('CO/5'))?.account.kind, 'unknown');
        assert.equal(await store.account('nobody'), undefined);

        const stats = await store.stats({ top: 2 });
        assert.equal(stats.transactions, 5);
        assert.equal(stats.accounts, 5);
        assert.equal(stats.parties, 1);
        assert.equal(stats.reports, 1);
        assert.equal(stats.truthLabels, 1);
        assert.equal(stats.rejects, 1);
        assert.equal(stats.firstMs, T0);
        assert.equal(stats.lastMs, T0 + DAY + 2 * HOUR);
        assert.deepEqual(stats.currencies, [
          { currency: 'USD', count: 4, amountMinor: 5_530_000 },
          { currency: 'EUR', count: 1, amountMinor: 50_000 },
        ]);
        assert.deepEqual(stats.sources, [{ source: 'world.csv', count: 5 }]);
        assert.deepEqual(stats.topAccounts[0], { account: 'US/9', sentCount: 2, receivedCount: 3, counterparties: 4 });

        const rejects = await store.rejects();
        assert.deepEqual(rejects, [{ batchId: 'b-1', file: 'data/world.csv', line: 9, reason: 'unparseable amount "x"', record: 'a,b,"c, d"\tx' }]);
      } finally {
        await store.close();
      }
    });

    test('ingest is idempotent: the same records twice are stored once', async () => {
      const store = await fixture.open();
      try {
        const first = await ingest(store, [batch('world.csv', WORLD)], 'b-1');
        const second = await ingest(store, [batch('world.csv', WORLD, {}, 'b-2')], 'b-2');
        assert.equal(first.transactionsInserted, 5);
        assert.equal(second.transactionsInserted, 0);
        assert.equal(second.duplicates, 5);
        assert.equal((await store.stats()).transactions, 5);
        // Same ids under another source are other transactions.
        const other = await ingest(store, [batch('other.csv', WORLD, {}, 'b-3')], 'b-3');
        assert.equal(other.transactionsInserted, 5);
        assert.equal((await store.stats()).transactions, 10);
      } finally {
        await store.close();
      }
    });

    test('an id repeated within the input is kept once, the first occurrence by line', async () => {
      const store = await fixture.open();
      try {
        const rows: Row[] = [
          { id: 'A', t: T0, from: 'x', to: 'y', amount: 100 },
          { id: 'A', t: T0 + 1, from: 'x', to: 'y', amount: 999 },
          { id: 'B', t: T0 + 2, from: 'y', to: 'z', amount: 200 },
        ];
        const counts = await ingest(store, [batch('dups.csv', rows)]);
        assert.equal(counts.transactionsInserted, 2);
        assert.equal(counts.duplicates, 1);
        const stored = await store.transactionsOfAccount('x');
        assert.deepEqual(stored.map((t) => [t.id, t.amountMinor]), [['A', 100]]);
      } finally {
        await store.close();
      }
    });

    test('row-numbered sources load without duplicate checks when new, and are still idempotent on reload', async () => {
      const store = await fixture.open();
      try {
        const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({ id: `row:${i + 1}`, t: T0 + i * 60_000, from: `a/${i % 37}`, to: `b/${i % 11}`, amount: 100 + i }));
        const unique = (id: string) => ({ ...batch('rows.csv', rows, {}, id), uniqueIds: true });
        const first = await ingest(store, [unique('b-1')], 'b-1');
        assert.equal(first.transactionsInserted, 1000);
        const again = await ingest(store, [unique('b-2')], 'b-2');
        assert.equal(again.transactionsInserted, 0);
        assert.equal(again.duplicates, 1000);
        const stats = await store.stats();
        assert.equal(stats.transactions, 1000);
        assert.equal(stats.accounts, 48);
      } finally {
        await store.close();
      }
    });

    test('screening results are kept with their party, once per party, entity and instant', async () => {
      const store = await fixture.open();
      try {
        const row = {
          partyId: 'cust-42',
          screenedAtMs: T0,
          queryName: 'Joaquin Guzman Loera',
          entityKey: 'ofac-sdn:12345',
          list: 'ofac-sdn',
          listVersion: '2021-03-01',
          entityName: 'GUZMAN LOERA, Joaquin',
          matchedName: 'GUZMAN LOERA, Joaquin',
          nameStrength: 'strong',
          score: 0.97,
          match: true,
          programs: ['SDNTK'],
          reasons: ['all name tokens match', 'birth date agrees'],
        };
        const weaker = { ...row, entityKey: 'un:QDi.1', list: 'un', listVersion: null, score: 0.61, match: false, programs: [] };
        assert.equal(await store.writeScreenings([row, weaker]), 2);
        assert.equal(await store.writeScreenings([row]), 0);
        const later = { ...row, screenedAtMs: T0 + 1000, score: 0.98 };
        assert.equal(await store.writeScreenings([later]), 1);
        assert.deepEqual(await store.screeningsOfParty('cust-42'), [later, row, weaker]);
        assert.deepEqual(await store.screeningsOfParty('nobody'), []);
      } finally {
        await store.close();
      }
    });

    test('an aborted session stores nothing', async () => {
      const store = await fixture.open();
      try {
        const session = await store.beginIngest({ batchId: 'b-x', startedMs: T0, files: ['x'] });
        await session.write(batch('world.csv', WORLD));
        await session.abort();
        const stats = await store.stats();
        assert.equal(stats.transactions, 0);
        assert.equal(stats.accounts, 0);
        // and the store is usable afterwards
        const counts = await ingest(store, [batch('world.csv', WORLD)]);
        assert.equal(counts.transactionsInserted, 5);
      } finally {
        await store.close();
      }
    });

    test('a load larger than one staging merge keeps every row once', async () => {
      const store = await fixture.open();
      try {
        const n = 230_000; // above the 200,000-row merge threshold
        const session = await store.beginIngest({ batchId: 'big', startedMs: T0, files: ['big.csv'] });
        for (let start = 0; start < n; start += 8192) {
          const len = Math.min(8192, n - start);
          const tx = new TxBatch('big.csv', 'big.csv', 'big', len);
          for (let i = start; i < start + len; i++) tx.push(`row:${i + 1}`, T0 + i, `acc/${i % 5000}`, `acc/${(i * 7) % 5000}`, i, 'USD', 0, i + 2);
          await session.write(emptyBatch(tx, true));
        }
        const counts = await session.commit();
        assert.equal(counts.transactionsInserted, n);
        const stats = await store.stats();
        assert.equal(stats.transactions, n);
        assert.equal(stats.accounts, 5000);
        assert.deepEqual(stats.currencies, [{ currency: 'USD', count: n, amountMinor: (n * (n - 1)) / 2 }]);
      } finally {
        await store.close();
      }
    });

    test('alerts are stored once and filtered by typology, account, score and time', async () => {
      const store = await fixture.open();
      try {
        const alert = (id: string, typology: string, score: number, accounts: string[], fromMs: number): Alert => ({
          id, typology, score, factors: [{ name: 'counterparties', value: 3, weight: 0.5 }], accounts, transactions: ['T1', 'T2'],
          fromMs, toMs: fromMs + HOUR, amountMinor: 123_456, currency: 'USD', explanation: `${typology} on ${accounts[0]}`,
        });
        const alerts = [alert('a-1', 'fan-in', 0.9, ['US/9', 'MX/1'], T0), alert('a-2', 'cycle', 0.4, ['CO/5'], T0 + DAY), alert('a-3', 'fan-in', 0.6, ['CO/5'], T0 + 2 * DAY)];
        assert.equal(await store.writeAlerts(alerts, 'scan-1'), 3);
        assert.equal(await store.writeAlerts(alerts, 'scan-2'), 0);
        assert.deepEqual((await store.alerts()).map((a) => a.id), ['a-1', 'a-3', 'a-2']);
        assert.deepEqual(await store.alerts({ typology: 'cycle' }), [alerts[1]]);
        assert.deepEqual((await store.alerts({ account: 'CO/5' })).map((a) => a.id), ['a-3', 'a-2']);
        assert.deepEqual((await store.alerts({ minScore: 0.5 })).map((a) => a.id), ['a-1', 'a-3']);
        assert.deepEqual((await store.alerts({ fromMs: T0 + DAY, toMs: T0 + DAY + 1 })).map((a) => a.id), ['a-2']);
        assert.equal((await store.stats()).alerts, 3);
      } finally {
        await store.close();
      }
    });
  });
}
