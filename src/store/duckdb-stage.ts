/**
 * DuckDB's staging of transactions: segments of dictionary-coded, typed columns written as Parquet files and
 * decoded by SQL on DuckDB's threads.
 *
 * Every text value of a staged transaction (accounts, currencies, channels, countries, institutions) becomes
 * an integer code into a dictionary that travels with the segment (only the strings the segment uses);
 * numbers stay in their typed arrays; ids of the form `row:<n>` travel as the number n (others as dictionary
 * entries of their own). The JavaScript thread thus does a few array writes per row, and DuckDB reads the
 * columns at memory speed and does the string work (joins, `'row:' || n`) in parallel, off this thread.
 */
import type { IngestBatch } from '../ingest/reader.js';
import { CHANNELS } from '../model/index.js';
import { parquetParts, type ParquetColumn } from './parquet.js';
import { batchAccountRefs, copyTransactionsFrom, grownInt32, mergeTransactionsFrom, mergeTxAccountsFrom } from './stage.js';

/**
 * Rows per staged segment (one INSERT each). DuckDB writes the rows of a large insert to the database file as
 * it goes ("optimistic writes"), but only per thread and in whole row groups: the rest of each thread's share
 * is kept in memory, logged at commit and compressed at the next checkpoint. Smaller inserts (200,000 rows)
 * measured 2–3 times the cost in all, most of it at commit and close; from about 1,000,000 rows on, the cost
 * per row is that of a single insert.
 */
export const SEGMENT_ROWS = 1_000_000;
/** Row groups of the staged file: DuckDB's own row group size, so its threads split a segment evenly. */
const SEGMENT_ROW_GROUP_ROWS = 122_880;

/** Distinct strings the dictionary keeps across segments before it starts afresh (at a segment boundary). */
const MAX_DICTIONARY_STRINGS = 1 << 20;
const NO_CODE = -1;

/** n when `id` is exactly `row:${n}` for an integer 1 ≤ n < 2^53, else -1. */
export function rowNumber(id: string): number {
  const len = id.length;
  if (len < 5 || len > 20 || id.charCodeAt(0) !== 114 || id.charCodeAt(1) !== 111 || id.charCodeAt(2) !== 119 || id.charCodeAt(3) !== 58) return -1;
  let c = id.charCodeAt(4) - 48;
  if (c < 1 || c > 9) return -1; // no sign, no leading zero, no row:0
  let n = c;
  for (let i = 5; i < len; i++) {
    c = id.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n < Number.MAX_SAFE_INTEGER ? n : -1;
}

/** Codes of account ids numbered by their reader (`TxBatch.accountRefs`): this base + the reader's number. */
const REF_CODE_BASE = 1 << 30;

/**
 * Codes of the strings staged in this session: a code is stable until the dictionary starts afresh (between
 * segments, when it has grown large); each segment ships the strings of the codes it used. Account ids that
 * the reader numbered (interned) are coded by that number, so the common case costs no lookup at all.
 */
export class StageDictionary {
  private readonly codes = new Map<string, number>();
  private values: string[] = [];
  /** Segment that last used each code (see `usedCodes`). */
  private usedIn = new Int32Array(1024);
  private segment = 0;
  /** The reader numbering the ref codes are from, and per number: its string, and 0 (not seen) or institution code + 2. */
  private refSpace: object | undefined;
  private refStrings: string[] = [];
  private refInfo = new Int32Array(0);
  private refUsedIn = new Int32Array(0);
  /** A few recent values (currencies) before the map. */
  private readonly recent: (string | undefined)[] = new Array<string | undefined>(8).fill(undefined);
  private readonly recentCode = new Int32Array(8);
  private recentNext = 0;

  get size(): number {
    return this.values.length + this.refStrings.length;
  }

  /** At a segment's start: a new dictionary when the old one has grown large (codes of open segments would change). */
  restartIfLarge(): void {
    if (this.size <= MAX_DICTIONARY_STRINGS) return;
    this.codes.clear();
    this.values = [];
    this.usedIn = new Int32Array(1024);
    this.refSpace = undefined;
    this.refStrings = [];
    this.refInfo = new Int32Array(0);
    this.refUsedIn = new Int32Array(0);
    this.recent.fill(undefined);
  }

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }

  /** `code` for values of few distinct strings (currencies): a short list compared by identity first. */
  frequent(value: string): number {
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) if (recent[i] === value) return this.recentCode[i]!;
    const code = this.code(value);
    const slot = this.recentNext;
    this.recentNext = (slot + 1) & 7;
    recent[slot] = value;
    this.recentCode[slot] = code;
    return code;
  }

  /** Make room for the reader numbering `space` up to `ref` (a new numbering starts over). */
  prepareRefs(space: object, maxRef: number): void {
    if (space !== this.refSpace) {
      this.refSpace = space;
      this.refStrings = [];
      this.refInfo = new Int32Array(1024);
      this.refUsedIn = new Int32Array(1024);
    }
    this.refInfo = grownInt32(this.refInfo, maxRef + 1);
    this.refUsedIn = grownInt32(this.refUsedIn, this.refInfo.length);
  }

  /**
   * The code of the account numbered `ref` by the reader (`prepareRefs` first), whose id is `value` and whose
   * institution is `institution`: that code is returned, the institution's code is left in `lastInstitution`.
   */
  refAccount(value: string, ref: number, institution: string | undefined): number {
    const info = this.refInfo[ref]!;
    if (info === 0) {
      this.refStrings[ref] = value;
    } else {
      // The institution is usually the one this account had on its previous row.
      const known = info - 2;
      if (institution === undefined ? known === NO_CODE : known >= 0 && this.values[known] === institution) {
        this.lastInstitution = known;
        return REF_CODE_BASE + ref;
      }
    }
    const code = institution === undefined ? NO_CODE : this.code(institution);
    this.refInfo[ref] = code + 2;
    this.lastInstitution = code;
    return REF_CODE_BASE + ref;
  }

  lastInstitution = NO_CODE;

  value(code: number): string {
    return code >= REF_CODE_BASE ? this.refStrings[code - REF_CODE_BASE]! : this.values[code]!;
  }

  /** The distinct codes ≥ 0 of the given columns' first `rows` values. */
  usedCodes(columns: readonly Int32Array[], rows: number): number[] {
    if (this.usedIn.length < this.values.length) {
      const grown = new Int32Array(Math.max(this.values.length, this.usedIn.length * 2));
      grown.set(this.usedIn);
      this.usedIn = grown;
    }
    const segment = ++this.segment;
    const usedIn = this.usedIn;
    const refUsedIn = this.refUsedIn;
    const used: number[] = [];
    for (const column of columns) {
      for (let i = 0; i < rows; i++) {
        const code = column[i]!;
        if (code < 0) continue;
        if (code >= REF_CODE_BASE) {
          if (refUsedIn[code - REF_CODE_BASE] !== segment) {
            refUsedIn[code - REF_CODE_BASE] = segment;
            used.push(code);
          }
        } else if (usedIn[code] !== segment) {
          usedIn[code] = segment;
          used.push(code);
        }
      }
    }
    return used;
  }
}

/** The columns a staged segment file has, in order. */
const SEGMENT_COLUMNS = [
  ['row_no', 'double'], ['id_code', 'int32'], ['time_ms', 'double'], ['from_account', 'int32'], ['to_account', 'int32'],
  ['amount_minor', 'double'], ['currency', 'int32'], ['orig_amount_minor', 'double'], ['orig_currency', 'int32'], ['channel', 'int32'],
  ['from_country', 'int32'], ['to_country', 'int32'], ['from_institution', 'int32'], ['to_institution', 'int32'], ['line', 'int32'],
] as const;
type SegmentColumns = { [C in (typeof SEGMENT_COLUMNS)[number] as C[0]]: C[1] extends 'double' ? Float64Array : Int32Array };
const FIRST_CAPACITY = 1 << 14;

function allocate(capacity: number): SegmentColumns {
  return Object.fromEntries(SEGMENT_COLUMNS.map(([name, type]) => [name, type === 'double' ? new Float64Array(capacity) : new Int32Array(capacity)])) as SegmentColumns;
}

function anyCode(codes: Int32Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (codes[i] !== NO_CODE) return true;
  return false;
}

/** Transactions of one staging segment (one file, one merge mode), as coded columns. */
export class TxSegment {
  rows = 0;
  private capacity: number;
  private columns: SegmentColumns;
  /** Ids that are not row numbers, coded -2, -3, … (apart from the dictionary's codes). */
  private readonly ids: string[] = [];
  private readonly channelCodes: number[];
  /** Optional columns with values so far. */
  readonly shape: SegmentShape = { ids: false, origCurrency: false, fromCountry: false, toCountry: false };

  constructor(
    private readonly dict: StageDictionary,
    readonly source: string,
    readonly file: string,
    readonly batchId: string,
    /** A written segment whose arrays this one may reuse. */
    recycled?: TxSegment,
  ) {
    dict.restartIfLarge();
    this.channelCodes = CHANNELS.map((c) => dict.code(c));
    this.capacity = recycled?.capacity ?? FIRST_CAPACITY;
    this.columns = recycled?.columns ?? allocate(this.capacity);
  }

  private reserve(n: number): void {
    if (this.rows + n <= this.capacity) return;
    const size = Math.max(this.rows + n, this.capacity * 2);
    const grown = allocate(size);
    for (const [name] of SEGMENT_COLUMNS) (grown[name] as Float64Array | Int32Array).set(this.columns[name].subarray(0, this.rows));
    this.columns = grown;
    this.capacity = size;
  }

  add(batch: IngestBatch): void {
    const tx = batch.transactions;
    const n = tx.length;
    this.reserve(n);
    const dict = this.dict;
    const c = this.columns;
    const k0 = this.rows;
    c.time_ms.set(tx.timeMs.subarray(0, n), k0);
    c.amount_minor.set(tx.amountMinor.subarray(0, n), k0);
    c.orig_amount_minor.set(tx.originalAmountMinor.subarray(0, n), k0);
    c.line.set(tx.line.subarray(0, n), k0);
    const rowNo = c.row_no;
    const idCode = c.id_code;
    const from = c.from_account;
    const to = c.to_account;
    const currency = c.currency;
    const origCurrency = c.orig_currency;
    const channel = c.channel;
    const fromCountry = c.from_country;
    const toCountry = c.to_country;
    const fromInstitution = c.from_institution;
    const toInstitution = c.to_institution;
    const refs = batchAccountRefs(tx);
    const fromRefs = refs?.from;
    const toRefs = refs?.to;
    if (refs) dict.prepareRefs(refs.space, refs.maxRef);
    const lastChannel = this.channelCodes[CHANNELS.length - 1]!;
    for (let i = 0, k = k0; i < n; i++, k++) {
      const id = tx.id[i]!;
      const rn = rowNumber(id);
      if (rn > 0) {
        rowNo[k] = rn;
        idCode[k] = NO_CODE;
      } else {
        rowNo[k] = 0;
        idCode[k] = -2 - this.ids.length;
        this.ids.push(id);
      }
      const fromRef = fromRefs ? fromRefs[i]! : -1;
      if (fromRef >= 0) {
        from[k] = dict.refAccount(tx.fromAccount[i]!, fromRef, tx.fromInstitution[i]);
        fromInstitution[k] = dict.lastInstitution;
      } else {
        from[k] = dict.code(tx.fromAccount[i]!);
        const institution = tx.fromInstitution[i];
        fromInstitution[k] = institution === undefined ? NO_CODE : dict.code(institution);
      }
      const toRef = toRefs ? toRefs[i]! : -1;
      if (toRef >= 0) {
        to[k] = dict.refAccount(tx.toAccount[i]!, toRef, tx.toInstitution[i]);
        toInstitution[k] = dict.lastInstitution;
      } else {
        to[k] = dict.code(tx.toAccount[i]!);
        const institution = tx.toInstitution[i];
        toInstitution[k] = institution === undefined ? NO_CODE : dict.code(institution);
      }
      currency[k] = dict.frequent(tx.currency[i]!);
      const orig = tx.originalCurrency[i];
      origCurrency[k] = orig === undefined ? NO_CODE : dict.frequent(orig);
      channel[k] = this.channelCodes[tx.channel[i]!] ?? lastChannel;
      const fc = tx.fromCountry[i];
      fromCountry[k] = fc === undefined ? NO_CODE : dict.code(fc);
      const tc = tx.toCountry[i];
      toCountry[k] = tc === undefined ? NO_CODE : dict.code(tc);
    }
    const shape = this.shape;
    shape.ids ||= this.ids.length > 0;
    shape.origCurrency ||= anyCode(origCurrency, k0, k0 + n);
    shape.fromCountry ||= anyCode(fromCountry, k0, k0 + n);
    shape.toCountry ||= anyCode(toCountry, k0, k0 + n);
    this.rows += n;
  }

  /** The segment's rows as a Parquet file (parts in order; they share this segment's arrays). */
  rowsFile(): Buffer[] {
    const cols = SEGMENT_COLUMNS.map(([name, type]) => ({ name, type, values: this.columns[name] }) as ParquetColumn);
    return parquetParts(cols, this.rows, SEGMENT_ROW_GROUP_ROWS);
  }

  /** The strings of the codes the segment uses (code, value), ids that are not row numbers included. */
  dictionaryFile(): Buffer[] {
    const c = this.columns;
    const coded = [c.from_account, c.to_account, c.currency, c.orig_currency, c.channel, c.from_country, c.to_country, c.from_institution, c.to_institution];
    const used = this.dict.usedCodes(coded, this.rows);
    const count = used.length + this.ids.length;
    const codes = new Int32Array(count);
    const values = new Array<string>(count);
    for (let i = 0; i < used.length; i++) {
      codes[i] = used[i]!;
      values[i] = this.dict.value(used[i]!);
    }
    for (let j = 0; j < this.ids.length; j++) {
      codes[used.length + j] = -2 - j;
      values[used.length + j] = this.ids[j]!;
    }
    return parquetParts([{ name: 'code', type: 'int32', values: codes }, { name: 'value', type: 'string', values }], count);
  }
}

/** A string as a DuckDB SQL literal. */
function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The dictionary table a segment's statements join (created from the segment's dictionary file). */
export const STAGE_DICT = 'stage_dict';

/** Which optional coded columns a segment has values in (the others decode to NULL without a join). */
export interface SegmentShape {
  ids: boolean;
  origCurrency: boolean;
  fromCountry: boolean;
  toCountry: boolean;
}

const FULL_SHAPE: SegmentShape = { ids: true, origCurrency: true, fromCountry: true, toCountry: true };

/**
 * A segment's transactions decoded into stage_tx's columns (source, id, …, file, line, batch_id), as a FROM item.
 * Parameters: $1 source, $2 file, $3 batch id.
 */
function decodedTransactions(rowsPath: string, shape: SegmentShape): string {
  const d = STAGE_DICT;
  const optional = (present: boolean, alias: string, column: string) =>
    present ? { value: `${alias}.value`, join: ` LEFT JOIN ${d} ${alias} ON ${alias}.code = s.${column}` } : { value: 'CAST(NULL AS VARCHAR)', join: '' };
  const ids = optional(shape.ids, 'ids', 'id_code');
  const oc = optional(shape.origCurrency, 'oc', 'orig_currency');
  const fc = optional(shape.fromCountry, 'fc', 'from_country');
  const tc = optional(shape.toCountry, 'tc', 'to_country');
  return `(SELECT $1 AS source, ${shape.ids ? `COALESCE(${ids.value}, 'row:' || CAST(s.row_no AS BIGINT))` : `'row:' || CAST(s.row_no AS BIGINT)`} AS id,
      s.time_ms, fa.value AS from_account, ta.value AS to_account, s.amount_minor, cu.value AS currency,
      CASE WHEN isnan(s.orig_amount_minor) THEN NULL ELSE s.orig_amount_minor END AS orig_amount_minor,
      ${oc.value} AS orig_currency, ch.value AS channel, ${fc.value} AS from_country, ${tc.value} AS to_country, $2 AS file, s.line, $3 AS batch_id
    FROM read_parquet(${literal(rowsPath)}) s
      JOIN ${d} fa ON fa.code = s.from_account JOIN ${d} ta ON ta.code = s.to_account
      JOIN ${d} cu ON cu.code = s.currency JOIN ${d} ch ON ch.code = s.channel${oc.join}${fc.join}${tc.join}${ids.join}) staged`;
}

/** Statements loading a segment: the dictionary table, the transactions (fast: copy; else dedupe), the accounts. */
export function segmentStatements(
  rowsPath: string,
  dictPath: string,
  fast: boolean,
  shape: SegmentShape = FULL_SHAPE,
): { dictionary: string; transactions: string; accounts: string } {
  const rows = `read_parquet(${literal(rowsPath)})`;
  return {
    dictionary: `CREATE OR REPLACE TEMP TABLE ${STAGE_DICT} AS SELECT code, value FROM read_parquet(${literal(dictPath)})`,
    transactions: fast ? copyTransactionsFrom(decodedTransactions(rowsPath, shape)) : mergeTransactionsFrom(decodedTransactions(rowsPath, shape)),
    // One row per (account, institution) with its first line: the grouping runs on the integer codes.
    // Parameters: $1 file, $2 batch id.
    accounts: mergeTxAccountsFrom(`(SELECT d.value AS id, i.value AS institution, $1 AS file, g.line, $2 AS batch_id
      FROM (SELECT code, institution, MIN(line) AS line
            FROM (SELECT from_account AS code, from_institution AS institution, line FROM ${rows}
                  UNION ALL SELECT to_account, to_institution, line FROM ${rows}) sides
            GROUP BY code, institution) g
      JOIN ${STAGE_DICT} d ON d.code = g.code LEFT JOIN ${STAGE_DICT} i ON i.code = g.institution) a`),
  };
}
