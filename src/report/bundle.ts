import type { CaseItem, CaseRecord, DecisionRecord, EntityRecord, QueueAlert, TenantTransaction } from '../store/index.js';
import type { ReportingSettings } from './config.js';

/** Everything a report is written from: the case, what it groups, and the agency's reporting settings. */
export interface CaseBundle {
  case: CaseRecord;
  items: CaseItem[];
  decisions: DecisionRecord[];
  alerts: QueueAlert[];
  transactions: TenantTransaction[];
  entities: EntityRecord[];
  settings: ReportingSettings;
  nowMs: number;
}

/** `<institution>/<account>` as readers write account ids; the institution is absent for bare ids. */
export function splitAccount(id: string): { institution: string | undefined; account: string } {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) return { institution: undefined, account: id };
  return { institution: id.slice(0, slash), account: id.slice(slash + 1) };
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC (goAML sql_date has no zone). */
export function sqlDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `YYYYMMDD` in UTC (FinCEN dates). */
export function yyyymmdd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}
