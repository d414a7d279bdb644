/**
 * Detection: the streaming typology engine, its rules and the alert line of the CLI contract.
 */
import type { Alert } from '../model/index.js';
import { formatIso, minorToMajor } from '../model/index.js';

export { createEngine, type Engine, type EngineOptions, type EngineStats } from './engine.js';
export { defaultRules, loadRules, parseRules, RulesError, typologyCatalogue, type RulesConfig } from './config.js';
export { TYPOLOGIES } from './typologies/index.js';
export type { Typology, Detector, DetectorContext, Finding, Factor } from './typology.js';

/** Transaction id as the alert contract spells it: prefixed by the source when several inputs are read. */
export function contractTransactionId(source: string, id: string, severalInputs: boolean): string {
  return severalInputs ? `${source}#${id}` : id;
}

/** One alert line of the CLI contract (CONTRACT.md, "Alert line"), plus the score factors. */
export function alertLine(alert: Alert): string {
  return JSON.stringify({
    id: alert.id,
    typology: alert.typology,
    score: alert.score,
    accounts: alert.accounts,
    transactions: alert.transactions,
    from: formatIso(alert.fromMs),
    to: formatIso(alert.toMs),
    amount: { value: minorToMajor(alert.amountMinor, alert.currency), currency: alert.currency },
    explanation: alert.explanation,
    factors: alert.factors,
  });
}
