/**
 * Output scripts: the script types of Bitcoin Core's `Solver` (same names, same matching rules), their
 * addresses, and the graph address Rastro follows. Core prints an address only for the address types;
 * Rastro also needs a node for pay-to-pubkey (shown as the P2PKH address of the key, as explorers and
 * GraphSense do: the same key controls both), bare multisig and non-standard scripts. OP_RETURN has none.
 */
import { base58Check, base58CheckDecode, hash160, segwitAddress, segwitDecode, sha256, toHex } from './encoding.js';

export const SCRIPT_TYPES = [
  'nonstandard',
  'pubkey',
  'pubkeyhash',
  'scripthash',
  'multisig',
  'nulldata',
  'witness_v0_keyhash',
  'witness_v0_scripthash',
  'witness_v1_taproot',
  'witness_unknown',
  'anchor',
] as const;
export type ScriptType = (typeof SCRIPT_TYPES)[number];

export enum St {
  Nonstandard = 0,
  Pubkey = 1,
  Pubkeyhash = 2,
  Scripthash = 3,
  Multisig = 4,
  Nulldata = 5,
  WitnessV0Keyhash = 6,
  WitnessV0Scripthash = 7,
  WitnessV1Taproot = 8,
  WitnessUnknown = 9,
  Anchor = 10,
}

export interface Network {
  name: 'mainnet' | 'testnet' | 'signet' | 'regtest';
  p2pkh: number;
  p2sh: number;
  hrp: string;
  /** Magic bytes that start every block record in blk*.dat files. */
  magic: number;
}

export const MAINNET: Network = { name: 'mainnet', p2pkh: 0x00, p2sh: 0x05, hrp: 'bc', magic: 0xd9b4bef9 };
export const TESTNET: Network = { name: 'testnet', p2pkh: 0x6f, p2sh: 0xc4, hrp: 'tb', magic: 0x0709110b };
export const SIGNET: Network = { name: 'signet', p2pkh: 0x6f, p2sh: 0xc4, hrp: 'tb', magic: 0x40cf030a };
export const REGTEST: Network = { name: 'regtest', p2pkh: 0x6f, p2sh: 0xc4, hrp: 'bcrt', magic: 0xdab5bffa };
export const NETWORKS: Record<Network['name'], Network> = { mainnet: MAINNET, testnet: TESTNET, signet: SIGNET, regtest: REGTEST };

const OP_0 = 0x00;
const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA2 = 0x4d;
const OP_PUSHDATA4 = 0x4e;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_DUP = 0x76;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_HASH160 = 0xa9;
const OP_CHECKSIG = 0xac;
const OP_CHECKMULTISIG = 0xae;
const MAX_PUBKEYS_PER_MULTISIG = 20;

/** What `classify` found; reused between calls so the hot loop allocates nothing. */
export interface ScriptMatch {
  type: St;
  /** The hash, witness program or public key inside the script: [start, end). */
  start: number;
  end: number;
  /** Witness version for witness programs. */
  version: number;
  /** Multisig: required signatures and the [start, end) of each key. */
  required: number;
  keys: number[];
}

export function newMatch(): ScriptMatch {
  return { type: St.Nonstandard, start: 0, end: 0, version: 0, required: 0, keys: [] };
}

function pubkeyLength(header: number): number {
  if (header === 2 || header === 3) return 33;
  if (header === 4 || header === 6 || header === 7) return 65;
  return 0;
}

/** One script operation: opcode, pushed data [dataStart, dataEnd), next position; -1 when truncated. */
interface Op {
  opcode: number;
  dataStart: number;
  dataEnd: number;
  next: number;
}

function getOp(s: Uint8Array, pos: number, op: Op): boolean {
  if (pos >= s.length) return false;
  const opcode = s[pos++]!;
  let len = 0;
  if (opcode < OP_PUSHDATA1) len = opcode;
  else if (opcode === OP_PUSHDATA1) {
    if (pos + 1 > s.length) return false;
    len = s[pos]!;
    pos += 1;
  } else if (opcode === OP_PUSHDATA2) {
    if (pos + 2 > s.length) return false;
    len = s[pos]! | (s[pos + 1]! << 8);
    pos += 2;
  } else if (opcode === OP_PUSHDATA4) {
    if (pos + 4 > s.length) return false;
    len = (s[pos]! | (s[pos + 1]! << 8) | (s[pos + 2]! << 16)) + s[pos + 3]! * 2 ** 24;
    pos += 4;
  }
  if (pos + len > s.length) return false;
  op.opcode = opcode;
  op.dataStart = pos;
  op.dataEnd = pos + len;
  op.next = pos + len;
  return true;
}

function isPushOnly(s: Uint8Array, from: number): boolean {
  const op: Op = { opcode: 0, dataStart: 0, dataEnd: 0, next: 0 };
  let pos = from;
  while (pos < s.length) {
    if (!getOp(s, pos, op)) return false;
    if (op.opcode > OP_16) return false;
    pos = op.next;
  }
  return true;
}

/** A small number in a multisig script: OP_1..OP_16, or a minimal push of a script number (Core 24+). */
function scriptNumber(s: Uint8Array, op: Op, min: number, max: number): number | undefined {
  let n: number;
  if (op.opcode >= OP_1 && op.opcode <= OP_16) n = op.opcode - OP_1 + 1;
  else if (op.opcode > OP_0 && op.opcode < OP_PUSHDATA1) {
    const len = op.dataEnd - op.dataStart;
    // Minimal encoding: a one-byte value 1..16 must use OP_n; no negative numbers or zero padding.
    if (len !== 1) return undefined;
    n = s[op.dataStart]!;
    if (n <= 16 || n & 0x80) return undefined;
  } else return undefined;
  return n >= min && n <= max ? n : undefined;
}

function matchMultisig(s: Uint8Array, m: ScriptMatch): boolean {
  if (s.length < 1 || s[s.length - 1] !== OP_CHECKMULTISIG) return false;
  const op: Op = { opcode: 0, dataStart: 0, dataEnd: 0, next: 0 };
  if (!getOp(s, 0, op)) return false;
  const required = scriptNumber(s, op, 1, MAX_PUBKEYS_PER_MULTISIG);
  if (required === undefined) return false;
  m.keys.length = 0;
  let pos = op.next;
  let ok = false;
  while ((ok = getOp(s, pos, op))) {
    const len = op.dataEnd - op.dataStart;
    if (len === 0 || op.opcode >= OP_PUSHDATA1 || pubkeyLength(s[op.dataStart]!) !== len) break;
    m.keys.push(op.dataStart, op.dataEnd);
    pos = op.next;
  }
  if (!ok) return false;
  const count = scriptNumber(s, op, required, MAX_PUBKEYS_PER_MULTISIG);
  if (count === undefined || m.keys.length / 2 !== count) return false;
  if (op.next + 1 !== s.length) return false;
  m.required = required;
  return true;
}

/** Classify an output script exactly as Bitcoin Core's `Solver` does. */
export function classify(s: Uint8Array, m: ScriptMatch): St {
  const n = s.length;
  m.start = 0;
  m.end = 0;
  if (n === 25 && s[0] === OP_DUP && s[1] === OP_HASH160 && s[2] === 20 && s[23] === OP_EQUALVERIFY && s[24] === OP_CHECKSIG) {
    m.start = 3;
    m.end = 23;
    return (m.type = St.Pubkeyhash);
  }
  if (n === 23 && s[0] === OP_HASH160 && s[1] === 20 && s[22] === OP_EQUAL) {
    m.start = 2;
    m.end = 22;
    return (m.type = St.Scripthash);
  }
  if (n >= 4 && n <= 42 && (s[0] === OP_0 || (s[0]! >= OP_1 && s[0]! <= OP_16)) && s[1]! + 2 === n && s[1]! >= 2) {
    const version = s[0] === OP_0 ? 0 : s[0]! - OP_1 + 1;
    const len = n - 2;
    m.start = 2;
    m.end = n;
    m.version = version;
    if (version === 0 && len === 20) return (m.type = St.WitnessV0Keyhash);
    if (version === 0 && len === 32) return (m.type = St.WitnessV0Scripthash);
    if (version === 1 && len === 32) return (m.type = St.WitnessV1Taproot);
    if (version === 1 && len === 2 && s[2] === 0x4e && s[3] === 0x73) return (m.type = St.Anchor);
    if (version !== 0) return (m.type = St.WitnessUnknown);
    return (m.type = St.Nonstandard);
  }
  if (n >= 1 && s[0] === OP_RETURN && isPushOnly(s, 1)) return (m.type = St.Nulldata);
  if ((n === 67 && s[0] === 65) || (n === 35 && s[0] === 33)) {
    if (s[n - 1] === OP_CHECKSIG && pubkeyLength(s[1]!) === n - 2) {
      m.start = 1;
      m.end = n - 1;
      return (m.type = St.Pubkey);
    }
  }
  if (matchMultisig(s, m)) return (m.type = St.Multisig);
  return (m.type = St.Nonstandard);
}

export function scriptTypeName(t: St): ScriptType {
  return SCRIPT_TYPES[t]!;
}

/** The address Bitcoin Core 22+ prints for this script (`scriptPubKey.address`), if any. */
export function coreAddress(s: Uint8Array, m: ScriptMatch, net: Network = MAINNET): string | undefined {
  switch (m.type) {
    case St.Pubkeyhash:
      return base58Check(net.p2pkh, s.subarray(m.start, m.end));
    case St.Scripthash:
      return base58Check(net.p2sh, s.subarray(m.start, m.end));
    case St.WitnessV0Keyhash:
    case St.WitnessV0Scripthash:
    case St.WitnessV1Taproot:
    case St.WitnessUnknown:
    case St.Anchor:
      return segwitAddress(net.hrp, m.version, s.subarray(m.start, m.end));
    default:
      return undefined;
  }
}

/** `scriptPubKey.addresses` as Core before 22 printed it: multisig lists the P2PKH address of each key. */
export function legacyCoreAddresses(s: Uint8Array, m: ScriptMatch, net: Network = MAINNET): string[] | undefined {
  if (m.type === St.Multisig) {
    const out: string[] = [];
    for (let i = 0; i < m.keys.length; i += 2) out.push(base58Check(net.p2pkh, hash160(s.subarray(m.keys[i]!, m.keys[i + 1]!))));
    return out;
  }
  const a = coreAddress(s, m, net);
  return a === undefined ? undefined : [a];
}

// ---- Graph addresses -------------------------------------------------------------------------------

/**
 * The key an output is interned under: a kind byte and 32 bytes. Address types keep their hash or
 * program (P2PK folds into P2PKH through HASH160 of the key); the rest are keyed by SHA-256 of the script.
 */
export const ADDRESS_KEY_BYTES = 33;
export enum Ak {
  P2pkh = 1,
  P2sh = 2,
  P2wpkh = 3,
  P2wsh = 4,
  P2tr = 5,
  /** Keyed by SHA-256 of the script: witness_unknown, anchor, multisig, nonstandard. */
  WitnessUnknown = 6,
  Anchor = 7,
  Multisig = 8,
  Nonstandard = 9,
}

/** Fill `key` (33 bytes) with the graph address key of a classified script; false for OP_RETURN. */
export function addressKey(s: Uint8Array, m: ScriptMatch, key: Uint8Array): boolean {
  key.fill(0);
  switch (m.type) {
    case St.Nulldata:
      return false;
    case St.Pubkeyhash:
      key[0] = Ak.P2pkh;
      key.set(s.subarray(m.start, m.end), 1);
      return true;
    case St.Pubkey:
      key[0] = Ak.P2pkh;
      key.set(hash160(s.subarray(m.start, m.end)), 1);
      return true;
    case St.Scripthash:
      key[0] = Ak.P2sh;
      key.set(s.subarray(m.start, m.end), 1);
      return true;
    case St.WitnessV0Keyhash:
      key[0] = Ak.P2wpkh;
      key.set(s.subarray(m.start, m.end), 1);
      return true;
    case St.WitnessV0Scripthash:
      key[0] = Ak.P2wsh;
      key.set(s.subarray(m.start, m.end), 1);
      return true;
    case St.WitnessV1Taproot:
      key[0] = Ak.P2tr;
      key.set(s.subarray(m.start, m.end), 1);
      return true;
    default:
      key[0] = m.type === St.WitnessUnknown ? Ak.WitnessUnknown : m.type === St.Anchor ? Ak.Anchor : m.type === St.Multisig ? Ak.Multisig : Ak.Nonstandard;
      key.set(sha256(s), 1);
      return true;
  }
}

/** True when the key can be turned back into its address text without the script. */
export function keyIsSelfDescribing(kind: number): boolean {
  return kind >= Ak.P2pkh && kind <= Ak.P2tr;
}

/** The display text of a graph address; for script-hashed kinds the script is needed (see `graphAddress`). */
export function addressFromKey(key: Uint8Array, net: Network = MAINNET): string {
  const body = key.subarray(1);
  switch (key[0]) {
    case Ak.P2pkh:
      return base58Check(net.p2pkh, body.subarray(0, 20));
    case Ak.P2sh:
      return base58Check(net.p2sh, body.subarray(0, 20));
    case Ak.P2wpkh:
      return segwitAddress(net.hrp, 0, body.subarray(0, 20));
    case Ak.P2wsh:
      return segwitAddress(net.hrp, 0, body);
    case Ak.P2tr:
      return segwitAddress(net.hrp, 1, body);
    default:
      throw new Error(`address kind ${key[0]} needs its script to be named`);
  }
}

/** The graph address text of an output script; undefined for OP_RETURN. */
export function graphAddress(s: Uint8Array, m: ScriptMatch, net: Network = MAINNET): string | undefined {
  switch (m.type) {
    case St.Nulldata:
      return undefined;
    case St.Pubkey:
      return base58Check(net.p2pkh, hash160(s.subarray(m.start, m.end)));
    case St.Multisig: {
      const keys = legacyCoreAddresses(s, m, net)!;
      return `multisig:${m.required}-of-${keys.length}:${keys.join(',')}`;
    }
    case St.Nonstandard:
      return `nonstandard:${toHex(sha256(s), 0, 20)}`;
    default:
      return coreAddress(s, m, net);
  }
}

/**
 * The key of an address typed by a user: base58 and segwit addresses decode to their key; anything else
 * (multisig:..., nonstandard:..., unknown witness versions) is looked up by text.
 */
export function keyOfAddress(address: string, net: Network = MAINNET): Uint8Array | undefined {
  const key = new Uint8Array(ADDRESS_KEY_BYTES);
  const b58 = base58CheckDecode(address);
  if (b58 && b58.payload.length === 20) {
    if (b58.version === net.p2pkh) key[0] = Ak.P2pkh;
    else if (b58.version === net.p2sh) key[0] = Ak.P2sh;
    else return undefined;
    key.set(b58.payload, 1);
    return key;
  }
  const sw = segwitDecode(address);
  if (sw && sw.hrp === net.hrp) {
    if (sw.version === 0 && sw.program.length === 20) key[0] = Ak.P2wpkh;
    else if (sw.version === 0 && sw.program.length === 32) key[0] = Ak.P2wsh;
    else if (sw.version === 1 && sw.program.length === 32) key[0] = Ak.P2tr;
    else {
      const script = new Uint8Array(2 + sw.program.length);
      script[0] = sw.version === 0 ? 0 : OP_1 + sw.version - 1;
      script[1] = sw.program.length;
      script.set(sw.program, 2);
      const isAnchor = sw.version === 1 && sw.program.length === 2 && sw.program[0] === 0x4e && sw.program[1] === 0x73;
      key[0] = isAnchor ? Ak.Anchor : Ak.WitnessUnknown;
      key.set(sha256(script), 1);
    }
    if (key[0] !== Ak.WitnessUnknown && key[0] !== Ak.Anchor) key.set(sw.program, 1);
    return key;
  }
  return undefined;
}

/** Whether a string looks like a Bitcoin address of the network (checksum verified). */
export function isBitcoinAddress(address: string, net: Network = MAINNET): boolean {
  return keyOfAddress(address, net) !== undefined;
}
