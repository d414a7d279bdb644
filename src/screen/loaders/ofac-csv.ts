/**
 * OFAC SDN list, legacy CSV layout: `sdn.csv` (ent_num, name, type, programs, title, call sign, vessel type,
 * tonnage, GRT, vessel flag, vessel owner, remarks), `add.csv` (ent_num, add_num, address, city/state/postal,
 * country, remarks), `alt.csv` (ent_num, alt_num, type aka/fka/nka, name, remarks) and, when present,
 * `sdn_comments.csv` (ent_num, remarks continued). `-0-` is OFAC's empty value.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { addUnique, emptyEntity, type EntitySchema, type LoadedList, type WatchlistEntity } from '../model.js';
import { applyOfacRemarks } from './ofac-remarks.js';
import { readCsvRecords } from './csv-file.js';

export const OFAC_SDN_LIST = 'ofac-sdn';

function value(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const v = field.trim();
  return v === '' || v === '-0-' ? undefined : v;
}

function schemaOf(type: string | undefined): EntitySchema {
  switch ((type ?? '').toLowerCase()) {
    case 'individual':
      return 'Person';
    case 'vessel':
      return 'Vessel';
    case 'aircraft':
      return 'Airplane';
    default:
      return 'Organization';
  }
}

/** Whether a file is the primary file of an OFAC legacy CSV set (by name and first record shape). */
export function isOfacSdnCsv(path: string, head: string): boolean {
  const name = basename(path).toLowerCase();
  if (name !== 'sdn.csv' && name !== 'cons_prim.csv') return false;
  return /^\d+,"[^"]*",/.test(head.trimStart());
}

/** Read `sdn.csv` and its companions from the same folder. */
export async function loadOfacSdnCsv(sdnPath: string, list = OFAC_SDN_LIST): Promise<LoadedList> {
  const problems: LoadedList['problems'] = [];
  const files = [sdnPath];
  const byId = new Map<string, WatchlistEntity>();
  const entities: WatchlistEntity[] = [];
  const remarks = new Map<string, string>();
  for (const r of await readCsvRecords(sdnPath, problems)) {
    const f = r.fields;
    const id = value(f[0]);
    const name = value(f[1]);
    if (!id || !/^\d+$/.test(id) || !name) {
      problems.push({ file: sdnPath, line: r.line, reason: 'record without entity number or name' });
      continue;
    }
    const e = emptyEntity(list, id, schemaOf(value(f[2])), name);
    const programs = value(f[3]);
    if (programs) for (const p of programs.replace(/^\[|\]$/g, '').split(/\]\s*\[/)) addUnique(e.programs, p.trim());
    const title = value(f[4]);
    if (title) e.remarks = title;
    const callSign = value(f[5]);
    if (callSign) e.ids.push({ type: 'Call Sign', number: callSign });
    const flag = value(f[9]);
    if (flag) addUnique(e.nationalities, flag);
    const owner = value(f[10]);
    if (owner) e.remarks = [e.remarks, `owner ${owner}`].filter(Boolean).join('; ');
    const rem = value(f[11]);
    if (rem) remarks.set(id, rem);
    byId.set(id, e);
    entities.push(e);
  }
  const dir = dirname(sdnPath);
  const companion = (name: string) => [name, name.toUpperCase()].map((n) => join(dir, n)).find((p) => existsSync(p));

  const comments = companion('sdn_comments.csv');
  if (comments) {
    files.push(comments);
    for (const r of await readCsvRecords(comments, problems)) {
      const id = value(r.fields[0]);
      const more = value(r.fields[1]);
      if (id && more && byId.has(id)) remarks.set(id, `${remarks.get(id) ?? ''}${more}`);
    }
  }
  for (const [id, text] of remarks) {
    const e = byId.get(id)!;
    const title = e.remarks;
    applyOfacRemarks(e, text);
    if (title) e.remarks = `${title}; ${text}`;
  }

  const alt = companion('alt.csv');
  if (alt) {
    files.push(alt);
    for (const r of await readCsvRecords(alt, problems)) {
      const e = byId.get(value(r.fields[0]) ?? '');
      const name = value(r.fields[3]);
      if (!e || !name) {
        problems.push({ file: alt, line: r.line, reason: 'alias of an unknown entity or without a name' });
        continue;
      }
      const type = (value(r.fields[2]) ?? 'aka').toLowerCase().replace(/\./g, '');
      // Legacy files mark weak aliases only in remarks; an alias row whose remark says so is weak too.
      const weak = /weak/i.test(value(r.fields[4]) ?? '');
      addUnique(e.names, { name, strength: weak ? 'weak' : 'strong', type }, (a, b) => a.name === b.name);
    }
  }

  const add = companion('add.csv');
  if (add) {
    files.push(add);
    for (const r of await readCsvRecords(add, problems)) {
      const e = byId.get(value(r.fields[0]) ?? '');
      if (!e) {
        problems.push({ file: add, line: r.line, reason: 'address of an unknown entity' });
        continue;
      }
      const street = value(r.fields[2]);
      const city = value(r.fields[3]);
      const country = value(r.fields[4]);
      const full = [street, city, country].filter(Boolean).join(', ');
      if (!full) continue;
      const address = { full, ...(city ? { city } : {}), ...(country ? { country } : {}) };
      addUnique(e.addresses, address, (a, b) => a.full === b.full);
    }
  }
  return { list, files, entities, problems };
}
