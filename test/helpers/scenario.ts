/**
 * Shared by the scenario specifications: generate a world into a temp directory and read its files back as
 * plain rows.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateWorld, ibmPatternsScheme, parseIbmPatterns, type GenerateOptions, type GenerateSummary } from '../../src/scenario/index.js';
import { fixture } from './ingest.js';

export const PATTERNS = fixture('ibm-amlworld/LI-Small_Patterns.txt');

export interface TransRow {
  line: string;
  time: string;
  from: string;
  to: string;
  received: number;
  receivedIn: string;
  paid: number;
  paidIn: string;
  format: string;
  laundering: boolean;
}

export interface AccountRow {
  account: string;
  role: string;
  country: string;
  currency: string;
  owner: string;
  laundering: boolean;
  scheme: string;
  instances: string[];
}

export function parseTransLine(line: string): TransRow {
  const f = line.split(',');
  return {
    line,
    time: f[0]!,
    from: `${f[1]}/${f[2]}`,
    to: `${f[3]}/${f[4]}`,
    received: Number(f[5]),
    receivedIn: f[6]!,
    paid: Number(f[7]),
    paidIn: f[8]!,
    format: f[9]!,
    laundering: f[10] === '1',
  };
}

export async function readTrans(dir: string): Promise<{ header: string; rows: TransRow[] }> {
  const lines = (await readFile(join(dir, 'Trans.csv'), 'utf8')).split('\n');
  if (lines.pop() !== '') throw new Error('Trans.csv does not end with a newline');
  return { header: lines[0]!, rows: lines.slice(1).map(parseTransLine) };
}

export async function readAccounts(dir: string): Promise<Map<string, AccountRow>> {
  const lines = (await readFile(join(dir, 'accounts.csv'), 'utf8')).trim().split('\n');
  const accounts = new Map<string, AccountRow>();
  for (const line of lines.slice(1)) {
    const [account, role, country, currency, owner, laundering, scheme, instances] = line.split(',');
    accounts.set(account!, {
      account: account!, role: role!, country: country!, currency: currency!, owner: owner!,
      laundering: laundering === '1', scheme: scheme!, instances: instances ? instances.split(';') : [],
    });
  }
  return accounts;
}

/** Generate into `dir`, embedding the LI-Small attempts `repeat` times when `repeat` > 0. */
export async function generate(dir: string, options: Partial<GenerateOptions> & { repeat?: number } = {}): Promise<GenerateSummary> {
  const { repeat = 0, ...rest } = options;
  const schemes = repeat > 0 ? [ibmPatternsScheme(parseIbmPatterns(await readFile(PATTERNS, 'utf8'), PATTERNS), { repeat })] : [];
  return generateWorld({ accounts: 1_500, days: 60, seed: 7, startMs: Date.UTC(2022, 8, 1), outDir: dir, schemes, ...rest });
}

/** One row of the Rastro layout (`--format rastro` transactions.csv), amounts in major units. */
export interface RastroRow {
  id: number;
  time: string;
  timeMs: number;
  from: string;
  to: string;
  amount: number;
  currency: string;
  paid: number;
  paidCurrency: string;
  channel: string;
  fromCountry: string;
  toCountry: string;
  branch: string;
  laundering: boolean;
  scheme: string;
  instance: string;
}

export async function readRastro(dir: string): Promise<{ header: string; rows: RastroRow[] }> {
  const lines = (await readFile(join(dir, 'transactions.csv'), 'utf8')).split('\n');
  if (lines.pop() !== '') throw new Error('transactions.csv does not end with a newline');
  const rows = lines.slice(1).map((line) => {
    const f = line.split(',');
    return {
      id: Number(f[0]), time: f[1]!, timeMs: Date.parse(f[1]!), from: f[2]!, to: f[3]!, amount: Number(f[4]), currency: f[5]!,
      paid: Number(f[6]), paidCurrency: f[7]!, channel: f[8]!, fromCountry: f[9]!, toCountry: f[10]!, branch: f[11]!,
      laundering: f[12] === '1', scheme: f[13]!, instance: f[14]!,
    };
  });
  return { header: lines[0]!, rows };
}

/** A small CSV file with a header as records (fields may be quoted). */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  const text = await readFile(path, 'utf8');
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

export interface CryptoTx {
  txid: string;
  time: string;
  block: number;
  fee: number;
  inputs: { txid: string; vout: number; address: string; value: number }[];
  outputs: { n: number; address: string; value: number }[];
}

export async function readCrypto(dir: string): Promise<CryptoTx[]> {
  const text = await readFile(join(dir, 'crypto.jsonl'), 'utf8');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as CryptoTx);
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
