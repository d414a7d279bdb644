/**
 * Raw Bitcoin blocks and transactions (consensus serialization, BIP-144 segwit), parsed by a reader of our
 * own: one pass over the bytes, scripts kept as views into the block, strings (txids, addresses) made only
 * when asked for. Every length is checked against what is left and against consensus limits, so a corrupt
 * or truncated block is a `BlockParseError` with its byte offset, never a crash or a huge allocation.
 */
import { sha256d, sha256dParts, toHex, toHexReversed } from './encoding.js';
import { classify, coreAddress, graphAddress, legacyCoreAddresses, MAINNET, newMatch, scriptTypeName, St, type Network, type ScriptMatch, type ScriptType } from './script.js';

/** Consensus: a serialized block is at most 4,000,000 bytes (MAX_BLOCK_SERIALIZED_SIZE). */
export const MAX_BLOCK_BYTES = 4_000_000;
export const HEADER_BYTES = 80;
/** 21 million BTC in satoshis: no output can carry more (MAX_MONEY). */
export const MAX_MONEY_SATS = 21_000_000 * 100_000_000;

export class BlockParseError extends Error {
  constructor(
    message: string,
    /** Byte offset inside the block (or transaction) where reading failed. */
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

class Cursor {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new BlockParseError(`truncated: ${what} needs ${n} bytes, ${this.end - this.pos} left`, this.pos);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u32(what: string): number {
    this.need(4, what);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }

  i32(what: string): number {
    return this.u32(what) | 0;
  }

  /** A 64-bit amount as an exact JS number; anything above 2^53 is corrupt for Bitcoin values. */
  u64(what: string): number {
    const lo = this.u32(what);
    const hi = this.u32(what);
    if (hi >= 0x200000) throw new BlockParseError(`${what} out of range`, this.pos - 8);
    return hi * 0x100000000 + lo;
  }

  /** CompactSize; `max` bounds what the caller can accept (counts and lengths). */
  varint(what: string, max: number): number {
    const first = this.u8(what);
    let n: number;
    const at = this.pos - 1;
    if (first < 0xfd) n = first;
    else if (first === 0xfd) {
      this.need(2, what);
      n = this.buf[this.pos]! | (this.buf[this.pos + 1]! << 8);
      this.pos += 2;
    } else if (first === 0xfe) n = this.u32(what);
    else {
      const lo = this.u32(what);
      const hi = this.u32(what);
      if (hi !== 0) throw new BlockParseError(`${what} too large`, at);
      n = lo;
    }
    if (n > max) throw new BlockParseError(`${what} ${n} is more than the ${this.end - this.pos} bytes left can hold (truncated or corrupt)`, at);
    return n;
  }

  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

export class TxIn {
  constructor(
    /** The spent transaction's id in serialized (little-endian) byte order; a view into the block. */
    readonly prevTxidBytes: Uint8Array,
    readonly prevVout: number,
    readonly scriptSig: Uint8Array,
    readonly sequence: number,
    public witness: Uint8Array[],
  ) {}

  /** A coinbase input spends nothing: null prevout (all-zero txid, index 0xffffffff). */
  get coinbase(): boolean {
    if (this.prevVout !== 0xffffffff) return false;
    for (let i = 0; i < 32; i++) if (this.prevTxidBytes[i] !== 0) return false;
    return true;
  }

  get prevTxid(): string {
    return toHexReversed(this.prevTxidBytes);
  }
}

const sharedMatch = newMatch();

export class TxOut {
  private match: ScriptMatch | undefined;
  constructor(
    readonly n: number,
    readonly valueSats: number,
    readonly script: Uint8Array,
    private readonly network: Network,
  ) {}

  private solved(): ScriptMatch {
    if (!this.match) {
      classify(this.script, sharedMatch);
      this.match = { ...sharedMatch, keys: [...sharedMatch.keys] };
    }
    return this.match;
  }

  get scriptType(): St {
    return this.solved().type;
  }

  /** Core's type name: pubkeyhash, witness_v1_taproot, nulldata, ... */
  get type(): ScriptType {
    return scriptTypeName(this.solved().type);
  }

  /** What Core 22+ prints as `scriptPubKey.address` (undefined for pubkey, multisig, nulldata, nonstandard). */
  get coreAddress(): string | undefined {
    return coreAddress(this.script, this.solved(), this.network);
  }

  /** What Core before 22 printed as `scriptPubKey.addresses`. */
  get legacyAddresses(): string[] | undefined {
    return legacyCoreAddresses(this.script, this.solved(), this.network);
  }

  /** The address Rastro follows (P2PK as its P2PKH address, multisig and non-standard named); none for OP_RETURN. */
  get address(): string | undefined {
    return graphAddress(this.script, this.solved(), this.network);
  }

  get requiredSigs(): number | undefined {
    const m = this.solved();
    return m.type === St.Multisig ? m.required : undefined;
  }
}

export class Tx {
  private txidHex: string | undefined;
  private wtxidCache: Uint8Array | undefined;
  constructor(
    readonly txidBytes: Uint8Array,
    readonly version: number,
    readonly locktime: number,
    readonly inputs: TxIn[],
    readonly outputs: TxOut[],
    /** Serialized size with witness data. */
    readonly size: number,
    /** Serialized size without witness data. */
    readonly strippedSize: number,
    /** The raw bytes (a view into the block). */
    readonly raw: Uint8Array,
  ) {}

  get txid(): string {
    return (this.txidHex ??= toHexReversed(this.txidBytes));
  }

  /** The witness txid in serialized byte order: hash of the full serialization (computed on demand). */
  get wtxidBytes(): Uint8Array {
    return (this.wtxidCache ??= this.segwit ? sha256d(this.raw) : this.txidBytes);
  }

  /** The witness txid (`hash` in Core's JSON): equal to the txid for transactions without witness. */
  get wtxid(): string {
    return toHexReversed(this.wtxidBytes);
  }

  get weight(): number {
    return this.strippedSize * 3 + this.size;
  }

  get vsize(): number {
    return Math.ceil(this.weight / 4);
  }

  get segwit(): boolean {
    return this.size !== this.strippedSize;
  }

  get isCoinbase(): boolean {
    return this.inputs.length === 1 && this.inputs[0]!.coinbase;
  }
}

export interface BlockHeader {
  hash: string;
  hashBytes: Uint8Array;
  version: number;
  prevHash: string;
  merkleRoot: string;
  /** Block time, seconds since the epoch (UTC). */
  time: number;
  bits: number;
  nonce: number;
}

export interface Block extends BlockHeader {
  size: number;
  strippedSize: number;
  weight: number;
  /** Height from the coinbase (BIP-34, block version 2+), or the height given by the source; null if unknown. */
  height: number | null;
  txs: Tx[];
}

export function parseHeader(buf: Uint8Array, start = 0): BlockHeader {
  const c = new Cursor(buf, start);
  c.need(HEADER_BYTES, 'block header');
  const header = buf.subarray(start, start + HEADER_BYTES);
  const hashBytes = sha256d(header);
  const version = c.i32('version');
  const prev = c.bytes(32, 'previous block hash');
  const merkle = c.bytes(32, 'merkle root');
  const time = c.u32('time');
  const bits = c.u32('bits');
  const nonce = c.u32('nonce');
  return { hash: toHexReversed(hashBytes), hashBytes, version, prevHash: toHexReversed(prev), merkleRoot: toHexReversed(merkle), time, bits, nonce };
}

/** Parse one transaction starting at `c.pos`; `network` names addresses. */
function parseTx(c: Cursor, network: Network): Tx {
  const start = c.pos;
  const buf = c.buf;
  const version = c.i32('tx version');
  let segwit = false;
  if (c.pos + 1 < c.end && buf[c.pos] === 0 && buf[c.pos + 1] === 1) {
    segwit = true;
    c.pos += 2;
  }
  const bodyStart = c.pos;
  const remaining = c.end - c.pos;
  const nIn = c.varint('input count', Math.floor(remaining / 41));
  if (nIn === 0) throw new BlockParseError('transaction without inputs', c.pos);
  const inputs: TxIn[] = new Array(nIn);
  for (let i = 0; i < nIn; i++) {
    const prev = c.bytes(32, 'prevout txid');
    const vout = c.u32('prevout index');
    const scriptLen = c.varint('scriptSig length', c.end - c.pos);
    const scriptSig = c.bytes(scriptLen, 'scriptSig');
    const sequence = c.u32('sequence');
    inputs[i] = new TxIn(prev, vout, scriptSig, sequence, []);
  }
  const nOut = c.varint('output count', Math.floor((c.end - c.pos) / 9));
  const outputs: TxOut[] = new Array(nOut);
  for (let i = 0; i < nOut; i++) {
    const at = c.pos;
    const value = c.u64('output value');
    if (value > MAX_MONEY_SATS) throw new BlockParseError(`output value ${value} exceeds 21 million BTC`, at);
    const scriptLen = c.varint('scriptPubKey length', c.end - c.pos);
    outputs[i] = new TxOut(i, value, c.bytes(scriptLen, 'scriptPubKey'), network);
  }
  const bodyEnd = c.pos;
  if (segwit) {
    for (let i = 0; i < nIn; i++) {
      const items = c.varint('witness item count', c.end - c.pos);
      const witness: Uint8Array[] = new Array(items);
      for (let k = 0; k < items; k++) witness[k] = c.bytes(c.varint('witness item length', c.end - c.pos), 'witness item');
      inputs[i]!.witness = witness;
    }
  }
  const lockAt = c.pos;
  const locktime = c.u32('locktime');
  const end = c.pos;
  const raw = buf.subarray(start, end);
  let txidBytes: Uint8Array;
  let stripped: number;
  if (segwit) {
    txidBytes = sha256dParts([buf.subarray(start, start + 4), buf.subarray(bodyStart, bodyEnd), buf.subarray(lockAt, end)]);
    stripped = 4 + (bodyEnd - bodyStart) + 4;
  } else {
    txidBytes = sha256d(raw);
    stripped = end - start;
  }
  return new Tx(txidBytes, version, locktime, inputs, outputs, end - start, stripped, raw);
}

/** Parse a single raw transaction (hex already decoded). */
export function parseTransaction(raw: Uint8Array, network: Network = MAINNET): Tx {
  const c = new Cursor(plain(raw));
  const tx = parseTx(c, network);
  if (c.pos !== raw.length) throw new BlockParseError(`${raw.length - c.pos} bytes after the transaction`, c.pos);
  return tx;
}

/** A plain Uint8Array view of the same bytes: its subarrays are cheaper than a Buffer's. */
function plain(buf: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(buf) === Uint8Array.prototype ? buf : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function merkleRoot(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return new Uint8Array(32);
  let level = hashes.slice();
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1] ?? level[i]!, 32);
      next.push(sha256d(pair));
    }
    level = next;
  }
  return level[0]!;
}

export interface ParseBlockOptions {
  network?: Network;
  /** Check the header's merkle root against the transactions (default true): catches corrupt bodies. */
  verifyMerkleRoot?: boolean;
}

/** BIP-34: the height a version-2+ block's coinbase starts with. */
export function coinbaseHeight(version: number, coinbase: Tx | undefined): number | null {
  if (version < 2 || !coinbase) return null;
  const s = coinbase.inputs[0]?.scriptSig;
  if (!s || s.length === 0) return null;
  const op = s[0]!;
  if (op >= 0x51 && op <= 0x60) return op - 0x50;
  if (op < 1 || op > 8 || s.length < 1 + op) return null;
  let h = 0;
  for (let i = op; i >= 1; i--) h = h * 256 + s[i]!;
  return h;
}

/** Parse a serialized block (`buf[start..end)`); throws `BlockParseError` on anything malformed. */
export function parseBlock(buf: Uint8Array, options: ParseBlockOptions = {}, start = 0, end = buf.length): Block {
  const network = options.network ?? MAINNET;
  if (end - start > MAX_BLOCK_BYTES) throw new BlockParseError(`block of ${end - start} bytes exceeds the consensus limit ${MAX_BLOCK_BYTES}`, 0);
  buf = plain(buf);
  const header = parseHeader(buf.subarray(start, end));
  const c = new Cursor(buf, start + HEADER_BYTES, end);
  const nTx = c.varint('transaction count', Math.floor((end - c.pos) / 60) + 1);
  if (nTx === 0) throw new BlockParseError('block without transactions', c.pos - start);
  const countBytes = c.pos - start - HEADER_BYTES;
  const txs: Tx[] = new Array(nTx);
  let stripped = HEADER_BYTES + countBytes;
  for (let i = 0; i < nTx; i++) {
    try {
      txs[i] = parseTx(c, network);
    } catch (err) {
      if (err instanceof BlockParseError) throw new BlockParseError(`transaction ${i} of ${nTx}: ${err.message.replace(/ at byte \d+$/, '')}`, err.offset - start);
      throw err;
    }
    stripped += txs[i]!.strippedSize;
  }
  if (c.pos !== end) throw new BlockParseError(`${end - c.pos} bytes after the last transaction`, c.pos - start);
  const size = end - start;
  const block = { ...header, size, strippedSize: stripped, weight: stripped * 3 + size, height: coinbaseHeight(header.version, txs[0]), txs };
  if (options.verifyMerkleRoot !== false) {
    const problem = merkleProblem(block);
    if (problem) throw new BlockParseError(problem, 36);
  }
  return block;
}

/** Why the block's transactions do not match its header's merkle root, or undefined when they do. */
export function merkleProblem(block: Block): string | undefined {
  const root = toHexReversed(merkleRoot(block.txs.map((t) => t.txidBytes)));
  return root === block.merkleRoot ? undefined : `merkle root ${root} does not match the header's ${block.merkleRoot} (corrupt block)`;
}

/** The hex of a script or raw transaction, for output and comparisons. */
export function hexOf(bytes: Uint8Array): string {
  return toHex(bytes);
}
