import type { Quote, QuoteMonth } from '../../modules/contributions/index.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatMonth, rupiah } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';
import { HeadRow } from './table.js';

type QuoteLike = Pick<Quote, 'months' | 'total'>;

const savingOf = (mo: QuoteMonth) => mo.lines.reduce((s, l) => s + l.discount, 0);

/**
 * The first month per program: what is paid (one amount, the discount already taken off) and what the discount saves,
 * written as a saving ("Hemat Rp12.500") — never a second amount with a minus sign that reads as if the two cancel out.
 */
function MonthTable(props: { m: Messages; lang: Lang; first: QuoteMonth; varies: boolean; caption: string }) {
  const { m, first } = props;
  const saving = savingOf(first);
  const paidLabel = props.varies ? fill(m.money.colPaidFor, { month: formatMonth(first.month, props.lang) }) : m.money.colPerMonth;
  return (
    <table class="quote">
      <caption>{props.caption}</caption>
      <HeadRow columns={[{ label: m.home.colProgram }, { label: paidLabel, num: true }, ...(saving > 0 ? [{ label: m.money.colSaving, num: true }] : [])]} />
      <tbody>
        {first.lines.map((l) => (
          <tr>
            <th scope="row">{m.common[`programShort${l.program}`]}</th>
            <td class="num">{rupiah(l.net)}</td>
            {saving > 0 ? <td class="num saving">{l.discount > 0 ? fill(m.money.saving, { amount: rupiah(l.discount) }) : '—'}</td> : null}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{m.money.perMonthRow}</th>
          <td class="num">{rupiah(first.total)}</td>
          {saving > 0 ? <td class="num saving">{fill(m.money.saving, { amount: rupiah(saving) })}</td> : null}
        </tr>
      </tfoot>
    </table>
  );
}

/** Months whose amounts differ (a discount period ends inside a prepayment): each month, and their sum. */
function MonthsSum(props: { m: Messages; lang: Lang; quote: QuoteLike }) {
  const { m, quote } = props;
  return (
    <table class="quote">
      <caption>{m.money.perMonthCaption}</caption>
      <HeadRow columns={[{ label: m.home.colMonth }, { label: m.home.colAmount, num: true }]} />
      <tbody>
        {quote.months.map((mo) => (
          <tr>
            <th scope="row">{formatMonth(mo.month, props.lang)}</th>
            <td class="num">{rupiah(mo.total)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{fill(m.money.totalMonths, { n: quote.months.length })}</th>
          <td class="num">{rupiah(quote.total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** "3 bulan × Rp10.900 = Rp32.700", or with months that differ "2 bulan × Rp53.400 + 1 bulan × Rp66.800 = Rp173.600". */
function sumText(m: Messages, quote: QuoteLike): string {
  const runs: { n: number; total: number }[] = [];
  for (const mo of quote.months) {
    const last = runs.at(-1);
    if (last && last.total === mo.total) {
      last.n += 1;
    } else {
      runs.push({ n: 1, total: mo.total });
    }
  }
  const parts = runs.map((r) => fill(m.money.monthsTimes, { n: r.n, monthly: rupiah(r.total) }));
  return `${parts.join(' + ')} = ${rupiah(quote.total)}`;
}

/**
 * A quote or bill as a person reads it (issue 18 item 1): per program the one amount paid each month and the saving,
 * then the total that visibly adds up — "3 bulan × Rp10.900 = Rp32.700", or month by month when the months differ.
 */
export function QuoteTable(props: { m: Messages; lang: Lang; quote: QuoteLike; caption: string }) {
  const { m, lang, quote } = props;
  const first = quote.months[0];
  if (!first) {
    return null;
  }
  const n = quote.months.length;
  const varies = quote.months.some((mo) => mo.total !== first.total);
  const saving = quote.months.reduce((s, mo) => s + savingOf(mo), 0);
  return (
    <>
      <MonthTable m={m} lang={lang} first={first} varies={varies} caption={props.caption} />
      {varies ? <MonthsSum m={m} lang={lang} quote={quote} /> : null}
      {n > 1 ? (
        <p class="sum">
          <strong>{sumText(m, quote)}</strong>
        </p>
      ) : null}
      {saving > 0 ? <p class="hint">{n > 1 ? fill(m.money.savingTotal, { n, amount: rupiah(saving) }) : fill(m.money.savingOne, { amount: rupiah(saving) })}</p> : null}
    </>
  );
}
