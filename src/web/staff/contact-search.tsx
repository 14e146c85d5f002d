import { normalizePhone } from '../../modules/identity/index.js';
import { searchParticipants, type ParticipantMatch, type ParticipantSearch } from '../../modules/membership/index.js';
import { CsrfInput, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { formatMonth } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffConsolePage } from './kit.js';
import type { StaffMember } from './layout.js';
import { sectionRoles } from './sections.js';

export const CONTACT_HREF = '/staff/layanan';

interface SearchValues {
  kpj: string;
  nik: string;
  phone: string;
  name: string;
  birthDate: string;
}

type Criterion = { ok: true; by: ParticipantSearch } | { ok: false; errors: Record<string, string> } | null;

/** The search of the form: the first field given (KPJ, NIK, phone, name + birth date), checked as the API checks it; null when empty. */
export function searchCriterion(v: SearchValues, t: Messages['staffContact']): Criterion {
  if (v.kpj !== '') {
    return { ok: true, by: { kpj: v.kpj } };
  }
  if (v.nik !== '') {
    return /^\d{16}$/.test(v.nik) ? { ok: true, by: { nik: v.nik } } : { ok: false, errors: { nik: t.nikInvalid } };
  }
  if (v.phone !== '') {
    const phone = normalizePhone(v.phone);
    return phone.ok ? { ok: true, by: { phone: phone.value } } : { ok: false, errors: { phone: t.phoneInvalid } };
  }
  if (v.name !== '' || v.birthDate !== '') {
    return v.name !== '' && /^\d{4}-\d{2}-\d{2}$/.test(v.birthDate) ? { ok: true, by: { name: v.name, birthDate: v.birthDate } } : { ok: false, errors: { birthDate: t.birthDateInvalid } };
  }
  return null;
}

function Results(props: { m: Messages; lang: 'id' | 'en'; matches: ParticipantMatch[] }) {
  const t = props.m.staffContact;
  if (props.matches.length === 0) {
    return <p role="status">{t.noResults}</p>;
  }
  return (
    <table class="staff-table">
      <caption>{t.resultsCaption}</caption>
      <HeadRow columns={[{ label: t.colName }, { label: t.colKpj }, { label: t.colStatus }, { label: t.colCovered }]} />
      <tbody>
        {props.matches.map((p) => (
          <tr>
            <td>
              <a href={`${CONTACT_HREF}/${encodeURIComponent(p.kpj)}`}>{p.fullName}</a>
            </td>
            <td>{p.kpj}</td>
            <td>{p.status}</td>
            <td>{formatMonth(p.coveredThrough, props.lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * /staff/layanan, "Layanan pelanggan" (contact centre, counter, supervisor — as GET /api/v1/staff/participants and
 * …/timeline): a search form by KPJ, NIK, phone, or name + birth date; the matches link to the member page
 * (contact-member.tsx). The form is POSTed (with the CSRF token) so that a NIK never sits in an address (access logs,
 * history, the language link); the NIK typed is never echoed back into the page.
 */
export const contactSearchRoutes: StaffConsolePage = {
  section: 'contact',
  mount(app, kit) {
    const roles = sectionRoles('contact');
    const page = async (c: PortalContext, staff: StaffMember, v: SearchValues | null) => {
      const lang = c.get('lang');
      const m = messagesFor(lang);
      const t = m.staffContact;
      const criterion = v ? searchCriterion(v, t) : null;
      const errors = criterion && !criterion.ok ? criterion.errors : {};
      const matches = criterion?.ok ? await searchParticipants(kit.deps, criterion.by) : null;
      return kit.render(c, {
        title: t.searchTitle,
        staff,
        current: 'contact',
        status: criterion && !criterion.ok ? 422 : 200,
        body: (
          <>
            <PageTop title={t.searchTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} />
            <p>{t.searchIntro}</p>
            <form method="post" action={CONTACT_HREF} class="card staff-form" role="search">
              <CsrfInput token={c.get('csrf')} />
              <TextField name="kpj" label={t.kpj} value={v?.kpj ?? ''} autocomplete="off" inputmode="numeric" maxlength={32} />
              <TextField name="nik" label={t.nik} value="" error={errors['nik']} autocomplete="off" inputmode="numeric" maxlength={16} />
              <TextField name="phone" label={t.phone} type="tel" value={v?.phone ?? ''} error={errors['phone']} autocomplete="off" maxlength={32} />
              <TextField name="name" label={t.name} value={v?.name ?? ''} autocomplete="off" maxlength={100} />
              <TextField name="birthDate" label={t.birthDate} hint={t.birthDateHint} type="date" value={v?.birthDate ?? ''} error={errors['birthDate']} />
              <button type="submit">{t.searchButton}</button>
            </form>
            {matches ? <Results m={m} lang={lang} matches={matches} /> : v && criterion === null ? <p role="status">{t.searchOne}</p> : null}
          </>
        ),
      });
    };
    app.get(CONTACT_HREF, kit.requireStaffPage(roles, (c, staff) => page(c, staff, null)));
    app.post(
      CONTACT_HREF,
      kit.requireStaffPage(roles, async (c, staff) => {
        const form = await kit.readForm(c);
        const f = (k: string, max: number) => field(form, k, 200).trim().slice(0, max);
        return page(c, staff, { kpj: f('kpj', 32), nik: f('nik', 32), phone: f('phone', 32), name: f('name', 100), birthDate: f('birthDate', 10) });
      }),
    );
  },
};
