/**
 * Shared helpers for the ingest specifications: fixture paths, temp files, and reading a file through a
 * reader (or the pipeline) into plain arrays that `assert.deepEqual` can compare.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FormatReader, IngestBatch, ReadContext } from '../../src/ingest/reader.js';
import type { Account, Party, PartyAccountLink, Reject, Report, Transaction, TruthLabel, TxBatch } from '../../src/model/index.js';

/** Absolute path of a file under test/fixtures (compiled tests run from dist/test/<dir>/). */
export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${relative}`, import.meta.url));
}

export interface ReadResult {
  transactions: Transaction[];
  rejects: Reject[];
  truth: TruthLabel[];
  accounts: Account[];
  parties: Party[];
  links: PartyAccountLink[];
  reports: Report[];
  batches: number;
}

/** Drain batches into plain arrays (transactions materialised with `batch.transactions.get(i)`). */
export async function collect(batches: AsyncIterable<IngestBatch>): Promise<ReadResult> {
  const r: ReadResult = { transactions: [], rejects: [], truth: [], accounts: [], parties: [], links: [], reports: [], batches: 0 };
  for await (const b of batches) {
    r.batches++;
    for (let i = 0; i < b.transactions.length; i++) r.transactions.push(b.transactions.get(i));
    r.rejects.push(...b.rejects);
    r.truth.push(...b.truth);
    r.accounts.push(...b.accounts);
    r.parties.push(...b.parties);
    r.links.push(...b.links);
    r.reports.push(...b.reports);
  }
  return r;
}

/** Read one file with one reader; `file` and `source` default to the path and `test`. */
export async function readAll(reader: FormatReader, path: string, ctx: Partial<ReadContext> = {}): Promise<ReadResult> {
  return collect(reader.read({ path, file: path, source: 'test', batchId: 'b1', ...ctx }));
}

/** A fresh temp directory, removed after `fn` (also when it throws). */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'rastro-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Write `content` to `<dir>/<name>` and return the path. */
export async function writeIn(dir: string, name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** Write a one-file temp directory, run `fn` on the file, clean up. */
export async function withTempFile<T>(name: string, content: string | Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => fn(await writeIn(dir, name, content)));
}

/** A transaction as the XML reader specifications state it: ISO time, amounts in minor units, provenance line. */
export function txSpec(t: Transaction) {
  return {
    id: t.id,
    time: new Date(t.timeMs).toISOString(),
    from: t.fromAccount,
    to: t.toAccount,
    amount: `${t.amountMinor} ${t.currency}`,
    original: t.originalAmountMinor === undefined ? undefined : `${t.originalAmountMinor} ${t.originalCurrency}`,
    channel: t.channel,
    countries: `${t.fromCountry ?? '?'}->${t.toCountry ?? '?'}`,
    line: t.provenance.line,
  };
}

/** A batch's transactions, row by row, every typed column and the interned refs spelled out (for deep comparisons). */
export function txRows(t: TxBatch): unknown[][] {
  const rows: unknown[][] = [];
  for (let i = 0; i < t.length; i++) {
    rows.push([
      t.id[i], t.timeMs[i], t.fromAccount[i], t.toAccount[i], t.amountMinor[i], t.currency[i], t.channel[i], t.line[i],
      t.originalAmountMinor[i], t.originalCurrency[i], t.fromCountry[i], t.toCountry[i], t.fromInstitution[i], t.toInstitution[i],
      t.fromRef?.[i], t.toRef?.[i],
    ]);
  }
  return rows;
}
