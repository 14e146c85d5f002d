import { deleteCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../deps.js';
import { sessionParticipant } from '../modules/auth/index.js';
import { sessionChoices } from '../modules/membership/index.js';
import type { PortalContext, PortalDeps } from './context.js';
import { COOKIE } from './cookies.js';

/**
 * The member area's session, one definition for every page behind the login (member, wallet, auto-debit): the
 * session cookie's attributes, the signed-in participant (null without a cookie, or for an unknown or expired
 * session), what a page loads for them, the redirect to the login page (dropping a dead session cookie), and setting
 * or dropping the session cookie when a session starts, switches or ends.
 */
export function memberSession(p: PortalDeps) {
  const { deps } = p;
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: p.secureCookies };

  async function signedIn(c: PortalContext): Promise<string | null> {
    const token = c.get('sessionToken');
    return token ? sessionParticipant(deps, token) : null;
  }

  /** What `load` finds for the signed-in participant: null without a live session, or when it finds nothing. */
  async function loadSignedIn<T>(c: PortalContext, load: (deps: Deps, participantId: string) => Promise<T | null>): Promise<T | null> {
    const participantId = await signedIn(c);
    return participantId ? load(deps, participantId) : null;
  }

  function toSignIn(c: PortalContext) {
    if (c.get('sessionToken') !== undefined) {
      dropSessionCookie(c);
    }
    return c.redirect('/masuk', 303);
  }

  /** Sets the session cookie for a token the sign-in (or a switch) issued. */
  function startSession(c: PortalContext, session: { token: string; expiresAt: Date }) {
    const maxAge = Math.max(1, Math.floor((session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000));
    setCookie(c, COOKIE.session, session.token, { ...cookieBase, maxAge });
  }

  /** Drops the session cookie (sign-out, or an ended session found on the sign-in page). */
  function dropSessionCookie(c: PortalContext) {
    deleteCookie(c, COOKIE.session, cookieBase);
  }

  /** The session's token and whom it may open (null without a live session). */
  async function sessionWithChoices(c: PortalContext) {
    const token = c.get('sessionToken');
    const choices = token ? await sessionChoices(deps, token) : null;
    return token && choices ? { token, choices } : null;
  }

  return { cookieBase, signedIn, loadSignedIn, toSignIn, startSession, dropSessionCookie, sessionWithChoices };
}

export type MemberSession = ReturnType<typeof memberSession>;
