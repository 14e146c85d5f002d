import { listOccupations, putOccupation, type OccupationRow } from '../../modules/reference/index.js';
import { OCCUPATION_CODE } from '../../modules/staff/index.js';
import { ChoiceGroup, CsrfInput, type FieldErrors, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffMember } from './layout.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import { sectionRoles } from './sections.js';

type T = Messages['staffOccupations'];
type Values = { code: string; name: string; nameEn: string; sector: string; status: string; reason: string };

function OccupationsTable(props: { t: T; rows: OccupationRow[] }) {
  const { t, rows } = props;
  return (
    <table class="staff-table">
      <caption>{fill(t.caption, { active: rows.filter((o) => o.active).length, total: rows.length })}</caption>
      <HeadRow columns={[{ label: t.colCode }, { label: t.colName }, { label: t.colNameEn }, { label: t.colSector }, { label: t.colStatus }]} />
      <tbody>
        {rows.map((o) => (
          <tr>
            <td>
              <a href={`/staff/pekerjaan?kode=${encodeURIComponent(o.code)}#ubah-pekerjaan`}>{o.code}</a>
            </td>
            <td>{o.name}</td>
            <td lang="en">{o.nameEn}</td>
            <td>{o.sector === 'transport' ? t.sectorTransport : t.sectorOther}</td>
            <td>{o.active ? t.active : t.inactive}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The form's values: what was sent back (a refusal), else the row named by ?kode= (its link in the table), else empty. */
function formValues(c: PortalContext, rows: OccupationRow[], sent: Values | undefined): Partial<Values> {
  if (sent) {
    return sent;
  }
  const row = rows.find((o) => o.code === (c.req.query('kode') ?? ''));
  return row ? { code: row.code, name: row.name, nameEn: row.nameEn, sector: row.sector, status: row.active ? 'active' : 'inactive' } : {};
}

async function occupationsPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<Values>> = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffOccupations;
  const errors: FieldErrors = view.errors ?? {};
  const rows = await listOccupations(kit.deps.db);
  const v = formValues(c, rows, view.values);
  const sectors = [
    { value: 'other', label: t.sectorOther, checked: v.sector !== 'transport' },
    { value: 'transport', label: t.sectorTransport, checked: v.sector === 'transport' },
  ];
  const status = [
    { value: 'active', label: t.active, checked: v.status !== 'inactive' },
    { value: 'inactive', label: t.inactive, checked: v.status === 'inactive' },
  ];
  return kit.render(c, {
    title: t.title,
    staff,
    current: 'occupations',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>{t.intro}</p>
        <section aria-labelledby="ubah-pekerjaan">
          <h2 id="ubah-pekerjaan">{t.formTitle}</h2>
          <form method="post" action="/staff/pekerjaan" class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="code" label={t.code} hint={t.codeHint} value={v.code} error={errors['code']} autocomplete="off" maxlength={40} required />
            <TextField name="name" label={t.name} value={v.name} error={errors['name']} autocomplete="off" maxlength={120} required />
            <TextField name="nameEn" label={t.nameEn} value={v.nameEn} error={errors['nameEn']} autocomplete="off" maxlength={120} required />
            <ChoiceGroup name="sector" legend={t.sector} type="radio" choices={sectors} inline />
            <ChoiceGroup name="status" legend={t.status} type="radio" choices={status} inline />
            <TextField name="reason" label={t.reason} value={view.values?.reason} error={errors['reason']} autocomplete="off" maxlength={500} required />
            <button type="submit">{t.save}</button>
          </form>
        </section>
        <OccupationsTable t={t} rows={rows} />
      </>
    ),
  });
}

/**
 * /staff/pekerjaan (admin, as GET/PUT /api/v1/staff/occupations): every occupation, active or not, and the form that
 * adds one or changes one (rename, sector, deactivate — never delete), through the reference module's putOccupation,
 * audited as the staff member with before/after. A code in the table links to the form filled with its row.
 */
export const occupationsRoutes: StaffConsolePage = {
  section: 'occupations',
  mount(app, kit) {
    const roles = sectionRoles('occupations');
    app.get('/staff/pekerjaan', kit.requireStaffPage(roles, (c, staff) => occupationsPage(c, kit, staff)));
    app.post(
      '/staff/pekerjaan',
      kit.formPost(roles, {
        read: (form): Values => ({
          code: field(form, 'code', 60).trim().toUpperCase(),
          name: field(form, 'name', 120).trim(),
          nameEn: field(form, 'nameEn', 120).trim(),
          sector: field(form, 'sector', 20),
          status: field(form, 'status', 20),
          reason: field(form, 'reason', 500).trim(),
        }),
        check(v, c) {
          const t = messagesFor(c.get('lang')).staffOccupations;
          return {
            ...(OCCUPATION_CODE.test(v.code) && v.code.length >= 2 && v.code.length <= 40 ? {} : { code: t.codeInvalid }),
            ...(v.name.length > 0 ? {} : { name: t.nameMissing }),
            ...(v.nameEn.length > 0 ? {} : { nameEn: t.nameMissing }),
            ...(v.reason.length >= 3 ? {} : { reason: t.reasonMissing }),
          };
        },
        async act(v, staff, c) {
          const occupation = { code: v.code, name: v.name, nameEn: v.nameEn, sector: v.sector === 'transport' ? ('transport' as const) : ('other' as const), active: v.status !== 'inactive' };
          await putOccupation(kit.deps.db, occupation, { actor: staff.username, reason: v.reason, at: kit.deps.clock.now() });
          return { redirect: '/staff/pekerjaan', flash: fill(messagesFor(c.get('lang')).staffOccupations.saved, { code: v.code }) };
        },
        refusals: {},
        rerender: (c, staff, view) => occupationsPage(c, kit, staff, view),
      }),
    );
  },
};
