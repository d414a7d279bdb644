/**
 * An agency's own watchlist, as CSV or JSON.
 *
 * CSV: a header with `name` and any of `id`, `schema` (Person, Organization, Company, Vessel, ...),
 * `aliases` and `weak_aliases` (separated by `;` or `|`), `dob`, `pob`, `nationality` (or `country`),
 * `id_number`, `address`, `crypto` (`ASSET:address` or a bare address, several separated by `;`),
 * `program`, `remarks`.
 *
 * JSON: an array of entries (or `{ "list": "...", "entities": [...] }`) with `name` and optionally `id`,
 * `schema`, `aliases` (strings or `{name, strength}`), `birthDates`, `birthPlaces`, `nationalities`, `ids`
 * (`{type, number, country}`), `addresses` (strings or `{full, city, country}`), `cryptoAddresses`
 * (`{asset, address}`), `programs`, `remarks`.
 */
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { parseBirthDates } from '../dates.js';
import { addUnique, emptyEntity, ENTITY_SCHEMAS, type EntitySchema, type LoadedList, type WatchlistEntity } from '../model.js';
import { parseCsvText, readListFile } from './csv-file.js';

/** Entries in one custom list. */
export const MAX_CUSTOM_ENTRIES = 1_000_000;

function schemaOf(text: string | undefined): EntitySchema {
  const t = (text ?? '').trim().toLowerCase();
  const found = ENTITY_SCHEMAS.find((s) => s.toLowerCase() === t);
  if (found) return found;
  if (t === 'individual') return 'Person';
  if (t === 'entity' || t === 'organisation') return 'Organization';
  if (t === 'aircraft') return 'Airplane';
  return t ? 'Organization' : 'Person';
}

const split = (s: string | undefined) => (s ?? '').split(/[;|]/).map((x) => x.trim()).filter(Boolean);

function crypto(e: WatchlistEntity, text: string): void {
  const m = /^([A-Za-z0-9]{2,10}):(\S+)$/.exec(text);
  const asset = m ? m[1]!.toUpperCase() : 'UNKNOWN';
  const address = m ? m[2]! : text;
  addUnique(e.cryptoAddresses, { asset, address }, (a, b) => a.address === b.address);
}

const JsonEntry = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  name: z.string().min(1).max(1000),
  schema: z.string().max(40).optional(),
  aliases: z.array(z.union([z.string().min(1), z.object({ name: z.string().min(1), strength: z.enum(['strong', 'weak']).optional() })])).max(1000).optional(),
  birthDates: z.array(z.string()).max(100).optional(),
  birthPlaces: z.array(z.string()).max(100).optional(),
  nationalities: z.array(z.string()).max(100).optional(),
  ids: z.array(z.object({ type: z.string().default('id'), number: z.string().min(1), country: z.string().optional() })).max(200).optional(),
  addresses: z.array(z.union([z.string(), z.object({ full: z.string(), city: z.string().optional(), country: z.string().optional() })])).max(500).optional(),
  cryptoAddresses: z.array(z.object({ asset: z.string().default('UNKNOWN'), address: z.string().min(10) })).max(5000).optional(),
  programs: z.array(z.string()).max(100).optional(),
  remarks: z.string().max(20000).optional(),
});
const JsonList = z.union([z.array(z.unknown()), z.object({ list: z.string().optional(), entities: z.array(z.unknown()) })]);

export function customListName(path: string): string {
  return basename(path, extname(path)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-') || 'custom';
}

export async function loadCustomList(path: string, list = customListName(path)): Promise<LoadedList> {
  const text = await readListFile(path);
  const problems: LoadedList['problems'] = [];
  const entities: WatchlistEntity[] = [];
  const seen = new Set<string>();
  const keep = (e: WatchlistEntity, line: number) => {
    if (seen.has(e.key)) {
      problems.push({ file: path, line, reason: `duplicate id ${e.sourceId}` });
      return;
    }
    if (entities.length >= MAX_CUSTOM_ENTRIES) throw new Error(`${path}: more than ${MAX_CUSTOM_ENTRIES} entries`);
    seen.add(e.key);
    entities.push(e);
  };
  if (extname(path).toLowerCase() === '.json') {
    let parsed: z.infer<typeof JsonList>;
    try {
      parsed = JsonList.parse(JSON.parse(text));
    } catch (err) {
      throw new Error(`${path}: not a watchlist JSON (${(err as Error).message.slice(0, 200)})`);
    }
    const items = Array.isArray(parsed) ? parsed : parsed.entities;
    if (!Array.isArray(parsed) && parsed.list) list = parsed.list;
    items.forEach((raw, i) => {
      const r = JsonEntry.safeParse(raw);
      if (!r.success) {
        problems.push({ file: path, line: i + 1, reason: `entry ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}` });
        return;
      }
      const o = r.data;
      const e = emptyEntity(list, String(o.id ?? i + 1), schemaOf(o.schema), o.name);
      for (const a of o.aliases ?? []) {
        const alias = typeof a === 'string' ? { name: a, strength: 'strong' as const } : { name: a.name, strength: a.strength ?? ('strong' as const) };
        addUnique(e.names, { ...alias, type: 'aka' }, (x, y) => x.name === y.name);
      }
      for (const d of o.birthDates ?? []) for (const x of parseBirthDates(d)) addUnique(e.birthDates, x);
      for (const p of o.birthPlaces ?? []) addUnique(e.birthPlaces, p);
      for (const n of o.nationalities ?? []) addUnique(e.nationalities, n);
      for (const id of o.ids ?? []) e.ids.push(id.country ? { type: id.type, number: id.number, country: id.country } : { type: id.type, number: id.number });
      for (const a of o.addresses ?? []) e.addresses.push(typeof a === 'string' ? { full: a } : a);
      for (const c of o.cryptoAddresses ?? []) addUnique(e.cryptoAddresses, c, (x, y) => x.address === y.address);
      for (const p of o.programs ?? []) addUnique(e.programs, p);
      if (o.remarks) e.remarks = o.remarks;
      keep(e, i + 1);
    });
    return { list, files: [path], entities, problems };
  }
  const local: Array<{ line: number; reason: string }> = [];
  const records = parseCsvText(text, local);
  for (const p of local) problems.push({ file: path, ...p });
  const header = records[0]?.fields.map((f) => f.trim().toLowerCase().replace(/[\s-]+/g, '_')) ?? [];
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const at = {
    id: col('id', 'ref', 'reference'),
    name: col('name', 'full_name'),
    schema: col('schema', 'type', 'entity_type'),
    aliases: col('aliases', 'aka', 'alias'),
    weak: col('weak_aliases', 'weak_aka'),
    dob: col('dob', 'birth_date', 'date_of_birth'),
    pob: col('pob', 'birth_place', 'place_of_birth'),
    nationality: col('nationality', 'nationalities', 'country', 'citizenship'),
    idNumber: col('id_number', 'id_numbers', 'passport', 'document'),
    address: col('address', 'addresses'),
    crypto: col('crypto', 'crypto_address', 'wallet', 'wallets'),
    program: col('program', 'programs', 'programme', 'list'),
    remarks: col('remarks', 'notes', 'comment'),
  };
  if (at.name < 0) throw new Error(`${path}: a custom CSV list needs a header with a "name" column`);
  for (const r of records.slice(1)) {
    const f = (i: number) => (i >= 0 ? r.fields[i]?.trim() || undefined : undefined);
    const name = f(at.name);
    if (!name) {
      problems.push({ file: path, line: r.line, reason: 'row without a name' });
      continue;
    }
    const e = emptyEntity(list, f(at.id) ?? `line-${r.line}`, schemaOf(f(at.schema)), name);
    for (const a of split(f(at.aliases))) addUnique(e.names, { name: a, strength: 'strong', type: 'aka' }, (x, y) => x.name === y.name);
    for (const a of split(f(at.weak))) addUnique(e.names, { name: a, strength: 'weak', type: 'aka' }, (x, y) => x.name === y.name);
    for (const d of split(f(at.dob))) for (const x of parseBirthDates(d)) addUnique(e.birthDates, x);
    for (const p of split(f(at.pob))) addUnique(e.birthPlaces, p);
    for (const n of split(f(at.nationality))) addUnique(e.nationalities, n);
    for (const n of split(f(at.idNumber))) e.ids.push({ type: 'id', number: n });
    for (const a of split(f(at.address))) e.addresses.push({ full: a });
    for (const c of split(f(at.crypto))) crypto(e, c);
    for (const p of split(f(at.program))) addUnique(e.programs, p);
    const remarks = f(at.remarks);
    if (remarks) e.remarks = remarks;
    keep(e, r.line);
  }
  return { list, files: [path], entities, problems };
}
