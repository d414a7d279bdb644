/**
 * Rastro's own layout of the generated world: one CSV row per transaction of the canonical model, with what
 * the public layouts cannot say — the channel as it was (remittance, mobile, card, cash, ...), both countries,
 * both currencies and amounts, the branch a cash deposit was paid in at — and the labels:
 *
 *     id,time,from_account,to_account,amount,currency,paid_amount,paid_currency,channel,from_country,to_country,branch,is_laundering,scheme,instance
 *     1,2022-09-01T00:00:00Z,0213/8A3F09B10,0213/8A3F09B10,1540.00,USD,1540.00,USD,cash,US,US,0213-4,0,,
 *
 * `id` is the row number in time order; `time` UTC ISO 8601; accounts `<bank>/<9 hex digits>` as in the
 * IBM layout; `amount`/`currency` what `to_account` received, `paid_amount`/`paid_currency` what left
 * `from_account`; `from_country`/`to_country` the ISO 3166 countries of the two banks (empty for a bank
 * outside any country); `branch` `<bank>-<n>` for cash, else empty. A cash deposit's `from_account` is the
 * depositor's own account (the same account when the holder paid in their own cash). `is_laundering`,
 * `scheme` (kebab-case type) and `instance` are ground truth. The mapping `RASTRO_MAPPING` (written next to
 * the file as `rastro-mapping.yaml`) lets `rastro scan --format csv --mapping` read it; its `label` column
 * is read only by `rastro eval`.
 */
import type { Channel } from '../../model/index.js';
import { minorExponent } from '../../model/index.js';
import type { World } from '../world.js';
import { AccountTable, ascii, isoMinuteStamps, putAscii, putBytes, putDecimal, TIME_MARK, type RowFormat, type RowLabels } from './row-format.js';

export const RASTRO_TRANS_HEADER =
  'id,time,from_account,to_account,amount,currency,paid_amount,paid_currency,channel,from_country,to_country,branch,is_laundering,scheme,instance';

export const RASTRO_MAPPING_FILE = 'rastro-mapping.yaml';

/** Mapping of the layout for Rastro's mapped-CSV reader (`rastro scan --format csv --mapping rastro-mapping.yaml`). */
export const RASTRO_MAPPING = `# Rastro generated-world layout (rastro generate --format rastro), for the mapped-CSV reader:
#   rastro scan --format csv --mapping rastro-mapping.yaml transactions.csv --alerts alerts.jsonl
#   rastro eval --format csv --mapping rastro-mapping.yaml --alerts alerts.jsonl --truth transactions.csv alert_accounts.csv
# is_laundering is ground truth: the reader keeps it apart as a label, the engine never sees it.
# scheme, instance and branch are not read (the canonical model has no field for them).
delimiter: ","
decimal: "."
dateFormat: iso
encoding: utf-8
channel: other
columns:
  id: id
  time: time
  fromAccount: from_account
  toAccount: to_account
  amount: amount
  currency: currency
  originalAmount: paid_amount
  originalCurrency: paid_currency
  channel: channel
  fromCountry: from_country
  toCountry: to_country
  label: is_laundering
`;

export class RastroRowFormat implements RowFormat {
  readonly transactionsFile = 'transactions.csv';
  readonly header = RASTRO_TRANS_HEADER;
  readonly numbered = true;
  readonly row = new Uint8Array(1024);
  private readonly accounts: AccountTable;
  /** `,<country>` of each account's bank. */
  private readonly countries: Uint8Array[];
  private readonly channels = new Map<Channel, Uint8Array>();
  private readonly currencies = new Map<string, { code: Uint8Array; exponent: number }>();
  private readonly labelBytes: Uint8Array[];
  private static readonly BENIGN = ascii(',0,,');

  constructor(
    private readonly world: World,
    private readonly labels: RowLabels,
  ) {
    this.accounts = new AccountTable((a) => world.accountId(a), world.accountCount);
    const byBank = world.banks.map((b) => ascii(`,${b.country}`));
    this.countries = Array.from({ length: world.accountCount }, (_v, a) => byBank[world.accountBank[a]!]!);
    this.labelBytes = labels.instances.map((i) => ascii(`,1,${i.type},${i.id}`));
  }

  minuteStamps(dayStartMs: number): string[] {
    return isoMinuteStamps(dayStartMs);
  }

  encode(from: number, to: number, amountMinor: number, currency: string, paidMinor: number, paidCurrency: string, channel: Channel, tag: number, branch: number): number {
    const out = this.row;
    let at = 0;
    out[at++] = TIME_MARK;
    out[at++] = 44;
    at = this.accounts.put(out, at, from);
    out[at++] = 44;
    at = this.accounts.put(out, at, to);
    out[at++] = 44;
    const received = this.currency(currency);
    at = putDecimal(out, at, amountMinor, received.exponent, currency);
    out[at++] = 44;
    at = putBytes(out, at, received.code);
    out[at++] = 44;
    const paid = paidCurrency === currency ? received : this.currency(paidCurrency);
    at = putDecimal(out, at, paidMinor, paid.exponent, paidCurrency);
    out[at++] = 44;
    at = putBytes(out, at, paid.code);
    out[at++] = 44;
    at = putBytes(out, at, this.channel(channel));
    at = putBytes(out, at, this.countries[from]!);
    at = putBytes(out, at, this.countries[to]!);
    out[at++] = 44;
    if (channel === 'cash') at = putAscii(out, at, `${this.world.bankCode(to)}-${branch >= 0 ? branch : this.world.homeBranch(to)}`);
    at = putBytes(out, at, tag >= 0 ? this.labelBytes[this.labels.instanceOf[tag]!]! : RastroRowFormat.BENIGN);
    return at;
  }

  private channel(channel: Channel): Uint8Array {
    let c = this.channels.get(channel);
    if (c === undefined) this.channels.set(channel, (c = ascii(channel)));
    return c;
  }

  private currency(code: string): { code: Uint8Array; exponent: number } {
    let c = this.currencies.get(code);
    if (c === undefined) this.currencies.set(code, (c = { code: ascii(code), exponent: minorExponent(code) }));
    return c;
  }
}
