/**
 * OFAC digital-currency address lists as extracted per asset (`sanctioned_addresses_XBT.json`: a JSON array
 * of addresses), and the same as text (one per line) or CSV (`address[,asset]`). Each address is an entry
 * of schema CryptoWallet; when a loaded SDN entry lists the same address, screening reports that entry too.
 */
import { basename } from 'node:path';
import { normalizeCryptoAddress } from '../crypto.js';
import { emptyEntity, type LoadedList, type WatchlistEntity } from '../model.js';
import { parseCsvText, readListFile } from './csv-file.js';

export const OFAC_CRYPTO_LIST = 'ofac-crypto';

const FILE_NAME = /^sanctioned_addresses_([A-Za-z0-9]+)\.(json|txt|csv)$/i;

export function isCryptoAddressList(path: string): boolean {
  return FILE_NAME.test(basename(path));
}

function wallet(list: string, asset: string, address: string): WatchlistEntity {
  const a = normalizeCryptoAddress(address);
  const e = emptyEntity(list, `${asset}:${a}`, 'CryptoWallet', address);
  e.cryptoAddresses.push({ asset, address });
  e.programs.push('SDN');
  return e;
}

export async function loadCryptoAddressList(path: string, list = OFAC_CRYPTO_LIST): Promise<LoadedList> {
  const m = FILE_NAME.exec(basename(path));
  const fileAsset = m?.[1]?.toUpperCase() ?? 'UNKNOWN';
  const text = await readListFile(path);
  const problems: LoadedList['problems'] = [];
  const entities: WatchlistEntity[] = [];
  const seen = new Set<string>();
  const push = (asset: string, address: string, line: number) => {
    const a = address.trim();
    if (a.length < 10 || a.length > 200 || /\s/.test(a)) {
      problems.push({ file: path, line, reason: `not an address: ${JSON.stringify(a.slice(0, 60))}` });
      return;
    }
    const e = wallet(list, asset, a);
    if (seen.has(e.key)) return;
    seen.add(e.key);
    entities.push(e);
  };
  const ext = (m?.[2] ?? basename(path).split('.').pop() ?? '').toLowerCase();
  if (ext === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new Error(`${path}: not JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array of addresses`);
    data.forEach((item, i) => {
      if (typeof item === 'string') push(fileAsset, item, i + 2);
      else if (item && typeof item === 'object' && typeof (item as { address?: unknown }).address === 'string') {
        const o = item as { address: string; asset?: unknown };
        push(typeof o.asset === 'string' ? o.asset.toUpperCase() : fileAsset, o.address, i + 2);
      } else problems.push({ file: path, line: i + 2, reason: 'array item is neither an address nor {address}' });
    });
  } else {
    const local: Array<{ line: number; reason: string }> = [];
    const records = parseCsvText(text, local);
    for (const p of local) problems.push({ file: path, ...p });
    const header = records[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
    const hasHeader = header.includes('address');
    const addressAt = hasHeader ? header.indexOf('address') : 0;
    const assetAt = hasHeader ? header.indexOf('asset') : 1;
    for (const r of hasHeader ? records.slice(1) : records) {
      const address = r.fields[addressAt];
      if (!address) continue;
      const asset = (assetAt >= 0 ? r.fields[assetAt] : undefined)?.trim().toUpperCase() || fileAsset;
      push(asset, address, r.line);
    }
  }
  return { list, files: [path], entities, problems };
}
