/**
 * Whole-file CSV reading for list files (a few MB): records with their line numbers, through the project's
 * RFC 4180 tokenizer. A trailing DOS end-of-file mark (0x1A, which OFAC's legacy files still carry) is ignored.
 */
import { readFile, stat } from 'node:fs/promises';
import { CsvTokenizer } from '../../ingest/index.js';

/** List files larger than this are refused rather than read into memory. */
/** The DOS end-of-file mark (Ctrl-Z). */
const DOS_EOF = String.fromCharCode(0x1a);

export const MAX_LIST_FILE_BYTES = 512 * 1024 * 1024;

export interface CsvRecord {
  fields: string[];
  line: number;
}

export async function readListFile(path: string): Promise<string> {
  const info = await stat(path);
  if (info.size > MAX_LIST_FILE_BYTES) throw new Error(`${path}: list file larger than ${MAX_LIST_FILE_BYTES} bytes`);
  const bytes = await readFile(path);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Older list files may be Windows-1252; UTF-8 is tried first and is what the lists use now.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    return new TextDecoder('windows-1252').decode(bytes.subarray(start));
  }
}

export function parseCsvText(text: string, problems: Array<{ line: number; reason: string }>): CsvRecord[] {
  const records: CsvRecord[] = [];
  const tokenizer = new CsvTokenizer();
  const sink = {
    record(fields: string[], count: number, line: number) {
      if (count === 1 && fields[0]!.replaceAll(DOS_EOF, '').trim() === '') return;
      records.push({ fields: fields.slice(0, count), line });
    },
    bad(line: number, reason: string) {
      problems.push({ line, reason });
    },
  };
  tokenizer.push({ text: text.endsWith('\n') ? text : `${text}\n`, firstLine: 1 }, sink);
  tokenizer.end(sink);
  return records;
}

export async function readCsvRecords(path: string, problems: Array<{ file: string; line: number; reason: string }>): Promise<CsvRecord[]> {
  const local: Array<{ line: number; reason: string }> = [];
  const records = parseCsvText(await readListFile(path), local);
  for (const p of local) problems.push({ file: path, ...p });
  return records;
}
