/**
 * Bitcoin Core's `getblock <hash> 2` JSON: read it (both the pre-22 `scriptPubKey.addresses[]` layout and
 * the 22+ `address` layout), and write it (for comparisons and `--json` output). Reading rebuilds the
 * consensus bytes from the fields (each transaction's `hex` when present) and parses those, so the
 * block hash, every txid and the merkle root are checked against what the JSON claims.
 */
import { BlockParseError, merkleProblem, parseBlock, type Block, type Tx, type TxOut } from './block.js';
import { base58CheckDecode, fromHex, fromHexReversed, segwitDecode, toHex } from './encoding.js';
import { MAINNET, type Network } from './script.js';

export interface CoreScriptPubKey {
  asm?: string;
  hex?: string;
  type?: string;
  reqSigs?: number;
  addresses?: string[];
  address?: string;
  desc?: string;
}

export interface CoreVin {
  coinbase?: string;
  txid?: string;
  vout?: number;
  scriptSig?: { asm?: string; hex: string };
  txinwitness?: string[];
  sequence: number;
  prevout?: unknown;
}

export interface CoreVout {
  value: number;
  n: number;
  scriptPubKey: CoreScriptPubKey;
}

export interface CoreTx {
  txid: string;
  hash?: string;
  version: number;
  size?: number;
  vsize?: number;
  weight?: number;
  locktime: number;
  vin: CoreVin[];
  vout: CoreVout[];
  hex?: string;
  fee?: number;
}

export interface CoreBlock {
  hash: string;
  height?: number;
  version: number;
  versionHex?: string;
  merkleroot: string;
  time: number;
  nonce: number;
  bits: string;
  previousblockhash?: string;
  nTx?: number;
  size?: number;
  strippedsize?: number;
  weight?: number;
  tx: (CoreTx | string)[];
  [k: string]: unknown;
}

export type CoreLayout = 'legacy' | 'modern';

export class CoreJsonError extends Error {}

class Writer {
  private chunks: Uint8Array[] = [];
  private length = 0;

  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    this.bytes(b);
  }

  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.bytes(b);
  }

  varint(n: number): void {
    if (n < 0xfd) this.bytes(Uint8Array.of(n));
    else if (n <= 0xffff) this.bytes(Uint8Array.of(0xfd, n & 0xff, n >> 8));
    else {
      this.bytes(Uint8Array.of(0xfe));
      this.u32(n);
    }
  }

  varbytes(b: Uint8Array): void {
    this.varint(b.length);
    this.bytes(b);
  }

  result(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

/** BTC as Core prints it (a JSON number with up to 8 decimals) to satoshis, exactly. */
export function btcToSats(value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new CoreJsonError(`bad value ${JSON.stringify(value)}`);
  return Math.round(value * 1e8);
}

/** The output script an address stands for (used when the JSON carries no `scriptPubKey.hex`). */
export function scriptForAddress(address: string, net: Network = MAINNET): Uint8Array | undefined {
  const b58 = base58CheckDecode(address);
  if (b58 && b58.payload.length === 20) {
    if (b58.version === net.p2pkh) return Uint8Array.from([0x76, 0xa9, 20, ...b58.payload, 0x88, 0xac]);
    if (b58.version === net.p2sh) return Uint8Array.from([0xa9, 20, ...b58.payload, 0x87]);
    return undefined;
  }
  const sw = segwitDecode(address);
  if (sw && sw.hrp === net.hrp) return Uint8Array.from([sw.version === 0 ? 0 : 0x50 + sw.version, sw.program.length, ...sw.program]);
  return undefined;
}

function outputScript(v: CoreVout, where: string, net: Network): Uint8Array {
  const spk = v.scriptPubKey;
  if (spk?.hex !== undefined) return fromHex(spk.hex);
  const address = spk?.address ?? (spk?.addresses?.length === 1 ? spk.addresses[0] : undefined);
  const script = address ? scriptForAddress(address, net) : undefined;
  if (!script) throw new CoreJsonError(`${where}: no scriptPubKey.hex and no single address to rebuild it from`);
  return script;
}

/** Serialize a transaction from Core's fields (witness included when any input has one). */
export function serializeCoreTx(tx: CoreTx, net: Network = MAINNET): Buffer {
  if (tx.hex !== undefined) return fromHex(tx.hex);
  const w = new Writer();
  const segwit = tx.vin.some((v) => (v.txinwitness?.length ?? 0) > 0);
  w.u32(tx.version);
  if (segwit) w.bytes(Uint8Array.of(0, 1));
  w.varint(tx.vin.length);
  for (const [i, v] of tx.vin.entries()) {
    if (v.coinbase !== undefined) {
      w.bytes(new Uint8Array(32));
      w.u32(0xffffffff);
      w.varbytes(fromHex(v.coinbase));
    } else {
      if (typeof v.txid !== 'string' || typeof v.vout !== 'number') throw new CoreJsonError(`tx ${tx.txid} vin ${i}: no txid/vout`);
      w.bytes(fromHexReversed(v.txid));
      w.u32(v.vout);
      w.varbytes(fromHex(v.scriptSig?.hex ?? ''));
    }
    w.u32(v.sequence);
  }
  w.varint(tx.vout.length);
  for (const [i, v] of tx.vout.entries()) {
    w.u64(btcToSats(v.value));
    w.varbytes(outputScript(v, `tx ${tx.txid} vout ${i}`, net));
  }
  if (segwit) {
    for (const v of tx.vin) {
      const items = v.txinwitness ?? [];
      w.varint(items.length);
      for (const item of items) w.varbytes(fromHex(item));
    }
  }
  w.u32(tx.locktime);
  return w.result();
}

export function serializeCoreHeader(b: CoreBlock): Buffer {
  const w = new Writer();
  w.u32(b.version);
  w.bytes(b.previousblockhash ? fromHexReversed(b.previousblockhash) : new Uint8Array(32));
  w.bytes(fromHexReversed(b.merkleroot));
  w.u32(b.time);
  w.u32(parseInt(b.bits, 16));
  w.u32(b.nonce);
  return w.result();
}

/**
 * Read one `getblock <hash> 2` result (verbosity 1, txids only, cannot be read: it has no transactions).
 * The rebuilt block must hash to `hash` and every transaction to its `txid`.
 */
export function blockFromCoreJson(json: unknown, net: Network = MAINNET): Block {
  const b = json as CoreBlock;
  if (!b || typeof b !== 'object' || typeof b.hash !== 'string' || !Array.isArray(b.tx)) throw new CoreJsonError('not a getblock result (no hash or tx array)');
  if (b.tx.some((t) => typeof t === 'string')) throw new CoreJsonError(`block ${b.hash}: transactions are txids only (getblock verbosity 1); verbosity 2 is needed`);
  const w = new Writer();
  w.bytes(serializeCoreHeader(b));
  w.varint(b.tx.length);
  const txs = b.tx as CoreTx[];
  for (const t of txs) w.bytes(serializeCoreTx(t, net));
  const bytes = w.result();
  let block: Block;
  try {
    block = parseBlock(bytes, { network: net, verifyMerkleRoot: false });
  } catch (err) {
    if (err instanceof BlockParseError) throw new CoreJsonError(`block ${b.hash}: ${err.message}`);
    throw err;
  }
  if (block.hash !== b.hash) throw new CoreJsonError(`block ${b.hash}: its fields hash to ${block.hash}`);
  for (let i = 0; i < txs.length; i++) {
    if (block.txs[i]!.txid !== txs[i]!.txid) throw new CoreJsonError(`block ${b.hash} tx ${i}: fields hash to ${block.txs[i]!.txid}, JSON says ${txs[i]!.txid}`);
  }
  const problem = merkleProblem(block);
  if (problem) throw new CoreJsonError(`block ${b.hash}: ${problem}`);
  if (typeof b.height === 'number') block.height = b.height;
  return block;
}

function scriptPubKeyJson(out: TxOut, layout: CoreLayout): CoreScriptPubKey {
  const spk: CoreScriptPubKey = { hex: toHex(out.script), type: out.type };
  if (layout === 'modern') {
    const a = out.coreAddress;
    if (a !== undefined) spk.address = a;
  } else {
    // Core before 22 listed addresses (and reqSigs) for every type it could name, pay-to-pubkey excepted.
    const list = out.type === 'pubkey' ? undefined : out.legacyAddresses;
    if (list) {
      spk.reqSigs = out.requiredSigs ?? 1;
      spk.addresses = list;
    }
  }
  return spk;
}

/** A transaction as `getblock 2` / `getrawtransaction 1` print it (without `asm`). */
export function txToCoreJson(tx: Tx, layout: CoreLayout = 'modern'): CoreTx {
  const vin: CoreVin[] = tx.inputs.map((input) => {
    const v: CoreVin = input.coinbase ? { coinbase: toHex(input.scriptSig), sequence: input.sequence } : { txid: input.prevTxid, vout: input.prevVout, scriptSig: { hex: toHex(input.scriptSig) }, sequence: input.sequence };
    // Core before 22 did not print the coinbase's witness (the witness reserved value).
    if (input.witness.length > 0 && !(input.coinbase && layout === 'legacy')) v.txinwitness = input.witness.map((w) => toHex(w));
    return v;
  });
  return {
    txid: tx.txid,
    hash: tx.wtxid,
    version: tx.version,
    size: tx.size,
    vsize: tx.vsize,
    weight: tx.weight,
    locktime: tx.locktime,
    vin,
    vout: tx.outputs.map((o) => ({ value: o.valueSats / 1e8, n: o.n, scriptPubKey: scriptPubKeyJson(o, layout) })),
    hex: toHex(tx.raw),
  };
}

/** A block as `getblock <hash> 2` prints it, minus what needs the chain (confirmations, chainwork, ...). */
export function blockToCoreJson(block: Block, layout: CoreLayout = 'modern'): CoreBlock {
  const out: CoreBlock = {
    hash: block.hash,
    version: block.version,
    versionHex: (block.version >>> 0).toString(16).padStart(8, '0'),
    merkleroot: block.merkleRoot,
    time: block.time,
    nonce: block.nonce,
    bits: block.bits.toString(16).padStart(8, '0'),
    nTx: block.txs.length,
    size: block.size,
    strippedsize: block.strippedSize,
    weight: block.weight,
    tx: block.txs.map((t) => txToCoreJson(t, layout)),
  };
  if (block.height !== null) out.height = block.height;
  if (!/^0{64}$/.test(block.prevHash)) out.previousblockhash = block.prevHash;
  return out;
}
