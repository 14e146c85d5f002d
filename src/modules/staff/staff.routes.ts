import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { bearerToken, requireStaff } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp, UNAUTHORIZED } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZError } from '../../http/schemas.js';
import { formatInstantWib } from '../../shared/month.js';
import { auditEventsOf } from '../audit/index.js';
import { STAFF_ROLES } from './roles.js';
import { signInStaff, signOutStaff, STAFF_SESSION_HOURS } from './sessions.js';

const TAGS = ['Staf (staff)'];

const signInRoute = createRoute({
  method: 'post',
  path: '/staff/sessions',
  tags: TAGS,
  summary: 'Staff sign-in: username, password and (in production, or when the account has one) the TOTP code',
  description: `The token opens staff endpoints as \`Authorization: Bearer …\` for ${STAFF_SESSION_HOURS} hours. One answer (401 invalid_credentials) for an unknown username, a wrong password or a wrong code; 5 failures in 15 minutes lock the account for 15 minutes (429 too_many_attempts, audited).`,
  request: {
    body: jsonBody(
      z.object({
        username: z.string().min(1).max(64),
        password: z.string().min(1).max(200),
        totp: z.string().regex(/^\d{6}$/).optional().openapi({ description: 'The authenticator code (RFC 6238); required in production' }),
      }),
    ),
  },
  responses: {
    200: jsonResponse(
      z.object({ token: z.string(), roles: z.array(z.enum(STAFF_ROLES)), expiresAt: z.string().openapi({ example: '2026-12-07T18:00:00+07:00' }) }).openapi('StaffSession'),
      'Signed in',
    ),
    400: jsonResponse(ZError, 'invalid_request'),
    401: jsonResponse(ZError, 'invalid_credentials'),
    429: jsonResponse(ZError, 'too_many_attempts (the account is locked for 15 minutes)'),
  },
});

const signOutRoute = createRoute({
  method: 'delete',
  path: '/staff/sessions/current',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'Staff sign-out: the session token stops working at once',
  responses: { 204: { description: 'Signed out' }, ...UNAUTHORIZED, 403: jsonResponse(ZError, 'forbidden') },
});

const auditRoute = createRoute({
  method: 'get',
  path: '/staff/audit',
  tags: TAGS,
  security: BEARER_AUTH,
  summary: 'The audit trail of one entity, oldest first (supervisor, admin)',
  request: { query: z.object({ entity: z.string().regex(/^[a-z_-]+:\S+$/).max(200).openapi({ example: 'staff-account:siti' }) }) },
  responses: {
    200: jsonResponse(
      z
        .object({ events: z.array(z.object({ at: z.string(), actor: z.string(), action: z.string(), entity: z.string(), reason: z.string().optional() })) })
        .openapi('StaffAuditTrail'),
      'Audit events',
    ),
    400: jsonResponse(ZError, 'invalid_request'),
    ...UNAUTHORIZED,
    403: jsonResponse(ZError, 'forbidden'),
  },
});

/** Staff sessions (sign-in is open; sign-out and the audit go through the staff policy) and the audit trail. */
export function staffSessionRoutes(deps: Deps) {
  return guardedApp(requireStaff(deps), ['/staff/sessions/current', '/staff/audit'])
    .openapi(signInRoute, async (c) => {
      const body = c.req.valid('json');
      const result = await signInStaff(deps.db, { ...body, totpRequired: !deps.config.isDevelopment }, deps.clock.now());
      if (!result.ok) {
        const locked = result.code === 'too_many_attempts';
        throw new AppError(result.code, undefined, locked ? 'staff account locked for 15 minutes' : undefined, locked ? 'staff_account_locked' : undefined);
      }
      return c.json({ token: result.token, roles: result.roles, expiresAt: formatInstantWib(result.expiresAt) }, 200);
    })
    .openapi(signOutRoute, async (c) => {
      await signOutStaff(deps.db, bearerToken(c) ?? '');
      return c.body(null, 204);
    })
    .openapi(auditRoute, async (c) => {
      const events = await auditEventsOf(deps.db, c.req.valid('query').entity);
      return c.json({ events: events.map((e) => ({ at: formatInstantWib(e.at), actor: e.actor, action: e.action, entity: e.entity, ...(e.reason ? { reason: e.reason } : {}) })) }, 200);
    });
}
