import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Registration } from '../../db/database.js';
import { errorMessage } from '../../http/messages.js';
import { DAILY_LOCK_DETAIL, OTP_POLICY } from '../../modules/auth/index.js';
import { billStatusAt, findLatestRegistrationBill, priceContribution, type Quote } from '../../modules/contributions/index.js';
import { BRANCHES } from '../../modules/reference/index.js';
import { findRegistration, checkApplicant, createRegistration, resendRegistrationOtp, submitRegistration, verifyRegistrationEmail, verifyRegistrationPhone, type ApplicantInput } from '../../modules/registration/index.js';
import { firstBillStartMonth } from '../../modules/membership/index.js';
import { ChoiceGroup, CsrfInput, ErrorSummary, SelectField, TextArea, TextField } from '../components/form.js';
import { QuoteTable } from '../components/quote-table.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { field, fields, maskEmail, maskPhone, type Form } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { parseRupiahInput, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { BenefitsSection } from './benefits-section.js';
import { DiscountNote } from './home.js';
import { monthsFromForm, occupationOptions, ProgramAndMonthFields, programsFromForm, type ContributionChoice } from './simulator-form.js';

/**
 * A registration id in a portal path; anything else (a NUL byte, a very long id) is the not-found page before it
 * reaches the database.
 */
const REG_ID = ':id{reg_[0-9a-zA-Z_-]{1,60}}';
const DRAFT_COOKIE = 'lindung_draf';
const DRAFT_PURPOSE = 'registration-draft';
const DRAFT_LIFETIME_MS = 60 * 60_000;

/** Step 1's answers, kept sealed in a cookie until step 2 sends the whole registration. */
interface Draft extends ApplicantInput {
  address: string;
}

type Errors = Record<string, string>;

function Steps(props: { m: Messages; current: 1 | 2 | 3 | 4 | 5 }) {
  const r = props.m.register;
  const labels = [r.step1, r.step2, r.step3, r.step4, r.step5];
  return (
    <ol class="steps" aria-label={r.stepsLabel}>
      {labels.map((l, i) => (
        <li aria-current={i + 1 === props.current ? 'step' : undefined}>{l}</li>
      ))}
    </ol>
  );
}

function Notice(props: { text: string | undefined; tone?: 'ok' | 'warn' | 'bad' }) {
  if (!props.text) {
    return null;
  }
  return (
    <p class={`notice${props.tone === 'warn' ? ' notice-warn' : props.tone === 'bad' ? ' notice-bad' : ''}`} role="status">
      {props.text}
    </p>
  );
}

/** The message for a use case's rejection, placed on the field it concerns. */
function rejectionError(m: Messages, lang: Lang, code: Parameters<typeof errorMessage>[0], fieldName: string | undefined): [string, string] {
  if (code === 'identity_mismatch') {
    return ['nik', m.register.errNikNotFound];
  }
  if (code === 'invalid_request') {
    if (fieldName === 'birthDate') {
      return ['birthDate', m.register.errBirthDate];
    }
    if (fieldName === 'fullName') {
      return ['fullName', m.register.errFullName];
    }
  }
  return [fieldName ?? '_form', errorMessage(code, lang)];
}

export function registerRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const cookieOptions = { path: '/daftar', httpOnly: true, sameSite: 'Lax' as const, secure: p.secureCookies };

  function readDraft(c: PortalContext): Draft | null {
    return p.crypto.unseal<Draft>(DRAFT_PURPOSE, getCookie(c, DRAFT_COOKIE), deps.clock.now());
  }

  // ---- Step 1: identity -------------------------------------------------------------------------------------------

  function identityPage(c: PortalContext, draft: Partial<Draft>, errors: Errors, status: 200 | 409 | 422 | 429 | 503 = 200, notice?: string) {
    const m = messagesFor(c.get('lang'));
    const r = m.register;
    return renderPage(c, p, {
      title: r.title,
      nav: 'register',
      status,
      body: (
        <>
          <Steps m={m} current={1} />
          <h1>{r.identityTitle}</h1>
          <Notice text={notice} tone="warn" />
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          <p>{r.identityIntro}</p>
          <form method="post" action="/daftar" novalidate data-once>
            <CsrfInput token={c.get('csrf')} />
            <TextField name="nik" label={r.nik} hint={r.nikHint} value={draft.nik} error={errors['nik']} inputmode="numeric" maxlength={16} autocomplete="off" />
            <TextField name="fullName" label={r.fullName} value={draft.fullName} error={errors['fullName']} autocomplete="name" maxlength={100} />
            <TextField name="birthDate" label={r.birthDate} hint={r.birthDateHint} value={draft.birthDate} error={errors['birthDate']} type="date" autocomplete="bday" />
            <ChoiceGroup
              name="gender"
              legend={r.gender}
              type="radio"
              inline
              error={errors['gender']}
              choices={[
                { value: 'M', label: r.genderM, checked: draft.gender === 'M' },
                { value: 'F', label: r.genderF, checked: draft.gender === 'F' },
              ]}
            />
            <TextField name="phone" label={r.phone} hint={r.phoneHint} value={draft.phone} error={errors['phone']} type="tel" inputmode="tel" autocomplete="tel" maxlength={20} />
            <TextField name="email" label={r.email} hint={r.emailHint} value={draft.email} error={errors['email']} type="email" inputmode="email" autocomplete="email" maxlength={254} />
            <TextArea name="address" label={r.address} value={draft.address} error={errors['address']} autocomplete="street-address" maxlength={300} />
            <button type="submit">{r.next}</button>
          </form>
        </>
      ),
    });
  }

  app.get('/daftar', (c) => {
    const draft = readDraft(c) ?? {};
    return identityPage(c, draft, {});
  });

  app.post('/daftar', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const form = (await c.req.parseBody({ all: true })) as Form;
    const gender = field(form, 'gender');
    const draft: Partial<Draft> = {
      nik: field(form, 'nik', 32).replace(/\s+/g, ''),
      fullName: field(form, 'fullName', 200),
      birthDate: field(form, 'birthDate', 20).trim(),
      phone: field(form, 'phone', 32),
      email: field(form, 'email', 320).trim(),
      address: field(form, 'address', 500).trim(),
      ...(gender === 'M' || gender === 'F' ? { gender } : {}),
    };
    const errors: Errors = {};
    if (!draft.gender) {
      errors['gender'] = m.register.errGender;
    }
    if (!draft.address) {
      errors['address'] = m.register.errAddress;
    }
    if (Object.keys(errors).length === 0) {
      const checked = await checkApplicant(deps, draft as Draft);
      if (!checked.ok) {
        const [at, message] = rejectionError(m, lang, checked.code, checked.field);
        errors[at] = message;
        return identityPage(c, draft, errors, checked.code === 'identity_unavailable' ? 503 : checked.code === 'already_registered' ? 409 : 422);
      }
      const sealed = p.crypto.seal(DRAFT_PURPOSE, draft, new Date(deps.clock.now().getTime() + DRAFT_LIFETIME_MS));
      setCookie(c, DRAFT_COOKIE, sealed, { ...cookieOptions, maxAge: DRAFT_LIFETIME_MS / 1000 });
      return c.redirect('/daftar/pekerjaan', 303);
    }
    return identityPage(c, draft, errors, 422);
  });

  // ---- Step 2: occupation, branch, consent → the registration is created ---------------------------------------

  function jobPage(c: PortalContext, values: { occupationCode: string; branchCode: string; consent: boolean }, errors: Errors, status: 200 | 409 | 422 | 503 = 200) {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const r = m.register;
    const q = (c.req.query('kota') ?? '').trim().slice(0, 60);
    const needle = q.toLowerCase();
    const matches = needle ? BRANCHES.filter((b) => `${b.city} ${b.name} ${b.province}`.toLowerCase().includes(needle)) : [];
    const shown = matches.length > 0 ? matches : BRANCHES;
    const provinces = [...new Set(shown.map((b) => b.province))].sort((a, b) => a.localeCompare(b, 'id'));
    const groups = provinces.map((prov) => ({
      label: prov,
      options: shown.filter((b) => b.province === prov).map((b) => ({ value: b.code, label: `${b.city} — ${b.name}` })),
    }));
    const branchCode = values.branchCode || (matches.length === 1 ? (matches[0]?.code ?? '') : '');
    return renderPage(c, p, {
      title: r.title,
      nav: 'register',
      status,
      body: (
        <>
          <Steps m={m} current={2} />
          <h1>{r.jobTitle}</h1>
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          <p>{r.jobIntro}</p>
          <form method="get" action="/daftar/pekerjaan" class="card" role="search">
            <TextField name="kota" label={r.branchSearch} hint={r.branchSearchHint} value={q} type="search" maxlength={60} autocomplete="address-level2" filterFor="branchCode" />
            <button type="submit" class="btn-secondary">
              {r.branchSearchButton}
            </button>
            {q ? <p role="status">{matches.length > 0 ? fill(r.branchSearchFound, { n: matches.length, q }) : fill(r.branchSearchNone, { q })}</p> : null}
          </form>
          <form method="post" action={`/daftar/pekerjaan${q ? `?kota=${encodeURIComponent(q)}` : ''}`} novalidate data-once>
            <CsrfInput token={c.get('csrf')} />
            <SelectField
              name="occupationCode"
              label={r.occupation}
              hint={r.occupationHint}
              placeholder={r.occupationPlaceholder}
              options={occupationOptions(lang)}
              value={values.occupationCode}
              error={errors['occupationCode']}
            />
            <SelectField name="branchCode" label={r.branch} placeholder={r.branchPlaceholder} groups={groups} value={branchCode} error={errors['branchCode']} />
            <ChoiceGroup name="consent" legend={r.consentLegend} type="checkbox" error={errors['consent']} choices={[{ value: 'yes', label: r.consent, checked: values.consent }]} />
            <p class="actions">
              <button type="submit">{r.submitIdentity}</button>
              <a href="/daftar">{r.back}</a>
            </p>
          </form>
        </>
      ),
    });
  }

  app.get('/daftar/pekerjaan', (c) => {
    if (!readDraft(c)) {
      return c.redirect('/daftar', 303);
    }
    return jobPage(c, { occupationCode: '', branchCode: '', consent: false }, {});
  });

  app.post('/daftar/pekerjaan', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const draft = readDraft(c);
    if (!draft) {
      return identityPage(c, {}, {}, 422, m.register.draftExpired);
    }
    const form = (await c.req.parseBody({ all: true })) as Form;
    const values = { occupationCode: field(form, 'occupationCode', 64), branchCode: field(form, 'branchCode', 64), consent: field(form, 'consent') === 'yes' };
    const created = await createRegistration(deps, { ...draft, ...values });
    if (!created.ok) {
      const [at, message] = rejectionError(m, lang, created.code, created.field);
      // A problem with step 1's answers (e.g. the NIK registered meanwhile) is shown on step 1.
      if (['nik', 'fullName', 'birthDate', 'phone', 'email'].includes(at)) {
        return identityPage(c, draft, { [at]: message }, created.code === 'already_registered' ? 409 : created.code === 'sms_limit_reached' ? 429 : 422);
      }
      return jobPage(c, values, { [at]: message }, created.code === 'identity_unavailable' ? 503 : 422);
    }
    deleteCookie(c, DRAFT_COOKIE, { path: '/daftar' });
    return c.redirect(`/daftar/${created.value.id}`, 303);
  });

  // ---- Step 3: verification; the registration page continues where the person left off -----------------------

  const OK_NOTICES = { email: 'emailVerified', phone: 'phoneVerified', resent: 'otpResent' } as const;

  /** `locked`: the code field is shown locked (the code's 5 wrong tries, or the phone's wrong codes for today). */
  function verifyPage(c: PortalContext, reg: Registration, errors: Errors, status: 200 | 404 | 422 | 429 = 200, locked = false) {
    const m = messagesFor(c.get('lang'));
    const r = m.register;
    const okKey = c.req.query('ok') as keyof typeof OK_NOTICES | undefined;
    const notice = okKey && okKey in OK_NOTICES ? r[OK_NOTICES[okKey]] : undefined;
    return renderPage(c, p, {
      title: r.verifyTitle,
      nav: 'register',
      status,
      body: (
        <>
          <Steps m={m} current={3} />
          <h1>{r.verifyTitle}</h1>
          <Notice text={notice} />
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          <p>{fill(r.verifyIntro, { email: maskEmail(reg.email), phone: maskPhone(reg.phone) })}</p>
          <section class="card" aria-labelledby="v-email">
            <h2 id="v-email">{r.email}</h2>
            {reg.email_verified_at ? (
              <p>✓ {r.emailDone}</p>
            ) : (
              <>
                <p>{r.emailTodo}</p>
                <form method="post" action={`/daftar/${reg.id}/email`} novalidate>
                  <CsrfInput token={c.get('csrf')} />
                  <TextField name="token" label={r.emailToken} error={errors['token']} autocomplete="off" maxlength={200} />
                  <button type="submit" class="btn-secondary">
                    {r.emailVerify}
                  </button>
                </form>
              </>
            )}
          </section>
          <section class="card" aria-labelledby="v-phone">
            <h2 id="v-phone">{r.phone}</h2>
            {reg.phone_verified_at ? (
              <p>✓ {r.phoneDone}</p>
            ) : (
              <>
                <form method="post" action={`/daftar/${reg.id}/otp`} novalidate>
                  <CsrfInput token={c.get('csrf')} />
                  <TextField
                    name="code"
                    label={r.otp}
                    hint={r.otpHint}
                    error={errors['code']}
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    maxlength={6}
                    class={locked ? 'locked' : undefined}
                  />
                  <button type="submit">{r.otpVerify}</button>
                </form>
                <form method="post" action={`/daftar/${reg.id}/otp/kirim-ulang`}>
                  <CsrfInput token={c.get('csrf')} />
                  <p class="hint">{r.otpResendHint}</p>
                  <button type="submit" class="btn-secondary">
                    {r.otpResend}
                  </button>
                </form>
              </>
            )}
          </section>
        </>
      ),
    });
  }

  function unknownRegistration(c: PortalContext) {
    const m = messagesFor(c.get('lang')).register;
    return renderPage(c, p, {
      title: m.unknownTitle,
      nav: 'register',
      status: 404,
      body: (
        <>
          <h1>{m.unknownTitle}</h1>
          <p>{m.unknownBody}</p>
          <p>
            <a class="btn" href="/daftar">
              {m.start}
            </a>
          </p>
        </>
      ),
    });
  }

  /** Where a registration stands decides the page: verify, choose programs, pay, or done. */
  app.get(`/daftar/${REG_ID}`, async (c) => {
    const reg = await findRegistration(deps.db, c.req.param('id'));
    if (!reg) {
      return unknownRegistration(c);
    }
    if (reg.status === 'pending_verification') {
      return verifyPage(c, reg, {});
    }
    if (reg.status === 'completed') {
      const m = messagesFor(c.get('lang')).register;
      return renderPage(c, p, {
        title: m.completedTitle,
        nav: 'register',
        body: (
          <>
            <h1>{m.completedTitle}</h1>
            <p>{m.completedBody}</p>
            <p>
              <a class="btn" href="/masuk">
                {m.completedLogin}
              </a>
            </p>
          </>
        ),
      });
    }
    if (reg.status === 'submitted') {
      const bill = await findLatestRegistrationBill(deps.db, reg.id);
      if (bill && billStatusAt(bill, deps.clock.now()) === 'open') {
        return c.redirect(`/bayar/${bill.payment_code}`, 303);
      }
      return c.redirect(`/daftar/${reg.id}/program?kedaluwarsa=1`, 303);
    }
    return c.redirect(`/daftar/${reg.id}/program`, 303);
  });

  /** The link in the verification email: verifies, then continues the registration where it stands. */
  app.get(`/daftar/${REG_ID}/verifikasi-email`, async (c) => {
    const id = c.req.param('id');
    const result = await verifyRegistrationEmail(deps, id, (c.req.query('token') ?? '').slice(0, 200));
    if (!result.ok) {
      const reg = result.code === 'unknown_registration' ? undefined : await findRegistration(deps.db, id);
      if (!reg) {
        return unknownRegistration(c);
      }
      return verifyPage(c, reg, { token: messagesFor(c.get('lang')).register.emailLinkInvalid }, 422);
    }
    return c.redirect(`/daftar/${id}?ok=email`, 303);
  });

  app.post(`/daftar/${REG_ID}/email`, async (c) => {
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as Form;
    const result = await verifyRegistrationEmail(deps, id, field(form, 'token', 200).trim());
    if (!result.ok) {
      const reg = await findRegistration(deps.db, id);
      if (!reg) {
        return unknownRegistration(c);
      }
      return verifyPage(c, reg, { token: errorMessage(result.code, c.get('lang')) }, 422);
    }
    return c.redirect(`/daftar/${id}?ok=email`, 303);
  });

  app.post(`/daftar/${REG_ID}/otp`, async (c) => {
    const id = c.req.param('id');
    const form = (await c.req.parseBody({ all: true })) as Form;
    const result = await verifyRegistrationPhone(deps, id, field(form, 'code', 20).replace(/\s+/g, ''));
    if (!result.ok) {
      const reg = await findRegistration(deps.db, id);
      if (!reg) {
        return unknownRegistration(c);
      }
      const m = messagesFor(c.get('lang'));
      return result.code === 'too_many_attempts'
        ? verifyPage(
            c,
            reg,
            { code: result.detail === DAILY_LOCK_DETAIL ? fill(m.register.otpLockedToday, { n: OTP_POLICY.dailyWrongCodesMax }) : m.register.otpLocked },
            429,
            true,
          )
        : verifyPage(c, reg, { code: errorMessage(result.code, c.get('lang')) }, 422);
    }
    return c.redirect(`/daftar/${id}?ok=phone`, 303);
  });

  app.post(`/daftar/${REG_ID}/otp/kirim-ulang`, async (c) => {
    const id = c.req.param('id');
    const result = await resendRegistrationOtp(deps, id);
    if (!result.ok) {
      const reg = await findRegistration(deps.db, id);
      if (!reg) {
        return unknownRegistration(c);
      }
      return verifyPage(c, reg, { code: errorMessage(result.code, c.get('lang')) }, 429);
    }
    return c.redirect(`/daftar/${id}?ok=resent`, 303);
  });

  // ---- Step 4: programs, income and months with the live quote; submitting issues the payment code -------------

  function programPage(c: PortalContext, reg: Registration, choice: ContributionChoice, errors: Errors, status: 200 | 409 | 422 = 200) {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const r = m.register;
    const income = parseRupiahInput(choice.incomeText);
    let quote: Quote | null = null;
    if (income !== null && Object.keys(errors).length === 0) {
      const q = priceContribution(
        { declaredIncome: income, programs: choice.programs, months: choice.months, startMonth: firstBillStartMonth(deps.clock.now()), sector: reg.sector, funding: reg.funding },
        deps.rules,
      );
      quote = q.ok ? q.value : null;
    }
    const hours = Math.round(deps.rules.firstBillLifetimeMs / 3_600_000);
    return renderPage(c, p, {
      title: r.programTitle,
      nav: 'register',
      status,
      body: (
        <>
          <Steps m={m} current={4} />
          <h1>{r.programTitle}</h1>
          <Notice text={c.req.query('kedaluwarsa') ? r.billExpired : undefined} tone="warn" />
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          <p>{r.programIntro}</p>
          <form method="post" action={`/daftar/${reg.id}/program`} novalidate data-once>
            <CsrfInput token={c.get('csrf')} />
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
        </>
      ),
    });
  }

  async function registrationForProgram(c: PortalContext): Promise<Registration | Response> {
    const reg = await findRegistration(deps.db, c.req.param('id') ?? '');
    if (!reg) {
      return unknownRegistration(c);
    }
    if (reg.status === 'pending_verification' || reg.status === 'completed') {
      return c.redirect(`/daftar/${reg.id}`, 303);
    }
    return reg;
  }

  app.get(`/daftar/${REG_ID}/program`, async (c) => {
    const reg = await registrationForProgram(c);
    if (reg instanceof Response) {
      return reg;
    }
    const choice: ContributionChoice = {
      incomeText: reg.declared_income ? String(reg.declared_income) : '',
      programs: reg.programs && reg.programs.length > 0 ? programsFromForm(reg.programs) : ['JKK', 'JKM'],
      months: 1,
      occupationCode: reg.occupation_code,
    };
    return programPage(c, reg, choice, {});
  });

  app.post(`/daftar/${REG_ID}/program`, async (c) => {
    const reg = await registrationForProgram(c);
    if (reg instanceof Response) {
      return reg;
    }
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const form = (await c.req.parseBody({ all: true })) as Form;
    const choice: ContributionChoice = {
      incomeText: field(form, 'income', 20),
      programs: programsFromForm(fields(form, 'programs')),
      months: monthsFromForm(field(form, 'months')),
      occupationCode: reg.occupation_code,
    };
    const income = parseRupiahInput(choice.incomeText);
    if (income === null) {
      return programPage(c, reg, choice, { income: m.home.incomeInvalid }, 422);
    }
    const quote = priceContribution(
      { declaredIncome: income, programs: choice.programs, months: choice.months, startMonth: firstBillStartMonth(deps.clock.now()), sector: reg.sector, funding: reg.funding },
      deps.rules,
    );
    if (!quote.ok) {
      return programPage(c, reg, choice, { [quote.code === 'income_below_minimum' ? 'income' : quote.field ?? 'income']: errorMessage(quote.code, lang) }, 422);
    }
    if (field(form, 'intent') === 'quote') {
      return programPage(c, reg, choice, {});
    }
    const submitted = await submitRegistration(deps, reg.id, { programs: choice.programs, declaredIncome: income, months: choice.months });
    if (!submitted.ok) {
      if (submitted.code === 'registration_completed') {
        return c.redirect(`/daftar/${reg.id}`, 303);
      }
      return programPage(c, reg, choice, { _form: errorMessage(submitted.code, lang) }, 409);
    }
    return c.redirect(`/bayar/${submitted.value.bill.paymentCode}`, 303);
  });

}
