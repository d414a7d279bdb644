/**
 * `rastro audit verify`: walk the audit trail's hash chain; exit 0 when intact, 3 at the first entry that
 * was altered, removed or reordered (naming it).
 */
import { checkChain, openStore, startChainCheck } from '../../store/index.js';

export async function runAuditVerify(options: { db: string; json?: boolean }): Promise<void> {
  const store = await openStore(options.db);
  let state = startChainCheck();
  try {
    for (;;) {
      const entries = await store.investigation.audit({ afterSeq: state.lastSeq, limit: 10_000 });
      state = checkChain(entries, state);
      if (!state.ok || entries.length < 10_000) break;
    }
  } finally {
    await store.close();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(state)}\n`);
  else if (state.ok) process.stdout.write(`audit trail intact: ${state.entries} entries, last #${state.lastSeq} ${state.lastHash}\n`);
  else process.stdout.write(`audit trail BROKEN at entry #${state.broken!.seq}: ${state.broken!.reason} (${state.entries} entries before it verify)\n`);
  if (!state.ok) process.exitCode = 3;
}
