/**
 * The generator's shell: builds the world, lets the schemes plan, then walks the days — every activity emits
 * its day, the schemes' transactions of that day join in, and each UTC day, once complete, is sorted and
 * appended to `Trans.csv` and dropped. Then the truth files. Memory holds the world and about three days of
 * rows, whatever the length of the period.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { DAY_MS, MINUTE_MS } from './calendar.js';
import { DayBuffer, type SortedDay } from './day-buffer.js';
import { ECONOMY } from './economy/index.js';
import { IBM_TRANS_HEADER, IbmRowFormat, ibmPatternBlock, minuteStamps, ibmTimestamp } from './formats/ibm-aml.js';
import { Rng } from './rng.js';
import { MAX_SCHEME_TRANSACTIONS, typeLabel, type PlannedTx, type Scheme, type SchemeInstance } from './scheme.js';
import type { TxSink } from './sink.js';
import { World } from './world.js';

export const GENERATE_FORMATS = ['ibm-aml'] as const;
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];

/** Written next to each other in the output directory. */
export const OUTPUT_FILES = { transactions: 'Trans.csv', patterns: 'Patterns.txt', accounts: 'accounts.csv', world: 'world.json' } as const;

export interface GenerateOptions {
  accounts: number;
  days: number;
  seed: number;
  /** Midnight UTC of the first day. */
  startMs: number;
  outDir: string;
  format?: GenerateFormat;
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
  transactions: number;
  launderingTransactions: number;
  instances: number;
  instancesByType: Record<string, number>;
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
    this.bytes += data.length; // all output is ASCII
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.error) throw this.error;
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.error) throw this.error;
  }
}

function checkInstances(world: World, scheme: Scheme, planned: SchemeInstance[], seen: Set<string>): void {
  const startMs = world.calendar.startMs;
  const endMs = startMs + world.options.days * DAY_MS;
  for (const instance of planned) {
    if (seen.has(instance.id)) throw new Error(`scheme ${scheme.name}: instance id ${instance.id} used twice`);
    seen.add(instance.id);
    let previous = -Infinity;
    for (const tx of instance.transactions) {
      const where = `scheme ${scheme.name}, instance ${instance.id}`;
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
  }
}

export async function generateWorld(options: GenerateOptions): Promise<GenerateSummary> {
  const { seed, days, startMs, outDir } = options;
  if ((options.format ?? 'ibm-aml') !== 'ibm-aml') throw new RangeError(`unknown output format ${options.format}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError('seed must be a whole number from 0 to 4294967295');
  const world = new World({ accounts: options.accounts, days, seed, startMs });
  const activities = ECONOMY.map((factory) => factory(world, Rng.derive(seed, `setup:${factory.name}`)));
  const benignAccounts = world.accountCount;

  // Schemes plan after the benign world exists, so that they can recruit from it.
  const instances: SchemeInstance[] = [];
  const ids = new Set<string>();
  for (const scheme of options.schemes ?? []) {
    const planned = scheme.plan(world, Rng.derive(seed, `scheme:${scheme.name}`));
    checkInstances(world, scheme, planned, ids);
    for (const instance of planned) instances.push(instance);
  }
  const schemeRows = instances.reduce((n, i) => n + i.transactions.length, 0);
  if (schemeRows > MAX_SCHEME_TRANSACTIONS) throw new RangeError(`schemes planned ${schemeRows} transactions, more than ${MAX_SCHEME_TRANSACTIONS}`);
  const byDay = new Map<number, PlannedTx[]>();
  for (const instance of instances) {
    const type = typeLabel(instance.type);
    for (const account of instance.accounts) world.markLaundering(account, type, instance.id);
    for (const tx of instance.transactions) {
      world.markLaundering(tx.from, type, instance.id);
      world.markLaundering(tx.to, type, instance.id);
      const day = Math.floor((tx.timeMs - startMs) / DAY_MS);
      const list = byDay.get(day) ?? [];
      list.push(tx);
      byDay.set(day, list);
    }
  }

  await mkdir(outDir, { recursive: true });
  const format = new IbmRowFormat(world);
  const row = format.row;
  const buffer = new DayBuffer(startMs, days);
  let transactions = 0;
  let laundering = 0;
  const sink: TxSink = {
    tx(timeMs, from, to, amountMinor, currency, paidMinor, paidCurrency, channel, isLaundering) {
      buffer.add(timeMs, row, format.encode(from, to, amountMinor, currency, paidMinor, paidCurrency, channel, isLaundering));
    },
  };
  const trans = new FileOut(join(outDir, OUTPUT_FILES.transactions));
  let written = false;
  try {
    await trans.write(Buffer.from(`${IBM_TRANS_HEADER}\n`, 'latin1'));
    const writeDay = async (sorted: SortedDay): Promise<void> => {
      const stamps = Buffer.from(minuteStamps(startMs + sorted.day * DAY_MS).join(''), 'latin1');
      const stampBytes = stamps.length / 1440;
      for (let k = 0; k < sorted.rows; ) {
        const first = k;
        let size = 0;
        for (; k < sorted.rows && size < CHUNK_BYTES; k++) size += stampBytes + sorted.rowLength(k) + 1;
        const chunk = Buffer.allocUnsafe(size);
        let at = 0;
        for (let r = first; r < k; r++) {
          const m = sorted.minute(r) * stampBytes;
          for (let b = 0; b < stampBytes; b++) chunk[at++] = stamps[m + b]!;
          at = sorted.copyRow(r, chunk, at);
          chunk[at++] = 10;
        }
        if (at !== size) throw new Error('internal: chunk size mismatch');
        await trans.write(chunk);
      }
      transactions += sorted.rows;
    };
    for (let day = 0; day < days; day++) {
      for (const activity of activities) activity.day(day, Rng.derive(seed, `day:${activity.name}`, day), sink);
      for (const tx of byDay.get(day) ?? []) {
        const length = format.encode(tx.from, tx.to, tx.amountMinor, tx.currency, tx.paidMinor, tx.paidCurrency, tx.channel, true);
        if (!buffer.add(tx.timeMs, row, length)) throw new Error(`internal: scheme transaction at ${ibmTimestamp(tx.timeMs)} outside the world`);
        laundering++;
      }
      byDay.delete(day);
      for (const sorted of buffer.takeThrough(day - 1)) await writeDay(sorted);
      options.onProgress?.({ day: day + 1, days, transactions, bytes: trans.bytes });
    }
    for (const sorted of buffer.takeThrough(days - 1)) await writeDay(sorted);
    written = true;
  } finally {
    // After a failure, closing is best effort: the first error is the one to report.
    await trans.close().catch((err: unknown) => {
      if (written) throw err;
    });
  }

  // Truth: the attempts in IBM's Patterns layout (by time), and every account with its role and label.
  const ordered = instances
    .map((instance, i) => ({ instance, i }))
    .sort((a, b) => a.instance.transactions[0]!.timeMs - b.instance.transactions[0]!.timeMs || a.i - b.i);
  await writeFile(join(outDir, OUTPUT_FILES.patterns), ordered.map(({ instance }) => ibmPatternBlock(instance, format)).join(''));

  const accountsOut = new FileOut(join(outDir, OUTPUT_FILES.accounts));
  const byRole: Record<string, number> = {};
  let listed = false;
  try {
    await accountsOut.write('account,role,country,currency,owner,is_laundering,scheme,instances\n');
    let chunk = '';
    for (let a = 0; a < world.accountCount; a++) {
      const role = world.accountRole[a]!;
      byRole[role] = (byRole[role] ?? 0) + 1;
      const types = world.launderingTypes.get(a);
      const scheme = types ? [...types].sort().join(';') : '';
      const member = world.launderingInstances.get(a)?.join(';') ?? '';
      chunk += `${world.accountId(a)},${role},${world.accountCountryCode(a)},${world.accountCurrency[a]},${world.ownerLabel(a)},${types ? 1 : 0},${scheme},${member}\n`;
      if (chunk.length > 1 << 20) {
        await accountsOut.write(chunk);
        chunk = '';
      }
    }
    await accountsOut.write(chunk);
    listed = true;
  } finally {
    await accountsOut.close().catch((err: unknown) => {
      if (listed) throw err;
    });
  }

  const instancesByType: Record<string, number> = {};
  for (const instance of instances) instancesByType[instance.type] = (instancesByType[instance.type] ?? 0) + 1;
  const endMs = startMs + days * DAY_MS;
  const summary: GenerateSummary = {
    outDir,
    files: Object.values(OUTPUT_FILES),
    seed,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    attackStart: new Date(startMs + world.attackStartDay * DAY_MS).toISOString(),
    days,
    banks: world.banks.length,
    accounts: world.accountCount,
    freshAccounts: world.accountCount - benignAccounts,
    launderingAccounts: world.launderingTypes.size,
    accountsByRole: Object.fromEntries(Object.entries(byRole).sort(([a], [b]) => (a < b ? -1 : 1))),
    transactions,
    launderingTransactions: laundering,
    instances: instances.length,
    instancesByType: Object.fromEntries(Object.entries(instancesByType).sort(([a], [b]) => (a < b ? -1 : 1))),
    droppedOutsidePeriod: buffer.dropped,
    transactionsBytes: trans.bytes,
    peakBufferedRows: buffer.peakHeld,
  };
  const { outDir: _dir, peakBufferedRows: _peak, ...recorded } = summary;
  await writeFile(join(outDir, OUTPUT_FILES.world), `${JSON.stringify({ generator: 'rastro generate', format: 'ibm-aml', ...recorded }, null, 2)}\n`);
  return summary;
}
