/**
 * A minimal Parquet writer for staging files: flat schemas of required (non-null) columns, PLAIN encoding,
 * no compression, one data page per column per row group. Numbers are written straight from their typed
 * arrays (no per-value work), so a database with a parallel Parquet reader (DuckDB) loads staged rows on its
 * own threads for next to nothing on the JavaScript thread. Nulls are the caller's business (sentinels).
 *
 * Format: https://parquet.apache.org/docs/file-format/ (metadata in Thrift compact protocol).
 */

export type ParquetColumn =
  | { name: string; type: 'double'; values: Float64Array }
  | { name: string; type: 'int32'; values: Int32Array }
  | { name: string; type: 'string'; values: readonly string[] };

/** Parquet physical types and the enum values the metadata uses. */
const TYPE = { int32: 1, double: 5, string: 6 } as const;
const CONVERTED_UTF8 = 0;
const REQUIRED = 0;
const ENCODING_PLAIN = 0;
const ENCODING_RLE = 3;
const CODEC_UNCOMPRESSED = 0;
const PAGE_DATA = 0;

// Thrift compact protocol field types.
const T_I32 = 5;
const T_I64 = 6;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

/** Thrift compact protocol output. */
class Thrift {
  private buf = Buffer.allocUnsafe(256);
  private len = 0;
  private readonly lastField: number[] = [0];

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Unsigned varint of a non-negative integer below 2^53. */
  private varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  private zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  private field(id: number, type: number): void {
    const last = this.lastField[this.lastField.length - 1]!;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastField[this.lastField.length - 1] = id;
  }

  i32(id: number, v: number): this {
    this.field(id, T_I32);
    this.zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.field(id, T_I64);
    this.zigzag(v);
    return this;
  }

  string(id: number, v: string): this {
    this.field(id, T_BINARY);
    const bytes = Buffer.from(v, 'utf8');
    this.varint(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
    return this;
  }

  beginStruct(id: number): this {
    this.field(id, T_STRUCT);
    this.lastField.push(0);
    return this;
  }

  endStruct(): this {
    this.byte(0);
    this.lastField.pop();
    return this;
  }

  /** A list field; `each` writes the elements (structs through `structElement`, scalars through `*Element`). */
  list(id: number, elementType: 'i32' | 'binary' | 'struct', size: number, each: () => void): this {
    this.field(id, T_LIST);
    const t = elementType === 'i32' ? T_I32 : elementType === 'binary' ? T_BINARY : T_STRUCT;
    if (size < 15) this.byte((size << 4) | t);
    else {
      this.byte(0xf0 | t);
      this.varint(size);
    }
    each();
    return this;
  }

  i32Element(v: number): void {
    this.zigzag(v);
  }

  stringElement(v: string): void {
    const bytes = Buffer.from(v, 'utf8');
    this.varint(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  structElement(fields: () => void): void {
    this.lastField.push(0);
    fields();
    this.byte(0);
    this.lastField.pop();
  }

  /** The struct written at top level so far, with its stop byte. */
  finish(): Buffer {
    this.byte(0);
    return this.buf.subarray(0, this.len);
  }
}

/** PLAIN-encoded values of rows [start, end) of a column. */
function plainValues(column: ParquetColumn, start: number, end: number): Buffer {
  if (column.type === 'double' || column.type === 'int32') {
    const v = column.values.subarray(start, end);
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  let bytes = 0;
  for (let i = start; i < end; i++) bytes += 4 + Buffer.byteLength(column.values[i]!, 'utf8');
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (let i = start; i < end; i++) {
    const written = out.write(column.values[i]!, at + 4, 'utf8');
    out.writeUInt32LE(written, at);
    at += 4 + written;
  }
  return out;
}

/** The parts of a Parquet file holding `rows` rows of `columns` (in row groups of at most `rowGroupRows`), to be written in order. */
export function parquetParts(columns: readonly ParquetColumn[], rows: number, rowGroupRows = 1 << 17): Buffer[] {
  if (Buffer.from(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('the Parquet staging writer needs a little-endian machine');
  for (const c of columns) if (c.values.length < rows) throw new Error(`parquet column ${c.name}: ${c.values.length} values for ${rows} rows`);
  const parts: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  const groups: { rows: number; bytes: number; chunks: { offset: number; size: number }[] }[] = [];
  for (let start = 0; start < rows; start += rowGroupRows) {
    const end = Math.min(rows, start + rowGroupRows);
    const group = { rows: end - start, bytes: 0, chunks: [] as { offset: number; size: number }[] };
    for (const column of columns) {
      const values = plainValues(column, start, end);
      const header = new Thrift()
        .i32(1, PAGE_DATA)
        .i32(2, values.length)
        .i32(3, values.length)
        .beginStruct(5)
        .i32(1, end - start)
        .i32(2, ENCODING_PLAIN)
        .i32(3, ENCODING_RLE)
        .i32(4, ENCODING_RLE)
        .endStruct()
        .finish();
      parts.push(header, values);
      group.chunks.push({ offset, size: header.length + values.length });
      group.bytes += header.length + values.length;
      offset += header.length + values.length;
    }
    groups.push(group);
  }
  const meta = new Thrift().i32(1, 1);
  meta.list(2, 'struct', columns.length + 1, () => {
    meta.structElement(() => {
      meta.string(4, 'schema').i32(5, columns.length);
    });
    for (const c of columns) {
      meta.structElement(() => {
        meta.i32(1, TYPE[c.type]).i32(3, REQUIRED).string(4, c.name);
        if (c.type === 'string') meta.i32(6, CONVERTED_UTF8);
      });
    }
  });
  meta.i64(3, rows);
  meta.list(4, 'struct', groups.length, () => {
    for (const g of groups) {
      meta.structElement(() => {
        meta.list(1, 'struct', columns.length, () => {
          columns.forEach((c, k) => {
            const chunk = g.chunks[k]!;
            meta.structElement(() => {
              meta.i64(2, chunk.offset);
              meta.beginStruct(3);
              meta.i32(1, TYPE[c.type]);
              meta.list(2, 'i32', 2, () => {
                meta.i32Element(ENCODING_PLAIN);
                meta.i32Element(ENCODING_RLE);
              });
              meta.list(3, 'binary', 1, () => meta.stringElement(c.name));
              meta.i32(4, CODEC_UNCOMPRESSED).i64(5, g.rows).i64(6, chunk.size).i64(7, chunk.size).i64(9, chunk.offset);
              meta.endStruct();
            });
          });
        });
        meta.i64(2, g.bytes).i64(3, g.rows);
      });
    }
  });
  const footer = meta.finish();
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(footer.length, 0);
  tail.write('PAR1', 4, 'latin1');
  parts.push(footer, tail);
  return parts;
}
