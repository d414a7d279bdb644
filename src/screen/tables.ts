/**
 * The two table inputs of screening, streamed: pairs of names to score (`name1,name2[,schema]`, output =
 * the same rows and columns plus `score` and `match`), and parties to screen (a `name` column and optional
 * attributes, or a bare list of names one per line).
 */
import { CsvTokenizer, csvEscape, readTextPieces, type TextPiece } from '../ingest/index.js';
import { kindOfSchema, normalizeName, type NameForm } from './normalize.js';
import { DEFAULT_THRESHOLD, scoreForms } from './score.js';
import type { ScreenQuery } from './screener.js';

export class TableError extends Error {
  readonly exitCode = 2;
}

export interface RowProblem {
  line: number;
  reason: string;
}

/** Normalised names remembered while scoring pairs (pair files repeat their names a lot). */
const FORM_CACHE_ENTRIES = 50_000;

async function* records(source: AsyncIterable<TextPiece>, problems: RowProblem[]): AsyncGenerator<{ fields: string[]; line: number }> {
  const tokenizer = new CsvTokenizer();
  let pending: Array<{ fields: string[]; line: number }> = [];
  const sink = {
    record(fields: string[], count: number, line: number) {
      pending.push({ fields: fields.slice(0, count), line });
    },
    bad(line: number, reason: string) {
      problems.push({ line, reason });
    },
  };
  for await (const piece of source) {
    tokenizer.push(piece, sink);
    const ready = pending;
    pending = [];
    yield* ready;
  }
  tokenizer.end(sink);
  yield* pending;
}

function textSource(input: string | AsyncIterable<Buffer | Uint8Array>): AsyncIterable<TextPiece> {
  return typeof input === 'string' ? readTextPieces(input) : readTextPieces('-', { stream: input });
}

export interface PairsSummary {
  rows: number;
  matches: number;
  problems: RowProblem[];
}

/**
 * Score every row of a pairs CSV and hand out the output lines (header first). Rows keep their columns
 * and order; `score` and `match` are appended (or filled in when the input already has them).
 */
export async function scorePairsCsv(
  input: string | AsyncIterable<Buffer | Uint8Array>,
  write: (line: string) => void | Promise<void>,
  options: { threshold?: number } = {},
): Promise<PairsSummary> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const problems: RowProblem[] = [];
  const cache = new Map<string, NameForm>();
  const form = (name: string, schema: string | undefined): NameForm => {
    const key = `${schema ?? ''}\u0000${name}`;
    let f = cache.get(key);
    if (!f) {
      if (cache.size >= FORM_CACHE_ENTRIES) cache.clear();
      f = normalizeName(name, kindOfSchema(schema));
      cache.set(key, f);
    }
    return f;
  };
  let header: string[] | undefined;
  let at = { name1: -1, name2: -1, schema: -1, score: -1, match: -1 };
  let rows = 0;
  let matches = 0;
  for await (const r of records(textSource(input), problems)) {
    if (!header) {
      header = r.fields.map((f) => f.trim());
      const lower = header.map((h) => h.toLowerCase());
      at = { name1: lower.indexOf('name1'), name2: lower.indexOf('name2'), schema: lower.indexOf('schema'), score: lower.indexOf('score'), match: lower.indexOf('match') };
      if (at.name1 < 0 || at.name2 < 0) throw new TableError(`line ${r.line}: the header needs name1 and name2 columns, found ${header.join(',')}`);
      const out = [...header];
      if (at.score < 0) out.push('score');
      if (at.match < 0) out.push('match');
      await write(out.map(csvEscape).join(','));
      continue;
    }
    rows++;
    const fields = [...r.fields];
    while (fields.length < header.length) fields.push('');
    const n1 = fields[at.name1]!.trim();
    const n2 = fields[at.name2]!.trim();
    const schema = at.schema >= 0 ? fields[at.schema]!.trim() || undefined : undefined;
    let score = 0;
    let match = false;
    if (!n1 || !n2) problems.push({ line: r.line, reason: 'empty name1 or name2: scored 0' });
    else {
      const s = scoreForms(form(n1, schema), form(n2, schema), threshold);
      score = s.score;
      match = s.match;
    }
    if (match) matches++;
    const scoreText = score.toFixed(3);
    if (at.score >= 0) fields[at.score] = scoreText;
    else fields.push(scoreText);
    if (at.match >= 0) fields[at.match] = String(match);
    else fields.push(String(match));
    await write(fields.map(csvEscape).join(','));
  }
  if (!header) throw new TableError('empty pairs file: expected a header with name1,name2');
  return { rows, matches, problems };
}

const QUERY_COLUMNS: Record<keyof Omit<ScreenQuery, never>, string[]> = {
  id: ['id', 'ref', 'reference', 'party_id', 'customer_id'],
  name: ['name', 'query', 'full_name', 'party', 'party_name', 'name1'],
  schema: ['schema', 'type', 'entity_type'],
  birthDate: ['dob', 'birth_date', 'date_of_birth', 'birthdate'],
  country: ['country', 'nationality', 'citizenship'],
  idNumber: ['id_number', 'passport', 'document', 'national_id', 'tax_id', 'document_number'],
  cryptoAddress: ['crypto', 'crypto_address', 'wallet', 'address', 'wallet_address'],
};

/**
 * Parties from a CSV with a header naming at least `name` (or `crypto`/`wallet`), or from a plain list
 * of names one per line (no header). Each query carries its 1-based data row in `id` when the file has no id.
 */
export async function* readQueries(input: string | AsyncIterable<Buffer | Uint8Array>, problems: RowProblem[]): AsyncGenerator<ScreenQuery & { row: number }> {
  let columns: Partial<Record<keyof ScreenQuery, number>> | undefined;
  let plain = false;
  let row = 0;
  for await (const r of records(textSource(input), problems)) {
    if (!columns && !plain) {
      const lower = r.fields.map((f) => f.trim().toLowerCase().replace(/[\s-]+/g, '_'));
      const found: Partial<Record<keyof ScreenQuery, number>> = {};
      for (const [key, names] of Object.entries(QUERY_COLUMNS) as Array<[keyof ScreenQuery, string[]]>) {
        const i = lower.findIndex((h) => names.includes(h));
        if (i >= 0) found[key] = i;
      }
      if (found.name !== undefined || found.cryptoAddress !== undefined) {
        columns = found;
        continue;
      }
      plain = true;
    }
    row++;
    if (plain) {
      // A plain list: the whole line is the name (commas included: "GUZMAN LOERA, Joaquin").
      const name = r.fields.join(',').trim();
      if (name) yield { row, name };
      continue;
    }
    const get = (k: keyof ScreenQuery) => {
      const i = columns![k];
      const v = i === undefined ? undefined : r.fields[i]?.trim();
      return v ? v : undefined;
    };
    const q: ScreenQuery & { row: number } = { row };
    for (const k of Object.keys(QUERY_COLUMNS) as Array<keyof ScreenQuery>) {
      const v = get(k);
      if (v !== undefined) q[k] = v;
    }
    if (!q.name && !q.cryptoAddress) {
      problems.push({ line: r.line, reason: 'row without a name or crypto address' });
      continue;
    }
    yield q;
  }
}
