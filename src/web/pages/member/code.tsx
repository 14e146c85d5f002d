import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { DAILY_LOCK_DETAIL, OTP_POLICY, signOut } from '../../../modules/auth/index.js';
import { requestLoginOtp, verifyLoginOtp } from '../../../modules/membership/index.js';
import { requestResumeOtp, verifyResumeOtp } from '../../../modules/registration/index.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { redirectWithErrors, takeFormFlash } from '../../forms.js';
import { messagesFor } from '../../i18n/messages.js';
import { memberSession, type MemberSession } from '../../member-session.js';
import { withTriesLeft } from '../../components/otp-tries.js';
import { codePage, type CodePageOptions } from './code-page.js';
import { loginState, type LoginState } from './login-state.js';
import { str } from './posted.js';

interface CodeStep {
  p: PortalDeps;
  login: ReturnType<typeof loginState>;
  session: MemberSession;
}

function page(x: CodeStep, c: PortalContext, state: LoginState, opts: CodePageOptions = {}) {
  return codePage(c, x.p, state, x.login.cooldownLeft(state), opts);
}

/** What a refused code or resend shows on the code page after the redirect. */
interface CodeRefusal {
  attemptsLeft: number | null;
  tooSoon: number | null;
}

/**
 * A refused code or resend: Post/Redirect/Get (issue 18 item 2) — 303 to /masuk/kode, which shows the refusal with
 * its status, so Back from it is a GET and never "Confirm Form Resubmission".
 */
function refusedPage(x: CodeStep, c: PortalContext, opts: CodePageOptions & { status: 422 | 429 }) {
  const values: CodeRefusal = { attemptsLeft: opts.attemptsLeft ?? null, tooSoon: opts.tooSoon ?? null };
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.errors ?? {})) if (v !== undefined) errors[k] = v;
  return redirectWithErrors(c, x.p, '/masuk/kode', { values, errors, status: opts.status });
}

/** The code from the SMS: signs in (then the choice of participant, or the account), or counts a wrong code. */
async function postCode(x: CodeStep, c: PortalContext) {
  const { deps } = x.p;
  const { readLogin, writeLogin, clearLogin } = x.login;
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const state = readLogin(c);
  if (!state) {
    return c.redirect('/masuk', 303);
  }
  const form = await c.req.parseBody();
  const code = str(form['code']).replace(/[\s-]/g, '');
  if (!new RegExp(`^\\d{${OTP_POLICY.digits}}$`).test(code)) {
    // A typo in the shape of the code is not an attempt: nothing is checked, nothing is counted.
    return refusedPage(x, c, { errors: { code: m.member.codeFormat }, status: state.locked ? 429 : 422 });
  }
  if (state.resume) {
    const resumed = await verifyResumeOtp(deps, state.phone, code);
    if (resumed.ok) {
      clearLogin(c);
      // The registration's own page sends the person on: the unpaid code, or the step they stopped at.
      return c.redirect(`/daftar/${resumed.value.registrationId}`, 303);
    }
    return refused(x, c, state, resumed.code, resumed.detail);
  }
  const result = await verifyLoginOtp(deps, state.phone, code);
  if (result.ok) {
    const previous = c.get('sessionToken');
    if (previous) {
      await signOut(deps, previous);
    }
    x.session.startSession(c, result.value);
    clearLogin(c);
    return c.redirect(result.value.participants.length > 1 ? '/masuk/pilih' : '/akun', 303);
  }
  return refused(x, c, state, result.code, result.detail);
}

/** A refused code: locked (this code's tries, or the phone's for today), or wrong — saying how many tries are left. */
function refused(x: CodeStep, c: PortalContext, state: LoginState, code: 'invalid_otp' | 'too_many_attempts', detail: string | undefined) {
  const lang = c.get('lang');
  if (code === 'too_many_attempts') {
    const locked = { ...state, locked: true, lockedToday: detail === DAILY_LOCK_DETAIL };
    x.login.writeLogin(c, locked);
    return refusedPage(x, c, { status: 429 });
  }
  // invalid_otp: wrong or expired. The use case counts the attempt; the page counts it too, to say how many are
  // left and to explain the lock as soon as the last attempt is used.
  const wrong = state.wrong + 1;
  const next = { ...state, wrong, locked: wrong >= OTP_POLICY.attemptsMax };
  x.login.writeLogin(c, next);
  if (next.locked) {
    return refusedPage(x, c, { status: 429 });
  }
  const left = OTP_POLICY.attemptsMax - wrong;
  return refusedPage(x, c, { errors: { code: withTriesLeft(errorMessage('invalid_otp', lang), lang, left) }, attemptsLeft: left, status: 422 });
}

/** A new code, once the cooldown has passed (the phone's daily cap keeps the current one). */
async function postResend(x: CodeStep, c: PortalContext) {
  const { deps } = x.p;
  const { readLogin, writeLogin, cooldownLeft } = x.login;
  const state = readLogin(c);
  if (!state) {
    return c.redirect('/masuk', 303);
  }
  const wait = cooldownLeft(state);
  if (wait > 0) {
    return refusedPage(x, c, { tooSoon: wait, status: 429 });
  }
  const sentAt = deps.clock.now().getTime();
  const sent = state.resume ? (await requestResumeOtp(deps, state.email ?? state.phone)).sent : await requestLoginOtp(deps, state.phone);
  // An e-mail's daily cap is not told apart (an unknown address has none): no account enumeration.
  if (sent === 'sms_limit_reached' && state.email === undefined) {
    // No new code: the current one (and its lock, if any) stays.
    writeLogin(c, { ...state, sentAt });
    return c.redirect('/masuk/kode?batas=1', 303);
  }
  const { phone, resume, email } = state;
  writeLogin(c, { phone, sentAt, wrong: 0, locked: false, ...(resume ? { resume } : {}), ...(email === undefined ? {} : { email }) });
  return c.redirect('/masuk/kode?dikirim=1', 303);
}

/** The code page, /masuk/kode: the code from the SMS, and asking for a new one (/masuk/kirim-ulang). */
export function registerCodePage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const x: CodeStep = { p, login: loginState(p), session: memberSession(p) };

  app.get('/masuk/kode', (c) => {
    const state = x.login.readLogin(c);
    if (!state) {
      return c.redirect('/masuk', 303);
    }
    const refused = takeFormFlash<CodeRefusal>(c, p);
    if (refused) {
      const { attemptsLeft, tooSoon } = refused.values;
      const status = refused.status === 429 ? 429 : 422;
      return page(x, c, state, { errors: refused.errors, status, ...(attemptsLeft === null ? {} : { attemptsLeft }), ...(tooSoon === null ? {} : { tooSoon }) });
    }
    return page(x, c, state, { sent: c.req.query('dikirim') === '1', capped: c.req.query('batas') === '1' });
  });
  app.post('/masuk/kode', (c) => postCode(x, c));
  app.post('/masuk/kirim-ulang', (c) => postResend(x, c));
}
