/**
 * Open alerts and their merging. Findings on the same structure (same typology and key, or sharing a
 * transaction with an open alert of the same typology) become one alert that grows while the structure
 * keeps moving; an alert is emitted once no finding has touched it for its typology's horizon (measured on
 * the event-time watermark), when too many alerts are open (the oldest goes first), or at the end of input.
 * Transaction ids and account names are copied when a finding arrives: the ring may forget them later.
 */
import { minorExponent, type Alert } from '../model/index.js';
import type { FxTable } from './fx.js';
import type { WindowGraph } from './graph.js';
import { scoreOf, type Factor, type Finding } from './typology.js';

interface AlertTx {
  id: string;
  timeMs: number;
  minor: number;
  currency: number;
  base: number;
}

interface OpenAlert {
  /** Fixed when the alert opens in live mode; assigned at close otherwise. */
  id: string | undefined;
  typology: string;
  key: string;
  score: number;
  factors: Factor[];
  explanation: string;
  accounts: Set<string>;
  txs: Map<string, AlertTx>;
  lastTouchMs: number;
  closeAfterMs: number;
  truncated: number;
}

export interface AlertBookLimits {
  maxOpenAlerts: number;
  maxAlertTransactions: number;
}

/**
 * Live mode (real-time API): ids are fixed when an alert opens (`<alertIdPrefix><n>`), every alert a finding
 * opens or grows is reported as it stands by `takeTouched`, and closing an alert emits nothing more.
 */
export interface LiveAlerts {
  alertIdPrefix: string;
}

export class AlertBook {
  private readonly open = new Map<string, OpenAlert>();
  private readonly byTx = new Map<string, OpenAlert>();
  /** Alerts opened or grown since the last `takeTouched` (live mode only). */
  private readonly touched = new Set<OpenAlert>();
  private emitted = 0;
  /** Alerts forced out early because `maxOpenAlerts` was reached. */
  evictedEarly = 0;

  constructor(
    private readonly graph: WindowGraph,
    private readonly fx: FxTable,
    private readonly limits: AlertBookLimits,
    private readonly horizonMs: ReadonlyMap<string, number>,
    private readonly txName: (tx: number) => string,
    private readonly live?: LiveAlerts,
  ) {}

  get openCount(): number {
    return this.open.size;
  }

  /** Merge a finding into the open alerts; returns alerts forced out by the open-alert limit. */
  add(f: Finding, out: Alert[]): void {
    const score = scoreOf(f.factors);
    if (score < f.minScore) return;
    const g = this.graph;
    const mapKey = `${f.typology}\u0000${f.key}`;
    let alert = this.open.get(mapKey);
    if (!alert) {
      for (const tx of f.transactions) {
        const hit = this.byTx.get(`${f.typology}\u0000${this.txName(tx)}`);
        if (hit) {
          alert = hit;
          break;
        }
      }
    }
    let latestMs = -Infinity;
    for (const tx of f.transactions) latestMs = Math.max(latestMs, g.time(tx));
    if (!alert) {
      if (this.open.size >= this.limits.maxOpenAlerts) {
        const oldest = this.open.values().next().value;
        if (oldest) {
          this.evictedEarly++;
          this.closeInto(oldest, out);
        }
      }
      alert = {
        id: this.live ? `${this.live.alertIdPrefix}${++this.emitted}` : undefined,
        typology: f.typology,
        key: mapKey,
        score,
        factors: f.factors,
        explanation: f.explanation,
        accounts: new Set(),
        txs: new Map(),
        lastTouchMs: latestMs,
        closeAfterMs: this.horizonMs.get(f.typology) ?? 0,
        truncated: 0,
      };
      this.open.set(mapKey, alert);
    } else if (f.transactions.length >= alert.txs.size || score > alert.score) {
      // The newest, widest view of the structure explains it best.
      alert.factors = f.factors;
      alert.explanation = f.explanation;
      alert.score = Math.max(alert.score, score);
    }
    alert.lastTouchMs = Math.max(alert.lastTouchMs, latestMs);
    for (const a of f.accounts) alert.accounts.add(g.accountName[a]!);
    for (const tx of f.transactions) {
      const id = this.txName(tx);
      if (alert.txs.has(id)) continue;
      if (alert.txs.size >= this.limits.maxAlertTransactions) {
        alert.truncated++;
        continue;
      }
      alert.txs.set(id, { id, timeMs: g.time(tx), minor: g.minor(tx), currency: g.currency(tx), base: g.base(tx) });
      this.byTx.set(`${f.typology}\u0000${id}`, alert);
    }
    if (this.live) this.touched.add(alert);
  }

  /** Live mode: the alerts opened or grown since the last call, as they stand now (oldest first). */
  takeTouched(out: Alert[]): void {
    for (const alert of this.touched) out.push(this.build(alert));
    this.touched.clear();
  }

  /** Emit every alert untouched since before `watermarkMs - horizon`. */
  expire(watermarkMs: number, out: Alert[]): void {
    for (const alert of this.open.values()) {
      if (alert.lastTouchMs + alert.closeAfterMs < watermarkMs) this.closeInto(alert, out);
    }
  }

  flush(out: Alert[]): void {
    for (const alert of [...this.open.values()]) this.closeInto(alert, out);
  }

  /** Close an alert: emitted now, unless live mode already reported it as it grew. */
  private closeInto(alert: OpenAlert, out: Alert[]): void {
    this.open.delete(alert.key);
    for (const id of alert.txs.keys()) this.byTx.delete(`${alert.typology}\u0000${id}`);
    if (this.live) return;
    alert.id = `a-${String(++this.emitted).padStart(6, '0')}`;
    out.push(this.build(alert));
  }

  private build(alert: OpenAlert): Alert {
    const txs = [...alert.txs.values()].sort((a, b) => a.timeMs - b.timeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let fromMs = Infinity;
    let toMs = -Infinity;
    let minor = 0;
    let base = 0;
    const firstCurrency = txs[0]?.currency ?? 0;
    let oneCurrency = true;
    for (const t of txs) {
      fromMs = Math.min(fromMs, t.timeMs);
      toMs = Math.max(toMs, t.timeMs);
      minor += t.minor;
      base += t.base;
      if (t.currency !== firstCurrency) oneCurrency = false;
    }
    const currency = oneCurrency ? this.fx.currencyCode(firstCurrency) : this.fx.base;
    const amountMinor = oneCurrency ? minor : Math.round(base * 10 ** minorExponent(this.fx.base));
    const more = alert.truncated > 0 ? ` (${alert.truncated} more transactions not listed)` : '';
    return {
      id: alert.id!,
      typology: alert.typology,
      score: alert.score,
      factors: alert.factors,
      accounts: [...alert.accounts],
      transactions: txs.map((t) => t.id),
      fromMs: Number.isFinite(fromMs) ? fromMs : 0,
      toMs: Number.isFinite(toMs) ? toMs : 0,
      amountMinor: Number.isSafeInteger(amountMinor) ? amountMinor : 0,
      currency,
      explanation: alert.explanation + more,
    };
  }
}
