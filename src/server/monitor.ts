/**
 * Real-time monitoring: each tenant has its own streaming engine (live mode, no re-ordering delay), so a
 * transaction is judged when it arrives and the alerts it raised or grew go back in the same response.
 *
 * Idempotency: a transaction id is processed once per tenant. Each tenant keeps the ids it has seen in
 * two generations of sets (at most `idIndexLimit` ids in all); while the index holds every stored id it
 * answers alone, once it has dropped a generation (or the tenant had more stored ids than fit) the store
 * is asked about ids the index does not know.
 *
 * Writes are group-committed: requests arriving while a write is in flight are written together in the
 * next database transaction (transactions, alerts raised, their references and audit entries at once), and
 * each request is answered when its group is durable. A store that overlaps group commits (PostgreSQL: see
 * InvestigationStore.overlapMonitoredFrom) gets a second group while one is in flight once enough transactions
 * wait: their inserts run side by side, the rest in order. An alert that grows is answered at once and its new
 * figures are written with the next group at most ALERT_UPDATE_INTERVAL_MS later (updates of the same alert
 * in between coalesce: a hot alert costs one update per interval, not one per transaction); a crash in that
 * window loses the latest figures of grown alerts, as it loses the engine's window state anyway. Backpressure: beyond `maxPendingTransactions` queued, requests are
 * refused with 503 (retry) instead of queueing without bound.
 *
 * Limits of the engine state (TIGER_STYLE): per tenant the engine keeps the rules' ring of recent
 * transactions and account figures; after a restart it starts cold (it re-learns from new traffic; stored
 * alerts and transactions are untouched).
 */
import { randomBytes } from 'node:crypto';
import { createEngine, parseRules, type Engine, type RulesConfig } from '../detect/index.js';
import { channelIndex, TxBatch, type Tlp, type Viewer } from '../model/index.js';
import type { AuditDraft, InvestigationStore, MonitoredWrite, QueueAlert, TenantTransaction } from '../store/index.js';
import { ApiError } from './errors.js';

export interface MonitorOptions {
  rules?: RulesConfig;
  /** Ids remembered per tenant for idempotency (default 4,000,000). */
  idIndexLimit?: number;
  /** Transactions queued for writing beyond which requests are refused (default 500,000). */
  maxPendingTransactions?: number;
  clock?: () => number;
}

/** A validated transaction, times resolved. */
export interface MonitoredInput {
  id: string;
  timeMs: number;
  fromAccount: string;
  toAccount: string;
  amountMinor: number;
  currency: string;
  channel: string;
  fromCountry?: string;
  toCountry?: string;
  originalAmountMinor?: number;
  originalCurrency?: string;
}

export interface MonitorOutcome {
  accepted: number;
  duplicateIds: string[];
  alerts: QueueAlert[];
}

/** Rules for live monitoring: as given, but judged on arrival (no re-ordering delay) and a smaller ring per tenant unless set. */
export function liveRules(rules?: RulesConfig): RulesConfig {
  const base = rules ?? parseRules({ engine: { ringCapacity: 1 << 20, maxAccounts: 5_000_000, maxPairs: 4_000_000 } });
  return { ...base, engine: { ...base.engine, latenessMinutes: 0 } };
}

class IdIndex {
  private current = new Set<string>();
  private previous = new Set<string>();
  /** Whether every id the tenant has stored is in the sets. */
  complete: boolean;

  constructor(
    private readonly limit: number,
    complete: boolean,
  ) {
    this.complete = complete;
  }

  has(id: string): boolean {
    return this.current.has(id) || this.previous.has(id);
  }

  add(id: string): void {
    if (this.current.size >= this.limit / 2) {
      if (this.previous.size > 0) this.complete = false;
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(id);
  }

  delete(id: string): void {
    this.current.delete(id);
    this.previous.delete(id);
  }
}

/**
 * The references (accounts, transactions) already written per alert, so that a growing alert writes only
 * its new ones. Bounded: the least recently grown alerts are forgotten first (their next write sends all
 * references again, which the store tolerates).
 */
class WrittenRefs {
  private readonly byAlert = new Map<string, Set<string>>();

  constructor(private readonly maxAlerts: number) {}

  forget(alertId: string): void {
    this.byAlert.delete(alertId);
  }

  fresh(a: QueueAlert): { alertId: string; kind: 'account' | 'transaction'; ref: string }[] {
    let seen = this.byAlert.get(a.id);
    if (seen) this.byAlert.delete(a.id);
    else {
      seen = new Set();
      if (this.byAlert.size >= this.maxAlerts) this.byAlert.delete(this.byAlert.keys().next().value!);
    }
    this.byAlert.set(a.id, seen);
    const out: { alertId: string; kind: 'account' | 'transaction'; ref: string }[] = [];
    for (const acc of a.accounts) {
      const key = `a:${acc}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ alertId: a.id, kind: 'account', ref: acc });
      }
    }
    for (const tx of a.transactions) {
      const key = `t:${tx}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ alertId: a.id, kind: 'transaction', ref: tx });
      }
    }
    return out;
  }
}

interface TenantState {
  engine: Engine;
  ids: IdIndex;
  refs: WrittenRefs;
  /** Alert ids are `<prefix><n>`, numbered as they open: n above `lastSeq` is an alert just raised. */
  prefix: string;
  lastSeq: number;
}

export const ALERT_UPDATE_INTERVAL_MS = 50;
/** Grown alerts waiting for their update at most; beyond it they are written with the next group at once. */
const MAX_PENDING_UPDATES = 20_000;

interface Pending {
  write: MonitoredWrite;
  done: (err?: Error) => void;
}

export class Monitor {
  private readonly rules: RulesConfig;
  private readonly tenants = new Map<string, Promise<TenantState>>();
  private readonly idIndexLimit: number;
  private readonly maxPending: number;
  private readonly clock: () => number;
  private queue: Pending[] = [];
  private queuedTransactions = 0;
  private readonly pendingUpdates = new Map<string, QueueAlert>();
  /** Raised alerts whose group failed to write: inserted with the next group (bounded by the alerts a failed group holds). */
  private readonly retryRaised = new Map<string, QueueAlert>();
  private lastUpdateWriteMs = 0;
  private updateTimer: NodeJS.Timeout | undefined;
  /** Group commits in flight (two at most, when the store overlaps them: see InvestigationStore.overlapMonitoredFrom). */
  private writers = 0;
  /** Transactions in the queue, not yet taken by a group. */
  private waitingTransactions = 0;
  private closed = false;
  /** Counters for /ready and the bench. */
  readonly stats = { requests: 0, accepted: 0, duplicates: 0, alerts: 0, flushes: 0, refused: 0 };

  constructor(
    private readonly store: InvestigationStore,
    options: MonitorOptions = {},
  ) {
    this.rules = liveRules(options.rules);
    this.idIndexLimit = options.idIndexLimit ?? 4_000_000;
    this.maxPending = options.maxPendingTransactions ?? 500_000;
    this.clock = options.clock ?? Date.now;
  }

  private tenant(tenantId: string): Promise<TenantState> {
    let state = this.tenants.get(tenantId);
    if (!state) {
      state = this.load(tenantId);
      this.tenants.set(tenantId, state);
      state.catch(() => this.tenants.delete(tenantId));
    }
    return state;
  }

  private async load(tenantId: string): Promise<TenantState> {
    const { ids, total } = await this.store.transactionIds(tenantId, this.idIndexLimit / 2);
    const index = new IdIndex(this.idIndexLimit, ids.length >= total);
    for (const id of ids) index.add(id);
    const prefix = `al-${Date.now().toString(36)}${randomBytes(3).toString('hex')}-`;
    return { engine: createEngine(this.rules, { live: { alertIdPrefix: prefix } }), ids: index, refs: new WrittenRefs(20_000), prefix, lastSeq: 0 };
  }

  /** Run transactions through the tenant's engine and store them with the alerts they raise. */
  async ingest(viewer: Viewer, inputs: readonly MonitoredInput[], tlp: Tlp, batchId: string): Promise<MonitorOutcome> {
    if (this.closed) throw new ApiError(503, 'shutting_down', 'the server is shutting down');
    if (this.queuedTransactions + inputs.length > this.maxPending) {
      this.stats.refused++;
      throw new ApiError(503, 'overloaded', `more than ${this.maxPending} transactions are waiting to be written; retry shortly`);
    }
    const state = await this.tenant(viewer.tenantId);
    this.stats.requests++;
    const duplicateIds: string[] = [];
    let fresh: MonitoredInput[] = [];
    for (const t of inputs) {
      if (state.ids.has(t.id)) duplicateIds.push(t.id);
      else {
        // Reserved now: the same id later in this request, or in a concurrent one, is a duplicate.
        state.ids.add(t.id);
        fresh.push(t);
      }
    }
    if (!state.ids.complete && fresh.length > 0) {
      let stored: Set<string>;
      try {
        stored = await this.store.existingTransactionIds(viewer.tenantId, fresh.map((t) => t.id));
      } catch (err) {
        for (const t of fresh) state.ids.delete(t.id);
        throw err;
      }
      const kept: MonitoredInput[] = [];
      for (const t of fresh) {
        if (stored.has(t.id)) duplicateIds.push(t.id);
        else kept.push(t);
      }
      fresh = kept;
    }

    const now = this.clock();
    const alerts: QueueAlert[] = [];
    const raised: QueueAlert[] = [];
    if (fresh.length > 0) {
      const batch = new TxBatch('api', 'api', batchId, fresh.length);
      for (const t of fresh) {
        batch.push(
          t.id, t.timeMs, t.fromAccount, t.toAccount, t.amountMinor, t.currency, channelIndex(t.channel as Parameters<typeof channelIndex>[0]), 0,
          t.originalAmountMinor ?? NaN, t.originalCurrency, t.fromCountry, t.toCountry,
        );
      }
      for (const a of state.engine.push(batch)) {
        const alert: QueueAlert = { ...a, tenantId: viewer.tenantId, status: 'new', tlp, createdMs: now, updatedMs: now };
        alerts.push(alert);
        const seq = Number(a.id.slice(state.prefix.length));
        if (seq > state.lastSeq) {
          state.lastSeq = seq;
          raised.push(alert);
        } else this.pendingUpdates.set(`${viewer.tenantId}\u0000${a.id}`, alert);
      }
    }
    const transactions = new Array<TenantTransaction>(fresh.length);
    for (let i = 0; i < fresh.length; i++) {
      const t = fresh[i]!;
      // Every field written out (a spread of the input costs more than the engine's work on it).
      transactions[i] = {
        tenantId: viewer.tenantId,
        id: t.id,
        timeMs: t.timeMs,
        fromAccount: t.fromAccount,
        toAccount: t.toAccount,
        amountMinor: t.amountMinor,
        currency: t.currency,
        originalAmountMinor: t.originalAmountMinor,
        originalCurrency: t.originalCurrency,
        channel: t.channel,
        fromCountry: t.fromCountry,
        toCountry: t.toCountry,
        tlp,
        receivedMs: now,
        batchId,
      };
    }
    const audit: AuditDraft = {
      atMs: now,
      actorTenant: viewer.tenantId,
      actor: viewer.userId,
      action: 'transactions.ingest',
      objectKind: 'transactions',
      objectId: batchId,
      objectTenant: viewer.tenantId,
      ip: viewer.ip ?? '',
      detail: JSON.stringify({
        accepted: fresh.length,
        duplicates: duplicateIds.length,
        first: fresh[0]?.id,
        last: fresh.length > 1 ? fresh[fresh.length - 1]!.id : undefined,
        alerts: alerts.slice(0, 100).map((a) => a.id),
        tlp,
      }),
    };
    try {
      const refs = alerts.flatMap((a) => state.refs.fresh(a));
      await this.enqueue({ tenantId: viewer.tenantId, transactions, alerts: raised, refs, audit: [audit] });
    } catch (err) {
      // Not stored: let the sender retry these ids (the engine has seen them; a retry counts them again). Alerts
      // raised here are written with the next group that succeeds; their references are sent again then.
      for (const t of fresh) state.ids.delete(t.id);
      for (const a of alerts) state.refs.forget(a.id);
      for (const a of raised) this.retryRaised.set(`${a.tenantId}\u0000${a.id}`, a);
      throw new ApiError(503, 'store_unavailable', `transactions were not stored: ${(err as Error).message}`);
    }
    this.stats.accepted += fresh.length;
    this.stats.duplicates += duplicateIds.length;
    this.stats.alerts += alerts.length;
    if (duplicateIds.length > 0) {
      const known = new Set(alerts.map((a) => a.id));
      for (const a of await this.store.alertsOnTransactions(viewer.tenantId, duplicateIds)) if (!known.has(a.id)) alerts.push(a);
    }
    return { accepted: fresh.length, duplicateIds, alerts };
  }

  private enqueue(write: MonitoredWrite): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ write, done: (err) => (err ? reject(err) : resolve()) });
      this.queuedTransactions += write.transactions.length;
      this.waitingTransactions += write.transactions.length;
      if (this.writers === 0 || (this.writers === 1 && this.worthOverlapping())) {
        this.writers++;
        // Let the requests of this turn of the event loop join the group.
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Grown alerts due for writing (coalesced since the last update write), taken from the pending set. */
  private dueUpdates(force: boolean): QueueAlert[] {
    if (this.pendingUpdates.size === 0) return [];
    const now = this.clock();
    if (!force && now - this.lastUpdateWriteMs < ALERT_UPDATE_INTERVAL_MS && this.pendingUpdates.size < MAX_PENDING_UPDATES) return [];
    this.lastUpdateWriteMs = now;
    const out = [...this.pendingUpdates.values()];
    this.pendingUpdates.clear();
    return out;
  }

  /** Whether enough is waiting for a second group commit beside the one in flight. */
  private worthOverlapping(): boolean {
    const from = this.store.overlapMonitoredFrom;
    return from !== undefined && this.waitingTransactions >= from;
  }

  /** Write groups while there are any; the caller has counted this drain in `writers`. */
  private async drain(force = false): Promise<void> {
    for (;;) {
      const group = this.queue;
      this.queue = [];
      this.waitingTransactions = 0;
      const updates = this.dueUpdates(force);
      if (group.length === 0 && updates.length === 0) break;
      let n = 0;
      for (const p of group) n += p.write.transactions.length;
      const writes = group.map((p) => p.write);
      const retried = [...this.retryRaised.values()];
      this.retryRaised.clear();
      if (updates.length > 0) writes.push({ tenantId: '', transactions: [], alerts: [], alertUpdates: updates, refs: [], audit: [] });
      if (retried.length > 0) writes.push({ tenantId: '', transactions: [], alerts: retried, audit: [] });
      try {
        await this.store.recordMonitored(writes);
        this.stats.flushes++;
        for (const p of group) p.done();
      } catch (err) {
        // Updates not written wait for the next group (unless the alert has grown again since).
        for (const a of updates) {
          const key = `${a.tenantId}\u0000${a.id}`;
          if (!this.pendingUpdates.has(key)) this.pendingUpdates.set(key, a);
        }
        for (const a of retried) this.retryRaised.set(`${a.tenantId}\u0000${a.id}`, a);
        for (const p of group) p.done(err as Error);
        if (group.length === 0) break;
      } finally {
        this.queuedTransactions -= n;
      }
      // A second writer stops when the queue is back to what one can take.
      if (this.writers > 1 && !this.worthOverlapping()) break;
    }
    this.writers--;
    if (this.pendingUpdates.size > 0 && !this.updateTimer && !this.closed) {
      // Idle with grown alerts pending: write them when their interval is over.
      this.updateTimer = setTimeout(() => {
        this.updateTimer = undefined;
        if (this.writers > 0) return;
        this.writers++;
        void this.drain(true);
      }, ALERT_UPDATE_INTERVAL_MS);
      this.updateTimer.unref();
    }
  }

  /** Stop taking input and wait for queued writes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.updateTimer) clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
    while (this.writers > 0 || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    if (this.pendingUpdates.size > 0) {
      this.writers++;
      await this.drain(true);
    }
  }

  /** Write grown alerts now (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.writers > 0 || this.queue.length > 0) await new Promise((r) => setTimeout(r, 2));
    if (this.pendingUpdates.size > 0) {
      this.writers++;
      await this.drain(true);
    }
  }

  get pendingTransactions(): number {
    return this.queuedTransactions;
  }
}
