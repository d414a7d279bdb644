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

/** Split a chunk of whole lines into text, marking lines that are not valid UTF-8. */
function decodeUtf8Lines(bytes: Buffer, firstLine: number, maxLineBytes: number): TextPiece {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8'), firstLine };
  const parts: string[] = [];
  const badLines = new Map<number, string>();
  let line = firstLine;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    const hasNewline = end !== -1;
    if (!hasNewline) end = bytes.length;
    const lineBytes = bytes.subarray(start, end);
    if (isUtf8(lineBytes)) {
      parts.push(lineBytes.toString('utf8'));
    } else {
      let offset = 0;
      for (let k = 1; k <= lineBytes.length; k++) {
        if (!isUtf8(lineBytes.subarray(0, k)) && !isUtf8(lineBytes.subarray(0, Math.min(lineBytes.length, k + 3)))) {
          offset = k - 1;
          break;
        }
      }
      badLines.set(line, `invalid UTF-8 at byte ${offset + 1} of the line (is the file in another encoding? try --encoding windows-1252)`);
      parts.push('');
    }
    if (lineBytes.length > maxLineBytes) badLines.set(line, `line longer than ${maxLineBytes} bytes`);
    parts.push(hasNewline ? '\n' : '');
    line++;
    start = end + 1;
  }
  return { text: parts.join(''), firstLine, badLines };
}

/**
 * Read a file (or a given byte stream) as pieces of whole lines.
 * Memory: one read chunk plus at most one partial line (bounded by maxLineBytes).
 */
export async function* readTextPieces(path: string, options: TextSourceOptions = {}): AsyncGenerator<TextPiece> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const stream = options.stream ?? createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  let encoding: TextEncodingName = options.encoding ?? 'utf-8';
  let bytesRead = 0;
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  let skippingLongLine = false; // discarding the rest of an over-long line until its newline
  let decoder: TextDecoder | undefined;
  let textCarry = '';

  for await (const raw of stream) {
    let chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    bytesRead += chunk.length;
    options.onBytes?.(bytesRead);
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      else if (chunk[0] === 0xff && chunk[1] === 0xfe) { encoding = 'utf-16le'; chunk = chunk.subarray(2); }
      else if (chunk[0] === 0xfe && chunk[1] === 0xff) { encoding = 'utf-16be'; chunk = chunk.subarray(2); }
    }

    if (encoding !== 'utf-8') {
      decoder ??= new TextDecoder(encoding === 'latin1' ? 'latin1' : encoding);
      const text = textCarry + decoder.decode(chunk, { stream: true });
      const cut = text.lastIndexOf('\n');
      if (cut === -1) {
        textCarry = text;
        if (textCarry.length > maxLineBytes) {
          yield { text: '\n', firstLine: line, badLines: new Map([[line, `line longer than ${maxLineBytes} characters`]]) };
          line++;
          textCarry = '';
        }
        continue;
      }
      const piece = text.slice(0, cut + 1);
      textCarry = text.slice(cut + 1);
      yield { text: piece, firstLine: line };
      line += countNewlines(piece);
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
    const piece = decodeUtf8Lines(whole, line, maxLineBytes);
    yield piece;
    line += countNewlines(piece.text);
  }

  if (encoding !== 'utf-8') {
    const rest = textCarry + (decoder ? decoder.decode() : '');
    if (rest.length > 0) yield { text: rest, firstLine: line };
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
