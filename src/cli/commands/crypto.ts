/**
 * `rastro crypto ...`: Bitcoin blocks into the store, clusters, attribution, exposure, tracing, peel chains.
 * A thin shell over src/crypto: open the store, load the graph, call the pure functions, print.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  addressTarget,
  attribute,
  buildLabels,
  CHANGE_HEURISTICS,
  clusterGraph,
  clusterTarget,
  compareClusterings,
  COINJOIN_KINDS,
  CryptoStore,
  exposure,
  findPeelChains,
  ingestPaths,
  ingestRpc,
  loadTagSources,
  NETWORKS,
  peelChainAlerts,
  RpcClient,
  RpcError,
  SCRIPT_TYPES,
  trace,
  type BlockFormat,
  type ChangeHeuristic,
  type Clustering,
  type Exposure,
  type IngestReport,
  type Labels,
  type Network,
  type SideExposure,
  type TagIndex,
  type Trace,
  type UtxoGraph,
} from '../../crypto/index.js';
import { alertLine } from '../../detect/index.js';
import { formatIso } from '../../model/index.js';
import { DEFAULT_DB_PATH, isPostgresUrl } from '../../store/index.js';
import { CliError, fmt } from '../common.js';
import { Progress } from '../progress.js';

interface CommonOptions {
  db: string;
  network: string;
  json?: boolean;
  quiet?: boolean;
}

export const CRYPTO_DEFAULT_DB = DEFAULT_DB_PATH;

function networkOf(name: string): Network {
  const n = NETWORKS[name as Network['name']];
  if (!n) throw new CliError(`--network takes one of ${Object.keys(NETWORKS).join(', ')}`);
  return n;
}

function dbPath(db: string): string {
  if (isPostgresUrl(db)) throw new CliError('crypto tables live in the embedded DuckDB store: give --db a file path (PostgreSQL is not supported for crypto yet)');
  return db;
}

async function openExisting(db: string): Promise<CryptoStore> {
  const path = dbPath(db);
  if (!existsSync(path)) throw new CliError(`${path}: no database here yet (run rastro crypto ingest first)`);
  return CryptoStore.open(path);
}

export function btc(sats: number): string {
  const neg = sats < 0;
  const s = Math.round(Math.abs(sats));
  const whole = Math.floor(s / 1e8);
  const frac = String(s % 1e8).padStart(8, '0');
  return `${neg ? '-' : ''}${fmt.format(whole)}.${frac} BTC`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}

function intOption(v: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${name} takes a whole number from ${min} to ${max}`);
  return n;
}

// ---- ingest --------------------------------------------------------------------------------------

export interface CryptoIngestOptions extends CommonOptions {
  format: BlockFormat;
  rpc?: string;
  from?: string;
  to?: string;
}

function issueLine(i: { file: string; offset?: number; line?: number; reason: string }): string {
  return `${i.file}${i.line !== undefined ? `:${i.line}` : i.offset !== undefined ? `@${i.offset}` : ''}: ${i.reason}`;
}

export async function runCryptoIngest(paths: string[], options: CryptoIngestOptions): Promise<void> {
  const network = networkOf(options.network);
  if (paths.length === 0 && !options.rpc) throw new CliError('give block files or directories, or --rpc <url>');
  const store = await CryptoStore.open(dbPath(options.db));
  let report: IngestReport;
  try {
    const { graph, snapshot } = await store.loadGraph(network);
    const progress = new Progress({ enabled: !options.quiet && !options.json && process.stderr.isTTY === true });
    const onProgress = (blocks: number, bytes: number) => {
      progress.setRows(blocks);
      progress.setBytes(bytes);
    };
    if (options.rpc) {
      let client: RpcClient;
      try {
        client = new RpcClient(options.rpc);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const from = intOption(options.from, '--from', 0, 1e8, 0);
      const to = options.to === undefined ? undefined : intOption(options.to, '--to', from, 1e8, from);
      try {
        report = await ingestRpc(client, graph, to === undefined ? { from } : { from, to }, { network, onProgress });
      } catch (err) {
        if (err instanceof RpcError) throw new CliError(err.message);
        throw err;
      }
    } else report = await ingestPaths(paths, graph, { format: options.format, network, onProgress });
    progress.done();
    await store.saveGraph(graph, snapshot);
    const totals = { blocks: graph.blocks.length, txs: graph.txCount, outputs: graph.outCount, inputs: graph.inCount, addresses: graph.addressCount };
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ db: store.location, ...report, mbPerS: report.bytes / 1e6 / (report.ms / 1000), totals })}\n`);
    } else {
      const out: string[] = [];
      out.push(`database         ${store.location}`);
      out.push(`read             ${fmt.format(report.files)} file(s), ${fmt.format(report.blocksRead)} blocks, ${(report.bytes / 1e6).toFixed(1)} MB in ${(report.ms / 1000).toFixed(2)} s`);
      out.push(`added            ${fmt.format(report.blocksAdded)} blocks, ${fmt.format(report.txsAdded)} transactions, ${fmt.format(report.inputsAdded)} inputs, ${fmt.format(report.outputsAdded)} outputs`);
      if (report.duplicateBlocks) out.push(`already loaded   ${fmt.format(report.duplicateBlocks)} blocks`);
      if (report.staleBlocks) out.push(`stale blocks     ${fmt.format(report.staleBlocks)} (losing branches of forks, not loaded)`);
      out.push(`orphan inputs    ${fmt.format(report.orphanInputs)} waiting for outputs not loaded yet (kept; ${fmt.format(report.orphansResolved)} resolved by this load)`);
      if (report.badPrevouts || report.doubleSpends) out.push(`inconsistent     ${fmt.format(report.badPrevouts)} inputs naming missing outputs, ${fmt.format(report.doubleSpends)} double spends`);
      out.push(`in the store     ${fmt.format(totals.blocks)} blocks, ${fmt.format(totals.txs)} transactions, ${fmt.format(totals.addresses)} addresses`);
      process.stdout.write(`${out.join('\n')}\n`);
    }
  } finally {
    await store.close();
  }
  if (report.issueCount > 0) {
    for (const i of report.issues.slice(0, 20)) process.stderr.write(`${issueLine(i)}\n`);
    if (report.issueCount > 20) process.stderr.write(`... and ${fmt.format(report.issueCount - 20)} more\n`);
    process.stderr.write(`rastro: ${fmt.format(report.issueCount)} unreadable record(s) or file(s) skipped; everything else was loaded\n`);
    process.exitCode = 2;
  }
}

// ---- cluster -------------------------------------------------------------------------------------

export interface CryptoClusterOptions extends CommonOptions {
  change?: string;
  changeVote?: string;
  coinjoinFilter: boolean;
  top?: string;
}

function parseChange(v: string | undefined): ChangeHeuristic[] {
  if (v === undefined || v === '' || v === 'none') return [];
  const list = v.split(',').map((s) => s.trim());
  for (const h of list) if (!(CHANGE_HEURISTICS as readonly string[]).includes(h)) throw new CliError(`--change: unknown heuristic "${h}" (known: ${CHANGE_HEURISTICS.join(', ')})`);
  return list as ChangeHeuristic[];
}

interface Analysis {
  store: CryptoStore;
  graph: UtxoGraph;
  clustering: Clustering;
  tags: TagIndex;
  labels: Labels;
  /** Why the clustering was computed now rather than read (undefined when read). */
  computedBecause?: string;
}

async function openAnalysis(options: CommonOptions): Promise<Analysis> {
  const store = await openExisting(options.db);
  try {
    const network = (await store.network()) ?? networkOf(options.network);
    const { graph } = await store.loadGraph(network);
    if (graph.txCount === 0) throw new CliError(`${store.location}: no blocks loaded (run rastro crypto ingest first)`);
    const stored = await store.loadClustering();
    let clustering: Clustering;
    let computedBecause: string | undefined;
    if (stored && stored.clusterOf.length === graph.addressCount) {
      const size = new Int32Array(graph.addressCount);
      let count = 0;
      for (let a = 0; a < size.length; a++) if (size[stored.clusterOf[a]!]!++ === 0) count++;
      clustering = {
        clusterOf: stored.clusterOf,
        size,
        clusterCount: count,
        coinjoin: stored.coinjoin,
        coinjoinCounts: Object.fromEntries(COINJOIN_KINDS.map((k) => [k, 0])) as Clustering['coinjoinCounts'],
        multiInputTxs: 0,
        changeLinks: 0,
        inputsSeen: graph.inCount,
        options: stored.options,
        ms: 0,
      };
    } else {
      computedBecause = stored ? 'blocks were added since rastro crypto cluster ran' : 'rastro crypto cluster has not run';
      clustering = clusterGraph(graph, stored?.options ?? {});
    }
    const tags = await store.loadTags();
    const labels = buildLabels(graph, tags, clustering);
    return { store, graph, clustering, tags, labels, computedBecause };
  } catch (err) {
    await store.close();
    throw err;
  }
}

function clusterName(a: Analysis, cluster: number): string {
  const tags = a.labels.tagsByCluster.get(cluster) ?? [];
  if (!tags.length) return '';
  const attr = attribute(tags, a.tags);
  return `${attr.entities.map((e) => e.name).slice(0, 2).join(' / ')} (${attr.categories.join(', ')})${attr.conflict ? ' CONFLICT' : ''}`;
}

export async function runCryptoCluster(options: CryptoClusterOptions): Promise<void> {
  const change = parseChange(options.change);
  const changeVote = intOption(options.changeVote, '--change-vote', 1, CHANGE_HEURISTICS.length, 1);
  if (change.length && changeVote > change.length) throw new CliError(`--change-vote ${changeVote} needs at least that many heuristics in --change`);
  const top = intOption(options.top, '--top', 0, 1000, 10);
  const store = await openExisting(options.db);
  try {
    const network = (await store.network()) ?? networkOf(options.network);
    const { graph } = await store.loadGraph(network);
    const before = await store.loadClustering();
    const c = clusterGraph(graph, { coinjoinFilter: options.coinjoinFilter, change, changeVote });
    const changes = compareClusterings(before?.clusterOf ?? new Int32Array(0), c.clusterOf);
    const runMs = Date.now();
    await store.saveClustering(c, changes, runMs);
    const tags = await store.loadTags();
    const labels = buildLabels(graph, tags, c);
    const a: Analysis = { store, graph, clustering: c, tags, labels };
    const largest: { cluster: number; size: number }[] = [];
    for (let id = 0; id < c.size.length; id++) if (c.size[id]! > 1) largest.push({ cluster: id, size: c.size[id]! });
    largest.sort((x, y) => y.size - x.size || x.cluster - y.cluster);
    const summary = {
      db: store.location,
      addresses: graph.addressCount,
      clusters: c.clusterCount,
      multiAddressClusters: largest.length,
      multiInputTxs: c.multiInputTxs,
      changeLinks: c.changeLinks,
      coinjoins: c.coinjoinCounts,
      options: c.options,
      merged: changes.merged.size,
      reassigned: changes.reassigned,
      newAddresses: changes.newAddresses,
      inputs: c.inputsSeen,
      ms: c.ms,
      inputsPerS: c.inputsSeen / (c.ms / 1000),
      largest: largest.slice(0, top).map((l) => ({ ...l, address: graph.addressName(l.cluster), label: clusterName(a, l.cluster) || null })),
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    const out: string[] = [];
    out.push(`addresses        ${fmt.format(summary.addresses)} in ${fmt.format(summary.clusters)} clusters (${fmt.format(summary.multiAddressClusters)} with more than one address)`);
    out.push(`multi-input      ${fmt.format(c.multiInputTxs)} transactions merged their inputs${c.options.change.length ? `; change (${c.options.change.join(', ')}, ${c.options.changeVote} vote(s)) joined ${fmt.format(c.changeLinks)} outputs` : '; no change heuristics'}`);
    const cj = COINJOIN_KINDS.filter((k) => k !== 'none' && c.coinjoinCounts[k] > 0).map((k) => `${k} ${fmt.format(c.coinjoinCounts[k])}`);
    out.push(`coinjoins        ${cj.length ? cj.join(', ') : 'none'}${c.options.coinjoinFilter ? ' (inputs left apart)' : ' (FILTER OFF: merged like any transaction)'}`);
    out.push(`since last run   ${fmt.format(changes.merged.size)} clusters merged into older ones, ${fmt.format(changes.newAddresses)} new addresses${changes.reassigned ? `, ${fmt.format(changes.reassigned)} addresses reassigned (options changed)` : ''}`);
    out.push(`time             ${(c.ms / 1000).toFixed(3)} s (${fmt.format(Math.round(summary.inputsPerS))} inputs/s)`);
    if (summary.largest.length) {
      out.push(`largest clusters (id, addresses, first address, attribution)`);
      for (const l of summary.largest) out.push(`  ${String(l.cluster).padStart(9)} ${fmt.format(l.size).padStart(9)}  ${l.address}${l.label ? `  ${l.label}` : ''}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await store.close();
  }
}

// ---- address -------------------------------------------------------------------------------------

export interface CryptoAddressOptions extends CommonOptions {
  hops?: string;
}

function sideJson(g: UtxoGraph, s: SideExposure) {
  return {
    ...s,
    categories: s.categories.map((c) => ({
      ...c,
      paths: c.paths.map((p) => ({ sats: p.sats, hops: p.hops, steps: p.outputs.map((o) => ({ txid: g.txid(g.outTx[o]!), vout: g.vout(o), address: g.outAddr[o]! >= 0 ? g.addressName(g.outAddr[o]!) : null })) })),
    })),
  };
}

function sideText(g: UtxoGraph, title: string, s: SideExposure, arrow: string): string[] {
  const out = [`${title}: ${btc(s.totalSats)}${s.truncated ? ' (limits reached: partly unexplored)' : ''}`];
  if (!s.categories.length) out.push('  no labelled service within reach');
  for (const c of s.categories) {
    out.push(`  ${c.category.padEnd(16)} ${pct(c.share).padStart(9)}  direct ${btc(c.directSats).padStart(20)}  indirect ${btc(c.indirectSats).padStart(20)}  poison ${pct(c.poisonShare).padStart(9)}`);
    const p = c.paths[0];
    if (p) out.push(`    e.g. ${btc(p.sats)} over ${p.hops} hop(s): ${p.outputs.map((o) => (g.outAddr[o]! >= 0 ? g.addressName(g.outAddr[o]!) : 'OP_RETURN')).join(` ${arrow} `)}`);
  }
  const rest: string[] = [];
  if (s.minedSats) rest.push(`mined ${btc(s.minedSats)}`);
  if (s.unattributedSats) rest.push(`unattributed ${btc(s.unattributedSats)}`);
  if (s.unexploredSats) rest.push(`unexplored ${btc(s.unexploredSats)}`);
  if (s.feesSats) rest.push(`fees ${btc(s.feesSats)}`);
  if (rest.length) out.push(`  ${rest.join(', ')}`);
  return out;
}

function flowsOf(g: UtxoGraph, outputs: readonly number[]) {
  let received = 0;
  let sent = 0;
  let balance = 0;
  let unspent = 0;
  let first = Infinity;
  let last = -Infinity;
  const txs = new Set<number>();
  const months = new Map<string, { received: number; sent: number }>();
  const month = (t: number) => formatIso(g.txTime[t]! * 1000).slice(0, 7);
  for (const o of outputs) {
    const v = g.outValue[o]!;
    const t = g.outTx[o]!;
    received += v;
    txs.add(t);
    first = Math.min(first, g.txTime[t]!);
    last = Math.max(last, g.txTime[t]!);
    const m = months.get(month(t)) ?? { received: 0, sent: 0 };
    m.received += v;
    months.set(month(t), m);
    const s = g.outSpender[o]!;
    if (s < 0) {
      balance += v;
      unspent++;
    } else {
      const st = g.inTx[s]!;
      sent += v;
      txs.add(st);
      last = Math.max(last, g.txTime[st]!);
      const sm = months.get(month(st)) ?? { received: 0, sent: 0 };
      sm.sent += v;
      months.set(month(st), sm);
    }
  }
  return {
    receivedSats: received,
    sentSats: sent,
    balanceSats: balance,
    unspentOutputs: unspent,
    transactions: txs.size,
    firstSeen: Number.isFinite(first) ? formatIso(first * 1000) : null,
    lastSeen: Number.isFinite(last) ? formatIso(last * 1000) : null,
    byMonth: [...months].sort(([x], [y]) => (x < y ? -1 : 1)).map(([m, v]) => ({ month: m, ...v })),
  };
}

export async function runCryptoAddress(address: string, options: CryptoAddressOptions): Promise<void> {
  const hops = intOption(options.hops, '--hops', 1, 20, 3);
  const a = await openAnalysis(options);
  try {
    const g = a.graph;
    const id = g.addressId(address);
    if (id < 0) throw new CliError(`${address}: not in the loaded blocks${/^[13bmnt]/.test(address) ? '' : ' (is it a Bitcoin address?)'}`);
    const cluster = a.clustering.clusterOf[id]!;
    const own = a.labels.tagsByAddress.get(id) ?? [];
    const clusterTags = a.labels.tagsByCluster.get(cluster) ?? [];
    const { start, list } = g.outputsByAddress();
    const outputs = Array.from(list.subarray(start[id]!, start[id + 1]!));
    const target = clusterTarget(g, a.clustering, cluster);
    const types = new Set(outputs.map((o) => SCRIPT_TYPES[g.outType[o]!]));
    const addrExposure: Exposure = exposure(g, a.labels, addressTarget(g, id, a.clustering), { hops });
    const clusterExposure: Exposure = exposure(g, a.labels, target, { hops });
    const result = {
      address: g.addressName(id),
      scriptTypes: [...types],
      cluster: { id: cluster, addresses: a.clustering.size[cluster]!, firstAddress: g.addressName(cluster), computedBecause: a.computedBecause ?? null },
      tags: own,
      attribution: attribute(clusterTags, a.tags),
      flows: flowsOf(g, outputs),
      clusterFlows: flowsOf(g, target.outputs),
      exposure: { hops, address: { receiving: sideJson(g, addrExposure.receiving), sending: sideJson(g, addrExposure.sending) }, cluster: { receiving: sideJson(g, clusterExposure.receiving), sending: sideJson(g, clusterExposure.sending) } },
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const out: string[] = [];
    out.push(`address      ${result.address} (${result.scriptTypes.join(', ')})`);
    out.push(`cluster      ${cluster}: ${fmt.format(result.cluster.addresses)} address(es)${a.computedBecause ? ` (computed now: ${a.computedBecause})` : ''}`);
    if (own.length) {
      out.push('tags');
      for (const t of own) out.push(`  ${t.label} [${a.tags.categoriesOf(t).join(', ')}] ${t.confidence} (${t.confidenceLevel}) — ${t.pack}; ${t.source}`);
    }
    if (result.attribution.entities.length) {
      out.push(`attribution  ${result.attribution.conflict ? 'CONFLICT: the cluster carries tags of different owners' : 'consistent'}`);
      for (const e of result.attribution.entities) out.push(`  ${e.name} [${e.categories.join(', ')}] confidence ${e.confidenceLevel}, ${e.tags.length} tag(s) from ${[...new Set(e.tags.map((t) => t.pack))].join('; ')}`);
    } else out.push('attribution  no tags on this cluster');
    const f = result.flows;
    const cf = result.clusterFlows;
    out.push(`balance      ${btc(f.balanceSats)} in ${fmt.format(f.unspentOutputs)} unspent output(s); cluster ${btc(cf.balanceSats)}`);
    out.push(`received     ${btc(f.receivedSats)}, sent ${btc(f.sentSats)}, ${fmt.format(f.transactions)} transactions, ${f.firstSeen ?? '-'} .. ${f.lastSeen ?? '-'}`);
    out.push(`cluster      received ${btc(cf.receivedSats)}, sent ${btc(cf.sentSats)}, ${fmt.format(cf.transactions)} transactions`);
    if (f.byMonth.length) {
      out.push('by month     received / sent');
      for (const m of f.byMonth.slice(-12)) out.push(`  ${m.month}  ${btc(m.received).padStart(22)}  ${btc(m.sent).padStart(22)}`);
    }
    out.push(`exposure of the cluster within ${hops} hop(s) (share of value; direct = immediate counterparty)`);
    out.push(...sideText(g, ' received from', clusterExposure.receiving, '←'));
    out.push(...sideText(g, ' sent to', clusterExposure.sending, '→'));
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await a.store.close();
  }
}

// ---- trace ---------------------------------------------------------------------------------------

export interface CryptoTraceOptions extends CommonOptions {
  hops?: string;
  direction: string;
  throughServices?: boolean;
  maxEdges?: string;
}

function traceJson(a: Analysis, t: Trace) {
  const g = a.graph;
  const outRef = (o: number) => (o < 0 ? null : { txid: g.txid(g.outTx[o]!), vout: g.vout(o), address: g.outAddr[o]! >= 0 ? g.addressName(g.outAddr[o]!) : null, cluster: g.outAddr[o]! >= 0 ? a.clustering.clusterOf[g.outAddr[o]!] : null });
  return {
    direction: t.direction,
    start: outRef(t.start),
    startSats: t.startSats,
    hops: t.hops,
    truncated: t.truncated,
    ms: t.ms,
    byCategory: t.byCategory,
    endpoints: t.endpoints.map((e) => ({ reason: e.reason, hop: e.hop, sats: Math.round(e.sats), categories: e.categories, output: outRef(e.output), txid: g.txid(e.tx), label: e.output >= 0 && g.outAddr[e.output]! >= 0 ? clusterName(a, a.clustering.clusterOf[g.outAddr[e.output]!]!) || null : null })),
    edges: t.edges.map((e) => ({ hop: e.hop, txid: g.txid(e.tx), from: outRef(e.from), to: outRef(e.to), sats: Math.round(e.sats) })),
  };
}

export async function runCryptoTrace(outpoint: string, options: CryptoTraceOptions): Promise<void> {
  const m = /^([0-9a-fA-F]{64}):(\d+)$/.exec(outpoint);
  if (!m) throw new CliError(`${outpoint}: expected <txid>:<vout>`);
  if (options.direction !== 'fwd' && options.direction !== 'back') throw new CliError('--direction takes fwd or back');
  const hops = intOption(options.hops, '--hops', 1, 1000, 5);
  const maxEdges = intOption(options.maxEdges, '--max-edges', 1, 50_000_000, 1_000_000);
  const a = await openAnalysis(options);
  try {
    const g = a.graph;
    const start = g.outpoint(m[1]!.toLowerCase(), Number(m[2]));
    if (start < 0) throw new CliError(g.txIndex(m[1]!.toLowerCase()) < 0 ? `${m[1]}: transaction not in the loaded blocks` : `${outpoint}: the transaction has no output ${m[2]}`);
    const t = trace(g, start, options.direction, a.labels, { hops, stopAtLabelled: !options.throughServices, maxEdges });
    const j = traceJson(a, t);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(j)}\n`);
      return;
    }
    const out: string[] = [];
    out.push(`${options.direction === 'fwd' ? 'where' : 'whence'} ${btc(t.startSats)} of ${outpoint}${j.start?.address ? ` (${j.start.address})` : ''}: ${hops} hop(s) ${options.direction === 'fwd' ? 'forward' : 'back'}, ${fmt.format(t.edges.length)} edges, ${t.ms.toFixed(1)} ms${t.truncated ? ' (edge limit reached)' : ''}`);
    if (t.byCategory.length) {
      out.push('labelled services reached');
      for (const c of t.byCategory) out.push(`  ${c.category.padEnd(16)} ${btc(c.sats).padStart(22)} ${pct(c.sats / t.startSats).padStart(9)}  from hop ${c.minHop}`);
    } else out.push('no labelled service reached');
    const byReason = new Map<string, number>();
    for (const e of t.endpoints) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + e.sats);
    out.push(`endpoints    ${[...byReason].map(([r, s]) => `${r} ${btc(s)}`).join(', ')}`);
    out.push('largest endpoints (hop, reason, amount, address, attribution)');
    for (const e of j.endpoints.slice(0, 15)) out.push(`  ${String(e.hop).padStart(3)} ${e.reason.padEnd(10)} ${btc(e.sats).padStart(22)}  ${e.output?.address ?? `tx ${e.txid}`}${e.label ? `  ${e.label}` : ''}`);
    if (j.endpoints.length > 15) out.push(`  ... ${fmt.format(j.endpoints.length - 15)} more (--json for all, with every edge)`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await a.store.close();
  }
}

// ---- tags load -----------------------------------------------------------------------------------

export async function runCryptoTagsLoad(paths: string[], options: CommonOptions): Promise<void> {
  const network = networkOf(options.network);
  const { tags, actors, report } = await loadTagSources(paths, network);
  const store = await CryptoStore.open(dbPath(options.db));
  let stored: { tags: number; actors: number };
  try {
    stored = await store.saveTags(tags, actors);
  } finally {
    await store.close();
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ ...report, stored })}\n`);
  else {
    const out = [
      `read         ${fmt.format(report.files)} file(s): ${fmt.format(report.tags)} Bitcoin tags, ${fmt.format(report.actors)} actors`,
      `skipped      ${fmt.format(report.otherCurrency)} tags of other currencies, ${fmt.format(report.invalid.length)} invalid addresses`,
      `in the store ${fmt.format(stored.tags)} tags, ${fmt.format(stored.actors)} actors`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  }
  for (const i of report.invalid.slice(0, 20)) process.stderr.write(`${i.file}: ${i.address}: ${i.reason}\n`);
  if (report.invalid.length > 20) process.stderr.write(`... and ${fmt.format(report.invalid.length - 20)} more invalid addresses\n`);
  for (const u of report.unreadable) process.stderr.write(`${u.file}: ${u.reason}\n`);
  if (report.unreadable.length) {
    process.stderr.write(`rastro: ${report.unreadable.length} file(s) could not be read; everything else was loaded\n`);
    process.exitCode = 2;
  }
}

// ---- peels ---------------------------------------------------------------------------------------

export interface CryptoPeelsOptions extends CommonOptions {
  minHops?: string;
  maxShare?: string;
  alerts?: string;
}

export async function runCryptoPeels(options: CryptoPeelsOptions): Promise<void> {
  const minHops = intOption(options.minHops, '--min-hops', 2, 10_000, 4);
  const maxShare = options.maxShare === undefined ? 0.25 : Number(options.maxShare);
  if (!(maxShare > 0 && maxShare < 0.5)) throw new CliError('--max-share takes a fraction above 0 and below 0.5');
  const a = await openAnalysis(options);
  try {
    const { chains, more } = findPeelChains(a.graph, { minHops, maxPeelShare: maxShare });
    const alerts = peelChainAlerts(a.graph, chains, a.labels);
    if (options.alerts) {
      await mkdir(dirname(options.alerts), { recursive: true });
      const out = createWriteStream(options.alerts);
      for (const al of alerts) out.write(`${alertLine(al)}\n`);
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    if (!options.alerts) for (const al of alerts) process.stdout.write(`${alertLine(al)}\n`);
    else if (options.json) process.stdout.write(`${JSON.stringify({ chains: alerts.length, more, alerts: options.alerts })}\n`);
    else process.stdout.write(`${fmt.format(alerts.length)} peel chain(s) of ${minHops}+ hops written to ${options.alerts}${more ? ` (${fmt.format(more)} more over the limit)` : ''}\n`);
  } finally {
    await a.store.close();
  }
}
