import type { ErrorCode } from '../../http/errors.js';
import { errorMessage } from '../../http/messages.js';
import { type ConsentRequest, consentRequest, giveConsent, resendConsentCode } from '../../modules/sponsorship/index.js';
import { CsrfInput, type FieldErrors, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { field, redirectWithErrors, takeFormFlash } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

const BASE = '/sertakan/setuju';

interface ConsentOpts {
  errors?: FieldErrors;
  problem?: string;
  done?: string;
  status?: 200 | 404 | 409 | 422 | 429;
}

function ConsentText(props: { m: Messages; r: ConsentRequest }) {
  const t = props.m.sertakan;
  const programs = props.r.programs.join(', ');
  return (
    <>
      <p>{fill(t.consentIntro, { sponsor: props.r.sponsorName })}</p>
      <p>{fill(t.consentWhat, { programs, months: props.r.months })}</p>
      <section class="card" aria-labelledby="data-dibagikan">
        <h2 id="data-dibagikan">{t.consentDataTitle}</h2>
        <ul>
          <li>{t.consentData1}</li>
          <li>{t.consentData2}</li>
          <li>{t.consentData3}</li>
        </ul>
        <p class="hint">{fill(t.consentVersion, { version: props.r.textVersion })}</p>
      </section>
    </>
  );
}

function ConsentForms(props: { m: Messages; csrf: string; token: string; errors: FieldErrors }) {
  const t = props.m.sertakan;
  return (
    <>
      <form method="post" action={`${BASE}/${props.token}`} class="card" id="isi">
        <CsrfInput token={props.csrf} />
        <TextField name="code" label={t.code} hint={t.codeHint} error={props.errors['code']} inputmode="numeric" maxlength={6} autocomplete="one-time-code" required />
        <button type="submit">{t.agreeButton}</button>
      </form>
      <form method="post" action={`${BASE}/${props.token}/kode-baru`}>
        <CsrfInput token={props.csrf} />
        <button type="submit" class="btn-secondary">
          {t.resendButton}
        </button>
      </form>
    </>
  );
}

/** The worker's consent page: who sponsors them (masked), what is paid, the data shared (UU 27/2022), the OTP. */
async function renderConsentPage(c: PortalContext, p: PortalDeps, token: string, opts: ConsentOpts = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.sertakan;
  const r = await consentRequest(p.deps, token);
  const state = !r ? 'unknown' : r.status;
  const body =
    state === 'awaiting_consent' && r ? (
      <>
        <ConsentText m={m} r={r} />
        <ConsentForms m={m} csrf={c.get('csrf')} token={token} errors={opts.errors ?? {}} />
      </>
    ) : (
      <p>{state === 'unknown' ? t.unknown : state === 'active' ? fill(t.consented, { sponsor: r?.sponsorName ?? '' }) : r?.endedReason === 'expired' ? fill(t.expired, { days: String(p.deps.config.sponsorshipConsentDays) }) : t.ended}</p>
    );
  return renderPage(c, p, {
    title: t.consentTitle,
    status: opts.status ?? (state === 'unknown' ? 404 : 200),
    body: (
      <>
        <PageTop title={t.consentTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={opts.errors ?? {}} problem={opts.problem} done={opts.done} />
        {body}
      </>
    ),
  });
}

/** The message of a wrong code: "Kode salah. Sisa percobaan: N." when the refusal says the tries left. */
function codeRefusal(m: Messages, lang: 'id' | 'en', r: { code: string; detail?: string }): string {
  const left = /attempts left: (\d+)/.exec(r.detail ?? '')?.[1];
  return r.code === 'invalid_otp' && left !== undefined ? fill(m.sertakan.wrongCode, { n: left }) : errorMessage(r.code as ErrorCode, lang);
}

/** /sertakan/setuju/{token}: the page from the SMS link, its OTP form and "send a new code". No JavaScript needed. */
export const consentRoutes: PortalPage = (app, p) => {
  // Refusals and "code sent again" come back to the page's GET (Post/Redirect/Get, forms.ts): Back never resubmits.
  app.get(`${BASE}/:token`, (c) => {
    const flash = takeFormFlash<Pick<ConsentOpts, 'problem' | 'done'>>(c, p);
    const status = flash?.status === 200 || flash?.status === 503 ? undefined : flash?.status;
    return renderConsentPage(c, p, c.req.param('token'), flash ? { ...flash.values, errors: flash.errors, ...(status ? { status } : {}) } : {});
  });
  app.post(`${BASE}/:token`, async (c) => {
    const token = c.req.param('token');
    const r = await consentRequest(p.deps, token);
    if (!r) return renderConsentPage(c, p, token);
    const code = field(await c.req.parseBody(), 'code', 20).trim();
    const given = await giveConsent(p.deps, r.id, code);
    if (given.ok) return c.redirect(`${BASE}/${token}`, 303);
    const lang = c.get('lang');
    const status = given.code === 'too_many_attempts' ? 429 : given.code === 'invalid_otp' ? 422 : 409;
    return redirectWithErrors(c, p, `${BASE}/${token}`, { values: {}, errors: { code: codeRefusal(messagesFor(lang), lang, given) }, status });
  });
  app.post(`${BASE}/:token/kode-baru`, async (c) => {
    const token = c.req.param('token');
    const r = await consentRequest(p.deps, token);
    if (!r) return renderConsentPage(c, p, token);
    const sent = await resendConsentCode(p.deps, r.id);
    const lang = c.get('lang');
    const values = sent.ok ? { done: messagesFor(lang).sertakan.resent } : { problem: errorMessage(sent.code, lang) };
    return redirectWithErrors(c, p, `${BASE}/${token}`, { values, errors: {}, status: sent.ok ? 200 : 429 });
  });
};
