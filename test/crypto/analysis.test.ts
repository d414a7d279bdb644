/**
 * Given the cartel economy of world.ts (synthetic chain, real tags), clustering, attribution, exposure,
 * tracing and peel-chain detection give exactly the answers the story implies.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { alertLine } from '../../src/detect/index.js';
import {
  attribute,
  buildLabels,
  clusterGraph,
  clusterTarget,
  addressTarget,
  compareClusterings,
  exposure,
  findPeelChains,
  loadTagSources,
  parseBlock,
  peelChainAlerts,
  TagIndex,
  trace,
  UtxoGraph,
  type Clustering,
  type Labels,
} from '../../src/crypto/index.js';
import { fixtureDir } from './fixtures.js';
import { BTC } from './chain.js';
import { buildWorld, CHIPMIXER, FEE, HUOBI, HYDRA, RANSOMWARE, SANCTIONED, type World } from './world.js';

function load(blocks: Buffer[], g = new UtxoGraph()): UtxoGraph {
  for (const b of blocks) g.addBlock(parseBlock(b));
  return g;
}

describe('the cartel world', () => {
  let w: World;
  let g: UtxoGraph;
  let c: Clustering;
  let tags: TagIndex;
  let labels: Labels;
  const id = (name: string) => {
    const i = g.addressId(w.a[name] ?? name);
    assert.ok(i >= 0, `address ${name} in the graph`);
    return i;
  };
  const cluster = (name: string) => c.clusterOf[id(name)]!;
  const members = (name: string) =>
    Object.keys(w.a)
      .filter((n) => g.addressId(w.a[n]!) >= 0 && cluster(n) === cluster(name))
      .sort();

  before(async () => {
    w = buildWorld();
    g = load(w.blocks);
    c = clusterGraph(g);
    const loaded = await loadTagSources([join(fixtureDir, 'tagpacks'), join(fixtureDir, 'ofac')]);
    tags = new TagIndex(loaded.tags, loaded.actors);
    labels = buildLabels(g, tags, c);
  });

  test('every input resolves: the chain is complete', () => {
    assert.equal(g.orphanCount, 0);
    assert.equal(g.issues.doubleSpends, 0);
  });

  test('co-spent addresses cluster: market with its deposits, cartel vendors, exchange with its deposits', () => {
    assert.deepEqual(members('HYDRA'), ['D1', 'D2', 'HYDRA']);
    assert.deepEqual(members('V1'), ['V1', 'V2', 'V3']);
    assert.deepEqual(members('HUOBI'), ['DEP1', 'DEP2', 'HUOBI']);
    assert.deepEqual(members('B3'), ['B3']);
    assert.deepEqual(members('P0'), ['P0'], 'single-input peel steps link nothing without change heuristics');
    assert.equal(c.multiInputTxs, 4, 'sweep, consolidation, exchange sweep and buyer; the Whirlpool and JoinMarket joins are left out');
  });

  test('CoinJoins are recognised and their participants stay apart', () => {
    assert.equal(c.coinjoinCounts.whirlpool, 1);
    assert.equal(c.coinjoinCounts['equal-output'], 1);
    assert.equal(c.coinjoinCounts.wasabi + c.coinjoinCounts.wasabi2 + c.coinjoinCounts['samourai-stonewall'], 0);
    assert.deepEqual(members('V4'), ['V4']);
    assert.deepEqual(members('U1'), ['U1']);
    assert.deepEqual(members('J1'), ['J1']);
    const unfiltered = clusterGraph(g, { coinjoinFilter: false });
    const of = (n: string) => unfiltered.clusterOf[id(n)];
    assert.equal(of('V4'), of('U3'), 'without the filter the mix merges the cartel with strangers');
    assert.equal(of('J1'), of('J3'));
  });

  test('cluster ids are stable across incremental loads: old ids survive, merges keep the older id', () => {
    const first = load(w.blocks.slice(0, w.split));
    const before1 = clusterGraph(first);
    const v = (gr: UtxoGraph, n: string) => gr.addressId(w.a[n]!);
    // V1, V2, V3 are still apart after the first half.
    assert.notEqual(before1.clusterOf[v(first, 'V1')], before1.clusterOf[v(first, 'V2')]);
    load(w.blocks.slice(w.split), first);
    const after = clusterGraph(first);
    const changes = compareClusterings(before1.clusterOf, after.clusterOf);
    assert.deepEqual(
      [...changes.merged].sort(),
      [
        [v(first, 'V2'), v(first, 'V1')],
        [v(first, 'V3'), v(first, 'V1')],
      ],
    );
    assert.equal(changes.reassigned, 0);
    for (let a = 0; a < before1.clusterOf.length; a++) {
      if (!changes.merged.has(before1.clusterOf[a]!)) assert.equal(after.clusterOf[a], before1.clusterOf[a], `address ${a}`);
    }
    // The same blocks in one load give the same ids.
    assert.deepEqual(after.clusterOf, c.clusterOf);
  });

  test('change heuristics, each switchable: round amounts join the peel chain to one wallet', () => {
    const round = clusterGraph(g, { change: ['round-amount'] });
    const of = (n: string) => round.clusterOf[id(n)];
    for (const n of ['P1', 'P2', 'P3', 'P4', 'P5']) assert.equal(of(n), of('P0'), n);
    assert.equal(of('B1c'), of('B1'), "the buyer's change joins him");
    assert.notEqual(of('SHOP1'), of('P0'));
    const fresh = clusterGraph(g, { change: ['fresh-address'] });
    assert.notEqual(fresh.clusterOf[id('P1')], fresh.clusterOf[id('P0')], 'both outputs of a peel step are fresh: no verdict');
    const both = clusterGraph(g, { change: ['round-amount', 'fresh-address'], changeVote: 2 });
    assert.equal(both.changeLinks, 0, 'two votes needed, never both given');
  });

  test('attribution: clusters inherit cluster-defining tags with category, source and confidence', () => {
    const market = attribute(labels.tagsByCluster.get(cluster('D1')) ?? [], tags);
    assert.equal(market.entities[0]!.name, 'Hydra Market');
    assert.deepEqual(market.categories, ['market']);
    assert.equal(market.conflict, false);
    assert.equal(market.entities[0]!.tags[0]!.source, 'https://home.treasury.gov/policy-issues/financial-sanctions/recent-actions/20220405');
    assert.equal(market.entities[0]!.confidenceLevel, 60);
    const exchange = attribute(labels.tagsByCluster.get(cluster('DEP2')) ?? [], tags);
    assert.deepEqual([exchange.entities[0]!.name, exchange.categories], ['Huobi', ['exchange']]);
    const sdn = attribute(labels.tagsByAddress.get(id(SANCTIONED)) ?? [], tags);
    assert.deepEqual(sdn.categories, ['sanctioned']);
    assert.ok(labels.mask[id('D2')], 'deposit addresses carry the market label through the cluster');
    assert.equal(labels.mask[id('I1')], 0);
    // The mixer tag does not define its cluster (is_cluster_definer: false): only the address is labelled.
    assert.deepEqual(attribute(labels.tagsByAddress.get(id(CHIPMIXER)) ?? [], tags).categories, ['mixing_service']);
  });

  test('conflicting attributions are shown side by side, not hidden', () => {
    const conflict = attribute([...tags.tagsOf(HYDRA), ...tags.tagsOf(HUOBI)], tags);
    assert.equal(conflict.conflict, true);
    assert.deepEqual(conflict.entities.map((e) => e.name).sort(), ['Huobi', 'Hydra Market']);
    assert.deepEqual(conflict.categories, ['exchange', 'market']);
  });

  test('receiving exposure of the cartel: market and ransomware direct, mixer through one unlabelled hop', () => {
    const e = exposure(g, labels, clusterTarget(g, c, cluster('V1')), { hops: 3 });
    const r = e.receiving;
    assert.equal(r.totalSats, 3 * BTC + 1.5 * BTC + (1 * BTC - FEE));
    const cat = (n: string) => r.categories.find((x) => x.category === n)!;
    assert.deepEqual([cat('market').directSats, cat('market').indirectSats], [3 * BTC, 0]);
    assert.deepEqual([cat('ransomware').directSats, cat('ransomware').indirectSats], [1.5 * BTC, 0]);
    assert.deepEqual([cat('mixing_service').directSats, cat('mixing_service').indirectSats], [0, 1 * BTC - FEE]);
    assert.ok(Math.abs(cat('market').share - (3 * BTC) / r.totalSats) < 1e-12);
    // Paths: the vendor's output, then the market's output it was paid from.
    const mixPath = cat('mixing_service').paths[0]!;
    assert.equal(mixPath.hops, 2);
    assert.deepEqual(
      mixPath.outputs.map((o) => g.addressName(g.outAddr[o]!)),
      [w.a.V3, w.a.I1, CHIPMIXER],
    );
    // Poison: every category reached taints its whole received output; here each source is single.
    assert.equal(cat('mixing_service').poisonSats, 1 * BTC - FEE);
    // With one hop only, the mixer is out of reach.
    const oneHop = exposure(g, labels, clusterTarget(g, c, cluster('V1')), { hops: 1 }).receiving;
    assert.equal(oneHop.categories.find((x) => x.category === 'mixing_service'), undefined);
    assert.equal(oneHop.unattributedSats, 1 * BTC - FEE);
  });

  test('sending exposure of the cartel: exchange and sanctioned reached down the peel chain', () => {
    const e = exposure(g, labels, clusterTarget(g, c, cluster('V1')), { hops: 7 }).sending;
    const p0 = 5.5 * BTC - 2 * FEE;
    assert.equal(e.totalSats, p0);
    const cat = (n: string) => e.categories.find((x) => x.category === n)!;
    assert.equal(cat('exchange').indirectSats, 0.2 * BTC + w.out.DEP2!.sats);
    assert.equal(cat('sanctioned').indirectSats, 0.3 * BTC);
    assert.equal(cat('exchange').paths[0]!.hops, 7, 'the cash-out is the largest path');
    assert.equal(e.unattributedSats, (0.1 + 0.15 + 0.12) * BTC, 'the shops are unlabelled and unspent');
    assert.equal(e.feesSats, 7 * FEE, 'consolidation, five peel steps, cash-out');
    // Haircut shares add up to at most 100 %; poison counts each output for every category ahead of it.
    assert.ok(e.categories.reduce((s, x) => s + x.share, 0) <= 1);
    assert.equal(cat('sanctioned').poisonSats, p0);
  });

  test('address exposure: one address against its own cluster', () => {
    const e = exposure(g, labels, addressTarget(g, id('V2'), c), { hops: 2 }).receiving;
    assert.deepEqual(
      e.categories.map((x) => [x.category, x.directSats]),
      [['ransomware', 1.5 * BTC]],
    );
  });

  test('trace forward from the market payout: every satoshi ends somewhere, labelled services stop the trace', () => {
    const start = g.outpoint(w.out.V1!.txid, w.out.V1!.vout);
    const t = trace(g, start, 'fwd', labels, { hops: 10 });
    const total = t.endpoints.reduce((s, e) => s + e.sats, 0);
    assert.ok(Math.abs(total - 3 * BTC) < 0.01, `${total}`);
    const f = (3 * BTC) / (5.5 * BTC - FEE);
    const near = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1, `${x} ≈ ${y}`);
    const byCat = Object.fromEntries(t.byCategory.map((x) => [x.category, x]));
    near(byCat.exchange!.sats, f * (0.2 * BTC + w.out.DEP2!.sats));
    assert.equal(byCat.exchange!.minHop, 3);
    near(byCat.sanctioned!.sats, f * 0.3 * BTC);
    assert.equal(byCat.sanctioned!.minHop, 5);
    near(t.endpoints.filter((e) => e.reason === 'unspent').reduce((s, e) => s + e.sats, 0), f * (0.1 + 0.15 + 0.12) * BTC);
    near(t.endpoints.filter((e) => e.reason === 'fee').reduce((s, e) => s + e.sats, 0), f * 7 * FEE);
    // Labelled stop: the exchange's own sweep is not followed.
    assert.ok(!t.edges.some((e) => g.txid(e.tx) === w.out.HUOBI!.txid));
    const short = trace(g, start, 'fwd', labels, { hops: 2 });
    assert.ok(short.endpoints.some((e) => e.reason === 'hop-limit'));
  });

  test('trace back from the cash-out: the market, the ransomware and the mixer, in proportion', () => {
    const start = g.outpoint(w.out.DEP2!.txid, 0);
    const t = trace(g, start, 'back', labels, { hops: 10 });
    const d = w.out.DEP2!.sats;
    const whole = 5.5 * BTC - FEE;
    const byCat = Object.fromEntries(t.byCategory.map((x) => [x.category, x]));
    const near = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1, `${x} ≈ ${y}`);
    near(byCat.market!.sats, (d * 3 * BTC) / whole);
    near(byCat.ransomware!.sats, (d * 1.5 * BTC) / whole);
    near(byCat.mixing_service!.sats, (d * (1 * BTC - FEE)) / whole);
    assert.deepEqual([byCat.market!.minHop, byCat.ransomware!.minHop, byCat.mixing_service!.minHop], [8, 8, 9]);
    const eight = trace(g, start, 'back', labels, { hops: 8 });
    assert.equal(eight.byCategory.find((x) => x.category === 'mixing_service'), undefined);
  });

  test('exactly one peel chain, reported as a contract alert line', () => {
    const { chains } = findPeelChains(g, { minHops: 3 });
    assert.equal(chains.length, 1);
    const chain = chains[0]!;
    assert.deepEqual(chain.txs.map((t) => g.txid(t)), w.peelTxids);
    assert.equal(chain.peeledSats, w.peels.reduce((s, v) => s + v, 0));
    const [alert] = peelChainAlerts(g, chains, labels);
    const line = JSON.parse(alertLine(alert!));
    assert.equal(line.typology, 'peel-chain');
    assert.deepEqual(line.transactions, w.peelTxids);
    assert.deepEqual(line.amount, { value: 0.87, currency: 'XBT' });
    assert.equal(line.accounts[0], w.a.P0);
    for (const n of ['P1', 'P5', 'SHOP1', 'DEP1']) assert.ok(line.accounts.includes(w.a[n]), n);
    assert.ok(line.accounts.includes(SANCTIONED));
    assert.match(line.explanation, /^peel chain of 5 hops from /);
    assert.match(line.explanation, /peels reached exchange ×1, sanctioned ×1/);
    assert.ok(line.score > 0 && line.score <= 1);
    const score = line.factors.reduce((s: number, f: { value: number; weight: number }) => s + f.value * f.weight, 0);
    assert.ok(Math.abs(score - line.score) < 1e-3);
    assert.equal(findPeelChains(g, { minHops: 6 }).chains.length, 0);
  });

  test('ransomware and the market are labelled by real tag packs', () => {
    assert.ok(labels.mask[id(RANSOMWARE)]);
    assert.ok(labels.mask[id(HYDRA)]);
  });
});
