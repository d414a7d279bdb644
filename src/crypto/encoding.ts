/**
 * Byte-level encodings of Bitcoin: hashes (SHA-256d, HASH160), hex in display order, Base58Check and
 * Bech32/Bech32m (BIP-173, BIP-350). Pure functions over bytes.
 */
import * as nodeCrypto from 'node:crypto';

const { createHash } = nodeCrypto;
/** One-shot hashing (Node 20.12+): no Hash object per call, about twice as fast on small inputs. */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;

export function sha256(data: Uint8Array): Buffer {
  return oneShot ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest();
}

/** SHA-256 applied twice: block and transaction ids, Base58Check checksums. */
export function sha256d(data: Uint8Array): Buffer {
  if (oneShot) return oneShot('sha256', oneShot('sha256', data, 'buffer'), 'buffer');
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}

let scratch = new Uint8Array(1 << 16);

/** SHA-256d over several pieces as if concatenated (a segwit transaction's stripped form). */
export function sha256dParts(parts: readonly Uint8Array[]): Buffer {
  let n = 0;
  for (const p of parts) n += p.length;
  if (n > scratch.length) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  let at = 0;
  for (const p of parts) {
    scratch.set(p, at);
    at += p.length;
  }
  return sha256d(scratch.subarray(0, n));
}

/** RIPEMD-160 of SHA-256: the 20-byte hash behind P2PKH, P2SH and P2WPKH. */
export function hash160(data: Uint8Array): Buffer {
  return createHash('ripemd160').update(createHash('sha256').update(data).digest()).digest();
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start > 16) return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex');
  let s = '';
  for (let i = start; i < end; i++) s += HEX[bytes[i]!];
  return s;
}

/** Hashes are serialized little-endian and displayed byte-reversed (txids, block hashes). */
export function toHexReversed(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start > 16) return Buffer.from(bytes.subarray(start, end)).reverse().toString('hex');
  let s = '';
  for (let i = end - 1; i >= start; i--) s += HEX[bytes[i]!];
  return s;
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

export function isHex(s: string): boolean {
  return HEX_RE.test(s);
}

export function fromHex(hex: string): Buffer {
  if (!isHex(hex)) throw new Error(`not hexadecimal: ${JSON.stringify(hex.length > 40 ? `${hex.slice(0, 40)}...` : hex)}`);
  return Buffer.from(hex, 'hex');
}

/** Display-order hex (as Core prints txids) to the serialized byte order. */
export function fromHexReversed(hex: string): Buffer {
  return fromHex(hex).reverse();
}

// ---- Base58Check ---------------------------------------------------------------------------------

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < B58.length; i++) B58_INDEX[B58.charCodeAt(i)] = i;

/** 58^5: five Base58 digits per limb, so the long division runs over 5× fewer digits. */
const B58_LIMB = 656_356_768;

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // The number in limbs of base 58^5, little-endian, by multiply-and-add over the input bytes.
  const limbs: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]!;
    for (let j = 0; j < limbs.length; j++) {
      const x = limbs[j]! * 256 + carry;
      carry = Math.floor(x / B58_LIMB);
      limbs[j] = x - carry * B58_LIMB;
    }
    while (carry > 0) {
      limbs.push(carry % B58_LIMB);
      carry = Math.floor(carry / B58_LIMB);
    }
  }
  let s = '';
  for (let j = 0; j < limbs.length; j++) {
    let limb = limbs[j]!;
    const top = j === limbs.length - 1;
    for (let k = 0; k < 5 && (!top || limb > 0); k++) {
      s = B58[limb % 58]! + s;
      limb = Math.floor(limb / 58);
    }
  }
  return '1'.repeat(zeros) + s;
}

export function base58Decode(s: string): Uint8Array | undefined {
  let zeros = 0;
  while (zeros < s.length && s[zeros] === '1') zeros++;
  const bytes: number[] = [];
  for (let i = zeros; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const v = code < 128 ? B58_INDEX[code]! : -1;
    if (v < 0) return undefined;
    let carry = v;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[out.length - 1 - i] = bytes[i]!;
  return out;
}

/** Version byte + payload + 4-byte SHA-256d checksum, in Base58. */
export function base58Check(version: number, payload: Uint8Array): string {
  const buf = new Uint8Array(1 + payload.length + 4);
  buf[0] = version;
  buf.set(payload, 1);
  const sum = sha256d(buf.subarray(0, 1 + payload.length));
  buf.set(sum.subarray(0, 4), 1 + payload.length);
  return base58Encode(buf);
}

export function base58CheckDecode(s: string): { version: number; payload: Uint8Array } | undefined {
  const raw = base58Decode(s);
  if (!raw || raw.length < 5) return undefined;
  const body = raw.subarray(0, raw.length - 4);
  const sum = sha256d(body);
  for (let i = 0; i < 4; i++) if (sum[i] !== raw[raw.length - 4 + i]) return undefined;
  return { version: body[0]!, payload: body.slice(1) };
}

// ---- Bech32 / Bech32m ------------------------------------------------------------------------------

const B32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const B32_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < B32.length; i++) B32_INDEX[B32.charCodeAt(i)] = i;
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: ArrayLike<number>, chk = 1): number {
  for (let i = 0; i < values.length; i++) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ values[i]!;
    for (let j = 0; j < 5; j++) if ((top >>> j) & 1) chk ^= GEN[j]!;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v >> from !== 0) return undefined;
    acc = (acc << from) | v;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) {
    return undefined;
  }
  return out;
}

function polymodStep(chk: number, v: number): number {
  const top = chk >>> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ v;
  if (top & 1) chk ^= 0x3b6a57b2;
  if (top & 2) chk ^= 0x26508e6d;
  if (top & 4) chk ^= 0x1ea119fa;
  if (top & 8) chk ^= 0x3d4233dd;
  if (top & 16) chk ^= 0x2a1462b3;
  return chk;
}

const hrpStates = new Map<string, number>();

/** Segwit address of a witness program: Bech32 for version 0, Bech32m for 1..16 (BIP-350). */
export function segwitAddress(hrp: string, version: number, program: Uint8Array): string {
  let chk = hrpStates.get(hrp);
  if (chk === undefined) {
    chk = polymod(hrpExpand(hrp));
    hrpStates.set(hrp, chk);
  }
  let s = `${hrp}1${B32[version]}`;
  chk = polymodStep(chk, version);
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < program.length; i++) {
    acc = ((acc << 8) | program[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      const v = (acc >> bits) & 31;
      chk = polymodStep(chk, v);
      s += B32[v];
    }
  }
  if (bits > 0) {
    const v = (acc << (5 - bits)) & 31;
    chk = polymodStep(chk, v);
    s += B32[v];
  }
  for (let i = 0; i < 6; i++) chk = polymodStep(chk, 0);
  const mod = chk ^ (version === 0 ? BECH32_CONST : BECH32M_CONST);
  for (let i = 0; i < 6; i++) s += B32[(mod >>> (5 * (5 - i))) & 31];
  return s;
}

/** Decode a segwit address (any case, not mixed); undefined when the checksum or program rules fail. */
export function segwitDecode(address: string): { hrp: string; version: number; program: Uint8Array } | undefined {
  if (address.length > 90) return undefined;
  const lower = address.toLowerCase();
  if (lower !== address && address.toUpperCase() !== address) return undefined;
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return undefined;
  const hrp = lower.slice(0, sep);
  const data: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const v = c < 128 ? B32_INDEX[c]! : -1;
    if (v < 0) return undefined;
    data.push(v);
  }
  const check = polymod([...hrpExpand(hrp), ...data]);
  const version = data[0]!;
  if (check !== (version === 0 ? BECH32_CONST : BECH32M_CONST)) return undefined;
  if (version > 16) return undefined;
  const program = convertBits(data.slice(1, data.length - 6), 5, 8, false);
  if (!program || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
  return { hrp, version, program: Uint8Array.from(program) };
}
