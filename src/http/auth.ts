import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.js';
import { findSessionParticipant } from '../modules/auth/index.js';
import { safeEqual } from '../shared/crypto.js';
import { AppError } from './errors.js';

export type Principal = { kind: 'participant'; participantId: string } | { kind: 'staff' };
export type AuthEnv = { Variables: { principal: Principal } };

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(c: Context): string | null {
  const h = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m?.[1] ?? null;
}

/** Resolves the caller: the configured staff key (minimal staff auth for now) or a participant session. */
export async function resolvePrincipal(deps: Deps, c: Context): Promise<Principal | null> {
  const token = bearerToken(c) ?? c.req.header('x-api-key') ?? null;
  if (!token) {
    return null;
  }
  if (safeEqual(token, deps.config.staffApiKey)) {
    return { kind: 'staff' };
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

export function requireStaff(deps: Deps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c);
    if (!principal) {
      throw new AppError('unauthorized');
    }
    if (principal.kind !== 'staff') {
      throw new AppError('forbidden');
    }
    c.set('principal', principal);
    await next();
  };
}

export function participantIdOf(c: Context<AuthEnv>): string {
  const p = c.get('principal');
  if (p.kind !== 'participant') {
    throw new AppError('forbidden');
  }
  return p.participantId;
}
