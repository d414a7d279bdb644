/**
 * Signing in and out, the agency's own settings, its people, its API tokens, its sharing agreements, and
 * (for the operator agency's admins) the agencies themselves.
 */
import { z } from 'zod';
import { MAX_SHAREABLE_TLP, tlpRank, type Viewer } from '../../model/index.js';
import { parseIso } from '../../model/time.js';
import { parseSettings, ReportingSettings } from '../../report/config.js';
import type { AuditDraft } from '../../store/index.js';
import type { AppContext } from '../app.js';
import { hashPassword, newApiToken, randomToken, sessionCookie, sha256Hex, SESSION_TTL_MS } from '../auth.js';
import { conflict, forbidden, invalid, notFound, unauthenticated } from '../errors.js';
import { newId } from '../ids.js';
import { route, type AnyRoute } from '../route.js';
import {
  AgreementCreate,
  ApiAgreement,
  ApiTenant,
  ApiToken,
  ApiUser,
  apiAgreement,
  apiTenant,
  apiToken,
  apiUser,
  IdParam,
  LoginBody,
  Me,
  Ok,
  page,
  pageOf,
  PageQuery,
  TenantCreate,
  TokenCreate,
  TokenCreated,
  UserCreate,
  UserPatch,
} from '../schemas.js';

function audit(v: Viewer, atMs: number, action: string, objectKind: string, objectId: string, detail: object = {}, objectTenant = v.tenantId): AuditDraft {
  return { atMs, actorTenant: v.tenantId, actor: v.userId, action, objectKind, objectId, objectTenant, ip: v.ip ?? '', detail: JSON.stringify(detail) };
}

function isUniqueViolation(err: unknown): boolean {
  const text = `${(err as Error).message ?? ''} ${(err as { cause?: Error }).cause?.message ?? ''}`;
  return /unique|duplicate key|constraint/i.test(text);
}

export function accessRoutes(ctx: AppContext): AnyRoute[] {
  const inv = ctx.store.investigation;

  async function operatorOnly(v: Viewer): Promise<void> {
    const t = await inv.tenant(v.tenantId);
    if (!t?.operator) throw forbidden('only admins of the operator agency manage agencies');
  }

  return [
    route({
      method: 'POST',
      url: '/api/auth/login',
      summary: 'Sign in with username and password: sets the session cookie, answers the CSRF token',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      errors: [401],
      response: Me,
      handler: async ({ body, req, reply }) => {
        const user = await ctx.auth.login(body.username, body.password);
        const now = ctx.clock();
        if (!user) {
          await inv.appendAudit([
            { atMs: now, actorTenant: '', actor: `login:${body.username.slice(0, 100)}`, action: 'auth.login-failed', objectKind: 'user', objectId: '', objectTenant: '', ip: req.ip, detail: '{}' },
          ]);
          throw unauthenticated('wrong username or password, or the account is locked for a minute after repeated failures');
        }
        const value = randomToken();
        const csrf = randomToken(18);
        const v: Viewer = { tenantId: user.tenantId, userId: user.id, role: user.role, ip: req.ip };
        await inv.createSession({ idHash: sha256Hex(value), userId: user.id, csrf, createdMs: now, expiresMs: now + SESSION_TTL_MS }, audit(v, now, 'auth.login', 'user', user.id));
        reply.header('set-cookie', sessionCookie(value, SESSION_TTL_MS / 1000, ctx.secureCookies));
        const tenant = (await inv.tenant(user.tenantId))!;
        return { user: apiUser(user), tenant: apiTenant(tenant), role: user.role, actor: user.id, csrfToken: csrf };
      },
    }),
    route({
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'End the session',
      tag: 'auth',
      access: 'authenticated',
      response: Ok,
      handler: async ({ principal, viewer, reply }) => {
        if (principal?.sessionHash) await inv.deleteSession(principal.sessionHash, audit(viewer, ctx.clock(), 'auth.logout', 'user', viewer.userId));
        ctx.auth.invalidate();
        reply.header('set-cookie', sessionCookie('', 0, ctx.secureCookies));
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET',
      url: '/api/auth/me',
      summary: 'Who is signed in, for which agency, with which role',
      tag: 'auth',
      access: 'authenticated',
      response: Me,
      handler: async ({ principal, viewer }) => {
        const tenant = await inv.tenant(viewer.tenantId);
        if (!tenant) throw notFound('tenant');
        return {
          ...(principal?.user ? { user: apiUser(principal.user) } : {}),
          tenant: apiTenant(tenant),
          role: viewer.role,
          actor: viewer.userId,
          ...(principal?.csrf ? { csrfToken: principal.csrf } : {}),
        };
      },
    }),

    // ---- the agency's settings ----
    route({
      method: 'GET',
      url: '/api/tenant/reporting',
      summary: 'The agency’s reporting settings: reporting entity, filer, and the FIU code lists',
      tag: 'agency',
      access: 'tenant:read',
      response: ReportingSettings,
      handler: async ({ viewer }) => {
        const t = (await inv.tenant(viewer.tenantId))!;
        return parseSettings(t.settings, t.name);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/tenant/reporting',
      summary: 'Replace the reporting settings (code lists are per FIU)',
      tag: 'agency',
      access: 'tenant:configure',
      body: ReportingSettings,
      response: ReportingSettings,
      handler: async ({ viewer, body }) => {
        await inv.updateTenantSettings(viewer, JSON.stringify(body), ctx.clock());
        return body;
      },
    }),

    // ---- agencies (operator admins) ----
    route({
      method: 'GET',
      url: '/api/tenants',
      summary: 'All agencies (operator admins)',
      tag: 'agency',
      access: 'tenants:manage',
      query: PageQuery,
      response: pageOf(ApiTenant),
      handler: async ({ viewer, query }) => {
        await operatorOnly(viewer);
        return page((await inv.tenants({ limit: query.limit + 1, offset: query.offset })).map(apiTenant), query);
      },
    }),
    route({
      method: 'POST',
      url: '/api/tenants',
      summary: 'Create an agency with its first admin (operator admins)',
      tag: 'agency',
      access: 'tenants:manage',
      body: TenantCreate,
      status: 201,
      errors: [409],
      response: z.object({ tenant: ApiTenant, admin: ApiUser }),
      handler: async ({ viewer, body }) => {
        await operatorOnly(viewer);
        if (await inv.tenant(body.id)) throw conflict(`agency ${body.id} exists`);
        if (await inv.userByUsername(body.admin.username)) throw conflict(`username ${body.admin.username} is taken`);
        const now = ctx.clock();
        const tenant = { id: body.id, name: body.name, operator: false, settings: '{}', createdMs: now };
        await inv.createTenant(tenant, audit(viewer, now, 'tenant.create', 'tenant', body.id, { name: body.name }, body.id));
        const admin = {
          id: newId('u'),
          tenantId: body.id,
          username: body.admin.username,
          displayName: body.admin.displayName ?? body.admin.username,
          role: 'admin' as const,
          passwordHash: await hashPassword(body.admin.password),
          disabled: false,
          createdMs: now,
        };
        await inv.createUser(admin, audit(viewer, now, 'user.create', 'user', admin.id, { username: admin.username, role: 'admin' }, body.id));
        return { tenant: apiTenant(tenant), admin: apiUser(admin) };
      },
    }),

    // ---- people ----
    route({
      method: 'GET',
      url: '/api/users',
      summary: 'The agency’s people',
      tag: 'agency',
      access: 'users:manage',
      query: PageQuery,
      response: pageOf(ApiUser),
      handler: async ({ viewer, query }) => page((await inv.users(viewer, { limit: query.limit + 1, offset: query.offset })).map(apiUser), query),
    }),
    route({
      method: 'POST',
      url: '/api/users',
      summary: 'Add a person to the agency',
      tag: 'agency',
      access: 'users:manage',
      body: UserCreate,
      status: 201,
      errors: [409],
      response: ApiUser,
      handler: async ({ viewer, body }) => {
        const now = ctx.clock();
        const user = {
          id: newId('u'),
          tenantId: viewer.tenantId,
          username: body.username,
          displayName: body.displayName ?? body.username,
          role: body.role,
          passwordHash: await hashPassword(body.password),
          disabled: false,
          createdMs: now,
        };
        try {
          await inv.createUser(user, audit(viewer, now, 'user.create', 'user', user.id, { username: user.username, role: user.role }));
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict(`username ${body.username} is taken`);
          throw err;
        }
        return apiUser(user);
      },
    }),
    route({
      method: 'PATCH',
      url: '/api/users/:id',
      summary: 'Change a person’s role, name or password, or disable them (ends their sessions)',
      tag: 'agency',
      access: 'users:manage',
      params: IdParam,
      body: UserPatch,
      errors: [404],
      response: ApiUser,
      handler: async ({ viewer, params, body }) => {
        if (params.id === viewer.userId && (body.role !== undefined || body.disabled === true)) throw invalid('admins cannot demote or disable themselves');
        const patch: Parameters<typeof inv.updateUser>[2] = {};
        if (body.role !== undefined) patch.role = body.role;
        if (body.disabled !== undefined) patch.disabled = body.disabled;
        if (body.displayName !== undefined) patch.displayName = body.displayName;
        if (body.password !== undefined) patch.passwordHash = await hashPassword(body.password);
        const user = await inv.updateUser(viewer, params.id, patch, ctx.clock());
        if (!user) throw notFound('user');
        ctx.auth.invalidate();
        return apiUser(user);
      },
    }),

    // ---- API tokens ----
    route({
      method: 'GET',
      url: '/api/tokens',
      summary: 'The agency’s API tokens (never their secrets)',
      tag: 'agency',
      access: 'tokens:manage',
      response: z.object({ items: z.array(ApiToken) }),
      handler: async ({ viewer }) => ({ items: (await inv.tokens(viewer)).map(apiToken) }),
    }),
    route({
      method: 'POST',
      url: '/api/tokens',
      summary: 'Create an API token for a system; the secret is shown once',
      tag: 'agency',
      access: 'tokens:manage',
      body: TokenCreate,
      status: 201,
      response: TokenCreated,
      handler: async ({ viewer, body }) => {
        const now = ctx.clock();
        const { id, value, secretHash } = newApiToken();
        const record = { id, tenantId: viewer.tenantId, name: body.name, role: body.role, secretHash, createdBy: viewer.userId, createdMs: now, ...(body.expires ? { expiresMs: parseIso(body.expires) } : {}) };
        await inv.createToken(record, audit(viewer, now, 'token.create', 'token', id, { name: body.name, role: body.role }));
        return { token: apiToken(record), value };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/tokens/:id',
      summary: 'Revoke an API token',
      tag: 'agency',
      access: 'tokens:manage',
      params: IdParam,
      errors: [404],
      response: Ok,
      handler: async ({ viewer, params }) => {
        if (!(await inv.revokeToken(viewer, params.id, ctx.clock()))) throw notFound('token');
        ctx.auth.invalidate();
        return { ok: true as const };
      },
    }),

    // ---- sharing agreements ----
    route({
      method: 'GET',
      url: '/api/sharing',
      summary: 'Sharing agreements this agency gave or received',
      tag: 'sharing',
      access: 'sharing:read',
      response: z.object({ items: z.array(ApiAgreement) }),
      handler: async ({ viewer }) => ({ items: (await inv.agreements(viewer)).map(apiAgreement) }),
    }),
    route({
      method: 'POST',
      url: '/api/sharing',
      summary: 'Share this agency’s records up to a TLP marking with a partner agency (RED is never shared)',
      tag: 'sharing',
      access: 'sharing:manage',
      body: AgreementCreate,
      status: 201,
      errors: [404],
      response: ApiAgreement,
      handler: async ({ viewer, body }) => {
        if (tlpRank(body.maxTlp) > tlpRank(MAX_SHAREABLE_TLP)) throw invalid(`TLP ${body.maxTlp} is never shared across agencies`, [{ path: 'body.maxTlp', message: `at most ${MAX_SHAREABLE_TLP}` }]);
        if (body.partnerTenant === viewer.tenantId) throw invalid('an agency does not share with itself');
        if (!(await inv.tenant(body.partnerTenant))) throw notFound('partner agency');
        const now = ctx.clock();
        const a = {
          id: newId('share'),
          ownerTenant: viewer.tenantId,
          partnerTenant: body.partnerTenant,
          maxTlp: body.maxTlp,
          purpose: body.purpose,
          createdBy: viewer.userId,
          createdMs: now,
          ...(body.expires ? { expiresMs: parseIso(body.expires) } : {}),
        };
        await inv.createAgreement(a, audit(viewer, now, 'sharing.create', 'agreement', a.id, { partner: a.partnerTenant, maxTlp: a.maxTlp, purpose: a.purpose }));
        return apiAgreement(a);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/sharing/:id',
      summary: 'Revoke a sharing agreement this agency gave',
      tag: 'sharing',
      access: 'sharing:manage',
      params: IdParam,
      errors: [404],
      response: Ok,
      handler: async ({ viewer, params }) => {
        if (!(await inv.revokeAgreement(viewer, params.id, ctx.clock()))) throw notFound('agreement');
        return { ok: true as const };
      },
    }),
  ];
}


