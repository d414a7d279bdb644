/**
 * Loading blocks into the UTXO graph from any source: a blocks directory or blk*.dat files (XOR mask,
 * chain order, stale blocks set aside), raw block hex, Core `getblock 2` JSON, or a node over JSON-RPC.
 * Nothing bad stops a load: unreadable records are reported with file and offset (or line) and skipped,
 * orphaned inputs are kept and counted.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BlockParseError, parseBlock, type Block } from './block.js';
import { chainOrder, indexBlkBuffer, isBlkFileName, readBlkRecord, readXorKey, unmask, type BlkRecord, type ReadIssue } from './blk-files.js';
import { blockFromCoreJson, CoreJsonError } from './core-json.js';
import { isHex } from './encoding.js';
import type { UtxoGraph } from './graph.js';
import { RpcError, type RpcClient } from './rpc.js';
import { MAINNET, type Network } from './script.js';

export const BLOCK_FORMATS = ['auto', 'blk', 'hex', 'json'] as const;
export type BlockFormat = (typeof BLOCK_FORMATS)[number];

/** Text inputs (hex, JSON) are read whole; larger ones are refused with an issue. */
export const MAX_TEXT_FILE_BYTES = 1 << 30;
/** blk*.dat files are kept in memory between the two passes while their total stays below this. */
const BLK_CACHE_BYTES = 2 << 30;
const MAX_LISTED_ISSUES = 1000;

export interface IngestOptions {
  format?: BlockFormat;
  network?: Network;
  /** Called after each block with bytes read so far (progress bars). */
  onProgress?: (blocks: number, bytes: number) => void;
}

export interface IngestReport {
  files: number;
  bytes: number;
  blocksRead: number;
  blocksAdded: number;
  duplicateBlocks: number;
  staleBlocks: number;
  txsAdded: number;
  inputsAdded: number;
  outputsAdded: number;
  /** Inputs of the whole graph still waiting for the output they spend (not loaded yet). */
  orphanInputs: number;
  /** Inputs that waited for their funding transaction and found it during this load. */
  orphansResolved: number;
  badPrevouts: number;
  doubleSpends: number;
  /** Unreadable records and files (the first MAX_LISTED_ISSUES; `issueCount` has them all). */
  issues: ReadIssue[];
  issueCount: number;
  ms: number;
}

class Run {
  readonly report: IngestReport;
  private readonly started = performance.now();
  private readonly before: { tx: number; in: number; out: number; bad: number; dbl: number; resolved: number };

  constructor(
    readonly graph: UtxoGraph,
    readonly options: IngestOptions,
  ) {
    this.before = { tx: graph.txCount, in: graph.inCount, out: graph.outCount, bad: graph.issues.badPrevouts, dbl: graph.issues.doubleSpends, resolved: graph.issues.orphansResolved };
    this.report = {
      files: 0,
      bytes: 0,
      blocksRead: 0,
      blocksAdded: 0,
      duplicateBlocks: 0,
      staleBlocks: 0,
      txsAdded: 0,
      inputsAdded: 0,
      outputsAdded: 0,
      orphanInputs: 0,
      orphansResolved: 0,
      badPrevouts: 0,
      doubleSpends: 0,
      issues: [],
      issueCount: 0,
      ms: 0,
    };
  }

  issue(i: ReadIssue): void {
    this.report.issueCount++;
    if (this.report.issues.length < MAX_LISTED_ISSUES) this.report.issues.push(i);
  }

  add(block: Block, source: string, bytes: number): void {
    this.report.blocksRead++;
    this.report.bytes += bytes;
    if (!this.graph.hasBlock(block.hash)) {
      this.graph.addBlock(block, source);
      this.report.blocksAdded++;
    } else this.report.duplicateBlocks++;
    this.options.onProgress?.(this.report.blocksRead, this.report.bytes);
  }

  finish(): IngestReport {
    const g = this.graph;
    const r = this.report;
    r.txsAdded = g.txCount - this.before.tx;
    r.inputsAdded = g.inCount - this.before.in;
    r.outputsAdded = g.outCount - this.before.out;
    r.orphanInputs = g.orphanCount;
    r.orphansResolved = g.issues.orphansResolved - this.before.resolved;
    r.badPrevouts = g.issues.badPrevouts - this.before.bad;
    r.doubleSpends = g.issues.doubleSpends - this.before.dbl;
    r.ms = performance.now() - this.started;
    return r;
  }
}

function parseError(err: unknown): string {
  if (err instanceof BlockParseError || err instanceof CoreJsonError || err instanceof SyntaxError) return err.message;
  throw err;
}

async function ingestBlkFiles(files: string[], run: Run): Promise<void> {
  const net = run.options.network ?? MAINNET;
  const records: BlkRecord[] = [];
  const keys = new Map<string, Uint8Array | undefined>();
  const cache = new Map<string, Buffer>();
  let cached = 0;
  for (const file of files) {
    const dir = join(file, '..');
    if (!keys.has(dir)) keys.set(dir, await readXorKey(dir));
    const key = keys.get(dir);
    const buf = await readFile(file);
    unmask(buf, key, 0);
    run.report.files++;
    const issues: ReadIssue[] = [];
    records.push(...indexBlkBuffer(buf, file, net, issues));
    for (const i of issues) run.issue(i);
    if (cached + buf.length <= BLK_CACHE_BYTES) {
      cache.set(file, buf);
      cached += buf.length;
    }
  }
  const { ordered, stale, duplicates } = chainOrder(records);
  run.report.staleBlocks += stale.length;
  run.report.duplicateBlocks += duplicates.length;
  for (const r of ordered) {
    const bytes = await readBlkRecord(r, keys.get(join(r.file, '..')), cache);
    let block: Block;
    try {
      block = parseBlock(bytes, { network: net });
    } catch (err) {
      run.issue({ file: r.file, offset: r.offset - 8, reason: `block ${r.header.hash}: ${parseError(err)}` });
      continue;
    }
    run.add(block, `${r.file}:${r.offset - 8}`, r.size + 8);
  }
}

async function ingestHexFile(file: string, text: string, run: Run): Promise<void> {
  const net = run.options.network ?? MAINNET;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const hex = lines[n]!.trim();
    if (hex === '' || hex.startsWith('#')) continue;
    if (!isHex(hex)) {
      run.issue({ file, line: n + 1, reason: 'not an even-length hexadecimal string' });
      continue;
    }
    try {
      run.add(parseBlock(Buffer.from(hex, 'hex'), { network: net }), `${file}:${n + 1}`, hex.length / 2);
    } catch (err) {
      run.issue({ file, line: n + 1, reason: parseError(err) });
    }
  }
}

function unwrapRpc(doc: unknown): unknown {
  if (doc && typeof doc === 'object' && 'result' in doc && !('tx' in doc)) return (doc as { result: unknown }).result;
  return doc;
}

async function ingestJsonFile(file: string, text: string, run: Run): Promise<void> {
  const net = run.options.network ?? MAINNET;
  let docs: { doc: unknown; line: number }[];
  try {
    const doc = unwrapRpc(JSON.parse(text));
    docs = Array.isArray(doc) ? doc.map((d) => ({ doc: unwrapRpc(d), line: 1 })) : [{ doc, line: 1 }];
  } catch {
    // JSON Lines: one getblock result per line.
    docs = [];
    const lines = text.split(/\r?\n/);
    for (let n = 0; n < lines.length; n++) {
      const l = lines[n]!.trim();
      if (!l) continue;
      try {
        docs.push({ doc: unwrapRpc(JSON.parse(l)), line: n + 1 });
      } catch (err) {
        run.issue({ file, line: n + 1, reason: `not JSON: ${(err as Error).message}` });
      }
    }
  }
  for (const { doc, line } of docs) {
    try {
      const block = blockFromCoreJson(doc, net);
      run.add(block, `${file}:${line}`, block.size);
    } catch (err) {
      run.issue({ file, line, reason: parseError(err) });
    }
  }
}

function sniff(head: Buffer): Exclude<BlockFormat, 'auto'> {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  const c = head[i];
  if (c === 0x7b || c === 0x5b) return 'json';
  const text = head.subarray(i, Math.min(head.length, i + 160)).toString('latin1');
  if (/^[0-9a-fA-F]+\s*$/.test(text) || /^[0-9a-fA-F]{160}/.test(text)) return 'hex';
  return 'blk';
}

async function expand(paths: readonly string[], format: BlockFormat, run: Run): Promise<{ blk: string[]; text: { file: string; format: 'hex' | 'json' }[] }> {
  const blk: string[] = [];
  const text: { file: string; format: 'hex' | 'json' }[] = [];
  const addFile = async (file: string, fromDir: boolean) => {
    let f: Exclude<BlockFormat, 'auto'>;
    if (format !== 'auto') f = format;
    else {
      const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
      if (ext === '.dat' && !/\.gz$/i.test(file)) f = 'blk';
      else if (ext === '.hex') f = 'hex';
      else if (ext === '.json' || ext === '.jsonl') f = 'json';
      else if (fromDir) return;
      else {
        const fh = await import('node:fs/promises').then((m) => m.open(file, 'r'));
        try {
          const head = Buffer.alloc(4096);
          const { bytesRead } = await fh.read(head, 0, head.length, 0);
          f = sniff(head.subarray(0, bytesRead));
        } finally {
          await fh.close();
        }
      }
    }
    if (f === 'blk') blk.push(file);
    else text.push({ file, format: f });
  };
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      run.issue({ file: p, reason: 'no such file or directory' });
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(p)).sort();
      const blkNames = names.filter(isBlkFileName);
      for (const n of blkNames) blk.push(join(p, n));
      for (const n of names) if (!isBlkFileName(n) && n !== 'xor.dat' && !n.startsWith('rev')) await addFile(join(p, n), true);
    } else await addFile(p, false);
  }
  return { blk, text };
}

/** Load block files and directories into the graph. */
export async function ingestPaths(paths: readonly string[], graph: UtxoGraph, options: IngestOptions = {}): Promise<IngestReport> {
  const run = new Run(graph, options);
  const { blk, text } = await expand(paths, options.format ?? 'auto', run);
  if (blk.length) await ingestBlkFiles(blk, run);
  for (const { file, format } of text) {
    const size = (await stat(file)).size;
    run.report.files++;
    if (size > MAX_TEXT_FILE_BYTES) {
      run.issue({ file, reason: `${size} bytes: text block files above ${MAX_TEXT_FILE_BYTES} bytes are not read (use blk*.dat or --rpc)` });
      continue;
    }
    const raw = await readFile(file);
    let body: string;
    try {
      body = (/\.gz$/i.test(file) ? gunzipSync(raw, { maxOutputLength: MAX_TEXT_FILE_BYTES }) : raw).toString('utf8');
    } catch (err) {
      run.issue({ file, reason: `cannot decompress: ${(err as Error).message}` });
      continue;
    }
    if (format === 'hex') await ingestHexFile(file, body, run);
    else await ingestJsonFile(file, body, run);
  }
  return run.finish();
}

export interface RpcRange {
  from: number;
  /** Inclusive; default: the node's tip. */
  to?: number;
}

/** Load blocks from a node over JSON-RPC (raw blocks, parsed here), `from`..`to` inclusive. */
export async function ingestRpc(client: RpcClient, graph: UtxoGraph, range: RpcRange, options: IngestOptions = {}): Promise<IngestReport> {
  const run = new Run(graph, options);
  const net = options.network ?? MAINNET;
  const to = range.to ?? (await client.getBlockCount());
  const BATCH = 16;
  for (let h = range.from; h <= to; h += BATCH) {
    const heights: number[] = [];
    for (let k = h; k <= Math.min(to, h + BATCH - 1); k++) heights.push(k);
    const hashes = await client.batch<string>(heights.map((k) => ({ method: 'getblockhash', params: [k] })));
    let hexes: string[];
    try {
      hexes = await client.batch<string>(hashes.map((hash) => ({ method: 'getblock', params: [hash, 0] })));
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      run.issue({ file: client.display, reason: err.message });
      continue;
    }
    for (let k = 0; k < hexes.length; k++) {
      const hex = hexes[k]!;
      const where = `${client.display} height ${heights[k]}`;
      try {
        const block = parseBlock(Buffer.from(hex, 'hex'), { network: net });
        if (block.hash !== hashes[k]) throw new BlockParseError(`node sent block ${block.hash} for ${hashes[k]}`, 0);
        block.height = heights[k]!;
        run.add(block, where, hex.length / 2);
      } catch (err) {
        run.issue({ file: where, reason: parseError(err) });
      }
    }
  }
  run.report.files = 0;
  return run.finish();
}
