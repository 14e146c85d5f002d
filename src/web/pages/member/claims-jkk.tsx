import type { Hono } from 'hono';
import { errorMessage } from '../../../http/messages.js';
import { ClaimRefusal, fileOwnClaim } from '../../../modules/claims/index.js';
import { isLocalDate } from '../../../shared/month.js';
import { CsrfInput, TextArea, TextField, type FieldErrors } from '../../components/form.js';
import { PageTop } from '../../components/page-top.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../../context.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { BankFields, bankOf } from './claims-bank.js';
import { BackToList, CLAIMS_PAGE, claimsFlash, FailureList, forMember, orRefused, type ClaimsFlash } from './claims-parts.js';
import { str } from './posted.js';

const PAGE = `${CLAIMS_PAGE}/jkk`;

function jkkPage(c: PortalContext, p: PortalDeps, flash: ClaimsFlash | null) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.claims;
  const values = flash?.values ?? {};
  const errors = flash?.errors ?? {};
  const refused = flash !== null && flash.failures.length > 0;
  return renderPage(c, p, {
    title: t.jkkTitle,
    nav: 'account',
    body: (
      <>
        <PageTop title={t.jkkTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={refused ? t.refusedTitle : undefined} />
        {refused ? <FailureList m={m} lang={lang} failures={flash.failures} /> : null}
        <p>{t.jkkIntro}</p>
        <form method="post" action={PAGE} class="card" data-once>
          <CsrfInput token={c.get('csrf')} />
          <TextField name="eventDate" type="date" label={t.eventDate} value={values['eventDate']} error={errors['eventDate']} required />
          <TextField name="eventTime" label={t.eventTime} hint={t.eventTimeHint} value={values['eventTime']} error={errors['eventTime']} maxlength={5} pattern="[0-2][0-9][:.][0-5][0-9]" inputmode="numeric" required />
          <TextField name="place" label={t.place} hint={t.placeHint} value={values['place']} error={errors['place']} maxlength={500} required />
          <TextArea name="description" label={t.description} hint={t.descriptionHint} value={values['description']} error={errors['description']} maxlength={2000} required />
          <BankFields m={m} values={values} errors={errors} />
          <div class="actions">
            <button type="submit">{t.jkkSubmit}</button>
          </div>
        </form>
        <BackToList m={m} />
      </>
    ),
  });
}

/** The posted report: the event instant (WIB) from the date and time, the place and what happened, each checked. */
function reportOf(m: Messages, form: Record<string, unknown>) {
  const t = m.claims;
  const values = { eventDate: str(form['eventDate']).trim(), eventTime: str(form['eventTime']).trim().replace('.', ':'), place: str(form['place']).trim().slice(0, 500), description: str(form['description']).trim().slice(0, 2000) };
  const errors: FieldErrors = {};
  if (!isLocalDate(values.eventDate)) {
    errors['eventDate'] = t.eventDateError;
  }
  const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(values.eventTime);
  if (!time) {
    errors['eventTime'] = t.eventTimeError;
  }
  if (values.place === '') {
    errors['place'] = t.placeError;
  }
  if (values.description === '') {
    errors['description'] = t.descriptionError;
  }
  const at = time ? `${values.eventDate}T${(time[1] ?? '').padStart(2, '0')}:${time[2] ?? '00'}:00+07:00` : '';
  return { values, errors, event: { at, place: values.place, description: values.description } };
}

/**
 * Lapor kecelakaan kerja, /akun/klaim/jkk: when and where it happened and what happened, and the bank account; POST
 * files the JKK claim and redirects to its page (a report later than 2×24 hours is accepted and noted there, kindly).
 * A refusal (not covered at the time, a report in progress) keeps the answers and names every failed rule.
 */
export function registerClaimsJkkPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const member = forMember(p);
  const flash = claimsFlash(p);

  app.get(
    PAGE,
    member(async (c) => jkkPage(c, p, flash.read(c))),
  );

  app.post(
    PAGE,
    member(async (c, participantId) => {
      const lang = c.get('lang');
      const m = messagesFor(lang);
      const form = await c.req.parseBody();
      const report = reportOf(m, form);
      const bank = bankOf(m, form);
      const values = { ...report.values, ...bank.values };
      const errors = { ...report.errors, ...bank.errors };
      if (Object.keys(errors).length > 0) {
        return flash.redirect(c, PAGE, { values, errors, failures: [] });
      }
      return orRefused(
        async () => {
          const filed = await fileOwnClaim(p.deps, participantId, { type: 'JKK', event: report.event, bankAccount: bank.bank, lang });
          return c.redirect(`${CLAIMS_PAGE}/${encodeURIComponent(filed.id)}?diajukan=1`, 303);
        },
        (err) =>
          err instanceof ClaimRefusal
            ? flash.redirect(c, PAGE, { values, errors: {}, failures: err.failures.map((f) => ({ message: f.message, todo: f.todo })) })
            : flash.redirect(c, PAGE, { values, errors: { _form: errorMessage(err.code, lang) }, failures: [] }),
      );
    }),
  );
}
