/**
 * The real mainnet blocks kept under test/fixtures/crypto/blocks: raw hex and Bitcoin Core's
 * `getblock <hash> 2` JSON of the same block (see test/fixtures/crypto/SOURCES.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtureDir = join(root, 'test', 'fixtures', 'crypto');
export const blocksDir = join(fixtureDir, 'blocks');

export const FIXTURE_BLOCKS = [
  { name: 'genesis', height: 0 },
  { name: '000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506', height: 100000 },
  { name: '0000000000006322f9774ed2ac87a61189f9d16bb13dc1e9dd95516a44e59863', height: 112500 },
  { name: '000000000000000000008c31945b2012258366cc600a3e9a3ee0598e8f797731', height: 549400 },
] as const;

export function readFixtureText(base: string): string {
  const plain = join(blocksDir, base);
  if (existsSync(plain)) return readFileSync(plain, 'utf8');
  return gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
}

export function fixtureHex(name: string): string {
  return readFixtureText(`${name}.hex`).trim();
}

export function fixtureBytes(name: string): Buffer {
  return Buffer.from(fixtureHex(name), 'hex');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixtureJson(name: string): any {
  return JSON.parse(readFixtureText(`${name}.json`));
}
