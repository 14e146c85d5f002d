import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.js';
import { staffActor } from '../modules/audit/index.js';
import { findSessionParticipant } from '../modules/auth/index.js';
import { findStaffSession, mayCall, STAFF_ROLES, type StaffRole } from '../modules/staff/index.js';
import { safeEqual } from '../shared/crypto.js';
import { AppError } from './errors.js';

/**
 * Who is calling. A staff principal is a staff account's session (actor: its username) or the configured
 * STAFF_API_KEY (the bootstrap/ops key: every role, actor `staff-key:…`; issue 16's console retires it).
 */
export type Principal =
  | { kind: 'participant'; participantId: string }
  | { kind: 'staff'; actor: string; roles: readonly StaffRole[] }
  /** A partner's OAuth2 bearer token (`ptn_…`, src/modules/partners): never a staff or participant token, nor the reverse. */
  | { kind: 'partner'; partnerId: string; clientId: string; scopes: readonly string[] };
export type AuthEnv = { Variables: { principal: Principal } };

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(c: Context): string | null {
  const h = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m?.[1] ?? null;
}

/** Resolves the caller: the configured staff key, a staff session (`stf_…` tokens) or a participant session. */
export async function resolvePrincipal(deps: Deps, c: Context): Promise<Principal | null> {
  const token = bearerToken(c) ?? c.req.header('x-api-key') ?? null;
  if (!token) {
    return null;
  }
  if (token.startsWith('ptn_')) {
    const partner = (await deps.partners?.principalOf(deps.db, token, deps.clock.now())) ?? null;
    return partner ? { kind: 'partner', ...partner } : null;
  }
  if (safeEqual(token, deps.config.staffApiKey)) {
    return { kind: 'staff', actor: staffActor(deps.config.staffApiKey), roles: STAFF_ROLES };
  }
  const staff = await findStaffSession(deps.db, token, deps.clock.now());
  if (staff) {
    return { kind: 'staff', actor: staff.username, roles: staff.roles };
  }
  const participantId = await findSessionParticipant(deps.db, token, deps.clock.now());
  return participantId ? { kind: 'participant', participantId } : null;
}

export function requireParticipant(deps: Deps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c);
    if (!principal || principal.kind !== 'participant') {
      throw new AppError('unauthorized');
    }
    c.set('principal', principal);
    await next();
  };
}

/**
 * The one guard of every staff route: 401 without a credential, 403 for a participant token or a staff member whose
 * roles the policy table (src/modules/staff/policy.ts) does not allow for this method and path. The staff key holds
 * every role.
 */
export function requireStaff(deps: Deps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c);
    if (!principal) {
      throw new AppError('unauthorized');
    }
    if (principal.kind !== 'staff' || !mayCall(principal.roles, c.req.method, c.req.path)) {
      throw new AppError('forbidden');
    }
    c.set('principal', principal);
    await next();
  };
}

/**
 * The guard of the partner API: 401 without a valid partner token (a staff or participant token is no partner token),
 * 403 `forbidden` when the token lacks `scope`.
 */
export function requirePartner(deps: Deps, scope: string): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c);
    if (!principal || principal.kind !== 'partner') {
      throw new AppError('unauthorized');
    }
    if (!principal.scopes.includes(scope)) {
      throw new AppError('forbidden');
    }
    c.set('principal', principal);
    await next();
  };
}

/** requireStaff, except that a partner token holding `scope` passes too (the handler then limits what it sees). */
export function requireStaffOrPartner(deps: Deps, scope: string): MiddlewareHandler<AuthEnv> {
  const staff = requireStaff(deps);
  return async (c, next) => {
    const token = bearerToken(c);
    if (token?.startsWith('ptn_')) {
      const principal = await resolvePrincipal(deps, c);
      if (!principal) {
        throw new AppError('unauthorized');
      }
      if (principal.kind !== 'partner' || !principal.scopes.includes(scope)) {
        throw new AppError('forbidden');
      }
      c.set('principal', principal);
      return next();
    }
    return staff(c, next);
  };
}

/** The partner of a partner request. */
export function partnerIdOf(c: Context<AuthEnv>): string {
  const p = c.get('principal');
  if (p.kind !== 'partner') {
    throw new AppError('forbidden');
  }
  return p.partnerId;
}

export function participantIdOf(c: Context<AuthEnv>): string {
  const p = c.get('principal');
  if (p.kind !== 'participant') {
    throw new AppError('forbidden');
  }
  return p.participantId;
}

/** The actor of a staff request (its username, or the staff key's id), for the audit. */
export function staffActorOf(c: Context<AuthEnv>): string {
  const p = c.get('principal');
  if (p.kind !== 'staff') {
    throw new AppError('forbidden');
  }
  return p.actor;
}
