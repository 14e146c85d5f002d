import type { Hono } from 'hono';
import { errorMessage } from '../../http/messages.js';
import { DEBIT_PROVIDERS, listMandates, listMemberAttempts, registerMandate, revokeMandate, type AttemptView, type MandateView } from '../../modules/autodebit/index.js';
import { requireInForce } from '../../modules/contributions/index.js';
import { monthInJakarta } from '../../shared/month.js';
import { CsrfInput, ErrorSummary, SelectField, TextField, type FieldErrors } from '../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { field, type Form } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { memberSession } from '../member-session.js';

const RESULT_KEY = { succeeded: 'resultSucceeded', failed: 'resultFailed', pending: 'resultPending', cancelled: 'resultCancelled' } as const;

function History(props: { m: Messages; lang: Lang; attempts: AttemptView[] }) {
  const t = props.m.autodebit;
  if (props.attempts.length === 0) {
    return <p>{t.historyEmpty}</p>;
  }
  return (
    <table>
      <caption>{t.historyCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{t.colMonth}</th>
          <th scope="col">{t.colAttempt}</th>
          <th scope="col">{t.colResult}</th>
          <th scope="col" class="num">
            {t.colAmount}
          </th>
        </tr>
      </thead>
      <tbody>
        {props.attempts.map((a) => (
          <tr>
            <td>{formatMonth(a.month, props.lang)}</td>
            <td>
              {a.attempt} · {formatInstant(a.at, props.lang)}
            </td>
            <td>{t[RESULT_KEY[a.status]]}</td>
            <td class="num">{rupiah(a.amount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Auto-debit in the member area (/akun/autodebet): the active mandate with a revoke form, or a form to register one,
 * and the recent attempts. Plain forms with CSRF tokens that post and redirect; no JavaScript needed.
 */
export function autodebitRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { cookieBase, signedIn, toSignIn } = memberSession(p);


  async function page(
    c: PortalContext,
    participantId: string,
    opts: { errors?: FieldErrors; values?: { provider: string; accountNumber: string }; done?: 'daftar' | 'cabut'; status?: 200 | 409 | 422 | 503 } = {},
  ) {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const t = m.autodebit;
    const [mandates, attempts] = await Promise.all([listMandates(deps, participantId), listMemberAttempts(deps, participantId)]);
    const active: MandateView | undefined = mandates.find((x) => x.status === 'active');
    const retries = Math.max(0, requireInForce(deps.rules.autodebitSchedules, monthInJakarta(deps.clock.now()), 'auto-debit schedule').workingDaysAfterDue.length - 1);
    const errors = opts.errors ?? {};
    return renderPage(c, p, {
      title: t.title,
      nav: 'account',
      status: opts.status ?? 200,
      body: (
        <>
          <h1>{t.title}</h1>
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          {opts.done ? (
            <p class="notice" role="status">
              {opts.done === 'daftar' ? t.registered : t.revoked}
            </p>
          ) : null}
          <p>{t.intro}</p>
          <p>{fill(t.retries, { n: retries })}</p>
          {active ? (
            <section aria-labelledby="mandat" class="card">
              <h2 id="mandat">{t.activeTitle}</h2>
              <dl class="facts">
                <dt>{t.account}</dt>
                <dd>
                  {active.providerName} {active.accountMasked}
                </dd>
                <dt>{t.since}</dt>
                <dd>{formatInstant(new Date(active.createdAt), lang)}</dd>
              </dl>
              <form method="post" action="/akun/autodebet/cabut">
                <CsrfInput token={c.get('csrf')} />
                <input type="hidden" name="id" value={active.id} />
                <p class="hint">{t.revokeHint}</p>
                <button type="submit" class="btn-secondary">
                  {t.revokeButton}
                </button>
              </form>
            </section>
          ) : deps.debit === null ? (
            <p class="notice notice-warn">{t.unavailable}</p>
          ) : (
            <section aria-labelledby="daftar">
              <h2 id="daftar">{t.registerTitle}</h2>
              <form method="post" action="/akun/autodebet" class="card" data-once>
                <CsrfInput token={c.get('csrf')} />
                <SelectField
                  name="provider"
                  label={t.provider}
                  placeholder={t.providerChoose}
                  value={opts.values?.provider}
                  error={errors['provider']}
                  required
                  groups={[
                    { label: t.groupBank, options: DEBIT_PROVIDERS.bank.map((n) => ({ value: `bank:${n}`, label: n })) },
                    { label: t.groupEwallet, options: DEBIT_PROVIDERS.ewallet.map((n) => ({ value: `ewallet:${n}`, label: n })) },
                  ]}
                />
                <TextField
                  name="accountNumber"
                  label={t.accountNumber}
                  hint={t.accountNumberHint}
                  value={opts.values?.accountNumber}
                  error={errors['accountNumber']}
                  inputmode="numeric"
                  autocomplete="off"
                  maxlength={32}
                  required
                />
                <p class="hint">{t.consent}</p>
                <button type="submit">{t.registerButton}</button>
              </form>
            </section>
          )}
          <section aria-labelledby="riwayat-autodebet">
            <h2 id="riwayat-autodebet">{t.historyTitle}</h2>
            <History m={m} lang={lang} attempts={attempts} />
          </section>
          <p>
            <a href="/akun">{t.backToAccount}</a>
          </p>
        </>
      ),
    });
  }

  app.get('/akun/autodebet', async (c) => {
    const participantId = await signedIn(c);
    if (!participantId) {
      return toSignIn(c);
    }
    const done = c.req.query('selesai');
    return page(c, participantId, { ...(done === 'daftar' || done === 'cabut' ? { done } : {}) });
  });

  app.post('/akun/autodebet', async (c) => {
    const lang = c.get('lang');
    const participantId = await signedIn(c);
    if (!participantId) {
      return toSignIn(c);
    }
    const form = (await c.req.parseBody()) as Form;
    const provider = field(form, 'provider', 64);
    const accountNumber = field(form, 'accountNumber', 64);
    const [kind = '', name = ''] = provider.split(':', 2);
    const result = await registerMandate(deps, participantId, { providerKind: kind, providerName: name, accountNumber });
    if (result.ok) {
      return c.redirect('/akun/autodebet?selesai=daftar', 303);
    }
    if (result.code === 'unauthorized') {
      return toSignIn(c);
    }
    const values = { provider, accountNumber };
    switch (result.code) {
      case 'unknown_debit_provider':
        return page(c, participantId, { errors: { provider: errorMessage(result.code, lang) }, values, status: 422 });
      case 'invalid_account_number':
        return page(c, participantId, { errors: { accountNumber: errorMessage(result.code, lang) }, values, status: 422 });
      case 'mandate_exists':
        return page(c, participantId, { errors: { _form: errorMessage(result.code, lang) }, status: 409 });
      case 'autodebit_unavailable':
        return page(c, participantId, { errors: { _form: errorMessage(result.code, lang) }, status: 503 });
    }
  });

  app.post('/akun/autodebet/cabut', async (c) => {
    const participantId = await signedIn(c);
    if (!participantId) {
      return toSignIn(c);
    }
    const form = (await c.req.parseBody()) as Form;
    // Revoking a mandate that is not the member's (or not at all) changes nothing; the page shows what is there.
    await revokeMandate(deps, participantId, field(form, 'id', 64));
    return c.redirect('/akun/autodebet?selesai=cabut', 303);
  });
}
