import { branchDirectory, type BranchDirectory, listServicePoints, putServicePoint, type ServicePoint } from '../../modules/reference/index.js';
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
import { BRANCHES_HREF } from './admin-branches.js';

type T = Messages['staffOffices'];
type Values = { code: string; branchCode: string; kind: string; name: string; status: string; reason: string };

function PointsTable(props: { t: T; points: ServicePoint[]; branches: Pick<BranchDirectory, 'name'> }) {
  const { t } = props;
  if (props.points.length === 0) {
    return <p>{t.empty}</p>;
  }
  return (
    <table class="staff-table">
      <caption>{t.caption}</caption>
      <HeadRow columns={[{ label: t.colBranch }, { label: t.colCode }, { label: t.colName }, { label: t.colKind }, { label: t.colStatus }]} />
      <tbody>
        {props.points.map((p) => (
          <tr>
            <td>{props.branches.name(p.branchCode)}</td>
            <td>{p.code}</td>
            <td>{p.name}</td>
            <td>{p.kind === 'spo' ? t.kindSpo : t.kindCounter}</td>
            <td>{p.active ? t.active : t.inactive}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

async function officesPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<Values>> = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffOffices;
  const errors: FieldErrors = view.errors ?? {};
  const v = view.values;
  const directory = await branchDirectory(kit.deps.db);
  const branches = directory.active.map((b) => ({ value: b.code, label: `${b.name} (${b.code})` }));
  const kinds = [
    { value: 'branch_counter', label: t.kindCounter, checked: v?.kind !== 'spo' },
    { value: 'spo', label: t.kindSpo, checked: v?.kind === 'spo' },
  ];
  const status = [
    { value: 'active', label: t.active, checked: v?.status !== 'inactive' },
    { value: 'inactive', label: t.inactive, checked: v?.status === 'inactive' },
  ];
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
          <a href={BRANCHES_HREF}>{t.branchesLink}</a>
        </p>
        <PointsTable t={t} points={await listServicePoints(kit.deps.db)} branches={directory} />
        <section aria-labelledby="titik-layanan">
          <h2 id="titik-layanan">{t.formTitle}</h2>
          <form method="post" action="/staff/kantor" class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="code" label={t.code} hint={t.codeHint} value={v?.code} error={errors['code']} autocomplete="off" maxlength={40} required />
            <SelectField name="branchCode" label={t.branch} options={branches} value={v?.branchCode} error={errors['branchCode']} required />
            <ChoiceGroup name="kind" legend={t.kind} type="radio" choices={kinds} inline />
            <TextField name="name" label={t.name} value={v?.name} error={errors['name']} autocomplete="off" maxlength={200} required />
            <ChoiceGroup name="status" legend={t.status} type="radio" choices={status} inline />
            <TextField name="reason" label={t.reason} value={v?.reason} error={errors['reason']} autocomplete="off" maxlength={500} required />
            <button type="submit">{t.save}</button>
          </form>
        </section>
      </>
    ),
  });
}

/**
 * /staff/kantor (admin, as PUT /api/v1/staff/service-points/{code}): the service points by branch and the form that
 * adds or changes one (the reference module's putServicePoint, audited as the staff member). The branch offices
 * themselves are on the page it links to, /staff/kantor/cabang (admin-branches.tsx).
 */
export const officesRoutes: StaffConsolePage = {
  section: 'offices',
  mount(app, kit) {
    const roles = sectionRoles('offices');
    app.get('/staff/kantor', kit.requireStaffPage(roles, (c, staff) => officesPage(c, kit, staff)));
    app.post(
      '/staff/kantor',
      kit.formPost(roles, {
        read: (form): Values => ({
          code: field(form, 'code', 60).trim().toUpperCase(),
          branchCode: field(form, 'branchCode', 60).trim(),
          kind: field(form, 'kind', 20),
          name: field(form, 'name', 200).trim(),
          status: field(form, 'status', 20),
          reason: field(form, 'reason', 500).trim(),
        }),
        check(v, c) {
          const t = messagesFor(c.get('lang')).staffOffices;
          return {
            ...(/^[A-Z0-9][A-Z0-9-]{1,39}$/.test(v.code) ? {} : { code: t.codeInvalid }),
            ...(v.name.length > 0 ? {} : { name: t.nameMissing }),
            ...(v.reason.length >= 3 ? {} : { reason: t.reasonMissing }),
          };
        },
        async act(v, staff, c) {
          const point = { code: v.code, branchCode: v.branchCode, kind: v.kind === 'spo' ? ('spo' as const) : ('branch_counter' as const), name: v.name, active: v.status !== 'inactive' };
          const put = await putServicePoint(kit.deps.db, point, { actor: staff.username, reason: v.reason, at: kit.deps.clock.now() });
          if (put === 'unknown_branch') {
            return { refused: 'unknown_branch' };
          }
          return { redirect: '/staff/kantor', flash: fill(messagesFor(c.get('lang')).staffOffices.saved, { code: v.code }) };
        },
        refusals: { unknown_branch: { field: 'branchCode', status: 422 } },
        rerender: (c, staff, view) => officesPage(c, kit, staff, view),
      }),
    );
  },
};
