/**
 * Schema validation of exports with libxml2 (compiled to WebAssembly, run in a worker thread), against the
 * XSDs shipped in `schemas/`. Each failure names the element, the rule it breaks and the line.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

export const REPORT_SCHEMAS = {
  goaml: 'goaml/goAMLSchema-5.0.1.xsd',
  'fincen-sar': 'fincen/EFL_SARXBatchSchema.xsd',
} as const;
export type ReportSchema = keyof typeof REPORT_SCHEMAS;

export interface ValidationIssue {
  line: number;
  /** Local name of the element at fault. */
  element: string;
  /** The rule: a facet (enumeration, maxLength, pattern...), `type`, `missing`, `unexpected`, `attribute`, `unique`, or `schema`. */
  rule: string;
  message: string;
}

function schemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'schemas', 'SOURCES.md'))) return join(dir, 'schemas');
    dir = dirname(dir);
  }
  throw new Error('schemas/ folder not found beside the package');
}

const cache = new Map<string, Promise<string>>();
function schemaText(name: ReportSchema): Promise<string> {
  let text = cache.get(name);
  if (!text) {
    text = readFile(join(schemasDir(), REPORT_SCHEMAS[name]), 'utf8');
    cache.set(name, text);
  }
  return text;
}

function classify(message: string): string {
  const facet = /\[facet '([^']+)'\]/.exec(message);
  if (facet) return facet[1]!;
  if (/Missing child element/.test(message)) return 'missing';
  if (/This element is not expected/.test(message)) return 'unexpected';
  if (/attribute '[^']+'/i.test(message) && /(required|not allowed)/.test(message)) return 'attribute';
  if (/is not a valid value of the (atomic|local atomic) type|is not a valid value of the union type/.test(message)) return 'type';
  if (/Duplicate key-sequence|unique/i.test(message)) return 'unique';
  if (/No matching global declaration/.test(message)) return 'root';
  return 'schema';
}

/** libxml2's messages turned into issues; warnings about the schema itself are not issues of the document. */
export function parseLintOutput(raw: string, docName: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const line of raw.split('\n')) {
    const m = new RegExp(`^${docName.replace(/\./g, '\\.')}:(\\d+): (?:.*?)(?:validity )?error : (.*)$`).exec(line);
    if (!m) continue;
    const message = m[2]!.trim();
    const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(message)?.[1] ?? '(document)';
    issues.push({ line: Number(m[1]), element, rule: classify(message), message });
  }
  return issues;
}

/** Validate a report; an empty list means it conforms to its schema. */
export async function validateReport(schema: ReportSchema, xml: string): Promise<ValidationIssue[]> {
  const xsd = await schemaText(schema);
  const result = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'schema.xsd', contents: xsd }],
    initialMemoryPages: 256,
    maxMemoryPages: 4096,
  });
  if (result.valid) return [];
  const issues = parseLintOutput(result.rawOutput, 'report.xml');
  return issues.length > 0 ? issues : [{ line: 0, element: '(document)', rule: 'schema', message: result.rawOutput.trim().slice(0, 2000) }];
}
