/**
 * IBM AMLworld `*_Patterns.txt` → scheme and attempt of each `*_Trans.csv` row. The Patterns file repeats
 * the laundering rows of the Trans file inside `BEGIN/END LAUNDERING ATTEMPT - <TYPE>` blocks but without
 * their row numbers, so rows are matched by content: timestamp, both bank/account pairs, both amounts and
 * currencies, payment format. Both files go through the same reader, so both sides are compared in the
 * reader's canonical form. Identical rows are matched in file order, each Patterns row at most once.
 */
import type { IngestBatch } from '../ingest/index.js';
import type { TruthLabel, TxBatch } from '../model/index.js';

interface PatternRow {
  scheme: string;
  attempt: string;
}

export interface PatternMatchCounts {
  /** Rows inside the Patterns file's attempt blocks. */
  rows: number;
  /** Patterns rows matched to a transaction of the truth files. */
  matched: number;
  /** Patterns rows no transaction matched. */
  unmatched: number;
  /** Matched rows whose transaction the truth does not label laundering (their scheme is not counted). */
  matchedNotLaundering: number;
  /** Laundering attempts (blocks) in the Patterns file. */
  attempts: number;
}

/** A row's content in the reader's canonical form: what identifies it across the two files. */
function rowKey(tx: TxBatch, i: number): string {
  return `${tx.timeMs[i]}|${tx.fromAccount[i]}|${tx.toAccount[i]}|${tx.amountMinor[i]}|${tx.currency[i]}|${tx.originalAmountMinor[i]}|${tx.originalCurrency[i] ?? ''}|${tx.channel[i]}`;
}

export class PatternIndex {
  private readonly byKey = new Map<string, PatternRow[]>();
  /** Settled amounts of the Patterns rows: a cheap filter so most truth rows never build a key. */
  private readonly amounts = new Set<number>();
  private readonly attempts = new Set<string>();
  private rows = 0;
  private matched = 0;
  private matchedNotLaundering = 0;

  /**
   * Index one batch read from a Patterns file. `attemptPrefix` namespaces the reader's attempt numbers
   * (1, 2, ... per file) so attempts of different files stay apart.
   */
  addPatterns(batch: IngestBatch, attemptPrefix: string): void {
    const tx = batch.transactions;
    const labels = new Map<string, TruthLabel>();
    for (const label of batch.truth) labels.set(label.transactionId, label);
    for (let i = 0; i < tx.length; i++) {
      const label = labels.get(tx.id[i]!);
      if (label?.scheme === undefined || label.instance === undefined) continue; // a row outside any block
      const attempt = `${attemptPrefix}${label.instance}`;
      const key = rowKey(tx, i);
      let queue = this.byKey.get(key);
      if (queue === undefined) {
        queue = [];
        this.byKey.set(key, queue);
      }
      queue.push({ scheme: label.scheme, attempt });
      this.amounts.add(tx.amountMinor[i]!);
      this.attempts.add(attempt);
      this.rows++;
    }
  }

  /**
   * The labels of a truth batch with scheme and attempt set on the rows that match a Patterns row.
   * A matched row the truth does not label gets a non-laundering label carrying the scheme (counted, not scored).
   */
  annotate(tx: TxBatch, labels: readonly TruthLabel[]): TruthLabel[] {
    if (this.byKey.size === 0) return [...labels];
    let byId: Map<string, number> | undefined;
    const out = [...labels];
    for (let i = 0; i < tx.length; i++) {
      if (!this.amounts.has(tx.amountMinor[i]!)) continue;
      const queue = this.byKey.get(rowKey(tx, i));
      if (queue === undefined || queue.length === 0) continue;
      const row = queue.shift()!;
      this.matched++;
      const id = tx.id[i]!;
      if (byId === undefined) {
        byId = new Map();
        for (let k = 0; k < out.length; k++) byId.set(out[k]!.transactionId, k);
      }
      const at = byId.get(id);
      if (at === undefined) {
        out.push({ source: tx.source, transactionId: id, laundering: false, scheme: row.scheme, instance: row.attempt });
        this.matchedNotLaundering++;
      } else {
        const label = out[at]!;
        if (!label.laundering) this.matchedNotLaundering++;
        out[at] = { ...label, scheme: row.scheme, instance: row.attempt };
      }
    }
    return out;
  }

  counts(): PatternMatchCounts {
    return {
      rows: this.rows,
      matched: this.matched,
      unmatched: this.rows - this.matched,
      matchedNotLaundering: this.matchedNotLaundering,
      attempts: this.attempts.size,
    };
  }
}
