/**
 * Lists from paths: a file of a known layout, or a folder searched (two levels deep) for them.
 * Recognised: OFAC legacy CSV (`sdn.csv` with `add.csv`, `alt.csv`, `sdn_comments.csv` beside it), UN
 * consolidated XML, OFAC digital-currency address lists (`sanctioned_addresses_<ASSET>.json|txt|csv`), and
 * custom CSV/JSON watchlists. Files of one list (the per-asset crypto files) are merged into one list.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { readHead, rootElement } from '../../ingest/index.js';
import type { LoadedList } from '../model.js';
import { isCryptoAddressList, loadCryptoAddressList } from './crypto-list.js';
import { loadCustomList } from './custom.js';
import { isOfacSdnCsv, loadOfacSdnCsv } from './ofac-csv.js';
import { isUnConsolidatedXml, loadUnXml } from './un-xml.js';

export { loadOfacSdnCsv, OFAC_SDN_LIST } from './ofac-csv.js';
export { loadUnXml, UN_LIST } from './un-xml.js';
export { loadCryptoAddressList, OFAC_CRYPTO_LIST } from './crypto-list.js';
export { loadCustomList } from './custom.js';
export { applyOfacRemarks } from './ofac-remarks.js';

/** Files looked at in one folder tree. */
const MAX_FILES = 10_000;
const OFAC_COMPANIONS = new Set(['add.csv', 'alt.csv', 'sdn_comments.csv', 'cons_add.csv', 'cons_alt.csv', 'cons_comments.csv']);

export class ListError extends Error {}

async function filesUnder(dir: string, depth: number, out: string[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (out.length >= MAX_FILES) throw new ListError(`${dir}: more than ${MAX_FILES} files`);
    const p = join(dir, e.name);
    if (e.isDirectory() && depth > 0 && !e.name.startsWith('.')) await filesUnder(p, depth - 1, out);
    else if (e.isFile()) out.push(p);
  }
}

type Kind = 'ofac-sdn' | 'un' | 'crypto' | 'custom' | 'companion' | 'unsupported-xml' | 'other';

async function kindOf(path: string): Promise<Kind> {
  const name = basename(path).toLowerCase();
  if (isCryptoAddressList(path)) return 'crypto';
  if (OFAC_COMPANIONS.has(name)) return 'companion';
  const ext = extname(name);
  if (ext === '.csv' || ext === '.xml') {
    const head = await readHead(path, 16 * 1024);
    if (ext === '.xml') return isUnConsolidatedXml(rootElement(head)) ? 'un' : 'unsupported-xml';
    if (isOfacSdnCsv(path, head)) return 'ofac-sdn';
    return 'custom';
  }
  if (ext === '.json') return 'custom';
  return 'other';
}

async function loadOne(path: string, kind: Kind): Promise<LoadedList> {
  switch (kind) {
    case 'ofac-sdn':
      return loadOfacSdnCsv(path);
    case 'un':
      return loadUnXml(path);
    case 'crypto':
      return loadCryptoAddressList(path);
    default:
      return loadCustomList(path);
  }
}

/** Merge lists that share a name (one per asset file → one crypto list). */
function merge(lists: LoadedList[]): LoadedList[] {
  const byName = new Map<string, LoadedList>();
  for (const l of lists) {
    const prev = byName.get(l.list);
    if (!prev) {
      byName.set(l.list, { ...l, files: [...l.files], entities: [...l.entities], problems: [...l.problems] });
      continue;
    }
    const keys = new Set(prev.entities.map((e) => e.key));
    for (const e of l.entities) if (!keys.has(e.key)) prev.entities.push(e);
    prev.files.push(...l.files);
    prev.problems.push(...l.problems);
    prev.version ??= l.version;
  }
  return [...byName.values()];
}

/**
 * Read every list found at the paths. A file given by name must be a list (else ListError); inside a folder,
 * files of no known layout (README, licences) are passed over.
 */
export async function loadLists(paths: readonly string[]): Promise<LoadedList[]> {
  const loaded: LoadedList[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new ListError(`${path}: no such file or folder`);
    }
    if (info.isDirectory()) {
      const files: string[] = [];
      await filesUnder(path, 2, files);
      for (const f of files) {
        const kind = await kindOf(f);
        if (kind === 'companion' || kind === 'other' || kind === 'unsupported-xml') continue;
        if (kind === 'custom' && !/\.(csv|json)$/i.test(f)) continue;
        try {
          loaded.push(await loadOne(f, kind));
        } catch (err) {
          // Inside a folder a CSV/JSON that is not a watchlist is someone else's file.
          if (kind === 'custom') continue;
          throw new ListError((err as Error).message);
        }
      }
    } else {
      const kind = await kindOf(path);
      if (kind === 'companion') throw new ListError(`${path}: an OFAC companion file; give sdn.csv (or its folder) instead`);
      if (kind === 'unsupported-xml') throw new ListError(`${path}: XML of an unsupported layout (supported: UN consolidated list)`);
      if (kind === 'other') throw new ListError(`${path}: not a list of a known layout (OFAC sdn.csv, UN XML, sanctioned_addresses_*.json, custom .csv/.json)`);
      try {
        loaded.push(await loadOne(path, kind));
      } catch (err) {
        throw new ListError((err as Error).message);
      }
    }
  }
  return merge(loaded);
}
