/**
 * Bech32 (BIP-173) encoding of segwit v0 key-hash addresses (`bc1q...`), so that generated addresses look
 * and validate like real Bitcoin P2WPKH addresses. The 20-byte programs are hashes of the seed, not keys:
 * nobody holds the coins.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

/** 8-bit bytes → 5-bit groups, padded. */
function toWords(bytes: Uint8Array): number[] {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  return words;
}

/** The mainnet segwit v0 address of a 20-byte program. */
export function p2wpkhAddress(program: Uint8Array): string {
  if (program.length !== 20) throw new Error('a key-hash program is 20 bytes');
  const hrp = 'bc';
  const data = [0, ...toWords(program)];
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  for (let i = 0; i < 6; i++) data.push((mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${data.map((d) => CHARSET[d]).join('')}`;
}

/** True when `address` is a well-formed bech32 segwit v0 key-hash address (checksum included). */
export function isP2wpkhAddress(address: string): boolean {
  if (!/^bc1q[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{38}$/.test(address)) return false;
  const data = [...address.slice(3)].map((c) => CHARSET.indexOf(c));
  return polymod([...hrpExpand('bc'), ...data]) === 1;
}
