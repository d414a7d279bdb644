/**
 * The crypto tables in DuckDB: a graph saved and loaded back is the same graph, loads add to it, orphans of
 * one load are resolved by a later one, clusters and tags survive a reopen.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  clusterGraph,
  compareClusterings,
  CryptoStore,
  loadTagSources,
  MAINNET,
  parseBlock,
  TESTNET,
  UtxoGraph,
} from '../../src/crypto/index.js';
import { fixtureDir } from './fixtures.js';
import { buildWorld, type World } from './world.js';

function sameGraph(a: UtxoGraph, b: UtxoGraph): void {
  assert.equal(a.txCount, b.txCount);
  assert.equal(a.outCount, b.outCount);
  assert.equal(a.inCount, b.inCount);
  assert.equal(a.addressCount, b.addressCount);
  for (let t = 0; t < a.txCount; t++) {
    assert.equal(a.txid(t), b.txid(t));
    assert.equal(a.txTime[t], b.txTime[t]);
    assert.equal(a.txHeight[t], b.txHeight[t]);
  }
  assert.deepEqual(a.outValue.subarray(0, a.outCount), b.outValue.subarray(0, b.outCount));
  assert.deepEqual(a.outAddr.subarray(0, a.outCount), b.outAddr.subarray(0, b.outCount));
  assert.deepEqual(a.outSpender.subarray(0, a.outCount), b.outSpender.subarray(0, b.outCount));
  assert.deepEqual(a.outType.subarray(0, a.outCount), b.outType.subarray(0, b.outCount));
  assert.deepEqual(a.inPrev.subarray(0, a.inCount), b.inPrev.subarray(0, b.inCount));
  for (let k = 0; k < a.addressCount; k++) assert.equal(a.addressName(k), b.addressName(k));
  assert.deepEqual(a.addrFirstTx.subarray(0, a.addressCount), b.addrFirstTx.subarray(0, b.addressCount));
  assert.deepEqual(a.blocks, b.blocks);
  assert.deepEqual(a.orphans(), b.orphans());
}

describe('CryptoStore (DuckDB)', () => {
  let dir: string;
  let w: World;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-crypto-store-'));
    w = buildWorld();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('saved in two loads, second half first: orphans kept, then resolved; reloads equal the graph built at once', async () => {
    const path = join(dir, 'a.duckdb');
    const second = w.blocks.slice(w.split);
    const first = w.blocks.slice(0, w.split);
    let store = await CryptoStore.open(path);
    let { graph, snapshot } = await store.loadGraph(MAINNET);
    for (const b of second) graph.addBlock(parseBlock(b), 'second');
    const orphansAfterFirstLoad = graph.orphanCount;
    assert.ok(orphansAfterFirstLoad > 0);
    await store.saveGraph(graph, snapshot);
    await store.close();

    store = await CryptoStore.open(path);
    ({ graph, snapshot } = await store.loadGraph(MAINNET));
    assert.equal(graph.orphanCount, orphansAfterFirstLoad, 'orphans survive a reopen');
    for (const b of first) graph.addBlock(parseBlock(b), 'first');
    assert.equal(graph.orphanCount, 0);
    await store.saveGraph(graph, snapshot);
    await store.close();

    store = await CryptoStore.open(path);
    const reloaded = (await store.loadGraph(MAINNET)).graph;
    sameGraph(reloaded, graph);
    assert.deepEqual((await store.counts()).orphans, 0);
    // The same history as a fresh graph in the same order.
    const direct = new UtxoGraph();
    for (const b of second) direct.addBlock(parseBlock(b), 'second');
    for (const b of first) direct.addBlock(parseBlock(b), 'first');
    sameGraph(reloaded, direct);
    // Clusters (who is with whom) do not depend on the load order of blocks; ids follow first appearance.
    const inOrder = new UtxoGraph();
    for (const b of w.blocks) inOrder.addBlock(parseBlock(b));
    const ca = clusterGraph(reloaded);
    const cb = clusterGraph(inOrder);
    const members = (g: UtxoGraph, c: Int32Array, n: string) => {
      const id = c[g.addressId(w.a[n]!)]!;
      return Object.keys(w.a).filter((k) => g.addressId(w.a[k]!) >= 0 && c[g.addressId(w.a[k]!)] === id).sort();
    };
    for (const n of ['V2', 'D2', 'DEP2', 'U1']) assert.deepEqual(members(reloaded, ca.clusterOf, n), members(inOrder, cb.clusterOf, n), n);
    await assert.rejects(store.loadGraph(TESTNET), /holds mainnet data/);
    await store.close();
  });

  test('clusterings and merges are kept; tags load idempotently per pack', async () => {
    const path = join(dir, 'b.duckdb');
    const store = await CryptoStore.open(path);
    const { graph, snapshot } = await store.loadGraph(MAINNET);
    for (const b of w.blocks.slice(0, w.split)) graph.addBlock(parseBlock(b));
    await store.saveGraph(graph, snapshot);
    const c1 = clusterGraph(graph);
    await store.saveClustering(c1, compareClusterings(new Int32Array(0), c1.clusterOf), 1);
    const s2 = { blocks: graph.blocks.length, txs: graph.txCount, outputs: graph.outCount, inputs: graph.inCount, addresses: graph.addressCount, orphanInputs: new Int32Array(0) };
    for (const b of w.blocks.slice(w.split)) graph.addBlock(parseBlock(b));
    await store.saveGraph(graph, s2);
    const c2 = clusterGraph(graph, { change: ['round-amount'] });
    const changes = compareClusterings((await store.loadClustering())!.clusterOf, c2.clusterOf);
    await store.saveClustering(c2, changes, 2);
    const back = (await store.loadClustering())!;
    assert.deepEqual(back.clusterOf, c2.clusterOf);
    assert.deepEqual(back.options.change, ['round-amount']);
    assert.equal(back.coinjoin.filter((k) => k > 0).length, 2);
    const v2 = graph.addressId(w.a.V2!);
    assert.equal(await store.resolveClusterId(v2), graph.addressId(w.a.V1!), 'an old cluster id leads to the cluster it merged into');

    const { tags, actors } = await loadTagSources([join(fixtureDir, 'tagpacks'), join(fixtureDir, 'ofac')]);
    const first = await store.saveTags(tags, actors);
    const again = await store.saveTags(tags, actors);
    assert.deepEqual(first, again);
    const index = await store.loadTags();
    assert.equal(index.size, tags.length);
    assert.equal(index.tagsOf('1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA')[0]!.actor, 'hydramarket');
    assert.deepEqual(index.actors.get('hydramarket')?.categories, ['dark_web', 'market']);
    await store.close();
  });
});
