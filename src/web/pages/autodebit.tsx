import { errorMessage } from '../../http/messages.js';
import { DEBIT_PROVIDERS, listMandates, listMemberAttempts, registerMandate, revokeMandate, type AttemptView, type MandateView } from '../../modules/autodebit/index.js';
import { requireInForce } from '../../modules/contributions/index.js';
import { monthInJakarta } from '../../shared/month.js';
import { CsrfInput, SelectField, TextField, type FieldErrors } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { field, type Form, redirectWithErrors, takeFormFlash } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { memberSession } from '../member-session.js';

const RESULT_KEY = { succeeded: 'resultSucceeded', failed: 'resultFailed', pending: 'resultPending', cancelled: 'resultCancelled' } as const;

interface PageOptions {
  errors?: FieldErrors;
  values?: { provider: string; accountNumber: string };
  done?: 'daftar' | 'cabut';
  status?: 200 | 409 | 422 | 503;
}

function History(props: { m: Messages; lang: Lang; attempts: AttemptView[] }) {
  const t = props.m.autodebit;
  if (props.attempts.length === 0) {
    return <p>{t.historyEmpty}</p>;
  }
  return (
    <table>
      <caption>{t.historyCaption}</caption>
      <HeadRow columns={[{ label: t.colMonth }, { label: t.colAttempt }, { label: t.colResult }, { label: t.colAmount, num: true }]} />
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

/** The active mandate, with the form that revokes it. */
function ActiveMandate(props: { m: Messages; lang: Lang; csrf: string; active: MandateView }) {
  const t = props.m.autodebit;
  const { active } = props;
  return (
    <section aria-labelledby="mandat" class="card">
      <h2 id="mandat">{t.activeTitle}</h2>
      <dl class="facts">
        <dt>{t.account}</dt>
        <dd>
          {active.providerName} {active.accountMasked}
        </dd>
        <dt>{t.since}</dt>
        <dd>{formatInstant(new Date(active.createdAt), props.lang)}</dd>
      </dl>
      <form method="post" action="/akun/autodebet/cabut">
        <CsrfInput token={props.csrf} />
        <input type="hidden" name="id" value={active.id} />
        <p class="hint">{t.revokeHint}</p>
        <button type="submit" class="btn-secondary">
          {t.revokeButton}
        </button>
      </form>
    </section>
  );
}

function providerGroups(m: Messages) {
  const t = m.autodebit;
  return [
    { label: t.groupBank, options: DEBIT_PROVIDERS.bank.map((n) => ({ value: `bank:${n}`, label: n })) },
    { label: t.groupEwallet, options: DEBIT_PROVIDERS.ewallet.map((n) => ({ value: `ewallet:${n}`, label: n })) },
  ];
}

/** The form that registers a mandate: the bank or e-wallet and the account number. */
function RegisterMandate(props: { m: Messages; csrf: string; errors: FieldErrors; values: PageOptions['values'] }) {
  const t = props.m.autodebit;
  const { errors } = props;
  return (
    <section aria-labelledby="daftar">
      <h2 id="daftar">{t.registerTitle}</h2>
      <form method="post" action="/akun/autodebet" class="card" data-once>
        <CsrfInput token={props.csrf} />
        <SelectField name="provider" label={t.provider} placeholder={t.providerChoose} value={props.values?.provider} error={errors['provider']} required groups={providerGroups(props.m)} />
        <TextField name="accountNumber" label={t.accountNumber} hint={t.accountNumberHint} value={props.values?.accountNumber} error={errors['accountNumber']} inputmode="numeric" autocomplete="off" maxlength={32} required />
        <p class="hint">{t.consent}</p>
        <button type="submit">{t.registerButton}</button>
      </form>
    </section>
  );
}

/** The page: the active mandate with a revoke form, or a form to register one, and the recent attempts. */
async function autodebitPage(c: PortalContext, p: PortalDeps, participantId: string, opts: PageOptions = {}) {
  const { deps } = p;
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.autodebit;
  const [mandates, attempts] = await Promise.all([listMandates(deps, participantId), listMemberAttempts(deps, participantId)]);
  const active = mandates.find((x) => x.status === 'active');
  const retries = Math.max(0, requireInForce(deps.rules.autodebitSchedules, monthInJakarta(deps.clock.now()), 'auto-debit schedule').workingDaysAfterDue.length - 1);
  const errors = opts.errors ?? {};
  const done = opts.done === undefined ? undefined : opts.done === 'daftar' ? t.registered : t.revoked;
  return renderPage(c, p, {
    title: t.title,
    nav: 'account',
    status: opts.status ?? 200,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} done={done} />
        <p>{t.intro}</p>
        <p>{fill(t.retries, { n: retries })}</p>
        {active ? (
          <ActiveMandate m={m} lang={lang} csrf={c.get('csrf')} active={active} />
        ) : deps.debit === null ? (
          <p class="notice notice-warn">{t.unavailable}</p>
        ) : (
          <RegisterMandate m={m} csrf={c.get('csrf')} errors={errors} values={opts.values} />
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

/** Where a refused registration's message goes, and its status. */
const REFUSAL_FIELD = {
  unknown_debit_provider: ['provider', 422, true],
  invalid_account_number: ['accountNumber', 422, true],
  mandate_exists: ['_form', 409, false],
  autodebit_unavailable: ['_form', 503, false],
} as const;

/**
 * Auto-debit in the member area (/akun/autodebet): plain forms with CSRF tokens that post and redirect; no
 * JavaScript needed.
 */
export const autodebitRoutes: PortalPage = (app, p) => {
  const { deps } = p;
  const { signedIn, toSignIn } = memberSession(p);

  app.get('/akun/autodebet', async (c) => {
    const participantId = await signedIn(c);
    if (!participantId) {
      return toSignIn(c);
    }
    const done = c.req.query('selesai');
    const refused = takeFormFlash<{ provider: string; accountNumber: string } | null>(c, p);
    if (refused) {
      const status = refused.status === 409 || refused.status === 503 ? refused.status : 422;
      return autodebitPage(c, p, participantId, { errors: refused.errors, status, ...(refused.values ? { values: refused.values } : {}) });
    }
    return autodebitPage(c, p, participantId, { ...(done === 'daftar' || done === 'cabut' ? { done } : {}) });
  });

  app.post('/akun/autodebet', async (c) => {
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
    const [at, status, keepValues] = REFUSAL_FIELD[result.code];
    const errors = { [at]: errorMessage(result.code, c.get('lang')) };
    // Post/Redirect/Get: the refusal waits for the page's GET (forms.ts), so Back never resubmits.
    return redirectWithErrors(c, p, '/akun/autodebet', { errors, status, values: keepValues ? { provider, accountNumber } : null });
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
};
