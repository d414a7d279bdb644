/**
 * Staging: every ingest session writes into constraint-free temporary tables (bulk paths: DuckDB
 * appender, PostgreSQL COPY), then merges them into the real tables with one set of portable
 * statements that keep each record once. This is what makes ingest idempotent.
 */
import type { IngestBatch } from '../ingest/reader.js';
import { channelName, type TxBatch } from '../model/index.js';

export type StageType = 'text' | 'double' | 'int' | 'bool';
export type StageValue = string | number | boolean | null;

export interface StageTable {
  name: string;
  columns: readonly (readonly [string, StageType])[];
}

export const STAGE_TX: StageTable = {
  name: 'stage_tx',
  columns: [
    ['source', 'text'],
    ['id', 'text'],
    ['time_ms', 'double'],
    ['from_account', 'text'],
    ['to_account', 'text'],
    ['amount_minor', 'double'],
    ['currency', 'text'],
    ['orig_amount_minor', 'double'],
    ['orig_currency', 'text'],
    ['channel', 'text'],
    ['from_country', 'text'],
    ['to_country', 'text'],
    ['from_institution', 'text'],
    ['to_institution', 'text'],
    ['file', 'text'],
    ['line', 'int'],
    ['batch_id', 'text'],
  ],
};

export const STAGE_OTHERS: readonly StageTable[] = [
  {
    name: 'stage_accounts',
    columns: [['id', 'text'], ['kind', 'text'], ['institution', 'text'], ['country', 'text'], ['currency', 'text'], ['name', 'text'], ['file', 'text'], ['line', 'int'], ['batch_id', 'text']],
  },
  {
    name: 'stage_parties',
    columns: [['id', 'text'], ['kind', 'text'], ['name', 'text'], ['country', 'text'], ['birth_date', 'text'], ['identifiers', 'text'], ['file', 'text'], ['line', 'int'], ['batch_id', 'text']],
  },
  {
    name: 'stage_party_accounts',
    columns: [['party_id', 'text'], ['account_id', 'text'], ['role', 'text'], ['file', 'text'], ['line', 'int'], ['batch_id', 'text']],
  },
  {
    name: 'stage_reports',
    columns: [
      ['id', 'text'], ['format', 'text'], ['report_code', 'text'], ['reporting_entity', 'text'], ['entity_reference', 'text'],
      ['submitted_ms', 'double'], ['currency', 'text'], ['reason', 'text'], ['action', 'text'], ['indicators', 'text'],
      ['source', 'text'], ['file', 'text'], ['line', 'int'], ['batch_id', 'text'],
    ],
  },
  { name: 'stage_report_links', columns: [['report_id', 'text'], ['kind', 'text'], ['ref', 'text']] },
  {
    name: 'stage_truth',
    columns: [['source', 'text'], ['transaction_id', 'text'], ['laundering', 'bool'], ['scheme', 'text'], ['instance', 'text'], ['line', 'int']],
  },
  { name: 'stage_rejects', columns: [['batch_id', 'text'], ['file', 'text'], ['line', 'int'], ['reason', 'text'], ['record', 'text']] },
];

export const ALL_STAGE_TABLES: readonly StageTable[] = [STAGE_TX, ...STAGE_OTHERS];

const SQL_TYPES: Record<StageType, string> = { text: 'VARCHAR', double: 'DOUBLE PRECISION', int: 'INTEGER', bool: 'BOOLEAN' };

export function stageDdl(table: StageTable): string {
  return `CREATE TEMP TABLE IF NOT EXISTS ${table.name} (${table.columns.map(([n, t]) => `${n} ${SQL_TYPES[t]}`).join(', ')})`;
}

/** Column arrays (one array per column) of a batch's non-transaction records, per stage table. */
export function stageRows(batch: IngestBatch): Map<string, StageValue[][]> {
  const out = new Map<string, StageValue[][]>();
  const put = (table: string, row: StageValue[]) => {
    let cols = out.get(table);
    if (!cols) {
      cols = row.map(() => []);
      out.set(table, cols);
    }
    for (let c = 0; c < row.length; c++) cols[c]!.push(row[c]!);
  };
  for (const a of batch.accounts) {
    put('stage_accounts', [a.id, a.kind, a.institution ?? null, a.country ?? null, a.currency ?? null, a.name ?? null, a.provenance.file, a.provenance.line, a.provenance.batch]);
  }
  for (const p of batch.parties) {
    put('stage_parties', [p.id, p.kind, p.name, p.country ?? null, p.birthDate ?? null, JSON.stringify(p.identifiers ?? []), p.provenance.file, p.provenance.line, p.provenance.batch]);
  }
  for (const l of batch.links) put('stage_party_accounts', [l.partyId, l.accountId, l.role, l.provenance.file, l.provenance.line, l.provenance.batch]);
  for (const r of batch.reports) {
    put('stage_reports', [
      r.id, r.format, r.reportCode, r.reportingEntity ?? null, r.entityReference ?? null, r.submittedMs ?? null, r.currency ?? null,
      r.reason ?? null, r.action ?? null, JSON.stringify(r.indicators ?? []), batch.source, r.provenance.file, r.provenance.line, r.provenance.batch,
    ]);
    for (const t of r.transactionIds ?? []) put('stage_report_links', [r.id, 'transaction', `${batch.source}|${t}`]);
    for (const p of r.partyIds ?? []) put('stage_report_links', [r.id, 'party', p]);
    for (const a of r.accountIds ?? []) put('stage_report_links', [r.id, 'account', a]);
  }
  batch.truth.forEach((t, i) => put('stage_truth', [t.source, t.transactionId, t.laundering, t.scheme ?? null, t.instance ?? null, i]));
  for (const r of batch.rejects) put('stage_rejects', [batch.batchId, r.file, r.line, r.reason, r.record]);
  return out;
}

/** Transaction columns of rows [start, end) of a batch, nulls for absent values. */
export function stageTxColumns(batch: IngestBatch, start: number, end: number): StageValue[][] {
  const tx = batch.transactions;
  const n = end - start;
  const cols: StageValue[][] = STAGE_TX.columns.map(() => new Array<StageValue>(n));
  const [source, id, time, from, to, amount, currency, orig, origCurrency, channel, fromCountry, toCountry, fromInstitution, toInstitution, file, line, batchId] =
    cols as StageValue[][] as [
      StageValue[], StageValue[], StageValue[], StageValue[], StageValue[], StageValue[], StageValue[], StageValue[], StageValue[],
      StageValue[], StageValue[], StageValue[], StageValue[], StageValue[], StageValue[], StageValue[], StageValue[],
    ];
  for (let k = 0, i = start; i < end; k++, i++) {
    source[k] = tx.source;
    id[k] = tx.id[i]!;
    time[k] = tx.timeMs[i]!;
    from[k] = tx.fromAccount[i]!;
    to[k] = tx.toAccount[i]!;
    amount[k] = tx.amountMinor[i]!;
    currency[k] = tx.currency[i]!;
    const o = tx.originalAmountMinor[i]!;
    orig[k] = Number.isNaN(o) ? null : o;
    origCurrency[k] = tx.originalCurrency[i] ?? null;
    channel[k] = channelName(tx.channel[i]!);
    fromCountry[k] = tx.fromCountry[i] ?? null;
    toCountry[k] = tx.toCountry[i] ?? null;
    fromInstitution[k] = tx.fromInstitution[i] ?? null;
    toInstitution[k] = tx.toInstitution[i] ?? null;
    file[k] = tx.file;
    line[k] = tx.line[i]!;
    batchId[k] = tx.batchId;
  }
  return cols;
}

const TX_SELECT = `source, id, CAST(time_ms AS BIGINT), from_account, to_account, CAST(amount_minor AS BIGINT), currency,
    CAST(orig_amount_minor AS BIGINT), orig_currency, channel, from_country, to_country, file, line, batch_id`;
const TX_INSERT = `INSERT INTO transactions (source, id, time_ms, from_account, to_account, amount_minor, currency,
    orig_amount_minor, orig_currency, channel, from_country, to_country, file, line, batch_id)`;

/**
 * A source new to the store whose ids are unique by construction: copy as staged. `relation` is a FROM item
 * with the columns of stage_tx (a store may stage transactions in another shape and decode them here).
 */
export function copyTransactionsFrom(relation: string): string {
  return `${TX_INSERT} SELECT ${TX_SELECT} FROM ${relation}`;
}

/** Staged transactions into the table, each (source, id) once: the first by line, none already stored. */
export function mergeTransactionsFrom(relation: string): string {
  return `${TX_INSERT} SELECT ${TX_SELECT} FROM (SELECT DISTINCT ON (source, id) * FROM ${relation} ORDER BY source, id, line) s
  WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.source = s.source AND t.id = s.id)`;
}

export const MERGE_TRANSACTIONS_NEW_SOURCE = copyTransactionsFrom('stage_tx');

/** Portable merge statements: stage → tables, each record once. Returns rows inserted for transactions first. */
export const MERGE_TRANSACTIONS = mergeTransactionsFrom('stage_tx');

/**
 * Accounts named by staged transactions that have no record yet, with the institution the source gave.
 * Runs with each transaction merge, so readers of bare transaction files need not track accounts.
 * `sides` is a FROM item with one row (id, institution, file, line, batch_id) per side of each staged
 * transaction — or fewer rows with the same result: one per (id, institution) with the least file, line and
 * batch_id of its rows (the filter below only reads id and institution, so it keeps or drops such a group whole).
 */
export function mergeTxAccountsFrom(sides: string): string {
  return `INSERT INTO accounts (id, kind, institution, country, currency, name, file, line, batch_id)
  SELECT id, CASE WHEN MAX(institution) IS NULL THEN 'unknown' ELSE 'bank' END, MAX(institution), NULL, NULL, NULL, MIN(file), MIN(line), MIN(batch_id)
  FROM ${sides}
  -- skip accounts the upsert would leave unchanged: rewriting them piles up row versions in a long transaction
  WHERE NOT EXISTS (SELECT 1 FROM accounts x WHERE x.id = a.id AND (a.institution IS NULL OR (x.institution IS NOT NULL AND x.kind <> 'unknown')))
  GROUP BY id
  ON CONFLICT (id) DO UPDATE SET institution = COALESCE(accounts.institution, excluded.institution),
    kind = CASE WHEN accounts.kind = 'unknown' THEN excluded.kind ELSE accounts.kind END`;
}

/** The reader's numbering of a batch's accounts (`TxBatch.accountRefs`) and the largest number it uses; undefined without one. */
export function batchAccountRefs(tx: TxBatch): { space: object; from: Int32Array; to: Int32Array; maxRef: number } | undefined {
  const space = tx.accountRefs;
  const from = tx.fromRef;
  const to = tx.toRef;
  if (space === undefined || !from || !to) return undefined;
  let maxRef = -1;
  for (let i = 0; i < tx.length; i++) maxRef = Math.max(maxRef, from[i]!, to[i]!);
  return { space, from, to, maxRef };
}

/** `a`, or a copy at least `minLength` long (doubling), zero-filled beyond `a`. */
export function grownInt32(a: Int32Array<ArrayBuffer>, minLength: number): Int32Array<ArrayBuffer> {
  if (minLength <= a.length) return a;
  const grown = new Int32Array(Math.max(a.length * 2, minLength));
  grown.set(a);
  return grown;
}

/**
 * The sides of transactions reduced as `mergeTxAccountsFrom` allows: one entry per (account id, institution)
 * with its least line, collected batch by batch (rows of one file: file and batch id are the same for all).
 */
export class TxAccountSides {
  private readonly ids: string[] = [];
  private readonly institutions: (string | undefined)[] = [];
  private lines = new Uint32Array(1024);
  /** Entry + 1 of an account id with its first institution; further institutions of an id in `others`. */
  private readonly byId = new Map<string, number>();
  private readonly others = new Map<string, number>();
  /** The same, by the reader's numbering of accounts (`TxBatch.accountRefs`): entry + 1, 0 unknown. */
  private refSpace: object | undefined;
  private byRef = new Int32Array(0);

  get size(): number {
    return this.ids.length;
  }

  private entry(id: string, institution: string | undefined, line: number): number {
    let e = this.byId.get(id);
    if (e !== undefined && this.institutions[e - 1] !== institution) {
      const key = JSON.stringify([id, institution ?? null]);
      e = this.others.get(key);
      if (e === undefined) {
        e = this.push(id, institution, line);
        this.others.set(key, e);
      }
    } else if (e === undefined) {
      e = this.push(id, institution, line);
      this.byId.set(id, e);
    }
    if (line < this.lines[e - 1]!) this.lines[e - 1] = line;
    return e;
  }

  private push(id: string, institution: string | undefined, line: number): number {
    const e = this.ids.length;
    if (e >= this.lines.length) {
      const grown = new Uint32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.ids.push(id);
    this.institutions.push(institution);
    this.lines[e] = line;
    return e + 1;
  }

  private side(id: string, institution: string | undefined, line: number, ref: number): void {
    if (ref < 0) {
      this.entry(id, institution, line);
      return;
    }
    const known = this.byRef[ref]!;
    if (known > 0 && this.institutions[known - 1] === institution) {
      if (line < this.lines[known - 1]!) this.lines[known - 1] = line;
      return;
    }
    this.byRef[ref] = this.entry(id, institution, line);
  }

  add(batch: IngestBatch): void {
    const tx = batch.transactions;
    const n = tx.length;
    const refs = batchAccountRefs(tx);
    const fromRefs = refs?.from;
    const toRefs = refs?.to;
    if (refs) {
      if (refs.space !== this.refSpace) {
        this.refSpace = refs.space;
        this.byRef = new Int32Array(1024);
      }
      this.byRef = grownInt32(this.byRef, refs.maxRef + 1);
    }
    for (let i = 0; i < n; i++) {
      const line = tx.line[i]!;
      this.side(tx.fromAccount[i]!, tx.fromInstitution[i], line, fromRefs ? fromRefs[i]! : -1);
      this.side(tx.toAccount[i]!, tx.toInstitution[i], line, toRefs ? toRefs[i]! : -1);
    }
  }

  /** Each entry: id, institution, least line. */
  forEach(fn: (id: string, institution: string | undefined, line: number) => void): void {
    for (let e = 0; e < this.ids.length; e++) fn(this.ids[e]!, this.institutions[e], this.lines[e]!);
  }

  clear(): void {
    this.ids.length = 0;
    this.institutions.length = 0;
    this.byId.clear();
    this.others.clear();
    this.byRef.fill(0);
  }
}

export const MERGE_TX_ACCOUNTS = mergeTxAccountsFrom(`(SELECT from_account AS id, from_institution AS institution, file, line, batch_id FROM stage_tx
        UNION ALL SELECT to_account, to_institution, file, line, batch_id FROM stage_tx) a`);

export const MERGE_OTHERS: readonly string[] = [
  `INSERT INTO accounts (id, kind, institution, country, currency, name, file, line, batch_id)
   SELECT DISTINCT ON (id) id, kind, institution, country, currency, name, file, line, batch_id FROM stage_accounts ORDER BY id, line
   ON CONFLICT (id) DO UPDATE SET
     kind = CASE WHEN accounts.kind = 'unknown' THEN excluded.kind ELSE accounts.kind END,
     institution = COALESCE(accounts.institution, excluded.institution), country = COALESCE(accounts.country, excluded.country),
     currency = COALESCE(accounts.currency, excluded.currency), name = COALESCE(accounts.name, excluded.name)`,
  `INSERT INTO parties (id, kind, name, country, birth_date, identifiers, file, line, batch_id)
   SELECT DISTINCT ON (id) id, kind, name, country, birth_date, identifiers, file, line, batch_id FROM stage_parties ORDER BY id, line
   ON CONFLICT (id) DO UPDATE SET
     country = COALESCE(parties.country, excluded.country), birth_date = COALESCE(parties.birth_date, excluded.birth_date),
     identifiers = CASE WHEN parties.identifiers = '[]' THEN excluded.identifiers ELSE parties.identifiers END`,
  `INSERT INTO party_accounts (party_id, account_id, role, file, line, batch_id)
   SELECT DISTINCT ON (party_id, account_id, role) party_id, account_id, role, file, line, batch_id FROM stage_party_accounts
   ORDER BY party_id, account_id, role, line ON CONFLICT DO NOTHING`,
  `INSERT INTO reports (id, format, report_code, reporting_entity, entity_reference, submitted_ms, currency, reason, action, indicators, source, file, line, batch_id)
   SELECT DISTINCT ON (id) id, format, report_code, reporting_entity, entity_reference, CAST(submitted_ms AS BIGINT), currency, reason, action,
     indicators, source, file, line, batch_id FROM stage_reports ORDER BY id, line ON CONFLICT DO NOTHING`,
  `INSERT INTO report_links (report_id, kind, ref) SELECT DISTINCT report_id, kind, ref FROM stage_report_links ON CONFLICT DO NOTHING`,
  `INSERT INTO truth_labels (source, transaction_id, laundering, scheme, instance)
   SELECT DISTINCT ON (source, transaction_id) source, transaction_id, laundering, scheme, instance FROM stage_truth
   ORDER BY source, transaction_id, line ON CONFLICT DO NOTHING`,
  `INSERT INTO rejects (batch_id, file, line, reason, record) SELECT batch_id, file, line, reason, record FROM stage_rejects`,
];
