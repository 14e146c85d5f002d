import { deleteCookie } from 'hono/cookie';
import { type Branch, branchDirectory, branchesNearAddress, occupationDirectory, searchBranches } from '../../../modules/reference/index.js';
import { createRegistration } from '../../../modules/registration/index.js';
import { ChoiceGroup, CsrfInput, SelectField, TextField } from '../../components/form.js';
import type { PortalContext, PortalDeps, PortalPage } from '../../context.js';
import { COOKIE } from '../../cookies.js';
import { cutAt, field, type Form, type FormFlash, redirectWithErrors, takeFormFlash } from '../../forms.js';
import { fill } from '../../i18n/catalogue.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { occupationOptions } from '../simulator-form.js';
import { rejectionError, readDraft, readPlan, stepPage, type Errors } from './shared.js';
import { rememberedRegistration, rememberRegistration } from './form-1a.js';
import { backToIdentity } from './step-identity.js';
import { ConsentLinks } from '../info.js';

interface JobValues {
  occupationCode: string;
  branchCode: string;
  consent: boolean;
}

const PAGE = '/daftar/pekerjaan';

type Group = { label: string; options: { value: string; label: string }[] };

const optionOf = (b: Branch) => ({ value: b.code, label: `${b.city} — ${b.name}` });

/**
 * The branch select's groups: a search's matches (by city, name, district or served area; all branches when none
 * match or nothing was searched), and — without a search — the branches nearest the typed address first.
 */
function branchChoice(branches: readonly Branch[], q: string, address: string, nearTitle: string) {
  const matches = searchBranches(branches, q);
  const near = q ? [] : branchesNearAddress(branches, address);
  const shown = matches.length > 0 ? matches : branches;
  const provinces = [...new Set(shown.map((b) => b.province))].sort((a, b) => a.localeCompare(b, 'id'));
  const groups: Group[] = provinces.map((prov) => ({ label: prov, options: shown.filter((b) => b.province === prov).map(optionOf) }));
  return { matches, near, groups: near.length > 0 ? [{ label: nearTitle, options: near.map(optionOf) }, ...groups] : groups };
}

/** The branch search, inside step 2's form: its button posts the whole form (nothing typed is lost) and comes back here. */
function BranchSearch(props: { m: Messages; q: string; found: number; near: number }) {
  const r = props.m.register;
  const f = props.m.forms;
  const { q } = props;
  const status = q ? (props.found > 0 ? fill(r.branchSearchFound, { n: props.found, q }) : fill(r.branchSearchNone, { q })) : props.near > 0 ? f.branchNearFound : null;
  return (
    <div class="card" role="search">
      <TextField name="kota" label={f.branchSearchAny} hint={f.branchSearchAnyHint} value={q} type="search" maxlength={60} autocomplete="off" filterFor="branchCode" />
      <button type="submit" name="aksi" value="cari" class="btn-secondary">
        {r.branchSearchButton}
      </button>
      {status ? <p role="status">{status}</p> : null}
    </div>
  );
}

/** Step 2: occupation, branch (with a search that works without JavaScript and keeps the other answers) and consent. */
async function jobPage(c: PortalContext, p: PortalDeps, values: JobValues, errors: Errors, address: string, status: FormFlash<unknown>['status'] = 200) {
  const occupations = (await occupationDirectory(p.deps.db)).active;
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const r = m.register;
  const q = cutAt((c.req.query('kota') ?? '').trim(), 60);
  const { matches, near, groups } = branchChoice((await branchDirectory(p.deps.db)).active, q, address, m.forms.branchNearTitle);
  const branchCode = values.branchCode || (matches.length === 1 ? (matches[0]?.code ?? '') : '');
  return stepPage(c, p, {
    step: 2,
    title: r.title,
    heading: r.jobTitle,
    status,
    errors,
    intro: r.jobIntro,
    body: (
      <form method="post" action={PAGE} novalidate data-once>
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
        <BranchSearch m={m} q={q} found={matches.length} near={near.length} />
        <SelectField name="branchCode" label={r.branch} placeholder={r.branchPlaceholder} groups={groups} value={branchCode} error={errors['branchCode']} />
        <ChoiceGroup name="consent" legend={r.consentLegend} type="checkbox" error={errors['consent']} choices={[{ value: 'yes', label: r.consent, checked: values.consent }]} />
        <ConsentLinks t={m.info} />
        <p class="actions">
          <button type="submit" name="aksi" value="kirim">
            {r.submitIdentity}
          </button>
          <a href="/daftar">{r.back}</a>
        </p>
      </form>
    ),
  });
}

/** Step 2 (GET/POST /daftar/pekerjaan): with step 1's draft, creates the registration (which sends the codes). */
export const jobStep: PortalPage = (app, p) => {
  app.get(PAGE, (c) => {
    const draft = readDraft(c, p);
    if (!draft) {
      // Back from step 3 (the draft became the registration): that registration's page; otherwise step 1.
      const started = rememberedRegistration(c, p);
      return c.redirect(started ? `/daftar/${started}` : '/daftar', 303);
    }
    const flash = takeFormFlash<JobValues>(c, p);
    const values = flash?.values ?? { occupationCode: readPlan(c, p)?.occupationCode ?? '', branchCode: '', consent: false };
    return jobPage(c, p, values, flash?.errors ?? {}, draft.address, flash?.status ?? 200);
  });

  app.post(PAGE, async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const form = (await c.req.parseBody({ all: true })) as Form;
    const values = { occupationCode: field(form, 'occupationCode', 64), branchCode: field(form, 'branchCode', 64), consent: field(form, 'consent') === 'yes' };
    const q = field(form, 'kota', 60).trim();
    const here = q ? `${PAGE}?kota=${encodeURIComponent(q)}` : PAGE;
    if (field(form, 'aksi') === 'cari') {
      return redirectWithErrors(c, p, here, { values, errors: {}, status: 200 });
    }
    const draft = readDraft(c, p);
    if (!draft) {
      return backToIdentity(c, p, {}, {}, 422, m.register.draftExpired);
    }
    const created = await createRegistration(p.deps, { ...draft, ...values });
    if (!created.ok) {
      const [at, message] = rejectionError(m, lang, created.code, created.field);
      // A problem with step 1's answers (e.g. the NIK registered meanwhile) is shown on step 1.
      if (['nik', 'fullName', 'birthDate', 'phone', 'email'].includes(at)) {
        return backToIdentity(c, p, draft, { [at]: message }, created.code === 'already_registered' ? 409 : created.code === 'sms_limit_reached' ? 429 : 422);
      }
      return redirectWithErrors(c, p, here, { values, errors: { [at]: message }, status: created.code === 'identity_unavailable' ? 503 : 422 });
    }
    deleteCookie(c, COOKIE.registrationDraft, { path: '/daftar' });
    rememberRegistration(c, p, created.value.id);
    return c.redirect(`/daftar/${created.value.id}`, 303);
  });
};
