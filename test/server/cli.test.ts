/**
 * The server's command line: `rastro serve` bootstraps a new database and stops cleanly, `rastro user add`
 * creates the first admin offline, `rastro audit verify` passes an intact trail and names the entry that was
 * tampered with.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const PASSWORD = 'a long enough password';

function rastro(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

async function serve(db: string): Promise<{ url: string; out: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', '0', '--no-demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 30_000);
    const check = () => {
      const m = /serving (http:\/\/[^\s]+)/.exec(out);
      if (m && out.includes('rastro: ready')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return {
    url,
    out: () => out,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

describe('rastro serve, user add, audit verify', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rastro-serve-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a new database prints a one-time admin token that works; the server stops on SIGTERM', async () => {
    const db = join(dir, 'a.duckdb');
    const s = await serve(db);
    try {
      const token = /(rst_[A-Za-z0-9]+_[A-Za-z0-9_-]+)/.exec(s.out())?.[1];
      assert.ok(token, s.out());
      assert.equal((await fetch(`${s.url}/health`)).status, 200);
      const doc = (await (await fetch(`${s.url}/api/openapi.json`)).json()) as { openapi: string };
      assert.equal(doc.openapi, '3.0.3');
      const me = await fetch(`${s.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(((await me.json()) as { role: string }).role, 'admin');
    } finally {
      assert.equal(await s.stop(), 0);
    }
    // Started again: no new token.
    const again = await serve(db);
    const out = again.out();
    assert.equal(await again.stop(), 0);
    assert.ok(!/rst_/.test(out));
  });

  test('user add creates the operator agency and its admin offline; the admin signs in', async () => {
    const db = join(dir, 'b.duckdb');
    const r = rastro(['user', 'add', 'ana', '--tenant', 'fiu', '--role', 'admin', '--db', db, '--json'], { RASTRO_PASSWORD: PASSWORD });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).tenantCreated, true);
    const short = rastro(['user', 'add', 'bob', '--tenant', 'fiu', '--db', db], { RASTRO_PASSWORD: 'short' });
    assert.equal(short.status, 2);
    const taken = rastro(['user', 'add', 'ana', '--tenant', 'fiu', '--db', db], { RASTRO_PASSWORD: PASSWORD });
    assert.equal(taken.status, 2);
    assert.match(taken.stderr, /taken/);
    const s = await serve(db);
    try {
      assert.ok(!/rst_/.test(s.out()), 'an existing agency: no bootstrap token');
      const login = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password: PASSWORD }) });
      assert.equal(login.status, 200);
      const body = (await login.json()) as { tenant: { operator: boolean } };
      assert.equal(body.tenant.operator, true);
    } finally {
      await s.stop();
    }
  });

  test('audit verify passes an intact trail and names the entry altered behind its back', async () => {
    const db = join(dir, 'b.duckdb');
    const ok = rastro(['audit', 'verify', '--db', db]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /intact: \d+ entries/);
    const instance = await DuckDBInstance.create(db);
    const conn = await instance.connect();
    await conn.run(`UPDATE audit_log SET detail = '{"username":"mallory"}' WHERE seq = 2`);
    conn.closeSync();
    instance.closeSync();
    const broken = rastro(['audit', 'verify', '--db', db, '--json']);
    assert.equal(broken.status, 3);
    const verdict = JSON.parse(broken.stdout) as { ok: boolean; broken: { seq: number; reason: string } };
    assert.equal(verdict.ok, false);
    assert.equal(verdict.broken.seq, 2);
    assert.match(verdict.broken.reason, /altered/);
  });
});
