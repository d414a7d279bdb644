/**
 * Bitcoin Core's block files (`blocks/blk*.dat`): records of 4 magic bytes, a 4-byte little-endian size and
 * the serialized block, in the order the node received them (not height order; stale blocks included).
 * Core 28+ masks the files with the 8-byte key in `blocks/xor.dat` (byte i of a file is XORed with
 * key[i mod 8]). Reading is in two passes: index every record's header, order the blocks along the chain
 * (parents first, stale branches set aside), then parse the blocks in that order.
 */
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HEADER_BYTES, MAX_BLOCK_BYTES, parseHeader, type BlockHeader } from './block.js';
import { MAINNET, type Network } from './script.js';

export interface BlkRecord {
  file: string;
  /** Offset of the block bytes in the file (after magic and size). */
  offset: number;
  size: number;
  header: BlockHeader;
}

export interface ReadIssue {
  file: string;
  /** Byte offset in the file, or line number for text inputs (then `line` is set). */
  offset?: number;
  line?: number;
  reason: string;
}

/** The XOR key of a blocks directory (`xor.dat`, Core 28+); undefined when absent or all zero. */
export async function readXorKey(dir: string): Promise<Uint8Array | undefined> {
  const path = join(dir, 'xor.dat');
  if (!existsSync(path)) return undefined;
  const key = await readFile(path);
  if (key.length !== 8) throw new Error(`${path}: expected 8 bytes, found ${key.length}`);
  return key.every((b) => b === 0) ? undefined : new Uint8Array(key);
}

/** XOR `buf` in place with the key, `fileOffset` being the position of buf[0] in its file. */
export function unmask(buf: Uint8Array, key: Uint8Array | undefined, fileOffset = 0): void {
  if (!key) return;
  let i = 0;
  // Byte by byte up to a 4-byte boundary, then whole 32-bit words (the key repeats every two words).
  while (i < buf.length && (buf.byteOffset + i) % 4 !== 0) {
    buf[i]! ^= key[(fileOffset + i) % 8]!;
    i++;
  }
  const words = Math.floor((buf.length - i) / 4);
  if (words > 0 && littleEndian) {
    const w = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
    const k = (at: number) => key[(fileOffset + at) % 8]! | (key[(fileOffset + at + 1) % 8]! << 8) | (key[(fileOffset + at + 2) % 8]! << 16) | (key[(fileOffset + at + 3) % 8]! << 24);
    const k0 = k(i);
    const k1 = k(i + 4);
    let j = 0;
    for (; j + 1 < words; j += 2) {
      w[j]! ^= k0;
      w[j + 1]! ^= k1;
    }
    if (j < words) w[j]! ^= k0;
    i += words * 4;
  }
  for (; i < buf.length; i++) buf[i]! ^= key[(fileOffset + i) % 8]!;
}

const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function magicBytes(net: Network): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(net.magic);
  return b;
}

/**
 * Index the block records of one (unmasked) file. Garbage between records is skipped to the next magic
 * and reported; a record running past the end of the file is reported as truncated; the zero bytes Core
 * pre-allocates at the end of a file are not an error.
 */
export function indexBlkBuffer(buf: Buffer, file: string, net: Network = MAINNET, issues: ReadIssue[] = []): BlkRecord[] {
  const magic = magicBytes(net);
  const records: BlkRecord[] = [];
  let pos = 0;
  const len = buf.length;
  const skipTo = (from: number, reason: string): number => {
    const next = buf.indexOf(magic, from);
    const to = next < 0 ? len : next;
    issues.push({ file, offset: pos, reason: `${reason}; skipped ${to - pos} bytes${next < 0 ? ' to the end of the file' : ' to the next block magic'}` });
    return to;
  };
  while (pos < len) {
    if (len - pos < 8 || buf.readUInt32LE(pos) !== net.magic) {
      let zeros = pos;
      while (zeros < len && buf[zeros] === 0) zeros++;
      if (zeros === len) break;
      if (len - pos < 8 && buf.indexOf(magic, pos) < 0) {
        issues.push({ file, offset: pos, reason: `${len - pos} stray bytes at the end of the file` });
        break;
      }
      pos = skipTo(pos + 1, 'no block magic');
      continue;
    }
    const size = buf.readUInt32LE(pos + 4);
    if (size < HEADER_BYTES + 1 || size > MAX_BLOCK_BYTES) {
      pos = skipTo(pos + 1, `implausible block size ${size}`);
      continue;
    }
    if (pos + 8 + size > len) {
      issues.push({ file, offset: pos, reason: `truncated block: ${size} bytes announced, ${len - pos - 8} left in the file` });
      break;
    }
    records.push({ file, offset: pos + 8, size, header: parseHeader(buf, pos + 8) });
    pos += 8 + size;
  }
  return records;
}

export interface ChainOrder {
  /** Blocks on the best branch of each connected piece, parents before children. */
  ordered: BlkRecord[];
  /** Blocks on losing branches of a fork (stale blocks), not loaded. */
  stale: BlkRecord[];
  /** Second and later copies of a block hash. */
  duplicates: BlkRecord[];
}

/**
 * Order records along the chain. Each fork keeps the branch with the deepest descendant (ties: the one
 * seen first); pieces whose parent is not among the records (partial directories) are ordered by time.
 */
export function chainOrder(records: readonly BlkRecord[]): ChainOrder {
  const byHash = new Map<string, number>();
  const duplicates: BlkRecord[] = [];
  const unique: BlkRecord[] = [];
  for (const r of records) {
    if (byHash.has(r.header.hash)) duplicates.push(r);
    else {
      byHash.set(r.header.hash, unique.length);
      unique.push(r);
    }
  }
  const n = unique.length;
  const parent = new Int32Array(n).fill(-1);
  const children: number[][] = Array.from({ length: n }, () => []);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = byHash.get(unique[i]!.header.prevHash);
    if (p === undefined) roots.push(i);
    else {
      parent[i] = p;
      children[p]!.push(i);
    }
  }
  // Depth of the deepest descendant, computed children-first without recursion.
  const depth = new Int32Array(n);
  const order: number[] = [];
  const stack = [...roots];
  while (stack.length) {
    const i = stack.pop()!;
    order.push(i);
    for (const c of children[i]!) stack.push(c);
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k]!;
    let d = 0;
    for (const c of children[i]!) d = Math.max(d, depth[c]! + 1);
    depth[i] = d;
  }
  const ordered: BlkRecord[] = [];
  const onBest = new Uint8Array(n);
  roots.sort((a, b) => unique[a]!.header.time - unique[b]!.header.time || a - b);
  for (const root of roots) {
    let i = root;
    for (;;) {
      onBest[i] = 1;
      ordered.push(unique[i]!);
      const kids = children[i]!;
      if (kids.length === 0) break;
      let best = kids[0]!;
      for (const c of kids) if (depth[c]! > depth[best]!) best = c;
      i = best;
    }
  }
  const stale = unique.filter((_, i) => !onBest[i]);
  return { ordered, stale, duplicates };
}

/** The blk*.dat files of a directory, in file-number order. */
export function isBlkFileName(name: string): boolean {
  return /^blk\d+\.dat$/.test(name);
}

/** Read one indexed block's bytes (unmasked) from its file. */
export async function readBlkRecord(record: BlkRecord, key: Uint8Array | undefined, cache?: Map<string, Buffer>): Promise<Buffer> {
  const whole = cache?.get(record.file);
  if (whole) return whole.subarray(record.offset, record.offset + record.size);
  const fh = await open(record.file, 'r');
  try {
    const buf = Buffer.alloc(record.size);
    const { bytesRead } = await fh.read(buf, 0, record.size, record.offset);
    if (bytesRead !== record.size) throw new Error(`${record.file}: short read at ${record.offset}`);
    unmask(buf, key, record.offset);
    return buf;
  } finally {
    await fh.close();
  }
}

/** The directory's xor.dat applies to files in it (`blocks/`). */
export function blocksDirOf(file: string): string {
  return dirname(file);
}

export function displayName(file: string): string {
  return basename(file);
}
