import { formatKpj } from '../../../modules/cards/index.js';
import type { MemberAccountView, MemberSummary } from '../../../modules/membership/index.js';
import { addMonths } from '../../../shared/month.js';
import { ChoiceGroup, CsrfInput, type FieldErrors } from '../../components/form.js';
import { paymentChannelName } from '../../components/payment-channel.js';
import { TitledSection } from '../../components/section.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatDate, formatInstant, formatMonth, rupiah } from '../../i18n/format.js';
import type { Messages } from '../../i18n/messages.js';
import { StatusWord } from '../card-verify.js';
import { SignOutForm } from './logout.js';
import { receiptPath } from './receipt.js';

/** The account page's sections, top to bottom (account.tsx puts them together). */

function monthsText(m: Messages, lang: Lang, first: string, count: number): string {
  const n = count === 1 ? m.common.month1 : fill(m.common.months, { n: count });
  const span = count === 1 ? formatMonth(first, lang) : fill(m.member.monthRange, { from: formatMonth(first, lang), to: formatMonth(addMonths(first, count - 1), lang) });
  return `${span} (${n})`;
}

function channelText(m: Messages, channel: string | null): string {
  return paymentChannelName(m, channel) ?? m.member.channelUnknown;
}

/** Whom the page is for, and the way to another participant sharing the phone. */
export function Greeting({ m, summary, canSwitch }: { m: Messages; summary: MemberSummary; canSwitch: boolean }) {
  const part = summary.participant;
  return (
    <p>
      {fill(m.member.greeting, { name: part.full_name })} · {m.member.kpjLabel} <strong class="nowrap">{formatKpj(part.kpj)}</strong>
      {canSwitch ? (
        <>
          {' · '}
          <a href="/masuk/pilih">{m.member.chooseLink}</a>
        </>
      ) : null}
    </p>
  );
}

function statusExplain(m: Messages, summary: MemberSummary): string {
  return summary.status === 'active'
    ? m.member.statusActiveExplain
    : summary.status === 'arrears'
      ? fill(m.member.statusArrearsExplain, { n: summary.overdueMonths.length })
      : m.member.statusInactiveExplain;
}

/** Active, in arrears or inactive; the cover, the overdue months and the next due month. */
export function StatusSection({ m, lang, summary }: { m: Messages; lang: Lang; summary: MemberSummary }) {
  return (
    <TitledSection id="status" title={m.member.statusTitle} class="card">
      <p class="big">
        <StatusWord m={m} status={summary.status} />
      </p>
      <p>{statusExplain(m, summary)}</p>
      <dl class="facts">
        <dt>{m.member.coveredThrough}</dt>
        <dd>{fill(m.member.coveredThroughValue, { month: formatMonth(summary.coveredThrough, lang) })}</dd>
        {summary.overdueMonths.length > 0 && summary.status === 'arrears' ? (
          <>
            <dt>{m.member.overdue}</dt>
            <dd>{summary.overdueMonths.map((mo) => formatMonth(mo, lang)).join(', ')}</dd>
          </>
        ) : null}
        <dt>{m.member.nextMonth}</dt>
        <dd>{formatMonth(summary.nextDue.month, lang)}</dd>
        <dt>{m.member.dueDate}</dt>
        <dd>{formatDate(summary.nextDue.dueDate, lang)}</dd>
        {summary.nextDue.amount > 0 ? (
          <>
            <dt>{m.member.nextAmount}</dt>
            <dd>{rupiah(summary.nextDue.amount)}</dd>
          </>
        ) : null}
      </dl>
    </TitledSection>
  );
}

/** A payment code still open: its amount and a link to it. */
export function OpenBillNotice({ m, unpaid }: { m: Messages; unpaid: MemberAccountView['unpaid'] }) {
  return unpaid ? (
    <p class="notice notice-warn">
      {fill(m.member.openBill, { amount: rupiah(unpaid.amount) })} <a href={`/bayar/${unpaid.payment_code}`}>{m.member.openBillLink}</a>
    </p>
  ) : null;
}

/** Paying the next 1/3/6/12 months (the rule book's options), and the way to auto-debit. */
export function PaySection(props: { m: Messages; lang: Lang; csrf: string; summary: MemberSummary; hasOpenBill: boolean; months: readonly number[]; errors: FieldErrors }) {
  const { m, lang } = props;
  return (
    <TitledSection id="bayar" title={m.member.payTitle}>
      <p>{fill(m.member.payIntro, { month: formatMonth(props.summary.nextDue.month, lang) })}</p>
      <form method="post" action="/akun/bayar" class="card" data-once>
        <CsrfInput token={props.csrf} />
        <ChoiceGroup
          name="months"
          legend={m.member.payMonths}
          type="radio"
          inline
          hint={props.hasOpenBill ? m.member.payNewCodeNote : undefined}
          error={props.errors['months']}
          choices={props.months.map((n, i) => ({ value: String(n), label: n === 1 ? m.common.month1 : fill(m.common.months, { n }), checked: i === 0 }))}
        />
        <button type="submit">{m.member.payButton}</button>
      </form>
      <p><a href="/akun/autodebet">{m.autodebit.accountLink}</a></p>
    </TitledSection>
  );
}

/** The contribution wallet's balance and the way to its page. */
export function WalletSection({ m, balance }: { m: Messages; balance: number }) {
  return (
    <TitledSection id="dompet" title={m.wallet.title}>
      <p>{fill(m.wallet.sectionIntro, { amount: rupiah(balance) })}</p>
      <p>
        <a class="btn btn-secondary" href="/akun/dompet">
          {m.wallet.sectionLink}
        </a>
      </p>
    </TitledSection>
  );
}

function HistoryTable({ m, lang, history }: { m: Messages; lang: Lang; history: MemberAccountView['history'] }) {
  return (
    <table>
      <caption>{m.member.historyCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{m.member.colPaidAt}</th>
          <th scope="col">{m.member.colMonths}</th>
          <th scope="col" class="num">
            {m.member.colAmount}
          </th>
          <th scope="col">{m.member.colChannel}</th>
        </tr>
      </thead>
      <tbody>
        {history.map((b) => (
          <tr>
            <td>
              {b.paid_at ? formatInstant(b.paid_at, lang) : '—'}
              <br />
              <a href={receiptPath(b.id)} download>
                {m.money.receiptLink}
                <span class="sr-only">{fill(m.money.receiptLinkFor, { when: b.paid_at ? formatInstant(b.paid_at, lang) : '' })}</span>
              </a>
            </td>
            <td>{monthsText(m, lang, b.first_month, b.month_count)}</td>
            <td class="num">{rupiah(b.amount)}</td>
            <td>{b.kind === 'wallet' ? m.wallet.channelWallet : channelText(m, b.channel)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The paid bills, newest first. */
export function HistorySection({ m, lang, history }: { m: Messages; lang: Lang; history: MemberAccountView['history'] }) {
  return (
    <TitledSection id="riwayat" title={m.member.historyTitle}>
      {history.length === 0 ? <p>{m.member.historyEmpty}</p> : <HistoryTable m={m} lang={lang} history={history} />}
    </TitledSection>
  );
}

/** The digital card: view it, or download the PDF. */
export function CardSection({ m }: { m: Messages }) {
  return (
    <TitledSection id="kartu" title={m.member.cardTitle}>
      <p>{m.member.cardIntro}</p>
      <p class="actions">
        <a class="btn" href="/akun/kartu">
          {m.member.viewCard}
        </a>
        <a class="btn btn-secondary" href="/akun/kartu.pdf" download>
          {m.member.downloadCard}
        </a>
      </p>
    </TitledSection>
  );
}

export function SignOutSection({ m, csrf }: { m: Messages; csrf: string }) {
  return (
    <TitledSection id="keluar" title={m.member.signOutTitle}>
      <p>{m.member.signOutHint}</p>
      <SignOutForm m={m} csrf={csrf} />
    </TitledSection>
  );
}
