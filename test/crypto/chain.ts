/**
 * A synthetic Bitcoin chain for tests: real consensus-serialized blocks (valid merkle roots, BIP-34
 * heights, no proof of work) built from named wallets, so the readers, the graph and every analysis run
 * on bytes exactly as they would on mainnet, with answers known by construction.
 */
import { createHash } from 'node:crypto';
import {
  base58Check,
  merkleRoot,
  parseBlock,
  parseTransaction,
  scriptForAddress,
  segwitAddress,
  serializeCoreTx,
  type Block,
  type CoreTx,
} from '../../src/crypto/index.js';

export interface Outpoint {
  txid: string;
  vout: number;
  sats: number;
  address: string;
}

export type AddressType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2tr';

export const BTC = 100_000_000;

function hashOf(seed: string, bytes: number): Buffer {
  return createHash('sha256').update(seed).digest().subarray(0, bytes);
}

/** An address, 'OP_RETURN', or 'script:<hex>' for any other output script. */
function scriptHex(address: string): string {
  if (address === 'OP_RETURN') return `6a04${'cafe'.repeat(2)}`;
  if (address.startsWith('script:')) return address.slice(7);
  return Buffer.from(scriptForAddress(address)!).toString('hex');
}

export class ChainBuilder {
  private height = 0;
  private prevHash = Buffer.alloc(32);
  private time: number;
  private readonly txs: Buffer[] = [];
  private readonly raw: Buffer[] = [];
  private counter = 0;
  readonly miner: string;

  constructor(
    private readonly seed = 'rastro',
    startTime = Date.UTC(2024, 0, 1) / 1000,
  ) {
    this.time = startTime;
    this.miner = this.address('miner');
  }

  /** A deterministic address for a name. */
  address(name: string, type: AddressType = 'p2pkh'): string {
    const h = hashOf(`${this.seed}:${name}:${type}`, 32);
    switch (type) {
      case 'p2pkh':
        return base58Check(0x00, h.subarray(0, 20));
      case 'p2sh':
        return base58Check(0x05, h.subarray(0, 20));
      case 'p2wpkh':
        return segwitAddress('bc', 0, h.subarray(0, 20));
      case 'p2tr':
        return segwitAddress('bc', 1, h);
    }
  }

  /** Start a block whose coinbase pays `sats` to `to` (the miner by default); returns that output. */
  private coinbaseTx(to: string, sats: number): Buffer {
    const h = Buffer.alloc(4);
    h.writeUInt32LE(this.height);
    const tx: CoreTx = {
      txid: '',
      version: 1,
      locktime: 0,
      vin: [{ coinbase: `03${h.subarray(0, 3).toString('hex')}${Buffer.from(this.seed).toString('hex')}`, sequence: 0xffffffff }],
      vout: [{ value: sats / BTC, n: 0, scriptPubKey: { hex: Buffer.from(scriptForAddress(to)!).toString('hex') } }],
    };
    return serializeCoreTx(tx);
  }

  private pendingCoinbase: Buffer | undefined;

  /** A block reward of `sats` to `to`: starts a new block (sealing the open one). */
  mint(to: string, sats: number): Outpoint {
    if (this.pendingCoinbase || this.txs.length) this.mine();
    this.pendingCoinbase = this.coinbaseTx(to, sats);
    const txid = parseTransaction(this.pendingCoinbase).txid;
    return { txid, vout: 0, sats, address: to };
  }

  /** A transaction spending `inputs` to `outputs` ([address | 'OP_RETURN' | 'script:<hex>', sats]); fee = in − out. */
  pay(inputs: readonly Outpoint[], outputs: readonly (readonly [string, number])[], version = 2): Outpoint[] {
    const inSats = inputs.reduce((s, o) => s + o.sats, 0);
    const outSats = outputs.reduce((s, [, v]) => s + v, 0);
    if (outSats > inSats) throw new Error(`outputs ${outSats} exceed inputs ${inSats}`);
    if (!this.pendingCoinbase) this.pendingCoinbase = this.coinbaseTx(this.miner, 625_000_000);
    const tx: CoreTx = {
      txid: '',
      version,
      locktime: 0,
      vin: inputs.map((o) => ({ txid: o.txid, vout: o.vout, scriptSig: { hex: `08${(this.counter++).toString(16).padStart(16, '0')}` }, sequence: 0xfffffffd })),
      vout: outputs.map(([address, sats], n) => ({
        value: sats / BTC,
        n,
        scriptPubKey: { hex: scriptHex(address) },
      })),
    };
    const raw = serializeCoreTx(tx);
    this.txs.push(raw);
    const txid = parseTransaction(raw).txid;
    return outputs.map(([address, sats], vout) => ({ txid, vout, sats, address }));
  }

  /** Seal the open block. */
  mine(): void {
    const coinbase = this.pendingCoinbase ?? this.coinbaseTx(this.miner, 625_000_000);
    const txs = [coinbase, ...this.txs];
    const parsed = txs.map((t) => parseTransaction(t));
    const header = Buffer.alloc(80);
    header.writeUInt32LE(0x20000000, 0);
    this.prevHash.copy(header, 4);
    Buffer.from(merkleRoot(parsed.map((t) => t.txidBytes))).copy(header, 36);
    header.writeUInt32LE(this.time, 68);
    header.writeUInt32LE(0x207fffff, 72);
    header.writeUInt32LE(this.height, 76);
    const count = txs.length < 0xfd ? Buffer.from([txs.length]) : Buffer.from([0xfd, txs.length & 0xff, txs.length >> 8]);
    const block = Buffer.concat([header, count, ...txs]);
    const b = parseBlock(block);
    this.prevHash = Buffer.from(b.hashBytes);
    this.raw.push(block);
    this.txs.length = 0;
    this.pendingCoinbase = undefined;
    this.height++;
    this.time += 600;
  }

  /** All sealed blocks (the open one is sealed first). */
  blocks(): Buffer[] {
    if (this.pendingCoinbase || this.txs.length) this.mine();
    return [...this.raw];
  }

  parsedBlocks(): Block[] {
    return this.blocks().map((b) => parseBlock(b));
  }
}
