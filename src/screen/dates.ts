/**
 * Birth dates as the lists write them ("25 Dec 1954", "circa 1960", "1960 to 1962", "1954-12-25") to
 * partial ISO dates (`1954-12-25`, `1954-12`, `1954`, `~1960` for approximate), and how two compare.
 */

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06', jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

/** At most this many years are listed for a range ("1950 to 2000" is not a birth date, it is a shrug). */
const MAX_RANGE_YEARS = 10;

function one(text: string): string | undefined {
  const t = text.trim().replace(/\.$/, '');
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (m) return m[3] === '00' ? (m[2] === '00' ? m[1] : `${m[1]}-${m[2]}`) : `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$/.exec(t);
  if (m && MONTHS[m[2]!.toLowerCase()]) return `${m[3]}-${MONTHS[m[2]!.toLowerCase()]}-${m[1]!.padStart(2, '0')}`;
  m = /^([A-Za-z]{3})[a-z]* (\d{4})$/.exec(t);
  if (m && MONTHS[m[1]!.toLowerCase()]) return `${m[2]}-${MONTHS[m[1]!.toLowerCase()]}`;
  m = /^(\d{4})-(\d{2})$/.exec(t);
  if (m) return `${m[1]}-${m[2]}`;
  m = /^(\d{4})$/.exec(t);
  if (m) return m[1];
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t); // day first, as written outside the US
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return undefined;
}

/** Partial ISO dates in a birth-date text; an unreadable text gives none. */
export function parseBirthDates(text: string): string[] {
  const t = text.trim();
  if (!t) return [];
  const circa = /^(circa|approximately|approx\.?|about|ca\.?)\s+/i.exec(t);
  if (circa) {
    const d = one(t.slice(circa[0].length));
    return d ? [`~${d.slice(0, 4)}`] : [];
  }
  const range = /^(.+?)\s+(?:to|-|–)\s+(.+)$/.exec(t);
  if (range) {
    const from = one(range[1]!);
    const to = one(range[2]!);
    if (from && to) return yearsBetween(Number(from.slice(0, 4)), Number(to.slice(0, 4)));
  }
  const d = one(t);
  return d ? [d] : [];
}

export function yearsBetween(from: number, to: number): string[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return [];
  if (to - from > MAX_RANGE_YEARS) return [`~${Math.round((from + to) / 2)}`];
  const out: string[] = [];
  for (let y = from; y <= to; y++) out.push(String(y));
  return out;
}

export type DateAgreement = 'same-day' | 'same-month' | 'same-year' | 'near-year' | 'different' | 'unknown';

/** How a query's birth date agrees with a listed one. */
export function compareDates(query: string, listed: string): DateAgreement {
  const qa = query.startsWith('~');
  const la = listed.startsWith('~');
  const q = qa ? query.slice(1) : query;
  const l = la ? listed.slice(1) : listed;
  const qy = Number(q.slice(0, 4));
  const ly = Number(l.slice(0, 4));
  if (!Number.isFinite(qy) || !Number.isFinite(ly)) return 'unknown';
  if (qy !== ly) return Math.abs(qy - ly) <= (qa || la ? 2 : 1) ? 'near-year' : 'different';
  if (q.length >= 10 && l.length >= 10) return q === l ? 'same-day' : q.slice(0, 7) === l.slice(0, 7) ? 'same-month' : 'same-year';
  if (q.length >= 7 && l.length >= 7) return q.slice(0, 7) === l.slice(0, 7) ? 'same-month' : 'same-year';
  return 'same-year';
}
