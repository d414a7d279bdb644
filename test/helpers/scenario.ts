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
