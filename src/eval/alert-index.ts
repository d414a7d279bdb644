/**
 * What the alerts predict, keyed for matching against the truth: every transaction and account any alert
 * names, with the typologies that named it. Transaction ids are the CONTRACT ids: `<source>#<id>` when the
 * scan read several files, the plain id (`row:<n>`, AMLSim `tran_id`) when it read one.
 */
import type { AlertLine } from './alerts.js';

/** One predicted transaction and what the truth said of it, filled in while the truth streams by. */
export interface PredictedTransaction {
  /** Typologies of the alerts that name it, each once. */
  readonly typologies: string[];
  /** Truth transactions it matched that are laundering / not laundering. */
  laundering: number;
  benign: number;
}

export class AlertIndex {
  /** Ids written `<source>#<id>` with a source among the truth files, keyed as written. */
  readonly qualified = new Map<string, PredictedTransaction>();
  /** Ids without a known source prefix: matched against the id in every truth file. */
  readonly plain = new Map<string, PredictedTransaction>();
  /** Account → typologies of the alerts that name it. */
  readonly accounts = new Map<string, string[]>();
  /** Alerts per typology. */
  readonly typologyAlerts = new Map<string, number>();
  alerts = 0;
  private readonly prefixes: string[];

  /** `sources`: the truth files' id namespaces (their basenames), so `<source>#<id>` can be told from an id holding `#`. */
  constructor(sources: Iterable<string>) {
    this.prefixes = [...sources].map((s) => `${s}#`);
  }

  add(alert: Pick<AlertLine, 'typology' | 'accounts' | 'transactions'>): void {
    this.alerts++;
    const typology = alert.typology;
    this.typologyAlerts.set(typology, (this.typologyAlerts.get(typology) ?? 0) + 1);
    for (const id of alert.transactions) {
      const qualified = this.prefixes.some((p) => id.startsWith(p));
      const map = qualified ? this.qualified : this.plain;
      let entry = map.get(id);
      if (entry === undefined) {
        entry = { typologies: [], laundering: 0, benign: 0 };
        map.set(id, entry);
      }
      if (!entry.typologies.includes(typology)) entry.typologies.push(typology);
    }
    for (const account of alert.accounts) {
      let typologies = this.accounts.get(account);
      if (typologies === undefined) {
        typologies = [];
        this.accounts.set(account, typologies);
      }
      if (!typologies.includes(typology)) typologies.push(typology);
    }
  }

  /** The prediction for transaction `id` of truth file `source`, if any alert names it (either spelling). */
  lookup(source: string, id: string): PredictedTransaction | undefined {
    const plain = this.plain.size > 0 ? this.plain.get(id) : undefined;
    if (this.qualified.size === 0) return plain;
    return this.qualified.get(`${source}#${id}`) ?? plain;
  }

  /** Up to `limit` ids that matched no truth transaction (after the truth has streamed through). */
  unmatchedIds(limit: number): string[] {
    const out: string[] = [];
    for (const map of [this.qualified, this.plain]) {
      for (const [id, p] of map) {
        if (out.length >= limit) return out;
        if (p.laundering + p.benign === 0) out.push(id);
      }
    }
    return out;
  }

  /** Every predicted transaction, each once. */
  *predictions(): IterableIterator<PredictedTransaction> {
    yield* this.qualified.values();
    yield* this.plain.values();
  }
}
