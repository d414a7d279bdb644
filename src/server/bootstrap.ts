/**
 * First start: an empty database gets the operator agency and a one-time admin token (printed once,
 * valid 24 hours: create people with it, then revoke it), and, unless turned off, the demo world:
 * a bank monitored in real time through the engine (a generated economy with IBM AMLworld laundering
 * attempts embedded), the FIU receiving the bundled goAML reports, and a sharing agreement from the bank
 * to the FIU at AMBER.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFiles } from '../ingest/index.js';
import { channelName, type Viewer } from '../model/index.js';
import { defaultReportingSettings } from '../report/config.js';
import { generateWorld, ibmPatternsScheme, parseIbmPatterns } from '../scenario/index.js';
import type { AuditDraft, InvestigationStore } from '../store/index.js';
import { intakeGoaml } from '../cases/intake.js';
import { hashPassword, newApiToken, randomToken } from './auth.js';
import { newId } from './ids.js';
import type { Monitor, MonitoredInput } from './monitor.js';

export const OPERATOR_TENANT = 'fiu';
const BOOTSTRAP_TOKEN_TTL_MS = 24 * 3_600_000;

function systemAudit(tenantId: string, atMs: number, action: string, objectKind: string, objectId: string, detail: object = {}): AuditDraft {
  return { atMs, actorTenant: tenantId, actor: 'system', action, objectKind, objectId, objectTenant: tenantId, ip: '', detail: JSON.stringify(detail) };
}

export interface BootstrapResult {
  /** The one-time admin token, when this start created the operator agency. */
  token?: string;
}

/** Create the operator agency and its one-time admin token when the database has no agency yet. */
export async function bootstrap(store: InvestigationStore, nowMs: number): Promise<BootstrapResult> {
  if ((await store.countTenants()) > 0) return {};
  await store.createTenant(
    { id: OPERATOR_TENANT, name: 'Financial Intelligence Unit', operator: true, settings: JSON.stringify(defaultReportingSettings('Financial Intelligence Unit')), createdMs: nowMs },
    systemAudit(OPERATOR_TENANT, nowMs, 'tenant.create', 'tenant', OPERATOR_TENANT, { bootstrap: true }),
  );
  const { id, value, secretHash } = newApiToken();
  await store.createToken(
    { id, tenantId: OPERATOR_TENANT, name: 'bootstrap (one-time: create admins, then revoke)', role: 'admin', secretHash, createdBy: 'system', createdMs: nowMs, expiresMs: nowMs + BOOTSTRAP_TOKEN_TTL_MS },
    systemAudit(OPERATOR_TENANT, nowMs, 'token.create', 'token', id, { bootstrap: true }),
  );
  return { token: value };
}

/** Add a person (and their agency if new): the `rastro user add` path. */
export async function addUser(
  store: InvestigationStore,
  input: { tenantId: string; tenantName?: string; username: string; password: string; role: 'analyst' | 'supervisor' | 'admin' | 'auditor'; displayName?: string },
  nowMs: number,
): Promise<{ userId: string; tenantCreated: boolean }> {
  let tenantCreated = false;
  if (!(await store.tenant(input.tenantId))) {
    const operator = (await store.countTenants()) === 0;
    const name = input.tenantName ?? input.tenantId;
    await store.createTenant(
      { id: input.tenantId, name, operator, settings: JSON.stringify(defaultReportingSettings(name)), createdMs: nowMs },
      systemAudit(input.tenantId, nowMs, 'tenant.create', 'tenant', input.tenantId, { via: 'cli' }),
    );
    tenantCreated = true;
  }
  if (await store.userByUsername(input.username)) throw new Error(`username ${input.username} is taken`);
  const userId = newId('u');
  await store.createUser(
    {
      id: userId,
      tenantId: input.tenantId,
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdMs: nowMs,
    },
    systemAudit(input.tenantId, nowMs, 'user.create', 'user', userId, { username: input.username, role: input.role, via: 'cli' }),
  );
  return { userId, tenantCreated };
}

function examplesDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'examples', 'README.md'))) return join(dir, 'examples');
    dir = dirname(dir);
  }
  return undefined;
}

export interface DemoOptions {
  /** Where the generated world is written (cached by its parameters). */
  dataDir: string;
  accounts?: number;
  days?: number;
  log: (line: string) => void;
  nowMs: number;
}

/** Demo people: sign-ins printed once. */
export interface DemoResult {
  users: { username: string; password: string; tenant: string; role: string }[];
  transactions: number;
  alerts: number;
}

/**
 * The demo world, on a database whose only agency is the operator: a bank monitored through the live engine,
 * the FIU with the bundled goAML reports, the bank sharing AMBER with the FIU.
 */
export async function loadDemo(store: InvestigationStore, monitor: Monitor, options: DemoOptions): Promise<DemoResult> {
  const now = options.nowMs;
  const bank = 'bank-a';
  await store.createTenant(
    { id: bank, name: 'Banco Ejemplo (demo)', operator: false, settings: JSON.stringify(defaultReportingSettings('Banco Ejemplo (demo)')), createdMs: now },
    systemAudit(bank, now, 'tenant.create', 'tenant', bank, { demo: true }),
  );
  const users: DemoResult['users'] = [];
  for (const [tenant, username, role] of [
    [OPERATOR_TENANT, 'fiu-admin', 'admin'],
    [OPERATOR_TENANT, 'fiu-analyst', 'analyst'],
    [OPERATOR_TENANT, 'fiu-supervisor', 'supervisor'],
    [bank, 'bank-analyst', 'analyst'],
    [bank, 'bank-supervisor', 'supervisor'],
    [bank, 'bank-admin', 'admin'],
  ] as const) {
    const password = randomToken(12);
    await addUser(store, { tenantId: tenant, username, password, role }, now);
    users.push({ username, password, tenant, role });
  }
  await store.createAgreement(
    { id: newId('share'), ownerTenant: bank, partnerTenant: OPERATOR_TENANT, maxTlp: 'AMBER', purpose: 'demo: suspicious activity follow-up', createdBy: 'system', createdMs: now },
    systemAudit(bank, now, 'sharing.create', 'agreement', 'demo', { partner: OPERATOR_TENANT, maxTlp: 'AMBER' }),
  );

  const examples = examplesDir();
  const fiu: Viewer = { tenantId: OPERATOR_TENANT, userId: 'system', role: 'system' };
  if (examples) {
    for (const f of ['goaml-str.xml', 'goaml-ctr.xml']) {
      const path = join(examples, f);
      if (existsSync(path)) await intakeGoaml(store, fiu, await readFile(path, 'utf8'), 'AMBER', now);
    }
  }

  const accounts = options.accounts ?? 2_000;
  const days = options.days ?? 90;
  const worldDir = join(options.dataDir, `serve-demo-world-a${accounts}-d${days}-s1`);
  const trans = join(worldDir, 'Trans.csv');
  if (!existsSync(trans)) {
    await mkdir(worldDir, { recursive: true });
    const patterns = examples ? join(examples, 'LI-Small_Patterns.txt') : undefined;
    const attempts = patterns && existsSync(patterns) ? parseIbmPatterns(await readFile(patterns, 'utf8'), patterns) : [];
    options.log(`demo: generating a world of ${accounts} accounts over ${days} days ...`);
    await generateWorld({ accounts, days, seed: 1, startMs: Date.UTC(2022, 8, 1), outDir: worldDir, schemes: attempts.length > 0 ? [ibmPatternsScheme(attempts, { repeat: 1 })] : [] });
  }
  const system: Viewer = { tenantId: bank, userId: 'system', role: 'system' };
  let transactions = 0;
  let alerts = 0;
  let n = 0;
  for await (const b of readFiles([{ path: trans }], { batchId: 'demo', batchRows: 10_000 })) {
    const tx = b.transactions;
    const inputs: MonitoredInput[] = [];
    for (let i = 0; i < tx.length; i++) {
      inputs.push({ id: tx.id[i]!, timeMs: tx.timeMs[i]!, fromAccount: tx.fromAccount[i]!, toAccount: tx.toAccount[i]!, amountMinor: tx.amountMinor[i]!, currency: tx.currency[i]!, channel: channelName(tx.channel[i]!) });
    }
    if (inputs.length === 0) continue;
    const out = await monitor.ingest(system, inputs, 'AMBER', `demo-${++n}`);
    transactions += out.accepted;
    alerts += out.alerts.length;
  }
  options.log(`demo: ${transactions} transactions of ${bank} monitored, ${alerts} alert updates; goAML examples received by ${OPERATOR_TENANT}`);
  return { users, transactions, alerts };
}
