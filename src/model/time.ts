/**
 * Timestamps: UTC epoch milliseconds inside, ISO 8601 at the edges.
 * Parsers return NaN for text that is not a valid instant (never a silently shifted date).
 */

/** `iso` (ISO 8601, `Z`/offset optional → UTC), `epoch-ms`, `epoch-s`, or a pattern such as `DD/MM/YYYY HH:mm`. */
export type TimestampFormat = string;

type Part = 'Y' | 'M' | 'D' | 'h' | 'm' | 's' | 'S';
interface CompiledPattern {
  parts: { part: Part; start: number; len: number }[];
  literals: { pos: number; code: number }[];
  length: number;
}

const TOKENS: [string, Part][] = [
  ['YYYY', 'Y'],
  ['SSS', 'S'],
  ['MM', 'M'],
  ['DD', 'D'],
  ['HH', 'h'],
  ['mm', 'm'],
  ['ss', 's'],
];

const compiled = new Map<string, CompiledPattern>();

export function compilePattern(pattern: string): CompiledPattern {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const parts: CompiledPattern['parts'] = [];
  const literals: CompiledPattern['literals'] = [];
  let i = 0;
  outer: while (i < pattern.length) {
    for (const [token, part] of TOKENS) {
      if (pattern.startsWith(token, i)) {
        parts.push({ part, start: i, len: token.length });
        i += token.length;
        continue outer;
      }
    }
    literals.push({ pos: i, code: pattern.charCodeAt(i) });
    i++;
  }
  if (!parts.some((p) => p.part === 'Y') || !parts.some((p) => p.part === 'M') || !parts.some((p) => p.part === 'D')) {
    throw new Error(`date format ${JSON.stringify(pattern)} needs YYYY, MM and DD`);
  }
  const result = { parts, literals, length: pattern.length };
  compiled.set(pattern, result);
  return result;
}

function digitsAt(text: string, start: number, len: number): number {
  let value = 0;
  for (let i = start; i < start + len; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Build an instant, rejecting impossible fields (month 13, 31 April, 25:00, 29 Feb of a common year). */
export function utcInstant(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (!(y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60 && ms >= 0 && ms <= 999)) {
    return NaN;
  }
  if (d > DAYS_IN_MONTH[mo - 1]!) return NaN;
  if (mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return NaN;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, Math.min(s, 59), ms));
  date.setUTCFullYear(y); // Date.UTC maps years 0-99 to 1900-1999
  return date.getTime();
}

function parseWithPattern(text: string, pattern: CompiledPattern): number {
  const t = text.trim();
  if (t.length !== pattern.length) return NaN;
  for (const lit of pattern.literals) if (t.charCodeAt(lit.pos) !== lit.code) return NaN;
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  for (const p of pattern.parts) {
    const v = digitsAt(t, p.start, p.len);
    if (Number.isNaN(v)) return NaN;
    switch (p.part) {
      case 'Y': y = v; break;
      case 'M': mo = v; break;
      case 'D': d = v; break;
      case 'h': h = v; break;
      case 'm': mi = v; break;
      case 's': s = v; break;
      case 'S': ms = v; break;
    }
  }
  return utcInstant(y, mo, d, h, mi, s, ms);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** `YYYY-MM-DDTHH:MM:SS` at the start of `t`, followed by `Z` at `z`; NaN when it is not that shape. */
function isoUtcAt(t: string, z: number, ms: number): number {
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(z) !== 90) {
    return NaN;
  }
  return utcInstant(digitsAt(t, 0, 4), digitsAt(t, 5, 2), digitsAt(t, 8, 2), digitsAt(t, 11, 2), digitsAt(t, 14, 2), digitsAt(t, 17, 2), ms);
}

/** ISO 8601 date or date-time; no offset means UTC. */
export function parseIso(text: string): number {
  // The shapes machines send (`2024-01-10T09:30:00Z`, with or without milliseconds) without the expression.
  if (text.length === 20) {
    const v = isoUtcAt(text, 19, 0);
    if (v === v) return v;
  } else if (text.length === 24 && text.charCodeAt(19) === 46) {
    const v = isoUtcAt(text, 23, digitsAt(text, 20, 3));
    if (v === v) return v;
  }
  const m = ISO.exec(text.trim());
  if (!m) return NaN;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const base = utcInstant(+m[1]!, +m[2]!, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
  const zone = m[8];
  if (!zone || zone === 'Z') return base;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (offsetHours > 23 || offsetMinutes > 59) return NaN;
  const offsetMin = offsetHours * 60 + offsetMinutes;
  return base - sign * offsetMin * 60_000;
}

/** `YYYY/MM/DD HH:MM`, the IBM AMLworld layout; the hot path of the largest public data set. */
export function parseIbmTimestamp(t: string): number {
  if (t.length !== 16 || t.charCodeAt(4) !== 47 || t.charCodeAt(7) !== 47 || t.charCodeAt(10) !== 32 || t.charCodeAt(13) !== 58) {
    return NaN;
  }
  return utcInstant(digitsAt(t, 0, 4), digitsAt(t, 5, 2), digitsAt(t, 8, 2), digitsAt(t, 11, 2), digitsAt(t, 14, 2));
}

/** The largest instant a JS Date holds (±100,000,000 days from 1970). */
const MAX_INSTANT_MS = 8.64e15;

export function parseTimestamp(text: string, format: TimestampFormat = 'iso'): number {
  switch (format) {
    case 'iso':
      return parseIso(text);
    case 'epoch-ms': {
      const t = text.trim();
      const v = /^-?\d+$/.test(t) ? Number(t) : NaN;
      return Math.abs(v) <= MAX_INSTANT_MS ? v : NaN;
    }
    case 'epoch-s': {
      const t = text.trim();
      const v = /^-?\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 1000) : NaN;
      return Math.abs(v) <= MAX_INSTANT_MS ? v : NaN;
    }
    default:
      return parseWithPattern(text, compilePattern(format));
  }
}

/** `2022-09-01T00:06:00Z` (seconds precision unless milliseconds are present). */
export function formatIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}
