import { existsSync } from 'node:fs';
import { formatIso, formatMinor } from '../../model/index.js';
import { isPostgresUrl, openStore } from '../../store/index.js';
import { CliError, fmt } from '../common.js';

export async function runStats(options: { db: string; top: string; json?: boolean }): Promise<void> {
  if (!isPostgresUrl(options.db) && !existsSync(options.db)) throw new CliError(`${options.db}: no database here yet (run rastro ingest first)`);
  const top = Number(options.top);
  if (!Number.isInteger(top) || top < 1 || top > 1000) throw new CliError('--top takes a whole number from 1 to 1000');
  const store = await openStore(options.db);
  try {
    const s = await store.stats({ top });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ db: store.location, ...s, first: s.firstMs === null ? null : formatIso(s.firstMs), last: s.lastMs === null ? null : formatIso(s.lastMs) })}\n`);
      return;
    }
    const out: string[] = [];
    out.push(`database      ${store.location} (${store.kind})`);
    out.push(`transactions  ${fmt.format(s.transactions)}`);
    out.push(`accounts      ${fmt.format(s.accounts)}`);
    out.push(`parties       ${fmt.format(s.parties)}`);
    out.push(`reports       ${fmt.format(s.reports)}`);
    out.push(`alerts        ${fmt.format(s.alerts)}`);
    out.push(`rejects       ${fmt.format(s.rejects)}`);
    out.push(`truth labels  ${fmt.format(s.truthLabels)} (evaluation only)`);
    out.push(`date range    ${s.firstMs === null ? '-' : formatIso(s.firstMs)} .. ${s.lastMs === null ? '-' : formatIso(s.lastMs)}`);
    out.push('currencies');
    for (const c of s.currencies) out.push(`  ${c.currency.padEnd(5)} ${fmt.format(c.count).padStart(12)} tx  ${formatMinor(c.amountMinor, c.currency).padStart(22)}`);
    out.push('channels');
    for (const c of s.channels) out.push(`  ${c.channel.padEnd(13)} ${fmt.format(c.count).padStart(12)}`);
    out.push('sources');
    for (const c of s.sources) out.push(`  ${c.source.padEnd(30)} ${fmt.format(c.count).padStart(12)}`);
    out.push(`top ${top} accounts by transactions (sent / received / counterparties)`);
    for (const a of s.topAccounts) out.push(`  ${a.account.padEnd(30)} ${fmt.format(a.sentCount).padStart(9)} ${fmt.format(a.receivedCount).padStart(9)} ${fmt.format(a.counterparties).padStart(9)}`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await store.close();
  }
}
