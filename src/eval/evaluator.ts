/**
 * Scoring alerts against ground truth. The alerts are indexed first (they are few); the truth then streams
 * through batch by batch and only ids are kept: the accounts seen, the laundering accounts, and per laundering
 * attempt its size and how much of it the alerts cover. Nothing per benign transaction is kept, so a 5M-row
 * truth file costs one set of account ids.
 *
 * Definitions:
 * - transaction level: a transaction is predicted positive when any alert names it; positive in truth when
 *   its label column says laundering. Alert ids found in no truth file count as false positives (`unknown`).
 * - account level: an account is positive in truth when it is party to a laundering transaction or flagged
 *   by an accounts file (AMLSim `accounts.csv`/`nodes.csv` flags, members of a SAR alert, `rastro generate`
 *   `accounts.csv`); predicted when any alert names it. Accounts seen = parties of the truth transactions
 *   and the accounts the truth files list.
 * - schemes: the laundering transactions of each scheme the truth names (IBM Patterns blocks, AMLSim alert
 *   types; `unknown` when none). An attempt (one Patterns block, one AMLSim alert id) is detected when the
 *   alerts cover at least `attemptCoverage` of its transactions (of its member accounts when the truth
 *   lists no transactions for it).
 * - false alerts on the benign background: benign accounts (seen in the truth, not laundering) that an alert
 *   names, per 10,000 benign accounts.
 */
import type { TruthLabel, TxBatch } from '../model/index.js';
import type { AlertIndex, PredictedTransaction } from './alert-index.js';
import { compareSchemes, UNKNOWN_SCHEME } from './scheme.js';

export const DEFAULT_ATTEMPT_COVERAGE = 0.5;
/** Missed attempts listed per scheme in the report (the count is always complete). */
export const MAX_LISTED_MISSED_ATTEMPTS = 20;
/** Prefix by which readers key account-level truth in a `TruthLabel` (AMLSim `accounts.csv`, `nodes.csv`). */
export const ACCOUNT_LABEL_PREFIX = 'account:';

export interface EvaluatorOptions {
  /** Share of an attempt's transactions the alerts must cover for the attempt to count as detected, in (0, 1]. */
  attemptCoverage?: number;
}

/** Precision, recall and F1 with their counts; a rate is null when its denominator is 0. */
export interface LevelFigures {
  /** Items in the truth data (transactions read, accounts seen). */
  truth: number;
  /** Laundering items in the truth. */
  positives: number;
  /** Items the alerts name. */
  predicted: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Predicted items absent from the truth data (counted among the false positives). */
  unknown: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface CaughtBy {
  typology: string;
  /** Laundering transactions of the scheme that alerts of this typology name. */
  transactions: number;
  /** Attempts this typology alone covers at the attempt coverage. */
  attempts: number;
}

export interface SchemeFigures {
  scheme: string;
  transactions: number;
  transactionsDetected: number;
  transactionRecall: number | null;
  accounts: number;
  accountsDetected: number;
  accountRecall: number | null;
  attempts: number;
  attemptsDetected: number;
  attemptRecall: number | null;
  caughtBy: CaughtBy[];
  /** Attempt ids not detected (at most MAX_LISTED_MISSED_ATTEMPTS). */
  missedAttempts: string[];
}

export interface TypologyFigures {
  typology: string;
  alerts: number;
  transactions: number;
  launderingTransactions: number;
  transactionPrecision: number | null;
  accounts: number;
  launderingAccounts: number;
  accountPrecision: number | null;
  /** Benign accounts its alerts name. */
  benignAccounts: number;
}

export interface FalseAlerts {
  benignAccounts: number;
  benignAccountsFlagged: number;
  per10kBenignAccounts: number | null;
}

export interface EvalMetrics {
  attemptCoverage: number;
  alerts: number;
  transactions: LevelFigures;
  accounts: LevelFigures;
  falseAlerts: FalseAlerts;
  schemes: SchemeFigures[];
  typologies: TypologyFigures[];
}

/** Laundering transactions sharing an attempt (or, without one, a scheme), and how the alerts cover them. */
interface Group {
  attempt: string | undefined;
  scheme: string | undefined;
  transactions: number;
  covered: number;
  byTypology: Map<string, number>;
  accounts: Set<string>;
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export function f1(precision: number | null, recall: number | null): number | null {
  if (precision === null || recall === null) return null;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

function level(truth: number, positives: number, predicted: number, truePositives: number, unknown: number): LevelFigures {
  const precision = ratio(truePositives, predicted);
  const recall = ratio(truePositives, positives);
  return {
    truth,
    positives,
    predicted,
    truePositives,
    falsePositives: predicted - truePositives,
    falseNegatives: positives - truePositives,
    unknown,
    precision,
    recall,
    f1: f1(precision, recall),
  };
}

export class Evaluator {
  readonly attemptCoverage: number;
  private readonly knownAccounts = new Set<string>();
  private readonly launderingAccounts = new Set<string>();
  private readonly groups = new Map<string, Group>();
  /** Scheme of each attempt, from alert lists (AMLSim alert ids → alert type). */
  private readonly attemptSchemes = new Map<string, string>();
  private transactions = 0;
  private launderingTransactions = 0;
  /** Laundering labels whose transaction was not in their batch (a reader breaking its contract). */
  labelsWithoutTransaction = 0;

  constructor(
    private readonly alerts: AlertIndex,
    options: EvaluatorOptions = {},
  ) {
    const coverage = options.attemptCoverage ?? DEFAULT_ATTEMPT_COVERAGE;
    if (!(coverage > 0 && coverage <= 1)) throw new RangeError(`attempt coverage must be in (0, 1], got ${coverage}`);
    this.attemptCoverage = coverage;
  }

  /** Account records of the truth data (e.g. AMLSim `accounts.csv`): part of the background. */
  addAccounts(ids: Iterable<string>): void {
    for (const id of ids) this.knownAccounts.add(id);
  }

  /** An account the truth flags as laundering without naming a transaction. */
  flagAccount(id: string): void {
    this.knownAccounts.add(id);
    this.launderingAccounts.add(id);
  }

  /** A row of an alert list: the attempt's scheme, and for SAR alerts a laundering member account. */
  addAttemptMember(attempt: string, scheme: string, sar: boolean, account?: string): void {
    if (!this.attemptSchemes.has(attempt)) this.attemptSchemes.set(attempt, scheme);
    if (!sar || account === undefined) return;
    this.flagAccount(account);
    this.group(attempt, scheme).accounts.add(account);
  }

  /** A row of a truth list: an alert member (see addAttemptMember) or a labelled account. */
  addTruthListRow(row: { attempt?: string; scheme?: string; sar: boolean; account?: string }): void {
    if (row.attempt !== undefined) return this.addAttemptMember(row.attempt, row.scheme ?? UNKNOWN_SCHEME, row.sar, row.account);
    if (row.account === undefined) return;
    if (row.sar) this.flagAccount(row.account);
    else this.knownAccounts.add(row.account);
  }

  /**
   * One batch of truth transactions with its labels (labels name transactions of the same batch, as readers
   * emit them; `account:<id>` labels flag accounts). Only laundering labels and account ids are kept.
   */
  addTransactions(tx: TxBatch, labels: readonly TruthLabel[]): void {
    let byId: Map<string, TruthLabel> | undefined;
    for (const label of labels) {
      if (label.transactionId.startsWith(ACCOUNT_LABEL_PREFIX)) {
        if (label.laundering) this.flagAccount(label.transactionId.slice(ACCOUNT_LABEL_PREFIX.length));
        continue;
      }
      byId ??= new Map();
      byId.set(label.transactionId, label);
    }
    const alerts = this.alerts;
    const anyAlerts = alerts.qualified.size + alerts.plain.size > 0;
    const source = tx.source;
    const known = this.knownAccounts;
    const n = tx.length;
    for (let i = 0; i < n; i++) {
      const from = tx.fromAccount[i]!;
      const to = tx.toAccount[i]!;
      known.add(from);
      if (to !== from) known.add(to); // the set is the hot spot: skip the self-transfers' second add
      const id = tx.id[i]!;
      const predicted = anyAlerts ? alerts.lookup(source, id) : undefined;
      const label = byId?.get(id);
      if (label !== undefined) byId!.delete(id);
      if (label?.laundering === true) {
        if (predicted !== undefined) predicted.laundering++;
        this.laundering(label, predicted, from, to);
      } else if (predicted !== undefined) {
        predicted.benign++;
      }
    }
    this.transactions += n;
    if (byId !== undefined) {
      for (const label of byId.values()) {
        if (!label.laundering) continue;
        this.labelsWithoutTransaction++;
        this.transactions++;
        const predicted = anyAlerts ? alerts.lookup(source, label.transactionId) : undefined;
        if (predicted !== undefined) predicted.laundering++;
        this.laundering(label, predicted, undefined, undefined);
      }
    }
  }

  private laundering(label: TruthLabel, predicted: PredictedTransaction | undefined, from: string | undefined, to: string | undefined): void {
    this.launderingTransactions++;
    const group = this.group(label.instance, label.scheme);
    group.transactions++;
    if (from !== undefined && to !== undefined) {
      this.launderingAccounts.add(from);
      this.launderingAccounts.add(to);
      group.accounts.add(from);
      group.accounts.add(to);
    }
    if (predicted !== undefined) {
      group.covered++;
      for (const t of predicted.typologies) group.byTypology.set(t, (group.byTypology.get(t) ?? 0) + 1);
    }
  }

  private group(attempt: string | undefined, scheme: string | undefined): Group {
    const key = attempt !== undefined ? `a\u0000${attempt}` : `s\u0000${scheme ?? ''}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { attempt, scheme, transactions: 0, covered: 0, byTypology: new Map(), accounts: new Set() };
      this.groups.set(key, group);
    } else if (group.scheme === undefined && scheme !== undefined) {
      group.scheme = scheme;
    }
    return group;
  }

  finish(): EvalMetrics {
    const alerts = this.alerts;
    const laundering = this.launderingAccounts;
    const known = this.knownAccounts;

    // Transactions
    let predictedTx = 0;
    let truePositiveTx = 0;
    let unknownTx = 0;
    const typologies = new Map<string, TypologyFigures>();
    const typology = (name: string): TypologyFigures => {
      let t = typologies.get(name);
      if (t === undefined) {
        t = {
          typology: name,
          alerts: alerts.typologyAlerts.get(name) ?? 0,
          transactions: 0,
          launderingTransactions: 0,
          transactionPrecision: null,
          accounts: 0,
          launderingAccounts: 0,
          accountPrecision: null,
          benignAccounts: 0,
        };
        typologies.set(name, t);
      }
      return t;
    };
    for (const name of alerts.typologyAlerts.keys()) typology(name);
    for (const p of alerts.predictions()) {
      const matches = p.laundering + p.benign;
      const count = Math.max(1, matches); // a plain id found in several truth files names each of them
      predictedTx += count;
      truePositiveTx += p.laundering;
      if (matches === 0) unknownTx++;
      for (const name of p.typologies) {
        const t = typology(name);
        t.transactions += count;
        t.launderingTransactions += p.laundering;
      }
    }

    // Accounts
    let truePositiveAccounts = 0;
    let unknownAccounts = 0;
    let benignFlagged = 0;
    for (const [account, names] of alerts.accounts) {
      const isLaundering = laundering.has(account);
      const isKnown = known.has(account);
      if (isLaundering) truePositiveAccounts++;
      else if (isKnown) benignFlagged++;
      else unknownAccounts++;
      for (const name of names) {
        const t = typology(name);
        t.accounts++;
        if (isLaundering) t.launderingAccounts++;
        else if (isKnown) t.benignAccounts++;
      }
    }
    for (const t of typologies.values()) {
      t.transactionPrecision = ratio(t.launderingTransactions, t.transactions);
      t.accountPrecision = ratio(t.launderingAccounts, t.accounts);
    }
    const benignAccounts = known.size - laundering.size; // every laundering account is also known

    return {
      attemptCoverage: this.attemptCoverage,
      alerts: alerts.alerts,
      transactions: level(this.transactions, this.launderingTransactions, predictedTx, truePositiveTx, unknownTx),
      accounts: level(known.size, laundering.size, alerts.accounts.size, truePositiveAccounts, unknownAccounts),
      falseAlerts: {
        benignAccounts,
        benignAccountsFlagged: benignFlagged,
        per10kBenignAccounts: benignAccounts === 0 ? null : (benignFlagged / benignAccounts) * 10_000,
      },
      schemes: this.schemeFigures(),
      typologies: [...typologies.values()].sort((a, b) => (a.typology < b.typology ? -1 : a.typology > b.typology ? 1 : 0)),
    };
  }

  private schemeFigures(): SchemeFigures[] {
    interface Acc {
      figures: SchemeFigures;
      accounts: Set<string>;
      caught: Map<string, CaughtBy>;
    }
    const schemes = new Map<string, Acc>();
    const alertAccounts = this.alerts.accounts;
    const coverage = this.attemptCoverage;
    for (const group of this.groups.values()) {
      const scheme = group.scheme ?? (group.attempt !== undefined ? this.attemptSchemes.get(group.attempt) : undefined) ?? UNKNOWN_SCHEME;
      let acc = schemes.get(scheme);
      if (acc === undefined) {
        acc = {
          figures: {
            scheme,
            transactions: 0,
            transactionsDetected: 0,
            transactionRecall: null,
            accounts: 0,
            accountsDetected: 0,
            accountRecall: null,
            attempts: 0,
            attemptsDetected: 0,
            attemptRecall: null,
            caughtBy: [],
            missedAttempts: [],
          },
          accounts: new Set(),
          caught: new Map(),
        };
        schemes.set(scheme, acc);
      }
      const f = acc.figures;
      f.transactions += group.transactions;
      f.transactionsDetected += group.covered;
      for (const a of group.accounts) acc.accounts.add(a);
      const caught = (name: string): CaughtBy => {
        let c = acc!.caught.get(name);
        if (c === undefined) {
          c = { typology: name, transactions: 0, attempts: 0 };
          acc!.caught.set(name, c);
        }
        return c;
      };
      for (const [name, count] of group.byTypology) caught(name).transactions += count;
      if (group.attempt === undefined) continue;

      // An attempt: detected when the alerts cover enough of its transactions (or of its accounts when the truth lists none).
      f.attempts++;
      let detected: boolean;
      if (group.transactions > 0) {
        detected = group.covered / group.transactions >= coverage;
        for (const [name, count] of group.byTypology) if (count / group.transactions >= coverage) caught(name).attempts++;
      } else {
        let covered = 0;
        const perTypology = new Map<string, number>();
        for (const a of group.accounts) {
          const names = alertAccounts.get(a);
          if (names === undefined) continue;
          covered++;
          for (const name of names) perTypology.set(name, (perTypology.get(name) ?? 0) + 1);
        }
        const size = group.accounts.size;
        detected = size > 0 && covered / size >= coverage;
        for (const [name, count] of perTypology) if (count / size >= coverage) caught(name).attempts++;
      }
      if (detected) f.attemptsDetected++;
      else if (f.missedAttempts.length < MAX_LISTED_MISSED_ATTEMPTS) f.missedAttempts.push(group.attempt);
    }
    const out: SchemeFigures[] = [];
    for (const acc of schemes.values()) {
      const f = acc.figures;
      f.accounts = acc.accounts.size;
      for (const a of acc.accounts) if (alertAccounts.has(a)) f.accountsDetected++;
      f.transactionRecall = ratio(f.transactionsDetected, f.transactions);
      f.accountRecall = ratio(f.accountsDetected, f.accounts);
      f.attemptRecall = ratio(f.attemptsDetected, f.attempts);
      f.caughtBy = [...acc.caught.values()].sort((a, b) => b.transactions - a.transactions || b.attempts - a.attempts || (a.typology < b.typology ? -1 : 1));
      f.missedAttempts.sort(compareAttemptIds);
      out.push(f);
    }
    return out.sort((a, b) => compareSchemes(a.scheme, b.scheme));
  }
}

/** Attempt ids in natural order (`x:2` before `x:10`). */
function compareAttemptIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
