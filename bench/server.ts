/**
 * Benchmark of the investigation server's real-time monitoring, run on its own (not part of bench/run.ts):
 *
 *     npm run build && node dist/bench/server.js [--db postgres://...] [--seconds 15] [--connections 32] [--inflight 4] [--traffic world|random] [--only single|batch] [--out result.json]
 *
 * It starts `rastro serve` as a child process on a fresh database, creates an API token, then measures over HTTP:
 *  1. single-transaction requests (POST /api/transactions, one transaction each) with autocannon: requests/s
 *     and latency percentiles;
 *  2. batch ingestion: 60 POST /api/transactions with arrays of 10,000 transactions (`--batches`), 4 requests in flight:
 *     transactions/s end to end (JSON, validation, engine, store, answer).
 * Both send a bank's traffic: the 1 M bench world (bench/world.ts) replayed in time order, single requests
 * first, then batches of the transactions that follow. `--traffic random` sends uniform random traffic among
 * 50,000 accounts instead, a stress case where every payment is between strangers (about one alert update
 * per ten transactions).
 * Every request runs the tenant's live engine and is answered only after its group commit is durable.
 * Targets (issue 7): ≥ 5,000 tx/s single with p99 ≤ 20 ms; ≥ 100,000 tx/s in batches, on 2 cores.
 * The load generator runs on the same machine, only against 127.0.0.1, for a bounded time.
 * RASTRO_BENCH_SERVER_NODE_FLAGS adds node flags to the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { readerFor } from '../src/ingest/index.js';
import { channelName } from '../src/model/index.js';
import { formatIso } from '../src/model/time.js';
import { cli, CLI_NODE_FLAGS, root } from './common.js';
import { ensureWorld, type World } from './world.js';

interface Args {
  db?: string;
  seconds: number;
  connections: number;
  batches: number;
  traffic: 'world' | 'random';
  batchSize: number;
  /** Batch requests in flight at once. */
  inflight: number;
  out?: string;
  /** Which measurements to run (default both). */
  phases: Set<string>;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 15, connections: 32, batches: 60, batchSize: 10_000, inflight: 4, traffic: 'world', phases: new Set(['single', 'batch']) };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--db':
        a.db = v;
        i++;
        break;
      case '--seconds':
        a.seconds = Math.min(120, Math.max(1, Number(v)));
        i++;
        break;
      case '--connections':
        a.connections = Math.min(256, Math.max(1, Number(v)));
        i++;
        break;
      case '--batches':
        a.batches = Math.min(500, Math.max(1, Number(v)));
        i++;
        break;
      case '--traffic':
        if (v !== 'world' && v !== 'random') throw new Error('--traffic is world or random');
        a.traffic = v;
        i++;
        break;
      case '--inflight':
        a.inflight = Math.min(16, Math.max(1, Number(v)));
        i++;
        break;
      case '--batch-size':
        a.batchSize = Math.min(100_000, Math.max(1, Number(v)));
        i++;
        break;
      case '--only':
        a.phases = new Set([v!]);
        i++;
        break;
      case '--out':
        a.out = v;
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return a;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Where the transactions come from: a generated world replayed in time order, or uniform random traffic. */
interface TrafficSource {
  readonly name: string;
  /** The next transaction as the JSON body of one request. */
  next(): string;
}

/**
 * Uniform random traffic (a stress case, not a bank's traffic): 50,000 accounts that all pay each other at
 * random, random amounts, a clock that moves one second per transaction. Every account looks new and
 * every pair is a stranger, so the engine raises an alert for about one transaction in ten.
 */
class RandomTraffic implements TrafficSource {
  readonly name = 'random (50,000 accounts paying each other uniformly at random)';
  private n = 0;
  private seed = 12345;
  constructor(
    private readonly prefix: string,
    private readonly startMs = Date.UTC(2024, 0, 1),
  ) {}
  private rand(): number {
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    return this.seed / 0x7fffffff;
  }
  next(): string {
    const i = ++this.n;
    const from = Math.floor(this.rand() * 50_000);
    let to = Math.floor(this.rand() * 50_000);
    if (to === from) to = (to + 1) % 50_000;
    const amount = 1_000 + Math.floor(this.rand() * 500_000);
    return `{"id":"${this.prefix}${i}","time":"${new Date(this.startMs + i * 1000).toISOString()}","fromAccount":"ACC/${from}","toAccount":"ACC/${to}","amountMinor":${amount},"currency":"USD","channel":"wire"}`;
  }
}

/**
 * A bank's traffic: the 1 M-transaction bench world (`rastro generate`, benign economy plus every scheme and
 * the IBM attempts; bench/world.ts) replayed in time order, each row as the canonical JSON a sender posts.
 */
class WorldTraffic implements TrafficSource {
  readonly name: string;
  private i = 0;
  private constructor(
    private readonly bodies: string[],
    world: World,
  ) {
    this.name = `the ${world.label} bench world (${world.dir}) replayed in time order`;
  }

  static async load(limit: number): Promise<WorldTraffic> {
    const world = ensureWorld(1_000_000);
    const bodies: string[] = [];
    const reader = readerFor('ibm-aml');
    read: for await (const b of reader.read({ path: world.trans, file: 'Trans.csv', source: 'bench', batchId: 'bench' })) {
      const tx = b.transactions;
      for (let i = 0; i < tx.length; i++) {
        const o: Record<string, unknown> = {
          id: `w${bodies.length + 1}`,
          time: formatIso(tx.timeMs[i]!),
          fromAccount: tx.fromAccount[i],
          toAccount: tx.toAccount[i],
          amountMinor: tx.amountMinor[i],
          currency: tx.currency[i],
          channel: channelName(tx.channel[i]!),
        };
        if (tx.fromCountry[i] !== undefined) o.fromCountry = tx.fromCountry[i];
        if (tx.toCountry[i] !== undefined) o.toCountry = tx.toCountry[i];
        if (!Number.isNaN(tx.originalAmountMinor[i]!)) o.originalAmountMinor = tx.originalAmountMinor[i];
        if (tx.originalCurrency[i] !== undefined) o.originalCurrency = tx.originalCurrency[i];
        bodies.push(JSON.stringify(o));
        if (bodies.length >= limit) break read;
      }
    }
    return new WorldTraffic(bodies, world);
  }

  next(): string {
    if (this.i >= this.bodies.length) throw new Error(`the bench world has only ${this.bodies.length} transactions; ask for fewer`);
    return this.bodies[this.i++]!;
  }
}

async function startServe(db: string, port: number): Promise<{ token: string; stop: () => Promise<void> }> {
  const extra = (process.env.RASTRO_BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...CLI_NODE_FLAGS, ...extra, cli, 'serve', '--db', db, '--port', String(port), '--no-demo'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const token = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rastro serve did not start: ${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(rst_[A-Za-z0-9]+_[A-Za-z0-9_-]+)/.exec(out);
      if (m && out.includes('serving')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`rastro serve exited ${code}: ${out}`)));
  });
  return {
    token,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function json(url: string, token: string, method: string, body?: unknown): Promise<unknown> {
  const r = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

function pct(h: autocannon.Histogram, p: string): number {
  return (h as unknown as Record<string, number>)[p] ?? NaN;
}

type Headers = Record<string, string>;

/** 1. One transaction per request, with autocannon. */
async function runSingle(base: string, headers: Headers, traffic: TrafficSource, args: Args) {
  const warm = await autocannon({
    url: `${base}/api/transactions`,
    connections: args.connections,
    duration: 3,
    method: 'POST',
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, body: traffic.next() }) }],
  });
  const run = await autocannon({
    url: `${base}/api/transactions`,
    connections: args.connections,
    duration: args.seconds,
    method: 'POST',
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, body: traffic.next() }) }],
  });
  const result = {
    connections: args.connections,
    seconds: args.seconds,
    requests: run.requests.total,
    requestsPerSecond: Math.round(run.requests.average),
    latencyMs: { p50: pct(run.latency, 'p50'), p90: pct(run.latency, 'p90'), p99: pct(run.latency, 'p99'), max: run.latency.max },
    non2xx: run.non2xx,
    errors: run.errors,
    warmupRequests: warm.requests.total,
  };
  process.stdout.write(
    `single: ${result.requestsPerSecond} tx/s (${result.requests} requests, ${args.connections} connections, ${args.seconds} s); ` +
      `latency p50 ${result.latencyMs.p50} ms, p90 ${result.latencyMs.p90} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms; ` +
      `non-2xx ${run.non2xx}, errors ${run.errors}\n`,
  );
  return result;
}

/** 2. Batches of `batchSize`, two requests in flight. */
async function runBatch(base: string, headers: Headers, traffic: TrafficSource, args: Args) {
  const bodies: string[] = [];
  for (let b = 0; b < args.batches; b++) {
    const parts: string[] = [];
    for (let i = 0; i < args.batchSize; i++) parts.push(traffic.next());
    bodies.push(`[${parts.join(',')}]`);
  }
  const latencies: number[] = [];
  let accepted = 0;
  let alerts = 0;
  const startedAt = performance.now();
  // Several requests in flight: some parsed and run through the engine while the group commit of others is written.
  let nextBody = 0;
  const worker = async () => {
    while (nextBody < bodies.length) {
      const body = bodies[nextBody++]!;
      const t = performance.now();
      const r = await fetch(`${base}/api/transactions`, { method: 'POST', headers, body });
      const answer = (await r.json()) as { accepted: number; alerts: unknown[] };
      if (!r.ok) throw new Error(`batch: ${r.status} ${JSON.stringify(answer).slice(0, 300)}`);
      latencies.push(performance.now() - t);
      accepted += answer.accepted;
      alerts += answer.alerts.length;
    }
  };
  await Promise.all(Array.from({ length: args.inflight }, worker));
  const seconds = (performance.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const result = {
    batches: args.batches,
    batchSize: args.batchSize,
    transactions: accepted,
    seconds: Math.round(seconds * 100) / 100,
    transactionsPerSecond: Math.round(accepted / seconds),
    requestLatencyMs: { p50: Math.round(latencies[Math.floor(latencies.length / 2)]!), max: Math.round(latencies[latencies.length - 1]!) },
    alerts,
  };
  process.stdout.write(
    `batch: ${result.transactionsPerSecond} tx/s (${accepted} transactions in ${args.batches} requests of ${args.batchSize}, ${args.inflight} in flight, ${result.seconds} s; ` +
      `request p50 ${result.requestLatencyMs.p50} ms, max ${result.requestLatencyMs.max} ms; ${alerts} alert updates)\n`,
  );
  return result;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'rastro-bench-server-'));
  const db = args.db ?? join(dir, 'bench.duckdb');
  // Enough of the world for the warm-up and single run at up to 20,000 requests/s, then the batches (the 1 M world holds them at the defaults).
  const wanted = (3 + args.seconds) * 20_000 + args.batches * args.batchSize;
  const traffic: TrafficSource = args.traffic === 'random' ? new RandomTraffic('r') : await WorldTraffic.load(wanted);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServe(db, port);
  try {
    const created = (await json(`${base}/api/tokens`, server.token, 'POST', { name: 'bench', role: 'system' })) as { value: string };
    const token = created.value;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    process.stdout.write(`server bench: rastro serve on ${base}, store ${args.db ? 'PostgreSQL' : 'DuckDB'} (${db.replace(/:[^:@/]*@/, ':***@')})\n`);
    process.stdout.write(`traffic: ${traffic.name}\n`);

    const singleResult = args.phases.has('single') ? await runSingle(base, headers, traffic, args) : undefined;
    const batchResult = args.phases.has('batch') ? await runBatch(base, headers, traffic, args) : undefined;

    const verdict = {
      single: !singleResult ? 'not run' : singleResult.requestsPerSecond >= 5_000 && singleResult.latencyMs.p99 <= 20 ? 'meets ≥ 5,000 tx/s, p99 ≤ 20 ms' : 'below the target of ≥ 5,000 tx/s with p99 ≤ 20 ms',
      batch: !batchResult ? 'not run' : batchResult.transactionsPerSecond >= 100_000 ? 'meets ≥ 100,000 tx/s' : 'below the target of ≥ 100,000 tx/s',
    };
    process.stdout.write(`targets: single ${verdict.single}; batch ${verdict.batch}\n`);
    if (args.out) writeFileSync(args.out, `${JSON.stringify({ store: args.db ? 'postgres' : 'duckdb', traffic: args.traffic, single: singleResult, batch: batchResult, verdict }, null, 2)}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
