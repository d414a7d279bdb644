/**
 * CoinJoin shapes and change heuristics, one rule at a time, on small synthetic chains.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  changeOutput,
  changeVotes,
  COINJOIN_KINDS,
  coinjoinKind,
  clusterGraph,
  isStandardDenomination,
  parseBlock,
  UnionFind,
  UtxoGraph,
} from '../../src/crypto/index.js';
import { BTC, ChainBuilder, type AddressType, type Outpoint } from './chain.js';

interface Mini {
  c: ChainBuilder;
  coin: (name: string, sats: number, type?: AddressType) => Outpoint;
  build: () => { g: UtxoGraph; tx: (txid: string) => number; out: (o: Outpoint) => number };
}

function mini(seed: string): Mini {
  const c = new ChainBuilder(seed);
  return {
    c,
    coin: (name, sats, type = 'p2pkh') => c.mint(c.address(name, type), sats),
    build: () => {
      const g = new UtxoGraph();
      for (const b of c.blocks()) g.addBlock(parseBlock(b));
      return { g, tx: (txid) => g.txIndex(txid), out: (o) => g.outpoint(o.txid, o.vout) };
    },
  };
}

function kindOf(g: UtxoGraph, t: number): string {
  return COINJOIN_KINDS[coinjoinKind(g, t)]!;
}

describe('CoinJoin shapes', () => {
  test('Whirlpool: 5 × 5, one pool denomination, P2WPKH', () => {
    const m = mini('whirlpool');
    const ins = [0, 1, 2, 3, 4].map((i) => m.coin(`u${i}`, 1_010_000 + i, 'p2wpkh'));
    m.c.mine();
    const [pool] = m.c.pay(ins, ins.map((_, i) => [m.c.address(`w${i}`, 'p2wpkh'), 1_000_000] as const));
    const ins2 = [0, 1, 2, 3, 4].map((i) => m.coin(`v${i}`, 2_010_000 + i, 'p2wpkh'));
    m.c.mine();
    const [odd] = m.c.pay(ins2, ins2.map((_, i) => [m.c.address(`x${i}`, 'p2wpkh'), 2_000_000] as const));
    const { g, tx } = m.build();
    assert.equal(kindOf(g, tx(pool!.txid)), 'whirlpool');
    assert.equal(kindOf(g, tx(odd!.txid)), 'equal-output', '0.02 BTC is not a Whirlpool pool: a generic join');
  });

  test('Wasabi 1: ten or more equal ~0.1 BTC P2WPKH outputs', () => {
    const m = mini('wasabi');
    const ins = Array.from({ length: 12 }, (_, i) => m.coin(`u${i}`, 11_000_000, 'p2wpkh'));
    m.c.mine();
    const outs = [
      ...Array.from({ length: 11 }, (_, i) => [m.c.address(`mix${i}`, 'p2wpkh'), 10_001_234] as const),
      [m.c.address('change', 'p2wpkh'), 5_000_000] as const,
      [m.c.address('coordinator', 'p2wpkh'), 300_000] as const,
    ];
    const [tx1] = m.c.pay(ins, outs);
    const { g, tx } = m.build();
    assert.equal(kindOf(g, tx(tx1!.txid)), 'wasabi');
  });

  test('Wasabi 2: 50+ inputs and outputs, all segwit, standard denominations', () => {
    assert.ok(isStandardDenomination(2 ** 20) && isStandardDenomination(5 * 10 ** 6) && isStandardDenomination(2 * 3 ** 10));
    assert.ok(!isStandardDenomination(1_234_567));
    const m = mini('wasabi2');
    const ins = Array.from({ length: 55 }, (_, i) => m.coin(`u${i}`, 3_000_000 + i, i % 2 ? 'p2tr' : 'p2wpkh'));
    m.c.mine();
    const denoms = [1_048_576, 2_000_000, 1_000_000, 531_441, 200_000];
    const outs = Array.from({ length: 60 }, (_, i) => [m.c.address(`o${i}`, i % 3 ? 'p2tr' : 'p2wpkh'), i < 50 ? denoms[i % 5]! : 12_345 + i] as const);
    const [tx1] = m.c.pay(ins, outs);
    const { g, tx } = m.build();
    assert.equal(kindOf(g, tx(tx1!.txid)), 'wasabi2');
  });

  test('Samourai Stonewall: four outputs, one equal pair', () => {
    const m = mini('stonewall');
    const a = m.coin('a', 6_000_000, 'p2wpkh');
    const b = m.coin('b', 7_000_000, 'p2wpkh');
    m.c.mine();
    const [t1] = m.c.pay([a, b], [
      [m.c.address('pay', 'p2wpkh'), 5_000_000],
      [m.c.address('fake', 'p2wpkh'), 5_000_000],
      [m.c.address('ca', 'p2wpkh'), 999_000],
      [m.c.address('cb', 'p2wpkh'), 1_999_000],
    ]);
    const { g, tx } = m.build();
    assert.equal(kindOf(g, tx(t1!.txid)), 'samourai-stonewall');
  });

  test('ordinary payments are not CoinJoins: two equal payees, a consolidation, a single input', () => {
    const m = mini('plain');
    const a = m.coin('a', 5 * BTC);
    const b = m.coin('b', 5 * BTC);
    const c = m.coin('c', 1 * BTC);
    m.c.mine();
    const [t1] = m.c.pay([a, b], [
      [m.c.address('p1'), 2 * BTC],
      [m.c.address('p2'), 2 * BTC],
      [m.c.address('ch'), 6 * BTC - 1000],
    ]);
    const [t2] = m.c.pay([c], [
      [m.c.address('q1'), 0.3 * BTC],
      [m.c.address('q2'), 0.3 * BTC],
      [m.c.address('q3'), 0.3 * BTC],
    ]);
    const { g, tx } = m.build();
    assert.equal(kindOf(g, tx(t1!.txid)), 'none');
    assert.equal(kindOf(g, tx(t2!.txid)), 'none');
  });
});

describe('change heuristics, one rule at a time', () => {
  test('address-type: inputs are P2WPKH, only one output is', () => {
    const m = mini('addr-type');
    const a = m.coin('a', 123_456_789, 'p2wpkh');
    m.c.mine();
    const [pay, change] = m.c.pay([a], [
      [m.c.address('shop', 'p2pkh'), 23_456_789],
      [m.c.address('me', 'p2wpkh'), 99_999_000],
    ]);
    const { g, tx, out } = m.build();
    const v = changeVotes(g, tx(pay!.txid));
    assert.equal(v['address-type'], out(change!));
    assert.equal(v['round-amount'], -1, 'neither amount is round');
  });

  test('round-amount: the payment is round, the change is not', () => {
    const m = mini('round');
    const a = m.coin('a', 2 * BTC);
    m.c.mine();
    const [pay, change] = m.c.pay([a], [
      [m.c.address('shop'), 0.5 * BTC],
      [m.c.address('me'), 1.5 * BTC - 1234],
    ]);
    const { g, tx, out } = m.build();
    assert.equal(changeVotes(g, tx(pay!.txid))['round-amount'], out(change!));
  });

  test('fresh-address: the payee was seen before, the change address is new', () => {
    const m = mini('fresh');
    const shop = m.c.address('shop');
    m.coin('shop', 1000);
    const a = m.coin('a', 2 * BTC);
    m.c.mine();
    const [pay, change] = m.c.pay([a], [
      [shop, 0.7 * BTC],
      [m.c.address('me'), 1.3 * BTC - 1000],
    ]);
    const { g, tx, out } = m.build();
    assert.equal(changeVotes(g, tx(pay!.txid))['fresh-address'], out(change!));
  });

  test('optimal-change: the one output smaller than every input', () => {
    const m = mini('optimal');
    const a = m.coin('a', 100_000_000);
    const b = m.coin('b', 80_000_000);
    m.c.mine();
    const [pay, change] = m.c.pay([a, b], [
      [m.c.address('shop'), 150_000_000],
      [m.c.address('me'), 29_999_000],
    ]);
    const { g, tx, out } = m.build();
    assert.equal(changeVotes(g, tx(pay!.txid))['optimal-change'], out(change!));
    const one = clusterGraph(g, { change: ['optimal-change'] });
    assert.equal(one.clusterOf[g.addressId(m.c.address('me'))], one.clusterOf[g.addressId(m.c.address('a'))]);
    const off = clusterGraph(g);
    assert.notEqual(off.clusterOf[g.addressId(m.c.address('me'))], off.clusterOf[g.addressId(m.c.address('a'))], 'off by default');
  });

  test('votes: agreement is needed; a disagreement or a self-change gives no verdict', () => {
    const m = mini('votes');
    const shop = m.c.address('shop', 'p2pkh');
    m.coin('shop', 1000);
    const a = m.coin('a', 2 * BTC, 'p2wpkh');
    const b = m.coin('b', 2 * BTC, 'p2wpkh');
    m.c.mine();
    // round-amount says output 1, address-type says output 1, fresh-address says output 1: three votes.
    const [t1, c1] = m.c.pay([a], [[shop, 0.5 * BTC], [m.c.address('me', 'p2wpkh'), 1.5 * BTC - 777]]);
    // round-amount says output 0 (the non-round one), address-type says output 1: they disagree.
    const [t2] = m.c.pay([b], [[m.c.address('x', 'p2pkh'), 0.5 * BTC + 1], [m.c.address('y', 'p2wpkh'), 1.4 * BTC]]);
    const self = m.coin('s', 3 * BTC);
    const [t3] = m.c.pay([self], [[m.c.address('z'), 1 * BTC], [m.c.address('s'), 2 * BTC - 100]]);
    const { g, tx, out } = m.build();
    const all = ['address-type', 'round-amount', 'fresh-address'] as const;
    assert.equal(changeOutput(g, tx(t1!.txid), all, 3), out(c1!));
    assert.equal(changeOutput(g, tx(t2!.txid), all, 1), -1);
    assert.equal(changeOutput(g, tx(t3!.txid), all, 1), -1);
    assert.deepEqual(Object.values(changeVotes(g, tx(t3!.txid))), [-1, -1, -1, -1]);
  });
});

describe('union-find', () => {
  test('the smallest id is the root, whatever the order of unions', () => {
    const uf = new UnionFind(10);
    uf.union(9, 8);
    uf.union(5, 9);
    uf.union(7, 6);
    uf.union(6, 8);
    for (const a of [5, 6, 7, 8, 9]) assert.equal(uf.find(a), 5);
    assert.equal(uf.find(4), 4);
  });
});
