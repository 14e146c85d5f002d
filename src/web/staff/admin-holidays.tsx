import { type Holiday, loadHolidayYears, putHolidayYear, type StoredHolidayYear, yearsMissingCalendar } from '../../modules/contributions/index.js';
import { isLocalDate } from '../../shared/month.js';
import { CsrfInput, type FieldErrors, TextArea, TextField } from '../components/form.js';
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

type T = Messages['staffHolidays'];

/**
 * PURE: the holiday lines of the form ("YYYY-MM-DD | name | cuti", one a line, blank lines skipped) as holidays of
 * `year`, or the message of the first line that is not one.
 */
export function parseHolidayLines(text: string, year: number, t: T): { holidays: Holiday[] } | { error: string } {
  const holidays: Holiday[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') {
      continue;
    }
    const [date = '', name = '', kind = ''] = line.split('|').map((s) => s.trim());
    if (!isLocalDate(date) || !date.startsWith(`${year}-`) || name.length === 0 || name.length > 200) {
      return { error: fill(t.lineInvalid, { line: i + 1, year }) };
    }
    if (holidays.some((h) => h.date === date)) {
      return { error: fill(t.lineTwice, { line: i + 1 }) };
    }
    holidays.push({ date, name, kind: /^cuti/i.test(kind) ? 'joint_leave' : 'national_holiday' });
  }
  return holidays.length === 0 ? { error: t.daysMissing } : { holidays };
}

function YearsTable(props: { t: T; lang: Lang; years: StoredHolidayYear[] }) {
  const { t } = props;
  if (props.years.length === 0) {
    return <p>{t.empty}</p>;
  }
  const columns = [{ label: t.colYear }, { label: t.colDecree }, { label: t.colDays, num: true }, { label: t.colBy }, { label: t.colAt }, { label: t.colView }];
  return (
    <table class="staff-table">
      <caption>{t.caption}</caption>
      <HeadRow columns={columns} />
      <tbody>
        {props.years.map((y) => (
          <tr>
            <td>{y.year}</td>
            <td>{y.decree}</td>
            <td class="num">{y.holidays.length}</td>
            <td>{y.enteredBy}</td>
            <td>{formatInstant(y.enteredAt, props.lang)}</td>
            <td>
              <a href={`/staff/kalender-libur?tahun=${y.year}`}>{fill(t.view, { year: y.year })}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DaysTable(props: { t: T; year: StoredHolidayYear }) {
  const { t } = props;
  return (
    <table class="staff-table">
      <caption>{fill(t.daysCaption, { year: props.year.year })}</caption>
      <HeadRow columns={[{ label: t.colDate }, { label: t.colName }, { label: t.colKind }]} />
      <tbody>
        {props.year.holidays.map((h) => (
          <tr>
            <td>{h.date}</td>
            <td>{h.name}</td>
            <td>{h.kind === 'joint_leave' ? t.kindLeave : t.kindHoliday}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Values = { year: string; decree: string; days: string; reason: string };

async function holidaysPage(c: PortalContext, kit: StaffKit, staff: StaffMember, view: Partial<FormView<Values>> = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.staffHolidays;
  const errors: FieldErrors = view.errors ?? {};
  const years = await loadHolidayYears(kit.deps.db);
  const missing = yearsMissingCalendar(years, kit.deps.clock.now());
  const shown = years.find((y) => String(y.year) === c.req.query('tahun'));
  return kit.render(c, {
    title: t.title,
    staff,
    current: 'holidays',
    status: view.status ?? 200,
    flash: view.status === undefined ? kit.takeFlash(c) : null,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={errors} problem={view.problem} />
        <p>{t.intro}</p>
        {missing.length > 0 ? <p class="notice notice-warn">{fill(t.missing, { years: missing.join(', ') })}</p> : null}
        <YearsTable t={t} lang={lang} years={years} />
        {shown ? <DaysTable t={t} year={shown} /> : null}
        <section aria-labelledby="isi-kalender">
          <h2 id="isi-kalender">{t.formTitle}</h2>
          <form method="post" action="/staff/kalender-libur" class="card staff-form">
            <CsrfInput token={c.get('csrf')} />
            <TextField name="year" label={t.year} value={view.values?.year} error={errors['year']} inputmode="numeric" autocomplete="off" maxlength={4} required />
            <TextField name="decree" label={t.decree} value={view.values?.decree} error={errors['decree']} autocomplete="off" maxlength={300} required />
            <TextArea name="days" label={t.days} hint={t.daysHint} value={view.values?.days} error={errors['days']} maxlength={20000} required />
            <TextField name="reason" label={t.reason} value={view.values?.reason} error={errors['reason']} autocomplete="off" maxlength={500} />
            <button type="submit">{t.save}</button>
          </form>
        </section>
      </>
    ),
  });
}

function checkHolidayForm(v: Values, t: T): { errors: FieldErrors; holidays: Holiday[] } {
  const year = /^\d{4}$/.test(v.year) ? Number(v.year) : NaN;
  const yearOk = year >= 2000 && year <= 2999;
  const parsed = yearOk ? parseHolidayLines(v.days, year, t) : { holidays: [] };
  const errors: FieldErrors = {
    ...(yearOk ? {} : { year: t.yearInvalid }),
    ...(v.decree.length < 3 ? { decree: t.decreeMissing } : {}),
    ...('error' in parsed ? { days: parsed.error } : {}),
  };
  return { errors, holidays: 'holidays' in parsed ? parsed.holidays : [] };
}

/**
 * /staff/kalender-libur (admin, as PUT /api/v1/staff/holidays/{year}): the years entered, one year's days, a warning
 * while this year or next year has none, and the form that enters or replaces a year through the contributions
 * module (audited as the staff member; answers how many due dates moved).
 */
export const holidaysRoutes: StaffConsolePage = {
  section: 'holidays',
  mount(app, kit) {
    const roles = sectionRoles('holidays');
    app.get('/staff/kalender-libur', kit.requireStaffPage(roles, (c, staff) => holidaysPage(c, kit, staff)));
    app.post(
      '/staff/kalender-libur',
      kit.requireStaffPage(roles, async (c, staff) => {
        const form = await kit.readForm(c);
        const v = { year: field(form, 'year', 8).trim(), decree: field(form, 'decree', 300).trim(), days: field(form, 'days', 20000), reason: field(form, 'reason', 500).trim() };
        const t = messagesFor(c.get('lang')).staffHolidays;
        const { errors, holidays } = checkHolidayForm(v, t);
        if (Object.keys(errors).length > 0) {
          return holidaysPage(c, kit, staff, { values: v, errors, status: 422 });
        }
        const put = await putHolidayYear(kit.deps, { year: Number(v.year), decree: v.decree, holidays, actor: staff.username, reason: v.reason || null });
        const flash = fill(t.saved, { year: v.year, days: holidays.length, moved: put.dueDatesChanged.length });
        return kit.redirectWithFlash(c, `/staff/kalender-libur?tahun=${v.year}`, flash);
      }),
    );
  },
};

/** The Beranda warning for admins while this year's or next year's calendar is missing (null: none). */
export async function holidayWarning(kit: StaffKit, staff: StaffMember, lang: Lang) {
  if (!sectionRoles('holidays').some((r) => staff.roles.includes(r))) {
    return null;
  }
  const missing = yearsMissingCalendar(await loadHolidayYears(kit.deps.db), kit.deps.clock.now());
  if (missing.length === 0) {
    return null;
  }
  const t = messagesFor(lang).staffHolidays;
  return (
    <p class="notice notice-warn" role="alert">
      {fill(t.homeMissing, { years: missing.join(', ') })} <a href="/staff/kalender-libur">{t.homeMissingLink}</a>
    </p>
  );
}
