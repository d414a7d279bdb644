/**
 * Truth-only lists: files that hold labels and no transactions, so `eval` reads them and no transaction
 * reader does. Told apart by their header line.
 *
 * - AMLSim `alert_transactions.csv` (`scripts/convert_logs.py`, schema `alert_tx`): `alert_id,alert_type,is_sar,tran_id,...`
 *   — the scheme of each alert id; the transactions themselves come from `transactions.csv` (`alert_id` column).
 * - AMLSim `alert_accounts.csv` (schema `alert_member`): `alert_id,alert_type,acct_id,acct_name,is_sar,...` — the
 *   members of each alert; members of a SAR alert are laundering accounts.
 * - AMLSim's older `alerts.csv`: `ALERT_KEY,ALERT_TEXT,ACCOUNT_ID,CUSTOMER_ID,EVENT_DATE,CHECK_NAME,...` — one subject
 *   account per alert, `CHECK_NAME` the alert type, `Escalated_To_Case_Investigation` YES for a SAR.
 * - `rastro generate`'s `accounts.csv`: `account,role,...,is_laundering,...` — every account of the world with its label.
 *
 * The AMLSim SAR column is `is_sar` (or `is_fraud`, as older schemas name it); without one every alert counts as a SAR.
 */
import { CsvTokenizer, readTextPieces, type CsvSink, type TextEncodingName } from '../ingest/index.js';
import type { Reject } from '../model/index.js';
import { normaliseScheme } from './scheme.js';

export const TRUTH_LIST_NAMES = ['amlsim-alert-transactions', 'amlsim-alert-accounts', 'amlsim-alerts', 'rastro-accounts'] as const;
export type TruthListLayout = (typeof TRUTH_LIST_NAMES)[number];

interface LayoutSpec {
  layout: TruthListLayout;
  /** Alert (attempt) id and type columns; absent for a plain list of labelled accounts. */
  id?: string;
  type?: string;
  account?: string;
  required: readonly string[];
  /** Label columns, first present wins; none present: every row is laundering. */
  sar: readonly string[];
  describe: string;
}

const LAYOUTS: readonly LayoutSpec[] = [
  {
    layout: 'amlsim-alert-transactions',
    id: 'alert_id',
    type: 'alert_type',
    required: ['alert_id', 'alert_type', 'tran_id'],
    sar: ['is_sar', 'is_fraud', 'sar_flag'],
    describe: 'amlsim    AMLSim alert_transactions.csv (header alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,...)',
  },
  {
    layout: 'amlsim-alert-accounts',
    id: 'alert_id',
    type: 'alert_type',
    account: 'acct_id',
    required: ['alert_id', 'alert_type', 'acct_id'],
    sar: ['is_sar', 'is_fraud', 'sar_flag'],
    describe: 'amlsim    AMLSim alert_accounts.csv (header alert_id,alert_type,acct_id,acct_name,is_sar,...)',
  },
  {
    layout: 'amlsim-alerts',
    id: 'ALERT_KEY',
    type: 'CHECK_NAME',
    account: 'ACCOUNT_ID',
    required: ['ALERT_KEY', 'ACCOUNT_ID', 'CHECK_NAME'],
    sar: ['Escalated_To_Case_Investigation'],
    describe: 'amlsim    AMLSim alerts.csv (header ALERT_KEY,ALERT_TEXT,ACCOUNT_ID,CUSTOMER_ID,EVENT_DATE,CHECK_NAME,...)',
  },
  {
    layout: 'rastro-accounts',
    account: 'account',
    required: ['account', 'is_laundering'],
    sar: ['is_laundering'],
    describe: 'rastro    rastro generate accounts.csv (header account,role,country,currency,owner,is_laundering,...)',
  },
];

/** One line per truth-only layout, for messages. */
export const TRUTH_LIST_LAYOUTS: readonly string[] = LAYOUTS.map((l) => l.describe);

function headerNames(head: string): string[] {
  const nl = head.indexOf('\n');
  const line = (nl === -1 ? head : head.slice(0, nl)).replace(/\r$/, '');
  return line.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
}

function specFor(names: readonly string[]): LayoutSpec | undefined {
  return LAYOUTS.find((l) => l.required.every((c) => names.includes(c)));
}

/** The truth-list layout of a file from its first bytes, if it is one. */
export function truthListLayout(head: string): TruthListLayout | undefined {
  return specFor(headerNames(head))?.layout;
}

/**
 * One row of a truth list: for alert lists the alert (attempt) and its scheme, whether it is a SAR, and the
 * member account when the list names one; for account lists the account and its label.
 */
export interface TruthListRow {
  attempt?: string;
  scheme?: string;
  sar: boolean;
  account?: string;
}

function isTrue(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  return v === 'true' || v === '1' || v === 'yes' || v === 'y';
}

class TruthListParser implements CsvSink {
  rows: TruthListRow[] = [];
  rejects: Reject[] = [];
  private spec: LayoutSpec | undefined;
  private expected = -1;
  private idCol = -1;
  private typeCol = -1;
  private accountCol = -1;
  private sarCol = -1;
  private headerSeen = false;

  constructor(
    private readonly file: string,
    private readonly tokenizer: CsvTokenizer,
  ) {}

  bad(line: number, reason: string, raw: string): void {
    this.reject(line, reason, raw);
  }

  record(f: string[], count: number, line: number): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      const names = f.slice(0, count).map((s) => s.trim());
      const spec = specFor(names);
      this.spec = spec;
      if (spec === undefined) return this.reject(line, `not a truth list; known: ${TRUTH_LIST_LAYOUTS.join('; ')}`, this.tokenizer.raw());
      this.expected = count;
      this.idCol = spec.id === undefined ? -1 : names.indexOf(spec.id);
      this.typeCol = spec.type === undefined ? -1 : names.indexOf(spec.type);
      this.accountCol = spec.account === undefined ? -1 : names.indexOf(spec.account);
      this.sarCol = names.findIndex((n) => spec.sar.includes(n));
      return;
    }
    const spec = this.spec;
    if (spec === undefined) return this.reject(line, 'file has no valid truth-list header', this.tokenizer.raw());
    if (count !== this.expected) return this.reject(line, `expected ${this.expected} columns, found ${count}`, this.tokenizer.raw());
    const row: TruthListRow = { sar: this.sarCol < 0 || isTrue(f[this.sarCol]!) };
    if (this.idCol >= 0) {
      const attempt = f[this.idCol]!.trim();
      if (attempt === '') return this.reject(line, `empty ${spec.id}`, this.tokenizer.raw());
      const scheme = normaliseScheme(f[this.typeCol]!);
      if (scheme === '') return this.reject(line, `empty ${spec.type}`, this.tokenizer.raw());
      row.attempt = attempt;
      row.scheme = scheme;
    }
    if (this.accountCol >= 0) {
      const account = f[this.accountCol]!;
      if (account === '') return this.reject(line, `empty ${spec.account}`, this.tokenizer.raw());
      row.account = account;
    }
    this.rows.push(row);
  }

  private reject(line: number, reason: string, raw: string): void {
    this.rejects.push({ file: this.file, line, reason, record: raw.length > 1000 ? `${raw.slice(0, 1000)}…` : raw });
  }

  drain(): { rows: TruthListRow[]; rejects: Reject[] } {
    const out = { rows: this.rows, rejects: this.rejects };
    this.rows = [];
    this.rejects = [];
    return out;
  }
}

/** Stream a truth list as chunks of rows and rejects (one chunk per piece of text read). */
export async function* readTruthList(path: string, encoding?: TextEncodingName): AsyncGenerator<{ rows: TruthListRow[]; rejects: Reject[] }> {
  const tokenizer = new CsvTokenizer();
  const parser = new TruthListParser(path, tokenizer);
  for await (const piece of readTextPieces(path, { encoding })) {
    tokenizer.push(piece, parser);
    yield parser.drain();
  }
  tokenizer.end(parser);
  yield parser.drain();
}
