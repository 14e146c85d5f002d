import { surveySummary } from '../../modules/assisted-registration/index.js';
import { raw } from 'hono/html';
import type { Deps } from '../../deps.js';
import { barChart, claimsByAge, collections, csvResponse, FIGURES, lineChart, membershipStatus, newMembers, payoutsByStatus, type NewMemberWindow } from '../../modules/dashboards/index.js';
import { HeadRow } from '../components/table.js';
import { SelectField } from '../components/form.js';
import { fill } from '../i18n/catalogue.js';
import { rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { payoutStatusLabel, statusLabel } from './claim-texts.js';
import type { StaffConsolePage } from './kit.js';
import { sectionRoles } from './sections.js';

const HREF = '/staff/dasbor';
type T = Messages['staffDashboards'];
type Row = (string | number)[];

/** One figure: its heading, the SVG chart (role="img"), its data table (the fallback) and the CSV link. */
function Figure(props: { id: string; title: string; desc: string; svg?: string; caption: string; head: { label: string; num?: boolean }[]; rows: Row[]; csv: string; t: T }) {
  return (
    <section class="card" aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      <p>{props.desc}</p>
      {props.svg && props.rows.length > 0 ? raw(props.svg) : null}
      {props.rows.length === 0 ? (
        <p>{props.t.none}</p>
      ) : (
        <table class="staff-table">
          <caption>{props.caption}</caption>
          <HeadRow columns={props.head} />
          <tbody>
            {props.rows.map((r) => (
              <tr>
                {r.map((v, i) => (
                  <td class={props.head[i]?.num ? 'num' : undefined}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={props.csv} download>
          {fill(props.t.downloadCsv, { name: props.title })}
        </a>
      </p>
    </section>
  );
}

const num = (n: number) => new Intl.NumberFormat('id-ID').format(n);

async function membersFigures(db: Deps['db'], t: T, now: Date, days: NewMemberWindow) {
  const f = await newMembers(db, now, days);
  const channels = f.channels.map((c) => c.channel);
  const series = channels.map((ch) => ({ name: ch, values: f.byChannel.filter((r) => r.channel === ch).map((r) => r.count) }));
  const labels = [...new Set(f.byChannel.map((r) => r.day.slice(5)))];
  const desc = fill(t.newMembersDesc, { total: f.total, from: f.from, to: f.to });
  return (
    <>
      <Figure id="peserta-baru" t={t} title={t.newMembersTitle} desc={desc} svg={barChart({ id: 'g-peserta-baru', title: t.newMembersTitle, desc }, labels, series)} caption={t.byChannelCaption} head={[{ label: t.colChannel }, { label: t.colCount, num: true }]} rows={f.channels.map((c) => [c.channel, num(c.count)])} csv={`${HREF}/new-members.csv?days=${days}`} />
      <Figure id="per-cabang" t={t} title={t.byBranchCaption} desc={desc} caption={t.byBranchCaption} head={[{ label: t.colBranch }, { label: t.colCount, num: true }]} rows={f.branches.map((b) => [b.branch, num(b.count)])} csv={`${HREF}/new-members.csv?days=${days}`} />
    </>
  );
}

async function otherFigures(db: Deps['db'], m: Messages, now: Date) {
  const t = m.staffDashboards;
  const [s, money, claims, payouts] = [await membershipStatus(db, now), await collections(db, now), await claimsByAge(db, now), await payoutsByStatus(db)];
  const statusSvg = lineChart({ id: 'g-status', title: t.statusTitle, desc: t.statusDesc }, s.dates.map((d) => d.date.slice(0, 7)), [
    { name: t.active, values: s.dates.map((d) => d.active) },
    { name: t.arrears, values: s.dates.map((d) => d.arrears) },
    { name: t.inactive, values: s.dates.map((d) => d.inactive) },
  ]);
  const moneySvg = lineChart({ id: 'g-iuran', title: t.moneyTitle, desc: t.moneyDesc }, money.months.map((r) => r.month), [
    { name: t.billed, values: money.months.map((r) => r.billed) },
    { name: t.collected, values: money.months.map((r) => r.collected) },
  ]);
  const sc = m.staffClaims;
  const payoutsDesc = fill(t.payoutsDesc, { count: payouts.count, amount: rupiah(payouts.amount) });
  return (
    <>
      <Figure id="status" t={t} title={t.statusTitle} desc={t.statusDesc} svg={statusSvg} caption={t.statusTitle} head={[{ label: t.colDate }, { label: t.active, num: true }, { label: t.arrears, num: true }, { label: t.inactive, num: true }]} rows={s.dates.map((d) => [d.date, num(d.active), num(d.arrears), num(d.inactive)])} csv={`${HREF}/membership-status.csv`} />
      <Figure id="iuran" t={t} title={t.moneyTitle} desc={t.moneyDesc} svg={moneySvg} caption={t.moneyTitle} head={[{ label: t.colMonth }, { label: t.billed, num: true }, { label: t.collected, num: true }, { label: t.gap, num: true }]} rows={money.months.map((r) => [r.month, rupiah(r.billed), rupiah(r.collected), rupiah(r.gap)])} csv={`${HREF}/collections.csv`} />
      <Figure id="klaim" t={t} title={t.claimsTitle} desc={t.claimsDesc} caption={t.claimsTitle} head={[{ label: t.colStatus }, { label: t.colAge }, { label: t.colCount, num: true }, { label: t.colAmount, num: true }]} rows={claims.buckets.map((b) => [statusLabel(sc, b.status), b.age, num(b.count), rupiah(b.amount)])} csv={`${HREF}/claims.csv`} />
      <Figure id="pembayaran" t={t} title={t.payoutsTitle} desc={payoutsDesc} svg={barChart({ id: 'g-pembayaran', title: t.payoutsTitle, desc: payoutsDesc }, payouts.statuses.map((p) => payoutStatusLabel(sc, p.status)), [{ name: t.colCount, values: payouts.statuses.map((p) => p.count) }])} caption={t.payoutsTitle} head={[{ label: t.colStatus }, { label: t.colCount, num: true }, { label: t.colAmount, num: true }]} rows={payouts.statuses.map((p) => [payoutStatusLabel(sc, p.status), num(p.count), rupiah(p.amount)])} csv={`${HREF}/payouts.csv`} />
    </>
  );
}

/** The e-survey after counter registrations, the last 30 days (GET /api/v1/staff/surveys/summary as JSON). */
async function SurveyFacts(props: { db: Deps['db']; t: T; now: Date }) {
  const { t } = props;
  const s = await surveySummary(props.db, { since: new Date(props.now.getTime() - 30 * 86_400_000) });
  return (
    <section class="card" aria-labelledby="survei-h">
      <h2 id="survei-h">{t.surveyTitle}</h2>
      <dl class="staff-facts">
        <dt>{t.surveySent}</dt><dd>{num(s.sent)}</dd>
        <dt>{t.surveyAnswered}</dt><dd>{num(s.answered)}</dd>
        <dt>{t.surveyAverage}</dt><dd>{s.average === null ? t.surveyNone : String(s.average).replace('.', ',')}</dd>
      </dl>
    </section>
  );
}

/**
 * /staff/dasbor, "Dasbor" (supervisor, admin — as GET /api/v1/staff/dashboards/…): every figure as a server-drawn SVG
 * chart with its data table, and each CSV at /staff/dasbor/<figure>.csv (the same export as the API's). No script.
 */
export const dashboardRoutes: StaffConsolePage = {
  section: 'dashboards',
  mount(app, kit) {
    const roles = sectionRoles('dashboards');
    app.get(
      HREF,
      kit.requireStaffPage(roles, async (c, staff) => {
        const m = messagesFor(c.get('lang'));
        const t = m.staffDashboards;
        const days: NewMemberWindow = c.req.query('days') === '90' ? 90 : 30;
        const now = kit.deps.clock.now();
        const body = (
          <>
            <h1>{t.title}</h1>
            <p>{t.intro}</p>
            <form method="get" action={HREF} class="staff-inline">
              <SelectField name="days" label={t.window} value={String(days)} options={[{ value: '30', label: t.days30 }, { value: '90', label: t.days90 }]} />
              <div class="field">
                <button type="submit">{t.show}</button>
              </div>
            </form>
            {await membersFigures(kit.deps.db, t, now, days)}
            {await otherFigures(kit.deps.db, m, now)}
            {await SurveyFacts({ db: kit.deps.db, t, now })}
          </>
        );
        return kit.render(c, { title: t.title, staff, current: 'dashboards', body });
      }),
    );
    for (const figure of FIGURES) {
      app.get(
        `${HREF}/${figure}.csv`,
        kit.requireStaffPage(roles, async (c) => csvResponse(kit.deps, figure, c.req.query('days') === '90' ? 90 : 30)),
      );
    }
  },
};
