/**
 * Seeded corruption fuzzing of every reader through `readFiles` (src/ingest/pipeline.ts).
 *
 * For each reader, CASES_PER_SUITE corrupted copies of its fixtures are made with a deterministic PRNG (case i of a suite
 * always gets the same corruption: the failure message names suite, case and the operations, so any failure
 * replays exactly). Corruptions: truncate at a random byte, flip random bytes, insert random bytes (quotes,
 * delimiters, CR/LF, NUL, 0xFF, broken UTF-8, a BOM, `<`, `&`), duplicate / delete random lines, splice in a
 * DOCTYPE with an entity (and `&e;` references), and for XML a DOCTYPE in the prolog.
 *
 * Each suite runs in a worker thread watched by the main thread: a case that makes no progress within
 * CASE_TIMEOUT_MS (a hang, synchronous or not) terminates the worker and fails the suite naming the case;
 * the worker's heap is capped (RESOURCE_LIMITS), so a case that blows memory fails the same way.
 *
 * Invariants checked on every case (all formats):
 *  - readFiles completes and no exception escapes it;
 *  - every reject is a valid `Reject` (zod) whose file is the input (or its companion nodes.csv), with an integer
 *    line 0 ≤ line ≤ physical lines + 1 and a non-empty reason; at most one file-level reject (`file refused: …`);
 *  - every transaction (materialised with `batch.transactions.get(i)`) is a valid `Transaction` (zod), from the
 *    input file, with 1 ≤ provenance.line ≤ physical lines, and amounts ≥ 0 (never -0);
 *  - every transaction-level truth label names a transaction of the same read;
 *  - bounded output: transactions + rejects ≤ physical lines + 1 (line formats); transactions ≤ record elements
 *    (`CdtTrfTxInf` / `transaction`) and rejects ≤ tags in the corrupted text (XML).
 * XML (iso20022, goaml): half of the cases only change content (a text value replaced by a hostile one, a leaf
 * element dropped, a record duplicated) so the document stays well-formed — such a document is never refused as a
 * whole; a DOCTYPE added to the prolog of one is refused for the DOCTYPE, with no transaction; the declared entity
 * value (or /etc/passwd) never reaches any transaction, label, account, party, link or report.
 * Line formats (ibm-aml, amlsim, csv) — exact accounting against a reference record splitter written here after
 * the tokenizer's documented rules (physical lines; invalid UTF-8 lines are records of their own; a line with an odd
 * number of `"`, one of them starting a field, opens a record that runs until the quotes balance, ends at a bad line,
 * or ends the file; a quote inside an unquoted field is literal; blank lines are skipped): the start lines of
 * transactions and rejects are exactly the expected records, each once, where
 *  - ibm-aml `*_Trans.csv`: every record except the header (the first tokenizable record) when it is the IBM header;
 *    when it is not, it is itself a reject `not an IBM AMLworld header`;
 *  - ibm-aml `*_Patterns.txt`: every record except single-field `BEGIN/END LAUNDERING ATTEMPT` lines;
 *  - amlsim: every record except the header when the reader accepts it (otherwise a reject `not an AMLSim header`);
 *  - csv: every record except the header (mappings with `header: true`), or else the whole file is refused with
 *    `the mapping does not fit this file`, no transaction is emitted and no reject at or after the header;
 * and where ids are row numbers (ibm-aml, AMLSim node sample, csv without an id column) each transaction's id is
 * `row:<k>`, k = its rank among the data records — rejected records counted.
 * One known bug is tolerated and counted in the summary line (see the todo tests "an invalid UTF-8 last row without a
 * final newline is rejected, not dropped" in ibm-aml.test.ts and csv.test.ts): such a last line may be missing.
 *
 * RASTRO_FUZZ_CASES / RASTRO_FUZZ_SEED change the number of cases per suite and the seed; RASTRO_FUZZ_KEEP=<dir>
 * keeps the corrupted file of every failing case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { TextDecoder } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadMapping, type CsvMapping } from '../../src/ingest/mapping.js';
import { readFiles } from '../../src/ingest/pipeline.js';
import type { FormatName, IngestBatch } from '../../src/ingest/reader.js';
import { readHead } from '../../src/ingest/text.js';
import { Reject, Transaction, type TruthLabel } from '../../src/model/index.js';
import { fixture } from '../helpers/ingest.js';
import { mulberry32 } from '../../src/scenario/rng.js';

const CASES_PER_SUITE = Number(process.env.RASTRO_FUZZ_CASES ?? 200);
const SEED = Number(process.env.RASTRO_FUZZ_SEED ?? 20231110);
const CASE_TIMEOUT_MS = 10_000;
/** Set RASTRO_FUZZ_KEEP=<dir> to keep the corrupted file of every failing case there. */
const KEEP_DIR = process.env.RASTRO_FUZZ_KEEP;
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64 };
const ENTITY_VALUE = 'PWNED-ENTITY-VALUE';
const DOCTYPE = `<!DOCTYPE r [<!ENTITY e "${ENTITY_VALUE}"><!ENTITY x SYSTEM "file:///etc/passwd">]>`;

type Kind = 'ibm' | 'amlsim' | 'csv' | 'xml';

interface FixtureSpec {
  file: string;
  /** Mapping file (csv suite). */
  mapping?: string;
  /** Files copied unchanged beside the corrupted one (AMLSim nodes.csv). */
  companions?: string[];
}

interface Suite {
  name: string;
  format: FormatName;
  kind: Kind;
  fixtures: FixtureSpec[];
  /** XML record element (one transaction at most per element). */
  recordTag?: RegExp;
}

const SUITES: Suite[] = [
  {
    name: 'ibm-aml',
    format: 'ibm-aml',
    kind: 'ibm',
    fixtures: [{ file: 'ibm-amlworld/LI-Small_Trans.csv' }, { file: 'ibm-amlworld/LI-Small_Patterns.txt' }],
  },
  {
    name: 'amlsim',
    format: 'amlsim',
    kind: 'amlsim',
    fixtures: [
      { file: 'amlsim/full/transactions.csv' },
      { file: 'amlsim/full/cash_tx.csv' },
      { file: 'amlsim/currency/transactions.csv' },
      { file: 'amlsim/sample-outputs/tx.csv' },
      { file: 'amlsim/sample-outputs/cash_tx.csv' },
      { file: 'amlsim/node-sample/transactions.csv', companions: ['amlsim/node-sample/nodes.csv'] },
    ],
  },
  {
    name: 'csv',
    format: 'csv',
    kind: 'csv',
    fixtures: [
      { file: 'csv/spei-transfers.csv', mapping: 'csv/spei-mapping.yaml' },
      { file: 'csv/spei-bad.csv', mapping: 'csv/spei-mapping.yaml' },
      { file: 'csv/pix-extrato.csv', mapping: 'csv/pix-mapping.yaml' },
      { file: 'csv/remesas.txt', mapping: 'csv/remesas-mapping.json' },
    ],
  },
  {
    name: 'iso20022',
    format: 'iso20022',
    kind: 'xml',
    recordTag: /<(?:[\w.-]+:)?CdtTrfTxInf[\s>/]/g,
    fixtures: [
      { file: 'iso20022/sepa-sct-pacs.008.001.02.xml' },
      { file: 'iso20022/cbpr-plus-pacs.008.001.08-bah.xml' },
      { file: 'iso20022/fedwire-pacs.008.001.08-prefixed.xml' },
      { file: 'iso20022/pacs.008.001.05-fallback-ids.xml' },
      { file: 'iso20022/pix-spi-pacs.008-two-transfers.xml' },
      { file: 'iso20022/bad-fields-pacs.008.001.09.xml' },
    ],
  },
  {
    name: 'goaml',
    format: 'goaml',
    kind: 'xml',
    recordTag: /<(?:[\w.-]+:)?transaction[\s>/]/g,
    fixtures: [
      { file: 'goaml/sample-report-5.0.1.xml' },
      { file: 'goaml/sample-STR-5.0.2-uae.xml' },
      { file: 'goaml/sample-SAR-5.0.2-uae.xml' },
      { file: 'goaml/ctr-5.0.1-accounts.xml' },
      { file: 'goaml/sar-5.0.1-activity.xml' },
      { file: 'goaml/bad-fields-5.0.1.xml' },
    ],
  },
];

interface Summary {
  suite: string;
  cases: number;
  transactions: number;
  rejects: number;
  refused: number;
  knownBugHits: number;
  failures: string[];
  ms: number;
}

type ToMain = { type: 'case'; desc: string } | { type: 'done'; summary: Summary };

// ───────────────────────────── deterministic corruption ─────────────────────────────


class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const PALETTE: readonly (string | number[])[] = [
  '"', '""', ',', ';', '|', '\t', '\n', '\r\n', '\r', '\u0000', [0xff], [0xc3], [0xe2, 0x82], [0xef, 0xbb, 0xbf],
  '<', '&', '>', '</', '&amp;', ']]>', '-', '.', '0', '9', 'e', ' ',
];

function paletteBytes(item: string | number[]): Buffer {
  return typeof item === 'string' ? Buffer.from(item, 'utf8') : Buffer.from(item);
}

const show = (b: Buffer): string => JSON.stringify(b.toString('latin1'));

function insertAt(b: Buffer, pos: number, bytes: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, pos), bytes, b.subarray(pos)]);
}

/** Byte ranges of the lines of b (each including its newline). */
function lineRanges(b: Buffer): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  while (start < b.length) {
    const nl = b.indexOf(10, start);
    const end = nl === -1 ? b.length : nl + 1;
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

type Op = (b: Buffer, rng: Rng, log: string[]) => Buffer;

const OPS: Record<string, Op> = {
  truncate(b, rng, log) {
    const pos = rng.int(b.length + 1);
    log.push(`truncate@${pos}`);
    return b.subarray(0, pos);
  },
  flip(b, rng, log) {
    const out = Buffer.from(b);
    const n = 1 + rng.int(8);
    for (let k = 0; k < n && out.length > 0; k++) {
      const pos = rng.int(out.length);
      const mask = 1 + rng.int(255);
      out[pos] = out[pos]! ^ mask;
      log.push(`flip@${pos}^${mask}`);
    }
    return out;
  },
  insert(b, rng, log) {
    let out = b;
    const n = 1 + rng.int(6);
    for (let k = 0; k < n; k++) {
      const bytes = rng.int(5) === 0 ? Buffer.from([rng.int(256)]) : paletteBytes(rng.pick(PALETTE));
      const pos = rng.int(out.length + 1);
      out = insertAt(out, pos, bytes);
      log.push(`insert@${pos}:${show(bytes)}`);
    }
    return out;
  },
  duplicateLines(b, rng, log) {
    let out = b;
    const n = 1 + rng.int(3);
    for (let k = 0; k < n; k++) {
      const ranges = lineRanges(out);
      if (ranges.length === 0) break;
      const [s, e] = rng.pick(ranges);
      let copy = Buffer.from(out.subarray(s, e));
      if (copy[copy.length - 1] !== 10) copy = Buffer.concat([copy, Buffer.from('\n')]);
      const [before, after] = rng.pick(ranges);
      const at = rng.int(2) === 0 ? before : after;
      out = insertAt(out, at, copy);
      log.push(`dup[${s},${e})@${at}`);
    }
    return out;
  },
  deleteLines(b, rng, log) {
    let out = b;
    const n = 1 + rng.int(3);
    for (let k = 0; k < n; k++) {
      const ranges = lineRanges(out);
      if (ranges.length === 0) break;
      const [s, e] = rng.pick(ranges);
      out = Buffer.concat([out.subarray(0, s), out.subarray(e)]);
      log.push(`del[${s},${e})`);
    }
    return out;
  },
  doctype(b, rng, log) {
    const pos = rng.int(b.length + 1);
    let out = insertAt(b, pos, Buffer.from(DOCTYPE));
    log.push(`doctype@${pos}`);
    const refs = 1 + rng.int(3);
    for (let k = 0; k < refs; k++) {
      const at = rng.int(out.length + 1);
      out = insertAt(out, at, Buffer.from(rng.int(2) === 0 ? '&e;' : '&x;'));
      log.push(`entityref@${at}`);
    }
    return out;
  },
};
const OP_NAMES = Object.keys(OPS);

/** Field values that readers must reject (or read) row by row; all safe inside XML text. */
const NASTY_VALUES: readonly string[] = [
  '', ' ', '-1', '0', '-0.00', '1e400', 'NaN', '99999999999999999999.99', '0.001', '1,000.00', '12a', '2022-02-29',
  '2022-13-01T00:00:00Z', '2022-09-01T00:00:00+99:99', '0050-01-01', 'constructor', '__proto__', 'toString', 'XXX', 'usd',
  'NOTPROVIDED', '&amp;', '&lt;x&gt;', 'ÿé€', 'A'.repeat(300), '1'.repeat(40), '  padded  ',
];

/** XML-preserving corruptions: the document stays well-formed, only its content changes. */
const XML_OPS: Record<string, (b: Buffer, rng: Rng, log: string[], recordTag: RegExp) => Buffer> = {
  text(b, rng, log) {
    const text = b.toString('utf8');
    const nodes = [...text.matchAll(/>([^<>]*[^<>\s][^<>]*)</g)];
    if (nodes.length === 0) return b;
    const m = rng.pick(nodes);
    const value = rng.pick(NASTY_VALUES);
    const start = m.index + 1;
    log.push(`text@${start}:${JSON.stringify(m[1]!.slice(0, 20))}→${JSON.stringify(value.slice(0, 20))}`);
    return Buffer.from(text.slice(0, start) + value + text.slice(start + m[1]!.length), 'utf8');
  },
  dropLeaf(b, rng, log) {
    const text = b.toString('utf8');
    const leaves = [...text.matchAll(/<([\w:.-]+)(?:\s[^<>]*)?>[^<>]*<\/\1>/g)];
    if (leaves.length === 0) return b;
    const m = rng.pick(leaves);
    log.push(`drop@${m.index}:<${m[1]}>`);
    return Buffer.from(text.slice(0, m.index) + text.slice(m.index + m[0].length), 'utf8');
  },
  duplicateRecord(b, rng, log, recordTag) {
    const text = b.toString('utf8');
    const opens = [...text.matchAll(new RegExp(recordTag.source, 'g'))];
    if (opens.length === 0) return b;
    const m = rng.pick(opens);
    const name = /<([\w:.-]+)/.exec(m[0])![1]!;
    const close = text.indexOf(`</${name}>`, m.index);
    if (close === -1) return b;
    const end = close + name.length + 3;
    log.push(`dup-record@${m.index}`);
    return Buffer.from(text.slice(0, end) + text.slice(m.index, end) + text.slice(end), 'utf8');
  },
};
const XML_OP_NAMES = Object.keys(XML_OPS);

/** XML only: a DOCTYPE in the prolog (after the XML declaration) plus an entity reference; must be refused. */
function prologDoctype(b: Buffer, rng: Rng, log: string[]): Buffer {
  const decl = b.subarray(0, 200).indexOf('?>');
  const pos = decl === -1 ? 0 : decl + 2;
  let out = insertAt(b, pos, Buffer.from(`\n${DOCTYPE}\n`));
  const at = pos + DOCTYPE.length + 2 + rng.int(Math.max(1, out.length - pos - DOCTYPE.length - 2));
  out = insertAt(out, Math.min(at, out.length), Buffer.from('&e;'));
  log.push(`prolog-doctype@${pos}`, `entityref@${at}`);
  return out;
}

// ───────────────────────────── reference record splitter ─────────────────────────────

interface PhysLine {
  text: string;
  bad: boolean;
}

interface RefRecord {
  line: number;
  /** Raw record text (lines joined with \n, final \r dropped); empty for a bad record. */
  text: string;
  /** Marked bad by the text source, or a record that ran into a bad line. */
  sourceBad: boolean;
  /** Quotes never balanced (end of input). */
  open: boolean;
  /** No quote starts a field: split on the delimiter only. */
  simple: boolean;
}

/** Physical lines as the text source yields them (BOM rules of text.ts; UTF-8 lines checked one by one). */
function physicalLines(bytes: Buffer, declared: string): PhysLine[] {
  let encoding = declared;
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, body] = ['utf-16le', bytes.subarray(2)];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [encoding, body] = ['utf-16be', bytes.subarray(2)];
  if (encoding !== 'utf-8') {
    const text = new TextDecoder(encoding === 'latin1' ? 'latin1' : encoding).decode(body);
    const parts = text.split('\n');
    if (text.endsWith('\n')) parts.pop();
    if (text === '') return [];
    return parts.map((t) => ({ text: t, bad: false }));
  }
  return lineRanges(body).map(([s, e]) => {
    const seg = body.subarray(s, body[e - 1] === 10 ? e - 1 : e);
    return isUtf8(seg) ? { text: seg.toString('utf8'), bad: false } : { text: '', bad: true };
  });
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++;
  return n;
}

/** Whether a quote on the line starts a field (at the line start or right after a delimiter). */
function opensQuotedField(text: string, delim: string): boolean {
  for (let q = text.indexOf('"'); q !== -1; q = text.indexOf('"', q + 1)) if (q === 0 || text[q - 1] === delim) return true;
  return false;
}

function referenceRecords(lines: PhysLine[], delim: string): RefRecord[] {
  const records: RefRecord[] = [];
  let pending: { line: number; quotes: number; parts: string[] } | undefined;
  const close = (p: { line: number; parts: string[] }, sourceBad: boolean, open: boolean) => {
    const text = p.parts.join('\n');
    records.push({ line: p.line, text: text.endsWith('\r') ? text.slice(0, -1) : text, sourceBad, open, simple: false });
  };
  lines.forEach((l, i) => {
    const n = i + 1;
    if (pending) {
      if (l.bad) {
        close(pending, true, false);
        pending = undefined;
        return;
      }
      pending.quotes += countQuotes(l.text);
      pending.parts.push(l.text);
      if (pending.quotes % 2 === 0) {
        close(pending, false, false);
        pending = undefined;
      }
      return;
    }
    if (l.bad) {
      records.push({ line: n, text: '', sourceBad: true, open: false, simple: false });
      return;
    }
    const body = l.text.endsWith('\r') ? l.text.slice(0, -1) : l.text;
    if (body === '') return;
    // A quote inside an unquoted field is a literal character: such a line is split on the delimiter alone.
    if (!opensQuotedField(body, delim)) {
      records.push({ line: n, text: body, sourceBad: false, open: false, simple: true });
      return;
    }
    const q = countQuotes(l.text);
    if (q % 2 === 0) records.push({ line: n, text: body, sourceBad: false, open: false, simple: false });
    else pending = { line: n, quotes: q, parts: [l.text] };
  });
  if (pending) close(pending, false, true);
  return records;
}

/** Fields of a record by RFC 4180 (a quote is special only at the start of a field); undefined when malformed. */
function splitRecord(text: string, delim: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  while (true) {
    if (text[i] === '"') {
      let value = '';
      let from = i + 1;
      while (true) {
        const q = text.indexOf('"', from);
        if (q === -1) return undefined;
        if (text[q + 1] === '"') {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= n) break;
      if (text[i] !== delim) return undefined;
      i++;
      if (i === n) {
        fields.push('');
        break;
      }
    } else {
      const d = text.indexOf(delim, i);
      if (d === -1) {
        fields.push(text.slice(i));
        break;
      }
      fields.push(text.slice(i, d));
      i = d + 1;
      if (i === n) {
        fields.push('');
        break;
      }
    }
  }
  return checkCount(fields);
}

/** The tokenizer's field limit (DEFAULT_MAX_FIELDS): a record with more fields is bad. */
function checkCount(fields: string[]): string[] | undefined {
  return fields.length > 4096 ? undefined : fields;
}

const IBM_HEADER = ['Timestamp', 'From Bank', 'Account', 'To Bank', 'Account', 'Amount Received', 'Receiving Currency', 'Amount Paid', 'Payment Currency', 'Payment Format'];

function isIbmHeader(fields: string[]): boolean {
  const names = fields.map((f) => f.trim());
  return IBM_HEADER.every((h, i) => names[i] === h) && (names.length === 10 || (names.length === 11 && names[10] === 'Is Laundering'));
}

function isPatternMarker(fields: string[] | undefined): boolean {
  return fields !== undefined && fields.length === 1 && /^(BEGIN|END) LAUNDERING ATTEMPT/.test(fields[0]!);
}

// ───────────────────────────── one case ─────────────────────────────

interface Outcome {
  transactions: ReturnType<IngestBatch['transactions']['get']>[];
  rejects: Reject[];
  truth: TruthLabel[];
  other: unknown[];
}

interface CaseResult {
  problems: string[];
  /** Cases where the known dropped-last-line bug showed (tolerated). */
  knownBugHits: number;
  /** A file-level reject names the DOCTYPE. */
  refusedForDoctype: boolean;
  transactions: number;
  rejects: number;
  refused: number;
}

async function runCase(suite: Suite, spec: FixtureSpec, mapping: CsvMapping | undefined, path: string, bytes: Buffer, batchRows: number | undefined): Promise<CaseResult> {
  const problems: string[] = [];
  const result: CaseResult = { problems, knownBugHits: 0, refusedForDoctype: false, transactions: 0, rejects: 0, refused: 0 };
  const fail = (msg: string) => problems.push(msg);
  await writeFile(path, bytes);
  const out: Outcome = { transactions: [], rejects: [], truth: [], other: [] };
  try {
    for await (const b of readFiles([{ path }], { format: suite.format, mapping, batchId: 'fuzz', batchRows })) {
      for (let i = 0; i < b.transactions.length; i++) out.transactions.push(b.transactions.get(i));
      out.rejects.push(...b.rejects);
      out.truth.push(...b.truth);
      out.other.push(...b.accounts, ...b.parties, ...b.links, ...b.reports);
    }
  } catch (err) {
    fail(`exception escaped readFiles: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return result;
  }
  result.transactions = out.transactions.length;
  result.rejects = out.rejects.length;
  result.refused = out.rejects.filter((r) => r.reason.startsWith('file refused:')).length;
  result.refusedForDoctype = out.rejects.some((r) => r.reason.startsWith('file refused: DOCTYPE declarations are refused'));

  const text = bytes.toString('latin1');
  // XML parsers count CR, LF and CRLF as line ends (XML 1.0 §2.11); line formats count LF.
  const physical = suite.kind === 'xml' ? text.split(/\r\n|\r|\n/).length : lineRanges(bytes).length;
  const companions = new Set((spec.companions ?? []).map((c) => join(path, '..', basename(c))));
  const own = (file: string) => file === path;

  // Common invariants.
  let fileLevel = 0;
  for (const r of out.rejects) {
    const parsed = Reject.safeParse(r);
    if (!parsed.success) fail(`invalid reject ${JSON.stringify(r)}: ${parsed.error.message}`);
    if (!own(r.file) && !companions.has(r.file)) fail(`reject names another file: ${r.file}`);
    if (!Number.isInteger(r.line) || r.line < 0 || r.line > physical + 1) fail(`reject line ${r.line} outside 0..${physical + 1}: ${r.reason}`);
    if (typeof r.reason !== 'string' || r.reason.trim() === '') fail(`reject without a reason at line ${r.line}`);
    if (r.reason.startsWith('file refused:')) fileLevel++;
  }
  if (fileLevel > 1) fail(`${fileLevel} file-level rejects`);
  const ownTx = out.transactions.filter((t) => own(t.provenance.file));
  for (const t of out.transactions) {
    const parsed = Transaction.safeParse(t);
    if (!parsed.success) fail(`invalid transaction ${JSON.stringify(t)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (!own(t.provenance.file)) fail(`transaction from another file: ${t.provenance.file}`);
    if (t.provenance.line < 1 || t.provenance.line > physical) fail(`transaction ${t.id} at line ${t.provenance.line} outside 1..${physical}`);
    // Readers reject negative amounts (or, for mapped CSV with negativeAmounts: reverse, turn them around).
    if (t.amountMinor < 0 || (t.originalAmountMinor ?? 0) < 0) fail(`transaction ${t.id} has a negative amount ${t.amountMinor} / ${t.originalAmountMinor}`);
    if (Object.is(t.amountMinor, -0)) fail(`transaction ${t.id} has amount -0`);
  }
  const ids = new Set(out.transactions.map((t) => t.id));
  for (const l of out.truth) {
    if (!l.transactionId.startsWith('account:') && !ids.has(l.transactionId)) fail(`truth label names no transaction: ${l.transactionId}`);
  }
  if (suite.kind === 'xml') {
    // The entity value is declared only inside the DOCTYPE: it can reach the output only by expansion.
    const leaked = JSON.stringify([out.transactions, out.truth, out.other]);
    if (leaked.includes(ENTITY_VALUE) || leaked.includes('root:x:0:0')) fail('an entity was expanded into the output');
    const elements = text.match(suite.recordTag!)?.length ?? 0;
    if (out.transactions.length > elements) fail(`${out.transactions.length} transactions from ${elements} record elements`);
    const tags = text.split('<').length;
    if (out.rejects.length > tags) fail(`${out.rejects.length} rejects from ${tags - 1} tags`);
    return result;
  }

  const ownRejects = out.rejects.filter((r) => own(r.file));
  if (ownTx.length + ownRejects.length > physical + 1) fail(`${ownTx.length} transactions + ${ownRejects.length} rejects from ${physical} lines`);

  // Exact accounting for line formats.
  const encoding = suite.kind === 'csv' ? mapping!.encoding : 'utf-8';
  const delimiter = suite.kind === 'csv' ? mapping!.delimiter : ',';
  const records = referenceRecords(physicalLines(bytes, encoding), delimiter);
  const fieldsOf = (r: RefRecord) => (r.sourceBad || r.open ? undefined : r.simple ? checkCount(r.text.split(delimiter)) : splitRecord(r.text, delimiter));
  const tokBad = (r: RefRecord) => fieldsOf(r) === undefined;
  const refusals = ownRejects.filter((r) => r.reason.startsWith('file refused:'));
  const rowRejects = ownRejects.filter((r) => !r.reason.startsWith('file refused:'));

  if (refusals.length > 0) {
    const mismatch = suite.kind === 'csv' && refusals.every((r) => r.reason.includes('the mapping does not fit this file'));
    if (!mismatch) fail(`file refused: ${refusals.map((r) => r.reason).join(' | ')}`);
    // Refused at its header: no transaction; only records before the header may have been rejected (those that
    // reached a completed batch before the refusal — how many depends on batchRows).
    const header = records.find((r) => !tokBad(r));
    const early = rowRejects.filter((r) => header === undefined || r.line >= header.line);
    if (ownTx.length > 0 || early.length > 0) fail(`a refused file also emitted ${ownTx.length} transactions and ${early.length} rejects at or after its header`);
    return result;
  }

  const hasHeader = suite.kind === 'ibm' || suite.kind === 'amlsim' || mapping!.header;
  const patterns = suite.kind === 'ibm' && (await readHead(path, 4096)).trimStart().startsWith('BEGIN LAUNDERING ATTEMPT');
  const expected: RefRecord[] = []; // records that must be covered by exactly one transaction or reject
  const data: RefRecord[] = []; // records counted as data rows (row:<n>)
  let headerLine = -1;
  for (const r of records) {
    const fields = fieldsOf(r);
    if (patterns) {
      if (isPatternMarker(fields)) continue;
      expected.push(r);
      data.push(r);
      continue;
    }
    if (hasHeader && headerLine < 0) {
      if (tokBad(r)) {
        expected.push(r); // bad before the header: rejected, not a row
        continue;
      }
      headerLine = r.line;
      if (suite.kind === 'ibm') {
        if (!isIbmHeader(fields!)) expected.push(r);
      } else if (suite.kind === 'amlsim') {
        if (ownRejects.some((j) => j.line === r.line)) expected.push(r);
      }
      continue;
    }
    expected.push(r);
    data.push(r);
  }

  const covered = [...ownTx.map((t) => t.provenance.line), ...rowRejects.map((r) => r.line)].sort((a, b) => a - b);
  let wanted = expected.map((r) => r.line);
  // KNOWN BUG (todo tests in csv.test.ts and ibm-aml.test.ts): a last line that is invalid UTF-8 and has no final
  // newline reaches the tokenizer as an empty piece and is dropped without a reject. Tolerated here (counted in the
  // summary) so the fuzz keeps guarding everything else; once fixed, that line is covered and this still passes.
  const last = expected[expected.length - 1];
  if (last && last.sourceBad && bytes[bytes.length - 1] !== 10 && last.line === physical && !covered.includes(last.line)) {
    wanted = wanted.slice(0, -1);
    result.knownBugHits++;
  }
  if (JSON.stringify(covered) !== JSON.stringify(wanted)) {
    const c = new Set(covered);
    const w = new Set(wanted);
    const dup = covered.filter((l, i) => covered[i - 1] === l);
    fail(
      `lines not accounted for: missing ${JSON.stringify(wanted.filter((l) => !c.has(l)).slice(0, 10))}, ` +
        `unexpected ${JSON.stringify(covered.filter((l) => !w.has(l)).slice(0, 10))}, twice ${JSON.stringify(dup.slice(0, 10))}`,
    );
  }
  if (headerLine > 0) {
    const headerReject = rowRejects.find((r) => r.line === headerLine);
    const wantReason = suite.kind === 'ibm' ? 'not an IBM AMLworld header' : suite.kind === 'amlsim' ? 'not an AMLSim header' : undefined;
    if (headerReject && wantReason && !headerReject.reason.startsWith(wantReason)) fail(`header line rejected for another reason: ${headerReject.reason}`);
  }
  const rowIds = suite.kind === 'ibm' || (suite.kind === 'amlsim' && ownTx.some((t) => t.id.startsWith('row:'))) || (suite.kind === 'csv' && mapping!.columns.id === undefined);
  if (rowIds) {
    const rank = new Map(data.map((r, i) => [r.line, i + 1]));
    for (const t of ownTx) {
      const want = `row:${rank.get(t.provenance.line)}`;
      if (t.id !== want) fail(`transaction at line ${t.provenance.line} is ${t.id}, expected ${want}`);
    }
  }
  return result;
}

// ───────────────────────────── worker ─────────────────────────────

/** FNV-1a of a string (per-suite seed). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

async function workerMain(): Promise<void> {
  const { suiteName, dir, cases, seed } = workerData as { suiteName: string; dir: string; cases: number; seed: number };
  const suite = SUITES.find((s) => s.name === suiteName)!;
  const post = (m: ToMain) => parentPort!.postMessage(m);
  const started = Date.now();
  const originals = await Promise.all(suite.fixtures.map((f) => readFile(fixture(f.file))));
  const mappings = await Promise.all(suite.fixtures.map((f) => (f.mapping ? loadMapping(fixture(f.mapping)) : undefined)));
  const summary: Summary = { suite: suite.name, cases: 0, transactions: 0, rejects: 0, refused: 0, knownBugHits: 0, failures: [], ms: 0 };
  for (const spec of suite.fixtures) {
    for (const c of spec.companions ?? []) await copyFile(fixture(c), join(dir, basename(c)));
  }
  for (let i = 0; i < cases; i++) {
    const k = i % suite.fixtures.length;
    const spec = suite.fixtures[k]!;
    const rng = new Rng((seed ^ Math.imul(i + 1, 0x9e3779b1) ^ hash(suite.name)) >>> 0);
    const log: string[] = [];
    let bytes: Buffer = originals[k]!;
    const ops = 1 + rng.int(3);
    const gentle = suite.kind === 'xml' && rng.int(2) === 0;
    for (let j = 0; j < ops; j++) {
      if (gentle) bytes = XML_OPS[rng.pick(XML_OP_NAMES)]!(bytes, rng, log, suite.recordTag!);
      else bytes = OPS[rng.pick(OP_NAMES)]!(bytes, rng, log);
    }
    // A DOCTYPE in the prolog of an otherwise well-formed document: must be refused for the DOCTYPE itself.
    const prolog = gentle && rng.int(4) === 0;
    if (prolog) bytes = prologDoctype(bytes, rng, log);
    const batchRows = rng.pick([undefined, 1, 3, 64]);
    const desc = `${suite.name} case ${i} (${spec.file}, batchRows ${batchRows ?? 'default'}): ${log.join(', ')}`;
    post({ type: 'case', desc });
    const path = join(dir, basename(spec.file));
    const result = await runCase(suite, spec, mappings[k], path, bytes, batchRows);
    const problems = result.problems;
    if (prolog && !(result.refusedForDoctype && result.transactions === 0)) problems.push('a DOCTYPE in the prolog was not refused as such');
    if (gentle && !prolog && result.refused > 0) problems.push('a well-formed document (only its content changed) was refused as a whole');
    summary.cases++;
    summary.transactions += result.transactions;
    summary.rejects += result.rejects;
    summary.refused += result.refused;
    summary.knownBugHits += result.knownBugHits;
    for (const p of problems) if (summary.failures.length < 25) summary.failures.push(`${desc}\n    → ${p}`);
    if (problems.length > 0 && KEEP_DIR) await copyFile(path, join(KEEP_DIR, `${suite.name}-case${i}-${basename(spec.file)}`));
  }
  summary.ms = Date.now() - started;
  post({ type: 'done', summary });
}

// ───────────────────────────── main thread ─────────────────────────────

function runSuite(suiteName: string, dir: string): Promise<Summary> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { suiteName, dir, cases: CASES_PER_SUITE, seed: SEED },
      resourceLimits: RESOURCE_LIMITS,
    });
    let current = 'worker start-up';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (summary: Summary) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(summary);
    };
    const failed = (why: string): Summary => ({ suite: suiteName, cases: 0, transactions: 0, rejects: 0, refused: 0, knownBugHits: 0, failures: [why], ms: 0 });
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        finish(failed(`no progress for ${CASE_TIMEOUT_MS} ms (hang) in ${current}`));
        void worker.terminate();
      }, CASE_TIMEOUT_MS);
    };
    arm();
    worker.on('message', (m: ToMain) => {
      if (m.type === 'case') {
        current = m.desc;
        arm();
      } else {
        finish(m.summary);
      }
    });
    worker.on('error', (err) => finish(failed(`worker died (${err.message}) in ${current}`)));
    worker.on('exit', (code) => finish(failed(`worker exited with code ${code} in ${current}`)));
  });
}

if (isMainThread) {
  for (const suite of SUITES) {
    test(`fuzz ${suite.name}: ${CASES_PER_SUITE} seeded corruptions of ${suite.fixtures.length} fixtures through readFiles`, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), `rastro-fuzz-${suite.name}-`));
      try {
        const s = await runSuite(suite.name, dir);
        t.diagnostic(
          `${s.suite}: ${s.cases} cases, ${s.transactions} transactions, ${s.rejects} rejects (${s.refused} files refused), ` +
            `${s.knownBugHits} hits of the known dropped-last-line bug, ${s.ms} ms`,
        );
        assert.equal(s.failures.length, 0, `${s.failures.length} failing case(s):\n${s.failures.join('\n')}`);
        assert.equal(s.cases, CASES_PER_SUITE);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
} else {
  await workerMain();
}
