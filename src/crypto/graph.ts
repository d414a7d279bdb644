/**
 * The UTXO graph in memory: transactions, outputs and inputs as parallel typed arrays, txids and addresses
 * interned to dense integer ids. Every input points at the output it spends and every output at the input
 * that spent it, so following money forward or back is array indexing. Inputs whose funding transaction is
 * not loaded yet are kept as orphans and resolved when it arrives (blocks in any order, incremental loads).
 */
import type { Block } from './block.js';
import { toHexReversed, fromHexReversed } from './encoding.js';
import { FixedKeyTable } from './intern.js';
import type {
  St} from './script.js';
import {
  ADDRESS_KEY_BYTES,
  addressFromKey,
  addressKey,
  classify,
  graphAddress,
  keyIsSelfDescribing,
  keyOfAddress,
  MAINNET,
  newMatch,
  type Network,
} from './script.js';

export const TX_COINBASE = 1;

export interface BlockRecord {
  hash: string;
  prevHash: string;
  height: number | null;
  /** Seconds since the epoch. */
  time: number;
  txStart: number;
  txEnd: number;
  /** Where the block was read from (file, file:offset, rpc). */
  source: string;
}

export interface GraphIssueCounts {
  /** Orphan inputs resolved when their funding transaction arrived later. */
  orphansResolved: number;
  /** Inputs naming an output index the funding transaction does not have. */
  badPrevouts: number;
  /** Outputs spent twice (only possible when conflicting blocks were loaded). */
  doubleSpends: number;
  duplicateTxs: number;
  duplicateBlocks: number;
}

export interface GraphColumns {
  blocks: readonly BlockRecord[];
  /** 32 bytes per transaction, serialized byte order. */
  txids: Uint8Array;
  txTime: Uint32Array;
  txHeight: Int32Array;
  txBlock: Int32Array;
  txFlags: Uint8Array;
  txNIn: Int32Array;
  txNOut: Int32Array;
  outValue: Float64Array;
  outAddr: Int32Array;
  outType: Uint8Array;
  inPrev: Int32Array;
  /** ADDRESS_KEY_BYTES per address. */
  addrKeys: Uint8Array;
  /** Names of the addresses whose key does not spell them. */
  addrNames: ReadonlyMap<number, string>;
  addrFirstTx: Int32Array;
  orphans: readonly { input: number; prevTxid: string; vout: number }[];
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function prefix24(bytes: Uint8Array): number {
  return bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16);
}

type Growable = Int32Array | Uint32Array | Float64Array | Uint8Array;

function grown<T extends Growable>(a: T, min: number, fill?: number): T {
  if (a.length >= min) return a;
  let n = Math.max(16, a.length);
  while (n < min) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  if (fill !== undefined) b.fill(fill, a.length);
  return b;
}

export class UtxoGraph {
  readonly network: Network;
  readonly txids: FixedKeyTable;
  readonly addresses: FixedKeyTable;
  /** Names of addresses whose key does not spell them (multisig, non-standard, unknown witness). */
  private readonly addressNames = new Map<number, string>();
  private readonly addressByName = new Map<string, number>();

  txCount = 0;
  /** Outputs of tx t: [txOutStart[t], txOutStart[t+1]); inputs likewise. */
  txOutStart = new Int32Array(1024);
  txInStart = new Int32Array(1024);
  txTime = new Uint32Array(1024);
  txHeight = new Int32Array(1024);
  txBlock = new Int32Array(1024);
  txFlags = new Uint8Array(1024);

  outCount = 0;
  /** Satoshis (exact integers: at most 21e14 < 2^53). */
  outValue = new Float64Array(2048);
  /** Address id, or -1 for OP_RETURN. */
  outAddr = new Int32Array(2048);
  /** The input spending this output, or -1 while unspent. */
  outSpender = new Int32Array(2048);
  outTx = new Int32Array(2048);
  outType = new Uint8Array(2048);

  inCount = 0;
  /** The output this input spends; -1 for coinbase inputs and orphans. */
  inPrev = new Int32Array(2048);
  inTx = new Int32Array(2048);

  /** The transaction in which each address first received. */
  addrFirstTx = new Int32Array(1024);

  readonly blocks: BlockRecord[] = [];
  private readonly blockByHash = new Map<string, number>();

  /** Orphan inputs by the txid they wait for (latin1 of its 32 bytes): flat [input, vout, input, vout, ...]. */
  private readonly pending = new Map<string, number[]>();
  /** One bit per 24-bit txid prefix of the pending txids: most new transactions skip the map lookup. */
  private pendingFilter: Uint8Array | undefined;
  private pendingInputs = 0;
  readonly issues: GraphIssueCounts = { orphansResolved: 0, badPrevouts: 0, doubleSpends: 0, duplicateTxs: 0, duplicateBlocks: 0 };

  private current = -1;
  private readonly key = new Uint8Array(ADDRESS_KEY_BYTES);
  private readonly match = newMatch();
  private addressIndex: { start: Int32Array; list: Int32Array; outCount: number } | undefined;

  constructor(network: Network = MAINNET, expectedTxs = 1024) {
    this.network = network;
    this.txids = new FixedKeyTable(32, expectedTxs);
    this.addresses = new FixedKeyTable(ADDRESS_KEY_BYTES, expectedTxs);
    this.ensureTx(expectedTxs);
  }

  get addressCount(): number {
    return this.addresses.size;
  }

  /** Inputs still waiting for the output they spend. */
  get orphanCount(): number {
    return this.pendingInputs;
  }

  private ensureTx(n: number): void {
    this.txOutStart = grown(this.txOutStart, n + 1);
    this.txInStart = grown(this.txInStart, n + 1);
    this.txTime = grown(this.txTime, n);
    this.txHeight = grown(this.txHeight, n);
    this.txBlock = grown(this.txBlock, n);
    this.txFlags = grown(this.txFlags, n);
  }

  private ensureOut(n: number): void {
    if (this.outValue.length >= n) return;
    this.outValue = grown(this.outValue, n);
    this.outAddr = grown(this.outAddr, n);
    this.outSpender = grown(this.outSpender, n, -1);
    this.outTx = grown(this.outTx, n);
    this.outType = grown(this.outType, n);
  }

  private ensureIn(n: number): void {
    if (this.inPrev.length >= n) return;
    this.inPrev = grown(this.inPrev, n);
    this.inTx = grown(this.inTx, n);
  }

  // ---- building -----------------------------------------------------------------------------------

  /** Start a transaction; returns its id, or -1 when the txid is already in the graph (nothing is added). */
  beginTx(txidBytes: Uint8Array, timeS: number, height: number, block: number, flags = 0): number {
    if (this.current !== -1) throw new Error('beginTx inside an open transaction');
    const t = this.txids.intern(txidBytes);
    if (!this.txids.isNew) {
      this.issues.duplicateTxs++;
      return -1;
    }
    if (t !== this.txCount) throw new Error('txid table and transaction arrays out of step');
    this.ensureTx(t + 2);
    this.txOutStart[t] = this.outCount;
    this.txInStart[t] = this.inCount;
    this.txTime[t] = timeS;
    this.txHeight[t] = height;
    this.txBlock[t] = block;
    this.txFlags[t] = flags;
    this.txCount++;
    this.current = t;
    return t;
  }

  /** An input spending `vout` of `prevTxidBytes` (serialized order); resolved now or kept as an orphan. */
  addInput(prevTxidBytes: Uint8Array, vout: number): void {
    const i = this.openInput();
    const pt = this.txids.find(prevTxidBytes);
    if (pt >= 0 && pt !== this.current) {
      const o = this.txOutStart[pt]! + vout;
      if (vout < this.txOutStart[pt + 1]! - this.txOutStart[pt]!) this.link(i, o);
      else {
        this.issues.badPrevouts++;
        this.inPrev[i] = -1;
      }
      return;
    }
    this.inPrev[i] = -1;
    this.addPending(prevTxidBytes, i, vout);
  }

  private addPending(txidBytes: Uint8Array, input: number, vout: number): void {
    const k = latin1(txidBytes);
    const list = this.pending.get(k);
    if (list) list.push(input, vout);
    else this.pending.set(k, [input, vout]);
    this.pendingInputs++;
    this.pendingFilter ??= new Uint8Array(1 << 21);
    const bit = prefix24(txidBytes);
    this.pendingFilter[bit >>> 3]! |= 1 << (bit & 7);
  }

  /** An input spending a known output id directly (synthetic chains, reloads from the store). */
  addInputSpending(o: number): void {
    const i = this.openInput();
    if (o < 0) this.inPrev[i] = -1;
    else this.link(i, o);
  }

  /** A coinbase input: spends nothing. */
  addCoinbaseInput(): void {
    const i = this.openInput();
    this.inPrev[i] = -1;
  }

  private openInput(): number {
    if (this.current === -1) throw new Error('input outside a transaction');
    const i = this.inCount++;
    this.ensureIn(i + 1);
    this.inTx[i] = this.current;
    return i;
  }

  private link(i: number, o: number): void {
    this.inPrev[i] = o;
    if (this.outSpender[o] === -1) this.outSpender[o] = i;
    else this.issues.doubleSpends++;
  }

  addOutput(valueSats: number, addr: number, type: St): void {
    if (this.current === -1) throw new Error('output outside a transaction');
    const o = this.outCount++;
    this.ensureOut(o + 1);
    this.outValue[o] = valueSats;
    this.outAddr[o] = addr;
    this.outSpender[o] = -1;
    this.outTx[o] = this.current;
    this.outType[o] = type;
  }

  endTx(): void {
    const t = this.current;
    if (t === -1) throw new Error('endTx without beginTx');
    this.txOutStart[t + 1] = this.outCount;
    this.txInStart[t + 1] = this.inCount;
    this.current = -1;
    if (this.pending.size > 0) {
      const id = this.txids.keyAt(t);
      const bit = prefix24(id);
      if (!(this.pendingFilter![bit >>> 3]! & (1 << (bit & 7)))) return;
      const k = latin1(id);
      const waiting = this.pending.get(k);
      if (waiting) {
        this.pending.delete(k);
        if (this.pending.size === 0) this.pendingFilter!.fill(0);
        const n = this.txOutStart[t + 1]! - this.txOutStart[t]!;
        for (let j = 0; j < waiting.length; j += 2) {
          const vout = waiting[j + 1]!;
          this.pendingInputs--;
          this.issues.orphansResolved++;
          if (vout < n) this.link(waiting[j]!, this.txOutStart[t]! + vout);
          else this.issues.badPrevouts++;
        }
      }
    }
  }

  /** Intern an address key; `name` is needed for keys that do not spell their address. */
  internAddress(key: Uint8Array, name?: string): number {
    const a = this.addresses.intern(key);
    if (this.addresses.isNew) {
      this.addrFirstTx = grown(this.addrFirstTx, a + 1);
      this.addrFirstTx[a] = this.current;
      if (!keyIsSelfDescribing(key[0]!)) {
        if (name === undefined) throw new Error('address name needed for a script-keyed address');
        this.addressNames.set(a, name);
        this.addressByName.set(name, a);
      }
    }
    return a;
  }

  /** Add a parsed block; a block already loaded is skipped. Returns the transactions added. */
  addBlock(block: Block, source = ''): number {
    if (this.blockByHash.has(block.hash)) {
      this.issues.duplicateBlocks++;
      return 0;
    }
    const b = this.blocks.length;
    const txStart = this.txCount;
    const m = this.match;
    const key = this.key;
    for (const tx of block.txs) {
      const coinbase = tx.isCoinbase;
      if (this.beginTx(tx.txidBytes, block.time, block.height ?? -1, b, coinbase ? TX_COINBASE : 0) < 0) continue;
      for (const input of tx.inputs) {
        if (coinbase) this.addCoinbaseInput();
        else this.addInput(input.prevTxidBytes, input.prevVout);
      }
      for (const out of tx.outputs) {
        const type = classify(out.script, m);
        let a = -1;
        if (addressKey(out.script, m, key)) {
          a = this.addresses.find(key);
          if (a < 0) a = this.internAddress(key, keyIsSelfDescribing(key[0]!) ? undefined : graphAddress(out.script, m, this.network));
        }
        this.addOutput(out.valueSats, a, type);
      }
      this.endTx();
    }
    this.blocks.push({ hash: block.hash, prevHash: block.prevHash, height: block.height, time: block.time, txStart, txEnd: this.txCount, source });
    this.blockByHash.set(block.hash, b);
    return this.txCount - txStart;
  }

  /** Record a block whose transactions were added through the low-level calls (store reloads). */
  addBlockRecord(record: BlockRecord): number {
    const b = this.blocks.length;
    this.blocks.push(record);
    this.blockByHash.set(record.hash, b);
    return b;
  }

  hasBlock(hash: string): boolean {
    return this.blockByHash.has(hash);
  }

  // ---- reading ------------------------------------------------------------------------------------

  txid(t: number): string {
    return toHexReversed(this.txids.keyAt(t));
  }

  /** Transaction id of a txid in display hex, or -1. */
  txIndex(txidHex: string): number {
    if (!/^[0-9a-fA-F]{64}$/.test(txidHex)) return -1;
    return this.txids.find(fromHexReversed(txidHex));
  }

  addressName(a: number): string {
    return this.addressNames.get(a) ?? addressFromKey(this.addresses.keyAt(a), this.network);
  }

  /** Address id of an address text, or -1. */
  addressId(name: string): number {
    const byName = this.addressByName.get(name);
    if (byName !== undefined) return byName;
    const key = keyOfAddress(name, this.network);
    return key ? this.addresses.find(key) : -1;
  }

  outputsOf(t: number): [number, number] {
    return [this.txOutStart[t]!, this.txOutStart[t + 1]!];
  }

  inputsOf(t: number): [number, number] {
    return [this.txInStart[t]!, this.txInStart[t + 1]!];
  }

  /** The vout of output o within its transaction. */
  vout(o: number): number {
    return o - this.txOutStart[this.outTx[o]!]!;
  }

  /** Output id of txid:vout, or -1. */
  outpoint(txidHex: string, vout: number): number {
    const t = this.txIndex(txidHex);
    if (t < 0) return -1;
    const [s, e] = this.outputsOf(t);
    return vout >= 0 && s + vout < e ? s + vout : -1;
  }

  isCoinbase(t: number): boolean {
    return (this.txFlags[t]! & TX_COINBASE) !== 0;
  }

  /** Orphan inputs as (input id, txid hex of the missing transaction, vout). */
  orphans(): { input: number; prevTxid: string; vout: number }[] {
    const out: { input: number; prevTxid: string; vout: number }[] = [];
    for (const [k, list] of this.pending) {
      const txid = toHexReversed(Buffer.from(k, 'latin1'));
      for (let j = 0; j < list.length; j += 2) out.push({ input: list[j]!, prevTxid: txid, vout: list[j + 1]! });
    }
    return out.sort((a, b) => a.input - b.input);
  }

  /** Re-register an orphan input (store reloads): `input` must exist and spend nothing yet. */
  restoreOrphan(input: number, prevTxidHex: string, vout: number): void {
    this.addPending(fromHexReversed(prevTxidHex), input, vout);
  }

  /** Outputs received by each address, grouped (built once per graph size). */
  outputsByAddress(): { start: Int32Array; list: Int32Array } {
    const cached = this.addressIndex;
    if (cached && cached.outCount === this.outCount) return cached;
    const n = this.addressCount;
    const start = new Int32Array(n + 1);
    for (let o = 0; o < this.outCount; o++) {
      const a = this.outAddr[o]!;
      if (a >= 0) start[a + 1]!++;
    }
    for (let a = 0; a < n; a++) start[a + 1]! += start[a]!;
    const fill = start.slice(0, n);
    const list = new Int32Array(start[n]!);
    for (let o = 0; o < this.outCount; o++) {
      const a = this.outAddr[o]!;
      if (a >= 0) list[fill[a]!++] = o;
    }
    this.addressIndex = { start, list, outCount: this.outCount };
    return this.addressIndex;
  }

  /**
   * Rebuild a graph from stored columns (the store's tables, in id order): interning tables, output
   * ranges and spent-by links are derived; ids stay what they were.
   */
  static restore(network: Network, c: GraphColumns): UtxoGraph {
    const nTx = c.txTime.length;
    const g = new UtxoGraph(network, Math.max(1024, nTx));
    for (const b of c.blocks) g.addBlockRecord(b);
    for (let a = 0; a < c.addrFirstTx.length; a++) {
      const key = c.addrKeys.subarray(a * ADDRESS_KEY_BYTES, (a + 1) * ADDRESS_KEY_BYTES);
      const id = g.addresses.intern(key);
      if (id !== a || !g.addresses.isNew) throw new Error(`stored address ${a} is a duplicate or out of order`);
      if (!keyIsSelfDescribing(key[0]!)) {
        const name = c.addrNames.get(a);
        if (name === undefined) throw new Error(`stored address ${a} has no name`);
        g.addressNames.set(a, name);
        g.addressByName.set(name, a);
      }
    }
    g.addrFirstTx = new Int32Array(c.addrFirstTx);
    g.ensureTx(nTx + 1);
    g.ensureOut(c.outValue.length);
    g.ensureIn(c.inPrev.length);
    let o = 0;
    let i = 0;
    for (let t = 0; t < nTx; t++) {
      const id = g.txids.intern(c.txids.subarray(t * 32, (t + 1) * 32));
      if (id !== t || !g.txids.isNew) throw new Error(`stored transaction ${t} is a duplicate or out of order`);
      g.txOutStart[t] = o;
      g.txInStart[t] = i;
      for (let k = 0; k < c.txNOut[t]!; k++) g.outTx[o + k] = t;
      for (let k = 0; k < c.txNIn[t]!; k++) g.inTx[i + k] = t;
      o += c.txNOut[t]!;
      i += c.txNIn[t]!;
    }
    if (o !== c.outValue.length || i !== c.inPrev.length) throw new Error('stored transactions do not account for the stored inputs and outputs');
    g.txOutStart[nTx] = o;
    g.txInStart[nTx] = i;
    g.txTime.set(c.txTime);
    g.txHeight.set(c.txHeight);
    g.txBlock.set(c.txBlock);
    g.txFlags.set(c.txFlags);
    g.txCount = nTx;
    g.outValue.set(c.outValue);
    g.outAddr.set(c.outAddr);
    g.outType.set(c.outType);
    g.outSpender.fill(-1, 0, o);
    g.outCount = o;
    g.inPrev.set(c.inPrev);
    g.inCount = i;
    for (let k = 0; k < i; k++) {
      const p = c.inPrev[k]!;
      if (p >= 0) {
        if (g.outSpender[p] === -1) g.outSpender[p] = k;
        else g.issues.doubleSpends++;
      }
    }
    for (const orphan of c.orphans) g.restoreOrphan(orphan.input, orphan.prevTxid, orphan.vout);
    return g;
  }

  /** The columns `restore` takes back (what the store keeps). */
  columns(): GraphColumns {
    const nAddr = this.addressCount;
    const addrKeys = new Uint8Array(nAddr * ADDRESS_KEY_BYTES);
    for (let a = 0; a < nAddr; a++) addrKeys.set(this.addresses.keyAt(a), a * ADDRESS_KEY_BYTES);
    const txids = new Uint8Array(this.txCount * 32);
    for (let t = 0; t < this.txCount; t++) txids.set(this.txids.keyAt(t), t * 32);
    const txNIn = new Int32Array(this.txCount);
    const txNOut = new Int32Array(this.txCount);
    for (let t = 0; t < this.txCount; t++) {
      txNIn[t] = this.txInStart[t + 1]! - this.txInStart[t]!;
      txNOut[t] = this.txOutStart[t + 1]! - this.txOutStart[t]!;
    }
    return {
      blocks: this.blocks,
      txids,
      txTime: this.txTime.slice(0, this.txCount),
      txHeight: this.txHeight.slice(0, this.txCount),
      txBlock: this.txBlock.slice(0, this.txCount),
      txFlags: this.txFlags.slice(0, this.txCount),
      txNIn,
      txNOut,
      outValue: this.outValue.slice(0, this.outCount),
      outAddr: this.outAddr.slice(0, this.outCount),
      outType: this.outType.slice(0, this.outCount),
      inPrev: this.inPrev.slice(0, this.inCount),
      addrKeys,
      addrNames: new Map(this.addressNames),
      addrFirstTx: this.addrFirstTx.slice(0, nAddr),
      orphans: this.orphans(),
    };
  }

  /** Bytes held by the arrays and tables (capacity, not just what is used). */
  memoryBytes(): number {
    let n = this.txids.bytes + this.addresses.bytes;
    for (const a of [this.txOutStart, this.txInStart, this.txTime, this.txHeight, this.txBlock, this.txFlags, this.outValue, this.outAddr, this.outSpender, this.outTx, this.outType, this.inPrev, this.inTx, this.addrFirstTx]) {
      n += a.byteLength;
    }
    return n;
  }
}
