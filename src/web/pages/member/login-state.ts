import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { OTP_POLICY } from '../../../modules/auth/index.js';
import type { PortalContext, PortalDeps } from '../../context.js';
import { COOKIE } from '../../cookies.js';
import { memberSession } from '../../member-session.js';

/** The phone being signed in with, between the phone form and the code form: sealed, on /masuk only, ~10 minutes. */
const LOGIN_PURPOSE = 'login-phone';
const LOGIN_TTL_MS = 10 * 60_000;

export interface LoginState {
  /** E.164, as normalizePhone gives it. */
  phone: string;
  /** When this browser last had a code sent (ms), for the resend cooldown shown on the page. */
  sentAt: number;
  /** Wrong codes this browser has entered for the current code. */
  wrong: number;
  locked: boolean;
  /** Locked for the rest of the day (10 wrong codes today for this phone), not only this code. */
  lockedToday?: boolean;
  /**
   * The e-mail typed on /masuk instead of a phone (a registration's resume code goes there); `phone` is then the
   * registration's phone, or '' when the address has none (the pages answer alike: no account enumeration).
   */
  email?: string;
  /** The code continues an unfinished registration of this phone (no member has it), not a member's sign-in. */
  resume?: true;
}

/** The sign-in state of this browser (the phone form, the code form and the resend share it). */
export function loginState(p: PortalDeps) {
  const { deps } = p;
  const loginCookie = { ...memberSession(p).cookieBase, path: '/masuk' };

  function readLogin(c: PortalContext): LoginState | null {
    return p.crypto.unseal<LoginState>(LOGIN_PURPOSE, getCookie(c, COOKIE.login), deps.clock.now());
  }

  function writeLogin(c: PortalContext, state: LoginState) {
    const now = deps.clock.now();
    setCookie(c, COOKIE.login, p.crypto.seal(LOGIN_PURPOSE, state, new Date(now.getTime() + LOGIN_TTL_MS)), { ...loginCookie, maxAge: LOGIN_TTL_MS / 1000 });
  }

  /** Forgets the phone being signed in with (once signed in). */
  function clearLogin(c: PortalContext) {
    deleteCookie(c, COOKIE.login, loginCookie);
  }

  /** Seconds until this browser may ask for a new code (the use case enforces the same cooldown on its side). */
  function cooldownLeft(state: LoginState): number {
    return Math.max(0, Math.ceil((state.sentAt + OTP_POLICY.resendCooldownMs - deps.clock.now().getTime()) / 1000));
  }

  return { readLogin, writeLogin, clearLogin, cooldownLeft };
}
