/**
 * Small hand-made worlds for typology tests: write transactions as
 * `world.tx('A', 'B', 9500, '2024-01-02T10:00')` and run them through the engine.
 */
import { createEngine, parseRules, type RulesConfig } from '../../src/detect/index.js';
import { channelIndex, TxBatch, type Alert, type Channel } from '../../src/model/index.js';

export const T0 = Date.UTC(2024, 0, 1);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface WorldTx {
  id: string;
  from: string;
  to: string;
  amount: number;
  currency: string;
  timeMs: number;
  channel: Channel;
}

export class World {
  readonly txs: WorldTx[] = [];
  private n = 0;

  /** Amount in major units; time as ms since T0 or an ISO string. */
  tx(from: string, to: string, amount: number, time: number | string, opts: { currency?: string; channel?: Channel; id?: string } = {}): string {
    const id = opts.id ?? `row:${++this.n}`;
    if (opts.id) this.n++;
    const timeMs = typeof time === 'string' ? Date.parse(`${time}Z`) : T0 + time;
    this.txs.push({ id, from, to, amount, currency: opts.currency ?? 'USD', timeMs, channel: opts.channel ?? 'ach' });
    return id;
  }

  /** Benign history: `from` pays `to` `amount` every `everyMs` from `startMs` for `times` payments. */
  recurring(from: string, to: string, amount: number, startMs: number, everyMs: number, times: number, channel: Channel = 'ach'): void {
    for (let i = 0; i < times; i++) this.tx(from, to, amount, startMs + i * everyMs, { channel });
  }

  /** The transactions in time order, as batches of `batchRows`. */
  batches(batchRows = 4096, sort = true): TxBatch[] {
    const rows = sort ? [...this.txs].sort((a, b) => a.timeMs - b.timeMs) : this.txs;
    const out: TxBatch[] = [];
    let b = new TxBatch('world.csv', 'world.csv', 'test', batchRows);
    rows.forEach((r, i) => {
      if (b.full) {
        out.push(b);
        b = new TxBatch('world.csv', 'world.csv', 'test', batchRows);
      }
      const exp = r.currency === 'JPY' ? 0 : r.currency === 'XBT' ? 8 : 2;
      b.push(r.id, r.timeMs, r.from, r.to, Math.round(r.amount * 10 ** exp), r.currency, channelIndex(r.channel), i + 2);
    });
    if (b.length > 0) out.push(b);
    return out;
  }
}

/** Rules with only the named typologies enabled, with parameter overrides. */
export function only(typologies: Record<string, Record<string, unknown>>, engine: Record<string, unknown> = {}): RulesConfig {
  const all = parseRules({});
  const t: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(all.typologies)) t[name] = { enabled: false };
  for (const [name, params] of Object.entries(typologies)) t[name] = { ...params, enabled: true };
  // Shape tests judge the shapes: no warm-up unless a test asks for one.
  return parseRules({ engine: { warmupDays: 0, ...engine }, typologies: t });
}

export function scan(world: World, rules: RulesConfig, batchRows?: number): Alert[] {
  const engine = createEngine(rules);
  const alerts: Alert[] = [];
  for (const b of world.batches(batchRows)) alerts.push(...engine.push(b));
  alerts.push(...engine.flush());
  return alerts;
}

export function sorted(xs: readonly string[]): string[] {
  return [...xs].sort();
}
