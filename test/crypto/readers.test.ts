/**
 * Readers against the real thing: mainnet blocks parsed from raw bytes must say exactly what Bitcoin Core's
 * `getblock <hash> 2` says, for every transaction, input and output; Core JSON in both address layouts
 * reads back to the same block; blk*.dat files in any order, masked or not, damaged or not.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  blockFromCoreJson,
  blockToCoreJson,
  BlockParseError,
  chainOrder,
  ingestPaths,
  parseBlock,
  parseTransaction,
  UtxoGraph,
  type BlkRecord,
} from '../../src/crypto/index.js';
import { FIXTURE_BLOCKS, fixtureBytes, fixtureHex, fixtureJson } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

/** Core's JSON minus what needs the whole chain (confirmations, chainwork, ...) and the `asm` renderings. */
function comparable(core: J): J {
  const { confirmations: _c, chainwork: _w, mediantime: _m, nextblockhash: _n, difficulty: _d, ...block } = core;
  return {
    ...block,
    tx: core.tx.map((tx: J) => ({
      ...tx,
      vin: tx.vin.map((v: J) => (v.scriptSig ? { ...v, scriptSig: { hex: v.scriptSig.hex } } : v)),
      vout: tx.vout.map((o: J) => {
        const { asm: _a, ...spk } = o.scriptPubKey;
        return { ...o, scriptPubKey: spk };
      }),
    })),
  };
}

/**
 * Rewrite a pre-22 getblock result in the Core 22+ layout: `address` for address types, no reqSigs, and the
 * coinbase's witness (which Core 22+ prints; taken from the raw transaction).
 */
function toModernLayout(core: J): J {
  const copy = structuredClone(core);
  for (const tx of copy.tx) {
    const cb = tx.vin[0];
    if (cb.coinbase !== undefined && tx.hex) {
      const witness = parseTransaction(Buffer.from(tx.hex, 'hex')).inputs[0]!.witness;
      if (witness.length) {
        const { sequence, ...rest } = cb;
        tx.vin[0] = { ...rest, txinwitness: witness.map((w) => Buffer.from(w).toString('hex')), sequence };
      }
    }
    for (const o of tx.vout) {
      const spk = o.scriptPubKey;
      const addresses: string[] | undefined = spk.addresses;
      delete spk.addresses;
      delete spk.reqSigs;
      if (addresses && spk.type !== 'multisig') spk.address = addresses[0];
    }
  }
  return copy;
}

describe('raw blocks parse to exactly what Bitcoin Core says', () => {
  for (const { name, height } of FIXTURE_BLOCKS) {
    test(`block ${height}: hash, header, sizes, every txid, input, value, script type and address`, () => {
      const core = fixtureJson(name);
      const block = parseBlock(fixtureBytes(name));
      assert.equal(block.hash, core.hash);
      assert.equal(block.txs.length, core.nTx);
      const mine = blockToCoreJson(block, 'legacy');
      const theirs = comparable(core);
      // Height: BIP-34 blocks carry it in the coinbase; older ones cannot know it from their bytes alone.
      if (block.height === null) delete theirs.height;
      assert.deepEqual({ ...mine, tx: [] }, { ...theirs, tx: [] });
      for (let i = 0; i < core.tx.length; i++) assert.deepEqual(mine.tx[i], theirs.tx[i], `tx ${i} ${core.tx[i].txid}`);
    });
  }

  test('segwit block 549400: wtxid, vsize and weight follow BIP-141', () => {
    const block = parseBlock(fixtureBytes(FIXTURE_BLOCKS[3].name));
    const segwit = block.txs.filter((t) => t.segwit);
    assert.ok(segwit.length > 0);
    for (const t of segwit) {
      assert.notEqual(t.wtxid, t.txid);
      assert.equal(t.weight, t.strippedSize * 3 + t.size);
    }
    assert.equal(block.height, 549400);
  });

  test('genesis pays to a public key: no Core address, followed as its P2PKH address', () => {
    const out = parseBlock(fixtureBytes('genesis')).txs[0]!.outputs[0]!;
    assert.equal(out.type, 'pubkey');
    assert.equal(out.coreAddress, undefined);
    assert.equal(out.address, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    assert.equal(out.valueSats, 50 * 1e8);
  });
});

describe('Bitcoin Core JSON reads back to the same block in both address layouts', () => {
  for (const { name, height } of FIXTURE_BLOCKS) {
    test(`block ${height}: legacy addresses[] and modern address layouts, with and without hex`, () => {
      const core = fixtureJson(name);
      const fromHex = parseBlock(fixtureBytes(name));
      const legacy = blockFromCoreJson(core);
      const modernJson = toModernLayout(core);
      const modern = blockFromCoreJson(modernJson);
      // No raw transaction hex and no script hex: rebuilt from the fields and addresses, checked by txid.
      const stripped = structuredClone(modernJson);
      for (const tx of stripped.tx) {
        delete tx.hex;
        for (const o of tx.vout) if (o.scriptPubKey.address) delete o.scriptPubKey.hex;
      }
      const rebuilt = blockFromCoreJson(stripped);
      for (const b of [legacy, modern, rebuilt]) {
        assert.equal(b.hash, fromHex.hash);
        assert.equal(b.height, height);
        assert.deepEqual(
          b.txs.map((t) => [t.txid, t.outputs.map((o) => [o.valueSats, o.address])]),
          fromHex.txs.map((t) => [t.txid, t.outputs.map((o) => [o.valueSats, o.address])]),
        );
      }
      assert.deepEqual(comparable(blockToCoreJson(fromHex, 'modern')).tx, comparable(modernJson).tx);
    });
  }

  test('a getblock result whose fields do not hash to its txid is refused with the reason', () => {
    const core = fixtureJson(FIXTURE_BLOCKS[1].name);
    delete core.tx[1].hex;
    core.tx[1].vout[0].value += 0.00000001;
    assert.throws(() => blockFromCoreJson(core), /fields hash to/);
  });

  test('verbosity 1 (txids only) is refused: it has no transactions to read', () => {
    const core = fixtureJson('genesis');
    core.tx = core.tx.map((t: J) => t.txid);
    assert.throws(() => blockFromCoreJson(core), /verbosity 2/);
  });
});

describe('damaged raw blocks are errors with an offset, never crashes', () => {
  const bytes = fixtureBytes(FIXTURE_BLOCKS[2].name);

  test('every truncation of a real block is a BlockParseError', () => {
    for (let cut = 0; cut < bytes.length; cut += 7) {
      assert.throws(() => parseBlock(bytes.subarray(0, cut)), BlockParseError, `cut at ${cut}`);
    }
  });

  test('a flipped byte in a transaction is caught by the merkle root (or the structure)', () => {
    let caught = 0;
    for (let at = 81; at < bytes.length; at += 13) {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x40;
      try {
        parseBlock(copy);
      } catch (err) {
        assert.ok(err instanceof BlockParseError, String(err));
        caught++;
      }
    }
    assert.equal(caught, Math.ceil((bytes.length - 81) / 13));
  });

  test('random bytes never crash the reader', () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    for (let k = 0; k < 300; k++) {
      const buf = Buffer.from(bytes.subarray(0, 200 + k * 3));
      for (let i = 80; i < buf.length; i++) if (rnd() < 40) buf[i] = rnd();
      assert.throws(() => parseBlock(buf), BlockParseError);
    }
  });
});

function header(hash: string, prevHash: string, time = 0): BlkRecord {
  return { file: 'f', offset: 0, size: 100, header: { hash, hashBytes: new Uint8Array(32), prevHash, merkleRoot: '', version: 1, time, bits: 0, nonce: 0 } };
}

describe('blk*.dat files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-blk-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const MAGIC = Buffer.from('f9beb4d9', 'hex');
  function record(block: Buffer): Buffer {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(block.length);
    return Buffer.concat([MAGIC, size, block]);
  }
  function mask(buf: Buffer, key: Buffer): Buffer {
    return Buffer.from(buf.map((b, i) => b ^ key[i % 8]!));
  }

  test('blocks in any order across files, XOR-masked (Core 28+), padded with zeros: all read, inputs resolved', async () => {
    const d = join(dir, 'masked');
    await mkdir(d);
    const key = Buffer.from('0102030405a0b0c0', 'hex');
    const blocks = FIXTURE_BLOCKS.map((b) => fixtureBytes(b.name));
    await writeFile(join(d, 'xor.dat'), key);
    await writeFile(join(d, 'blk00000.dat'), mask(Buffer.concat([record(blocks[3]!), record(blocks[0]!), Buffer.alloc(4096)]), key));
    await writeFile(join(d, 'blk00001.dat'), mask(Buffer.concat([record(blocks[2]!), record(blocks[1]!)]), key));
    const graph = new UtxoGraph();
    const r = await ingestPaths([d], graph);
    assert.deepEqual(r.issues, []);
    assert.equal(r.blocksAdded, 4);
    assert.equal(graph.txCount, 1 + 4 + 9 + 198);
    for (const { name } of FIXTURE_BLOCKS) {
      const core = fixtureJson(name);
      for (const tx of core.tx) assert.ok(graph.txIndex(tx.txid) >= 0, tx.txid);
    }
    // The fixture blocks are far apart on the chain: inputs spending outside their own block stay orphans.
    let outside = 0;
    for (const { name } of FIXTURE_BLOCKS) {
      const core = fixtureJson(name);
      const own = new Set(core.tx.map((t: J) => t.txid));
      for (const tx of core.tx) for (const v of tx.vin) if (v.txid && !own.has(v.txid)) outside++;
    }
    assert.ok(outside < graph.inCount - 4, 'some inputs spend within their block');
    assert.equal(r.orphanInputs, outside);
  });

  test('garbage, a bad size, a corrupt block and a truncated tail are reported with offsets; the rest is read', async () => {
    const d = join(dir, 'damaged');
    await mkdir(d);
    const good = fixtureBytes(FIXTURE_BLOCKS[1].name);
    const corrupt = Buffer.from(fixtureBytes(FIXTURE_BLOCKS[2].name));
    corrupt[300]! ^= 1;
    const badSize = Buffer.concat([MAGIC, Buffer.from('ffffff7f', 'hex')]);
    const truncated = record(fixtureBytes('genesis')).subarray(0, 150);
    const file = Buffer.concat([Buffer.from('junk!junk!'), record(good), badSize, record(corrupt), truncated]);
    await writeFile(join(d, 'blk00007.dat'), file);
    const graph = new UtxoGraph();
    const r = await ingestPaths([d], graph);
    assert.equal(r.blocksAdded, 1);
    assert.equal(graph.txCount, 4);
    const reasons = r.issues.map((i) => `${i.offset}: ${i.reason}`);
    assert.equal(r.issueCount, 4, reasons.join('\n'));
    assert.match(reasons[0]!, /^0: no block magic; skipped 10 bytes/);
    assert.match(reasons[1]!, /implausible block size 2147483647/);
    assert.match(reasons[2]!, /truncated block: 285 bytes announced, 142 left/);
    assert.match(reasons[3]!, /merkle root .* does not match/);
  });

  test('chain order: parents first whatever the file order; the shorter branch of a fork is stale', () => {
    const recs = [header('c', 'b', 3), header('a', 'x', 1), header('b2', 'a', 2), header('b', 'a', 2), header('d', 'c', 4), header('a', 'x', 1)];
    const { ordered, stale, duplicates } = chainOrder(recs);
    assert.deepEqual(ordered.map((r) => r.header.hash), ['a', 'b', 'c', 'd']);
    assert.deepEqual(stale.map((r) => r.header.hash), ['b2']);
    assert.equal(duplicates.length, 1);
  });

  test('raw hex files (one block per line) and Core JSON files load the same graph', async () => {
    const d = join(dir, 'text');
    await mkdir(d);
    await writeFile(join(d, 'blocks.hex'), `${FIXTURE_BLOCKS.map((b) => fixtureHex(b.name)).join('\n')}\nnot-hex\n`);
    await writeFile(join(d, 'blocks.json'), JSON.stringify(FIXTURE_BLOCKS.map((b) => ({ result: fixtureJson(b.name), error: null, id: 1 }))));
    const a = new UtxoGraph();
    const ra = await ingestPaths([join(d, 'blocks.hex')], a);
    assert.equal(ra.blocksAdded, 4);
    assert.deepEqual(ra.issues.map((i) => [i.line, i.reason]), [[5, 'not an even-length hexadecimal string']]);
    const b = new UtxoGraph();
    const rb = await ingestPaths([join(d, 'blocks.json')], b);
    assert.equal(rb.blocksAdded, 4);
    assert.equal(a.txCount, b.txCount);
    for (let t = 0; t < a.txCount; t++) assert.equal(a.txid(t), b.txid(t));
    // Loading again adds nothing: blocks are known by hash.
    const again = await ingestPaths([join(d, 'blocks.json')], b);
    assert.equal(again.blocksAdded, 0);
    assert.equal(again.duplicateBlocks, 4);
  });
});

describe('XOR mask', () => {
  test('unmask equals a byte-wise XOR at any file offset and alignment', async () => {
    const { unmask } = await import('../../src/crypto/index.js');
    const key = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 200]);
    const data = new Uint8Array(1000).map((_, i) => (i * 37) & 0xff);
    for (const [start, len, offset] of [[0, 1000, 0], [1, 999, 5], [3, 17, 13], [2, 3, 7], [4, 996, 1_000_001]] as const) {
      const view = data.slice().subarray(start, start + len);
      const expected = view.map((b, i) => b ^ key[(offset + i) % 8]!);
      unmask(view, key, offset);
      assert.deepEqual(view, expected, `${start}/${len}/${offset}`);
    }
  });
});
