/**
 * `rastro serve`: the investigation server on the embedded store (or PostgreSQL), bootstrapped and with the
 * demo world on a new database; stops cleanly on SIGINT/SIGTERM.
 */
import { loadRules } from '../../detect/index.js';
import { writeFile } from 'node:fs/promises';
import { apiDocument, startServer } from '../../server/index.js';
import { CliError } from '../common.js';

export interface ServeCliOptions {
  db: string;
  port: string;
  host: string;
  config?: string;
  demo?: boolean;
  web?: string;
  insecureCookies?: boolean;
  log?: boolean;
}

export async function runServe(options: ServeCliOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port takes 0..65535, got ${JSON.stringify(options.port)}`);
  const rules = options.config ? await loadRules(options.config) : undefined;
  const server = await startServer({
    db: options.db,
    port,
    host: options.host,
    ...(rules ? { rules } : {}),
    demo: options.demo !== false,
    ...(options.web ? { webRoot: options.web } : {}),
    secureCookies: !options.insecureCookies,
    logger: options.log === true,
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`rastro: serving ${server.url} (store: ${server.store.kind} ${server.store.location}); API description at ${server.url}/api/openapi.json`);
  out(server.webRoot ? `rastro: web app at ${server.url}/ (from ${server.webRoot})` : 'rastro: no web app build found (npm run build writes dist/web); serving the API only');
  if (server.bootstrapToken) {
    out('');
    out('New database: the operator agency "fiu" was created with a one-time admin token (valid 24 h, shown only now):');
    out(`  ${server.bootstrapToken}`);
    out(`  e.g. curl -H 'Authorization: Bearer <token>' -H 'content-type: application/json' -d '{"username":"admin","password":"<12+ chars>","role":"admin"}' ${server.url}/api/users`);
    out('  then revoke it: DELETE /api/tokens/<id>  (or create people offline with `rastro user add`)');
  }
  if (server.demoUsers) {
    out('');
    out('Demo sign-ins (POST /api/auth/login), shown only now:');
    for (const u of server.demoUsers) out(`  ${u.tenant.padEnd(8)} ${u.role.padEnd(11)} ${u.username.padEnd(16)} ${u.password}`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      out('rastro: stopping (finishing writes in flight) ...');
      server.close().then(resolve, (err: unknown) => {
        process.stderr.write(`rastro: error while stopping: ${(err as Error).message}\n`);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    out('rastro: ready (Ctrl-C stops)');
  });
}

/** `rastro openapi`: the API description, for client generators (the web app's types come from it). */
export async function runOpenApi(options: { out?: string }): Promise<void> {
  const text = `${JSON.stringify(await apiDocument(), null, 2)}\n`;
  if (options.out) await writeFile(options.out, text);
  else process.stdout.write(text);
}
