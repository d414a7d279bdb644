/**
 * Streaming RFC 4180 tokenizer: quoted fields, doubled quotes, quoted newlines, CRLF, blank lines.
 * Fast path for lines without quotes (one indexOf per field, no per-character loop); records with
 * quotes are collected until their quotes balance and then parsed. Records are bounded in size.
 */
import type { TextPiece } from './text.js';

export interface CsvSink {
  /** One record. `fields` is reused between calls: copy what you keep. */
  record(fields: string[], count: number, line: number): void;
  /** A record that could not be tokenized (bad bytes, unbalanced quotes, too long). */
  bad(line: number, reason: string, raw: string): void;
}

export interface CsvOptions {
  delimiter?: string;
  maxRecordChars?: number;
  maxFields?: number;
}

export const DEFAULT_MAX_RECORD_CHARS = 1 << 20;
export const DEFAULT_MAX_FIELDS = 4096;

export class CsvTokenizer {
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly maxRecordChars: number;
  private readonly maxFields: number;
  private readonly fields: string[] = [];
  // Pending multi-line quoted record.
  private pending = '';
  private pendingLine = 0;
  private pendingQuotes = 0;
  private pendingActive = false;
  // Raw text of the last record, for rejects.
  private rawText = '';
  private rawStart = 0;
  private rawEnd = 0;

  constructor(options: CsvOptions = {}) {
    this.delim = options.delimiter ?? ',';
    if (this.delim.length !== 1 || this.delim === '"' || this.delim === '\n' || this.delim === '\r') {
      throw new Error(`CSV delimiter must be one character other than quote or newline, got ${JSON.stringify(this.delim)}`);
    }
    this.delimCode = this.delim.charCodeAt(0);
    this.maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
    this.maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
  }

  /** No quoted record is open across lines (the next line starts a record). */
  get idle(): boolean {
    return !this.pendingActive;
  }

  /** The raw text of the record last passed to `record` (for reject files). */
  raw(): string {
    return this.rawText.slice(this.rawStart, this.rawEnd);
  }

  push(piece: TextPiece, sink: CsvSink): void {
    const text = piece.text;
    const bad = piece.badLines;
    let pos = 0;
    let line = piece.firstLine;
    const length = text.length;
    // Position of the next quote character in `text` (length when none): found once, not once per line.
    let nextQuote = -1;
    while (pos < length) {
      const nl = text.indexOf('\n', pos);
      const lineEnd = nl === -1 ? length : nl;
      let end = lineEnd;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      const badReason = bad?.get(line);

      if (this.pendingActive) {
        if (badReason !== undefined) {
          this.pendingActive = false;
          sink.bad(this.pendingLine, `record starting here spans a bad line ${line}: ${badReason}`, this.pending);
          this.pending = '';
        } else {
          this.appendPending(text, pos, lineEnd, sink);
        }
        pos = lineEnd + 1;
        line++;
        continue;
      }

      if (badReason !== undefined) {
        sink.bad(line, badReason, text.slice(pos, Math.min(end, pos + 200)));
      } else if (end > pos) {
        if (nextQuote < pos) {
          nextQuote = text.indexOf('"', pos);
          if (nextQuote === -1) nextQuote = length;
        }
        if (nextQuote >= end || !this.opensQuotedField(text, pos, end, nextQuote)) {
          this.splitSimple(text, pos, end, line, sink);
        } else {
          this.pending = '';
          this.pendingQuotes = 0;
          this.pendingLine = line;
          this.pendingActive = true;
          this.appendPending(text, pos, lineEnd, sink);
        }
      }
      pos = lineEnd + 1;
      line++;
    }
    // A bad last line without its newline leaves no text to walk over: report it all the same.
    if (bad) {
      for (const [badLine, reason] of bad) {
        if (badLine < line) continue;
        if (this.pendingActive) {
          this.pendingActive = false;
          sink.bad(this.pendingLine, `record starting here spans a bad line ${badLine}: ${reason}`, this.pending);
          this.pending = '';
        } else {
          sink.bad(badLine, reason, '');
        }
      }
    }
  }

  /** Flush at end of input: an open quoted record is a truncated file. */
  end(sink: CsvSink): void {
    if (this.pendingActive) {
      this.pendingActive = false;
      sink.bad(this.pendingLine, 'unterminated quoted field (file truncated?)', this.pending.slice(0, 1000));
      this.pending = '';
    }
  }

  /** Whether any quote on this line starts a field (a quote inside an unquoted field is a literal character). */
  private opensQuotedField(text: string, start: number, end: number, firstQuote: number): boolean {
    for (let q = firstQuote; q !== -1 && q < end; q = text.indexOf('"', q + 1)) {
      if (q === start || text.charCodeAt(q - 1) === this.delimCode) return true;
    }
    return false;
  }

  private splitSimple(text: string, start: number, end: number, line: number, sink: CsvSink): void {
    const fields = this.fields;
    let count = 0;
    let pos = start;
    const delim = this.delim;
    while (true) {
      const d = text.indexOf(delim, pos);
      if (d === -1 || d >= end) {
        fields[count++] = text.slice(pos, end);
        break;
      }
      fields[count++] = text.slice(pos, d);
      pos = d + 1;
      if (count >= this.maxFields) {
        sink.bad(line, `more than ${this.maxFields} fields`, text.slice(start, Math.min(end, start + 200)));
        return;
      }
    }
    this.rawText = text;
    this.rawStart = start;
    this.rawEnd = end;
    sink.record(fields, count, line);
  }

  private appendPending(text: string, start: number, lineEnd: number, sink: CsvSink): void {
    for (let i = text.indexOf('"', start); i !== -1 && i < lineEnd; i = text.indexOf('"', i + 1)) this.pendingQuotes++;
    const chunk = text.slice(start, lineEnd);
    this.pending = this.pending.length === 0 ? chunk : this.pending + '\n' + chunk;
    if (this.pending.length > this.maxRecordChars) {
      // Unbalanced quote most likely: reject the starting line and re-read what followed it.
      const rest = this.pending;
      const startLine = this.pendingLine;
      this.pendingActive = false;
      this.pending = '';
      sink.bad(startLine, `record longer than ${this.maxRecordChars} characters (unbalanced quote?)`, rest.slice(0, 200));
      const firstNl = rest.indexOf('\n');
      if (firstNl !== -1) this.push({ text: rest.slice(firstNl + 1) + '\n', firstLine: startLine + 1 }, sink);
      return;
    }
    if (this.pendingQuotes % 2 === 0) {
      this.pendingActive = false;
      const record = this.pending;
      this.pending = '';
      this.parseQuoted(record.endsWith('\r') ? record.slice(0, -1) : record, this.pendingLine, sink);
    }
  }

  private parseQuoted(record: string, line: number, sink: CsvSink): void {
    const fields = this.fields;
    let count = 0;
    let i = 0;
    const n = record.length;
    while (true) {
      if (count >= this.maxFields) {
        sink.bad(line, `more than ${this.maxFields} fields`, record.slice(0, 200));
        return;
      }
      if (i < n && record.charCodeAt(i) === 34) {
        let value = '';
        let from = i + 1;
        while (true) {
          const q = record.indexOf('"', from);
          if (q === -1) {
            sink.bad(line, 'unterminated quoted field', record.slice(0, 200));
            return;
          }
          if (record.charCodeAt(q + 1) === 34) {
            value += record.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += record.slice(from, q);
          i = q + 1;
          break;
        }
        fields[count++] = value.replace(/\r\n/g, '\n');
        if (i >= n) break;
        if (record.charCodeAt(i) !== this.delimCode) {
          sink.bad(line, `unexpected character ${JSON.stringify(record[i])} after closing quote at column ${i + 1}`, record.slice(0, 200));
          return;
        }
        i++;
        if (i === n) {
          fields[count++] = '';
          break;
        }
      } else {
        const d = record.indexOf(this.delim, i);
        if (d === -1) {
          fields[count++] = record.slice(i);
          break;
        }
        fields[count++] = record.slice(i, d);
        i = d + 1;
        if (i === n) {
          fields[count++] = '';
          break;
        }
      }
    }
    this.rawText = record;
    this.rawStart = 0;
    this.rawEnd = record.length;
    sink.record(fields, count, line);
  }
}

/** Quote a value for CSV output when needed. */
export function csvEscape(value: string): string {
  if (/[",\n\r]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}
