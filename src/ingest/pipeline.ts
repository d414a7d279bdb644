/**
 * Reading several files as one stream of batches: picks each file's reader, names its source, and turns
 * a reader's fatal error (refused XML, unreadable file) into a reject so the other files still load.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CsvMapping } from './mapping.js';
import { emptyBatch, type FormatReader, type IngestBatch } from './reader.js';
import { detectReader, readerFor, type FormatChoice } from './registry.js';
import type { TextEncodingName } from './text.js';
import { XmlRefused } from './xml.js';
import { TxBatch } from '../model/index.js';

export interface FileInput {
  path: string;
  /** Overrides the id namespace (default: the file's basename). */
  source?: string;
}

export interface ReadFilesOptions {
  format?: FormatChoice;
  mapping?: CsvMapping;
  encoding?: TextEncodingName;
  batchId: string;
  batchRows?: number;
  /** Total bytes read across files so far, for progress. */
  onBytes?: (bytesRead: number) => void;
  /** Called when a file starts, with its reader. */
  onFile?: (file: string, reader: FormatReader, sizeBytes: number) => void;
}

export class InputError extends Error {
  readonly exitCode = 2;
}

/** Total size of the inputs, for progress ETA. Throws InputError naming a missing or unreadable file. */
export async function inputSizes(inputs: readonly FileInput[]): Promise<number[]> {
  const sizes: number[] = [];
  const seen = new Map<string, string>();
  for (const input of inputs) {
    try {
      const s = await stat(input.path);
      if (!s.isFile()) throw new InputError(`${input.path}: not a regular file`);
      sizes.push(s.size);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`${input.path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const source = input.source ?? basename(input.path);
    const other = seen.get(source);
    if (other) throw new InputError(`${input.path}: same source name ${JSON.stringify(source)} as ${other}; rename one or give --source`);
    seen.set(source, input.path);
  }
  return sizes;
}

export async function* readFiles(inputs: readonly FileInput[], options: ReadFilesOptions): AsyncGenerator<IngestBatch> {
  const sizes = await inputSizes(inputs);
  let before = 0;
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k]!;
    const format = options.format ?? 'auto';
    const reader = format === 'auto' ? await detectReader(input.path, options.mapping !== undefined) : readerFor(format);
    if (reader.format === 'csv' && !options.mapping) throw new InputError(`${input.path}: the csv format needs --mapping <file>`);
    options.onFile?.(input.path, reader, sizes[k]!);
    const source = input.source ?? basename(input.path);
    const offset = before;
    try {
      yield* reader.read({
        path: input.path,
        file: input.path,
        source,
        batchId: options.batchId,
        batchRows: options.batchRows,
        encoding: options.encoding ?? options.mapping?.encoding,
        mapping: options.mapping,
        onBytes: options.onBytes ? (n) => options.onBytes!(offset + n) : undefined,
      });
    } catch (err) {
      const line = err instanceof XmlRefused ? err.line : 0;
      const reason = err instanceof Error ? err.message : String(err);
      const refused = emptyBatch(new TxBatch(source, input.path, options.batchId, 1));
      refused.rejects.push({ file: input.path, line, reason: `file refused: ${reason}`, record: '' });
      yield refused;
    }
    before += sizes[k]!;
    options.onBytes?.(before);
  }
}
