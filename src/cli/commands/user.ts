/**
 * `rastro user add`: create a person (and their agency, if new) directly in the store, for the first
 * admin or when the API is not reachable. The password comes from RASTRO_PASSWORD or standard input.
 */
import { USER_ROLES } from '../../model/index.js';
import { addUser } from '../../server/index.js';
import { openStore } from '../../store/index.js';
import { CliError } from '../common.js';

export interface UserAddOptions {
  db: string;
  tenant: string;
  tenantName?: string;
  role: string;
  name?: string;
  json?: boolean;
}

async function readPassword(): Promise<string> {
  const env = process.env.RASTRO_PASSWORD;
  if (env) return env;
  if (process.stdin.isTTY) process.stderr.write('password (12+ characters), then Enter: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export async function runUserAdd(username: string, options: UserAddOptions): Promise<void> {
  if (!(USER_ROLES as readonly string[]).includes(options.role)) throw new CliError(`--role takes one of ${USER_ROLES.join(', ')}`);
  if (!/^[a-zA-Z0-9._@-]{3,100}$/.test(username)) throw new CliError('username: 3–100 letters, digits or . _ @ -');
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(options.tenant)) throw new CliError('--tenant: lower-case letters, digits and dashes (2–41)');
  const password = await readPassword();
  if (password.length < 12) throw new CliError('the password needs at least 12 characters (RASTRO_PASSWORD or standard input)');
  const store = await openStore(options.db);
  try {
    const r = await addUser(
      store.investigation,
      { tenantId: options.tenant, ...(options.tenantName ? { tenantName: options.tenantName } : {}), username, password, role: options.role as (typeof USER_ROLES)[number], ...(options.name ? { displayName: options.name } : {}) },
      Date.now(),
    ).catch((err: Error) => {
      throw new CliError(err.message);
    });
    if (options.json) process.stdout.write(`${JSON.stringify({ userId: r.userId, tenant: options.tenant, tenantCreated: r.tenantCreated })}\n`);
    else process.stdout.write(`user ${username} (${options.role}) added to ${options.tenant}${r.tenantCreated ? ' (new agency)' : ''}: ${r.userId}\n`);
  } finally {
    await store.close();
  }
}
