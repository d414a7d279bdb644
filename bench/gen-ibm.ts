/**
 * Writes an IBM AMLworld-layout `*_Trans.csv` of N rows (deterministic for a seed) for ingest benchmarks.
 * Usage: node dist/bench/gen-ibm.js <out.csv> [rows=5000000] [seed=1]
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

const CURRENCIES = ['US Dollar', 'US Dollar', 'US Dollar', 'Euro', 'Euro', 'Yuan', 'Yen', 'Rupee', 'UK Pound', 'Mexican Peso', 'Brazil Real', 'Bitcoin'];
const FORMATS = ['ACH', 'ACH', 'Cheque', 'Credit Card', 'Credit Card', 'Wire', 'Cash', 'Reinvestment', 'Bitcoin'];

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

export async function generateIbm(path: string, rows: number, seed = 1): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const random = rng(seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n');
  const accounts = Math.max(100, Math.floor(rows / 10));
  const banks = 3000;
  const start = Date.UTC(2022, 8, 1);
  const spanMinutes = 18 * 24 * 60;
  let buffer: string[] = [];
  for (let i = 0; i < rows; i++) {
    const t = new Date(start + Math.floor((i / rows) * spanMinutes) * 60_000);
    const ts = `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1, 2)}/${pad(t.getUTCDate(), 2)} ${pad(t.getUTCHours(), 2)}:${pad(t.getUTCMinutes(), 2)}`;
    const fromAcc = Math.floor(random() * accounts);
    const toAcc = Math.floor(random() * accounts);
    const fromBank = pad(fromAcc % banks, 6);
    const toBank = pad(toAcc % banks, 6);
    const currency = CURRENCIES[Math.floor(random() * CURRENCIES.length)]!;
    const format = currency === 'Bitcoin' ? 'Bitcoin' : FORMATS[Math.floor(random() * (FORMATS.length - 1))]!;
    const amount = (Math.exp(random() * 12) + random()).toFixed(currency === 'Bitcoin' ? 6 : 2);
    const label = random() < 0.001 ? 1 : 0;
    buffer.push(`${ts},${fromBank},${(0x80000000 + fromAcc * 7919).toString(16).toUpperCase()},${toBank},${(0x80000000 + toAcc * 7919).toString(16).toUpperCase()},${amount},${currency},${amount},${currency},${format},${label}\n`);
    if (buffer.length === 10_000) {
      if (!out.write(buffer.join(''))) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = [];
    }
  }
  out.write(buffer.join(''));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , path, rows = '5000000', seed = '1'] = process.argv;
  if (!path) {
    process.stderr.write('usage: gen-ibm <out.csv> [rows] [seed]\n');
    process.exit(2);
  }
  await generateIbm(path, Number(rows), Number(seed));
}
