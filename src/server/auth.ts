/**
 * Authentication: passwords hashed with scrypt (memory-hard), API tokens `rst_<id>_<secret>` kept as
 * SHA-256 of the secret (they are long random values: a fast hash is enough and lets every request be
 * checked), and sessions as HttpOnly, Secure, SameSite=Strict cookies whose value is stored only hashed.
 * A cookie-authenticated request that changes anything must echo the session's CSRF token in a header.
 *
 * Limits: resolved tokens and sessions are cached for CACHE_TTL_MS (revocation and disabling take effect
 * within that time in other processes, at once in this one), at most CACHE_MAX entries; failed logins
 * lock a username out for LOCKOUT_MS after MAX_FAILED_LOGINS.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Role, Viewer } from '../model/index.js';
import type { InvestigationStore, UserRecord } from '../store/index.js';

const SCRYPT = { N: 1 << 15, r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 };
export const SESSION_COOKIE = 'rastro_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 3_600_000;
const CACHE_TTL_MS = 10_000;
const CACHE_MAX = 10_000;
const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MS = 60_000;
const FAILED_LOGINS_MAX_NAMES = 10_000;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url), so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT.maxmem });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await scryptAsync(password, Buffer.from(parts[4]!, 'base64url'), expected.length, { N, r, p, maxmem: SCRYPT.maxmem });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A new API token: the full value (shown once) and what is stored. */
export function newApiToken(): { id: string; value: string; secretHash: string } {
  const id = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');
  const secret = randomToken();
  return { id, value: `rst_${id}_${secret}`, secretHash: sha256Hex(secret) };
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name) out[name] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function sessionCookie(value: string, maxAgeS: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

export interface Principal {
  viewer: Viewer;
  via: 'token' | 'session';
  /** Session CSRF token (cookie sessions only). */
  csrf?: string;
  sessionHash?: string;
  user?: UserRecord;
}

interface Cached {
  principal: Omit<Principal, 'viewer'> & { viewer: Omit<Viewer, 'ip'> };
  untilMs: number;
}

export class Authenticator {
  private readonly cache = new Map<string, Cached>();
  private readonly failures = new Map<string, { count: number; untilMs: number }>();

  constructor(
    private readonly store: InvestigationStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Who sends this request: a Bearer token, or a session cookie; undefined when neither is valid. */
  async authenticate(authorization: string | undefined, cookieHeader: string | undefined, ip: string): Promise<Principal | undefined> {
    const now = this.clock();
    let key: string | undefined;
    let resolve: () => Promise<Cached['principal'] | undefined>;
    if (authorization !== undefined) {
      const m = /^Bearer\s+(rst_([A-Za-z0-9]+)_([A-Za-z0-9_-]+))$/.exec(authorization.trim());
      if (!m) return undefined;
      key = `t:${sha256Hex(m[1]!)}`;
      const [, , id, secret] = m;
      resolve = async () => {
        const t = await this.store.token(id!);
        if (!t || t.revokedMs !== undefined || (t.expiresMs !== undefined && t.expiresMs <= now)) return undefined;
        const given = Buffer.from(sha256Hex(secret!), 'hex');
        if (!timingSafeEqual(given, Buffer.from(t.secretHash, 'hex'))) return undefined;
        return { viewer: { tenantId: t.tenantId, userId: `token:${t.id}`, role: t.role }, via: 'token' };
      };
    } else {
      const value = parseCookies(cookieHeader)[SESSION_COOKIE];
      if (!value) return undefined;
      const idHash = sha256Hex(value);
      key = `s:${idHash}`;
      resolve = async () => {
        const found = await this.store.session(idHash, now);
        if (!found || found.user.disabled) return undefined;
        const u = found.user;
        return { viewer: { tenantId: u.tenantId, userId: u.id, role: u.role }, via: 'session', csrf: found.session.csrf, sessionHash: idHash, user: u };
      };
    }
    const hit = this.cache.get(key);
    let principal = hit && hit.untilMs > now ? hit.principal : undefined;
    if (!principal) {
      principal = await resolve();
      if (!principal) {
        this.cache.delete(key);
        return undefined;
      }
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(key, { principal, untilMs: now + CACHE_TTL_MS });
    }
    return { ...principal, viewer: { ...principal.viewer, ip } };
  }

  /** Forget cached credentials (after a revocation, a logout, a role change). */
  invalidate(): void {
    this.cache.clear();
  }

  /** Check a username and password; undefined on any failure (same answer for unknown user and wrong password). */
  async login(username: string, password: string): Promise<UserRecord | undefined> {
    const now = this.clock();
    const f = this.failures.get(username);
    if (f && f.count >= MAX_FAILED_LOGINS && f.untilMs > now) return undefined;
    const user = await this.store.userByUsername(username);
    // Hash even for unknown users so timing does not tell which usernames exist.
    const ok = user ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
    if (!ok || !user || user.disabled) {
      if (this.failures.size >= FAILED_LOGINS_MAX_NAMES) this.failures.clear();
      const count = (f && f.untilMs > now ? f.count : 0) + 1;
      this.failures.set(username, { count, untilMs: now + LOCKOUT_MS });
      return undefined;
    }
    this.failures.delete(username);
    return user;
  }
}

export function isPersonRole(role: Role): boolean {
  return role !== 'system';
}
