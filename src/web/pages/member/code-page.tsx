import { errorMessage } from '../../../http/messages.js';
import { OTP_POLICY } from '../../../modules/auth/index.js';
import { CsrfInput, ErrorSummary, TextField, type FieldErrors } from '../../components/form.js';
import type { PortalContext, PortalDeps } from '../../context.js';
import { maskPhone } from '../../forms.js';
import { fill } from '../../i18n/catalogue.js';
import { messagesFor } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import type { LoginState } from './login-state.js';

export interface CodePageOptions {
  errors?: FieldErrors;
  attemptsLeft?: number;
  tooSoon?: number;
  sent?: boolean;
  capped?: boolean;
  status?: 200 | 422 | 429;
}

/** Why the code form is gone: this code's 5 wrong tries, or the phone's wrong codes for today. */
function LockedNotice({ c, today }: { c: PortalContext; today: boolean }) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  return (
    <div class="notice notice-bad" role="alert" id="kunci" tabindex={-1}>
      <h2>{m.member.lockedTitle}</h2>
      {today ? (
        <>
          <p>
            <strong>{fill(m.member.lockedTodayBody, { n: OTP_POLICY.dailyWrongCodesMax })}</strong>
          </p>
          <p>{m.member.lockedTodayNext}</p>
        </>
      ) : (
        <>
          <p>
            <strong>{errorMessage('too_many_attempts', lang)}</strong>
          </p>
          <p>{m.member.lockedBody}</p>
          <p>{m.member.lockedNext}</p>
        </>
      )}
    </div>
  );
}

/** What the last resend did: too soon, a new code sent, or the phone's codes for today used up. */
function CodeNotices({ c, tooSoon, sent, capped }: { c: PortalContext; tooSoon?: number | undefined; sent?: boolean | undefined; capped?: boolean | undefined }) {
  const m = messagesFor(c.get('lang'));
  return (
    <>
      {tooSoon !== undefined ? (
        <p class="notice notice-warn" role="alert">
          {fill(m.member.resendTooSoon, { s: tooSoon })}
        </p>
      ) : null}
      {sent ? (
        <p class="notice" role="status">
          {m.member.newCodeSent}
        </p>
      ) : null}
      {capped ? (
        <p class="notice notice-warn" role="alert">
          {fill(m.member.smsLimit, { n: OTP_POLICY.dailyCodesMax })}
        </p>
      ) : null}
    </>
  );
}

/** The form for the code from the SMS (absent while the code is locked). */
function CodeForm({ c, errors, attemptsLeft }: { c: PortalContext; errors: FieldErrors; attemptsLeft: number | undefined }) {
  const m = messagesFor(c.get('lang'));
  return (
    <form method="post" action="/masuk/kode" class="card">
      <CsrfInput token={c.get('csrf')} />
      <TextField
        name="code"
        label={m.member.code}
        hint={m.member.codeHint}
        error={errors['code']}
        inputmode="numeric"
        autocomplete="one-time-code"
        maxlength={OTP_POLICY.digits}
        pattern={`[0-9]{${OTP_POLICY.digits}}`}
        required
      />
      {attemptsLeft !== undefined ? (
        <p class="hint" aria-live="polite">
          {fill(m.member.attemptsLeft, { n: attemptsLeft })}
        </p>
      ) : null}
      <button type="submit">{m.member.signIn}</button>
    </form>
  );
}

/** Asking for a new code (the main button once the code is locked), and changing the phone number. */
function ResendSection({ c, locked, wait }: { c: PortalContext; locked: boolean; wait: number }) {
  const m = messagesFor(c.get('lang'));
  return (
    <>
      <h2>{m.member.resendTitle}</h2>
      <p>{m.member.resendExplain}</p>
      {wait > 0 ? <p class="hint">{fill(m.member.resendWait, { s: wait })}</p> : null}
      <form method="post" action="/masuk/kirim-ulang" class="actions">
        <CsrfInput token={c.get('csrf')} />
        <button type="submit" class={locked ? undefined : 'btn-secondary'}>
          {m.member.resend}
        </button>
        <a href="/masuk">{m.member.changePhone}</a>
      </form>
    </>
  );
}

/** The code step: the code form (or why it is locked), what the last resend did, and the resend form; `wait` = cooldown seconds left. */
export function codePage(c: PortalContext, p: PortalDeps, state: LoginState, wait: number, opts: CodePageOptions = {}) {
  const m = messagesFor(c.get('lang'));
  const errors = opts.errors ?? {};
  return renderPage(c, p, {
    title: state.locked ? m.member.lockedTitle : m.member.codeTitle,
    nav: 'login',
    status: opts.status ?? 200,
    body: (
      <>
        <h1>{m.member.codeTitle}</h1>
        {state.locked ? <LockedNotice c={c} today={state.lockedToday === true} /> : <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />}
        <CodeNotices c={c} tooSoon={opts.tooSoon} sent={opts.sent} capped={opts.capped} />
        <p>{state.email === undefined ? fill(m.member.codeSentTo, { phone: maskPhone(state.phone) }) : fill(m.member.codeSentToEmail, { email: state.email })}</p>
        {state.locked ? null : <CodeForm c={c} errors={errors} attemptsLeft={opts.attemptsLeft} />}
        <ResendSection c={c} locked={state.locked} wait={wait} />
      </>
    ),
  });
}
