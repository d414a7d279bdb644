/**
 * IBM AMLSim outputs (github.com/IBM/AMLSim, Apache-2.0). The layout is told from the header line:
 *
 * - full `transactions.csv` (`scripts/convert_logs.py`): `tran_id,orig_acct,bene_acct,tx_type,base_amt,
 *   tran_timestamp,is_sar,alert_id`; `tran_timestamp` is `base_date + step days` written as `2017-01-01T00:00:00Z`
 *   (a bare whole number is read as a step). The same header in `cash_tx.csv` carries CASH-IN/CASH-OUT rows.
 * - older `tx.csv`: `TXN_ID,ACCOUNT_ID,COUNTER_PARTY_ACCOUNT_NUM,TXN_SOURCE_TYPE_CODE,tx_count,TXN_AMOUNT_ORIG,start,end`;
 *   ACCOUNT_ID sends to COUNTER_PARTY_ACCOUNT_NUM on day `start`.
 * - older `cash_tx.csv`: `TXN_ID,ACCOUNT_ID,BRANCH_ID,TXN_SOURCE_TYPE_CODE,tx_count,TXN_AMOUNT_ORIG,RUN_DATE,end`.
 * - node sample `transactions.csv` (`scripts/obsolete/convert_csv.py`): `sourceNodeId,targetNodeId,value,time`,
 *   with a `nodes.csv` (`nodeid,isFraud,init_balance,fraudStep`) beside it that is read first when present.
 * - `accounts.csv`: `ACCOUNT_ID,PRIMARY_CUSTOMER_ID,init_balance,start,end,country,business,suspicious,isFraud,modelID`,
 *   and `nodes.csv` on its own.
 *
 * Steps are days; step 0 is 2017-01-01T00:00:00Z. Amounts are USD unless a currency column exists.
 * Transaction id = `tran_id` / `TXN_ID` as written; the node sample has none, so `row:<n>` (1-based data row,
 * rejected rows counted). Account id = the id as written. `is_sar`, `alert_id`, `isFraud`, `suspicious` are
 * ground truth: they go to `batch.truth` only, never into transaction or account fields.
 *
 * Cash rows keep the simulator's originator/beneficiary columns: AMLSim logs CASH-IN as account → branch and
 * CASH-OUT as branch → account (`CashInModel`/`CashOutModel`), so the older cash_tx.csv holds the branch under
 * ACCOUNT_ID for CASH-OUT rows. Money moves into the account on CASH-IN and out of it on CASH-OUT; the branch
 * side becomes the pseudo-account `cash:branch:<id>` and the channel is `cash`.
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { channelIndex, parseAmountMinor, type Account, type Channel, type Party, type TruthLabel } from '../../model/index.js';
import { CsvTokenizer, type CsvSink } from '../csv.js';
import { BatchBuilder, type FormatReader, type IngestBatch, type ReadContext } from '../reader.js';
import { CurrencyCache, MAX_CACHED_VALUES, currencyInfo, type CurrencyInfo } from '../currency-cache.js';
import { readHead, readTextPieces } from '../text.js';
import { parseIsoInstant } from './mapped-csv.js';

/** Step 0 of every AMLSim simulation shipped with the project (`base_date` 2017-01-01). */
export const AMLSIM_STEP0_MS = Date.UTC(2017, 0, 1);
const DAY_MS = 86_400_000;

/**
 * Transaction types → channels. AMLSim's types are configurable (`transactionType.csv`); the shipped ones are
 * TRANSFER (the default) and, in the older outputs, WIRE, CHECK, CREDIT and DEPOSIT, all account-to-account.
 * CREDIT, DEPOSIT and TRANSFER are electronic credit transfers between accounts, read as `ach`.
 * A type not listed here is kept as `other` (never rejected: the simulator may be configured with any name).
 */
const TX_TYPES: Record<string, Channel> = {
  WIRE: 'wire',
  CHECK: 'cheque',
  CHEQUE: 'cheque',
  CREDIT: 'ach',
  DEPOSIT: 'ach',
  TRANSFER: 'ach',
  PAYMENT: 'ach',
  'CASH-IN': 'cash',
  'CASH-OUT': 'cash',
  // Types other generators write in this layout (rastro generate --format amlsim; PaySim-style exports).
  CASH: 'cash',
  CARD: 'card',
  DEBIT: 'card',
  CRYPTO: 'crypto',
  REMITTANCE: 'remittance',
  MOBILE: 'mobile',
};
const TYPE_CODES = new Map(Object.entries(TX_TYPES).map(([k, v]) => [k, channelIndex(v)]));
const OTHER = channelIndex('other');
const CASH = channelIndex('cash');
/** The node sample has no type column; its rows came from the simulator's default type. */
const NODE_SAMPLE_CHANNEL = channelIndex(TX_TYPES.TRANSFER!);
const CASH_IN = 'CASH-IN';
const CASH_OUT = 'CASH-OUT';

/** Columns that, when present, give the amount's currency (otherwise USD). */
const CURRENCY_COLUMNS = ['currency', 'base_currency', 'base_crncy'];

type Layout = 'full' | 'tx' | 'cash' | 'node' | 'accounts' | 'nodes';

const LAYOUTS: { layout: Layout; columns: readonly string[]; describe: string }[] = [
  {
    layout: 'full',
    columns: ['tran_id', 'orig_acct', 'bene_acct', 'tx_type', 'base_amt', 'tran_timestamp'],
    describe: 'AMLSim transactions.csv / cash_tx.csv (header tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id)',
  },
  {
    layout: 'tx',
    columns: ['TXN_ID', 'ACCOUNT_ID', 'COUNTER_PARTY_ACCOUNT_NUM', 'TXN_SOURCE_TYPE_CODE', 'TXN_AMOUNT_ORIG', 'start'],
    describe: 'AMLSim tx.csv (header TXN_ID,ACCOUNT_ID,COUNTER_PARTY_ACCOUNT_NUM,TXN_SOURCE_TYPE_CODE,tx_count,TXN_AMOUNT_ORIG,start,end)',
  },
  {
    layout: 'cash',
    columns: ['TXN_ID', 'ACCOUNT_ID', 'BRANCH_ID', 'TXN_SOURCE_TYPE_CODE', 'TXN_AMOUNT_ORIG', 'RUN_DATE'],
    describe: 'AMLSim cash_tx.csv (header TXN_ID,ACCOUNT_ID,BRANCH_ID,TXN_SOURCE_TYPE_CODE,tx_count,TXN_AMOUNT_ORIG,RUN_DATE,end)',
  },
  {
    layout: 'node',
    columns: ['sourceNodeId', 'targetNodeId', 'value', 'time'],
    describe: 'AMLSim node sample transactions.csv (header sourceNodeId,targetNodeId,value,time; a nodes.csv beside it is read too)',
  },
  {
    layout: 'accounts',
    columns: ['ACCOUNT_ID', 'PRIMARY_CUSTOMER_ID', 'init_balance'],
    describe: 'AMLSim accounts.csv (header ACCOUNT_ID,PRIMARY_CUSTOMER_ID,init_balance,start,end,country,business,suspicious,isFraud,modelID)',
  },
  {
    layout: 'nodes',
    columns: ['nodeid', 'isFraud'],
    describe: 'AMLSim nodes.csv (header nodeid,isFraud,init_balance,fraudStep)',
  },
];

function layoutOf(names: readonly string[]): Layout | undefined {
  return LAYOUTS.find((l) => l.columns.every((c) => names.includes(c)))?.layout;
}

function headerNames(head: string): string[] {
  const nl = head.indexOf('\n');
  const line = nl === -1 ? head : head.slice(0, nl);
  return line.split(',').map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
}

function isTrue(raw: string): boolean {
  return raw === 'True' || raw === 'true' || raw === '1' || raw === 'TRUE';
}

/** A step (whole days since step 0) as epoch ms, or NaN. */
function stepMs(t: string): number {
  const n = t.length;
  if (n === 0 || n > 7) return NaN;
  let step = 0;
  for (let i = 0; i < n; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    step = step * 10 + d;
  }
  return AMLSIM_STEP0_MS + step * DAY_MS;
}

function isCountry(raw: string): boolean {
  if (raw.length !== 2) return false;
  const a = raw.charCodeAt(0);
  const b = raw.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

const USD: CurrencyInfo = currencyInfo('USD');

/** Per-read state and row parsing; one instance per file. */
class AmlsimRowParser implements CsvSink {
  private row = 0;
  private headerSeen = false;
  private layout: Layout | undefined;
  private expected = -1;
  // Column indices, -1 when absent.
  private idCol = -1;
  private origCol = -1;
  private beneCol = -1;
  private typeCol = -1;
  private amountCol = -1;
  private timeCol = -1;
  private currencyCol = -1;
  private sarCol = -1;
  private alertCol = -1;
  private customerCol = -1;
  private countryCol = -1;
  private businessCol = -1;
  private suspiciousCol = -1;
  private fraudCol = -1;
  private names: string[] = [];
  private readonly currencies = new CurrencyCache();
  private readonly channels = new Map<string, number>();
  private readonly branches = new Map<string, string>();
  private readonly parties = new Set<string>();

  constructor(
    private readonly out: BatchBuilder,
    private readonly tokenizer: CsvTokenizer,
  ) {}


  private channel(raw: string): number {
    let index = this.channels.get(raw);
    if (index === undefined) {
      index = TYPE_CODES.get(raw.trim().toUpperCase()) ?? OTHER;
      if (this.channels.size < MAX_CACHED_VALUES) this.channels.set(raw, index);
    }
    return index;
  }

  private branchAccount(branch: string): string {
    let id = this.branches.get(branch);
    if (id === undefined) {
      id = `cash:branch:${branch}`;
      if (this.branches.size < MAX_CACHED_VALUES) this.branches.set(branch, id);
    }
    return id;
  }

  bad(line: number, reason: string, raw: string): void {
    if (this.headerSeen) this.row++;
    this.out.reject(line, reason, raw);
  }

  private header(f: string[], count: number, line: number): void {
    const names = f.slice(0, count).map((s) => s.trim());
    this.names = names;
    this.layout = layoutOf(names);
    if (this.layout === undefined) {
      this.out.reject(line, `not an AMLSim header; known: ${LAYOUTS.map((l) => l.describe).join('; ')}`, this.tokenizer.raw());
      return;
    }
    this.expected = count;
    const at = (name: string) => names.indexOf(name);
    switch (this.layout) {
      case 'full':
        [this.idCol, this.origCol, this.beneCol, this.typeCol, this.amountCol, this.timeCol] = [
          at('tran_id'), at('orig_acct'), at('bene_acct'), at('tx_type'), at('base_amt'), at('tran_timestamp'),
        ];
        this.sarCol = at('is_sar') >= 0 ? at('is_sar') : at('is_fraud');
        this.alertCol = at('alert_id');
        break;
      case 'tx':
        [this.idCol, this.origCol, this.beneCol, this.typeCol, this.amountCol, this.timeCol] = [
          at('TXN_ID'), at('ACCOUNT_ID'), at('COUNTER_PARTY_ACCOUNT_NUM'), at('TXN_SOURCE_TYPE_CODE'), at('TXN_AMOUNT_ORIG'), at('start'),
        ];
        break;
      case 'cash':
        [this.idCol, this.origCol, this.beneCol, this.typeCol, this.amountCol, this.timeCol] = [
          at('TXN_ID'), at('ACCOUNT_ID'), at('BRANCH_ID'), at('TXN_SOURCE_TYPE_CODE'), at('TXN_AMOUNT_ORIG'), at('RUN_DATE'),
        ];
        break;
      case 'node':
        [this.origCol, this.beneCol, this.amountCol, this.timeCol] = [at('sourceNodeId'), at('targetNodeId'), at('value'), at('time')];
        break;
      case 'accounts':
        [this.idCol, this.customerCol, this.countryCol, this.businessCol] = [at('ACCOUNT_ID'), at('PRIMARY_CUSTOMER_ID'), at('country'), at('business')];
        [this.suspiciousCol, this.fraudCol] = [at('suspicious'), at('isFraud')];
        break;
      case 'nodes':
        [this.idCol, this.fraudCol] = [at('nodeid'), at('isFraud')];
        break;
    }
    for (const name of CURRENCY_COLUMNS) if (this.currencyCol < 0) this.currencyCol = at(name);
  }

  record(f: string[], count: number, line: number): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.header(f, count, line);
      return;
    }
    this.row++;
    if (this.layout === undefined) return this.fail(line, 'file has no valid AMLSim header');
    if (count !== this.expected) return this.fail(line, `expected ${this.expected} columns, found ${count}`);
    if (this.layout === 'accounts' || this.layout === 'nodes') return this.accountRow(f, line);

    let id: string;
    if (this.idCol >= 0) {
      id = f[this.idCol]!;
      if (id === '') return this.fail(line, `empty ${this.names[this.idCol]}`);
      if (id.indexOf('\n') !== -1) return this.fail(line, `line break inside ${this.names[this.idCol]} (quoted newline)`);
    } else {
      id = `row:${this.row}`;
    }

    const timeText = f[this.timeCol]!;
    const timeMs = this.layout === 'full' ? this.timestamp(timeText) : stepMs(timeText);
    if (Number.isNaN(timeMs)) {
      const expected = this.layout === 'full' ? 'YYYY-MM-DDTHH:MM:SSZ or a step' : 'a step: whole days since 2017-01-01';
      return this.fail(line, `unparseable ${this.names[this.timeCol]} ${JSON.stringify(timeText)} (expected ${expected})`);
    }

    let currency = USD;
    if (this.currencyCol >= 0) {
      const info = this.currencies.lookup(f[this.currencyCol]!);
      if (info === null) return this.fail(line, `unknown currency ${JSON.stringify(f[this.currencyCol])}`);
      currency = info;
    }
    const amountText = f[this.amountCol]!;
    const amount = parseAmountMinor(amountText, currency.exponent);
    if (Number.isNaN(amount)) return this.fail(line, `unparseable ${this.names[this.amountCol]} ${JSON.stringify(amountText)}`);
    if (amount < 0) return this.fail(line, `negative ${this.names[this.amountCol]} ${JSON.stringify(amountText)}`);

    const orig = f[this.origCol]!;
    const bene = f[this.beneCol]!;
    if (orig.indexOf('\n') !== -1) return this.fail(line, `line break inside ${this.names[this.origCol]} (quoted newline)`);
    if (bene.indexOf('\n') !== -1) return this.fail(line, `line break inside ${this.names[this.beneCol]} (quoted newline)`);

    let from: string;
    let to: string;
    let channel: number;
    let cashSide = 0; // 1: `from` is the cash pseudo-account, 2: `to` is
    const type = this.typeCol >= 0 ? f[this.typeCol]! : '';
    if (type === CASH_IN || type === CASH_OUT) {
      // Simulator log order: CASH-IN account → branch, CASH-OUT branch → account; money enters / leaves the account.
      const account = type === CASH_IN ? orig : bene;
      const branch = type === CASH_IN ? bene : orig;
      const accountColumn = this.names[type === CASH_IN ? this.origCol : this.beneCol];
      const branchColumn = this.names[type === CASH_IN ? this.beneCol : this.origCol];
      if (account === '') return this.fail(line, `empty account (${accountColumn} of a ${type} row)`);
      if (branch === '') return this.fail(line, `empty branch (${branchColumn} of a ${type} row)`);
      if (type === CASH_IN) {
        from = this.branchAccount(branch);
        to = account;
        cashSide = 1;
      } else {
        from = account;
        to = this.branchAccount(branch);
        cashSide = 2;
      }
      channel = CASH;
    } else {
      if (this.layout === 'cash') {
        return this.fail(line, `unknown cash transaction type ${JSON.stringify(type)} (expected ${CASH_IN} or ${CASH_OUT})`);
      }
      if (orig === '') return this.fail(line, `empty originator account (${this.names[this.origCol]})`);
      if (bene === '') return this.fail(line, `empty beneficiary account (${this.names[this.beneCol]})`);
      from = orig;
      to = bene;
      channel = this.typeCol >= 0 ? this.channel(type) : NODE_SAMPLE_CHANNEL;
    }

    this.out.tx.push(id, timeMs, from, to, amount, currency.code, channel, line);
    const batch = this.out.batch;
    if (this.out.firstSight(from)) batch.accounts.push(this.account(from, cashSide === 1, line));
    if (this.out.firstSight(to)) batch.accounts.push(this.account(to, cashSide === 2, line));

    if (this.sarCol >= 0 || this.alertCol >= 0) {
      const sar = this.sarCol >= 0 && isTrue(f[this.sarCol]!);
      const alert = this.alertCol >= 0 ? f[this.alertCol]! : '';
      const inAlert = alert !== '' && alert.charCodeAt(0) !== 45; // AMLSim writes -1 for "no alert"
      if (sar || inAlert) {
        const label: TruthLabel = { source: batch.source, transactionId: id, laundering: sar };
        if (inAlert) label.instance = alert;
        batch.truth.push(label);
      }
    }
  }

  /** `tran_timestamp`: ISO 8601 as convert_logs.py writes it, or a bare step when the schema kept steps. */
  private timestamp(text: string): number {
    const c = text.charCodeAt(0);
    if (text.length <= 7 && c >= 48 && c <= 57) return stepMs(text);
    return parseIsoInstant(text);
  }

  /** accounts.csv / nodes.csv: account records; the fraud flags become truth labels only. */
  private accountRow(f: string[], line: number): void {
    const id = f[this.idCol]!;
    const idColumn = this.names[this.idCol];
    if (id === '') return this.fail(line, `empty ${idColumn}`);
    if (id.indexOf('\n') !== -1) return this.fail(line, `line break inside ${idColumn} (quoted newline)`);
    let country: string | undefined;
    if (this.countryCol >= 0 && f[this.countryCol] !== '') {
      country = f[this.countryCol]!;
      if (!isCountry(country)) return this.fail(line, `invalid country ${JSON.stringify(country)} (expected ISO 3166-1 alpha-2)`);
    }
    const batch = this.out.batch;
    const provenance = { file: batch.file, line, batch: batch.batchId };
    if (this.out.firstSight(id)) {
      const account: Account = { id, kind: 'bank', provenance };
      if (country !== undefined) account.country = country;
      batch.accounts.push(account);
    }
    const customer = this.customerCol >= 0 ? f[this.customerCol]! : '';
    if (customer !== '') {
      if (!this.parties.has(customer)) {
        if (this.parties.size >= 1_000_000) this.parties.clear(); // stores dedupe anyway
        this.parties.add(customer);
        const individual = this.businessCol < 0 || f[this.businessCol] === 'I';
        const party: Party = { id: customer, kind: individual ? 'person' : 'company', name: '', identifiers: [], provenance };
        if (country !== undefined) party.country = country;
        batch.parties.push(party);
      }
      batch.links.push({ partyId: customer, accountId: id, role: 'holder', provenance });
    }
    const suspicious = this.suspiciousCol >= 0 && isTrue(f[this.suspiciousCol]!);
    const fraud = this.fraudCol >= 0 && isTrue(f[this.fraudCol]!);
    if (suspicious || fraud) {
      // TruthLabel names a transaction; account-level truth is keyed `account:<id>` in the same source.
      batch.truth.push({ source: batch.source, transactionId: `account:${id}`, laundering: true });
    }
  }

  private account(id: string, cash: boolean, line: number): Account {
    return { id, kind: cash ? 'cash' : 'bank', provenance: { file: this.out.batch.file, line, batch: this.out.batch.batchId } };
  }

  private fail(line: number, reason: string): void {
    this.out.reject(line, reason, this.tokenizer.raw());
  }
}

async function* readOne(ctx: ReadContext): AsyncGenerator<IngestBatch> {
  const out = new BatchBuilder(ctx);
  const tokenizer = new CsvTokenizer();
  const parser = new AmlsimRowParser(out, tokenizer);
  for await (const piece of readTextPieces(ctx.path, { encoding: ctx.encoding, onBytes: ctx.onBytes })) {
    tokenizer.push(piece, parser);
    yield* out.drain();
  }
  tokenizer.end(parser);
  yield* out.finish();
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function* readAmlsim(ctx: ReadContext): AsyncGenerator<IngestBatch> {
  if (layoutOf(headerNames(await readHead(ctx.path, 4096))) === 'node') {
    const nodesPath = join(dirname(ctx.path), 'nodes.csv');
    if (nodesPath !== ctx.path && (await isFile(nodesPath))) {
      yield* readOne({ ...ctx, path: nodesPath, file: join(dirname(ctx.file), 'nodes.csv'), onBytes: undefined });
    }
  }
  yield* readOne(ctx);
}

export const amlsimReader: FormatReader = {
  format: 'amlsim',
  layouts: LAYOUTS.map((l) => l.describe),
  detect(head) {
    return layoutOf(headerNames(head)) !== undefined;
  },
  read: readAmlsim,
};
