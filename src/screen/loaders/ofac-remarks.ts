/**
 * The remarks column of OFAC's legacy SDN CSV: a `; `-separated list of facts, each in a fixed phrasing
 * ("DOB 25 Dec 1954", "POB Culiacan, Sinaloa, Mexico", "nationality Mexico", "a.k.a. 'EL CHAPO'",
 * "Passport G12345 (Mexico) issued ...", "Digital Currency Address - XBT 12Qt..."). Each fact goes to its
 * field; the text is kept whole as the remarks.
 */
import { parseBirthDates } from '../dates.js';
import { addUnique, type WatchlistEntity } from '../model.js';

/** Facts that are not identifiers although their phrasing ("<words> <value>") looks like one. */
const NOT_AN_ID = [
  /^linked to:/i,
  /^additional sanctions information/i,
  /^secondary sanctions risk/i,
  /^transactions prohibited/i,
  /^website /i,
  /^email address /i,
  /^executive order /i,
  /^organization (established date|type)/i,
  /^aircraft (model|manufacture|operator|construction|manufacturer)/i,
  /^former vessel flag/i,
  /^vessel (year of build|type|flag)/i,
  /^(telephone|phone number|fax) /i,
  /^caatsa/i,
  /^listing date/i,
  /^target type/i,
  /^effective date/i,
  /^ifca determination/i,
  /^eo13846 information/i,
  /^(title|position|registered charity|medical license)/i,
];

/** `TYPE NUMBER (COUNTRY) issued ... expires ...`, the number being the first word with a digit. */
function parseId(fact: string): { type: string; number: string; country?: string } | undefined {
  const country = /\(([^)]*)\)/.exec(fact)?.[1]?.trim();
  const body = fact.replace(/\s*\([^)]*\).*$/, '').replace(/\s+(issued|expires)\b.*$/i, '').trim();
  const words = body.split(/\s+/);
  const at = words.findIndex((w, i) => i > 0 && /\d/.test(w));
  if (at <= 0) return undefined;
  const type = words.slice(0, at).join(' ');
  const number = words.slice(at).join(' ').replace(/\.$/, '');
  if (!number || type.length > 80) return undefined;
  return country ? { type, number, country } : { type, number };
}

/** Apply the facts of one remarks text to the entity. */
export function applyOfacRemarks(entity: WatchlistEntity, remarks: string): void {
  entity.remarks = remarks;
  const facts = remarks.replace(/\.\s*$/, '').split(/;\s+/);
  for (const raw of facts) {
    const fact = raw.trim().replace(/^alt\.\s+/i, '');
    if (!fact) continue;
    const aka = /^([afn])\.k\.a\.,?\s+'(.+)'\.?$/i.exec(fact);
    if (aka) {
      const type = `${aka[1]!.toLowerCase()}ka`;
      addUnique(entity.names, { name: aka[2]!.trim(), strength: 'weak', type }, (a, b) => a.name === b.name);
      continue;
    }
    let m = /^DOB\s+(.+)$/i.exec(fact);
    if (m) {
      for (const d of parseBirthDates(m[1]!)) addUnique(entity.birthDates, d);
      continue;
    }
    m = /^POB\s+(.+)$/i.exec(fact);
    if (m) {
      addUnique(entity.birthPlaces, m[1]!.trim());
      continue;
    }
    m = /^(nationality|citizen)\s+(.+)$/i.exec(fact);
    if (m) {
      addUnique(entity.nationalities, m[2]!.replace(/\.$/, '').trim());
      continue;
    }
    m = /^Gender\s+(\w+)/i.exec(fact);
    if (m) {
      entity.gender = m[1]!;
      continue;
    }
    m = /^Digital Currency Address\s*-\s*([A-Za-z0-9]+)\s+(\S+)$/i.exec(fact);
    if (m) {
      addUnique(entity.cryptoAddresses, { asset: m[1]!.toUpperCase(), address: m[2]!.replace(/\.$/, '') }, (a, b) => a.address === b.address);
      continue;
    }
    if (NOT_AN_ID.some((re) => re.test(fact))) continue;
    const id = parseId(fact);
    if (id) addUnique(entity.ids, id, (a, b) => a.type === b.type && a.number === b.number);
  }
}
