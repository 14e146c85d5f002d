import { listBranches, PROVINCES, putBranch, type BranchRow } from '../../modules/reference/index.js';
import { BRANCH_CODE } from '../../modules/staff/index.js';
import { ChoiceGroup, CsrfInput, type FieldErrors, SelectField, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffMember } from './layout.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import { sectionRoles } from './sections.js';

type T = Messages['staffBranches'];
type Values = { code: string; name: string; city: string; province: string; address: string; phone: string; status: string; reason: string };

/** An office phone as the form takes it (empty: not recorded); the API's rule. */
const PHONE = /^([0-9+() -]{3,30})?$/;

/** Where the page lives: under "Kantor & titik layanan" (the offices section), linked from it. */
export const BRANCHES_HREF = '/staff/kantor/cabang';

function BranchesTable(props: { t: T; rows: BranchRow[] }) {
  const { t, rows } = props;
  return (
    <table class="staff-table">
      <caption>{fill(t.caption, { active: rows.filter((b) => b.active).length, total: rows.length })}</caption>
      <HeadRow columns={[{ label: t.colCode }, { label: t.colName }, { label: t.colCity }, { label: t.colProvince }, { label: t.colStatus }, { label: t.colAddress }]} />
      <tbody>
        {rows.map((b) => (
          <tr>
            <td>
              <a href={`${BRANCHES_HREF}?kode=${encodeURIComponent(b.code)}#ubah-cabang`}>{b.code}</a>
            </td>
            <td>{b.name}</td>
            <td>{b.city}</td>
            <td>{b.province}</td>
            <td>{b.active ? t.active : t.inactive}</td>
            <td>{[b.address, b.phone].filter(Boolean).join(' · ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The form's values: what was sent back (a refusal), else the row named by ?kode= (its link in the table), else empty. */
function formValues(c: PortalContext, rows: BranchRow[], sent: Values | undefined): Partial<Values> {
  if (sent) {
    return sent;
  }
  const row = rows.find((b) => b.code === (c.req.query('kode') ?? ''));
  return row ? { code: row.code, name: row.name, city: row.city, province: row.province, address: row.address ?? '', phone: row.phone ?? '', status: row.active ? 'active' : 'inactive' } : {};
}

function BranchForm(props: { t: T; csrf: string; v: Partial<Values>; errors: FieldErrors; reason: string | undefined }) {
  const { t, v, errors } = props;
  const provinces = PROVINCES.map((p) => ({ value: p.name, label: p.name }));
  const status = [
    { value: 'active', label: t.active, checked: v.status !== 'inactive' },
    { value: 'inactive', label: t.inactive, checked: v.status === 'inactive' },
  ];
  return (
    <form method="post" action={BRANCHES_HREF} class="card staff-form">
      <CsrfInput token={props.csrf} />
      <TextField name="code" label={t.code} hint={t.codeHint} value={v.code} error={errors['code']} autocomplete="off" maxlength={40} required />
      <TextField name="name" label={t.name} value={v.name} error={errors['name']} autocomplete="off" maxlength={120} required />
      <TextField name="city" label={t.city} value={v.city} error={errors['city']} autocomplete="off" maxlength={80} required />
      <SelectField name="province" label={t.province} placeholder={t.provincePlaceholder} options={provinces} value={v.province} error={errors['province']} required />
      <TextField name="address" label={t.address} hint={t.addressHint} value={v.address} error={errors['address']} autocomplete="off" maxlength={200} />
      <TextField name="phone" label={t.phone} value={v.phone} error={errors['phone']} autocomplete="off" maxlength={30} />
      <ChoiceGroup name="status" legend={t.status} type="radio" choices={status} inline />
      <TextField name="reason" label={t.reason} value={props.reason} error={errors['reason']} autocomplete="off" maxlength={500} required />
      <button type="submit">{t.save}</button>
    </form>
  );
}

async function branchesPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<Values>> = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffBranches;
  const errors: FieldErrors = view.errors ?? {};
  const rows = await listBranches(kit.deps.db);
  return kit.render(c, {
    title: t.title,
    staff,
    current: 'offices',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>{t.intro}</p>
        <p>
          <a href="/staff/kantor">{t.back}</a>
        </p>
        <section aria-labelledby="ubah-cabang">
          <h2 id="ubah-cabang">{t.formTitle}</h2>
          <BranchForm t={t} csrf={c.get('csrf')} v={formValues(c, rows, view.values)} errors={errors} reason={view.values?.reason} />
        </section>
        <BranchesTable t={t} rows={rows} />
      </>
    ),
  });
}

/** PURE: the errors of a branch form, by field. */
export function checkBranchForm(v: Values, t: T): FieldErrors {
  return {
    ...(BRANCH_CODE.test(v.code) ? {} : { code: t.codeInvalid }),
    ...(v.name.length > 0 ? {} : { name: t.nameMissing }),
    ...(v.city.length > 0 ? {} : { city: t.cityMissing }),
    ...(PROVINCES.some((p) => p.name === v.province) ? {} : { province: t.provinceMissing }),
    ...(PHONE.test(v.phone) ? {} : { phone: t.phoneInvalid }),
    ...(v.reason.length >= 3 ? {} : { reason: t.reasonMissing }),
  };
}

/**
 * /staff/kantor/cabang (admin, as GET/PUT /api/v1/staff/branches), linked from "Kantor & titik layanan": every branch
 * office, active or not, and the form that adds one or changes one (rename, move city/province, deactivate — never
 * delete, never a new code for an old branch), through the reference module's putBranch, audited as the staff member
 * with before/after. A code in the table links to the form filled with its row.
 */
export const branchesRoutes: StaffConsolePage = {
  section: 'offices',
  mount(app, kit) {
    const roles = sectionRoles('offices');
    app.get(BRANCHES_HREF, kit.requireStaffPage(roles, (c, staff) => branchesPage(c, kit, staff)));
    app.post(
      BRANCHES_HREF,
      kit.formPost(roles, {
        read: (form): Values => ({
          code: field(form, 'code', 60).trim().toUpperCase(),
          name: field(form, 'name', 120).trim(),
          city: field(form, 'city', 80).trim(),
          province: field(form, 'province', 80).trim(),
          address: field(form, 'address', 200).trim(),
          phone: field(form, 'phone', 30).trim(),
          status: field(form, 'status', 20),
          reason: field(form, 'reason', 500).trim(),
        }),
        check: (v, c) => checkBranchForm(v, messagesFor(c.get('lang')).staffBranches),
        async act(v, staff, c) {
          const branch = { code: v.code, name: v.name, city: v.city, province: v.province, address: v.address, phone: v.phone, active: v.status !== 'inactive' };
          const put = await putBranch(kit.deps.db, branch, { actor: staff.username, reason: v.reason, at: kit.deps.clock.now() });
          if (put === 'unknown_province') {
            return { refused: 'invalid_request' };
          }
          return { redirect: BRANCHES_HREF, flash: fill(messagesFor(c.get('lang')).staffBranches.saved, { code: v.code }) };
        },
        refusals: { invalid_request: { field: 'province', status: 422 } },
        rerender: (c, staff, view) => branchesPage(c, kit, staff, view),
      }),
    );
  },
};
