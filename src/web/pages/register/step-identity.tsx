import { setCookie } from 'hono/cookie';
import { errorMessage } from '../../../http/messages.js';
import { type ApplicantProblem, applicantProblems, checkApplicant } from '../../../modules/registration/index.js';
import { localDateInJakarta } from '../../../shared/month.js';
import { ChoiceGroup, CsrfInput, TextArea, TextField } from '../../components/form.js';
import { BirthDateFields, birthDateError, NikField } from '../../components/person-fields.js';
import type { PortalContext, PortalDeps, PortalPage } from '../../context.js';
import { COOKIE, cookieOptions } from '../../cookies.js';
import { checkBirthDate, type DateParts, datePartsOf, field, type Form, type FormFlash, normalizeNikInput, readDateParts, redirectWithErrors, takeFormFlash } from '../../forms.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { DRAFT_LIFETIME_MS, keepPlan, Notice, planFromQuery, readDraft, readPlan, rejectionError, sealDraft, stepPage, type Draft, type Errors } from './shared.js';

/** Step 1's form as typed: the draft's fields, and the birth date's three parts as typed (the draft keeps it ISO). */
export type IdentityValues = Partial<Draft> & { birthParts?: DateParts };

function IdentityForm(props: { m: Messages; csrf: string; draft: IdentityValues; errors: Errors }) {
  const r = props.m.register;
  const f = props.m.forms;
  const { draft, errors } = props;
  return (
    <form method="post" action="/daftar" novalidate data-once>
      <CsrfInput token={props.csrf} />
      <NikField label={r.nik} hint={f.nikHint} value={draft.nik} error={errors['nik']} />
      <TextField name="fullName" label={r.fullName} value={draft.fullName} error={errors['fullName']} autocomplete="name" maxlength={100} />
      <BirthDateFields f={f} legend={r.birthDate} parts={draft.birthParts ?? datePartsOf(draft.birthDate)} error={errors['birthDate']} />
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
  );
}

/** Step 1 (identity), with a refused try's values and errors (after its redirect) or the draft. */
function identityPage(c: PortalContext, p: PortalDeps, draft: IdentityValues, errors: Errors, status: FormFlash<unknown>['status'] = 200, notice?: string) {
  const m = messagesFor(c.get('lang'));
  const r = m.register;
  return stepPage(c, p, {
    step: 1,
    title: r.title,
    heading: r.identityTitle,
    status,
    notice: <Notice text={notice} tone="warn" />,
    errors,
    intro: r.identityIntro,
    body: <IdentityForm m={m} csrf={c.get('csrf')} draft={draft} errors={errors} />,
  });
}

/**
 * Back to step 1 with what is wrong there (step 2 uses it when step 1's answers are the problem, or the draft
 * expired): a 303 to GET /daftar, the values and errors waiting in the form flash.
 */
export function backToIdentity(c: PortalContext, p: PortalDeps, draft: IdentityValues, errors: Errors, status: FormFlash<unknown>['status'], notice?: string): Response {
  return redirectWithErrors(c, p, '/daftar', { values: draft, errors, status, ...(notice ? { notice } : {}) });
}

function identityFromForm(form: Form): IdentityValues {
  const gender = field(form, 'gender');
  const birthParts = readDateParts(form, 'birthDate');
  return {
    nik: normalizeNikInput(field(form, 'nik', 40)),
    fullName: field(form, 'fullName', 200),
    birthParts,
    phone: field(form, 'phone', 32),
    email: field(form, 'email', 320).trim(),
    address: field(form, 'address', 500).trim(),
    ...(gender === 'M' || gender === 'F' ? { gender } : {}),
  };
}

function problemText(m: Messages, lang: Lang, p: ApplicantProblem): string {
  const f = m.forms;
  const r = m.register;
  if (p.problem === 'length') return fill(f.errNikLength, { n: p.digits });
  const texts: Record<ApplicantProblem['field'], { empty: string; invalid: string }> = {
    nik: { empty: f.errNikEmpty, invalid: errorMessage('invalid_nik', lang) },
    fullName: { empty: f.errFullNameEmpty, invalid: r.errFullName },
    gender: { empty: r.errGender, invalid: r.errGender },
    phone: { empty: f.errPhoneEmpty, invalid: errorMessage('invalid_phone', lang) },
    email: { empty: f.errEmailEmpty, invalid: errorMessage('invalid_email', lang) },
    address: { empty: r.errAddress, invalid: r.errAddress },
  };
  return texts[p.field][p.problem];
}

/** Every problem of step 1 at once (issue 18 item 4), in the form's order; sets `values.birthDate` when it is a date. */
function identityErrors(m: Messages, lang: Lang, values: IdentityValues, today: string): Errors {
  const birth = checkBirthDate(values.birthParts ?? { day: '', month: '', year: '' }, today);
  values.birthDate = birth.ok ? birth.value : '';
  const problems = applicantProblems({ nik: '', fullName: '', gender: '', phone: '', email: '', address: '', ...values, birthDate: values.birthDate });
  const errors: Errors = {};
  for (const name of ['nik', 'fullName', 'birthDate', 'gender', 'phone', 'email', 'address'] as const) {
    const problem = problems.find((pr) => pr.field === name);
    if (name === 'birthDate' && !birth.ok) {
      errors[name] = birthDateError(m.forms, birth.problem);
    } else if (problem) {
      errors[name] = problemText(m, lang, problem);
    }
  }
  return errors;
}

/** Step 1 (GET/POST /daftar): identity and contact details, checked, then kept sealed in a cookie for step 2. */
export const identityStep: PortalPage = (app, p) => {
  app.get('/daftar', (c) => {
    const plan = planFromQuery(c);
    if (plan) {
      keepPlan(c, p, plan);
      return c.redirect('/daftar', 303);
    }
    const flash = takeFormFlash<IdentityValues>(c, p);
    const fromSimulator = readPlan(c, p) ? messagesFor(c.get('lang')).forms.fromSimulator : undefined;
    if (flash) {
      return identityPage(c, p, flash.values, flash.errors, flash.status, flash.notice);
    }
    const draft = readDraft(c, p);
    return identityPage(c, p, draft ?? {}, {}, 200, draft ? undefined : fromSimulator);
  });

  app.post('/daftar', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const values = identityFromForm((await c.req.parseBody({ all: true })) as Form);
    const errors = identityErrors(m, lang, values, localDateInJakarta(p.deps.clock.now()));
    if (Object.keys(errors).length > 0) {
      return backToIdentity(c, p, values, errors, 422);
    }
    const { birthParts: _parts, ...draft } = values as Draft & { birthParts?: DateParts };
    const checked = await checkApplicant(p.deps, draft);
    if (!checked.ok) {
      const [at, message] = rejectionError(m, lang, checked.code, checked.field);
      return backToIdentity(c, p, values, { [at]: message }, checked.code === 'identity_unavailable' ? 503 : checked.code === 'already_registered' ? 409 : 422);
    }
    setCookie(c, COOKIE.registrationDraft, sealDraft(p, draft), { ...cookieOptions(p.secureCookies, '/daftar'), maxAge: DRAFT_LIFETIME_MS / 1000 });
    return c.redirect('/daftar/pekerjaan', 303);
  });
};
