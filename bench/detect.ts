/**
 * The detection engine measured through the CLI: `rastro scan` end to end (all typologies, default rules),
 * with `engine.profile` (per-typology detector time), with every typology disabled (parse and window graph
 * only), and `rastro eval` on the alerts.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EvalReport } from '../src/eval/run.js';
import { lastJson, rastro, type ChildRun } from './common.js';
import type { World } from './world.js';

/** The effective rules, as `rastro rules --json` prints them (only what the bench reads is typed). */
export interface Rules {
  engine: Record<string, unknown>;
  fx: { base: string; rates: Record<string, number> };
  typologies: Record<string, Record<string, unknown> & { enabled: boolean }>;
}

export function effectiveRules(): Rules {
  return JSON.parse(rastro(['rules', '--json']).stdout) as Rules;
}

export interface ScanSummary {
  transactionsRead: number;
  rejects: number;
  alerts: number;
  typologies: string[];
  engine: { transactions: number; late: number; untracked: number; accounts: number; typologyMs?: Record<string, number> };
  elapsedMs: number;
  peakRssBytes: number;
}

export interface Scan {
  run: ChildRun;
  summary: ScanSummary;
  alertsPath: string;
}

/** Rules files the bench scans with: profiling on, or every typology off. */
export function writeConfigs(dir: string, rules: Rules): { profile: string; parseOnly: string } {
  const profile = join(dir, 'profile.json');
  const parseOnly = join(dir, 'parse-only.json');
  writeFileSync(profile, JSON.stringify({ engine: { profile: true } }));
  writeFileSync(parseOnly, JSON.stringify({ typologies: Object.fromEntries(Object.keys(rules.typologies).map((t) => [t, { enabled: false }])) }));
  return { profile, parseOnly };
}

export function scan(world: World, alertsPath: string, config?: string): Scan {
  const args = ['scan', world.trans, '--format', 'ibm-aml', '--alerts', alertsPath, '--json', '--quiet'];
  if (config) args.push('--config', config);
  const run = rastro(args);
  const summary = lastJson<ScanSummary>(run.stdout);
  if (summary.rejects > 0) throw new Error(`scan of ${world.trans} rejected ${summary.rejects} rows`);
  return { run, summary, alertsPath };
}

/** Alerts per typology in an alerts file. */
export async function alertsByTypology(path: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const typology = (JSON.parse(line) as { typology: string }).typology;
    counts.set(typology, (counts.get(typology) ?? 0) + 1);
  }
  return counts;
}

export interface Evaluation {
  run: ChildRun;
  report: EvalReport;
}

export function evaluate(world: World, alertsPath: string, extra: readonly string[] = []): Evaluation {
  const run = rastro(['eval', '--alerts', alertsPath, '--truth', world.trans, world.accountsCsv, '--patterns', world.patterns, ...extra, '--json', '--quiet']);
  return { run, report: JSON.parse(run.stdout) as EvalReport };
}
