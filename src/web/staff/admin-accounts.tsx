import { raw } from 'hono/html';
import { errorMessage } from '../../http/messages.js';
import { qrSvg } from '../../modules/cards/index.js';
import { type Branch, branchDirectory, type BranchDirectory, listServicePoints, type ServicePoint } from '../../modules/reference/index.js';
import {
  createStaffAccount,
  findStaffAccount,
  isStaffRole,
  listStaffAccounts,
  resetStaffTotp,
  STAFF_ROLES,
  type StaffAccountView,
  type StaffRole,
  updateStaffAccount,
} from '../../modules/staff/index.js';
import { ChoiceGroup, CsrfInput, type FieldErrors, SelectField, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field, fields, type Form } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffMember } from './layout.js';
import type { StaffConsolePage, StaffKit } from './kit.js';
import { ROLE_LABEL, sectionRoles } from './sections.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/;
const PASSWORD_MIN = 12;

/** What the create and edit forms post. */
export interface AccountForm {
  username: string;
  password: string;
  roles: StaffRole[];
  branchCode: string;
  /** '' or absent = the branch office itself. */
  servicePointCode?: string;
  disabled: boolean;
  reason: string;
}

/** The posted account form (roles are checkboxes: every value is read). */
export function readAccountForm(form: Form): AccountForm {
  return {
    username: field(form, 'username', 80).trim(),
    password: field(form, 'password', 200),
    roles: fields(form, 'roles').filter(isStaffRole),
    branchCode: field(form, 'branchCode', 60).trim(),
    servicePointCode: field(form, 'servicePointCode', 40).trim(),
    disabled: field(form, 'status', 20) === 'disabled',
    reason: field(form, 'reason', 500).trim(),
  };
}

/** PURE: the errors of an account form, by field (`creating`: the username and password are checked too; the branch must be an active one). */
export function checkAccountForm(v: AccountForm, creating: boolean, t: Messages['staffAdmin'], branches: Pick<BranchDirectory, 'find'>): FieldErrors {
  return {
    ...(creating && !USERNAME.test(v.username) ? { username: t.usernameInvalid } : {}),
    ...(creating && v.password.length < PASSWORD_MIN ? { password: t.passwordShort } : {}),
    ...(v.roles.length === 0 ? { roles: t.rolesMissing } : {}),
    ...(v.branchCode !== '' && !branches.find(v.branchCode) ? { branchCode: t.branchUnknown } : {}),
    ...(v.reason.length < 3 ? { reason: t.reasonMissing } : {}),
  };
}

/** The service point chosen must be an active one ('' = none). */
async function checkPoint(kit: StaffKit, v: AccountForm, t: Messages['staffAdmin']): Promise<FieldErrors> {
  if (!v.servicePointCode) return {};
  const points = await listServicePoints(kit.deps.db);
  return points.some((p) => p.active && p.code === v.servicePointCode) ? {} : { servicePointCode: t.servicePointUnknown };
}

function AccountsTable(props: { m: Messages; lang: Lang; accounts: StaffAccountView[] }) {
  const t = props.m.staffAdmin;
  const columns = [{ label: t.colUsername }, { label: t.colRoles }, { label: t.colBranch }, { label: t.colStatus }, { label: t.colTotp }, { label: t.colAction }];
  return (
    <table>
      <caption>{t.accountsCaption}</caption>
      <HeadRow columns={columns} />
      <tbody>
        {props.accounts.map((a) => (
          <tr>
            <td>{a.username}</td>
            <td>{a.roles.map((r) => props.m.staff[ROLE_LABEL[r]]).join(', ')}</td>
            <td>{a.branchCode ?? t.noBranch}{a.servicePointCode ? ` · ${a.servicePointCode}` : ''}</td>
            <td>{a.disabled ? t.statusDisabled : a.lockedUntil ? fill(t.statusLocked, { time: formatInstant(a.lockedUntil, props.lang) }) : t.statusActive}</td>
            <td>{a.totp ? t.totpYes : t.totpNo}</td>
            <td>
              <a href={`/staff/akun/${encodeURIComponent(a.username)}`}>{fill(t.edit, { username: a.username })}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The roles, branch and reason fields, shared by the create and edit forms. */
function RoleBranchReason(props: { m: Messages; values: Partial<AccountForm>; errors: FieldErrors; points: ServicePoint[]; branches: readonly Branch[] }) {
  const t = props.m.staffAdmin;
  const branches = [{ value: '', label: t.branchNone }, ...props.branches.map((b) => ({ value: b.code, label: `${b.name} (${b.code})` }))];
  const roles = STAFF_ROLES.map((r) => ({ value: r, label: props.m.staff[ROLE_LABEL[r]], checked: props.values.roles?.includes(r) ?? false }));
  return (
    <>
      <ChoiceGroup name="roles" legend={t.roles} type="checkbox" choices={roles} error={props.errors['roles']} />
      <SelectField name="branchCode" label={t.branch} options={branches} value={props.values.branchCode ?? ''} error={props.errors['branchCode']} />
      <SelectField name="servicePointCode" label={t.servicePoint} hint={t.servicePointHint} options={[{ value: '', label: t.servicePointNone }, ...props.points.filter((p) => p.active).map((p) => ({ value: p.code, label: `${p.name} (${p.code})` }))]} value={props.values.servicePointCode ?? ''} error={props.errors['servicePointCode']} />
      <TextField name="reason" label={t.reason} hint={t.reasonHint} value={props.values.reason} error={props.errors['reason']} autocomplete="off" maxlength={500} required />
    </>
  );
}

interface PageView {
  values?: Partial<AccountForm>;
  errors?: FieldErrors;
  problem?: string | undefined;
  status?: 200 | 404 | 409 | 422;
}

async function accountsPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: PageView = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staffAdmin;
  const errors = view.errors ?? {};
  const accounts = await listStaffAccounts(kit.deps.db);
  return kit.render(c, {
    title: t.accountsTitle,
    staff,
    current: 'staffAccounts',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.accountsTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>{t.accountsIntro}</p>
        <AccountsTable m={m} lang={lang} accounts={accounts} />
        <section aria-labelledby="buat-akun">
          <h2 id="buat-akun">{t.createTitle}</h2>
          <p>{t.createHint}</p>
          <form method="post" action="/staff/akun" class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="username" label={t.username} hint={t.usernameHint} value={view.values?.username} error={errors['username']} autocomplete="off" maxlength={63} required />
            <TextField name="password" label={t.password} hint={t.passwordHint} type="password" error={errors['password']} autocomplete="new-password" maxlength={200} required />
            <RoleBranchReason m={m} values={view.values ?? {}} errors={errors} points={await listServicePoints(kit.deps.db)} branches={(await branchDirectory(kit.deps.db)).active} />
            <button type="submit">{t.createButton}</button>
          </form>
        </section>
      </>
    ),
  });
}

/** The one-time enrolment page: the otpauth:// URI as a QR code and as text. Never cached. */
async function enrolmentPage(c: PortalContext, kit: StaffKit, staff: StaffMember, enrolment: { username: string; otpauthUri: string }) {
  const t = messagesFor(c.get('lang')).staffAdmin;
  const title = fill(t.enrolTitle, { username: enrolment.username });
  c.header('Cache-Control', 'no-store');
  const svg = await qrSvg(enrolment.otpauthUri);
  return kit.render(c, {
    title,
    staff,
    current: 'staffAccounts',
    body: (
      <>
        <h1>{title}</h1>
        <p>{t.enrolIntro}</p>
        <div class="qr" role="img" aria-label={fill(t.enrolQrLabel, { username: enrolment.username })}>
          {raw(svg)}
        </div>
        <p>{t.enrolUri}</p>
        <p>
          <code class="otpauth" data-otpauth>{enrolment.otpauthUri}</code>
        </p>
        <p>
          <a href="/staff/akun">{t.enrolDone}</a>
        </p>
      </>
    ),
  });
}

async function readAll(c: PortalContext): Promise<Form> {
  return (await c.req.parseBody({ all: true })) as Form;
}

async function editPage(c: PortalContext, kit: StaffKit, staff: StaffMember, username: string, view: PageView = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffAdmin;
  const account = await findStaffAccount(kit.deps.db, username);
  if (!account) {
    return kit.render(c, { title: t.unknownAccount, staff, current: 'staffAccounts', status: 404, body: <h1>{t.unknownAccount}</h1> });
  }
  const errors = view.errors ?? {};
  const values = view.values ?? { roles: account.roles, branchCode: account.branchCode ?? '', servicePointCode: account.servicePointCode ?? '', disabled: account.disabled };
  const title = fill(t.editTitle, { username: account.username });
  const action = `/staff/akun/${encodeURIComponent(account.username)}`;
  const status = [
    { value: 'active', label: t.statusActiveChoice, checked: !values.disabled },
    { value: 'disabled', label: t.statusDisabledChoice, checked: values.disabled === true },
  ];
  return kit.render(c, {
    title,
    staff,
    current: 'staffAccounts',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={title} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <form method="post" action={action} class="card staff-form">
          <CsrfInput token={c.get('csrf')} />
          <ChoiceGroup name="status" legend={t.statusLegend} type="radio" choices={status} />
          <RoleBranchReason m={m} values={values} errors={errors} points={await listServicePoints(kit.deps.db)} branches={(await branchDirectory(kit.deps.db)).active} />
          <button type="submit">{t.saveButton}</button>
        </form>
        <section aria-labelledby="atur-ulang">
          <h2 id="atur-ulang">{t.resetTitle}</h2>
          <p>{t.resetIntro}</p>
          <form method="post" action={`${action}/autentikator`} class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="resetReason" label={t.reason} hint={t.reasonHint} error={errors['resetReason']} autocomplete="off" maxlength={500} required />
            <button type="submit">{t.resetButton}</button>
          </form>
        </section>
      </>
    ),
  });
}

/**
 * /staff/akun (admin, as the staff account endpoints of the policy): the accounts, the create form, the edit page
 * of one account (roles, branch, disable/enable, reset the authenticator). Create and reset answer the one-time
 * enrolment page (QR + otpauth:// URI, no-store); an edit redirects with a flash. Every change is audited as the
 * staff member with the reason typed.
 */
export const staffAccountsRoutes: StaffConsolePage = {
  section: 'staffAccounts',
  mount(app, kit) {
    const roles = sectionRoles('staffAccounts');
    const meta = (staff: StaffMember, reason: string) => ({ actor: staff.username, reason, at: kit.deps.clock.now() });
    app.get('/staff/akun', kit.requireStaffPage(roles, (c, staff) => accountsPage(c, kit, staff)));
    app.post(
      '/staff/akun',
      kit.requireStaffPage(roles, async (c, staff) => {
        const v = readAccountForm(await readAll(c));
        const errors = { ...checkAccountForm(v, true, messagesFor(c.get('lang')).staffAdmin, await branchDirectory(kit.deps.db)), ...(await checkPoint(kit, v, messagesFor(c.get('lang')).staffAdmin)) };
        if (Object.keys(errors).length > 0) {
          return accountsPage(c, kit, staff, { values: v, errors, status: 422 });
        }
        const input = { username: v.username, password: v.password, roles: v.roles, branchCode: v.branchCode || null, servicePointCode: v.servicePointCode || null, withTotp: true };
        const made = await createStaffAccount(kit.deps.db, input, meta(staff, v.reason));
        if (!made) {
          return accountsPage(c, kit, staff, { values: v, errors: { username: errorMessage('username_taken', c.get('lang')) }, status: 409 });
        }
        return enrolmentPage(c, kit, staff, { username: made.username, otpauthUri: made.otpauthUri ?? '' });
      }),
    );
    app.get('/staff/akun/:username', kit.requireStaffPage(roles, (c, staff) => editPage(c, kit, staff, c.req.param('username') ?? '')));
    app.post(
      '/staff/akun/:username',
      kit.requireStaffPage(roles, async (c, staff) => {
        const username = c.req.param('username') ?? '';
        const v = readAccountForm(await readAll(c));
        const t = messagesFor(c.get('lang')).staffAdmin;
        const errors = { ...checkAccountForm(v, false, t, await branchDirectory(kit.deps.db)), ...(await checkPoint(kit, v, t)) };
        if (Object.keys(errors).length > 0) {
          return editPage(c, kit, staff, username, { values: v, errors, status: 422 });
        }
        const change = { roles: v.roles, branchCode: v.branchCode || null, servicePointCode: v.servicePointCode || null, disabled: v.disabled };
        const result = await updateStaffAccount(kit.deps.db, username, change, meta(staff, v.reason));
        if (result === 'not_found' || result === 'own_admin_role') {
          const code = result === 'not_found' ? 'unknown_staff_account' : 'own_admin_role';
          return editPage(c, kit, staff, username, { values: v, problem: errorMessage(code, c.get('lang')), status: result === 'not_found' ? 404 : 409 });
        }
        return kit.redirectWithFlash(c, '/staff/akun', fill(t.saved, { username: result.username }));
      }),
    );
    app.post(
      '/staff/akun/:username/autentikator',
      kit.requireStaffPage(roles, async (c, staff) => {
        const username = c.req.param('username') ?? '';
        const reason = field(await readAll(c), 'resetReason', 500).trim();
        if (reason.length < 3) {
          return editPage(c, kit, staff, username, { errors: { resetReason: messagesFor(c.get('lang')).staffAdmin.reasonMissing }, status: 422 });
        }
        const result = await resetStaffTotp(kit.deps.db, username, meta(staff, reason));
        return result === 'not_found' ? editPage(c, kit, staff, username) : enrolmentPage(c, kit, staff, result);
      }),
    );
  },
};
