/**
 * `rastro crypto ...` as an investigator meets it, on the cartel world written as block files, and on a
 * fake Bitcoin Core node over JSON-RPC.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseBlock } from '../../src/crypto/index.js';
import { fixtureDir, root } from './fixtures.js';
import { buildWorld, SANCTIONED, type World } from './world.js';

const cli = join(root, 'dist', 'src', 'cli', 'main.js');

function rastro(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function rastroAsync(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('rastro crypto', () => {
  let dir: string;
  let w: World;
  const db = ['--db', 'w.duckdb'];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-crypto-cli-'));
    w = buildWorld();
    const hex = (blocks: Buffer[]) => `${blocks.map((b) => b.toString('hex')).join('\n')}\n`;
    await writeFile(join(dir, 'first.hex'), hex(w.blocks.slice(0, w.split)));
    await writeFile(join(dir, 'second.hex'), hex(w.blocks.slice(w.split)));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('ingest in any order: orphans kept, then resolved; a second run adds nothing', () => {
    const a = rastro(['crypto', 'ingest', 'second.hex', ...db, '--json'], dir);
    assert.equal(a.code, 0, a.stderr);
    const ra = JSON.parse(a.stdout);
    assert.equal(ra.blocksAdded, w.blocks.length - w.split);
    assert.ok(ra.orphanInputs > 0);
    const b = rastro(['crypto', 'ingest', 'first.hex', ...db, '--json'], dir);
    assert.equal(b.code, 0, b.stderr);
    const rb = JSON.parse(b.stdout);
    assert.equal(rb.orphanInputs, 0);
    assert.equal(rb.orphansResolved, ra.orphanInputs);
    const c = rastro(['crypto', 'ingest', 'first.hex', 'second.hex', ...db, '--json'], dir);
    assert.equal(JSON.parse(c.stdout).blocksAdded, 0);
    const human = rastro(['crypto', 'ingest', 'first.hex', ...db], dir);
    assert.match(human.stdout, /already loaded +\d+ blocks/);
  });

  test('tags load: packs, actors and OFAC lists; invalid addresses named on stderr', () => {
    const r = rastro(['crypto', 'tags', 'load', join(fixtureDir, 'tagpacks'), join(fixtureDir, 'ofac'), ...db, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.actors, 10);
    assert.ok(s.tags > 40);
    assert.match(r.stderr, /plustoken\.yaml: 14bwh6gmvol5ntwbvxqjkjdtzv4y5ebtvm: not a valid Bitcoin address/);
  });

  test('cluster: CoinJoins counted and left apart; human and JSON output', () => {
    const r = rastro(['crypto', 'cluster', ...db, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.coinjoins.whirlpool, 1);
    assert.equal(s.coinjoins['equal-output'], 1);
    assert.equal(s.multiInputTxs, 4);
    const labels = s.largest.map((l: { label: string | null }) => l.label).filter(Boolean).join(' | ');
    assert.match(labels, /Hydra Market \(market\)/);
    assert.match(labels, /Huobi \(exchange\)/);
    const human = rastro(['crypto', 'cluster', ...db, '--change', 'round-amount'], dir);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /change \(round-amount, 1 vote\(s\)\) joined \d+ outputs/);
    assert.match(human.stdout, /coinjoins +whirlpool 1, equal-output 1 \(inputs left apart\)/);
    const bad = rastro(['crypto', 'cluster', ...db, '--change', 'vibes'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown heuristic "vibes"/);
    rastro(['crypto', 'cluster', ...db], dir);
  });

  test('address: cluster, attribution, balance and exposure with the paths behind it', () => {
    const r = rastro(['crypto', 'address', w.a.V2!, ...db, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.cluster.addresses, 3);
    assert.equal(s.flows.receivedSats, 1.5e8);
    assert.equal(s.flows.balanceSats, 0);
    const received = Object.fromEntries(s.exposure.cluster.receiving.categories.map((c: { category: string; directSats: number; indirectSats: number }) => [c.category, [c.directSats, c.indirectSats]]));
    assert.deepEqual(received, { market: [3e8, 0], ransomware: [1.5e8, 0], mixing_service: [0, 1e8 - 1000] });
    const path = s.exposure.cluster.receiving.categories.find((c: { category: string }) => c.category === 'mixing_service').paths[0];
    assert.deepEqual(
      path.steps.map((x: { address: string }) => x.address),
      [w.a.V3, w.a.I1, '1LAScEFHGkfpyjtFzA4g9283JmL2cYR9Tx'],
    );
    const human = rastro(['crypto', 'address', w.a.V2!, ...db], dir);
    assert.match(human.stdout, /cluster +\d+: 3 address\(es\)/);
    assert.match(human.stdout, /market +54\.55 %/);
    const hydra = rastro(['crypto', 'address', '1BCWMwpR4M1nYUuuYe2bmzrNuwGoF9ZAbA', ...db], dir);
    assert.match(hydra.stdout, /Hydra Market \[market\] confidence 60/);
    const sdn = rastro(['crypto', 'address', SANCTIONED, ...db], dir);
    assert.match(sdn.stdout, /OFAC SDN list \[sanctioned\] authority_data \(60\)/);
    const missing = rastro(['crypto', 'address', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', ...db], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /not in the loaded blocks/);
  });

  test('trace forward and back, with amounts and the services reached', () => {
    const start = `${w.out.V1!.txid}:${w.out.V1!.vout}`;
    const fwd = rastro(['crypto', 'trace', start, '--hops', '10', ...db, '--json'], dir);
    assert.equal(fwd.code, 0, fwd.stderr);
    const f = JSON.parse(fwd.stdout);
    assert.deepEqual(f.byCategory.map((c: { category: string }) => c.category).sort(), ['exchange', 'sanctioned']);
    assert.ok(f.edges.length > 0 && f.edges.every((e: { txid: string }) => /^[0-9a-f]{64}$/.test(e.txid)));
    const back = rastro(['crypto', 'trace', `${w.out.DEP2!.txid}:0`, '--direction', 'back', '--hops', '10', ...db], dir);
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /whence/);
    assert.match(back.stdout, /mixing_service .* from hop 9/);
    const bad = rastro(['crypto', 'trace', 'abc:1', ...db], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected <txid>:<vout>/);
    const noVout = rastro(['crypto', 'trace', `${w.out.V1!.txid}:9`, ...db], dir);
    assert.match(noVout.stderr, /has no output 9/);
  });

  test('peels: one peel-chain alert line in the contract format', () => {
    const r = rastro(['crypto', 'peels', ...db, '--min-hops', '3', '--alerts', 'peels.jsonl'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(join(dir, 'peels.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    const alert = JSON.parse(lines[0]!);
    assert.equal(alert.typology, 'peel-chain');
    assert.deepEqual(alert.transactions, w.peelTxids);
    assert.deepEqual(Object.keys(alert), ['id', 'typology', 'score', 'accounts', 'transactions', 'from', 'to', 'amount', 'explanation', 'factors']);
  });

  test('bad input: corrupt and truncated blocks are reported with file and position, the rest is loaded (exit 2)', async () => {
    const good = w.blocks[0]!.toString('hex');
    const corrupt = Buffer.from(w.blocks[1]!);
    corrupt[120]! ^= 0xff;
    await writeFile(join(dir, 'mixed.hex'), `${good}\n${corrupt.toString('hex')}\n${w.blocks[2]!.toString('hex').slice(0, 300)}\nzz\n`);
    const r = rastro(['crypto', 'ingest', 'mixed.hex', '--db', 'bad.duckdb', '--json'], dir);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).blocksAdded, 1);
    assert.match(r.stderr, /mixed\.hex:2: .*merkle root|mixed\.hex:2: transaction/);
    assert.match(r.stderr, /mixed\.hex:3: .*truncated/);
    assert.match(r.stderr, /mixed\.hex:4: not an even-length hexadecimal string/);
    assert.match(r.stderr, /3 unreadable record\(s\) or file\(s\) skipped; everything else was loaded/);
    const magic = Buffer.from('f9beb4d9', 'hex');
    const size = Buffer.alloc(4);
    size.writeUInt32LE(w.blocks[0]!.length);
    await writeFile(join(dir, 'blk00000.dat'), Buffer.concat([magic, size, w.blocks[0]!, magic, size, w.blocks[0]!.subarray(0, 50)]));
    const blk = rastro(['crypto', 'ingest', 'blk00000.dat', '--db', 'blk.duckdb'], dir);
    assert.equal(blk.code, 2);
    assert.match(blk.stderr, /blk00000\.dat@\d+: truncated block/);
    const none = rastro(['crypto', 'address', w.a.V1!, '--db', 'nothing.duckdb'], dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no database here yet/);
  });

  describe('--rpc against a node', () => {
    let server: Server;
    let url: string;
    before(async () => {
      const blocks = w.blocks.map((b) => ({ hex: b.toString('hex'), hash: parseBlock(b).hash }));
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          if (req.headers.authorization !== `Basic ${Buffer.from('rastro:s3cret').toString('base64')}`) {
            res.statusCode = 401;
            res.end();
            return;
          }
          const answer = (call: { id: number; method: string; params: unknown[] }) => {
            const [p0, p1] = call.params as [number & string, number];
            if (call.method === 'getblockcount') return { id: call.id, result: blocks.length - 1, error: null };
            if (call.method === 'getblockhash') return blocks[p0] ? { id: call.id, result: blocks[p0]!.hash, error: null } : { id: call.id, result: null, error: { code: -8, message: 'Block height out of range' } };
            if (call.method === 'getblock' && p1 === 0) {
              const b = blocks.find((x) => x.hash === p0);
              return b ? { id: call.id, result: b.hex, error: null } : { id: call.id, result: null, error: { code: -5, message: 'Block not found' } };
            }
            return { id: call.id, result: null, error: { code: -32601, message: 'Method not found' } };
          };
          const req2 = JSON.parse(body);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(Array.isArray(req2) ? req2.map(answer) : answer(req2)));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      url = `http://rastro:s3cret@127.0.0.1:${port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('blocks fetched raw over JSON-RPC, heights from the node, every input resolved', async () => {
      const r = await rastroAsync(['crypto', 'ingest', '--rpc', url, '--db', 'rpc.duckdb', '--json'], dir);
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout);
      assert.equal(s.blocksAdded, w.blocks.length);
      assert.equal(s.orphanInputs, 0);
      const again = await rastroAsync(['crypto', 'ingest', '--rpc', url, '--from', '3', '--to', '5', '--db', 'rpc.duckdb', '--json'], dir);
      assert.equal(JSON.parse(again.stdout).duplicateBlocks, 3);
    });

    test('a refused password or a height past the tip exits 2 with the reason', async () => {
      const wrong = await rastroAsync(['crypto', 'ingest', '--rpc', url.replace('s3cret', 'nope'), '--db', 'rpc2.duckdb'], dir);
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /authentication refused/);
      const far = await rastroAsync(['crypto', 'ingest', '--rpc', url, '--from', '999', '--to', '1000', '--db', 'rpc2.duckdb'], dir);
      assert.equal(far.code, 2);
      assert.match(far.stderr, /Block height out of range/);
    });
  });
});
