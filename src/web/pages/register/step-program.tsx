import { randomBytes } from 'node:crypto';
import type { Registration } from '../../../db/database.js';
import { errorMessage } from '../../../http/messages.js';
import { priceContribution, type Quote } from '../../../modules/contributions/index.js';
import { firstBillStartMonth } from '../../../modules/membership/index.js';
import { getRegistration, submitRegistration } from '../../../modules/registration/index.js';
import { DiscountNote } from '../../components/discount-note.js';
import { CsrfInput, TextField } from '../../components/form.js';
import { QuoteTable } from '../../components/quote-table.js';
import type { PortalContext, PortalDeps, PortalPage } from '../../context.js';
import { field, fields, type Form } from '../../forms.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { parseRupiahInput, rupiah } from '../../i18n/format.js';
import { messagesFor } from '../../i18n/messages.js';
import { BenefitsSection } from '../benefits-section.js';
import { monthsFromForm, ProgramAndMonthFields, programsFromForm, type ContributionChoice } from '../simulator-form.js';
import { FormOneABox } from './form-1a.js';
import { Notice, REG_ID, stepPage, unknownRegistration, type Errors } from './shared.js';

/** The quote for a registration's choice, starting at its first bill's month. */
function quoteFor(p: PortalDeps, reg: Registration, choice: ContributionChoice, income: number) {
  const { deps } = p;
  return priceContribution(
    { declaredIncome: income, programs: choice.programs, months: choice.months, startMonth: firstBillStartMonth(deps.clock.now()), sector: reg.sector, funding: reg.funding },
    deps.rules,
  );
}

/**
 * Step 4: programs, income and months with the live quote; submitting issues the payment code. The form carries an
 * idempotency token chosen here: the same submission sent again (three taps without JavaScript) gets the same code.
 */
function programPage(c: PortalContext, p: PortalDeps, reg: Registration, choice: ContributionChoice, errors: Errors, status: 200 | 409 | 422 = 200) {
  const { deps } = p;
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const r = m.register;
  const income = parseRupiahInput(choice.incomeText);
  const priced = income !== null && Object.keys(errors).length === 0 ? quoteFor(p, reg, choice, income) : null;
  const quote: Quote | null = priced?.ok ? priced.value : null;
  const hours = Math.round(deps.rules.firstBillLifetimeMs / 3_600_000);
  return stepPage(c, p, {
    step: 4,
    title: r.programTitle,
    heading: r.programTitle,
    status,
    notice: <Notice text={c.req.query('kedaluwarsa') ? r.billExpired : undefined} tone="warn" />,
    errors,
    intro: r.programIntro,
    body: (
      <>
        <form method="post" action={`/daftar/${reg.id}/program`} novalidate data-once>
          <CsrfInput token={c.get('csrf')} />
          <input type="hidden" name="token" value={randomBytes(18).toString('base64url')} />
          <TextField name="income" label={m.home.income} hint={m.home.incomeHint} value={choice.incomeText} error={errors['income']} inputmode="numeric" autocomplete="off" maxlength={20} />
          <ProgramAndMonthFields m={m} choice={choice} errors={errors} />
          {quote && income !== null ? (
            <section aria-labelledby="iuran" aria-live="polite">
              <h2 id="iuran">{m.home.resultTitle}</h2>
              <QuoteTable m={m} lang={lang} quote={quote} caption={fill(m.home.payTotal, { n: choice.months, total: rupiah(quote.total) })} />
              <DiscountNote m={m} lang={lang} deps={deps} quote={quote} sector={reg.sector} />
            </section>
          ) : null}
          <p class="hint">{fill(r.submitHint, { hours })}</p>
          <p class="actions">
            <button type="submit" name="intent" value="submit">
              {r.submit}
            </button>
            <button type="submit" name="intent" value="quote" class="btn-secondary">
              {r.recalculate}
            </button>
          </p>
        </form>
        {quote && income !== null ? <BenefitsSection m={m} lang={lang} deps={deps} income={income} programs={choice.programs} quote={quote} /> : null}
        <FormOneABox m={m} registrationId={reg.id} />
      </>
    ),
  });
}

/** The registration, when it is at step 4; else the page to show instead (unknown, or its own page). */
async function registrationForProgram(c: PortalContext, p: PortalDeps): Promise<Registration | Response> {
  const reg = await getRegistration(p.deps, c.req.param('id') ?? '');
  if (!reg) {
    return unknownRegistration(c, p);
  }
  if (reg.status === 'pending_verification' || reg.status === 'completed') {
    return c.redirect(`/daftar/${reg.id}`, 303);
  }
  return reg;
}

/** What a submission can fail with that the page explains after its redirect (?galat=…); others are not shown. */
const SHOWN_REJECTIONS = ['already_registered', 'verification_incomplete', 'unknown_registration'] as const;
type ShownRejection = (typeof SHOWN_REJECTIONS)[number];

/**
 * Post/Redirect/Get: a recalculation, a choice with errors and a refused submission all answer 303 to the step's GET
 * with the choice in the address (penghasilan, program, bulan; galat = why a submission was refused), so Back and
 * reload never resend the form; the GET recomputes the quote and the errors from the address.
 */
function choiceLocation(regId: string, choice: ContributionChoice, rejection?: ShownRejection): string {
  const q = new URLSearchParams({ penghasilan: choice.incomeText });
  for (const program of choice.programs) {
    q.append('program', program);
  }
  q.set('bulan', String(choice.months));
  if (rejection) {
    q.set('galat', rejection);
  }
  return `/daftar/${regId}/program?${q.toString()}`;
}

/** The choice's errors (income not a number, below the minimum, …), none when it prices. */
function choiceErrors(p: PortalDeps, reg: Registration, choice: ContributionChoice, lang: Lang): Errors {
  const income = parseRupiahInput(choice.incomeText);
  if (income === null) {
    return { income: messagesFor(lang).home.incomeInvalid };
  }
  const quote = quoteFor(p, reg, choice, income);
  return quote.ok ? {} : { [quote.code === 'income_below_minimum' ? 'income' : quote.field ?? 'income']: errorMessage(quote.code, lang) };
}

/** POST: recalculate (intent=quote) or submit, which issues the first bill (once per token) and goes to its pay page. */
async function submitProgram(c: PortalContext, p: PortalDeps, reg: Registration) {
  const form = (await c.req.parseBody({ all: true })) as Form;
  const choice: ContributionChoice = {
    incomeText: field(form, 'income', 20),
    programs: programsFromForm(fields(form, 'programs')),
    months: monthsFromForm(field(form, 'months')),
    occupationCode: reg.occupation_code,
  };
  const income = parseRupiahInput(choice.incomeText);
  if (income === null || field(form, 'intent') === 'quote' || Object.keys(choiceErrors(p, reg, choice, c.get('lang'))).length > 0) {
    return c.redirect(choiceLocation(reg.id, choice), 303);
  }
  const token = field(form, 'token', 100);
  const submitToken = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? token : undefined;
  const submitted = await submitRegistration(p.deps, reg.id, { programs: choice.programs, declaredIncome: income, months: choice.months }, submitToken ? { submitToken } : {});
  if (!submitted.ok) {
    if (submitted.code === 'registration_completed') {
      return c.redirect(`/daftar/${reg.id}`, 303);
    }
    const shown = (SHOWN_REJECTIONS as readonly string[]).includes(submitted.code) ? (submitted.code as ShownRejection) : 'verification_incomplete';
    return c.redirect(choiceLocation(reg.id, choice, shown), 303);
  }
  return c.redirect(`/bayar/${submitted.value.bill.paymentCode}`, 303);
}

/** GET: the saved choice, or the one in the address (after a recalculation or a refused submission) with its errors. */
function showProgram(c: PortalContext, p: PortalDeps, reg: Registration) {
  const lang = c.get('lang');
  const sent = c.req.query('penghasilan');
  if (sent === undefined) {
    const saved: ContributionChoice = {
      incomeText: reg.declared_income ? String(reg.declared_income) : '',
      programs: reg.programs && reg.programs.length > 0 ? programsFromForm(reg.programs) : ['JKK', 'JKM'],
      months: 1,
      occupationCode: reg.occupation_code,
    };
    return programPage(c, p, reg, saved, {});
  }
  const choice: ContributionChoice = {
    incomeText: sent.slice(0, 20),
    programs: programsFromForm(c.req.queries('program') ?? []),
    months: monthsFromForm(c.req.query('bulan')),
    occupationCode: reg.occupation_code,
  };
  const errors = choiceErrors(p, reg, choice, lang);
  if (Object.keys(errors).length > 0) {
    return programPage(c, p, reg, choice, errors, 422);
  }
  const galat = c.req.query('galat');
  const rejection = SHOWN_REJECTIONS.find((r) => r === galat);
  return rejection ? programPage(c, p, reg, choice, { _form: errorMessage(rejection, lang) }, 409) : programPage(c, p, reg, choice, {});
}

/** Step 4 (GET/POST /daftar/{id}/program). */
export const programStep: PortalPage = (app, p) => {
  app.get(`/daftar/${REG_ID}/program`, async (c) => {
    const reg = await registrationForProgram(c, p);
    return reg instanceof Response ? reg : showProgram(c, p, reg);
  });

  app.post(`/daftar/${REG_ID}/program`, async (c) => {
    const reg = await registrationForProgram(c, p);
    return reg instanceof Response ? reg : submitProgram(c, p, reg);
  });
};
