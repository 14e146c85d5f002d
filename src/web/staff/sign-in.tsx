import { signInStaff, signOutStaff } from '../../modules/staff/index.js';
import { CsrfInput, TextField, type FieldErrors } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { messagesFor } from '../i18n/messages.js';
import { safeNext, type StaffConsolePage, type StaffKit } from './kit.js';

interface SignInView {
  errors?: FieldErrors;
  problem?: string;
  username?: string;
  next?: string;
  status?: 200 | 401 | 422 | 429;
}

function signInPage(c: PortalContext, kit: StaffKit, view: SignInView = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staff;
  const errors = view.errors ?? {};
  const totpRequired = !kit.deps.config.isDevelopment;
  return kit.render(c, {
    title: t.signInTitle,
    staff: null,
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.signInTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>{t.signInIntro}</p>
        <form method="post" action="/staff/masuk" class="card staff-form">
          <CsrfInput token={c.get('csrf')} />
          <input type="hidden" name="lanjut" value={safeNext(view.next)} />
          <TextField name="username" label={t.username} value={view.username} error={errors['username']} autocomplete="username" maxlength={64} required />
          <TextField name="password" type="password" label={t.password} error={errors['password']} autocomplete="current-password" maxlength={200} required />
          <TextField
            name="totp"
            label={t.totp}
            hint={totpRequired ? t.totpHint : t.totpHintOptional}
            error={errors['totp']}
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength={6}
            pattern="[0-9]{6}"
            required={totpRequired}
          />
          <button type="submit">{t.signInButton}</button>
        </form>
      </>
    ),
  });
}

/** What is missing or malformed in the sign-in form, before any account is looked at. */
function signInErrors(c: PortalContext, kit: StaffKit, input: { username: string; password: string; totp: string }): FieldErrors {
  const t = messagesFor(c.get('lang')).staff;
  const errors: FieldErrors = {};
  if (!input.username.trim()) {
    errors['username'] = t.usernameMissing;
  }
  if (!input.password) {
    errors['password'] = t.passwordMissing;
  }
  if (input.totp !== '' && !/^\d{6}$/.test(input.totp)) {
    errors['totp'] = t.totpInvalid;
  } else if (input.totp === '' && !kit.deps.config.isDevelopment) {
    errors['totp'] = t.totpMissing;
  }
  return errors;
}

/**
 * /staff/masuk: username, password and the authenticator code (required in production) through the staff module's
 * sign-in (lockout included); the session token goes into an HttpOnly, SameSite=Strict cookie that ends with the
 * session. A failure answers 401 (counted by the staff sign-in limit, web/limits.ts), a locked account 429.
 * /staff/keluar ends the session.
 */
export const signInRoutes: StaffConsolePage = {
  mount(app, kit) {
    const { deps } = kit;
    app.get('/staff/masuk', async (c) => {
      if (await kit.currentStaff(c)) {
        return c.redirect(safeNext(c.req.query('lanjut')), 303);
      }
      return signInPage(c, kit, { next: c.req.query('lanjut') ?? '/staff' });
    });

    app.post('/staff/masuk', async (c) => {
      const form = await kit.readForm(c);
      const input = { username: field(form, 'username', 64), password: field(form, 'password', 200), totp: field(form, 'totp', 6).trim() };
      const next = safeNext(field(form, 'lanjut', 300));
      const errors = signInErrors(c, kit, input);
      if (Object.keys(errors).length > 0) {
        return signInPage(c, kit, { errors, username: input.username, next, status: 422 });
      }
      const totp = input.totp === '' ? undefined : input.totp;
      const result = await signInStaff(deps.db, { username: input.username, password: input.password, totp, totpRequired: !deps.config.isDevelopment }, deps.clock.now());
      if (!result.ok) {
        const t = messagesFor(c.get('lang')).staff;
        const locked = result.code === 'too_many_attempts';
        return signInPage(c, kit, { problem: locked ? t.lockedOut : t.invalidCredentials, username: input.username, next, status: locked ? 429 : 401 });
      }
      kit.startSession(c, result);
      return c.redirect(next, 303);
    });

    app.post('/staff/keluar', async (c) => {
      const token = kit.endSession(c);
      if (token) {
        await signOutStaff(deps.db, token);
      }
      return kit.redirectWithFlash(c, '/staff/masuk', messagesFor(c.get('lang')).staff.signedOut);
    });
  },
};
