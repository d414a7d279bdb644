/**
 * Byte stream → text pieces made of whole lines, in constant memory.
 * Handles BOMs (UTF-8, UTF-16 LE/BE), checks UTF-8 validity line by line only when a chunk is invalid,
 * and cuts lines longer than the limit so a file without newlines cannot exhaust memory.
 */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

export const DEFAULT_MAX_LINE_BYTES = 1 << 20; // 1 MiB: longer physical lines are rejected, not buffered
const READ_CHUNK_BYTES = 1 << 20;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';
export const TEXT_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'];

export interface TextPiece {
  /** Whole lines (the last piece of a file may lack its final newline). */
  text: string;
  /** Physical line number (1-based) of the first line in `text`. */
  firstLine: number;
  /** Lines that could not be decoded or were too long; their text in `text` is empty. */
  badLines?: Map<number, string>;
}

export interface TextSourceOptions {
  encoding?: TextEncodingName;
  maxLineBytes?: number;
  /** Called with the number of bytes read so far, for progress. */
  onBytes?: (bytesRead: number) => void;
  /** Start and length for reading a slice of a file (tests, partial reads). */
  stream?: AsyncIterable<Buffer | Uint8Array>;
}

function countNewlines(text: string): number {
  let n = 0;
  let i = -1;
  while ((i = text.indexOf('\n', i + 1)) !== -1) n++;
  return n;
}

function lastNewline(buf: Uint8Array, end: number): number {
  for (let i = end - 1; i >= 0; i--) if (buf[i] === 10) return i;
  return -1;
}

/**
 * Index of the first byte of the first invalid UTF-8 sequence in `b` (the lead byte of a broken sequence,
 * or a stray byte), or -1 when `b` is valid. Follows the well-formed table of Unicode §3.9 (no overlongs,
 * no surrogates, nothing above U+10FFFF).
 */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** True when some line of `bytes` (split at LF) is longer than `max` bytes. */
function hasLongLine(bytes: Uint8Array, max: number): boolean {
  if (bytes.length <= max) return false;
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl;
    if (end - start > max) return true;
    if (nl === -1) return false;
    start = nl + 1;
  }
}

/** Split a chunk of whole lines into text, marking lines that are not valid UTF-8 or too long. */
function decodeUtf8Lines(bytes: Buffer, firstLine: number, maxLineBytes: number): TextPiece {
  if (isUtf8(bytes) && !hasLongLine(bytes, maxLineBytes)) return { text: bytes.toString('utf8'), firstLine };
  const parts: string[] = [];
  const badLines = new Map<number, string>();
  let line = firstLine;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    const hasNewline = end !== -1;
    if (!hasNewline) end = bytes.length;
    const lineBytes = bytes.subarray(start, end);
    if (lineBytes.length > maxLineBytes) {
      badLines.set(line, `line longer than ${maxLineBytes} bytes`);
    } else if (isUtf8(lineBytes)) {
      parts.push(lineBytes.toString('utf8'));
    } else {
      const offset = Math.max(0, firstInvalidUtf8(lineBytes));
      badLines.set(line, `invalid UTF-8 at byte ${offset + 1} of the line (is the file in another encoding? try --encoding windows-1252)`);
    }
    parts.push(hasNewline ? '\n' : '');
    line++;
    start = end + 1;
  }
  return { text: parts.join(''), firstLine, badLines };
}

/**
 * Newlines in `bytes`, or -1 when some line (split at LF) is longer than `max` bytes: the check of `hasLongLine`
 * and the count the source needs for the next piece's first line, in one pass.
 */
function countLinesWithin(bytes: Uint8Array, max: number): number {
  let lines = 0;
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl;
    if (end - start > max) return -1;
    if (nl === -1) return lines;
    lines++;
    start = nl + 1;
  }
}

/** Lines of decoded text longer than `max` characters become bad lines (their text emptied). */
function markLongTextLines(text: string, firstLine: number, max: number): TextPiece {
  if (text.length <= max) return { text, firstLine };
  const lines = text.split('\n');
  let badLines: Map<number, string> | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.length > max) {
      badLines ??= new Map();
      badLines.set(firstLine + i, `line longer than ${max} characters`);
      lines[i] = '';
    }
  }
  return badLines ? { text: lines.join('\n'), firstLine, badLines } : { text, firstLine };
}

/**
 * Whole lines still as bytes: valid UTF-8, no line longer than the limit, BOM already removed, so decoding
 * them gives exactly the text a `TextPiece` would hold (and no bad lines). For readers with a byte-level
 * fast path; the bytes are only valid until the next piece is requested.
 */
export interface BytePiece {
  bytes: Buffer;
  /** Physical line number (1-based) of the first line in `bytes`. */
  firstLine: number;
  /** Newlines in `bytes` (every line ends with one). */
  lines: number;
}

export function isBytePiece(piece: TextPiece | BytePiece): piece is BytePiece {
  return (piece as BytePiece).bytes !== undefined;
}

/**
 * Read a file (or a given byte stream) as pieces of whole lines.
 * Memory: one read chunk plus at most one partial line (bounded by maxLineBytes).
 */
export function readTextPieces(path: string, options: TextSourceOptions = {}): AsyncGenerator<TextPiece> {
  return readPieces(path, options, false) as AsyncGenerator<TextPiece>;
}

/**
 * `readTextPieces`, except that UTF-8 chunks that are valid and have no over-long line come undecoded, as
 * `BytePiece`s (the rest, and every piece of other encodings, as `TextPiece`s).
 */
export function readLinePieces(path: string, options: TextSourceOptions = {}): AsyncGenerator<TextPiece | BytePiece> {
  return readPieces(path, options, true);
}

async function* readPieces(path: string, options: TextSourceOptions, wantBytes: boolean): AsyncGenerator<TextPiece | BytePiece> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const stream = options.stream ?? createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  let encoding: TextEncodingName = options.encoding ?? 'utf-8';
  let bytesRead = 0;
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  // Until three bytes have arrived the BOM (if any) is not known: hold them.
  let head: Buffer | undefined = Buffer.alloc(0);
  let skippingLongLine = false; // discarding the rest of an over-long line until its newline
  let decoder: TextDecoder | undefined;
  let textCarry = '';

  const sniff = (bytes: Buffer): Buffer => {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
    if (options.encoding === undefined || options.encoding === 'utf-8') {
      if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        encoding = 'utf-16le';
        return bytes.subarray(2);
      }
      if (bytes[0] === 0xfe && bytes[1] === 0xff) {
        encoding = 'utf-16be';
        return bytes.subarray(2);
      }
    }
    return bytes;
  };

  function* decodeText(chunk: Buffer): Generator<TextPiece> {
    decoder ??= new TextDecoder(encoding === 'latin1' ? 'latin1' : encoding);
    let text = decoder.decode(chunk, { stream: true });
    if (skippingLongLine) {
      const nl = text.indexOf('\n');
      if (nl === -1) return;
      text = text.slice(nl + 1);
      skippingLongLine = false;
      line++;
    }
    text = textCarry + text;
    const cut = text.lastIndexOf('\n');
    if (cut === -1) {
      textCarry = text;
      if (textCarry.length > maxLineBytes) {
        yield { text: '\n', firstLine: line, badLines: new Map([[line, `line longer than ${maxLineBytes} characters`]]) };
        skippingLongLine = true;
        textCarry = '';
      }
      return;
    }
    const piece = text.slice(0, cut + 1);
    textCarry = text.slice(cut + 1);
    const marked = markLongTextLines(piece, line, maxLineBytes);
    yield marked;
    line += countNewlines(piece);
  }

  for await (const raw of stream) {
    let chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    bytesRead += chunk.length;
    options.onBytes?.(bytesRead);
    if (head !== undefined) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 3) continue;
      chunk = sniff(head);
      head = undefined;
    }

    if (encoding !== 'utf-8') {
      yield* decodeText(chunk);
      continue;
    }

    if (skippingLongLine) {
      const nl = chunk.indexOf(10);
      if (nl === -1) continue;
      chunk = chunk.subarray(nl + 1);
      skippingLongLine = false;
      line++;
    }
    const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const cut = lastNewline(joined, joined.length);
    if (cut === -1) {
      if (joined.length > maxLineBytes) {
        yield { text: '\n', firstLine: line, badLines: new Map([[line, `line longer than ${maxLineBytes} bytes`]]) };
        skippingLongLine = true;
        carry = Buffer.alloc(0);
      } else {
        carry = Buffer.from(joined);
      }
      continue;
    }
    const whole = joined.subarray(0, cut + 1);
    carry = Buffer.from(joined.subarray(cut + 1));
    if (wantBytes && isUtf8(whole)) {
      const lines = countLinesWithin(whole, maxLineBytes);
      if (lines >= 0) {
        yield { bytes: whole, firstLine: line, lines };
        line += lines;
        continue;
      }
    }
    const piece = decodeUtf8Lines(whole, line, maxLineBytes);
    yield piece;
    line += countNewlines(piece.text);
  }

  if (head !== undefined && head.length > 0) {
    const rest = sniff(head);
    if (encoding === 'utf-8') carry = Buffer.from(rest);
    else yield* decodeText(rest);
  }
  if (encoding !== 'utf-8') {
    const tail = decoder ? decoder.decode() : '';
    if (skippingLongLine && !tail.includes('\n')) return;
    const rest = textCarry + tail;
    if (rest.length > 0) yield markLongTextLines(rest, line, maxLineBytes);
    return;
  }
  if (carry.length > 0 && !skippingLongLine) yield decodeUtf8Lines(carry, line, maxLineBytes);
}

/** Read the first bytes of a file as text (for format detection), BOM stripped. */
export async function readHead(path: string, bytes = 64 * 1024): Promise<string> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    let head = buf.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3);
    if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head.subarray(2));
    if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head.subarray(2));
    return head.toString('utf8');
  } finally {
    await handle.close();
  }
}
