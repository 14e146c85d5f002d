import { setCookie } from 'hono/cookie';
import { checkApplicant } from '../../../modules/registration/index.js';
import { ChoiceGroup, CsrfInput, TextArea, TextField } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalPage } from '../../context.js';
import { COOKIE, cookieOptions } from '../../cookies.js';
import { field, type Form } from '../../forms.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { DRAFT_LIFETIME_MS, Notice, readDraft, rejectionError, sealDraft, stepPage, type Draft, type Errors } from './shared.js';

function IdentityForm(props: { m: Messages; csrf: string; draft: Partial<Draft>; errors: Errors }) {
  const r = props.m.register;
  const { draft, errors } = props;
  return (
    <form method="post" action="/daftar" novalidate data-once>
      <CsrfInput token={props.csrf} />
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
  );
}

/** Step 1 (identity); step 2 shows it again when step 1's answers are the problem, or the draft expired (`notice`). */
export function identityPage(c: PortalContext, p: PortalDeps, draft: Partial<Draft>, errors: Errors, status: 200 | 409 | 422 | 429 | 503 = 200, notice?: string) {
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

function draftFromForm(form: Form): Partial<Draft> {
  const gender = field(form, 'gender');
  return {
    nik: field(form, 'nik', 32).replace(/\s+/g, ''),
    fullName: field(form, 'fullName', 200),
    birthDate: field(form, 'birthDate', 20).trim(),
    phone: field(form, 'phone', 32),
    email: field(form, 'email', 320).trim(),
    address: field(form, 'address', 500).trim(),
    ...(gender === 'M' || gender === 'F' ? { gender } : {}),
  };
}

/** Step 1 (GET/POST /daftar): identity and contact details, checked, then kept sealed in a cookie for step 2. */
export const identityStep: PortalPage = (app, p) => {
  app.get('/daftar', (c) => identityPage(c, p, readDraft(c, p) ?? {}, {}));

  app.post('/daftar', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const draft = draftFromForm((await c.req.parseBody({ all: true })) as Form);
    const errors: Errors = {};
    if (!draft.gender) {
      errors['gender'] = m.register.errGender;
    }
    if (!draft.address) {
      errors['address'] = m.register.errAddress;
    }
    if (Object.keys(errors).length > 0) {
      return identityPage(c, p, draft, errors, 422);
    }
    const checked = await checkApplicant(p.deps, draft as Draft);
    if (!checked.ok) {
      const [at, message] = rejectionError(m, lang, checked.code, checked.field);
      errors[at] = message;
      return identityPage(c, p, draft, errors, checked.code === 'identity_unavailable' ? 503 : checked.code === 'already_registered' ? 409 : 422);
    }
    setCookie(c, COOKIE.registrationDraft, sealDraft(p, draft), { ...cookieOptions(p.secureCookies, '/daftar'), maxAge: DRAFT_LIFETIME_MS / 1000 });
    return c.redirect('/daftar/pekerjaan', 303);
  });
};
