/**
 * UN Security Council consolidated list, XML (`CONSOLIDATED_LIST` with `INDIVIDUALS/INDIVIDUAL` and
 * `ENTITIES/ENTITY`), read with the project's safe streaming parser (no DTD, no entities).
 * Alias quality "Good" and "a.k.a." are strong aliases, "Low" weak; the name in original script is a
 * strong alias of its own.
 */
import { childrenNamed, streamXml, textAt, type XmlNode } from '../../ingest/index.js';
import { parseBirthDates, yearsBetween } from '../dates.js';
import { addUnique, emptyEntity, type LoadedList, type WatchlistEntity } from '../model.js';

export const UN_LIST = 'un';

const text = (n: XmlNode | undefined, name: string): string | undefined => {
  const t = textAt(n, name)?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
};

function aliases(e: WatchlistEntity, node: XmlNode, tag: string): void {
  for (const a of childrenNamed(node, tag)) {
    const name = text(a, 'ALIAS_NAME');
    if (!name) continue;
    const quality = (text(a, 'QUALITY') ?? '').toLowerCase();
    const strength = quality === 'low' ? 'weak' : 'strong';
    const type = quality === 'f.k.a.' ? 'fka' : 'aka';
    addUnique(e.names, { name, strength, type }, (x, y) => x.name === y.name);
  }
}

function addresses(e: WatchlistEntity, node: XmlNode, tag: string): void {
  for (const a of childrenNamed(node, tag)) {
    const street = text(a, 'STREET');
    const city = text(a, 'CITY');
    const state = text(a, 'STATE_PROVINCE');
    const country = text(a, 'COUNTRY');
    const full = [street, city, state, text(a, 'ZIP_CODE'), country].filter(Boolean).join(', ');
    if (!full) continue;
    addUnique(e.addresses, { full, ...(city ? { city } : {}), ...(country ? { country } : {}) }, (x, y) => x.full === y.full);
  }
}

function common(e: WatchlistEntity, node: XmlNode): void {
  const program = text(node, 'UN_LIST_TYPE');
  if (program) e.programs.push(program);
  const listed = text(node, 'LISTED_ON');
  if (listed) e.listedOn = listed;
  const comments = text(node, 'COMMENTS1');
  if (comments) e.remarks = comments;
}

function individual(node: XmlNode, list: string): WatchlistEntity | undefined {
  const ref = text(node, 'REFERENCE_NUMBER') ?? text(node, 'DATAID');
  const parts = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((t) => text(node, t)).filter(Boolean);
  if (!ref || parts.length === 0) return undefined;
  const e = emptyEntity(list, ref, 'Person', parts.join(' '));
  common(e, node);
  const original = text(node, 'NAME_ORIGINAL_SCRIPT');
  if (original) addUnique(e.names, { name: original, strength: 'strong', type: 'original-script' }, (x, y) => x.name === y.name);
  aliases(e, node, 'INDIVIDUAL_ALIAS');
  const gender = text(node, 'GENDER');
  if (gender) e.gender = gender;
  for (const n of childrenNamed(node, 'NATIONALITY')) {
    for (const v of childrenNamed(n, 'VALUE')) addUnique(e.nationalities, v.text.trim() || undefined);
  }
  for (const d of childrenNamed(node, 'INDIVIDUAL_DATE_OF_BIRTH')) {
    const type = (text(d, 'TYPE_OF_DATE') ?? 'EXACT').toUpperCase();
    const date = text(d, 'DATE');
    const year = text(d, 'YEAR');
    let dates: string[] = [];
    if (type === 'BETWEEN') dates = yearsBetween(Number(text(d, 'FROM_YEAR')), Number(text(d, 'TO_YEAR')));
    else if (date) dates = parseBirthDates(date);
    else if (year) dates = parseBirthDates(year);
    if (type === 'APPROXIMATELY') dates = dates.map((x) => (x.startsWith('~') ? x : `~${x.slice(0, 4)}`));
    for (const x of dates) addUnique(e.birthDates, x);
  }
  for (const p of childrenNamed(node, 'INDIVIDUAL_PLACE_OF_BIRTH')) {
    const place = [text(p, 'CITY'), text(p, 'STATE_PROVINCE'), text(p, 'COUNTRY')].filter(Boolean).join(', ');
    addUnique(e.birthPlaces, place || undefined);
  }
  for (const d of childrenNamed(node, 'INDIVIDUAL_DOCUMENT')) {
    const number = text(d, 'NUMBER');
    if (!number) continue;
    const type = text(d, 'TYPE_OF_DOCUMENT') ?? 'Document';
    const country = text(d, 'ISSUING_COUNTRY') ?? text(d, 'COUNTRY_OF_ISSUE');
    addUnique(e.ids, { type, number, ...(country ? { country } : {}) }, (x, y) => x.type === y.type && x.number === y.number);
  }
  addresses(e, node, 'INDIVIDUAL_ADDRESS');
  return e;
}

function entity(node: XmlNode, list: string): WatchlistEntity | undefined {
  const ref = text(node, 'REFERENCE_NUMBER') ?? text(node, 'DATAID');
  const name = text(node, 'FIRST_NAME');
  if (!ref || !name) return undefined;
  const e = emptyEntity(list, ref, 'Organization', name);
  common(e, node);
  const original = text(node, 'NAME_ORIGINAL_SCRIPT');
  if (original) addUnique(e.names, { name: original, strength: 'strong', type: 'original-script' }, (x, y) => x.name === y.name);
  aliases(e, node, 'ENTITY_ALIAS');
  addresses(e, node, 'ENTITY_ADDRESS');
  return e;
}

export function isUnConsolidatedXml(root: string | undefined): boolean {
  return root === 'CONSOLIDATED_LIST';
}

export async function loadUnXml(path: string, list = UN_LIST): Promise<LoadedList> {
  const entities: WatchlistEntity[] = [];
  const problems: LoadedList['problems'] = [];
  let version: string | undefined;
  await streamXml(path, {
    isRecord: (p) => p.length === 3 && ((p[1] === 'INDIVIDUALS' && p[2] === 'INDIVIDUAL') || (p[1] === 'ENTITIES' && p[2] === 'ENTITY')),
    open: (name, attrs, p) => {
      if (p.length === 1 && name === 'CONSOLIDATED_LIST') version = attrs.dateGenerated;
    },
    record: (node) => {
      const e = node.name === 'INDIVIDUAL' ? individual(node, list) : entity(node, list);
      if (e) entities.push(e);
      else problems.push({ file: path, line: node.line, reason: `${node.name} without reference number or name` });
    },
    recordError: (line, reason) => problems.push({ file: path, line, reason }),
  });
  return { list, version, files: [path], entities, problems };
}
