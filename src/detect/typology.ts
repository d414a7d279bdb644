/**
 * The one interface every typology implements (graphology-style: algorithms as independent leaves over
 * one narrow state). A typology declares its parameters as a zod schema with documented defaults; the
 * engine builds one detector per enabled typology and calls it once per transaction, in time order,
 * after the transaction has been linked into the window graph. Detectors report findings; the engine
 * scores nothing itself and merges findings on the same structure into one alert.
 */
import type { z } from 'zod';
import type { FxTable } from './fx.js';
import type { WindowGraph } from './graph.js';

export interface Factor {
  /** kebab-case name, e.g. `new-counterparties`. */
  name: string;
  /** Strength of the signal in [0, 1]. */
  value: number;
  /** Contribution per unit of value; negative weights are benign indicators. */
  weight: number;
}

export interface Finding {
  typology: string;
  /** Structure key: findings with the same key (while their alert is open) are one alert. */
  key: string;
  factors: Factor[];
  /** Dense account ids implicated. */
  accounts: number[];
  /** Global transaction numbers the finding rests on (still in the ring when reported). */
  transactions: number[];
  /** One sentence a human can check against the data. */
  explanation: string;
  /** Alert threshold of the typology: findings scoring below it are dropped. */
  minScore: number;
}

export interface DetectorContext {
  readonly graph: WindowGraph;
  readonly fx: FxTable;
  report(finding: Finding): void;
  /** Human rendering of a base-currency amount, e.g. `123,456.78 USD`. */
  money(base: number): string;
  /** Explanation rendering of an account id. */
  name(account: number): string;
  /**
   * How much "never seen before" means at `timeMs`, in [0, 1]: 0 when the engine has just started watching
   * (everyone is new to everyone), 1 once it has watched for the configured warm-up (a month shows monthly
   * relations). Typologies scale novelty and profile evidence by it.
   */
  observed(timeMs: number): number;
}

export interface Detector {
  /** Called once per transaction (global number `tx`), after it is linked into the graph. */
  onTransaction(tx: number): void;
}

export interface TypologyParams {
  enabled: boolean;
  minScore: number;
}

export interface Typology<P extends TypologyParams = TypologyParams> {
  readonly name: string;
  readonly summary: string;
  readonly params: z.ZodType<P>;
  /** Longest look-back the typology needs, for the engine's alert closing (ms). */
  horizonMs(params: P): number;
  create(ctx: DetectorContext, params: P): Detector;
}

export interface FactorSpec extends Factor {
  /** How observable the factor is now, in [0, 1] (e.g. novelty before the engine knows the relations). */
  evidence?: number;
}

/**
 * Factors with weights rescaled to the evidence available: a factor that cannot be observed yet (novelty
 * in the first days of a stream) drops out and the observable ones share its weight, instead of counting
 * as "not suspicious". The returned weights are the effective ones, so the score stays Σ value·weight.
 */
export function weigh(specs: readonly FactorSpec[]): Factor[] {
  let full = 0;
  let available = 0;
  for (const f of specs) {
    if (f.weight <= 0) continue;
    full += f.weight;
    available += f.weight * (f.evidence ?? 1);
  }
  const scale = available > 0 ? full / available : 1;
  return specs.map((f) => ({
    name: f.name,
    value: Math.round(f.value * 1000) / 1000,
    weight: Math.round(f.weight * (f.evidence ?? 1) * (f.weight > 0 ? scale : 1) * 1000) / 1000,
  }));
}

/** Score = clamp(Σ value·weight, 0, 1): every point of it is visible in the factors. */
export function scoreOf(factors: readonly Factor[]): number {
  let s = 0;
  for (const f of factors) s += f.value * f.weight;
  return Math.round(Math.min(1, Math.max(0, s)) * 1000) / 1000;
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x !== x ? 0 : x;
}

export const HOUR_MS = 3_600_000;

export function hours(ms: number): string {
  const h = ms / HOUR_MS;
  if (h >= 48 && Number.isInteger(h / 24)) return `${h / 24} days`;
  return `${Math.round(h * 10) / 10} h`;
}
