import { agentCash, type AgentCashView, listAgentsForStaff, recordDeposit } from '../../modules/agents/index.js';
import { approveStatement, getStatement, listStatements, markStatementPaid, statementApprovers, type StatementView } from '../../modules/incentives/index.js';
import { formatRupiah } from '../../shared/money.js';
import { newId } from '../../shared/ids.js';
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
import { AGENTS_HREF } from './agents.js';
import { sectionRoles } from './sections.js';

type T = Messages['staffChannels'];
type Values = Record<string, string>;

export const FINANCE_HREF = '/staff/agen/keuangan';
const STATUS_LABEL = { due: 'stDue', approved: 'stApproved', paid: 'stPaid', nothing_due: 'stNothingDue' } as const satisfies Record<StatementView['status'], keyof T>;

/** The previous month in Jakarta (the month statements are made for), 'YYYY-MM'. */
function lastMonth(now: Date): string {
  const jakarta = new Date(now.getTime() + 7 * 3600_000);
  const d = new Date(Date.UTC(jakarta.getUTCFullYear(), jakarta.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

function financeHref(agent: string, month: string): string {
  return `${FINANCE_HREF}?agen=${encodeURIComponent(agent)}&bulan=${encodeURIComponent(month)}`;
}

function CashBlock(props: { t: T; lang: 'id' | 'en'; cash: AgentCashView }) {
  const { t, cash } = props;
  return (
    <>
      <h2>{fill(t.cashTitle, { code: cash.agentCode })}</h2>
      <dl class="facts">
        <dt>{t.collected}</dt>
        <dd>{formatRupiah(cash.collected)}</dd>
        <dt>{t.deposited}</dt>
        <dd>{formatRupiah(cash.deposited)}</dd>
        <dt>{t.outstanding}</dt>
        <dd>{formatRupiah(cash.outstanding)}</dd>
        <dt>{t.limit}</dt>
        <dd>{formatRupiah(cash.limit)}</dd>
      </dl>
      {cash.collections.length === 0 ? (
        <p>{t.noOpenCollections}</p>
      ) : (
        <table class="staff-table">
          <caption>{t.cashCaption}</caption>
          <HeadRow columns={[{ label: t.colReceipt }, { label: t.colReceived }, { label: t.colAmount, num: true }, { label: t.colOpen, num: true }]} />
          <tbody>
            {cash.collections.map((col) => (
              <tr>
                <td>{col.receiptNo}</td>
                <td>{formatInstant(new Date(col.receivedAt), props.lang)}</td>
                <td class="num">{formatRupiah(col.amount)}</td>
                <td class="num">{formatRupiah(col.open)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function StatementsBlock(props: { t: T; csrf: string; agent: string; month: string; statements: StatementView[]; approvedByMe: Set<string>; view: Partial<FormView<Values>> }) {
  const { t, statements } = props;
  const approved = statements.filter((s) => s.status === 'approved');
  const back = `?agen=${encodeURIComponent(props.agent)}&bulan=${encodeURIComponent(props.month)}`;
  return (
    <section aria-labelledby="insentif">
      <h2 id="insentif">{fill(t.statementsTitle, { month: props.month })}</h2>
      <p>{t.fourEyes}</p>
      {statements.length === 0 ? (
        <p>{t.statementsEmpty}</p>
      ) : (
        <table class="staff-table">
          <caption>{t.statementsCaption}</caption>
          <HeadRow columns={[{ label: t.colStatement }, { label: t.colTotal, num: true }, { label: t.colPayBy }, { label: t.colStatus }, { label: t.colAction }]} />
          <tbody>
            {statements.map((s) => (
              <tr>
                <td>
                  <code>{s.id}</code>
                </td>
                <td class="num">{formatRupiah(s.total)}</td>
                <td>{s.payBy}</td>
                <td>{t[STATUS_LABEL[s.status]]}</td>
                <td>
                  {s.status === 'due' ? (
                    <form method="post" action={`${FINANCE_HREF}/insentif/${encodeURIComponent(s.id)}/setujui${back}`}>
                      <CsrfInput token={props.csrf} />
                      <button type="submit" class="secondary">
                        {fill(t.approve, { id: s.id })}
                      </button>
                    </form>
                  ) : s.status === 'approved' && props.approvedByMe.has(s.id) ? (
                    t.approvedByYou
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t.payTitle}</h3>
      {approved.length === 0 ? (
        <p>{t.noApproved}</p>
      ) : (
        <form method="post" action={`${FINANCE_HREF}/insentif/bayar${back}`} class="card staff-form">
          <CsrfInput token={props.csrf} />
          <SelectField name="statementId" label={t.statement} options={approved.map((s) => ({ value: s.id, label: `${s.id} — ${formatRupiah(s.total)}` }))} value={props.view.values?.['statementId']} error={props.view.errors?.['statementId']} required />
          <TextField name="paymentReference" label={t.reference} value={props.view.values?.['paymentReference']} error={props.view.errors?.['paymentReference']} autocomplete="off" maxlength={120} required />
          <button type="submit">{t.markPaid}</button>
        </form>
      )}
    </section>
  );
}

function DepositForm(props: { t: T; csrf: string; agent: string; month: string; view: Partial<FormView<Values>> }) {
  const { t } = props;
  const v = props.view.values;
  const e = props.view.errors ?? {};
  // The deposit's id is chosen here, before the POST: a double submit (or a re-render after a refusal) is one deposit.
  const id = v?.['depositId'] || newId('dep');
  return (
    <section aria-labelledby="setoran">
      <h2 id="setoran">{t.depositTitle}</h2>
      <form method="post" action={`${FINANCE_HREF}/setoran?agen=${encodeURIComponent(props.agent)}&bulan=${encodeURIComponent(props.month)}`} class="card staff-form">
        <CsrfInput token={props.csrf} />
        <input type="hidden" name="depositId" value={id} />
        <TextField name="amount" label={t.amount} value={v?.['amount']} error={e['amount']} autocomplete="off" inputmode="numeric" maxlength={20} required />
        <TextField name="reference" label={t.reference} value={v?.['reference']} error={e['reference']} autocomplete="off" maxlength={120} required />
        <TextField name="depositedAt" label={t.depositedAt} type="date" value={v?.['depositedAt']} error={e['depositedAt']} required />
        <button type="submit">{t.recordDeposit}</button>
      </form>
    </section>
  );
}

async function approvedBy(kit: StaffKit, statements: StatementView[], username: string): Promise<Set<string>> {
  const approvers = await statementApprovers(kit.deps.db, statements.filter((x) => x.status === 'approved').map((x) => x.id));
  return new Set([...approvers].filter(([, by]) => by === username).map(([id]) => id));
}

async function financePage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<Values>> = {}) {
  const m = messagesFor(c.get('lang'));
  const t = m.staffChannels;
  const agents = await listAgentsForStaff(kit.deps.db);
  const agent = c.req.query('agen') ?? agents[0]?.agentCode ?? '';
  const monthRaw = c.req.query('bulan') ?? '';
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(monthRaw) ? monthRaw : lastMonth(kit.deps.clock.now());
  const cash = agent ? await agentCash(kit.deps, agent) : null;
  const statements = cash?.ok ? await listStatements(kit.deps.db, { kind: 'agent', code: agent }, month) : [];
  const csrf = c.get('csrf');
  return kit.render(c, {
    title: t.financeTitle,
    staff,
    current: 'agentFinance',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.financeTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={view.errors ?? {}} problem={view.problem} />
        <p>
          {t.financeIntro} <a href={AGENTS_HREF}>{t.backToAgents}</a>
        </p>
        <form method="get" action={FINANCE_HREF} class="card staff-form" aria-label={t.chooseTitle}>
          <SelectField name="agen" label={t.agent} options={agents.map((a) => ({ value: a.agentCode, label: `${a.agentCode} — ${a.name}` }))} value={agent} />
          <TextField name="bulan" label={t.month} hint={t.monthHint} value={month} autocomplete="off" maxlength={7} />
          <button type="submit">{t.show}</button>
        </form>
        {cash && !cash.ok ? <p>{t.unknownAgentChosen}</p> : null}
        {cash?.ok ? (
          <>
            <CashBlock t={t} lang={c.get('lang')} cash={cash.value} />
            <DepositForm t={t} csrf={csrf} agent={agent} month={month} view={view} />
            <StatementsBlock t={t} csrf={csrf} agent={agent} month={month} statements={statements} approvedByMe={await approvedBy(kit, statements, staff.username)} view={view} />
          </>
        ) : null}
      </>
    ),
  });
}

function back(c: PortalContext): string {
  return financeHref(c.req.query('agen') ?? '', c.req.query('bulan') ?? '');
}

function financeForm(kit: StaffKit, names: string[], spec: Pick<FormSpec<Values>, 'check' | 'act' | 'refusals'>): FormSpec<Values> {
  return { read: (f) => Object.fromEntries(names.map((n) => [n, field(f, n, 200).trim()])), ...spec, rerender: (c, staff, view) => financePage(c, kit, staff, view) };
}

/**
 * /staff/agen/keuangan (finance, per STAFF_POLICY): one agent's cash (collected, deposited, outstanding against the
 * limit, the collections not yet covered), recording a deposit (its id chosen by the page: a double submit is one
 * deposit) and the agent's incentive statements of a month: approve, and — by ANOTHER officer (four eyes, refused
 * incentive_same_officer otherwise) — record as paid with the bank reference.
 */
export const agentFinanceRoutes: StaffConsolePage = {
  section: 'agentFinance',
  mount(app, kit) {
    const roles = sectionRoles('agentFinance');
    const t = (c: PortalContext) => messagesFor(c.get('lang')).staffChannels;
    app.get(FINANCE_HREF, kit.requireStaffPage(roles, (c, staff) => financePage(c, kit, staff)));
    app.post(
      `${FINANCE_HREF}/setoran`,
      kit.formPost(
        roles,
        financeForm(kit, ['depositId', 'amount', 'reference', 'depositedAt'], {
          check(v, c): FieldErrors {
            const amount = parseRupiahInput(v['amount']);
            return {
              ...(amount !== null && amount > 0 ? {} : { amount: t(c).amountInvalid }),
              ...(v['reference'] ? {} : { reference: t(c).referenceMissing }),
              ...(/^\d{4}-\d{2}-\d{2}$/.test(v['depositedAt'] ?? '') ? {} : { depositedAt: t(c).depositedAtInvalid }),
            };
          },
          async act(v, staff, c) {
            const agent = c.req.query('agen') ?? '';
            const amount = parseRupiahInput(v['amount']) ?? 0;
            const input = { id: v['depositId'] ?? '', amount, reference: v['reference'] ?? '', depositedAt: `${v['depositedAt'] ?? ''}T00:00:00+07:00` };
            const done = await recordDeposit(kit.deps, staff.username, agent, input);
            if (!done.ok) return { refused: done.code };
            return { redirect: back(c), flash: fill(t(c).depositRecorded, { amount: formatRupiah(amount), code: agent }) };
          },
          refusals: { unknown_agent: { status: 422 }, invalid_request: { status: 422 }, idempotency_key_reused: { status: 409 } },
        }),
      ),
    );
    app.post(
      `${FINANCE_HREF}/insentif/:id/setujui`,
      kit.formPost(
        roles,
        financeForm(kit, [], {
          async act(_v, staff, c) {
            const id = c.req.param('id') ?? '';
            const done = await approveStatement(kit.deps, id, staff.username);
            if (!done.ok) return { refused: done.code };
            return { redirect: back(c), flash: fill(t(c).approved, { id }) };
          },
          refusals: { not_found: { status: 422 }, incentive_statement_not_due: { status: 409 } },
        }),
      ),
    );
    app.post(
      `${FINANCE_HREF}/insentif/bayar`,
      kit.formPost(
        roles,
        financeForm(kit, ['statementId', 'paymentReference'], {
          check: (v, c) => (v['paymentReference'] ? {} : { paymentReference: t(c).referenceMissing }),
          async act(v, staff, c) {
            const id = v['statementId'] ?? '';
            if (!(await getStatement(kit.deps.db, id))) return { refused: 'not_found' };
            const done = await markStatementPaid(kit.deps, id, { reference: v['paymentReference'] ?? '', actor: staff.username });
            if (!done.ok) return { refused: done.code };
            return { redirect: back(c), flash: fill(t(c).paidDone, { id }) };
          },
          refusals: { not_found: { field: 'statementId', status: 422 }, incentive_statement_not_approved: { field: 'statementId', status: 409 }, incentive_same_officer: { field: 'statementId', status: 409 } },
        }),
      ),
    );
  },
};
