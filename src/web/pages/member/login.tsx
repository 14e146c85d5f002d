import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { normalizePhone } from '../../../modules/identity/index.js';
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
        label={m.member.phone}
        hint={m.member.phoneHint}
        value={phone}
        error={errors['phone']}
        type="tel"
        inputmode="tel"
        autocomplete="tel"
        maxlength={20}
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

/** The sign-in page, /masuk: the phone form, which sends the login code. */
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
    return phonePage(c, p, state ? nationalPhone(state.phone) : '', {});
  });

  app.post('/masuk', async (c) => {
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const raw = str(form['phone']).slice(0, 32);
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
