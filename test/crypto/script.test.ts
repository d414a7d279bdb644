/**
 * Script types and addresses: Bitcoin Core's `Solver` rules and the BIP-173/BIP-350 test vectors
 * (P2WPKH, P2WSH, P2TR, future witness versions), Base58Check, multisig, pay-to-pubkey, OP_RETURN.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addressKey,
  base58Check,
  base58CheckDecode,
  classify,
  coreAddress,
  graphAddress,
  hash160,
  isBitcoinAddress,
  keyOfAddress,
  legacyCoreAddresses,
  MAINNET,
  newMatch,
  scriptForAddress,
  scriptTypeName,
  segwitDecode,
  TESTNET,
  UtxoGraph,
  ADDRESS_KEY_BYTES,
  type Network,
} from '../../src/crypto/index.js';

function solve(hex: string, net: Network = MAINNET) {
  const s = Buffer.from(hex, 'hex');
  const m = newMatch();
  classify(s, m);
  return { type: scriptTypeName(m.type), address: coreAddress(s, m, net), graph: graphAddress(s, m, net), legacy: legacyCoreAddresses(s, m, net), m, s };
}

// BIP-350 "valid segwit addresses" with their scriptPubKeys.
const VALID: [string, string, Network, string][] = [
  ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '0014751e76e8199196d454941c45d1b3a323f1433bd6', MAINNET, 'witness_v0_keyhash'],
  ['tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262', TESTNET, 'witness_v0_scripthash'],
  ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y', '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6', MAINNET, 'witness_unknown'],
  ['BC1SW50QGDZ25J', '6002751e', MAINNET, 'witness_unknown'],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', '5210751e76e8199196d454941c45d1b3a323', MAINNET, 'witness_unknown'],
  ['tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy', '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433', TESTNET, 'witness_v0_scripthash'],
  ['tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c', '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433', TESTNET, 'witness_v1_taproot'],
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', MAINNET, 'witness_v1_taproot'],
];

// BIP-350 "invalid segwit addresses".
const INVALID = [
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', // Bech32 checksum for v1
  'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', // Bech32 checksum for v16
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', // Bech32m checksum for v0
  'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', // invalid character
  'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', // witness version 17
  'bc1pw5dgrnzv', // 1-byte program
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav', // 41-byte program
  'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', // 16-byte v0 program
  'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', // more than 4 bits of padding
  'bc1gmk9yu', // empty data
];

describe('segwit addresses (BIP-173, BIP-350)', () => {
  for (const [address, script, net, type] of VALID) {
    test(`${address} ⇄ ${script} (${type})`, () => {
      const r = solve(script, net);
      assert.equal(r.type, type);
      assert.equal(r.address, address.toLowerCase());
      assert.equal(Buffer.from(scriptForAddress(address, net)!).toString('hex'), script);
      assert.ok(isBitcoinAddress(address, net));
    });
  }
  for (const address of INVALID) {
    test(`refused: ${address}`, () => {
      assert.equal(isBitcoinAddress(address, MAINNET), false);
      assert.equal(segwitDecode(address), undefined);
    });
  }
});

describe('Core Solver rules', () => {
  const pk33 = `02${'11'.repeat(32)}`;
  const pk65 = `04${'22'.repeat(64)}`;

  test('P2PKH and P2SH: Base58Check with the network version byte', () => {
    const h = '62e907b15cbf27d5425399ebf6f0fb50ebb88f18';
    assert.equal(solve(`76a914${h}88ac`).address, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    const p2sh = solve(`a914${h}87`);
    assert.equal(p2sh.type, 'scripthash');
    assert.equal(p2sh.address, base58Check(0x05, Buffer.from(h, 'hex')));
    assert.equal(solve(`76a914${h}88ac`, TESTNET).address![0], 'm');
    assert.deepEqual(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')?.version, 0);
    assert.equal(base58CheckDecode('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'), undefined, 'checksum');
  });

  test('pay-to-pubkey: compressed and uncompressed keys; the graph follows the key as P2PKH', () => {
    for (const pk of [pk33, pk65]) {
      const r = solve(`${(pk.length / 2).toString(16)}${pk}ac`);
      assert.equal(r.type, 'pubkey');
      assert.equal(r.address, undefined);
      assert.equal(r.graph, base58Check(0, hash160(Buffer.from(pk, 'hex'))));
    }
    assert.equal(solve(`21${'05'}${'11'.repeat(32)}ac`).type, 'nonstandard', 'bad key header');
  });

  test('bare multisig: m-of-n with valid keys; pre-22 Core listed each key as P2PKH', () => {
    const r = solve(`5121${pk33}41${pk65}52ae`);
    assert.equal(r.type, 'multisig');
    assert.equal(r.m.required, 1);
    assert.equal(r.address, undefined);
    const keys = [pk33, pk65].map((k) => base58Check(0, hash160(Buffer.from(k, 'hex'))));
    assert.deepEqual(r.legacy, keys);
    assert.equal(r.graph, `multisig:1-of-2:${keys.join(',')}`);
    assert.equal(solve(`5321${pk33}41${pk65}52ae`).type, 'nonstandard', 'm > n');
    assert.equal(solve(`5121${pk33}41${pk65}53ae`).type, 'nonstandard', 'n does not match the keys');
  });

  test('OP_RETURN with pushes only is nulldata (no address); with other opcodes it is nonstandard', () => {
    assert.equal(solve('6a').type, 'nulldata');
    assert.equal(solve('6a0548656c6c6f').graph, undefined);
    assert.equal(solve('6a4c0100').type, 'nulldata');
    assert.equal(solve('6a76').type, 'nonstandard');
    assert.equal(solve('6a4c05ab').type, 'nonstandard', 'truncated push');
  });

  test('witness programs: v0 of the wrong length is nonstandard; the P2A anchor has its own type', () => {
    assert.equal(solve(`0019${'00'.repeat(25)}`).type, 'nonstandard');
    const anchor = solve('51024e73');
    assert.equal(anchor.type, 'anchor');
    assert.equal(anchor.address, 'bc1pfeessrawgf');
  });

  test('nonstandard scripts still get a graph address (the money is followed), keyed by the script hash', () => {
    const r = solve('7551');
    assert.equal(r.type, 'nonstandard');
    assert.match(r.graph!, /^nonstandard:[0-9a-f]{40}$/);
    assert.equal(solve('').type, 'nonstandard');
  });

  test('address keys: P2PK and P2PKH of the same key are one graph address; typed addresses find their key', () => {
    const pk = Buffer.from(pk33, 'hex');
    const k1 = new Uint8Array(ADDRESS_KEY_BYTES);
    const k2 = new Uint8Array(ADDRESS_KEY_BYTES);
    const a = solve(`21${pk33}ac`);
    const b = solve(`76a914${hash160(pk).toString('hex')}88ac`);
    addressKey(a.s, a.m, k1);
    addressKey(b.s, b.m, k2);
    assert.deepEqual(k1, k2);
    assert.deepEqual(keyOfAddress(b.address!), k2);
    const g = new UtxoGraph();
    g.beginTx(new Uint8Array(32).fill(1), 0, 0, 0);
    g.addCoinbaseInput();
    const id = g.internAddress(k1);
    g.addOutput(1, id, a.m.type);
    g.endTx();
    assert.equal(g.addressId(b.address!), id);
    assert.equal(g.addressName(id), b.address);
  });
});

describe('unusual outputs in the graph', () => {
  test('bare multisig, non-standard and OP_RETURN outputs: followed, named, found again; value to OP_RETURN is burned', async () => {
    const { ChainBuilder } = await import('./chain.js');
    const { parseBlock, trace } = await import('../../src/crypto/index.js');
    const c = new ChainBuilder('unusual');
    const coin = c.mint(c.address('a'), 10_000_000);
    c.mine();
    const pk = `02${'33'.repeat(32)}`;
    const outs = c.pay([coin], [
      [`script:5121${pk}51ae`, 4_000_000],
      ['script:7551', 3_000_000],
      ['OP_RETURN', 1_000_000],
      [c.address('b'), 1_999_000],
    ]);
    const next = c.pay([outs[0]!, outs[1]!], [[c.address('c'), 6_999_000]]);
    const g = new UtxoGraph();
    for (const b of c.blocks()) g.addBlock(parseBlock(b));
    const ms = g.addressName(g.outAddr[g.outpoint(outs[0]!.txid, 0)]!);
    assert.equal(ms, `multisig:1-of-1:${base58Check(0, hash160(Buffer.from(pk, 'hex')))}`);
    assert.equal(g.addressId(ms), g.outAddr[g.outpoint(outs[0]!.txid, 0)]);
    const ns = g.addressName(g.outAddr[g.outpoint(outs[1]!.txid, 1)]!);
    assert.match(ns, /^nonstandard:/);
    assert.equal(g.outAddr[g.outpoint(outs[2]!.txid, 2)], -1);
    const t = trace(g, g.outpoint(coin.txid, 0), 'fwd', undefined, { hops: 3 });
    const by = (r: string) => t.endpoints.filter((e) => e.reason === r).reduce((s, e) => s + e.sats, 0);
    assert.equal(by('burned'), 1_000_000);
    assert.equal(by('unspent'), 1_999_000 + 6_999_000);
    assert.equal(by('fee'), 2000);
    assert.equal(next.length, 1);
  });
});
