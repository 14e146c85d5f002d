import type { Hono } from 'hono';
import { agentStatementsView, type IncentiveLine, type StatementView } from '../../../modules/incentives/index.js';
import { HeadRow } from '../../components/table.js';
import type { PortalDeps, PortalEnv } from '../../context.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatDate, formatMonth, rupiah } from '../../i18n/format.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession } from '../../member-session.js';

type M = Messages['agentIncentives'];

const pct = (bps: number | null) => `${(bps ?? 0) / 100}%`;

/** A statement line in words: "Akuisisi 3 program …: 25 × Rp15.000", "15% dari iuran diterima Rp920.000 (…1–24)". */
export function lineText(m: M, l: IncentiveLine): string {
  switch (l.kind) {
    case 'acquisition_jht':
      return fill(m.acquisitionJht, { count: l.count, unit: rupiah(l.unit ?? 0) });
    case 'acquisition_jkk_jkm':
      return fill(m.acquisitionJkkJkm, { count: l.count, unit: rupiah(l.unit ?? 0) });
    case 'contribution_tier':
      return fill(m.contribution, { pct: pct(l.bps), base: rupiah(l.base ?? 0), tier: (l.tier ?? '').replace('-', '–') });
    default:
      return fill(m.kantor, { pct: pct(l.bps), base: rupiah(l.base ?? 0) });
  }
}

function statusText(m: M, s: StatementView, lang: Lang): string {
  switch (s.status) {
    case 'paid':
      return fill(m.statusPaid, { date: formatDate((s.paidAt ?? '').slice(0, 10), lang) });
    case 'approved':
      return m.statusApproved;
    case 'nothing_due':
      return m.statusNothing;
    default:
      return m.statusDue;
  }
}

function Statement({ m, lang, s }: { m: M; lang: Lang; s: StatementView }) {
  const month = formatMonth(s.month, lang);
  const id = `insentif-${s.month}`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{fill(m.month, { month })}</h2>
      <p>{fill(m.newCount, { count: s.newCount })}</p>
      {s.lines.length === 0 ? (
        <p>{m.nothing}</p>
      ) : (
        <table>
          <caption>{fill(m.caption, { month })}</caption>
          <HeadRow columns={[{ label: m.colItem }, { label: m.colAmount, num: true }]} />
          <tbody>
            {s.lines.map((l) => (
              <tr>
                <td>{lineText(m, l)}</td>
                <td class="num">{rupiah(l.amount)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{m.total}</th>
              <td class="num">{rupiah(s.total)}</td>
            </tr>
          </tfoot>
        </table>
      )}
      <p class="hint">
        {statusText(m, s, lang)}
        {s.status === 'due' || s.status === 'approved' ? ` · ${fill(m.payBy, { date: formatDate(s.payBy, lang) })}` : ''}
      </p>
    </section>
  );
}

/**
 * Insentif agen, /agen/insentif: the signed-in agent's monthly incentive statements (issue 17 item 5), newest first,
 * each line in words. Server-rendered in the member area (the portal's session cookie; sign in at /masuk), outside the
 * offline app's shell; a participant who is not an agent is told so (403).
 */
export function registerAgentIncentivesPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { loadSignedIn, toSignIn, signedIn } = memberSession(p);

  app.get('/agen/insentif', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang).agentIncentives;
    if (!(await signedIn(c))) {
      return toSignIn(c);
    }
    const view = await loadSignedIn(c, agentStatementsView);
    const body = view ? (
      <>
        <h1>{m.title}</h1>
        <p>{fill(m.intro, { code: view.agentCode })}</p>
        {view.ended ? <p class="notice">{m.ended}</p> : ''}
        <p class="hint">{m.rule}</p>
        {view.statements.length === 0 ? <p>{m.empty}</p> : view.statements.map((s) => <Statement m={m} lang={lang} s={s} />)}
        <p>
          <a href="/akun">{m.back}</a>
        </p>
      </>
    ) : (
      <>
        <h1>{m.title}</h1>
        <p>{m.notAgent}</p>
        <p>
          <a href="/akun">{m.back}</a>
        </p>
      </>
    );
    return renderPage(c, p, { title: m.title, nav: 'account', body, status: view ? 200 : 403 });
  });
}
