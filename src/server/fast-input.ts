/**
 * The hot path of POST /api/transactions: a well-formed canonical transaction is read here without zod (which
 * costs a few microseconds a transaction, as much as the engine). Anything this reader does not accept as it
 * stands (a missing or extra field, a wrong type, a value out of range) returns undefined, and the caller runs
 * the zod schema `TransactionIn`, which accepts it or names what is wrong. The two accept exactly the same
 * transactions (test/server/fast-input.test.ts checks them side by side).
 */
import { CHANNELS, isCurrency } from '../model/index.js';
import { parseIso } from '../model/time.js';
import type { MonitoredInput } from './monitor.js';
import { MAX_TRANSACTION_TEXT } from './schemas.js';

const FIELDS = new Set([
  'id', 'time', 'fromAccount', 'toAccount', 'amountMinor', 'currency', 'channel', 'fromCountry', 'toCountry', 'originalAmountMinor', 'originalCurrency',
]);
const CHANNEL_NAMES: ReadonlySet<string> = new Set(CHANNELS);

function text(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= MAX_TRANSACTION_TEXT;
}

function minor(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function country(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 2) return false;
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

/** One transaction as `TransactionIn` would read it, or undefined when zod must judge it. */
export function fastTransaction(v: unknown): MonitoredInput | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  for (const k in o) if (!FIELDS.has(k) || !Object.hasOwn(o, k)) return undefined;
  const { id, time, fromAccount, toAccount, amountMinor, currency } = o;
  if (!text(id) || typeof time !== 'string' || !text(fromAccount) || !text(toAccount) || !minor(amountMinor)) return undefined;
  if (typeof currency !== 'string' || !isCurrency(currency)) return undefined;
  const timeMs = parseIso(time);
  if (!Number.isFinite(timeMs)) return undefined;
  const channel = o.channel === undefined ? 'other' : o.channel;
  if (typeof channel !== 'string' || !CHANNEL_NAMES.has(channel)) return undefined;
  const out: MonitoredInput = { id, timeMs, fromAccount, toAccount, amountMinor, currency, channel };
  if (o.fromCountry !== undefined) {
    if (!country(o.fromCountry)) return undefined;
    out.fromCountry = o.fromCountry;
  }
  if (o.toCountry !== undefined) {
    if (!country(o.toCountry)) return undefined;
    out.toCountry = o.toCountry;
  }
  if (o.originalAmountMinor !== undefined) {
    if (!minor(o.originalAmountMinor)) return undefined;
    out.originalAmountMinor = o.originalAmountMinor;
  }
  if (o.originalCurrency !== undefined) {
    if (typeof o.originalCurrency !== 'string' || !isCurrency(o.originalCurrency)) return undefined;
    out.originalCurrency = o.originalCurrency;
  }
  return out;
}

/** A batch read by `fastTransaction`, or undefined when any of it must go to zod (which then judges the whole batch). */
export function fastBatch(body: readonly unknown[], max: number): MonitoredInput[] | undefined {
  if (body.length === 0 || body.length > max) return undefined;
  const out = new Array<MonitoredInput>(body.length);
  for (let i = 0; i < body.length; i++) {
    const t = fastTransaction(body[i]);
    if (!t) return undefined;
    out[i] = t;
  }
  return out;
}
