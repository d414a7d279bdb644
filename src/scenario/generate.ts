/**
 * The generator's shell: builds the world, lets the schemes plan, then walks the days — every activity emits
 * its day, the schemes' transactions of that day join in, each UTC day, once complete, is sorted and
 * appended to the transactions file and dropped, and the crypto ledger runs the day's on-chain transfers
 * into `crypto.jsonl`. Then the truth files. Memory holds the world and about three days of rows, whatever
 * the length of the period.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { DAY_MS, MINUTE_MS } from './calendar.js';
import { DayBuffer, MAX_ROW_BYTES, type SortedDay } from './day-buffer.js';
import { ECONOMY } from './economy/index.js';
import {
  AMLSIM_ACCOUNTS_HEADER,
  AMLSIM_ALERT_ACCOUNTS_HEADER,
  AMLSIM_ALERT_TRANSACTIONS_HEADER,
  AmlsimRowFormat,
  amlsimBranch,
  amlsimTxType,
} from './formats/amlsim.js';
import { IbmRowFormat, ibmPatternBlock, ibmTimestamp } from './formats/ibm-aml.js';
import { RASTRO_MAPPING, RASTRO_MAPPING_FILE, RastroRowFormat } from './formats/rastro.js';
import { csvField, decimalAmount, putUint, TIME_MARK, type RowFormat, type RowLabels } from './formats/row-format.js';
import { Rng } from './rng.js';
import { MAX_SCHEME_TRANSACTIONS, typeLabel, type PlannedTx, type Scheme, type SchemeInstance } from './scheme.js';
import { defaultSchemes } from './schemes/index.js';
import type { TxSink } from './sink.js';
import { World } from './world.js';

export const GENERATE_FORMATS = ['ibm-aml', 'amlsim', 'rastro'] as const;
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];

/** The IBM AMLworld layout's files (the default format). */
export const OUTPUT_FILES = { transactions: 'Trans.csv', patterns: 'Patterns.txt', accounts: 'accounts.csv', world: 'world.json' } as const;

/** Written in every format, next to the transactions. */
export const COMMON_FILES = {
  parties: 'parties.csv',
  instances: 'instances.csv',
  sanctions: 'sanctions-truth.csv',
  crypto: 'crypto.jsonl',
  cryptoAddresses: 'crypto-addresses.csv',
  cryptoLabels: 'crypto-labels.csv',
} as const;

/** The files each format writes (transactions first). */
export const FORMAT_FILES: Readonly<Record<GenerateFormat, readonly string[]>> = {
  'ibm-aml': ['Trans.csv', 'Patterns.txt', 'accounts.csv'],
  amlsim: ['transactions.csv', 'accounts.csv', 'alert_accounts.csv', 'alert_transactions.csv'],
  rastro: ['transactions.csv', RASTRO_MAPPING_FILE, 'accounts.csv', 'alert_accounts.csv'],
};

export interface GenerateOptions {
  accounts: number;
  days: number;
  seed: number;
  /** Midnight UTC of the first day. */
  startMs: number;
  outDir: string;
  format?: GenerateFormat;
  /** The schemes to plant; absent: the default set (`defaultSchemes()`), `[]`: a benign world. */
  schemes?: readonly Scheme[];
  onProgress?: (progress: GenerateProgress) => void;
}

export interface GenerateProgress {
  day: number;
  days: number;
  transactions: number;
  bytes: number;
}

export interface GenerateSummary {
  outDir: string;
  format: GenerateFormat;
  files: string[];
  seed: number;
  start: string;
  end: string;
  attackStart: string;
  days: number;
  banks: number;
  /** All accounts, benign and fresh. */
  accounts: number;
  freshAccounts: number;
  launderingAccounts: number;
  accountsByRole: Record<string, number>;
  parties: number;
  transactions: number;
  launderingTransactions: number;
  instances: number;
  instancesByType: Record<string, number>;
  instancesByScheme: Record<string, number>;
  /** Parties named after a sanctions-list entry. */
  listedParties: number;
  cryptoTransactions: number;
  cryptoLaunderingTransactions: number;
  /** Scheme crypto transfers that found no or too few coins (planned laundering that did not happen as planned; 0 normally). */
  cryptoSchemeShortfalls: number;
  /** Benign rows whose time fell outside the period (a local day crossing the first or last midnight). */
  droppedOutsidePeriod: number;
  transactionsBytes: number;
  /** Most rows held in memory at once (about three days' worth, whatever the period). */
  peakBufferedRows: number;
}

/** Bytes per write call. */
const CHUNK_BYTES = 1 << 20;

/** Appends to a file with back-pressure; remembers the first stream error. */
class FileOut {
  private readonly stream: WriteStream;
  private error: Error | undefined;
  bytes = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 });
    this.stream.on('error', (err) => (this.error ??= err));
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.error) throw this.error;
    this.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.error) throw this.error;
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.error) throw this.error;
  }
}

/** Write a whole file from a generator of text pieces (joined up to about a megabyte per write). */
async function writeLines(path: string, pieces: Iterable<string>): Promise<void> {
  const out = new FileOut(path);
  let done = false;
  try {
    let chunk = '';
    for (const piece of pieces) {
      chunk += piece;
      if (chunk.length > 1 << 20) {
        await out.write(chunk);
        chunk = '';
      }
    }
    await out.write(chunk);
    done = true;
  } finally {
    // After a failure, closing is best effort: the first error is the one to report.
    await out.close().catch((err: unknown) => {
      if (done) throw err;
    });
  }
}

function checkInstances(world: World, scheme: Scheme, planned: SchemeInstance[], seen: Set<string>): void {
  const startMs = world.calendar.startMs;
  const endMs = startMs + world.options.days * DAY_MS;
  for (const instance of planned) {
    const where = `scheme ${scheme.name}, instance ${instance.id}`;
    if (seen.has(instance.id)) throw new Error(`scheme ${scheme.name}: instance id ${instance.id} used twice`);
    seen.add(instance.id);
    if (instance.transactions.length === 0) throw new Error(`${where}: no transactions`);
    if (/[",\r\n]/.test(instance.title)) throw new Error(`${where}: the title may hold no comma, quote or line break (Patterns.txt BEGIN lines are read as CSV)`);
    let previous = -Infinity;
    for (const tx of instance.transactions) {
      if (!(tx.timeMs >= startMs && tx.timeMs < endMs) || tx.timeMs % MINUTE_MS !== 0) throw new Error(`${where}: time ${tx.timeMs} is not a whole minute inside the world`);
      if (tx.timeMs < previous) throw new Error(`${where}: transactions out of time order`);
      previous = tx.timeMs;
      for (const account of [tx.from, tx.to]) {
        if (!Number.isInteger(account) || account < 0 || account >= world.accountCount) throw new Error(`${where}: no account ${account}`);
      }
      if (!Number.isSafeInteger(tx.amountMinor) || tx.amountMinor < 0 || !Number.isSafeInteger(tx.paidMinor) || tx.paidMinor < 0) {
        throw new Error(`${where}: amounts must be non-negative whole minor units`);
      }
    }
    for (const intent of instance.crypto ?? []) {
      if (!(intent.timeMs >= startMs && intent.timeMs < endMs) || intent.timeMs % MINUTE_MS !== 0) throw new Error(`${where}: crypto time ${intent.timeMs} is not a whole minute inside the world`);
    }
  }
}

function makeFormat(name: GenerateFormat, world: World, labels: RowLabels): RowFormat {
  if (name === 'ibm-aml') return new IbmRowFormat(world);
  if (name === 'amlsim') return new AmlsimRowFormat(world, labels);
  return new RastroRowFormat(world, labels);
}

export async function generateWorld(options: GenerateOptions): Promise<GenerateSummary> {
  const { seed, days, startMs, outDir } = options;
  const formatName = options.format ?? 'ibm-aml';
  if (!(GENERATE_FORMATS as readonly string[]).includes(formatName)) throw new RangeError(`unknown output format ${formatName}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError('seed must be a whole number from 0 to 4294967295');
  const world = new World({ accounts: options.accounts, days, seed, startMs });
  const activities = ECONOMY.map((factory) => factory(world, Rng.derive(seed, `setup:${factory.name}`)));
  const benignAccounts = world.accountCount;

  // Schemes plan after the benign world exists, so that they can recruit from it.
  const instances: SchemeInstance[] = [];
  const ids = new Set<string>();
  for (const scheme of options.schemes ?? defaultSchemes()) {
    const planned = scheme.plan(world, Rng.derive(seed, `scheme:${scheme.name}`));
    checkInstances(world, scheme, planned, ids);
    for (const instance of planned) instances.push(instance);
  }
  const planned: PlannedTx[] = [];
  const instanceOf: number[] = [];
  instances.forEach((instance, i) => {
    for (const tx of instance.transactions) {
      planned.push(tx);
      instanceOf.push(i);
    }
  });
  if (planned.length > MAX_SCHEME_TRANSACTIONS) throw new RangeError(`schemes planned ${planned.length} transactions, more than ${MAX_SCHEME_TRANSACTIONS}`);
  const labels: RowLabels = { instanceOf: Int32Array.from(instanceOf), instances: instances.map((i) => ({ id: i.id, type: typeLabel(i.type) })) };

  // Truth: members of each instance (intermediaries excepted), and the day each planned transaction joins.
  const byDay = new Map<number, number[]>();
  instances.forEach((instance) => {
    const type = typeLabel(instance.type);
    const skip = new Set(instance.intermediaries ?? []);
    for (const account of instance.accounts) world.markLaundering(account, type, instance.id);
    for (const tx of instance.transactions) {
      if (!skip.has(tx.from)) world.markLaundering(tx.from, type, instance.id);
      if (!skip.has(tx.to)) world.markLaundering(tx.to, type, instance.id);
    }
    for (const intent of instance.crypto ?? []) world.crypto.enqueue({ ...intent, tag: intent.tag ?? instance.id });
  });
  planned.forEach((tx, k) => {
    const day = Math.floor((tx.timeMs - startMs) / DAY_MS);
    const list = byDay.get(day) ?? [];
    list.push(k);
    byDay.set(day, list);
  });

  await mkdir(outDir, { recursive: true });
  const format = makeFormat(formatName, world, labels);
  const row = format.row;
  const buffer = new DayBuffer(startMs, days);
  let transactions = 0;
  let laundering = 0;
  /** Row number (`tran_id`) of each planned transaction, for AMLSim's alert_transactions.csv. */
  const rowIds = new Float64Array(planned.length).fill(-1);
  let nextId = 1;
  const sink: TxSink = {
    tx(timeMs, from, to, amountMinor, currency, paidMinor, paidCurrency, channel) {
      buffer.add(timeMs, row, format.encode(from, to, amountMinor, currency, paidMinor, paidCurrency, channel, -1, -1));
    },
  };
  const trans = new FileOut(join(outDir, format.transactionsFile));
  const crypto = new FileOut(join(outDir, COMMON_FILES.crypto));
  const runCrypto = async (lastDay: number): Promise<void> => {
    let text = '';
    world.crypto.runThrough(lastDay, (line) => (text += line));
    if (text !== '') await crypto.write(text);
  };
  let written = false;
  try {
    await trans.write(Buffer.from(`${format.header}\n`, 'latin1'));
    const writeDay = async (sorted: SortedDay): Promise<void> => {
      const stamps = Buffer.from(format.minuteStamps(startMs + sorted.day * DAY_MS).join(''), 'latin1');
      const width = stamps.length / 1440;
      const { minutes, order, starts, bytes, tags } = sorted;
      const numbered = format.numbered;
      const size = CHUNK_BYTES + MAX_ROW_BYTES + width + 32;
      let chunk = Buffer.allocUnsafe(size);
      let at = 0;
      for (let k = 0; k < sorted.rows; k++) {
        const i = order[k]!;
        if (numbered) {
          const tag = tags[i]!;
          if (tag >= 0) rowIds[tag] = nextId;
          at = putUint(chunk, at, nextId++);
          chunk[at++] = 44;
        }
        const m = minutes[k]! * width;
        const end = starts[i + 1]!;
        for (let b = starts[i]!; b < end; b++) {
          const v = bytes[b]!;
          if (v === TIME_MARK) for (let s = 0; s < width; s++) chunk[at++] = stamps[m + s]!;
          else chunk[at++] = v;
        }
        chunk[at++] = 10;
        if (at >= CHUNK_BYTES) {
          await trans.write(chunk.subarray(0, at));
          chunk = Buffer.allocUnsafe(size);
          at = 0;
        }
      }
      if (at > 0) await trans.write(chunk.subarray(0, at));
      transactions += sorted.rows;
    };
    for (let day = 0; day < days; day++) {
      for (const activity of activities) activity.day(day, Rng.derive(seed, `day:${activity.name}`, day), sink);
      for (const k of byDay.get(day) ?? []) {
        const tx = planned[k]!;
        const length = format.encode(tx.from, tx.to, tx.amountMinor, tx.currency, tx.paidMinor, tx.paidCurrency, tx.channel, k, tx.branch ?? -1);
        if (!buffer.add(tx.timeMs, row, length, k)) throw new Error(`internal: scheme transaction at ${ibmTimestamp(tx.timeMs)} outside the world`);
        laundering++;
      }
      byDay.delete(day);
      for (const sorted of buffer.takeThrough(day - 1)) await writeDay(sorted);
      await runCrypto(day - 1);
      options.onProgress?.({ day: day + 1, days, transactions, bytes: trans.bytes });
    }
    for (const sorted of buffer.takeThrough(days - 1)) await writeDay(sorted);
    await runCrypto(days - 1);
    written = true;
  } finally {
    await trans.close().catch((err: unknown) => {
      if (written) throw err;
    });
    await crypto.close().catch((err: unknown) => {
      if (written) throw err;
    });
  }

  const files: string[] = [...FORMAT_FILES[formatName]];
  const byRole: Record<string, number> = {};
  for (let a = 0; a < world.accountCount; a++) byRole[world.accountRole[a]!] = (byRole[world.accountRole[a]!] ?? 0) + 1;
  if (formatName === 'ibm-aml') {
    // The attempts in IBM's Patterns layout (by time of their first row).
    const ibm = format as IbmRowFormat;
    const ordered = instances
      .map((instance, i) => ({ instance, i }))
      .sort((a, b) => a.instance.transactions[0]!.timeMs - b.instance.transactions[0]!.timeMs || a.i - b.i);
    await writeLines(join(outDir, OUTPUT_FILES.patterns), (function* () {
      for (const { instance } of ordered) yield ibmPatternBlock(instance, ibm);
    })());
  }
  if (formatName === 'amlsim') {
    await writeLines(join(outDir, 'accounts.csv'), amlsimAccounts(world, instances));
    await writeLines(join(outDir, 'alert_transactions.csv'), amlsimAlertTransactions(world, instances, planned, labels, rowIds));
  } else {
    await writeLines(join(outDir, OUTPUT_FILES.accounts), rastroAccounts(world));
  }
  if (formatName !== 'ibm-aml') await writeLines(join(outDir, 'alert_accounts.csv'), alertAccounts(world, instances));
  if (formatName === 'rastro') await writeFile(join(outDir, RASTRO_MAPPING_FILE), RASTRO_MAPPING);

  const cryptoCounts = new Map<string, number>();
  for (const l of world.crypto.labels) cryptoCounts.set(l.tag, (cryptoCounts.get(l.tag) ?? 0) + 1);
  await writeLines(join(outDir, COMMON_FILES.parties), parties(world));
  await writeLines(join(outDir, COMMON_FILES.instances), instanceList(instances, cryptoCounts));
  await writeLines(join(outDir, COMMON_FILES.sanctions), sanctionsTruth(world));
  await writeLines(join(outDir, COMMON_FILES.cryptoAddresses), cryptoAddresses(world));
  await writeLines(join(outDir, COMMON_FILES.cryptoLabels), cryptoLabels(world, instances));
  files.push(...Object.values(COMMON_FILES), OUTPUT_FILES.world);

  const instancesByType: Record<string, number> = {};
  const instancesByScheme: Record<string, number> = {};
  for (const instance of instances) {
    instancesByType[instance.type] = (instancesByType[instance.type] ?? 0) + 1;
    instancesByScheme[instance.scheme] = (instancesByScheme[instance.scheme] ?? 0) + 1;
  }
  const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
  const endMs = startMs + days * DAY_MS;
  const summary: GenerateSummary = {
    outDir,
    format: formatName,
    files,
    seed,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    attackStart: new Date(startMs + world.attackStartDay * DAY_MS).toISOString(),
    days,
    banks: world.banks.length,
    accounts: world.accountCount,
    freshAccounts: world.accountCount - benignAccounts,
    launderingAccounts: world.launderingTypes.size,
    accountsByRole: sorted(byRole),
    parties: world.ownerCount,
    transactions,
    launderingTransactions: laundering,
    instances: instances.length,
    instancesByType: sorted(instancesByType),
    instancesByScheme: sorted(instancesByScheme),
    listedParties: world.listed.length,
    cryptoTransactions: world.crypto.transactions,
    cryptoLaunderingTransactions: world.crypto.labels.length,
    cryptoSchemeShortfalls: world.crypto.taggedSkipped + world.crypto.taggedShortPaid,
    droppedOutsidePeriod: buffer.dropped,
    transactionsBytes: trans.bytes,
    peakBufferedRows: buffer.peakHeld,
  };
  const { outDir: _dir, peakBufferedRows: _peak, ...recorded } = summary;
  await writeFile(join(outDir, OUTPUT_FILES.world), `${JSON.stringify({ generator: 'rastro generate', ...recorded }, null, 2)}\n`);
  return summary;
}

/** `accounts.csv` in Rastro's layout: every account with its role, owner and laundering truth. */
function* rastroAccounts(world: World): Generator<string> {
  yield 'account,role,country,currency,owner,is_laundering,scheme,instances\n';
  for (let a = 0; a < world.accountCount; a++) {
    const types = world.launderingTypes.get(a);
    const scheme = types ? [...types].sort().join(';') : '';
    const member = world.launderingInstances.get(a)?.join(';') ?? '';
    yield `${world.accountId(a)},${world.accountRole[a]},${world.accountCountryCode(a)},${world.accountCurrency[a]},${world.ownerLabel(a)},${types ? 1 : 0},${scheme},${member}\n`;
  }
}

/** AMLSim's `accounts.csv`: balances are not simulated (0); `business` I for people, B for companies. */
function* amlsimAccounts(world: World, instances: readonly SchemeInstance[]): Generator<string> {
  const alertNo = new Map(instances.map((i, n) => [i.id, n + 1]));
  yield `${AMLSIM_ACCOUNTS_HEADER}\n`;
  const days = world.options.days;
  for (let a = 0; a < world.accountCount; a++) {
    const member = world.launderingInstances.get(a);
    const flag = member ? 'True' : 'False';
    const business = world.ownerSchema(world.accountOwner[a]!) === 'Company' ? 'B' : 'I';
    yield `${world.accountId(a)},${world.ownerLabel(a)},0.00,0,${days},${world.accountCountryCode(a)},${business},${flag},${member ? 'true' : 'false'},${member ? alertNo.get(member[0]!) ?? 0 : 0}\n`;
  }
}

/** AMLSim's `alert_accounts.csv`: the members of each instance (alert). */
function* alertAccounts(world: World, instances: readonly SchemeInstance[]): Generator<string> {
  yield `${AMLSIM_ALERT_ACCOUNTS_HEADER}\n`;
  for (let n = 0; n < instances.length; n++) {
    const instance = instances[n]!;
    const type = typeLabel(instance.type);
    for (const a of members(instance)) yield `${n + 1},${type},${world.accountId(a)},${world.ownerLabel(a)},True,${n + 1},0,${world.bankCode(a)}\n`;
  }
}

/** Member accounts of an instance: its listed accounts and the parties of its transactions, intermediaries excepted. */
function members(instance: SchemeInstance): number[] {
  const skip = new Set(instance.intermediaries ?? []);
  const seen = new Set<number>();
  const out: number[] = [];
  const add = (a: number) => {
    if (skip.has(a) || seen.has(a)) return;
    seen.add(a);
    out.push(a);
  };
  for (const a of instance.accounts) add(a);
  for (const tx of instance.transactions) {
    add(tx.from);
    add(tx.to);
  }
  return out;
}

function* amlsimAlertTransactions(world: World, instances: readonly SchemeInstance[], planned: readonly PlannedTx[], labels: RowLabels, rowIds: Float64Array): Generator<string> {
  yield `${AMLSIM_ALERT_TRANSACTIONS_HEADER}\n`;
  for (let k = 0; k < planned.length; k++) {
    const tx = planned[k]!;
    const n = labels.instanceOf[k]!;
    const instance = instances[n]!;
    const cash = tx.channel === 'cash';
    const orig = world.accountId(cash ? tx.to : tx.from);
    const bene = cash ? amlsimBranch(world, tx.to, tx.branch ?? -1) : world.accountId(tx.to);
    const time = `${new Date(tx.timeMs).toISOString().slice(0, 16)}:00Z`;
    yield `${n + 1},${typeLabel(instance.type)},True,${rowIds[k]},${orig},${bene},${amlsimTxType(tx.channel)},${decimalAmount(tx.amountMinor, tx.currency)},${time}\n`;
  }
}

/** `parties.csv`: every owner (person or company) with the name it banks under and its accounts. */
function* parties(world: World): Generator<string> {
  const owners = world.ownerCount;
  const count = new Int32Array(owners + 1);
  for (let a = 0; a < world.accountCount; a++) count[world.accountOwner[a]! + 1]!++;
  for (let o = 0; o < owners; o++) count[o + 1]! += count[o]!;
  const list = new Int32Array(world.accountCount);
  const fill = count.slice(0, owners);
  for (let a = 0; a < world.accountCount; a++) list[fill[world.accountOwner[a]!]!++] = a;
  yield 'party,name,schema,country,accounts\n';
  for (let o = 0; o < owners; o++) {
    const from = count[o]!;
    const to = count[o + 1]!;
    if (from === to) continue;
    const ids: string[] = [];
    for (let i = from; i < to; i++) ids.push(world.accountId(list[i]!));
    yield `${world.ownerLabel(list[from]!)},${csvField(world.ownerName(o))},${world.ownerSchema(o)},${world.ownerCountry(o)},${ids.join(';')}\n`;
  }
}

function* instanceList(instances: readonly SchemeInstance[], crypto: Map<string, number>): Generator<string> {
  yield 'instance,scheme,type,title,accounts,intermediaries,transactions,crypto_transactions,first,last\n';
  for (const instance of instances) {
    const first = instance.transactions[0]!.timeMs;
    const last = instance.transactions.at(-1)!.timeMs;
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    yield `${instance.id},${instance.scheme},${typeLabel(instance.type)},${csvField(instance.title)},${members(instance).length},${instance.intermediaries?.length ?? 0},` +
      `${instance.transactions.length},${crypto.get(instance.id) ?? 0},${iso(first)},${iso(last)}\n`;
  }
}

function* sanctionsTruth(world: World): Generator<string> {
  yield 'party,name,list,list_id,listed_name,variation,instance,accounts\n';
  for (const p of world.listed) {
    const accounts: string[] = [];
    for (let a = 0; a < world.accountCount; a++) if (world.accountOwner[a] === p.owner) accounts.push(world.accountId(a));
    yield `${world.partyLabel(p.owner)},${csvField(p.name)},${p.list},${p.listId},${csvField(p.listedName)},${p.variation},${p.instance},${accounts.join(';')}\n`;
  }
}

function* cryptoAddresses(world: World): Generator<string> {
  yield 'address,wallet,kind,entity,account,is_laundering,instances\n';
  for (const a of world.crypto.addresses()) {
    const account = a.account >= 0 ? world.accountId(a.account) : '';
    yield `${a.address},w${a.wallet},${a.kind},${csvField(a.entity)},${account},${a.instances.length > 0 ? 1 : 0},${a.instances.join(';')}\n`;
  }
}

function* cryptoLabels(world: World, instances: readonly SchemeInstance[]): Generator<string> {
  const scheme = new Map(instances.map((i) => [i.id, typeLabel(i.type)]));
  yield 'txid,scheme,instance\n';
  for (const l of world.crypto.labels) yield `${l.txid},${scheme.get(l.tag) ?? ''},${l.tag}\n`;
}
