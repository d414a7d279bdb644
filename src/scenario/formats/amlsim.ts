/**
 * Writing the world in IBM AMLSim's full output layout (github.com/IBM/AMLSim, `scripts/convert_logs.py`),
 * so that tools built for AMLSim data and `rastro eval` read it:
 *
 * - `transactions.csv`: `tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id`, plus a
 *   trailing `base_currency` (AMLSim is single-currency; Rastro's AMLSim reader honours the column). `base_amt`
 *   is the amount received, in `base_currency`. `tran_id` is the row number in time order. `is_sar` is
 *   `True`/`False`; `alert_id` the instance's number (1-based, as listed in `alert_accounts.csv`) or -1.
 * - cash paid in at a branch is a `CASH-IN` row with the credited account as `orig_acct` and the branch
 *   (`<bank>-<branch>`) as `bene_acct`, the order AMLSim's CashInModel logs it in; the depositor is not kept.
 * - `tx_type`: TRANSFER (ACH, mobile, internal, reinvestment), WIRE (wires and remittances), CHECK, CASH-IN,
 *   CARD, CRYPTO.
 * - `accounts.csv` (`ACCOUNT_ID,PRIMARY_CUSTOMER_ID,init_balance,start,end,country,business,suspicious,isFraud,modelID`),
 *   `alert_accounts.csv` (`alert_id,alert_type,acct_id,acct_name,is_sar,model_id,schedule_id,bank_id`) and
 *   `alert_transactions.csv` (`alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp`).
 */
import type { Channel } from '../../model/index.js';
import { minorExponent } from '../../model/index.js';
import type { World } from '../world.js';
import { AccountTable, ascii, isoMinuteStamps, putAscii, putBytes, putDecimal, TIME_MARK, type RowFormat, type RowLabels } from './row-format.js';

export const AMLSIM_TRANS_HEADER = 'tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id,base_currency';
export const AMLSIM_ACCOUNTS_HEADER = 'ACCOUNT_ID,PRIMARY_CUSTOMER_ID,init_balance,start,end,country,business,suspicious,isFraud,modelID';
export const AMLSIM_ALERT_ACCOUNTS_HEADER = 'alert_id,alert_type,acct_id,acct_name,is_sar,model_id,schedule_id,bank_id';
export const AMLSIM_ALERT_TRANSACTIONS_HEADER = 'alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp';

const TX_TYPES: Readonly<Record<Channel, string>> = {
  ach: 'TRANSFER', mobile: 'TRANSFER', internal: 'TRANSFER', reinvestment: 'TRANSFER', wire: 'WIRE', remittance: 'WIRE',
  cheque: 'CHECK', cash: 'CASH-IN', card: 'CARD', crypto: 'CRYPTO', other: 'OTHER',
};

export function amlsimTxType(channel: Channel): string {
  return TX_TYPES[channel];
}

/** The pseudo-account AMLSim writes for a branch's cash desk. */
export function amlsimBranch(world: World, account: number, branch: number): string {
  return `${world.bankCode(account)}-${branch >= 0 ? branch : world.homeBranch(account)}`;
}

export class AmlsimRowFormat implements RowFormat {
  readonly transactionsFile = 'transactions.csv';
  readonly header = AMLSIM_TRANS_HEADER;
  readonly numbered = true;
  readonly row = new Uint8Array(1024);
  private readonly accounts: AccountTable;
  private readonly types = new Map<Channel, Uint8Array>();
  private readonly currencies = new Map<string, { code: Uint8Array; exponent: number }>();
  private readonly alerts: Uint8Array[];
  private static readonly BENIGN = ascii(',False,-1,');

  constructor(
    private readonly world: World,
    private readonly labels: RowLabels,
  ) {
    this.accounts = new AccountTable((a) => world.accountId(a), world.accountCount);
    this.alerts = labels.instances.map((_i, n) => ascii(`,True,${n + 1},`));
  }

  minuteStamps(dayStartMs: number): string[] {
    return isoMinuteStamps(dayStartMs);
  }

  encode(from: number, to: number, amountMinor: number, currency: string, _paidMinor: number, _paidCurrency: string, channel: Channel, tag: number, branch: number): number {
    const out = this.row;
    let at = 0;
    if (channel === 'cash') {
      at = this.accounts.put(out, at, to);
      out[at++] = 44;
      at = putAscii(out, at, amlsimBranch(this.world, to, branch));
    } else {
      at = this.accounts.put(out, at, from);
      out[at++] = 44;
      at = this.accounts.put(out, at, to);
    }
    out[at++] = 44;
    at = putBytes(out, at, this.type(channel));
    out[at++] = 44;
    const c = this.currency(currency);
    at = putDecimal(out, at, amountMinor, c.exponent, currency);
    out[at++] = 44;
    out[at++] = TIME_MARK;
    at = putBytes(out, at, tag >= 0 ? this.alerts[this.labels.instanceOf[tag]!]! : AmlsimRowFormat.BENIGN);
    at = putBytes(out, at, c.code);
    return at;
  }

  private type(channel: Channel): Uint8Array {
    let t = this.types.get(channel);
    if (t === undefined) this.types.set(channel, (t = ascii(amlsimTxType(channel))));
    return t;
  }

  private currency(code: string): { code: Uint8Array; exponent: number } {
    let c = this.currencies.get(code);
    if (c === undefined) this.currencies.set(code, (c = { code: ascii(code), exponent: minorExponent(code) }));
    return c;
  }
}


