/**
 * Detection engine surface. The streaming typology engine itself lands with its own issue; until then
 * the engine runs no typology and `rastro scan` still reads every format, keeps rejects and writes alerts.
 */
import type { Alert, TxBatch } from '../model/index.js';
import { formatIso, minorToMajor } from '../model/index.js';

export interface Engine {
  /** Names of the enabled typologies. */
  readonly typologies: readonly string[];
  /** Feed a time-ordered batch; returns the alerts it completed. */
  push(batch: TxBatch): Alert[];
  /** End of input: returns the alerts still open. */
  flush(): Alert[];
}

export function createEngine(): Engine {
  return {
    typologies: [],
    push: () => [],
    flush: () => [],
  };
}

/** Transaction id as the alert contract spells it: prefixed by the source when several inputs are read. */
export function contractTransactionId(source: string, id: string, severalInputs: boolean): string {
  return severalInputs ? `${source}#${id}` : id;
}

/** One alert line of the CLI contract (CONTRACT.md, "Alert line"). */
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
  });
}
