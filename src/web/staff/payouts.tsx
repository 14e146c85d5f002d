import { getPayout, listPayouts, maskAccount, PAYOUT_STATUSES, retryPayout, type PayoutView } from '../../modules/claims/index.js';
import { mayCall } from '../../modules/staff/index.js';
import { errorMessage } from '../../http/messages.js';
import { CsrfInput, SelectField, TextArea, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { notFoundPage } from '../pages/errors.js';
import { payoutStatusLabel } from './claim-texts.js';
import type { StaffMember } from './layout.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import { rolesForEndpoints, sectionRoles } from './sections.js';

const HREF = '/staff/pembayaran-manfaat';
const RETRY_API = 'POST /api/v1/staff/payouts/{id}/retry';

function PayoutsTable(props: { m: Messages; lang: Lang; payouts: PayoutView[]; mayReissue: boolean }) {
  const t = props.m.staffClaims;
  if (props.payouts.length === 0) {
    return <p>{t.payoutsEmpty}</p>;
  }
  const cols = [t.colPayout, t.colClaim, t.colKpj, t.colStatus, t.colAccount, t.colAttempts, t.colFailure].map((label) => ({ label }));
  return (
    <table class="staff-table">
      <caption>{t.payoutsCaption}</caption>
      <HeadRow columns={[...cols, { label: t.colAmount, num: true }, ...(props.mayReissue ? [{ label: t.colAction }] : [])]} />
      <tbody>
        {props.payouts.map((p) => (
          <tr>
            <td>{p.id}</td>
            <td>
              <a href={`/staff/klaim/${encodeURIComponent(p.claimId)}`}>{`${p.claimType} ${p.claimId}`}</a>
            </td>
            <td>{p.kpj}</td>
            <td>{payoutStatusLabel(t, p.status)}</td>
            <td>{`${p.bankAccount.bankCode} ${maskAccount(p.bankAccount.accountNumber)}`}</td>
            <td>{p.attempts}</td>
            <td>
              {p.paidAt ? fill(t.paidAt, { at: formatInstant(new Date(p.paidAt), props.lang) }) : (p.failureReason ?? (p.nextAttemptAt ? fill(t.nextAttempt, { at: formatInstant(new Date(p.nextAttemptAt), props.lang) }) : '—'))}
            </td>
            <td class="num">{rupiah(p.amount)}</td>
            {props.mayReissue ? <td>{p.status === 'failed' ? <a href={`${HREF}/${encodeURIComponent(p.id)}/ulang`}>{fill(t.reissueLink, { id: p.id })}</a> : '—'}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface ReissueValues {
  bankCode: string;
  accountNumber: string;
  accountName: string;
  reason: string;
}

/** The re-issue form's errors by field (the same limits as POST /api/v1/staff/payouts/{id}/retry). */
export function reissueErrors(v: ReissueValues, t: Messages['staffClaims']): Record<string, string> {
  return {
    ...(/^[A-Z0-9_]{2,20}$/.test(v.bankCode) ? {} : { bankCode: t.bankCodeInvalid }),
    ...(/^\d{6,20}$/.test(v.accountNumber) ? {} : { accountNumber: t.accountNumberInvalid }),
    ...(v.accountName.length >= 2 && v.accountName.length <= 100 ? {} : { accountName: t.accountNameInvalid }),
    ...(v.reason.length >= 3 && v.reason.length <= 500 ? {} : { reason: t.reissueReasonInvalid }),
  };
}

async function reissuePage(c: PortalContext, kit: StaffKit, staff: StaffMember, id: string, view: Partial<FormView<ReissueValues>> = {}) {
  const payout = await getPayout(kit.deps, id);
  if (!payout) {
    return notFoundPage(c, kit.p);
  }
  const m = messagesFor(c.get('lang'));
  const t = m.staffClaims;
  const v = view.values ?? { ...payout.bankAccount, reason: '' };
  const e = view.errors ?? {};
  const title = fill(t.reissueTitle, { id: payout.id });
  const failure = payout.failureReason ?? payoutStatusLabel(t, payout.status);
  return kit.render(c, {
    title,
    staff,
    current: 'payouts',
    status: view.status ?? (payout.status === 'failed' ? 200 : 409),
    body: (
      <>
        <p>
          <a href={`${HREF}?status=failed`}>{t.backToPayouts}</a>
        </p>
        <PageTop title={title} errorSummaryTitle={m.common.errorSummaryTitle} errors={e} problem={view.problem ?? (payout.status === 'failed' ? undefined : errorMessage('payout_not_failed', c.get('lang')))} />
        <p>{fill(t.reissueIntro, { amount: rupiah(payout.amount), claim: payout.claimId, failure })}</p>
        {payout.status === 'failed' || view.status !== undefined ? (
          <form method="post" action={`${HREF}/${encodeURIComponent(payout.id)}/ulang`} class="card staff-form" id="isi">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="bankCode" label={t.bankCode} hint={t.bankCodeHint} value={v.bankCode} error={e['bankCode']} autocomplete="off" maxlength={20} required />
            <TextField name="accountNumber" label={t.accountNumber} value={v.accountNumber} error={e['accountNumber']} inputmode="numeric" autocomplete="off" maxlength={20} required />
            <TextField name="accountName" label={t.accountName} value={v.accountName} error={e['accountName']} autocomplete="off" maxlength={100} required />
            <TextArea name="reason" label={t.reasonLabel} hint={t.reissueReasonHint} value={v.reason} error={e['reason']} maxlength={500} required />
            <button type="submit">{t.reissueButton}</button>
          </form>
        ) : null}
      </>
    ),
  });
}

/**
 * /staff/pembayaran-manfaat, "Pembayaran manfaat" (finance, supervisor — as GET /api/v1/staff/payouts): payouts by
 * status with their count and sum; finance re-issues a failed one (/staff/pembayaran-manfaat/{id}/ulang, as POST
 * …/payouts/{id}/retry) with a corrected bank account and a reason, through the same use case (audited).
 */
export const payoutsRoutes: StaffConsolePage = {
  section: 'payouts',
  mount(app, kit) {
    const retryRoles = rolesForEndpoints([RETRY_API]);
    app.get(
      HREF,
      kit.requireStaffPage(sectionRoles('payouts'), async (c, staff) => {
        const lang = c.get('lang');
        const m = messagesFor(lang);
        const t = m.staffClaims;
        const status = PAYOUT_STATUSES.find((s) => s === c.req.query('status'));
        const list = await listPayouts(kit.deps, { status, limit: 200 });
        const options = [{ value: '', label: t.anyPayoutStatus }, ...PAYOUT_STATUSES.map((s) => ({ value: s, label: payoutStatusLabel(t, s) }))];
        return kit.render(c, {
          title: t.payoutsTitle,
          staff,
          current: 'payouts',
          flash: kit.takeFlash(c),
          body: (
            <>
              <h1>{t.payoutsTitle}</h1>
              <p>{t.payoutsIntro}</p>
              <form method="get" action={HREF} class="staff-inline" role="search">
                <SelectField name="status" label={t.filterStatus} value={status ?? ''} options={options} />
                <div class="field">
                  <button type="submit">{t.filterButton}</button>
                </div>
              </form>
              <p>{fill(t.payoutsSummary, { count: list.count, amount: rupiah(list.amount) })}</p>
              <PayoutsTable m={m} lang={lang} payouts={list.payouts} mayReissue={mayCall(staff.roles, 'POST', '/api/v1/staff/payouts/x/retry')} />
            </>
          ),
        });
      }),
    );
    const id = (c: PortalContext) => (c.req.param('id') ?? '').slice(0, 64);
    app.get(`${HREF}/:id/ulang`, kit.requireStaffPage(retryRoles, (c, staff) => reissuePage(c, kit, staff, id(c))));
    app.post(
      `${HREF}/:id/ulang`,
      kit.formPost(retryRoles, {
        read: (form) => ({ bankCode: field(form, 'bankCode', 40).trim().toUpperCase(), accountNumber: field(form, 'accountNumber', 40).replace(/[\s.-]/g, ''), accountName: field(form, 'accountName', 200).trim(), reason: field(form, 'reason', 600).trim() }),
        check: (values, c) => reissueErrors(values, messagesFor(c.get('lang')).staffClaims),
        async act(values, staff, c) {
          const current = await getPayout(kit.deps, id(c));
          const bankAccount = { bankCode: values.bankCode, accountNumber: values.accountNumber, accountName: values.accountName };
          const same = current !== undefined && (['bankCode', 'accountNumber', 'accountName'] as const).every((k) => current.bankAccount[k] === bankAccount[k]);
          const done = await retryPayout(kit.deps, id(c), { bankAccount: same ? undefined : bankAccount, reason: values.reason, actor: staff.username });
          if (!done.ok) {
            return { refused: done.code };
          }
          const flash = fill(messagesFor(c.get('lang')).staffClaims.reissued, { id: done.value.id, account: `${bankAccount.bankCode} ${maskAccount(bankAccount.accountNumber)}` });
          return { redirect: `${HREF}?status=pending`, flash };
        },
        refusals: { payout_not_failed: { status: 409 }, unknown_payout: { status: 409 } },
        rerender: (c, staff, view) => reissuePage(c, kit, staff, id(c), view),
      }),
    );
  },
};
