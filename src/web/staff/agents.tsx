import { type AgentListItem, createKantorPerisai, endAgent, type KantorPerisaiItem, listAgentsForStaff, listKantorPerisai, makeAgent } from '../../modules/agents/index.js';
import { branchDirectory } from '../../modules/reference/index.js';
import type { StaffRole } from '../../modules/staff/index.js';
import { formatRupiah } from '../../shared/money.js';
import { CsrfInput, type FieldErrors, SelectField, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { formatInstant, parseRupiahInput } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffMember } from './layout.js';
import type { FormSpec, FormView, StaffConsolePage, StaffKit } from './kit.js';
import { CONSOLE_SECTIONS, sectionRoles } from './sections.js';

type T = Messages['staffChannels'];
type Values = Record<string, string>;

export const AGENTS_HREF = '/staff/agen';

function KantorTable(props: { t: T; kantors: KantorPerisaiItem[] }) {
  const { t } = props;
  if (props.kantors.length === 0) {
    return <p>{t.kantorEmpty}</p>;
  }
  return (
    <table class="staff-table">
      <caption>{t.kantorCaption}</caption>
      <HeadRow columns={[{ label: t.colCode }, { label: t.colName }, { label: t.colBranch }, { label: t.colAgents, num: true }]} />
      <tbody>
        {props.kantors.map((k) => (
          <tr>
            <td>{k.code}</td>
            <td>{k.name}</td>
            <td>{k.branchCode}</td>
            <td class="num">{k.agents}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AgentsTable(props: { t: T; lang: 'id' | 'en'; agents: AgentListItem[] }) {
  const { t } = props;
  if (props.agents.length === 0) {
    return <p>{t.agentsEmpty}</p>;
  }
  const columns = [{ label: t.colAgentCode }, { label: t.colName }, { label: t.colKpj }, { label: t.colKantor }, { label: t.colStatus }, { label: t.colLastActivity }, { label: t.colCash, num: true }];
  return (
    <table class="staff-table">
      <caption>{t.agentsCaption}</caption>
      <HeadRow columns={columns} />
      <tbody>
        {props.agents.map((a) => (
          <tr>
            <td>{a.agentCode}</td>
            <td>{a.name}</td>
            <td>{a.kpj}</td>
            <td>{a.kantorCode}</td>
            <td>{a.status === 'active' ? t.statusActive : t.statusEnded}</td>
            <td>{a.lastActivityAt ? formatInstant(a.lastActivityAt, props.lang) : t.never}</td>
            <td class="num">
              {formatRupiah(a.outstanding)} / {formatRupiah(a.cashLimit)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Form3 = { form: 'kantor' | 'agent' | 'end' };

/** The three admin forms (a Kantor Perisai, appoint an agent, end an agent); the values and errors of the one posted. */
function AdminForms(props: { t: T; csrf: string; view: Partial<FormView<Values>> & Partial<Form3>; kantors: KantorPerisaiItem[]; agents: AgentListItem[]; branches: { value: string; label: string }[] }) {
  const { t, view } = props;
  const e = (form: Form3['form'], name: string) => (view.form === form ? view.errors?.[name] : undefined);
  const v = (form: Form3['form'], name: string) => (view.form === form ? view.values?.[name] : undefined);
  const kantors = props.kantors.filter((k) => k.active).map((k) => ({ value: k.code, label: `${k.name} (${k.code})` }));
  const active = props.agents.filter((a) => a.status === 'active').map((a) => ({ value: a.agentCode, label: `${a.agentCode} — ${a.name}` }));
  return (
    <>
      <section aria-labelledby="tambah-kantor">
        <h2 id="tambah-kantor">{t.kantorFormTitle}</h2>
        <form method="post" action={`${AGENTS_HREF}/kantor`} class="card staff-form">
          <CsrfInput token={props.csrf} />
          <TextField name="code" label={t.kantorCode} hint={t.kantorCodeHint} value={v('kantor', 'code')} error={e('kantor', 'code')} autocomplete="off" maxlength={40} required />
          <TextField name="name" label={t.kantorName} value={v('kantor', 'name')} error={e('kantor', 'name')} autocomplete="off" maxlength={120} required />
          <SelectField name="branchCode" label={t.branch} options={props.branches} value={v('kantor', 'branchCode')} error={e('kantor', 'branchCode')} required />
          <button type="submit">{t.createKantor}</button>
        </form>
      </section>
      <section aria-labelledby="tunjuk-agen">
        <h2 id="tunjuk-agen">{t.makeAgentTitle}</h2>
        <form method="post" action={AGENTS_HREF} class="card staff-form">
          <CsrfInput token={props.csrf} />
          <TextField name="kpj" label={t.kpj} value={v('agent', 'kpj')} error={e('agent', 'kpj')} autocomplete="off" inputmode="numeric" maxlength={20} required />
          <SelectField name="kantorCode" label={t.kantor} options={kantors} value={v('agent', 'kantorCode')} error={e('agent', 'kantorCode')} required />
          <TextField name="cashLimit" label={t.cashLimit} hint={t.cashLimitHint} value={v('agent', 'cashLimit')} error={e('agent', 'cashLimit')} autocomplete="off" inputmode="numeric" maxlength={20} />
          <button type="submit">{t.makeAgent}</button>
        </form>
      </section>
      {active.length === 0 ? null : (
        <section aria-labelledby="hentikan-agen">
          <h2 id="hentikan-agen">{t.endAgentTitle}</h2>
          <form method="post" action={`${AGENTS_HREF}/akhiri`} class="card staff-form">
            <CsrfInput token={props.csrf} />
            <SelectField name="agentCode" label={t.agent} options={active} value={v('end', 'agentCode')} error={e('end', 'agentCode')} required />
            <TextField name="reason" label={t.reason} value={v('end', 'reason')} error={e('end', 'reason')} autocomplete="off" maxlength={500} required />
            <button type="submit">{t.endAgent}</button>
          </form>
        </section>
      )}
    </>
  );
}

/** Who opens /staff/agen: the admins who manage agents and the finance officers who follow their cash. */
function pageRoles(): StaffRole[] {
  return [...new Set([...sectionRoles('agents'), ...sectionRoles('agentFinance')])];
}

async function agentsPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<Values>> & Partial<Form3> = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffChannels;
  const kantors = await listKantorPerisai(kit.deps.db);
  const agents = await listAgentsForStaff(kit.deps.db);
  const isAdmin = staff.roles.some((r) => sectionRoles('agents').includes(r));
  const isFinance = staff.roles.some((r) => sectionRoles('agentFinance').includes(r));
  const directory = await branchDirectory(kit.deps.db);
  const branches = directory.active.map((b) => ({ value: b.code, label: `${b.name} (${b.code})` }));
  return kit.render(c, {
    title: t.agentsTitle,
    staff,
    current: isAdmin ? 'agents' : 'agentFinance',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.agentsTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={view.errors ?? {}} problem={view.problem} />
        <p>{t.agentsIntro}</p>
        {isFinance ? (
          <p>
            <a href={CONSOLE_SECTIONS.agentFinance.href}>{t.financeLink}</a>
          </p>
        ) : null}
        <h2>{t.kantorTitle}</h2>
        <KantorTable t={t} kantors={kantors} />
        <h2>{t.agentsListTitle}</h2>
        <AgentsTable t={t} lang={c.get('lang')} agents={agents} />
        {isAdmin ? <AdminForms t={t} csrf={c.get('csrf')} view={view} kantors={kantors} agents={agents} branches={branches} /> : null}
      </>
    ),
  });
}

function adminForm(kit: StaffKit, form: Form3['form'], names: string[], spec: Pick<FormSpec<Values>, 'check' | 'act' | 'refusals'>): FormSpec<Values> {
  return {
    read: (f) => Object.fromEntries(names.map((n) => [n, field(f, n, 500).trim()])),
    ...spec,
    rerender: (c, staff, view) => agentsPage(c, kit, staff, { ...view, form }),
  };
}

/**
 * /staff/agen (admin and finance, per STAFF_POLICY): the Kantor Perisai and the agents (code, name, office, status,
 * last activity, cash not deposited against the limit); an admin adds an office, appoints an agent by KPJ and ends
 * one with a reason (the agents module's use cases, audited there). Finance follows the link to
 * /staff/agen/keuangan (agent-finance.tsx).
 */
export const agentsRoutes: StaffConsolePage = {
  section: 'agents',
  mount(app, kit) {
    const admin = sectionRoles('agents');
    app.get(AGENTS_HREF, kit.requireStaffPage(pageRoles(), (c, staff) => agentsPage(c, kit, staff)));
    const t = (c: PortalContext) => messagesFor(c.get('lang')).staffChannels;
    app.post(
      `${AGENTS_HREF}/kantor`,
      kit.formPost(
        admin,
        adminForm(kit, 'kantor', ['code', 'name', 'branchCode'], {
          check: (v, c) => (v['name'] ? {} : { name: t(c).nameMissing }),
          async act(v, staff, c) {
            const made = await createKantorPerisai(kit.deps, staff.username, { code: v['code'] ?? '', name: v['name'] ?? '', branchCode: v['branchCode'] ?? '' });
            if (!made.ok) return { refused: made.code };
            return { redirect: AGENTS_HREF, flash: fill(t(c).kantorCreated, { code: made.value.code }) };
          },
          refusals: { invalid_request: { field: 'code', status: 422 }, unknown_branch: { field: 'branchCode', status: 422 }, kantor_perisai_exists: { field: 'code', status: 409 } },
        }),
      ),
    );
    app.post(
      AGENTS_HREF,
      kit.formPost(
        admin,
        adminForm(kit, 'agent', ['kpj', 'kantorCode', 'cashLimit'], {
          check: (v, c): FieldErrors => (v['cashLimit'] && parseRupiahInput(v['cashLimit']) === null ? { cashLimit: t(c).cashLimitInvalid } : {}),
          async act(v, staff, c) {
            const cashLimit = v['cashLimit'] ? (parseRupiahInput(v['cashLimit']) ?? undefined) : undefined;
            const made = await makeAgent(kit.deps, staff.username, { kpj: v['kpj'] ?? '', kantorCode: v['kantorCode'] ?? '', cashLimit });
            if (!made.ok) return { refused: made.code };
            return { redirect: AGENTS_HREF, flash: fill(t(c).agentMade, { code: made.value.agentCode }) };
          },
          refusals: {
            invalid_request: { field: 'cashLimit', status: 422 },
            unknown_participant: { field: 'kpj', status: 422 },
            participant_not_active: { field: 'kpj', status: 409 },
            unknown_kantor_perisai: { field: 'kantorCode', status: 422 },
            already_agent: { field: 'kpj', status: 409 },
          },
        }),
      ),
    );
    app.post(
      `${AGENTS_HREF}/akhiri`,
      kit.formPost(
        admin,
        adminForm(kit, 'end', ['agentCode', 'reason'], {
          check: (v, c) => (v['reason'] ? {} : { reason: t(c).reasonMissing }),
          async act(v, staff, c) {
            const ended = await endAgent(kit.deps, staff.username, v['agentCode'] ?? '', v['reason'] ?? '');
            if (!ended.ok) return { refused: ended.code };
            return { redirect: AGENTS_HREF, flash: fill(t(c).agentEnded, { code: ended.value.agentCode }) };
          },
          refusals: { unknown_agent: { field: 'agentCode', status: 422 }, invalid_request: { field: 'reason', status: 422 } },
        }),
      ),
    );
  },
};
