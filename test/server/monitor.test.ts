/**
 * Real-time monitoring on each store: concurrent large requests (which a store that overlaps group commits
 * writes two at a time) store every transaction once, answer repeats as duplicates, leave every alert they
 * answered stored with its latest figures, and keep the audit chain whole.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Viewer } from '../../src/model/index.js';
import { Monitor, type MonitoredInput } from '../../src/server/monitor.js';
import { checkChain, startChainCheck, type QueueAlert } from '../../src/store/index.js';
import { allStoreFixtures } from '../helpers/stores.js';

const T0 = Date.UTC(2024, 0, 10, 9, 0);
const system: Viewer = { tenantId: 'bank', userId: 'token:t1', role: 'analyst' };
const supervisor: Viewer = { tenantId: 'bank', userId: 'u-sue', role: 'supervisor' };

/** Request k: 2,500 transfers a minute apart among 40 senders and 50 receivers (fans form). */
function request(k: number): MonitoredInput[] {
  return Array.from({ length: 2_500 }, (_, i) => {
    const n = k * 2_500 + i;
    return { id: `M${n}`, timeMs: T0 + n * 60_000, fromAccount: `A${n % 40}`, toAccount: `B${(n * 7) % 50}`, amountMinor: 900_000 + (n % 997), currency: 'USD', channel: 'wire' };
  });
}

for (const fixture of allStoreFixtures()) {
  describe(`monitor: ${fixture.name}`, { skip: fixture.skip }, () => {
    after(() => fixture.cleanup());

    test('concurrent large requests: each transaction stored once, repeats answered as duplicates, alerts stored as last answered, chain whole', async () => {
      const store = await fixture.open();
      const s = store.investigation;
      try {
        await s.createTenant(
          { id: 'bank', name: 'Bank', operator: false, settings: '{}', createdMs: T0 },
          { atMs: T0, actorTenant: 'bank', actor: 'system', action: 'tenant.create', objectKind: 'tenant', objectId: 'bank', objectTenant: 'bank', ip: '', detail: '{}' },
        );
        const monitor = new Monitor(s);
        const outcomes = await Promise.all([0, 1, 2, 3, 4, 5].map((k) => monitor.ingest(system, request(k), 'AMBER', `req-${k}`)));
        assert.deepEqual(outcomes.map((o) => o.accepted), [2_500, 2_500, 2_500, 2_500, 2_500, 2_500]);
        const again = await monitor.ingest(system, request(2).slice(0, 10), 'AMBER', 'req-again');
        assert.deepEqual([again.accepted, again.duplicateIds.length], [0, 10]);
        await monitor.settle();
        assert.equal((await s.transactionIds('bank', 1)).total, 6 * 2_500);

        // Requests run through the engine in call order: the last answer naming an alert has its latest figures.
        const latest = new Map<string, QueueAlert>();
        for (const o of outcomes) for (const a of o.alerts) latest.set(a.id, a);
        assert.ok(latest.size > 0, 'the traffic raises alerts');
        for (const a of latest.values()) {
          const stored = await s.alert(supervisor, a.id);
          assert.ok(stored, a.id);
          assert.deepEqual([stored.score, stored.transactions.length], [a.score, a.transactions.length], a.id);
        }
        await monitor.close();
        const entries = await s.audit({ limit: 100 });
        assert.equal(entries.filter((e) => e.action === 'transactions.ingest').length, 7);
        assert.equal(checkChain(entries, startChainCheck()).ok, true);
      } finally {
        await store.close();
      }
    });
  });
}
