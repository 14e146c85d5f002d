import { deleteCookie } from 'hono/cookie';
import { type Branch, branchDirectory, occupationDirectory } from '../../../modules/reference/index.js';
import { createRegistration } from '../../../modules/registration/index.js';
import { ChoiceGroup, CsrfInput, SelectField, TextField } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalPage } from '../../context.js';
import { COOKIE } from '../../cookies.js';
import { field, type Form } from '../../forms.js';
import { fill } from '../../i18n/catalogue.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { occupationOptions } from '../simulator-form.js';
import { rejectionError, readDraft, stepPage, type Errors } from './shared.js';
import { rememberRegistration } from './form-1a.js';
import { identityPage } from './step-identity.js';
import { ConsentLinks } from '../info.js';

interface JobValues {
  occupationCode: string;
  branchCode: string;
  consent: boolean;
}

/** The active branches matching the city search (all when none match or nothing was searched), grouped by province. */
function branchChoice(branches: readonly Branch[], q: string) {
  const needle = q.toLowerCase();
  const matches = needle ? branches.filter((b) => `${b.city} ${b.name} ${b.province}`.toLowerCase().includes(needle)) : [];
  const shown = matches.length > 0 ? matches : branches;
  const provinces = [...new Set(shown.map((b) => b.province))].sort((a, b) => a.localeCompare(b, 'id'));
  const groups = provinces.map((prov) => ({
    label: prov,
    options: shown.filter((b) => b.province === prov).map((b) => ({ value: b.code, label: `${b.city} — ${b.name}` })),
  }));
  return { matches, groups };
}

function BranchSearch(props: { m: Messages; q: string; found: number }) {
  const r = props.m.register;
  const { q } = props;
  return (
    <form method="get" action="/daftar/pekerjaan" class="card" role="search">
      <TextField name="kota" label={r.branchSearch} hint={r.branchSearchHint} value={q} type="search" maxlength={60} autocomplete="address-level2" filterFor="branchCode" />
      <button type="submit" class="btn-secondary">
        {r.branchSearchButton}
      </button>
      {q ? <p role="status">{props.found > 0 ? fill(r.branchSearchFound, { n: props.found, q }) : fill(r.branchSearchNone, { q })}</p> : null}
    </form>
  );
}

/** Step 2: occupation, branch (with a city search that works without JavaScript) and consent. */
async function jobPage(c: PortalContext, p: PortalDeps, values: JobValues, errors: Errors, status: 200 | 409 | 422 | 503 = 200) {
  const occupations = (await occupationDirectory(p.deps.db)).active;
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const r = m.register;
  const q = (c.req.query('kota') ?? '').trim().slice(0, 60);
  const { matches, groups } = branchChoice((await branchDirectory(p.deps.db)).active, q);
  const branchCode = values.branchCode || (matches.length === 1 ? (matches[0]?.code ?? '') : '');
  return stepPage(c, p, {
    step: 2,
    title: r.title,
    heading: r.jobTitle,
    status,
    errors,
    intro: r.jobIntro,
    body: (
      <>
        <BranchSearch m={m} q={q} found={matches.length} />
        <form method="post" action={`/daftar/pekerjaan${q ? `?kota=${encodeURIComponent(q)}` : ''}`} novalidate data-once>
          <CsrfInput token={c.get('csrf')} />
          <SelectField
            name="occupationCode"
            label={r.occupation}
            hint={r.occupationHint}
            placeholder={r.occupationPlaceholder}
            options={occupationOptions(occupations, lang)}
            value={values.occupationCode}
            error={errors['occupationCode']}
          />
          <SelectField name="branchCode" label={r.branch} placeholder={r.branchPlaceholder} groups={groups} value={branchCode} error={errors['branchCode']} />
          <ChoiceGroup name="consent" legend={r.consentLegend} type="checkbox" error={errors['consent']} choices={[{ value: 'yes', label: r.consent, checked: values.consent }]} />
          <ConsentLinks t={m.info} />
          <p class="actions">
            <button type="submit">{r.submitIdentity}</button>
            <a href="/daftar">{r.back}</a>
          </p>
        </form>
      </>
    ),
  });
}

/** Step 2 (GET/POST /daftar/pekerjaan): with step 1's draft, creates the registration (which sends the codes). */
export const jobStep: PortalPage = (app, p) => {
  app.get('/daftar/pekerjaan', (c) => {
    if (!readDraft(c, p)) {
      return c.redirect('/daftar', 303);
    }
    return jobPage(c, p, { occupationCode: '', branchCode: '', consent: false }, {});
  });

  app.post('/daftar/pekerjaan', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const draft = readDraft(c, p);
    if (!draft) {
      return identityPage(c, p, {}, {}, 422, m.register.draftExpired);
    }
    const form = (await c.req.parseBody({ all: true })) as Form;
    const values = { occupationCode: field(form, 'occupationCode', 64), branchCode: field(form, 'branchCode', 64), consent: field(form, 'consent') === 'yes' };
    const created = await createRegistration(p.deps, { ...draft, ...values });
    if (!created.ok) {
      const [at, message] = rejectionError(m, lang, created.code, created.field);
      // A problem with step 1's answers (e.g. the NIK registered meanwhile) is shown on step 1.
      if (['nik', 'fullName', 'birthDate', 'phone', 'email'].includes(at)) {
        return identityPage(c, p, draft, { [at]: message }, created.code === 'already_registered' ? 409 : created.code === 'sms_limit_reached' ? 429 : 422);
      }
      return jobPage(c, p, values, { [at]: message }, created.code === 'identity_unavailable' ? 503 : 422);
    }
    deleteCookie(c, COOKIE.registrationDraft, { path: '/daftar' });
    rememberRegistration(c, p, created.value.id);
    return c.redirect(`/daftar/${created.value.id}`, 303);
  });
};
