import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { normalizeEmail, normalizePhone } from '../../../modules/identity/index.js';
import { requestLoginOtp } from '../../../modules/membership/index.js';
import { requestResumeOtp } from '../../../modules/registration/index.js';
import { TextField, type FieldErrors } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { nationalPhone, redirectWithErrors, takeFormFlash } from '../../forms.js';
import { memberSession } from '../../member-session.js';
import { loginState } from './login-state.js';
import { str } from './posted.js';
import { stepPage } from './step-page.js';

function phonePage(c: PortalContext, p: PortalDeps, phone: string, errors: FieldErrors, status: 200 | 422 = 200) {
  return stepPage(
    c,
    p,
    'login',
    { errors, status },
    (m) => (
      <TextField
        name="phone"
        label={m.member.phoneOrEmail}
        hint={m.member.phoneOrEmailHint}
        value={phone}
        error={errors['phone']}
        type="text"
        inputmode="text"
        autocomplete="username"
        maxlength={120}
        required
      />
    ),
    (m) => (
      <p>
        {m.member.notRegistered} <a href="/daftar">{m.member.registerLink}</a>
      </p>
    ),
  );
}

/**
 * /masuk with an e-mail: an unfinished registration of that address gets its resume code by e-mail (members sign in
 * by phone: the membership module sends sign-in codes by SMS only). The same redirect and page whether or not the
 * address is known (no account enumeration): an unknown one gets a state whose code never matches.
 */
async function postEmail(c: PortalContext, p: PortalDeps, raw: string) {
  const { readLogin, writeLogin, cooldownLeft } = loginState(p);
  const email = normalizeEmail(raw);
  if (!email.ok) {
    return redirectWithErrors(c, p, '/masuk', { values: { phone: raw }, errors: { phone: errorMessage('invalid_email', c.get('lang')) }, status: 422 });
  }
  const previous = readLogin(c);
  if (!(previous && previous.email === email.value && cooldownLeft(previous) > 0)) {
    const resume = await requestResumeOtp(p.deps, email.value);
    const phone = resume.sent === 'none' ? '' : resume.phone;
    writeLogin(c, { phone, email: email.value, sentAt: p.deps.clock.now().getTime(), wrong: 0, locked: false, resume: true });
  }
  return c.redirect('/masuk/kode', 303);
}

/** The sign-in page, /masuk: one field, a phone (the login or resume code by SMS) or an e-mail (postEmail). */
export function registerLoginPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { signedIn, dropSessionCookie } = memberSession(p);
  const { readLogin, writeLogin, cooldownLeft } = loginState(p);

  app.get('/masuk', async (c) => {
    if (await signedIn(c)) {
      return c.redirect('/akun', 303);
    }
    if (c.get('sessionToken') !== undefined) {
      // An ended or expired session: forget its cookie, and show the page as signed out.
      dropSessionCookie(c);
      c.set('sessionToken', undefined);
    }
    const refused = takeFormFlash<{ phone: string }>(c, p);
    if (refused) {
      return phonePage(c, p, refused.values.phone, refused.errors, 422);
    }
    const state = readLogin(c);
    return phonePage(c, p, state ? (state.email ?? nationalPhone(state.phone)) : '', {});
  });

  app.post('/masuk', async (c) => {
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const raw = str(form['phone']).slice(0, 120);
    if (raw.includes('@')) {
      return postEmail(c, p, raw);
    }
    const phone = normalizePhone(raw);
    if (!phone.ok) {
      // Post/Redirect/Get (issue 18 item 2): Back from the page with the error is a GET, never a resubmission.
      return redirectWithErrors(c, p, '/masuk', { values: { phone: raw }, errors: { phone: errorMessage('invalid_phone', lang) }, status: 422 });
    }
    const now = deps.clock.now().getTime();
    const previous = readLogin(c);
    // Sending the same number again within the cooldown (back button, double tap) keeps the code already sent.
    if (!(previous && previous.phone === phone.value && cooldownLeft(previous) > 0)) {
      // A phone with a registration not yet paid or finished (and no member): the code to continue it (issue 18
      // item 3). Otherwise a member's sign-in code. The same answer either way, and whether or not the phone belongs
      // to anyone: no account enumeration (the daily cap counts every phone number alike).
      const resume = await requestResumeOtp(deps, phone.value);
      const sent = resume.sent === 'none' ? await requestLoginOtp(deps, phone.value) : resume.sent;
      writeLogin(c, { phone: phone.value, sentAt: now, wrong: 0, locked: false, ...(resume.sent === 'none' ? {} : { resume: true }) });
      if (sent === 'sms_limit_reached') {
        return c.redirect('/masuk/kode?batas=1', 303);
      }
    }
    return c.redirect('/masuk/kode', 303);
  });
}
