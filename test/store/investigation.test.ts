/**
 * The investigation store contract, on DuckDB and PostgreSQL alike: tenant and TLP isolation in the queries,
 * sharing agreements, live alert upserts that keep analysts' work, cases, intake linking, and the audit chain.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Tlp, Viewer } from '../../src/model/index.js';
import {
  checkChain,
  startChainCheck,
  type AuditDraft,
  type QueueAlert,
  type Store,
  type TenantTransaction,
} from '../../src/store/index.js';
import { allStoreFixtures } from '../helpers/stores.js';

const T0 = Date.UTC(2024, 0, 10, 9, 0);

function sys(tenantId: string, action: string, atMs = T0): AuditDraft {
  return { atMs, actorTenant: tenantId, actor: 'system', action, objectKind: 'tenant', objectId: tenantId, objectTenant: tenantId, ip: '', detail: '{}' };
}

const fiu: Viewer = { tenantId: 'fiu', userId: 'u-ana', role: 'analyst', ip: '127.0.0.1' };
const fiuOther: Viewer = { tenantId: 'fiu', userId: 'u-bob', role: 'analyst' };
const fiuSup: Viewer = { tenantId: 'fiu', userId: 'u-sue', role: 'supervisor' };
const bank: Viewer = { tenantId: 'bank', userId: 'u-carl', role: 'analyst', ip: '10.0.0.9' };
const police: Viewer = { tenantId: 'police', userId: 'u-dan', role: 'analyst' };

function tx(tenantId: string, id: string, tlp: Tlp = 'AMBER', from = 'MX/1', to = 'US/9'): TenantTransaction {
  return { tenantId, id, timeMs: T0, fromAccount: from, toAccount: to, amountMinor: 950_000, currency: 'USD', channel: 'wire', tlp, receivedMs: T0, batchId: 'req-1' };
}

function alert(tenantId: string, id: string, tlp: Tlp, score = 0.8, extra: Partial<QueueAlert> = {}): QueueAlert {
  return {
    tenantId,
    id,
    typology: 'fan-in',
    score,
    factors: [{ name: 'senders', value: 0.8, weight: 1 }],
    accounts: ['US/9', 'MX/1'],
    transactions: ['T1'],
    fromMs: T0,
    toMs: T0 + 1000,
    amountMinor: 950_000,
    currency: 'USD',
    explanation: '3 accounts sent 9,500.00 USD to US/9',
    status: 'new',
    tlp,
    createdMs: T0,
    updatedMs: T0,
    ...extra,
  };
}

async function world(store: Store): Promise<void> {
  const s = store.investigation;
  for (const id of ['fiu', 'bank', 'police']) {
    await s.createTenant({ id, name: id.toUpperCase(), operator: id === 'fiu', settings: '{}', createdMs: T0 }, sys(id, 'tenant.create'));
  }
  await s.recordMonitored([
    {
      tenantId: 'bank',
      transactions: [tx('bank', 'T1'), tx('bank', 'T2', 'GREEN'), tx('bank', 'T3', 'RED')],
      alerts: [alert('bank', 'a-amber', 'AMBER'), alert('bank', 'a-green', 'GREEN', 0.6), alert('bank', 'a-red', 'RED', 0.9), alert('bank', 'a-strict', 'AMBER+STRICT', 0.7)],
      audit: [sys('bank', 'transactions.ingest')],
    },
    { tenantId: 'fiu', transactions: [tx('fiu', 'T1', 'AMBER', 'X', 'Y')], alerts: [alert('fiu', 'f-1', 'AMBER', 0.5)], audit: [] },
  ]);
}

for (const fixture of allStoreFixtures()) {
  describe(`investigation store: ${fixture.name}`, { skip: fixture.skip }, () => {
    after(() => fixture.cleanup());

    test('a tenant sees its own records; another tenant sees nothing without an agreement', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        assert.deepEqual((await s.alerts(bank)).map((a) => a.id).sort(), ['a-amber', 'a-green', 'a-strict']);
        assert.deepEqual((await s.alerts(fiu, { scope: 'all' })).map((a) => a.id), ['f-1']);
        assert.equal(await s.alert(fiu, 'a-amber'), undefined);
        assert.equal(await s.alert(police, 'f-1'), undefined);
        // Same transaction id in two tenants: each sees its own.
        assert.equal((await s.transaction(fiu, 'T1'))?.fromAccount, 'X');
        assert.equal((await s.transaction(bank, 'T1'))?.fromAccount, 'MX/1');
        assert.equal(await s.transaction(police, 'T1'), undefined);
      } finally {
        await store.close();
      }
    });

    test('RED stays with the people named on it; supervisors of the tenant see it', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        const carl = bank;
        assert.equal(await s.alert(carl, 'a-red'), undefined, 'nobody is assigned yet');
        const sup: Viewer = { tenantId: 'bank', userId: 'u-boss', role: 'supervisor' };
        assert.ok(await s.alert(sup, 'a-red'));
        await s.updateAlert(sup, 'a-red', { assignee: carl.userId, status: 'assigned' }, T0 + 1, 'alert.assign', {});
        assert.equal((await s.alert(carl, 'a-red'))?.status, 'assigned');
      } finally {
        await store.close();
      }
    });

    test('a sharing agreement opens markings up to its level, never RED, and revoking closes it again', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        await s.createAgreement(
          { id: 'ag-1', ownerTenant: 'bank', partnerTenant: 'fiu', maxTlp: 'AMBER', purpose: 'STR follow-up', createdBy: 'u-admin', createdMs: T0 },
          sys('bank', 'sharing.create'),
        );
        const shared = await s.alerts(fiu, { scope: 'shared' });
        assert.deepEqual(shared.map((a) => a.id).sort(), ['a-amber', 'a-green']);
        assert.deepEqual((await s.alerts(fiu, { scope: 'all' })).map((a) => a.id).sort(), ['a-amber', 'a-green', 'f-1']);
        assert.equal(await s.alert(police, 'a-green'), undefined, 'the agreement is with the FIU only');
        assert.equal((await s.alert(fiu, 'a-amber'))?.tenantId, 'bank');
        assert.equal(await s.alert(fiu, 'a-strict'), undefined);
        assert.equal(await s.transaction(fiu, 'T3'), undefined, 'RED is never shared');
        assert.equal((await s.transaction(fiu, 'T2'))?.tenantId, 'bank');
        // The partner cannot change the owner's alert.
        assert.equal(await s.updateAlert(fiu, 'a-amber', { status: 'false-positive' }, T0 + 2, 'alert.disposition', {}), undefined);
        assert.equal((await s.alert(bank, 'a-amber'))?.status, 'new');
        // Reads of shared data are in the audit trail, naming reader and owner.
        const reads = (await s.audit({ tenantId: 'bank' })).filter((e) => e.action === 'read-shared');
        assert.ok(reads.some((e) => e.actorTenant === 'fiu' && e.objectTenant === 'bank' && e.objectId === 'a-amber' && e.ip === '127.0.0.1'));
        assert.equal(await s.revokeAgreement(fiu, 'ag-1', T0 + 3), false, 'only the owner revokes');
        assert.equal(await s.revokeAgreement(bank, 'ag-1', T0 + 3), true);
        assert.deepEqual(await s.alerts(fiu, { scope: 'shared' }), []);
      } finally {
        await store.close();
      }
    });

    test('live alert upserts refresh detection and keep the analyst’s work; lookups by transaction', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        await s.updateAlert(bank, 'a-amber', { assignee: bank.userId, status: 'assigned' }, T0 + 5, 'alert.assign', {});
        await s.recordMonitored([
          {
            tenantId: 'bank',
            transactions: [tx('bank', 'T4')],
            alerts: [],
            alertUpdates: [
              alert('bank', 'a-amber', 'AMBER', 0.95, {
                transactions: ['T1', 'T4'],
                accounts: ['US/9', 'MX/1', 'MX/4'],
                explanation: `O'Brien's "hub" \\'); DROP TABLE tenant_alerts; --`,
                updatedMs: T0 + 9,
              }),
            ],
            audit: [],
          },
        ]);
        const a = await s.alert(bank, 'a-amber');
        assert.equal(a?.score, 0.95);
        assert.equal(a?.status, 'assigned');
        assert.equal(a?.assignee, bank.userId);
        assert.deepEqual(a?.transactions, ['T1', 'T4']);
        assert.equal(a?.explanation, `O'Brien's "hub" \\'); DROP TABLE tenant_alerts; --`, 'values travel as data, whatever they hold');
        assert.deepEqual((await s.alertsOnTransactions('bank', ['T4'])).map((x) => x.id), ['a-amber']);
        assert.deepEqual((await s.alerts(bank, { account: 'MX/4' })).map((x) => x.id), ['a-amber']);
        assert.deepEqual((await s.alerts(bank, { minScore: 0.65, maxScore: 0.9, status: 'new' })).map((x) => x.id), ['a-strict']);
        assert.deepEqual([...(await s.existingTransactionIds('bank', ['T1', 'T4', 'T9']))].sort(), ['T1', 'T4']);
        assert.equal((await s.transactionIds('bank', 10)).total, 4);
        assert.deepEqual((await s.transactions(bank, { account: 'US/9' })).map((t) => t.id).sort(), ['T1', 'T2', 'T4']);
      } finally {
        await store.close();
      }
    });

    test('cases: items, notes, content-addressed attachments, decisions and a timeline, all tenant-bound', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        await s.createCase(
          fiu,
          { tenantId: 'fiu', id: 'c-1', title: 'Mule ring', summary: '', status: 'open', tlp: 'AMBER', createdBy: fiu.userId, createdMs: T0, updatedMs: T0 },
          [{ caseId: 'c-1', kind: 'alert', ref: 'f-1', addedBy: fiu.userId, addedMs: T0 }],
        );
        assert.ok(await s.addCaseItems(fiu, 'c-1', [{ caseId: 'c-1', kind: 'account', ref: 'US/9', note: 'hub', addedBy: fiu.userId, addedMs: T0 + 1 }], T0 + 1));
        assert.equal(await s.addCaseItems(bank, 'c-1', [{ caseId: 'c-1', kind: 'account', ref: 'X', addedBy: 'u', addedMs: T0 }], T0 + 1), false);
        assert.ok(await s.addNote(fiu, { tenantId: 'fiu', id: 'n-1', caseId: 'c-1', body: 'Called the bank', tlp: 'AMBER', createdBy: fiu.userId, createdMs: T0 + 2 }));
        assert.ok(await s.addNote(fiu, { tenantId: 'fiu', id: 'n-2', caseId: 'c-1', body: 'Source name', tlp: 'RED', createdBy: fiu.userId, createdMs: T0 + 3 }));
        assert.deepEqual((await s.notes(fiu, 'c-1'))?.map((n) => n.id), ['n-1', 'n-2']);
        assert.deepEqual((await s.notes(fiuOther, 'c-1'))?.map((n) => n.id), ['n-1'], 'a RED note only for its author');
        assert.deepEqual((await s.notes(fiuSup, 'c-1'))?.map((n) => n.id), ['n-1', 'n-2']);
        const bytes = Buffer.from('%PDF-1.4 statement');
        const sha = 'ab'.repeat(32);
        const meta = { tenantId: 'fiu', caseId: 'c-1', sha256: sha, name: 'statement.pdf', mediaType: 'application/pdf', sizeBytes: bytes.length, tlp: 'AMBER' as Tlp, createdBy: fiu.userId, createdMs: T0 + 4 };
        assert.ok(await s.addAttachment(fiu, meta, bytes));
        assert.ok(await s.addAttachment(fiu, { ...meta, name: 'again.pdf' }, bytes), 'the same content again is fine');
        assert.equal((await s.attachments(fiu, 'c-1'))?.length, 1);
        assert.deepEqual((await s.attachment(fiu, 'c-1', sha))?.content, bytes);
        assert.equal(await s.attachment(bank, 'c-1', sha), undefined);
        assert.ok(await s.addDecision(fiu, { tenantId: 'fiu', id: 'd-1', caseId: 'c-1', kind: 'file-str', reason: 'ring confirmed', decidedBy: fiu.userId, decidedMs: T0 + 5 }));
        const c = await s.updateCase(fiu, 'c-1', { status: 'in-review', assignee: fiuOther.userId }, T0 + 6);
        assert.equal(c?.status, 'in-review');
        assert.equal(await s.updateCase(bank, 'c-1', { status: 'closed' }, T0 + 7), undefined);
        assert.equal(await s.case(bank, 'c-1'), undefined);
        assert.deepEqual((await s.caseItems(fiu, 'c-1'))?.map((i) => `${i.kind}:${i.ref}`), ['alert:f-1', 'account:US/9']);
        assert.ok(await s.removeCaseItem(fiu, 'c-1', 'account', 'US/9', T0 + 8));
        const timeline = (await s.timeline(fiu, 'c-1'))!.map((e) => e.kind);
        assert.deepEqual(timeline, ['created', 'items-added', 'note-added', 'note-added', 'attachment-added', 'attachment-added', 'decision', 'updated', 'item-removed']);
        assert.equal(await s.timeline(bank, 'c-1'), undefined);
        assert.deepEqual((await s.cases(fiu)).map((x) => x.id), ['c-1']);
        assert.deepEqual(await s.cases(bank, { scope: 'all' }), []);
      } finally {
        await store.close();
      }
    });

    test('intake links a report to parties and accounts the tenant already has', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        const entity = (id: string, kind: 'party' | 'account') => ({
          tenantId: 'fiu', kind, id, name: id, data: '{}', tlp: 'AMBER' as Tlp, source: 'goaml:r', createdBy: fiu.userId, createdMs: T0, updatedMs: T0,
        });
        const report = (id: string) => ({
          tenantId: 'fiu', id, format: 'goaml', reportCode: 'STR', indicators: ['MLTF'], sha256: 'cd'.repeat(32), tlp: 'AMBER' as Tlp,
          createdBy: fiu.userId, createdMs: T0, links: [{ kind: 'party', ref: 'p-1' }],
        });
        const first = await s.saveIntake(fiu, { report: report('r-1'), entities: [entity('p-1', 'party'), entity('BANK/1', 'account')], transactions: [tx('fiu', 'G1')] });
        assert.deepEqual(first.created.map((e) => e.id), ['p-1', 'BANK/1']);
        assert.equal(first.transactionsInserted, 1);
        const second = await s.saveIntake(fiu, { report: report('r-2'), entities: [entity('p-1', 'party'), entity('p-2', 'party')], transactions: [tx('fiu', 'G1')] });
        assert.deepEqual(second.linked.map((e) => e.id), ['p-1']);
        assert.deepEqual(second.created.map((e) => e.id), ['p-2']);
        assert.equal(second.transactionsKnown, 1);
        assert.deepEqual((await s.report(fiu, 'r-1'))?.links, [{ kind: 'party', ref: 'p-1' }]);
        assert.equal(await s.report(bank, 'r-1'), undefined);
        assert.deepEqual((await s.entities(fiu, { q: 'bank' })).map((e) => e.id), ['BANK/1']);
        assert.equal(await s.entity(bank, 'party', 'p-1'), undefined);
      } finally {
        await store.close();
      }
    });

    test('every change is in one hash chain that detects tampering', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        await s.updateAlert(bank, 'a-amber', { status: 'false-positive', disposition: 'false-positive', dispositionReason: 'payroll' }, T0 + 1, 'alert.disposition', { reason: 'payroll' });
        const entries = await s.audit();
        assert.ok(entries.length >= 5);
        assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1));
        const ok = checkChain(entries, startChainCheck());
        assert.equal(ok.ok, true);
        const tampered = entries.map((e) => (e.seq === 3 ? { ...e, detail: '{"forged":true}' } : e));
        assert.deepEqual(checkChain(tampered, startChainCheck()).broken?.seq, 3);
        const removed = entries.filter((e) => e.seq !== 2);
        assert.match(checkChain(removed, startChainCheck()).broken?.reason ?? '', /removed/);
        assert.ok(entries.some((e) => e.action === 'alert.disposition' && e.actor === bank.userId && e.ip === '10.0.0.9'));
      } finally {
        await store.close();
      }
    });

    test('monitored groups: large ones (bulk path) store every row; a failing group stores nothing and the chain goes on', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        const many = Array.from({ length: 2_500 }, (_, i) => ({
          ...tx('bank', `B${i}`, 'GREEN', i === 3 ? `O'Brien Ñandú 中文 ; DROP` : `MX/${i % 7}`, `US/${i % 11}`),
          originalAmountMinor: i,
          originalCurrency: 'MXN',
          ...(i % 2 === 1 ? { fromCountry: 'MX' } : {}),
          ...(i === 5 ? { amountMinor: 2 ** 53 - 1, timeMs: -86_400_000 } : {}),
          ...(i === 9 ? { toAccount: 'US/\u0000nul' } : {}),
        }));
        const drafts = Array.from({ length: 2_100 }, (_, i) => sys('bank', `bulk-${i}`, T0 + i));
        await s.recordMonitored([
          // 6,000 references with ON CONFLICT: more than one statement's chunk (5,000 rows) of held inserts.
          { tenantId: 'bank', transactions: many, alerts: [alert('bank', 'b-1', 'GREEN', 0.7, { transactions: Array.from({ length: 6_000 }, (_, i) => `B${i}`) })], audit: drafts },
          { tenantId: 'fiu', transactions: [tx('fiu', 'F9')], alerts: [], audit: [sys('fiu', 'small')] },
        ]);
        assert.equal((await s.transactionIds('bank', 10)).total, 3 + 2_500);
        const b7 = await s.transaction(bank, 'B7');
        assert.equal(b7?.fromAccount, 'MX/0');
        assert.equal(b7?.originalAmountMinor, 7);
        assert.equal(b7?.fromCountry, 'MX');
        assert.equal((await s.transaction(bank, 'B8'))?.fromCountry, undefined, 'NULLs stay NULL on the bulk path');
        assert.equal((await s.transaction(bank, 'B3'))?.fromAccount, `O'Brien Ñandú 中文 ; DROP`);
        // NUL, which PostgreSQL text cannot hold, is stored as U+FFFD by every store and every path (bulk,
        // appender, literal), so the same input reads back the same whatever the size of its group.
        assert.equal((await s.transaction(bank, 'B9'))?.toAccount, 'US/\uFFFDnul');
        const b5 = await s.transaction(bank, 'B5');
        assert.deepEqual([b5?.amountMinor, b5?.timeMs], [2 ** 53 - 1, -86_400_000]);
        // A group between the literal and the bulk sizes (DuckDB's appender).
        await s.recordMonitored([
          { tenantId: 'bank', transactions: Array.from({ length: 300 }, (_, i) => tx('bank', `M${i}`, 'AMBER', 'MX/1', i === 7 ? 'US/\u0000nul' : 'US/9')), alerts: [], audit: [sys('bank', 'mid')] },
        ]);
        assert.equal((await s.transactionIds('bank', 10)).total, 3 + 2_500 + 300);
        assert.equal((await s.transaction(bank, 'M7'))?.toAccount, 'US/\uFFFDnul');
        await s.recordMonitored([{ tenantId: 'bank', transactions: [tx('bank', 'S1', 'AMBER', 'MX/1', 'US/\u0000nul')], alerts: [], audit: [sys('bank', 'small')] }]);
        assert.equal((await s.transaction(bank, 'S1'))?.toAccount, 'US/\uFFFDnul');
        for (const ref of ['B2', 'B4999', 'B5000', 'B5999']) assert.deepEqual((await s.alertsOnTransactions('bank', [ref])).map((a) => a.id), ['b-1'], ref);
        const before = await s.audit({ limit: 10_000 });
        assert.equal(checkChain(before, startChainCheck()).ok, true);

        // A row the database refuses (a NULL where the column forbids it; an amount it cannot store) refuses the
        // group, and with it the alert and the audit entry.
        // Small groups and bulk ones alike.
        const filler = Array.from({ length: 2_100 }, (_, i) => tx('bank', `X${i}`));
        for (const bad of [{ channel: null as unknown as string }, { amountMinor: NaN }]) {
          for (const others of [[], filler]) {
            await assert.rejects(
              s.recordMonitored([
                {
                  tenantId: 'bank',
                  transactions: [tx('bank', 'T9'), ...others, { ...tx('bank', 'T10'), ...bad }],
                  alerts: [alert('bank', 'b-2', 'AMBER')],
                  audit: [sys('bank', 'doomed')],
                },
              ]),
            );
          }
        }
        assert.equal(await s.alert(bank, 'b-2'), undefined);
        assert.equal((await s.existingTransactionIds('bank', ['T9'])).size, 0);
        assert.equal((await s.audit({ limit: 10_000 })).length, before.length);

        await s.recordMonitored([{ tenantId: 'bank', transactions: [tx('bank', 'T9')], alerts: [], audit: [sys('bank', 'after')] }]);
        // Exactly the good group's row: nothing of the refused group comes back with the next write.
        assert.equal((await s.transactionIds('bank', 10)).total, 3 + 2_500 + 300 + 1 + 1);
        assert.deepEqual([...(await s.existingTransactionIds('bank', ['T9', 'T10']))], ['T9']);
        const after = await s.audit({ limit: 10_000 });
        assert.equal(after.length, before.length + 1);
        assert.equal(checkChain(after, startChainCheck()).ok, true);
      } finally {
        await store.close();
      }
    });

    test('overlapping monitored writes: transactions side by side, alerts and audit entries in call order; a failing call fails alone', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        // Bulk-sized, so that a store which overlaps group commits does so here.
        const big = (n: number, bad = false) => Array.from({ length: 2_100 }, (_, i) => ({ ...tx('bank', `O${n}-${i}`), ...(bad && i === 1_000 ? { amountMinor: NaN } : {}) }));
        const call = (n: number, a: { raise?: QueueAlert; grow?: QueueAlert }, bad = false) =>
          s.recordMonitored([{ tenantId: 'bank', transactions: big(n, bad), alerts: a.raise ? [a.raise] : [], alertUpdates: a.grow ? [a.grow] : [], audit: [sys('bank', `o${n}`)] }]);
        // Started together: the alert raised by the first call is grown by the next two, in that order.
        await Promise.all([
          call(1, { raise: alert('bank', 'o-1', 'AMBER', 0.6) }),
          call(2, { grow: alert('bank', 'o-1', 'AMBER', 0.7) }),
          call(3, { grow: alert('bank', 'o-1', 'AMBER', 0.8) }),
        ]);
        assert.equal((await s.transactionIds('bank', 1)).total, 3 + 3 * 2_100);
        assert.equal((await s.alert(bank, 'o-1'))?.score, 0.8);
        // A refused row fails its call only; the calls around it keep their order.
        const results = await Promise.allSettled([
          call(4, { raise: alert('bank', 'o-2', 'AMBER', 0.6) }),
          call(5, { grow: alert('bank', 'o-2', 'AMBER', 0.7) }, true),
          call(6, { grow: alert('bank', 'o-2', 'AMBER', 0.9) }),
        ]);
        assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
        assert.equal((await s.transactionIds('bank', 1)).total, 3 + 5 * 2_100);
        assert.equal((await s.existingTransactionIds('bank', ['O5-0', 'O4-0', 'O6-0'])).size, 2);
        assert.equal((await s.alert(bank, 'o-2'))?.score, 0.9);
        const entries = await s.audit({ limit: 10_000 });
        assert.deepEqual(entries.filter((e) => e.action.startsWith('o')).map((e) => e.action), ['o1', 'o2', 'o3', 'o4', 'o6']);
        assert.equal(checkChain(entries, startChainCheck()).ok, true);
      } finally {
        await store.close();
      }
    });

    test('people, tokens and sessions', async () => {
      const store = await fixture.open();
      try {
        await world(store);
        const s = store.investigation;
        await s.createUser(
          { id: 'u-ana', tenantId: 'fiu', username: 'ana', displayName: 'Ana', role: 'analyst', passwordHash: 'scrypt$x', disabled: false, createdMs: T0 },
          sys('fiu', 'user.create'),
        );
        await assert.rejects(
          s.createUser({ id: 'u-2', tenantId: 'bank', username: 'ana', displayName: 'Other', role: 'admin', passwordHash: 'h', disabled: false, createdMs: T0 }, sys('bank', 'user.create')),
        );
        assert.equal((await s.userByUsername('ana'))?.tenantId, 'fiu');
        assert.deepEqual((await s.users(bank)).map((u) => u.username), []);
        assert.equal(await s.updateUser(bank, 'u-ana', { role: 'admin' }, T0), undefined, 'another tenant cannot change her');
        await s.createSession({ idHash: 'h1', userId: 'u-ana', csrf: 'c', createdMs: T0, expiresMs: T0 + 1000 }, sys('fiu', 'login'));
        assert.equal((await s.session('h1', T0 + 1))?.user.username, 'ana');
        assert.equal(await s.session('h1', T0 + 2000), undefined, 'expired');
        await s.updateUser(fiu, 'u-ana', { disabled: true }, T0 + 3);
        assert.equal(await s.session('h1', T0 + 4), undefined, 'disabling ends her sessions');
        await s.createToken({ id: 'tk-1', tenantId: 'bank', name: 'core banking', role: 'system', secretHash: 'x', createdBy: 'u', createdMs: T0 }, sys('bank', 'token.create'));
        assert.equal(await s.revokeToken(fiu, 'tk-1', T0), false);
        assert.equal(await s.revokeToken(bank, 'tk-1', T0), true);
        assert.equal((await s.token('tk-1'))?.revokedMs, T0);
      } finally {
        await store.close();
      }
    });
  });
}
