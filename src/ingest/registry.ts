/**
 * The readers Rastro knows, and `auto` detection from a file's first bytes.
 * Detection never guesses: a file that no reader claims is an error that lists the known layouts.
 */
import { basename } from 'node:path';
import { amlsimReader } from './formats/amlsim.js';
import { goamlReader } from './formats/goaml.js';
import { ibmAmlReader } from './formats/ibm-aml.js';
import { mappedCsvReader } from './formats/mapped-csv.js';
import { pacs008Reader } from './formats/pacs008.js';
import { FORMATS, type FormatName, type FormatReader } from './reader.js';
import { readHead } from './text.js';

export const READERS: readonly FormatReader[] = [ibmAmlReader, amlsimReader, pacs008Reader, goamlReader, mappedCsvReader];

export type FormatChoice = FormatName | 'auto';

export class UnknownFormatError extends Error {
  readonly exitCode = 2;
}

export function readerFor(format: FormatName): FormatReader {
  const reader = READERS.find((r) => r.format === format);
  if (!reader) throw new UnknownFormatError(`unknown format ${JSON.stringify(format)}; known: auto, ${FORMATS.join(', ')}`);
  return reader;
}

export function knownLayouts(): string {
  return READERS.flatMap((r) => r.layouts.map((l) => `  ${r.format.padEnd(9)} ${l}`)).join('\n');
}

/** Pick the reader for a file from its header line or root element. */
export async function detectReader(path: string, hasMapping = false): Promise<FormatReader> {
  const head = await readHead(path, 16 * 1024);
  const name = basename(path);
  for (const reader of READERS) {
    if (reader.format === 'csv') continue; // a generic CSV needs its mapping: chosen explicitly, never guessed
    if (reader.detect(head, name)) return reader;
  }
  if (hasMapping) return readerFor('csv');
  const firstLine = head.split('\n', 1)[0]!.slice(0, 200);
  throw new UnknownFormatError(
    `${path}:1: cannot tell the layout of this file (first line: ${JSON.stringify(firstLine)}).\n` +
      `Known layouts:\n${knownLayouts()}\n` +
      `Use --format <fmt>; a generic CSV needs --format csv --mapping <file>.`,
  );
}
