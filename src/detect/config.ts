/**
 * Rules as data: which typologies run and with what parameters, the engine's limits and the currency
 * rates. A YAML or JSON file overrides the documented defaults; anything unknown or out of range is
 * rejected with the file, the path of the setting and the reason.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseDocument } from 'yaml';
import { isCurrency } from '../model/index.js';
import { DEFAULT_BASE_CURRENCY, DEFAULT_RATES_TO_USD } from './fx.js';
import { MAX_TRACKABLE_ACCOUNTS } from './graph.js';
import { TYPOLOGIES } from './typologies/index.js';

export const EngineConfig = z
  .object({
    latenessMinutes: z.number().min(0).max(7 * 24 * 60).default(60).describe('how far out of event-time order input may arrive and still be re-ordered; later input is processed and counted as late'),
    maxPendingTransactions: z.number().int().min(1).max(50_000_000).default(2_000_000).describe('transactions held for re-ordering; at the limit the oldest are processed before their lateness has passed (counted as releasedEarly)'),
    ringCapacity: z.number().int().min(1024).max(1 << 27).default(1 << 22).describe('recent transactions held for look-backs (rounded up to a power of two); older ones are forgotten even inside a window'),
    maxAccounts: z.number().int().min(1).max(MAX_TRACKABLE_ACCOUNTS).default(20_000_000).describe('accounts tracked; transactions of accounts beyond it are counted as untracked and skip detection'),
    maxPairs: z.number().int().min(1024).max(1 << 28).default(8_000_000).describe('sender→receiver pairs remembered for "known counterparty"; when full, the least recently seen half is forgotten'),
    maxOpenAlerts: z.number().int().min(1).max(10_000_000).default(100_000).describe('alerts kept open for merging; at the limit the oldest is emitted early'),
    maxAlertTransactions: z.number().int().min(1).max(1_000_000).default(1_000).describe('transactions listed per alert; more are counted in the explanation'),
    warmupDays: z.number().min(0).max(3650).default(45).describe('days of data before "new counterparty" and "out of profile" count fully: not at all in the first third, then more and more; until then the other factors carry the score'),
    profile: z.boolean().default(false).describe('time each typology (slower; for benchmarks)'),
  })
  .strict();
export type EngineConfig = z.infer<typeof EngineConfig>;

export const FxConfig = z
  .object({
    base: z.string().refine(isCurrency, 'unknown currency code').default(DEFAULT_BASE_CURRENCY),
    rates: z
      .record(z.string().refine(isCurrency, 'unknown currency code'), z.number().positive())
      .default({ ...DEFAULT_RATES_TO_USD })
      .describe('value of one unit of each currency in the base currency'),
  })
  .strict();

const typologyShape = Object.fromEntries(TYPOLOGIES.map((t) => [t.name, (t.params as z.ZodType<object>).prefault({})]));

export const RulesConfig = z
  .object({
    engine: EngineConfig.prefault({}),
    fx: FxConfig.prefault({}),
    typologies: z.object(typologyShape).strict().prefault({}),
  })
  .strict();

export type RulesConfig = {
  engine: EngineConfig;
  fx: { base: string; rates: Record<string, number> };
  typologies: Record<string, { enabled: boolean; minScore: number } & Record<string, unknown>>;
};

export class RulesError extends Error {
  readonly exitCode = 2;
}

function describeIssues(file: string, error: z.ZodError): string {
  return error.issues
    .map((i) => `${file}: ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('\n');
}

/** Validate a parsed rules object; defaults fill what it leaves out. */
export function parseRules(raw: unknown, file = 'rules'): RulesConfig {
  const parsed = RulesConfig.safeParse(raw ?? {});
  if (!parsed.success) throw new RulesError(describeIssues(file, parsed.error));
  const rules = parsed.data as RulesConfig;
  // Rates given for a USD base overlay the documented defaults instead of replacing them.
  if (rules.fx.base === DEFAULT_BASE_CURRENCY) rules.fx.rates = { ...DEFAULT_RATES_TO_USD, ...rules.fx.rates };
  return rules;
}

export function defaultRules(): RulesConfig {
  return parseRules({});
}

/** Read rules from a YAML or JSON file (JSON is YAML). */
export async function loadRules(path: string): Promise<RulesConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RulesError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new RulesError(`${path}:${line ?? 1}: ${e.message.split('\n')[0]}`);
  }
  return parseRules(doc.toJS(), path);
}

/** Every typology with its one-line summary and parameter descriptions, for `rastro rules`. */
export function typologyCatalogue(): { name: string; summary: string }[] {
  return TYPOLOGIES.map((t) => ({ name: t.name, summary: t.summary }));
}
