/**
 * The exploration API over HTTP, on DuckDB and PostgreSQL alike: the money graph around an account (hops,
 * truncation, aggregation per pair), money paths, the dashboard, search, and the alert list's order and count.
 * Three agencies: the bank owns the data, the FIU receives the bank's AMBER under a sharing agreement (its
 * reads are audited for the bank), the police have no agreement and see nothing of the bank; RED and
 * AMBER+STRICT rows never leave the bank.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { z } from 'zod';
import type { RunningServer } from '../../src/server/index.js';
import type { ApiGraphEdge, ApiGraphNode, TransactionIn } from '../../src/server/schemas.js';
import { testServer, type Client, type Principal } from '../helpers/api.js';
import { allStoreFixtures } from '../helpers/stores.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../../../test/fixtures/${path}`, import.meta.url));
const PASSWORD = 'correct horse battery staple';
const T0 = Date.UTC(2024, 2, 1, 9);
const MINUTE = 60_000;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');


function tx(id: string, from: string, to: string, amountMinor: number, currency: string, minute: number): TransactionIn {
  return { id, time: iso(T0 + minute * MINUTE), fromAccount: from, toAccount: to, amountMinor, currency, channel: 'wire' };
}

/** Senders paying one hub: raises a fan-in alert. */
function fanIn(prefix: string, n: number, startMs: number, amountMinor: number, currency = 'USD', countries?: [string, string]): TransactionIn[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-T${i}`,
    time: iso(startMs + i * MINUTE),
    fromAccount: `${prefix}-SRC-${i}`,
    toAccount: `${prefix}-HUB`,
    amountMinor: amountMinor + i * 100,
    currency,
    channel: 'wire',
    ...(countries ? { fromCountry: countries[0], toCountry: countries[1] } : {}),
  }));
}

/** The small hand-made graph around G-A (bank, AMBER): A→B twice, B→C (EUR), C→D, E→A, B→F (USD and EUR). */
const GRAPH: TransactionIn[] = [
  tx('TX-G-1', 'G-A', 'G-B', 10_000, 'USD', 0),
  tx('TX-G-2', 'G-A', 'G-B', 5_000, 'USD', 1),
  tx('TX-G-3', 'G-B', 'G-C', 3_000, 'EUR', 2),
  tx('TX-G-4', 'G-C', 'G-D', 2_000, 'USD', 3),
  tx('TX-G-5', 'G-E', 'G-A', 7_000, 'USD', 4),
  tx('TX-G-6', 'G-B', 'G-F', 1_000, 'USD', 5),
  tx('TX-G-7', 'G-B', 'G-F', 2_000, 'EUR', 6),
];

type Tenant = 'bank' | 'fiu' | 'police';
type Who = 'system' | 'analyst' | 'supervisor' | 'auditor' | 'admin';

/** The API's own answer types: the test reads what the route schemas promise. */
type GraphNode = z.infer<typeof ApiGraphNode>;
type GraphEdge = z.infer<typeof ApiGraphEdge>;
interface Alert {
  id: string;
  typology: string;
  score: number;
  from: string;
  amountMinor: number;
  currency: string;
  status: string;
}

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();
const USD_PER_MINOR: Record<string, number> = { USD: 0.01, EUR: 0.01, JPY: 0.0071 };

for (const storeFixture of allStoreFixtures()) {
  describe(`exploration API: ${storeFixture.name}`, { skip: storeFixture.skip }, () => {
    let server: RunningServer;
    let client: Client;
    const p = { bank: {}, fiu: {}, police: {} } as Record<Tenant, Record<Who, Principal>>;
    const alertIds: Record<string, string> = {};
    let partyId = '';
    let caseId = '';

    const get = async (who: Principal, path: string) => client.call(who, 'GET', path);
    const post = async (who: Principal, path: string, body: unknown, type?: string) => {
      const r = await client.call(who, 'POST', path, body, type ? { type } : {});
      assert.ok(r.status >= 200 && r.status < 300, `${path}: ${r.status} ${r.text}`);
      return r.body;
    };
    const graph = async (who: Principal, query: string) => {
      const r = await get(who, `/api/graph/neighbourhood?${query}`);
      assert.equal(r.status, 200, r.text);
      return r.body as { center: string; nodes: GraphNode[]; edges: GraphEdge[]; truncated: boolean };
    };

    before(async () => {
      const store = await storeFixture.open();
      const t = await testServer(store);
      server = t.server;
      client = t.client;
      const boot = t.bootstrap;
      for (const tenant of ['bank', 'police'] as const) {
        await post(boot, '/api/tenants', { id: tenant, name: tenant, admin: { username: `x-${tenant}-admin`, password: PASSWORD } });
        p[tenant].admin = await client.login(`x-${tenant}-admin`, PASSWORD);
      }
      p.fiu.admin = boot;
      // API tokens with a person's role: no password hashing, fast.
      for (const tenant of ['bank', 'fiu', 'police'] as const) {
        for (const role of ['system', 'analyst', 'supervisor', 'auditor'] as const) {
          p[tenant][role] = { token: (await post(p[tenant].admin, '/api/tokens', { name: `${tenant} ${role}`, role })).value };
        }
      }
      const bank = p.bank.system;
      await post(bank, '/api/transactions?tlp=AMBER', GRAPH);
      await post(bank, '/api/transactions?tlp=RED', [tx('TX-RED-1', 'G-RED', 'G-A', 99_900, 'USD', 7)]);
      await post(bank, `/api/transactions?tlp=${encodeURIComponent('AMBER+STRICT')}`, [tx('TX-STRICT-1', 'G-STRICT', 'G-A', 88_800, 'USD', 8)]);
      const fan = await post(bank, '/api/transactions?tlp=AMBER', fanIn('S', 20, T0 + DAY, 940_000));
      alertIds.fan = fan.alerts[0].id;
      assert.ok(alertIds.fan, 'the fan-in raised an alert');
      // More alerts in other currencies and amounts, for the list's order.
      await post(bank, '/api/transactions?tlp=AMBER', fanIn('Q', 15, T0 + 2 * DAY, 1_500_000, 'JPY'));
      await post(bank, '/api/transactions?tlp=AMBER', fanIn('W', 15, T0 + 3 * DAY, 800_000, 'USD'));
      const intake = await post(bank, '/api/reports/goaml?tlp=AMBER', await readFile(fixture('goaml/ctr-5.0.1-accounts.xml'), 'utf8'), 'application/xml');
      partyId = (intake.reports[0].created as { kind: string; id: string }[]).find((e) => e.kind === 'party')!.id;
      caseId = (await post(p.bank.analyst, '/api/cases', { title: 'Operación Espejo', items: [{ kind: 'account', ref: 'G-A' }] })).id;
      // The police have their own data (for the dashboard), and no agreement with anyone.
      await post(p.police.system, '/api/transactions?tlp=AMBER', [
        ...fanIn('PD', 20, T0 + DAY, 940_000, 'USD', ['MX', 'US']),
        { ...tx('PD-X1', 'PD-CO', 'PD-MX', 5_000, 'EUR', 10), fromCountry: 'CO', toCountry: 'MX' },
        { ...tx('PD-X2', 'PD-CO', 'PD-MX', 7_000, 'EUR', 11), fromCountry: 'CO', toCountry: 'MX' },
      ]);
      await post(p.police.analyst, '/api/cases', { title: 'Caso policial' });
      // The bank shares up to AMBER with the FIU.
      await post(p.bank.admin, '/api/sharing', { partnerTenant: 'fiu', maxTlp: 'AMBER', purpose: 'exploration tests' });
    });
    after(async () => {
      await server?.close();
      await server?.store.close();
      await storeFixture.cleanup();
    });

    test('neighbourhood: hop 1 and hop 2 on a hand-made graph, one edge per directed pair', async () => {
      const a = p.bank.analyst;
      const one = await graph(a, 'kind=account&id=G-A&hops=1');
      assert.equal(one.center, 'G-A');
      // The analyst sees the bank's AMBER+STRICT row (own agency), not its RED one (supervisors only).
      assert.deepEqual(ids(one.nodes), ['G-A', 'G-B', 'G-E', 'G-STRICT']);
      assert.deepEqual(ids(one.edges), ['G-A->G-B', 'G-E->G-A', 'G-STRICT->G-A']);
      assert.equal(one.truncated, false);
      const two = await graph(a, 'kind=account&id=G-A&hops=2');
      assert.deepEqual(ids(two.nodes), ['G-A', 'G-B', 'G-C', 'G-E', 'G-F', 'G-STRICT']);
      assert.deepEqual(ids(two.edges), ['G-A->G-B', 'G-B->G-C', 'G-B->G-F', 'G-E->G-A', 'G-STRICT->G-A']);
      const three = await graph(a, 'kind=account&id=G-A&hops=3');
      assert.equal(three.nodes.length, 7);
      assert.equal(three.edges.length, 6);
      const hop = Object.fromEntries(three.nodes.map((n) => [n.id, n.hop]));
      assert.deepEqual(hop, { 'G-A': 0, 'G-B': 1, 'G-E': 1, 'G-STRICT': 1, 'G-C': 2, 'G-F': 2, 'G-D': 3 });

      const ab = two.edges.find((e) => e.id === 'G-A->G-B')!;
      assert.deepEqual(
        { source: ab.source, target: ab.target, count: ab.count, amountMinor: ab.amountMinor, currency: ab.currency, amountUsd: ab.amountUsd },
        { source: 'G-A', target: 'G-B', count: 2, amountMinor: 15_000, currency: 'USD', amountUsd: 150 },
      );
      assert.equal(ab.firstTime, iso(T0));
      assert.equal(ab.lastTime, iso(T0 + MINUTE));
      const bf = two.edges.find((e) => e.id === 'G-B->G-F')!;
      assert.equal(bf.currency, 'MIXED');
      assert.equal(bf.count, 2);
      assert.equal(bf.amountUsd, 30);
      assert.equal(two.edges.find((e) => e.id === 'G-B->G-C')!.amountUsd, 30, 'EUR at the engine’s rate');
      const center = two.nodes.find((n) => n.id === 'G-A')!;
      assert.equal(center.kind, 'account');
      assert.equal(center.tlp, 'AMBER+STRICT', 'the most restrictive row that produced the node');
      assert.equal(two.nodes.find((n) => n.id === 'G-C')!.tlp, 'AMBER');

      // A time window: only A→B's first transaction.
      const window = await graph(a, `kind=account&id=G-A&hops=1&from=${iso(T0)}&to=${iso(T0 + MINUTE)}`);
      assert.deepEqual(ids(window.edges), ['G-A->G-B']);
      assert.equal(window.edges[0]!.count, 1);
      // Supervisors also see the bank's RED row; a wallet id is read as an account id.
      assert.ok(ids((await graph(p.bank.supervisor, 'kind=account&id=G-A&hops=1')).nodes).includes('G-RED'));
      const wallet = await graph(a, 'kind=wallet&id=G-A&hops=1');
      assert.equal(wallet.nodes.find((n) => n.id === 'G-A')!.kind, 'wallet');
      assert.equal(wallet.edges.length, 3);
      // Unknown and invalid.
      assert.equal((await get(a, '/api/graph/neighbourhood?kind=account&id=NOBODY')).status, 404);
      assert.equal((await get(a, '/api/graph/neighbourhood?kind=account&id=G-A&hops=5')).status, 400);
      assert.equal((await get(a, '/api/graph/neighbourhood?kind=account&id=G-A&maxNodes=5')).status, 400);
      assert.equal((await get(p.bank.admin, '/api/graph/neighbourhood?kind=account&id=G-A')).status, 403);
    });

    test('neighbourhood: maxNodes truncates; alerts give risk and typologies to nodes and edges', async () => {
      const a = p.bank.analyst;
      const small = await graph(a, 'kind=account&id=S-HUB&hops=2&maxNodes=10');
      assert.equal(small.nodes.length, 10);
      assert.equal(small.truncated, true);
      for (const e of small.edges) assert.ok(small.nodes.some((n) => n.id === e.source) && small.nodes.some((n) => n.id === e.target), 'edges join kept nodes');
      const all = await graph(a, 'kind=account&id=S-HUB&hops=2');
      assert.equal(all.nodes.length, 21);
      assert.equal(all.edges.length, 20);
      assert.equal(all.truncated, false);
      const hub = all.nodes.find((n) => n.id === 'S-HUB')!;
      assert.ok(hub.risk > 0 && hub.risk <= 1, JSON.stringify(hub));
      assert.ok(hub.alerts >= 1);
      assert.ok(hub.typologies.includes('fan-in'));
      assert.ok(all.edges.some((e) => e.typologies.includes('fan-in')));
    });

    test('neighbourhood of a party: the party, the accounts its reports name with it, their money', async () => {
      const a = p.bank.analyst;
      const g = await graph(a, `kind=party&id=${encodeURIComponent(partyId)}&hops=2`);
      assert.equal(g.center, partyId);
      const center = g.nodes.find((n) => n.id === partyId)!;
      assert.equal(center.kind, 'party');
      assert.equal(center.hop, 0);
      assert.notEqual(center.label, partyId, 'labelled with the name');
      const linked = g.nodes.filter((n) => n.hop === 1);
      assert.ok(linked.length >= 1, JSON.stringify(g));
      for (const n of linked) assert.ok(g.edges.some((e) => (e.source === partyId && e.target === n.id) || e.source === n.id || e.target === n.id));
      assert.ok(g.edges.some((e) => e.count > 0), 'money between the linked accounts');
      for (const e of g.edges.filter((x) => x.count === 0)) assert.equal(e.source, partyId, 'links start at the party');
      assert.equal((await get(a, '/api/graph/neighbourhood?kind=party&id=person%3Anobody')).status, 404);
      assert.equal((await get(p.police.analyst, `/api/graph/neighbourhood?kind=party&id=${encodeURIComponent(partyId)}`)).status, 404);
    });

    test('tenants: no agreement, nothing; AMBER agreement, shared rows (audited), never RED or AMBER+STRICT', async () => {
      const police = p.police.analyst;
      assert.equal((await get(police, '/api/graph/neighbourhood?kind=account&id=G-A')).status, 404);
      assert.equal((await get(police, '/api/graph/path?fromId=G-E&toId=G-D')).status, 404);
      const policeSearch = await get(police, '/api/search?q=G-');
      assert.equal(policeSearch.status, 200);
      assert.deepEqual(policeSearch.body.items, []);
      const policeDash = await get(police, '/api/dashboard?scope=all');
      assert.ok(!policeDash.text.includes('G-') && !policeDash.text.includes('S-HUB'), policeDash.text);

      for (const who of [p.fiu.analyst, p.fiu.supervisor]) {
        const g = await graph(who, 'kind=account&id=G-A&hops=3');
        assert.deepEqual(ids(g.nodes), ['G-A', 'G-B', 'G-C', 'G-D', 'G-E', 'G-F']);
        assert.ok(!g.nodes.some((n) => n.tlp === 'RED' || n.tlp === 'AMBER+STRICT'));
        assert.equal(g.nodes.find((n) => n.id === 'G-A')!.tlp, 'AMBER');
        for (const hidden of ['G-RED', 'G-STRICT']) {
          assert.equal((await get(who, `/api/graph/neighbourhood?kind=account&id=${hidden}`)).status, 404);
          assert.equal((await get(who, `/api/graph/path?fromId=${hidden}&toId=G-B`)).status, 404);
        }
        const search = await get(who, '/api/search?q=G-&limit=100');
        const found = (search.body.items as { id: string }[]).map((i) => i.id);
        assert.ok(found.includes('G-A'));
        assert.ok(!found.some((id) => id.includes('RED') || id.includes('STRICT')), JSON.stringify(found));
      }
      const path = await get(p.fiu.analyst, '/api/graph/path?fromId=G-E&toId=G-D');
      assert.equal(path.body.found, true);
      const audit = await get(p.bank.auditor, '/api/audit?action=read-shared&limit=1000');
      const reads = audit.body.items as { actorTenant: string; objectTenant: string; objectKind: string; objectId: string; detail: { transactions?: number; ids?: string[] } }[];
      const graphRead = reads.find((e) => e.actorTenant === 'fiu' && e.objectTenant === 'bank' && e.objectKind === 'graph' && e.objectId === 'account:G-A');
      assert.ok(graphRead, 'the FIU’s read of the bank’s graph is audited for the bank');
      assert.ok(graphRead.detail.ids?.includes('G-A->G-B'));
      assert.ok(reads.some((e) => e.actorTenant === 'fiu' && e.objectKind === 'path' && e.objectId === 'G-E->G-D'));
      assert.ok(reads.some((e) => e.actorTenant === 'fiu' && e.objectKind === 'account'), 'search hits of shared accounts are audited');
      // The FIU's shared dashboard counts the rows it may see, and the read is audited.
      const visible = await get(p.fiu.analyst, '/api/transactions?limit=1000');
      const dash = await get(p.fiu.analyst, '/api/dashboard?scope=shared');
      assert.equal(dash.status, 200, dash.text);
      assert.equal(dash.body.totals.transactions, visible.body.items.length);
      assert.ok(!dash.text.includes('G-RED') && !dash.text.includes('G-STRICT'));
      const audited = (await get(p.bank.auditor, '/api/audit?action=read-shared&limit=1000')).body.items as { actorTenant: string; objectKind: string }[];
      assert.ok(audited.some((e) => e.actorTenant === 'fiu' && e.objectKind === 'dashboard'));
      assert.equal((await get(p.fiu.analyst, '/api/dashboard')).body.totals.transactions, 0, 'scope own: the FIU has none of its own');
    });

    test('path: shortest directed path; against the money only undirected; none', async () => {
      const a = p.bank.analyst;
      const directed = await get(a, '/api/graph/path?fromId=G-E&toId=G-D');
      assert.equal(directed.status, 200, directed.text);
      assert.equal(directed.body.found, true);
      assert.equal(directed.body.directed, true);
      assert.equal(directed.body.hops, 4);
      assert.deepEqual(directed.body.nodes.map((n: GraphNode) => n.id), ['G-E', 'G-A', 'G-B', 'G-C', 'G-D']);
      assert.deepEqual(directed.body.nodes.map((n: GraphNode) => n.hop), [0, 1, 2, 3, 4]);
      assert.deepEqual(directed.body.edges.map((e: GraphEdge) => e.id), ['G-E->G-A', 'G-A->G-B', 'G-B->G-C', 'G-C->G-D']);
      assert.equal(directed.body.edges[1].count, 2);
      const back = await get(a, '/api/graph/path?fromId=G-D&toId=G-E');
      assert.equal(back.body.found, true);
      assert.equal(back.body.directed, false);
      assert.equal(back.body.hops, 4);
      assert.deepEqual(back.body.nodes.map((n: GraphNode) => n.id), ['G-D', 'G-C', 'G-B', 'G-A', 'G-E']);
      const none = await get(a, '/api/graph/path?fromId=G-A&toId=S-HUB');
      assert.deepEqual(none.body, { found: false, directed: false, hops: 0, nodes: [], edges: [] });
      const tooShort = await get(a, '/api/graph/path?fromId=G-E&toId=G-D&maxHops=3');
      assert.equal(tooShort.body.found, false);
      const inWindow = await get(a, `/api/graph/path?fromId=G-E&toId=G-D&to=${iso(T0 + 3 * MINUTE)}`);
      assert.equal(inWindow.body.found, false, 'C→D happened after the window');
      const self = await get(a, '/api/graph/path?fromId=G-A&toId=G-A');
      assert.equal(self.body.found, true);
      assert.equal(self.body.hops, 0);
      assert.deepEqual(self.body.nodes.map((n: GraphNode) => n.id), ['G-A']);
    });

    test('dashboard: totals equal what was posted, grouped by day, typology, account, corridor, case status', async () => {
      const police = p.police.analyst;
      const alerts = (await get(police, '/api/alerts?limit=1000')).body.items as Alert[];
      assert.ok(alerts.length >= 1);
      const usd = (a: { amountMinor: number; currency: string }) => a.amountMinor * USD_PER_MINOR[a.currency]!;
      const d = await get(police, '/api/dashboard');
      assert.equal(d.status, 200, d.text);
      const { totals } = d.body;
      assert.equal(totals.transactions, 22);
      assert.equal(totals.alerts, alerts.length);
      assert.equal(totals.open, alerts.filter((a) => a.status === 'new' || a.status === 'assigned').length);
      assert.ok(Math.abs(totals.amountUsd - alerts.reduce((s, a) => s + usd(a), 0)) < 0.011);
      assert.equal(totals.cases, 1);
      assert.deepEqual(d.body.casesByStatus, [
        { status: 'open', count: 1 },
        { status: 'in-review', count: 0 },
        { status: 'closed', count: 0 },
      ]);
      assert.equal(d.body.byTypology.reduce((s: number, t: { count: number }) => s + t.count, 0), alerts.length);
      assert.equal(d.body.alertsByDay.reduce((s: number, t: { count: number }) => s + t.count, 0), alerts.length);
      const fan = alerts.find((a) => a.typology === 'fan-in')!;
      assert.ok(d.body.alertsByDay.some((x: { day: string; typology: string }) => x.day === fan.from.slice(0, 10) && x.typology === 'fan-in'));
      assert.equal(d.body.topAccounts[0].account, 'PD-HUB');
      assert.deepEqual(d.body.topCorridors.map((c: { fromCountry: string; toCountry: string; count: number }) => [c.fromCountry, c.toCountry, c.count]), [
        ['MX', 'US', 20],
        ['CO', 'MX', 2],
      ]);
      const mxUs = fanIn('PD', 20, T0, 940_000).reduce((s, t) => s + t.amountMinor, 0) / 100;
      assert.equal(d.body.topCorridors[0].amountUsd, mxUs);
      assert.equal(d.body.topCorridors[1].amountUsd, 120);
      const later = await get(police, `/api/dashboard?from=${iso(T0 + 30 * DAY)}&to=${iso(T0 + 60 * DAY)}`);
      assert.deepEqual(later.body.totals, { alerts: 0, open: 0, amountUsd: 0, cases: 0, transactions: 0 });
      assert.equal((await get(p.police.admin, '/api/dashboard')).status, 403);
    });

    test('search: accounts, transactions, cases and alerts, only the kinds the role may read', async () => {
      const a = p.bank.analyst;
      const account = await get(a, '/api/search?q=g-a');
      assert.equal(account.status, 200, account.text);
      assert.deepEqual(account.body.items[0], { kind: 'account', id: 'G-A', label: 'G-A', tlp: 'AMBER+STRICT', detail: '4 transactions' });
      const txs = await get(a, '/api/search?q=tx-g-');
      assert.deepEqual(txs.body.items.filter((i: { kind: string }) => i.kind === 'transaction').map((i: { id: string }) => i.id), GRAPH.map((t) => t.id));
      const byTitle = await get(a, '/api/search?q=ESPEJO');
      assert.deepEqual(byTitle.body.items, [{ kind: 'case', id: caseId, label: 'Operación Espejo', tlp: 'AMBER', detail: 'open' }]);
      const alert = await get(a, `/api/search?q=${encodeURIComponent(alertIds.fan!)}`);
      assert.equal(alert.body.items[0].kind, 'alert');
      assert.equal(alert.body.items[0].id, alertIds.fan);
      const party = await get(a, `/api/search?q=${encodeURIComponent(partyId)}`);
      assert.ok(party.body.items.some((i: { kind: string; id: string }) => i.kind === 'party' && i.id === partyId));
      const limited = await get(a, '/api/search?q=S-SRC&limit=5');
      assert.equal(limited.body.items.length, 5);
      // Systems read transactions and alerts but not cases or entities; admins read none of them.
      const system = await get(p.bank.system, '/api/search?q=ESPEJO');
      assert.deepEqual(system.body.items, []);
      assert.ok((await get(p.bank.system, '/api/search?q=G-A')).body.items.some((i: { id: string }) => i.id === 'G-A'));
      assert.deepEqual((await get(p.bank.admin, '/api/search?q=G-A')).body.items, []);
      assert.equal((await get(a, '/api/search?q=G')).status, 400);
      assert.equal((await get(null, '/api/search?q=G-A')).status, 401);
    });

    test('alerts: sort by score, time, amount, typology; stable pages; count with the same filters', async () => {
      const a = p.bank.analyst;
      const count = await get(a, '/api/alerts/count');
      assert.equal(count.status, 200, count.text);
      const everything = (await get(a, '/api/alerts?limit=1000')).body.items as Alert[];
      assert.ok(everything.length >= 3, `alerts: ${everything.length}`);
      assert.equal(count.body.count, everything.length);
      const fanOnly = (await get(a, '/api/alerts?typology=fan-in&limit=1000')).body.items as Alert[];
      assert.equal((await get(a, '/api/alerts/count?typology=fan-in')).body.count, fanOnly.length);
      const hub = (await get(a, '/api/alerts?account=S-HUB&limit=1000')).body.items as Alert[];
      assert.ok(hub.some((x) => x.id === alertIds.fan));
      assert.equal((await get(a, '/api/alerts/count?account=S-HUB')).body.count, hub.length);
      assert.equal((await get(a, '/api/alerts/count?minScore=1.01')).status, 400);
      const police = (await get(p.police.analyst, '/api/alerts?scope=all&limit=1000')).body.items as Alert[];
      assert.equal((await get(p.police.analyst, '/api/alerts/count?scope=all')).body.count, police.length, 'another agency counts only its own');

      const usd = (x: Alert) => x.amountMinor * USD_PER_MINOR[x.currency]!;
      const keys: Record<string, (x: Alert) => number | string> = { score: (x) => x.score, time: (x) => Date.parse(x.from), amount: usd, typology: (x) => x.typology };
      for (const sort of Object.keys(keys)) {
        for (const order of [undefined, 'asc', 'desc']) {
          const q = `sort=${sort}${order ? `&order=${order}` : ''}`;
          const one = (await get(a, `/api/alerts?${q}&limit=1000`)).body.items as Alert[];
          const paged: Alert[] = [];
          for (let offset: number | null = 0; offset !== null; ) {
            const r = await get(a, `/api/alerts?${q}&limit=2&offset=${offset}`);
            paged.push(...r.body.items);
            offset = r.body.nextOffset;
          }
          assert.deepEqual(paged.map((x) => x.id), one.map((x) => x.id), `${q}: pages are stable`);
          assert.equal(new Set(one.map((x) => x.id)).size, everything.length);
          const asc = (order ?? (sort === 'typology' ? 'asc' : 'desc')) === 'asc';
          for (let i = 1; i < one.length; i++) {
            const [x, y] = [keys[sort]!(one[i - 1]!), keys[sort]!(one[i]!)];
            assert.ok(asc ? x <= y : x >= y, `${q}: ${x} then ${y}`);
          }
        }
      }
      // Amounts compare in USD: the JPY alert's minor units are more than the USD fan-in's, its value less.
      const byAmount = (await get(a, '/api/alerts?sort=amount&limit=1000')).body.items as Alert[];
      const jpy = byAmount.findIndex((x) => x.currency === 'JPY' && x.typology === 'fan-in');
      const s = byAmount.findIndex((x) => x.id === alertIds.fan);
      assert.ok(jpy >= 0 && s >= 0 && s < jpy, `USD fan-in (${s}) before the JPY one (${jpy})`);
      assert.equal((await get(a, '/api/alerts?sort=size')).status, 400);
    });
  });
}
