/**
 * Crypto benchmark, run on its own: `npm run build && node dist/bench/crypto.js`.
 *
 *   1. Readers on real mainnet blocks (../shared/data/bitcoin/blocks when present, else the test fixtures):
 *      every block with Core JSON checked first (every transaction must match), then parse throughput in
 *      MB/s and tx/s for parsing alone and for parsing into the UTXO graph, and blk*.dat ingest end to end.
 *   2. A synthetic chain of RASTRO_BENCH_CRYPTO_TXS transactions (default 10,000,000) built straight into
 *      the graph: build rate, memory per million transactions (graph arrays and process RSS).
 *   3. Clustering throughput on that chain (inputs/s), with the CoinJoin filter on.
 *   4. 10-hop traces forward and back from 200 random outputs (target: each under 1 s), and exposure.
 *   5. DuckDB save and load of a 1,000,000-transaction graph (RASTRO_BENCH_CRYPTO_STORE=0 skips it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  addressTarget,
  blockToCoreJson,
  clusterGraph,
  CryptoStore,
  exposure,
  ingestPaths,
  MAINNET,
  parseBlock,
  St,
  TagIndex,
  trace,
  UtxoGraph,
  type Labels,
} from '../src/crypto/index.js';
import { mulberry32 as rng } from '../src/scenario/rng.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED_BLOCKS = join(root, '..', 'shared', 'data', 'bitcoin', 'blocks');
const FIXTURE_BLOCKS = join(root, 'test', 'fixtures', 'crypto', 'blocks');
const SYNTH_TXS = Number(process.env.RASTRO_BENCH_CRYPTO_TXS ?? 10_000_000);
const WITH_STORE = process.env.RASTRO_BENCH_CRYPTO_STORE !== '0';
const TRACE_TARGET_MS = 1000;

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const mib = (b: number) => `${int.format(b / 2 ** 20)} MiB`;
const out = (s = '') => process.stdout.write(`${s}\n`);

// ---- 1. real blocks ----------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any;

function realBlocks(): { dir: string; blocks: { name: string; bytes: Buffer; json?: J }[] } {
  const dir = existsSync(SHARED_BLOCKS) ? SHARED_BLOCKS : FIXTURE_BLOCKS;
  const blocks: { name: string; bytes: Buffer; json?: J }[] = [];
  const text = (path: string): string | undefined => {
    if (existsSync(path)) return readFileSync(path, 'utf8');
    if (existsSync(`${path}.gz`)) return gunzipSync(readFileSync(`${path}.gz`)).toString('utf8');
    return undefined;
  };
  for (const f of readdirSync(dir).sort()) {
    const m = /^(.*)\.hex(\.gz)?$/.exec(f);
    if (!m) continue;
    const name = m[1]!;
    const bytes = Buffer.from(text(join(dir, `${name}.hex`))!.trim(), 'hex');
    const json = text(join(dir, `${name}.json`));
    blocks.push({ name, bytes, json: json === undefined ? undefined : JSON.parse(json) });
  }
  return { dir, blocks };
}

function verifyAgainstCore(blocks: { name: string; bytes: Buffer; json?: J }[]): { blocks: number; txs: number; mismatches: string[] } {
  let nb = 0;
  let nt = 0;
  const mismatches: string[] = [];
  for (const b of blocks) {
    if (!b.json) continue;
    nb++;
    const mine = blockToCoreJson(parseBlock(b.bytes), 'legacy');
    for (let i = 0; i < b.json.tx.length; i++) {
      const core = b.json.tx[i];
      const m = mine.tx[i] as J;
      nt++;
      const same =
        m.txid === core.txid &&
        m.hash === core.hash &&
        m.size === core.size &&
        m.weight === core.weight &&
        m.vout.length === core.vout.length &&
        m.vout.every((o: J, k: number) => {
          const c = core.vout[k];
          return o.value === c.value && o.scriptPubKey.hex === c.scriptPubKey.hex && o.scriptPubKey.type === c.scriptPubKey.type && JSON.stringify(o.scriptPubKey.addresses ?? null) === JSON.stringify(c.scriptPubKey.addresses ?? null);
        }) &&
        m.vin.every((v: J, k: number) => v.txid === core.vin[k].txid && v.vout === core.vin[k].vout);
      if (!same) mismatches.push(`${b.name} tx ${i}`);
    }
  }
  return { blocks: nb, txs: nt, mismatches };
}

function timeLoop(minMs: number, body: () => void): { ms: number; rounds: number } {
  const start = performance.now();
  let rounds = 0;
  do {
    body();
    rounds++;
  } while (performance.now() - start < minMs);
  return { ms: performance.now() - start, rounds };
}

async function benchReaders(): Promise<void> {
  const { dir, blocks } = realBlocks();
  const bytes = blocks.reduce((s, b) => s + b.bytes.length, 0);
  const txs = blocks.reduce((s, b) => s + parseBlock(b.bytes).txs.length, 0);
  out(`## Readers on ${blocks.length} real mainnet blocks (${(bytes / 1e6).toFixed(2)} MB, ${int.format(txs)} tx) from ${dir === SHARED_BLOCKS ? '../shared/data/bitcoin/blocks' : 'test fixtures (../shared absent)'}`);
  const v = verifyAgainstCore(blocks);
  out(`Core JSON check    ${v.blocks} blocks, ${int.format(v.txs)} transactions: ${v.mismatches.length === 0 ? 'all equal (txid, wtxid, size, weight, inputs, values, scripts, types, addresses)' : `MISMATCH ${v.mismatches.slice(0, 5).join(', ')}`}`);
  for (let k = 0; k < 3; k++) for (const b of blocks) parseBlock(b.bytes);
  const parse = timeLoop(3000, () => {
    for (const b of blocks) parseBlock(b.bytes);
  });
  const s = parse.ms / 1000;
  out(`parse              ${(((bytes * parse.rounds) / 1e6) / s).toFixed(1)} MB/s, ${int.format((txs * parse.rounds) / s)} tx/s (txids, wtxids and merkle roots computed)`);
  const addresses = timeLoop(2000, () => {
    for (const b of blocks) for (const t of parseBlock(b.bytes).txs) for (const o of t.outputs) void o.address;
  });
  const sa = addresses.ms / 1000;
  out(`parse + addresses  ${(((bytes * addresses.rounds) / 1e6) / sa).toFixed(1)} MB/s, ${int.format((txs * addresses.rounds) / sa)} tx/s (every output's address string)`);
  const graph = timeLoop(3000, () => {
    const g = new UtxoGraph(MAINNET, txs);
    for (const b of blocks) g.addBlock(parseBlock(b.bytes));
  });
  const sg = graph.ms / 1000;
  out(`parse into graph   ${(((bytes * graph.rounds) / 1e6) / sg).toFixed(1)} MB/s, ${int.format((txs * graph.rounds) / sg)} tx/s (scripts classified, addresses and txids interned, inputs linked)`);
  // blk*.dat end to end: files masked with a Core 28 xor key, blocks shuffled across files.
  const tmp = await mkdtemp(join(tmpdir(), 'rastro-bench-blk-'));
  try {
    const key = Buffer.from('7f3a9c01d2e4b685', 'hex');
    const records = blocks.map((b) => {
      const head = Buffer.alloc(8);
      head.writeUInt32LE(MAINNET.magic, 0);
      head.writeUInt32LE(b.bytes.length, 4);
      return Buffer.concat([head, b.bytes]);
    });
    const REPEAT = 4;
    for (let f = 0; f < REPEAT; f++) {
      const file = Buffer.concat(f % 2 ? records.slice().reverse() : records);
      for (let i = 0; i < file.length; i++) file[i]! ^= key[i % 8]!;
      await writeFile(join(tmp, `blk0000${f}.dat`), file);
    }
    await writeFile(join(tmp, 'xor.dat'), key);
    const g = new UtxoGraph();
    const r = await ingestPaths([tmp], g);
    out(`blk*.dat ingest    ${((r.bytes / 1e6) / (r.ms / 1000)).toFixed(1)} MB/s, ${int.format(r.txsAdded / (r.ms / 1000))} tx/s (${REPEAT} masked files, two pass: index, chain order, parse; ${int.format(r.duplicateBlocks)} duplicate records skipped)`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// ---- 2. synthetic chain ----------------------------------------------------------------------------


function fillKey(buf: Uint8Array, offset: number, n: number, salt: number): void {
  // Unique (n in the first four bytes) and well spread (mixed bytes after).
  buf[offset] = n & 0xff;
  buf[offset + 1] = (n >>> 8) & 0xff;
  buf[offset + 2] = (n >>> 16) & 0xff;
  buf[offset + 3] = (n >>> 24) & 0xff;
  let h = Math.imul(n ^ salt, 0x9e3779b1);
  for (let i = 4; i < 32; i += 4) {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    buf[offset + i] = h & 0xff;
    buf[offset + i + 1] = (h >>> 8) & 0xff;
    buf[offset + i + 2] = (h >>> 16) & 0xff;
    buf[offset + i + 3] = (h >>> 24) & 0xff;
  }
}

/**
 * A random economy: every transaction spends 1..4 unspent outputs (older coins less likely) and pays 1..3
 * outputs, mostly to fresh addresses, sometimes to one of 50,000 busy addresses (services); a coinbase every
 * 500 transactions; one transaction in 200 a 5 × 5 Whirlpool-shaped mix.
 */
function syntheticChain(n: number): { g: UtxoGraph; ms: number } {
  const started = performance.now();
  const g = new UtxoGraph(MAINNET, n);
  const r = rng(42);
  const txid = new Uint8Array(32);
  const key = new Uint8Array(33);
  let nextAddress = 0;
  const busy = 50_000;
  const address = (fresh: boolean): number => {
    const idx = fresh ? busy + nextAddress++ : Math.floor(r() * busy);
    key[0] = 3; // P2WPKH
    fillKey(key, 1, idx, 0x5bd1e995);
    key.fill(0, 21);
    return g.internAddress(key);
  };
  // Unspent outputs: a pool with swap-remove; recent outputs are picked more often.
  let pool = new Int32Array(1 << 20);
  let poolSize = 0;
  const push = (o: number) => {
    if (poolSize === pool.length) {
      const bigger = new Int32Array(pool.length * 2);
      bigger.set(pool);
      pool = bigger;
    }
    pool[poolSize++] = o;
  };
  const take = (): number => {
    const u = r();
    const i = poolSize - 1 - Math.floor(u * u * u * poolSize);
    const o = pool[i]!;
    pool[i] = pool[--poolSize]!;
    return o;
  };
  let block = -1;
  for (let t = 0; t < n; t++) {
    if (t % 2000 === 0) block = g.addBlockRecord({ hash: `synthetic-${t}`, prevHash: `synthetic-${t - 2000}`, height: t / 2000, time: 1_600_000_000 + t, txStart: t, txEnd: Math.min(n, t + 2000), source: 'synthetic' });
    fillKey(txid, 0, t, 0x27d4eb2f);
    const coinbase = t % 500 === 0 || poolSize < 8;
    const mix = !coinbase && t % 200 === 7 && poolSize > 64;
    g.beginTx(txid, 1_600_000_000 + t, block, block, coinbase ? 1 : 0);
    let inSats = 0;
    if (coinbase) {
      g.addCoinbaseInput();
      inSats = 625_000_000;
    } else {
      const k = mix ? 5 : 1 + (r() < 0.35 ? 1 : 0) + (r() < 0.12 ? 1 : 0) + (r() < 0.04 ? 1 : 0);
      for (let i = 0; i < k && poolSize > 0; i++) {
        const o = take();
        inSats += g.outValue[o]!;
        g.addInputSpending(o);
      }
    }
    const fee = Math.min(1000, Math.floor(inSats / 100));
    let left = inSats - fee;
    if (mix) {
      const each = Math.floor(left / 5);
      for (let i = 0; i < 5; i++) {
        const o = g.outCount;
        g.addOutput(each, address(true), St.WitnessV0Keyhash);
        push(o);
      }
    } else {
      const m = 1 + (r() < 0.75 ? 1 : 0) + (r() < 0.1 ? 1 : 0);
      for (let i = 0; i < m; i++) {
        const v = i === m - 1 ? left : Math.floor(left * (0.05 + 0.9 * r()));
        left -= v;
        const o = g.outCount;
        g.addOutput(v, address(r() < 0.85), St.WitnessV0Keyhash);
        push(o);
      }
    }
    g.endTx();
  }
  return { g, ms: performance.now() - started };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

async function benchSynthetic(): Promise<void> {
  out('');
  out(`## Synthetic chain of ${int.format(SYNTH_TXS)} transactions`);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const { g, ms } = syntheticChain(SYNTH_TXS);
  global.gc?.();
  const rssAfter = process.memoryUsage().rss;
  const perM = (b: number) => (b / g.txCount) * 1e6;
  out(`build              ${(ms / 1000).toFixed(1)} s, ${int.format(g.txCount / (ms / 1000))} tx/s; ${int.format(g.inCount)} inputs, ${int.format(g.outCount)} outputs, ${int.format(g.addressCount)} addresses`);
  out(`memory             graph arrays ${mib(g.memoryBytes())} = ${mib(perM(g.memoryBytes()))} per million tx (capacity, incl. growth slack); process RSS +${mib(rssAfter - rssBefore)} = ${mib(perM(rssAfter - rssBefore))} per million tx`);

  const c = clusterGraph(g);
  const c2 = clusterGraph(g);
  const cjTotal = Object.entries(c.coinjoinCounts).reduce((s, [k, v]) => (k === 'none' ? s : s + v), 0);
  const best = Math.min(c.ms, c2.ms);
  out(`clustering         ${int.format(c.inputsSeen / (best / 1000))} inputs/s (${int.format(c.inputsSeen)} inputs in ${(best / 1000).toFixed(2)} s; ${int.format(c.clusterCount)} clusters, ${int.format(cjTotal)} CoinJoin-shaped mixes left apart)`);

  // Labels: the 50,000 busy addresses play labelled services (exchanges).
  const mask = new Int32Array(g.addressCount);
  const key = new Uint8Array(33);
  for (let idx = 0; idx < 50_000; idx += 5) {
    key[0] = 3;
    fillKey(key, 1, idx, 0x5bd1e995);
    key.fill(0, 21);
    const a = g.addresses.find(key);
    if (a >= 0) mask[a] = 1;
  }
  const labels: Labels = { categories: ['exchange'], mask, tagsByAddress: new Map(), tagsByCluster: new Map(), index: new TagIndex() };
  const r = rng(7);
  const fwd: number[] = [];
  const back: number[] = [];
  const fwdAll: number[] = [];
  let edges = 0;
  for (let k = 0; k < 200; k++) {
    const o = Math.floor(r() * g.outCount * 0.5);
    const a = trace(g, o, 'fwd', labels, { hops: 10 });
    fwd.push(a.ms);
    edges += a.edges.length;
    back.push(trace(g, g.outCount - 1 - Math.floor(r() * g.outCount * 0.5), 'back', labels, { hops: 10 }).ms);
    fwdAll.push(trace(g, o, 'fwd', undefined, { hops: 10 }).ms);
  }
  const verdict = (xs: number[]) => (Math.max(...xs) < TRACE_TARGET_MS ? 'under' : 'OVER');
  out(`trace 10 hops fwd  median ${percentile(fwd, 0.5).toFixed(2)} ms, p99 ${percentile(fwd, 0.99).toFixed(2)} ms, max ${Math.max(...fwd).toFixed(2)} ms (${verdict(fwd)} the 1 s target; stops at labelled services; ${int.format(edges / 200)} edges on average)`);
  out(`trace 10 hops fwd  median ${percentile(fwdAll, 0.5).toFixed(2)} ms, max ${Math.max(...fwdAll).toFixed(2)} ms without stopping at services (${verdict(fwdAll)} the target)`);
  out(`trace 10 hops back median ${percentile(back, 0.5).toFixed(2)} ms, p99 ${percentile(back, 0.99).toFixed(2)} ms, max ${Math.max(...back).toFixed(2)} ms (${verdict(back)} the target)`);
  const indexStarted = performance.now();
  g.outputsByAddress();
  const indexMs = performance.now() - indexStarted;
  const expo: number[] = [];
  for (let k = 0; k < 50; k++) {
    const a = g.outAddr[Math.floor(r() * g.outCount)]!;
    const started = performance.now();
    exposure(g, labels, addressTarget(g, a, c), { hops: 3 });
    expo.push(performance.now() - started);
  }
  out(`exposure 3 hops    median ${percentile(expo, 0.5).toFixed(2)} ms, max ${Math.max(...expo).toFixed(2)} ms per address (received and sent, haircut and poison; the address → outputs index is built once, ${(indexMs / 1000).toFixed(2)} s)`);
}

async function benchStore(): Promise<void> {
  if (!WITH_STORE) return;
  const n = 1_000_000;
  out('');
  out(`## DuckDB store, ${int.format(n)}-transaction synthetic graph`);
  const { g } = syntheticChain(n);
  const dir = await mkdtemp(join(tmpdir(), 'rastro-bench-cstore-'));
  try {
    const store = await CryptoStore.open(join(dir, 'c.duckdb'), { memoryLimit: '2GB' });
    const empty = await store.loadGraph(MAINNET);
    let t0 = performance.now();
    await store.saveGraph(g, empty.snapshot);
    const save = performance.now() - t0;
    t0 = performance.now();
    const back = await store.loadGraph(MAINNET);
    const load = performance.now() - t0;
    await store.close();
    out(`save               ${(save / 1000).toFixed(1)} s (${int.format(n / (save / 1000))} tx/s, with ${int.format(g.inCount)} inputs and ${int.format(g.outCount)} outputs)`);
    out(`load               ${(load / 1000).toFixed(1)} s (${int.format(n / (load / 1000))} tx/s); reloaded graph ${back.graph.txCount === g.txCount && back.graph.outCount === g.outCount ? 'matches' : 'DIFFERS'}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

out(`# rastro crypto benchmark (node ${process.version}, ${new Date().toISOString().slice(0, 10)})`);
await benchReaders();
await benchSynthetic();
await benchStore();
