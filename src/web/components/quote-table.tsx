import type { Quote, QuoteMonth, Program } from '../../modules/contributions/index.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatMonth, rupiah } from '../i18n/format.js';
import type { Messages } from '../i18n/messages.js';
import { HeadRow } from './table.js';

interface ProgramTotals {
  program: Program;
  firstAmount: number;
  firstDiscount: number;
  firstNet: number;
  total: number;
}

function totalsByProgram(months: readonly QuoteMonth[]): ProgramTotals[] {
  const first = months[0];
  if (!first) {
    return [];
  }
  return first.lines.map((l) => ({
    program: l.program,
    firstAmount: l.amount,
    firstDiscount: l.discount,
    firstNet: l.net,
    total: months.reduce((sum, m) => sum + (m.lines.find((x) => x.program === l.program)?.net ?? 0), 0),
  }));
}

/**
 * A quote or bill as a person reads it: per program the monthly contribution, the discount and what is paid, and
 * the total over the months; month by month underneath when the months differ (a discount period can end inside
 * a prepayment).
 */
export function QuoteTable(props: { m: Messages; lang: Lang; quote: Pick<Quote, 'months' | 'total'>; caption: string }) {
  const { m, lang, quote } = props;
  const rows = totalsByProgram(quote.months);
  const n = quote.months.length;
  const discounted = rows.some((r) => r.firstDiscount > 0);
  const varies = quote.months.some((mo) => mo.total !== quote.months[0]?.total);
  return (
    <>
      <table>
        <caption>{props.caption}</caption>
        <HeadRow
          columns={[
            { label: m.home.colProgram },
            { label: m.home.colMonthly, num: true },
            ...(discounted ? [{ label: m.home.colDiscount, num: true }] : []),
            ...(n > 1 ? [{ label: fill(m.home.colTotal, { n }), num: true }] : []),
          ]}
        />
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{m.common[`programShort${r.program}`]}</th>
              <td class="num">{rupiah(r.firstNet)}</td>
              {discounted ? <td class="num">{r.firstDiscount > 0 ? `−${rupiah(r.firstDiscount)}` : '—'}</td> : null}
              {n > 1 ? <td class="num">{rupiah(r.total)}</td> : null}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{m.home.totalRow}</th>
            <td class="num">{rupiah(quote.months[0]?.total ?? 0)}</td>
            {discounted ? <td class="num">{`−${rupiah(rows.reduce((s, r) => s + r.firstDiscount, 0))}`}</td> : null}
            {n > 1 ? <td class="num">{rupiah(quote.total)}</td> : null}
          </tr>
        </tfoot>
      </table>
      {varies ? (
        <details>
          <summary>{m.home.perMonthTitle}</summary>
          <table>
            <HeadRow columns={[{ label: m.home.colMonth }, { label: m.home.colAmount, num: true }]} />
            <tbody>
              {quote.months.map((mo) => (
                <tr>
                  <th scope="row">{formatMonth(mo.month, lang)}</th>
                  <td class="num">{rupiah(mo.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </>
  );
}
