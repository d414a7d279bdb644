/**
 * Mapping file for the generic CSV reader: which column holds which canonical field, and how to read it.
 * Written in YAML or JSON; validated here so a wrong mapping fails before the first row.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Channel, CountryCode, CurrencyCode } from '../model/index.js';
import { compilePattern } from '../model/time.js';

const ColumnRef = z.union([z.string().min(1), z.number().int().nonnegative()]);

export const CsvMapping = z
  .object({
    delimiter: z.string().length(1).default(','),
    /** Whether the first line is a header (then columns may be named). */
    header: z.boolean().default(true),
    decimal: z.enum(['.', ',']).default('.'),
    /** `iso`, `epoch-ms`, `epoch-s`, or a pattern of YYYY MM DD HH mm ss SSS and literals. */
    dateFormat: z.string().default('iso'),
    /**
     * Offset of the local clock the export was written in (`-06:00` for Mexico City), applied to times that
     * carry no zone of their own; epoch times and ISO times with `Z` or an offset are never shifted.
     */
    utcOffset: z
      .string()
      .regex(/^[+-](?:[01]\d|2[0-3]):[0-5]\d$/, 'UTC offset as +HH:MM or -HH:MM')
      .default('+00:00'),
    /**
     * A negative amount is an error (`reject`, the default), or a movement in the opposite direction
     * (`reverse`: from and to swapped, amount made positive), as in statements that sign debits.
     */
    negativeAmounts: z.enum(['reject', 'reverse']).default('reject'),
    encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252']).default('utf-8'),
    /** Currency when no column gives it. */
    currency: CurrencyCode.optional(),
    /** Channel when no column gives it. */
    channel: Channel.default('other'),
    /** Map raw channel values (e.g. SPEI, EFECTIVO) to canonical channels; matched case-insensitively. */
    channelValues: z.record(z.string(), Channel).default({}),
    columns: z
      .object({
        id: ColumnRef.optional(),
        time: ColumnRef,
        fromAccount: ColumnRef,
        toAccount: ColumnRef,
        amount: ColumnRef,
        currency: ColumnRef.optional(),
        originalAmount: ColumnRef.optional(),
        originalCurrency: ColumnRef.optional(),
        channel: ColumnRef.optional(),
        fromCountry: ColumnRef.optional(),
        toCountry: ColumnRef.optional(),
        /** Ground-truth label column (evaluation only; stored apart, never read by the engines). */
        label: ColumnRef.optional(),
      })
      .strict(),
  })
  .strict()
  .refine((m) => validDateFormat(m.dateFormat), {
    message: 'dateFormat must be iso, epoch-ms, epoch-s, or a pattern holding YYYY, MM and DD (e.g. DD/MM/YYYY HH:mm)',
    path: ['dateFormat'],
  })
  .refine((m) => m.currency !== undefined || m.columns.currency !== undefined, {
    message: 'give either a default `currency` or a `columns.currency` column',
    path: ['currency'],
  })
  .refine((m) => m.header || Object.values(m.columns).every((c) => typeof c === 'number'), {
    message: 'without a header, columns must be given by 0-based index',
    path: ['columns'],
  });
export type CsvMapping = z.infer<typeof CsvMapping>;

function validDateFormat(format: string): boolean {
  if (format === 'iso' || format === 'epoch-ms' || format === 'epoch-s') return true;
  try {
    compilePattern(format);
    return true;
  } catch {
    return false;
  }
}

/** `+HH:MM` / `-HH:MM` as milliseconds east of UTC (the schema has checked the shape). */
export function utcOffsetMs(offset: string): number {
  const sign = offset.charCodeAt(0) === 45 ? -1 : 1;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  return sign * (hours * 60 + minutes) * 60_000;
}
export { CountryCode };

/** Load and validate a mapping file; errors name the file and the offending key. */
export async function loadMapping(path: string): Promise<CsvMapping> {
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  const result = CsvMapping.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${path}: invalid mapping: ${issues}`);
  }
  return result.data;
}
