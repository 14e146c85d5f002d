import { deleteCookie } from 'hono/cookie';
import { findSessionParticipant } from '../modules/auth/index.js';
import type { PortalContext, PortalDeps } from './context.js';
import { COOKIE } from './cookies.js';

/**
 * The member area's session, one definition for every page behind the login (member, wallet, auto-debit): the
 * session cookie's attributes, the signed-in participant (null without a cookie, or for an unknown or expired
 * session) and the redirect to the login page (dropping a dead session cookie).
 */
export function memberSession(p: PortalDeps) {
  const { deps } = p;
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: p.secureCookies };

  async function signedIn(c: PortalContext): Promise<string | null> {
    const token = c.get('sessionToken');
    return token ? findSessionParticipant(deps.db, token, deps.clock.now()) : null;
  }

  function toSignIn(c: PortalContext) {
    if (c.get('sessionToken') !== undefined) {
      deleteCookie(c, COOKIE.session, cookieBase);
    }
    return c.redirect('/masuk', 303);
  }

  return { cookieBase, signedIn, toSignIn };
}
