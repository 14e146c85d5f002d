import { listJhtRates, putJhtRate, type JhtRate } from '../../modules/jht/index.js';
import { CsrfInput, TextField } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext } from '../context.js';
import { field } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { StaffMember } from './layout.js';
import type { FormView, StaffConsolePage, StaffKit } from './kit.js';
import { sectionRoles } from './sections.js';

/** '7,25' or '7.25' (percent a year, at most 2 decimals, 0–100) → 725 basis points; null when it is not that. */
export function parseRatePercent(raw: string): number | null {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(raw.trim().replace(/\s*%$/, ''));
  if (!m) {
    return null;
  }
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

/** 725 → '7,25%' (id) / '7.25%' (en). */
export function formatRate(bp: number, lang: Lang): string {
  return `${new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(bp / 100)}%`;
}

function RatesTable(props: { m: Messages; lang: Lang; rates: JhtRate[]; withAudit: boolean }) {
  const t = props.m.staff;
  if (props.rates.length === 0) {
    return <p>{t.ratesEmpty}</p>;
  }
  const columns = [{ label: t.colYear }, { label: t.colRate, num: true }, { label: t.colSetBy }, { label: t.colSetAt }, { label: t.colStatus }, ...(props.withAudit ? [{ label: t.colAudit }] : [])];
  return (
    <table>
      <caption>{t.ratesCaption}</caption>
      <HeadRow columns={columns} />
      <tbody>
        {props.rates.map((r) => (
          <tr>
            <td>{r.year}</td>
            <td class="num">{formatRate(r.rateBp, props.lang)}</td>
            <td>{r.setBy}</td>
            <td>{formatInstant(r.setAt, props.lang)}</td>
            <td>{r.appliedAt ? fill(t.rateApplied, { date: formatInstant(r.appliedAt, props.lang) }) : t.rateNotApplied}</td>
            {props.withAudit ? (
              <td>
                <a href={`/staff/audit?entitas=jht_rate:${r.year}`}>{fill(t.auditLink, { year: r.year })}</a>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type RatesView = Partial<FormView<{ year: string; rate: string }>>;

async function ratesPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: RatesView = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staff;
  const errors = view.errors ?? {};
  const rates = await listJhtRates(kit.deps.db);
  const withAudit = sectionRoles('audit').some((r) => staff.roles.includes(r));
  return kit.render(c, {
    title: t.ratesTitle,
    staff,
    current: 'jhtRates',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.ratesTitle} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>{t.ratesIntro}</p>
        <RatesTable m={m} lang={lang} rates={rates} withAudit={withAudit} />
        <section aria-labelledby="tetapkan">
          <h2 id="tetapkan">{t.setRateTitle}</h2>
          <form method="post" action="/staff/tarif-jht" class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="year" label={t.year} hint={t.yearHint} value={view.values?.year} error={errors['year']} inputmode="numeric" autocomplete="off" maxlength={4} required />
            <TextField name="rate" label={t.rate} hint={t.rateHint} value={view.values?.rate} error={errors['rate']} inputmode="text" autocomplete="off" maxlength={8} required />
            <button type="submit">{t.setRateButton}</button>
          </form>
        </section>
      </>
    ),
  });
}

/**
 * /staff/tarif-jht (admin, as PUT /api/v1/staff/jht-rates/{year}): the years with their rates and whether crediting
 * applied them, and the form that sets a year's rate through the JHT module's use case (audited as the staff member;
 * a rate already applied is refused, 409, in the page's language).
 */
export const jhtRatesRoutes: StaffConsolePage = {
  section: 'jhtRates',
  mount(app, kit) {
    const roles = sectionRoles('jhtRates');
    app.get('/staff/tarif-jht', kit.requireStaffPage(roles, (c, staff) => ratesPage(c, kit, staff)));

    app.post(
      '/staff/tarif-jht',
      kit.formPost(roles, {
        read: (form) => ({ year: field(form, 'year', 8).trim(), rate: field(form, 'rate', 16).trim() }),
        check(values, c) {
          const t = messagesFor(c.get('lang')).staff;
          const year = /^\d{4}$/.test(values.year) ? Number(values.year) : NaN;
          return { ...(year >= 2000 && year <= 2999 ? {} : { year: t.yearInvalid }), ...(parseRatePercent(values.rate) === null ? { rate: t.rateInvalid } : {}) };
        },
        async act(values, staff, c) {
          const rateBp = parseRatePercent(values.rate) ?? 0;
          await putJhtRate(kit.deps, { year: Number(values.year), rateBp, actor: staff.username });
          const flash = fill(messagesFor(c.get('lang')).staff.rateSaved, { year: values.year, rate: formatRate(rateBp, c.get('lang')) });
          return { redirect: '/staff/tarif-jht', flash };
        },
        refusals: { rate_already_applied: { status: 409 } },
        rerender: (c, staff, view) => ratesPage(c, kit, staff, view),
      }),
    );
  },
};
