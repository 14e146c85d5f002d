import type { Registration } from '../../../db/database.js';
import { errorMessage } from '../../../http/messages.js';
import { DAILY_LOCK_DETAIL, OTP_POLICY } from '../../../modules/auth/index.js';
import { getRegistration, registrationOtpTriesLeft, resendRegistrationOtp, verifyRegistrationEmail, verifyRegistrationPhone } from '../../../modules/registration/index.js';
import { withTriesLeft } from '../../components/otp-tries.js';
import { CsrfInput, TextField } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalPage } from '../../context.js';
import { field, maskEmail, maskPhone, type Form, redirectWithErrors, takeFormFlash } from '../../forms.js';
import { fill } from '../../i18n/catalogue.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { FormOneABox } from './form-1a.js';
import { Notice, REG_ID, stepPage, unknownRegistration, type Errors } from './shared.js';

const OK_NOTICES = { email: 'emailVerified', phone: 'phoneVerified', resent: 'otpResent' } as const;

type VerifyStatus = 200 | 404 | 422 | 429;

function EmailSection(props: { m: Messages; csrf: string; reg: Registration; errors: Errors }) {
  const r = props.m.register;
  return (
    <section class="card" aria-labelledby="v-email">
      <h2 id="v-email">{r.email}</h2>
      {props.reg.email_verified_at ? (
        <p>✓ {r.emailDone}</p>
      ) : (
        <>
          <p>{r.emailTodo}</p>
          <form method="post" action={`/daftar/${props.reg.id}/email`} novalidate>
            <CsrfInput token={props.csrf} />
            <TextField name="token" label={r.emailToken} error={props.errors['token']} autocomplete="off" maxlength={200} />
            <button type="submit" class="btn-secondary">
              {r.emailVerify}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/** `locked`: the code field is shown locked (the code's 5 wrong tries, or the phone's wrong codes for today). */
function PhoneSection(props: { m: Messages; csrf: string; reg: Registration; errors: Errors; locked: boolean }) {
  const r = props.m.register;
  const { reg } = props;
  return (
    <section class="card" aria-labelledby="v-phone">
      <h2 id="v-phone">{r.phone}</h2>
      {reg.phone_verified_at ? (
        <p>✓ {r.phoneDone}</p>
      ) : (
        <>
          <form method="post" action={`/daftar/${reg.id}/otp`} novalidate>
            <CsrfInput token={props.csrf} />
            <TextField
              name="code"
              label={r.otp}
              hint={r.otpHint}
              error={props.errors['code']}
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength={6}
              class={props.locked ? 'locked' : undefined}
            />
            <button type="submit">{r.otpVerify}</button>
          </form>
          <form method="post" action={`/daftar/${reg.id}/otp/kirim-ulang`}>
            <CsrfInput token={props.csrf} />
            <p class="hint">{r.otpResendHint}</p>
            <button type="submit" class="btn-secondary">
              {r.otpResend}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/**
 * Step 3: verify the email (link or token) and the phone (SMS code). A refused try comes back here by its redirect
 * (Post/Redirect/Get): its errors, status and lock wait in the form flash when `errors` is not given.
 */
export function verifyPage(c: PortalContext, p: PortalDeps, reg: Registration, errors: Errors, status: VerifyStatus = 200, locked = false) {
  const flash = Object.keys(errors).length === 0 ? takeFormFlash<{ locked: boolean }>(c, p) : null;
  if (flash) {
    return verifyView(c, p, reg, flash.errors, flash.status === 429 ? 429 : 422, flash.values.locked);
  }
  return verifyView(c, p, reg, errors, status, locked);
}

function verifyView(c: PortalContext, p: PortalDeps, reg: Registration, errors: Errors, status: VerifyStatus, locked: boolean) {
  const m = messagesFor(c.get('lang'));
  const r = m.register;
  const okKey = c.req.query('ok') as keyof typeof OK_NOTICES | undefined;
  const notice = okKey && okKey in OK_NOTICES ? r[OK_NOTICES[okKey]] : undefined;
  return stepPage(c, p, {
    step: 3,
    title: r.verifyTitle,
    heading: r.verifyTitle,
    status,
    notice: <Notice text={notice} />,
    errors,
    intro: fill(r.verifyIntro, { email: maskEmail(reg.email), phone: maskPhone(reg.phone) }),
    body: (
      <>
        <EmailSection m={m} csrf={c.get('csrf')} reg={reg} errors={errors} />
        <PhoneSection m={m} csrf={c.get('csrf')} reg={reg} errors={errors} locked={locked} />
        <FormOneABox m={m} registrationId={reg.id} />
      </>
    ),
  });
}

/** A refused POST: 303 back to the registration's page (/daftar/{id}), its errors waiting there (Post/Redirect/Get). */
function verifyAgain(c: PortalContext, p: PortalDeps, id: string, errors: (m: Messages) => Errors, status: 422 | 429, locked = false) {
  return redirectWithErrors(c, p, `/daftar/${id}`, { values: { locked }, errors: errors(messagesFor(c.get('lang'))), status });
}

/**
 * Step 3's actions: the verification email's link (GET), its token typed in, the SMS code, and sending the code
 * again; each continues at the registration's page (/daftar/{id}) with what was done.
 */
export const verifyStep: PortalPage = (app, p) => {
  const { deps } = p;

  app.get(`/daftar/${REG_ID}/verifikasi-email`, async (c) => {
    const id = c.req.param('id');
    const result = await verifyRegistrationEmail(deps, id, (c.req.query('token') ?? '').slice(0, 200));
    if (!result.ok) {
      if (result.code === 'unknown_registration') {
        return unknownRegistration(c, p);
      }
      const reg = await getRegistration(deps, id);
      return reg ? verifyPage(c, p, reg, { token: messagesFor(c.get('lang')).register.emailLinkInvalid }, 422) : unknownRegistration(c, p);
    }
    return c.redirect(`/daftar/${id}?ok=email`, 303);
  });

  app.post(`/daftar/${REG_ID}/email`, async (c) => {
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as Form;
    const result = await verifyRegistrationEmail(deps, id, field(form, 'token', 200).trim());
    if (!result.ok) {
      return verifyAgain(c, p, id, () => ({ token: errorMessage(result.code, c.get('lang')) }), 422);
    }
    return c.redirect(`/daftar/${id}?ok=email`, 303);
  });

  app.post(`/daftar/${REG_ID}/otp`, async (c) => {
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as Form;
    const result = await verifyRegistrationPhone(deps, id, field(form, 'code', 20).replace(/\s+/g, ''));
    if (result.ok) {
      return c.redirect(`/daftar/${id}?ok=phone`, 303);
    }
    if (result.code === 'too_many_attempts') {
      const locked = (m: Messages) => ({ code: result.detail === DAILY_LOCK_DETAIL ? fill(m.register.otpLockedToday, { n: OTP_POLICY.dailyWrongCodesMax }) : m.register.otpLocked });
      return verifyAgain(c, p, id, locked, 429, true);
    }
    const left = result.code === 'invalid_otp' ? await registrationOtpTriesLeft(deps, id) : null;
    return verifyAgain(c, p, id, () => ({ code: withTriesLeft(errorMessage(result.code, c.get('lang')), c.get('lang'), left) }), 422);
  });

  app.post(`/daftar/${REG_ID}/otp/kirim-ulang`, async (c) => {
    const id = c.req.param('id');
    const result = await resendRegistrationOtp(deps, id);
    if (!result.ok) {
      return verifyAgain(c, p, id, () => ({ code: errorMessage(result.code, c.get('lang')) }), 429);
    }
    return c.redirect(`/daftar/${id}?ok=resent`, 303);
  });
};
