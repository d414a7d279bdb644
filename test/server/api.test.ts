/**
 * The API over HTTP, on DuckDB and PostgreSQL alike. Three agencies: a bank (the data owner), the FIU
 * (receives the bank's AMBER under a sharing agreement) and the police (no agreement). A table lists every
 * route; for each, the test proves: anonymous calls are refused, a role without the permission is refused,
 * the police see nothing of the bank, the FIU sees the bank's shared records read-only and never RED or
 * AMBER+STRICT, and the owner's call succeeds with a body matching the route's schema.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { PERMISSIONS } from '../../src/cases/access.js';
import type { Role } from '../../src/model/index.js';
import type { RunningServer } from '../../src/server/index.js';
import { testServer, type Client, type Principal } from '../helpers/api.js';
import { allStoreFixtures } from '../helpers/stores.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test/fixtures/${path}`, import.meta.url));
const ROLES: Role[] = ['analyst', 'supervisor', 'admin', 'auditor', 'system'];
const PASSWORD = 'correct horse battery staple';
const T0 = Date.UTC(2024, 0, 10, 9);
/** Strings found only in the bank's data: the police must never see any. */
const BANK_MARKERS = ['BK-AMBER', 'BK-RED', 'BK-STRICT', 'Sigilo', 'RED-NOTE-MARKER', 'RED-CASE-MARKER', 'bank-analyst', 'Layla'];
/** Strings of the bank's RED and AMBER+STRICT records: the FIU (agreement up to AMBER) must never see any. */
const RESTRICTED_MARKERS = ['BK-RED', 'BK-STRICT', 'RED-NOTE-MARKER', 'RED-CASE-MARKER'];

type Tenant = 'bank' | 'fiu' | 'police';

interface World {
  p: Record<Tenant, Record<Role, Principal>>;
  userIds: Record<string, string>;
  ids: Record<string, string>;
}

function fanIn(prefix: string, n: number, startMs: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-T${i}`,
    time: new Date(startMs + i * 60_000).toISOString(),
    fromAccount: `${prefix}-SRC-${i}`,
    toAccount: `${prefix}-HUB`,
    amountMinor: 940_000 + i * 100,
    currency: 'USD',
    channel: 'wire',
  }));
}

interface Step {
  path: string;
  body?: unknown;
  type?: string;
}

interface Entry {
  req: (w: World, caller: Tenant) => Step;
  /** Who makes the successful call (default: the bank, with the first role allowed). */
  owner?: { tenant?: Tenant; role?: Role; status?: number };
  /** A caller of the police, same role: a status, 'list'/'self' (2xx without any bank data), or 'skip'. */
  foreign?: number | 'list' | 'self' | 'skip';
  /** A caller of the FIU after the agreement: 'read' (2xx, the bank's record), 'list'/'self', a status, or 'skip'. */
  shared?: number | 'read' | 'list' | 'self' | 'skip';
}

let unique = 0;
const next = () => `${Date.now().toString(36)}${++unique}`;

const TABLE: Record<string, Entry> = {
  'GET /health': { req: () => ({ path: '/health' }), foreign: 'skip', shared: 'skip' },
  'GET /ready': { req: () => ({ path: '/ready' }), foreign: 'skip', shared: 'skip' },
  'POST /api/auth/login': { req: () => ({ path: '/api/auth/login', body: { username: 'bank-analyst', password: PASSWORD } }), foreign: 'skip', shared: 'skip' },
  'POST /api/auth/logout': { req: () => ({ path: '/api/auth/logout' }), owner: { role: 'system' }, foreign: 'skip', shared: 'skip' },
  'GET /api/auth/me': { req: () => ({ path: '/api/auth/me' }), foreign: 'self', shared: 'self' },
  'GET /api/tenant/reporting': { req: () => ({ path: '/api/tenant/reporting' }), foreign: 'self', shared: 'self' },
  'PUT /api/tenant/reporting': { req: () => ({ path: '/api/tenant/reporting', body: { defaultTlp: 'AMBER' } }), foreign: 'self', shared: 'self' },
  'GET /api/tenants': { req: () => ({ path: '/api/tenants' }), owner: { tenant: 'fiu', role: 'admin' }, foreign: 403, shared: 'skip' },
  'POST /api/tenants': {
    req: () => ({ path: '/api/tenants', body: { id: `t-${next()}`, name: 'New agency', admin: { username: `adm-${next()}`, password: PASSWORD } } }),
    owner: { tenant: 'fiu', role: 'admin', status: 201 },
    foreign: 403,
    shared: 'skip',
  },
  'GET /api/users': { req: () => ({ path: '/api/users' }), foreign: 'self', shared: 'self' },
  'POST /api/users': { req: () => ({ path: '/api/users', body: { username: `u-${next()}`, password: PASSWORD, role: 'analyst' } }), foreign: 'self', shared: 'self' },
  'PATCH /api/users/:id': { req: (w) => ({ path: `/api/users/${w.userIds['bank-auditor']}`, body: { displayName: 'Auditor B' } }), foreign: 404, shared: 404 },
  'GET /api/tokens': { req: () => ({ path: '/api/tokens' }), foreign: 'self', shared: 'self' },
  'POST /api/tokens': { req: () => ({ path: '/api/tokens', body: { name: `t-${next()}` } }), foreign: 'self', shared: 'self' },
  'DELETE /api/tokens/:id': { req: (w) => ({ path: `/api/tokens/${w.ids.revocableToken}` }), foreign: 404, shared: 404 },
  'GET /api/sharing': { req: () => ({ path: '/api/sharing' }), foreign: 'self', shared: 'self' },
  'POST /api/sharing': { req: () => ({ path: '/api/sharing', body: { partnerTenant: 'fiu', maxTlp: 'GREEN', purpose: 'table test' } }), foreign: 'self', shared: 'skip' },
  'DELETE /api/sharing/:id': { req: (w) => ({ path: `/api/sharing/${w.ids.revocableAgreement}` }), foreign: 404, shared: 404 },
  'POST /api/transactions': {
    req: (_w, caller) => ({ path: '/api/transactions', body: { id: `X-${next()}`, time: '2024-01-11T10:00:00Z', fromAccount: `${caller}-A`, toAccount: `${caller}-B`, amountMinor: 1000, currency: 'USD' } }),
    owner: { role: 'system' },
    foreign: 'self',
    shared: 'self',
  },
  'GET /api/transactions': { req: () => ({ path: '/api/transactions?limit=50' }), foreign: 'list', shared: 'list' },
  'GET /api/transactions/:id': { req: () => ({ path: '/api/transactions/BK-AMBER-T3' }), foreign: 404, shared: 'read' },
  'GET /api/alerts': { req: () => ({ path: '/api/alerts?scope=all' }), foreign: 'list', shared: 'list' },
  'GET /api/alerts/:id': { req: (w) => ({ path: `/api/alerts/${w.ids.alert}` }), foreign: 404, shared: 'read' },
  'POST /api/alerts/:id/assign': { req: (w) => ({ path: `/api/alerts/${w.ids.alert}/assign`, body: { assignee: w.userIds['bank-analyst'] } }), foreign: 404, shared: 403 },
  'POST /api/alerts/:id/disposition': {
    req: (w) => ({ path: `/api/alerts/${w.ids.alert}/disposition`, body: { disposition: 'escalate', reason: 'fan-in of new senders into one hub', caseId: w.ids.case } }),
    foreign: 404,
    shared: 403,
  },
  'GET /api/cases': { req: () => ({ path: '/api/cases?scope=all' }), foreign: 'list', shared: 'list' },
  'POST /api/cases': { req: () => ({ path: '/api/cases', body: { title: 'Another case' } }), owner: { status: 201 }, foreign: 'self', shared: 'self' },
  'GET /api/cases/:id': { req: (w) => ({ path: `/api/cases/${w.ids.case}` }), foreign: 404, shared: 'read' },
  'PATCH /api/cases/:id': { req: (w) => ({ path: `/api/cases/${w.ids.case}`, body: { summary: 'updated summary' } }), foreign: 404, shared: 404 },
  'POST /api/cases/:id/items': { req: (w) => ({ path: `/api/cases/${w.ids.case}/items`, body: { items: [{ kind: 'wallet', ref: 'bc1qexample' }] } }), foreign: 404, shared: 404 },
  'DELETE /api/cases/:id/items': { req: (w) => ({ path: `/api/cases/${w.ids.case}/items?kind=account&ref=BK-AMBER-EXTRA` }), foreign: 404, shared: 404 },
  'GET /api/cases/:id/notes': { req: (w) => ({ path: `/api/cases/${w.ids.case}/notes` }), foreign: 404, shared: 'list' },
  'POST /api/cases/:id/notes': { req: (w) => ({ path: `/api/cases/${w.ids.case}/notes`, body: { body: 'a note' } }), owner: { status: 201 }, foreign: 404, shared: 404 },
  'GET /api/cases/:id/attachments': { req: (w) => ({ path: `/api/cases/${w.ids.case}/attachments` }), foreign: 404, shared: 'list' },
  'POST /api/cases/:id/attachments': {
    req: (w) => ({ path: `/api/cases/${w.ids.case}/attachments?name=extra.txt`, body: Buffer.from(`extra ${next()}`), type: 'application/octet-stream' }),
    owner: { status: 201 },
    foreign: 404,
    shared: 404,
  },
  'GET /api/cases/:id/attachments/:sha256': { req: (w) => ({ path: `/api/cases/${w.ids.case}/attachments/${w.ids.sha}` }), foreign: 404, shared: 200 },
  'POST /api/cases/:id/decisions': {
    req: (w) => ({ path: `/api/cases/${w.ids.case}/decisions`, body: { kind: 'keep-monitoring', reason: 'watch the hub for a month' } }),
    owner: { status: 201 },
    foreign: 404,
    shared: 404,
  },
  'GET /api/cases/:id/timeline': { req: (w) => ({ path: `/api/cases/${w.ids.case}/timeline` }), foreign: 404, shared: 'list' },
  'POST /api/reports/goaml': {
    req: () => ({ path: '/api/reports/goaml', body: GOAML_CTR, type: 'application/xml' }),
    owner: { role: 'system', status: 201 },
    foreign: 'self',
    shared: 'self',
  },
  'GET /api/reports': { req: () => ({ path: '/api/reports?scope=all' }), foreign: 'list', shared: 'list' },
  'GET /api/reports/:id': { req: (w) => ({ path: `/api/reports/${encodeURIComponent(w.ids.report!)}` }), foreign: 404, shared: 'read' },
  'GET /api/entities': { req: () => ({ path: '/api/entities?scope=all' }), foreign: 'list', shared: 'list' },
  'GET /api/entities/:kind/:id': { req: (w) => ({ path: `/api/entities/party/${encodeURIComponent(w.ids.party!)}` }), foreign: 404, shared: 'read' },
  'GET /api/cases/:id/report/goaml': { req: (w) => ({ path: `/api/cases/${w.ids.case}/report/goaml` }), foreign: 404, shared: 403 },
  'GET /api/cases/:id/report/fincen': { req: (w) => ({ path: `/api/cases/${w.ids.case}/report/fincen` }), foreign: 404, shared: 403 },
  'GET /api/audit': { req: () => ({ path: '/api/audit?limit=1000' }), foreign: 'self', shared: 'self' },
  'GET /api/audit/verify': { req: () => ({ path: '/api/audit/verify' }), foreign: 'self', shared: 'self' },
  'GET /api/alerts/count': { req: () => ({ path: '/api/alerts/count?scope=all' }), foreign: 'list', shared: 'list' },
  'GET /api/graph/neighbourhood': { req: () => ({ path: '/api/graph/neighbourhood?kind=account&id=BK-AMBER-HUB' }), foreign: 404, shared: 'list' },
  'GET /api/graph/path': { req: () => ({ path: '/api/graph/path?fromId=BK-AMBER-SRC-1&toId=BK-AMBER-HUB' }), foreign: 404, shared: 'list' },
  'GET /api/dashboard': { req: () => ({ path: '/api/dashboard?scope=all' }), foreign: 'list', shared: 'list' },
  'GET /api/search': { req: () => ({ path: '/api/search?q=BK-&limit=100' }), foreign: 'list', shared: 'list' },
};

let GOAML_CTR = '';
let GOAML_STR = '';

async function makeWorld(client: Client, bootstrap: Principal): Promise<World> {
  const p = { bank: {}, fiu: {}, police: {} } as World['p'];
  const userIds: Record<string, string> = {};
  const ids: Record<string, string> = {};
  for (const t of ['bank', 'police'] as const) {
    const r = await client.call(bootstrap, 'POST', '/api/tenants', { id: t, name: t === 'bank' ? 'Banco Uno' : 'Policía', admin: { username: `${t}-admin`, password: PASSWORD } });
    assert.equal(r.status, 201, r.text);
    userIds[`${t}-admin`] = r.body.admin.id;
  }
  const fiuAdmin = await client.call(bootstrap, 'POST', '/api/users', { username: 'fiu-admin', password: PASSWORD, role: 'admin' });
  userIds['fiu-admin'] = fiuAdmin.body.id;
  for (const t of ['bank', 'fiu', 'police'] as const) {
    const admin = await client.login(`${t}-admin`, PASSWORD);
    p[t].admin = admin;
    for (const role of ['analyst', 'supervisor', 'auditor'] as const) {
      const r = await client.call(admin, 'POST', '/api/users', { username: `${t}-${role}`, password: PASSWORD, role });
      assert.equal(r.status, 201, r.text);
      userIds[`${t}-${role}`] = r.body.id;
      p[t][role] = await client.login(`${t}-${role}`, PASSWORD);
    }
    const tok = await client.call(admin, 'POST', '/api/tokens', { name: 'core banking', role: 'system' });
    assert.equal(tok.status, 201, tok.text);
    p[t].system = { token: tok.body.value };
  }
  const bank = p.bank;
  const ingest = async (who: Principal, body: unknown, tlp = 'AMBER') => {
    const r = await client.call(who, 'POST', `/api/transactions?tlp=${encodeURIComponent(tlp)}`, body);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  ids.alert = (await ingest(bank.system, fanIn('BK-AMBER', 20, T0))).alerts[0].id;
  ids.redAlert = (await ingest(bank.system, fanIn('BK-RED', 20, T0 + 3_600_000), 'RED')).alerts[0].id;
  ids.strictAlert = (await ingest(bank.system, fanIn('BK-STRICT', 20, T0 + 7_200_000), 'AMBER+STRICT')).alerts[0].id;
  assert.ok(ids.alert && ids.redAlert && ids.strictAlert);
  await ingest(p.police.system, fanIn('PD', 20, T0));
  await ingest(p.fiu.system, fanIn('FIU', 20, T0));

  const c = await client.call(bank.analyst, 'POST', '/api/cases', {
    title: 'Operación Sigilo',
    tlp: 'AMBER',
    items: [{ kind: 'alert', ref: ids.alert }, { kind: 'account', ref: 'BK-AMBER-EXTRA' }],
  });
  assert.equal(c.status, 201, c.text);
  ids.case = c.body.id;
  assert.equal((await client.call(bank.analyst, 'POST', `/api/cases/${ids.case}/notes`, { body: 'visible note' })).status, 201);
  assert.equal((await client.call(bank.analyst, 'POST', `/api/cases/${ids.case}/notes`, { body: 'RED-NOTE-MARKER source', tlp: 'RED' })).status, 201);
  const att = await client.call(bank.analyst, 'POST', `/api/cases/${ids.case}/attachments?name=statement.pdf`, Buffer.from('%PDF-1.4 statement'), { type: 'application/octet-stream' });
  assert.equal(att.status, 201, att.text);
  ids.sha = att.body.sha256;
  const red = await client.call(bank.analyst, 'POST', '/api/cases', { title: 'Caso RED-CASE-MARKER', tlp: 'RED' });
  ids.redCase = red.body.id;
  const intake = await client.call(bank.system, 'POST', '/api/reports/goaml', GOAML_STR, { type: 'application/xml' });
  assert.equal(intake.status, 201, intake.text);
  ids.report = intake.body.reports[0].id;
  ids.party = intake.body.reports[0].created.find((e: { kind: string }) => e.kind === 'party').id;

  const revocable = await client.call(bank.admin, 'POST', '/api/tokens', { name: 'to revoke' });
  ids.revocableToken = revocable.body.token.id;
  const share = await client.call(bank.admin, 'POST', '/api/sharing', { partnerTenant: 'fiu', maxTlp: 'AMBER', purpose: 'STR follow-up' });
  assert.equal(share.status, 201, share.text);
  ids.agreement = share.body.id;
  const toRevoke = await client.call(bank.admin, 'POST', '/api/sharing', { partnerTenant: 'fiu', maxTlp: 'CLEAR', purpose: 'to revoke' });
  ids.revocableAgreement = toRevoke.body.id;
  return { p, userIds, ids };
}

function allowed(access: string): Role[] {
  if (access === 'public' || access === 'authenticated') return ROLES;
  return [...(PERMISSIONS as Record<string, readonly Role[]>)[access]!];
}

function hasNone(text: string, markers: readonly string[], what: string): void {
  for (const m of markers) assert.ok(!text.includes(m), `${what}: leaked ${m}: ${text.slice(0, 300)}`);
}

for (const storeFixture of allStoreFixtures()) {
  describe(`API over HTTP: ${storeFixture.name}`, { skip: storeFixture.skip }, () => {
    let server: RunningServer;
    let client: Client;
    let w: World;
    let boot: Principal;

    before(async () => {
      GOAML_CTR = await readFile(fixture('goaml/ctr-5.0.1-accounts.xml'), 'utf8');
      GOAML_STR = await readFile(fixture('goaml/sample-STR-5.0.2-uae.xml'), 'utf8');
      const store = await storeFixture.open();
      const t = await testServer(store);
      server = t.server;
      client = t.client;
      boot = t.bootstrap;
      w = await makeWorld(client, boot);
    });
    after(async () => {
      await server?.close();
      await server?.store.close();
      await storeFixture.cleanup();
    });

    test('the table covers every route of the OpenAPI document', async () => {
      const doc = (await client.call(null, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { 'x-rastro-access': string }>> };
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`));
      assert.deepEqual(documented.sort(), Object.keys(TABLE).sort());
      assert.ok(documented.length >= 45);
    });

    test('every route: unauthenticated, wrong role, other agency, partner agency, owner', async (t) => {
      const doc = (await client.call(null, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { 'x-rastro-access': string }>> };
      for (const [key, entry] of Object.entries(TABLE)) {
        const [method, template] = key.split(' ') as [string, string];
        const access = doc.paths[template.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]![method.toLowerCase()]!['x-rastro-access'];
        await t.test(key, async () => {
          const ok = allowed(access);
          const ownerTenant = entry.owner?.tenant ?? 'bank';
          const role = entry.owner?.role ?? ok.find((r) => r !== 'system') ?? ok[0]!;
          const send = (who: Principal, caller: Tenant) => {
            const s = entry.req(w, caller);
            return client.call(who, method, s.path, s.body, s.type ? { type: s.type } : {});
          };
          if (access !== 'public') {
            const anon = await send(null, ownerTenant);
            assert.equal(anon.status, 401, `anonymous: ${anon.text}`);
            assert.equal(anon.body.error.code, 'unauthenticated');
            const bad = await send({ token: 'rst_nope_nope' }, ownerTenant);
            assert.equal(bad.status, 401);
            const wrong = ROLES.find((r) => !ok.includes(r));
            if (wrong) {
              const r = await send(w.p[ownerTenant][wrong], ownerTenant);
              assert.equal(r.status, 403, `${wrong} must be refused: ${r.text}`);
              assert.equal(r.body.error.code, 'forbidden');
            }
          }
          const foreign = entry.foreign ?? 404;
          if (foreign !== 'skip') {
            const r = await send(w.p.police[role], 'police');
            if (typeof foreign === 'number') assert.equal(r.status, foreign, `police: ${r.text}`);
            else assert.ok(r.status >= 200 && r.status < 300, `police: ${r.status} ${r.text}`);
            hasNone(r.text, BANK_MARKERS, 'police');
          }
          const shared = entry.shared ?? 404;
          if (shared !== 'skip' && ownerTenant === 'bank') {
            const r = await send(w.p.fiu[role], 'fiu');
            if (typeof shared === 'number') assert.equal(r.status, shared, `fiu: ${r.text}`);
            else assert.ok(r.status >= 200 && r.status < 300, `fiu: ${r.status} ${r.text}`);
            if (shared === 'read') assert.equal(r.body.tenantId ?? r.body.case?.tenantId, 'bank');
            hasNone(r.text, RESTRICTED_MARKERS, 'fiu');
          }
          const owner = await send(access === 'public' ? null : w.p[ownerTenant][role], ownerTenant);
          const expected = entry.owner?.status;
          if (expected) assert.equal(owner.status, expected, owner.text);
          else assert.ok(owner.status >= 200 && owner.status < 300, `owner ${role}: ${owner.status} ${owner.text}`);
          if (owner.status >= 400) assert.ok(owner.body.error?.requestId);
        });
      }
    });

    test('RED and AMBER+STRICT stay home; RED inside the agency only for the people named and supervisors', async () => {
      const { p, ids } = w;
      for (const id of [ids.redAlert, ids.strictAlert]) assert.equal((await client.call(p.fiu.analyst, 'GET', `/api/alerts/${id}`)).status, 404);
      assert.equal((await client.call(p.fiu.analyst, 'GET', `/api/cases/${ids.redCase}`)).status, 404);
      assert.equal((await client.call(p.fiu.analyst, 'GET', '/api/transactions/BK-RED-T1')).status, 404);
      assert.equal((await client.call(p.fiu.analyst, 'GET', '/api/transactions/BK-AMBER-T1')).status, 200);
      const shared = await client.call(p.fiu.analyst, 'GET', '/api/alerts?scope=shared');
      assert.deepEqual(shared.body.items.map((a: { tenantId: string }) => a.tenantId), ['bank']);
      // Inside the bank: the RED case is its creator's and the supervisors'.
      assert.equal((await client.call(p.bank.analyst, 'GET', `/api/cases/${ids.redCase}`)).status, 200);
      assert.equal((await client.call(p.bank.supervisor, 'GET', `/api/cases/${ids.redCase}`)).status, 200);
      assert.equal((await client.call(p.bank.auditor, 'GET', `/api/cases/${ids.redCase}`)).status, 404);
      assert.equal((await client.call(p.bank.system, 'GET', `/api/alerts/${ids.redAlert}`)).status, 404);
      const notes = await client.call(p.bank.auditor, 'GET', `/api/cases/${ids.case}/notes`);
      assert.ok(!notes.text.includes('RED-NOTE-MARKER'));
      // Reads of shared data are audited for the owner to see: who, what, from where.
      const audit = await client.call(p.bank.auditor, 'GET', '/api/audit?action=read-shared&limit=1000');
      const reads = audit.body.items as { actorTenant: string; objectTenant: string; objectKind: string; ip: string }[];
      assert.ok(reads.some((e) => e.actorTenant === 'fiu' && e.objectTenant === 'bank' && e.objectKind === 'alert' && e.ip !== ''));
    });

    test('monitoring: one transaction, a batch, repeated ids, pacs.008 XML, refused XML', async () => {
      const sys = w.p.bank.system;
      const batch = fanIn('MON', 15, T0 + 86_400_000);
      const first = await client.call(sys, 'POST', '/api/transactions', batch);
      assert.equal(first.body.accepted, 15);
      assert.ok(first.body.alerts.length >= 1, 'a fan-in raises an alert in the same response');
      assert.equal(first.body.alerts[0].typology, 'fan-in');
      const again = await client.call(sys, 'POST', '/api/transactions', batch[4]);
      assert.equal(again.body.accepted, 0);
      assert.deepEqual(again.body.duplicateIds, ['MON-T4']);
      assert.equal(again.body.alerts[0].id, first.body.alerts[0].id, 'a repeated transaction answers the alerts it raised');
      const mixed = await client.call(sys, 'POST', '/api/transactions', [batch[0], { ...batch[0], id: 'MON-NEW' }, { ...batch[0], id: 'MON-NEW' }]);
      assert.equal(mixed.body.accepted, 1);
      assert.deepEqual(mixed.body.duplicateIds, ['MON-T0', 'MON-NEW']);
      const bad = await client.call(sys, 'POST', '/api/transactions', [batch[0], { ...batch[1], id: 'MON-X', currency: 'XXX1', amountMinor: -5 }]);
      assert.equal(bad.status, 400);
      assert.ok(bad.body.error.details.some((d: { path: string }) => d.path === 'body.1.currency'));
      assert.ok(bad.body.error.details.some((d: { path: string }) => d.path === 'body.1.amountMinor'));
      const xml = await readFile(fixture('iso20022/pix-spi-pacs.008-two-transfers.xml'), 'utf8');
      const pacs = await client.call(sys, 'POST', '/api/transactions', xml, { type: 'application/xml' });
      assert.equal(pacs.status, 200, pacs.text);
      assert.ok(pacs.body.accepted >= 2);
      const pacsAgain = await client.call(sys, 'POST', '/api/transactions', xml, { type: 'application/xml' });
      assert.equal(pacsAgain.body.accepted, 0);
      const xxe = await client.call(sys, 'POST', '/api/transactions', await readFile(fixture('iso20022/pacs008-xxe.xml'), 'utf8'), { type: 'application/xml' });
      assert.equal(xxe.status, 400);
      assert.match(xxe.body.error.message, /DOCTYPE/);
      assert.ok(!xxe.text.includes('root:'));
    });

    test('limits and errors: one body for every failure, sizes, media types, pagination', async () => {
      const a = w.p.bank.analyst;
      const unknown = await client.call(a, 'GET', '/api/nothing-here');
      assert.equal(unknown.status, 404);
      assert.deepEqual(Object.keys(unknown.body.error).sort(), ['code', 'message', 'requestId']);
      const big = await client.call(a, 'POST', '/api/cases', { title: 'x', summary: 'y'.repeat(1_100_000) });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'payload_too_large');
      const media = await client.call(a, 'POST', '/api/cases', 'title=x', { type: 'application/x-www-form-urlencoded' });
      assert.equal(media.status, 415);
      const json = await client.call(a, 'POST', '/api/cases', '{"title":', { type: 'application/json' });
      assert.equal(json.status, 400);
      assert.equal(json.body.error.code, 'invalid_json');
      const invalid = await client.call(a, 'GET', '/api/alerts?limit=0&minScore=2');
      assert.equal(invalid.status, 400);
      assert.deepEqual(invalid.body.error.details.map((d: { path: string }) => d.path).sort(), ['query.limit', 'query.minScore']);
      const page1 = await client.call(a, 'GET', '/api/transactions?limit=5');
      assert.equal(page1.body.items.length, 5);
      assert.equal(page1.body.nextOffset, 5);
      const page2 = await client.call(a, 'GET', '/api/transactions?limit=5&offset=5');
      assert.notDeepEqual(page2.body.items[0], page1.body.items[0]);
      const health = await client.call(null, 'GET', '/ready');
      assert.equal(health.body.status, 'ready');
    });

    test('sessions: secure cookie, CSRF on changes, logout, wrong passwords', async () => {
      const r = await client.call(null, 'POST', '/api/auth/login', { username: 'bank-supervisor', password: PASSWORD });
      const cookie = r.headers.get('set-cookie') ?? '';
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /Secure/);
      assert.match(cookie, /SameSite=Strict/);
      const session = { cookie: cookie.split(';')[0]!, csrf: r.body.csrfToken as string };
      const noCsrf = await client.call(null, 'POST', '/api/cases', { title: 'x' }, { headers: { cookie: session.cookie } });
      assert.equal(noCsrf.status, 403);
      assert.equal(noCsrf.body.error.code, 'csrf');
      assert.equal((await client.call(null, 'GET', '/api/cases', undefined, { headers: { cookie: session.cookie } })).status, 200);
      assert.equal((await client.call(session, 'POST', '/api/auth/logout')).status, 200);
      assert.equal((await client.call(session, 'GET', '/api/auth/me')).status, 401);
      const wrong = await client.call(null, 'POST', '/api/auth/login', { username: 'bank-supervisor', password: 'not the password' });
      assert.equal(wrong.status, 401);
      const nobody = await client.call(null, 'POST', '/api/auth/login', { username: 'nobody', password: 'whatever it is' });
      assert.equal(nobody.status, 401);
      assert.equal(nobody.body.error.message, wrong.body.error.message, 'unknown user and wrong password look the same');
    });

    test('alert workflow: assignment rules, mandatory reason, escalation into a case, SAR, only supervisors reopen', async () => {
      const { p, userIds } = w;
      const alerts = (await client.call(p.bank.system, 'POST', '/api/transactions', fanIn('WF', 15, T0 + 2 * 86_400_000))).body.alerts;
      const id = alerts[0].id as string;
      const other = await client.call(p.bank.analyst, 'POST', `/api/alerts/${id}/assign`, { assignee: userIds['bank-supervisor'] });
      assert.equal(other.status, 403, 'analysts take alerts for themselves only');
      const taken = await client.call(p.bank.analyst, 'POST', `/api/alerts/${id}/assign`, { assignee: userIds['bank-analyst'] });
      assert.equal(taken.body.status, 'assigned');
      const noReason = await client.call(p.bank.analyst, 'POST', `/api/alerts/${id}/disposition`, { disposition: 'false-positive', reason: 'ok' });
      assert.equal(noReason.status, 400);
      assert.equal(noReason.body.error.details[0].path, 'body.reason');
      const fp = await client.call(p.bank.analyst, 'POST', `/api/alerts/${id}/disposition`, { disposition: 'false-positive', reason: 'monthly payroll of a known employer' });
      assert.equal(fp.body.alert.status, 'false-positive');
      assert.equal(fp.body.caseId, undefined);
      const again = await client.call(p.bank.analyst, 'POST', `/api/alerts/${id}/disposition`, { disposition: 'sar', reason: 'changed my mind about it' });
      assert.equal(again.status, 409);
      const sar = await client.call(p.bank.supervisor, 'POST', `/api/alerts/${id}/disposition`, { disposition: 'sar', reason: 'the employer does not exist: shell company' });
      assert.equal(sar.status, 200, sar.text);
      assert.equal(sar.body.alert.status, 'sar');
      const caseId = sar.body.caseId as string;
      const detail = await client.call(p.bank.supervisor, 'GET', `/api/cases/${caseId}`);
      assert.ok(detail.body.items.some((i: { kind: string; ref: string }) => i.kind === 'alert' && i.ref === id));
      const queue = await client.call(p.bank.analyst, 'GET', '/api/alerts?status=sar&typology=fan-in&minScore=0.5');
      assert.ok(queue.body.items.some((a: { id: string }) => a.id === id));
      const byAccount = await client.call(p.bank.analyst, 'GET', '/api/alerts?account=WF-HUB');
      assert.deepEqual(byAccount.body.items.map((a: { id: string }) => a.id), [id]);
      const inRange = await client.call(p.bank.analyst, 'GET', `/api/alerts?account=WF-HUB&from=${new Date(T0 + 3 * 86_400_000).toISOString()}`);
      assert.deepEqual(inRange.body.items, []);
    });

    test('case file: content-addressed attachments, decisions that close, the timeline', async () => {
      const { p } = w;
      const c = (await client.call(p.bank.analyst, 'POST', '/api/cases', { title: 'Mule ring', items: [{ kind: 'party', ref: 'p-1' }] })).body.id as string;
      const bytes = Buffer.from('bank statement, page 1');
      const a1 = await client.call(p.bank.analyst, 'POST', `/api/cases/${c}/attachments?name=s1.txt`, bytes, { type: 'application/octet-stream' });
      const a2 = await client.call(p.bank.analyst, 'POST', `/api/cases/${c}/attachments?name=s1-copy.txt`, bytes, { type: 'application/octet-stream' });
      assert.equal(a1.body.sha256, a2.body.sha256);
      const list = await client.call(p.bank.analyst, 'GET', `/api/cases/${c}/attachments`);
      assert.equal(list.body.items.length, 1);
      const down = await client.call(p.bank.analyst, 'GET', `/api/cases/${c}/attachments/${a1.body.sha256}`);
      assert.equal(down.text, bytes.toString());
      assert.equal((await client.call(p.bank.analyst, 'POST', `/api/cases/${c}/decisions`, { kind: 'file-str', reason: 'ring of five mules' })).status, 403);
      assert.equal((await client.call(p.bank.analyst, 'PATCH', `/api/cases/${c}`, { status: 'closed' })).status, 403);
      const bogus = await client.call(p.bank.supervisor, 'POST', `/api/cases/${c}/decisions`, { kind: 'shrug', reason: 'whatever you think' });
      assert.equal(bogus.status, 400);
      const d = await client.call(p.bank.supervisor, 'POST', `/api/cases/${c}/decisions`, { kind: 'close-no-action', reason: 'explained by payroll records' });
      assert.equal(d.body.caseStatus, 'closed');
      const timeline = await client.call(p.bank.auditor, 'GET', `/api/cases/${c}/timeline`);
      assert.deepEqual(
        timeline.body.items.map((e: { kind: string }) => e.kind),
        ['created', 'attachment-added', 'attachment-added', 'decision', 'updated'],
      );
    });

    test('reports: goAML STR/SAR and FinCEN SAR exports validate; a bad FIU code list fails naming element and rule', async () => {
      const { p, ids } = w;
      const goaml = await client.call(p.bank.analyst, 'GET', `/api/cases/${ids.case}/report/goaml`);
      assert.equal(goaml.status, 200, goaml.text);
      assert.match(goaml.headers.get('content-type') ?? '', /xml/);
      assert.match(goaml.text, /<report_code>STR<\/report_code>/);
      assert.match(goaml.text, /<transactionnumber>BK-AMBER-T0<\/transactionnumber>/);
      const sar = await client.call(p.bank.analyst, 'GET', `/api/cases/${ids.case}/report/goaml?code=SAR`);
      assert.match(sar.text, /<report_code>SAR<\/report_code>/);
      assert.equal((await client.call(p.bank.analyst, 'GET', `/api/cases/${ids.case}/report/goaml?code=CTR`)).status, 400, 'not in the FIU list');
      const fincen = await client.call(p.bank.analyst, 'GET', `/api/cases/${ids.case}/report/fincen`);
      assert.equal(fincen.status, 200, fincen.text);
      assert.match(fincen.text, /<fc2:FormTypeCode>SARX<\/fc2:FormTypeCode>/);
      const settings = (await client.call(p.bank.admin, 'GET', '/api/tenant/reporting')).body;
      settings.goaml.transmodeCodes.wire = 'WIRE-NOT-IN-LIST';
      settings.goaml.transmodeCodes.wire = 'ZZ';
      assert.equal((await client.call(p.bank.admin, 'PUT', '/api/tenant/reporting', settings)).status, 200);
      const broken = await client.call(p.bank.analyst, 'GET', `/api/cases/${ids.case}/report/goaml`);
      assert.equal(broken.status, 422, broken.text);
      assert.equal(broken.body.error.code, 'schema_invalid');
      assert.ok(broken.body.error.details.some((d: { path: string; message: string }) => d.path.startsWith('transmode_code:') && d.message.startsWith('enumeration')));
      settings.goaml.transmodeCodes.wire = 'A';
      await client.call(p.bank.admin, 'PUT', '/api/tenant/reporting', settings);
    });

    test('intake links a second report to the parties and accounts already known; a report sent twice is recognised', async () => {
      const sys = w.p.fiu.system;
      const first = await client.call(sys, 'POST', '/api/reports/goaml', GOAML_STR, { type: 'application/xml' });
      assert.equal(first.status, 201, first.text);
      assert.ok(first.body.reports[0].created.length > 0);
      const twice = await client.call(sys, 'POST', '/api/reports/goaml', GOAML_STR, { type: 'application/xml' });
      assert.equal(twice.body.reports[0].duplicate, true);
      const renamed = GOAML_STR.replace('<entity_reference>STR-2026-0042</entity_reference>', '<entity_reference>STR-2026-0043</entity_reference>');
      const second = await client.call(sys, 'POST', '/api/reports/goaml', renamed, { type: 'application/xml' });
      assert.equal(second.body.reports[0].duplicate, false);
      // People and accounts with identity documents or numbers are the same records; a name alone stays with its report.
      const identified = (first.body.reports[0].created as { id: string }[]).map((e) => e.id).filter((id) => !id.includes('@'));
      assert.ok(identified.length >= 1, JSON.stringify(first.body.reports[0].created));
      assert.deepEqual(second.body.reports[0].linked.map((e: { id: string }) => e.id).sort(), identified.sort());
      assert.ok((second.body.reports[0].created as { id: string }[]).every((e) => e.id.includes('@101/STR-2026-0043')));
      const refused = await client.call(sys, 'POST', '/api/reports/goaml', await readFile(fixture('goaml/goaml-xxe.xml'), 'utf8'), { type: 'application/xml' });
      assert.equal(refused.status, 400);
    });

    test('the audit trail records every change and verifies', async () => {
      const { p } = w;
      const verify = await client.call(p.bank.auditor, 'GET', '/api/audit/verify');
      assert.equal(verify.body.ok, true);
      assert.ok(verify.body.entries > 50);
      const mine = await client.call(p.bank.auditor, 'GET', '/api/audit?limit=1000');
      const actions = new Set((mine.body.items as { action: string }[]).map((e) => e.action));
      for (const a of ['tenant.create', 'user.create', 'auth.login', 'token.create', 'transactions.ingest', 'case.create', 'case.note-add', 'case.attachment-add', 'alert.disposition', 'report.intake', 'report.export', 'sharing.create', 'read-shared']) {
        assert.ok(actions.has(a), `audited: ${a}`);
      }
    });
  });
}
