import type { Hono } from 'hono';
import { getJhtView, type JhtEntry, type JhtView } from '../../../modules/jht/index.js';
import { localDateInJakarta } from '../../../shared/month.js';
import { balanceSteps, JhtBalanceChart } from '../../components/jht-balance-chart.js';
import { TitledSection } from '../../components/section.js';
import { HeadRow } from '../../components/table.js';
import type { PortalDeps, PortalEnv } from '../../context.js';
import { fill, type Lang } from '../../i18n/catalogue.js';
import { formatDate, formatShortDate, rupiah } from '../../i18n/format.js';
import { messagesFor, type Messages } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession } from '../../member-session.js';

/** What a JHT entry was, in words: "Iuran JHT", "Hasil pengembangan 2026", "Penarikan (klaim JHT)". */
export function jhtEntryText(m: Messages, e: JhtEntry): string {
  switch (e.kind) {
    case 'contribution':
      return m.jht.kindContribution;
    case 'return':
      return fill(m.jht.kindReturn, { year: e.year ?? e.date.slice(0, 4) });
    default:
      return m.jht.kindWithdrawal;
  }
}

const signed = (e: JhtEntry) => (e.kind === 'withdrawal' ? -e.amount : e.amount);
/** A withdrawal with its minus; credits as they are (narrow enough for a 360-pixel phone). */
const signedRupiah = (n: number) => (n < 0 ? `−${rupiah(-n)}` : rupiah(n));

/** The entries, newest first, each with the balance after it (the chart's figures: its table fallback). */
function EntriesTable({ m, lang, entries, balance }: { m: Messages; lang: Lang; entries: JhtEntry[]; balance: number }) {
  let after = balance;
  const rows = entries.map((e) => {
    const row = { e, after };
    after -= signed(e);
    return row;
  });
  return (
    <table id="riwayat-jht-tabel">
      <caption>{m.jht.entriesCaption}</caption>
      <HeadRow columns={[{ label: m.jht.colDate }, { label: m.jht.colKind }, { label: m.jht.colAmount, num: true }, { label: m.jht.colBalance, num: true }]} />
      <tbody>
        {rows.map(({ e, after: b }) => (
          <tr>
            <td>{formatShortDate(e.date, lang)}</td>
            <td>{jhtEntryText(m, e)}</td>
            <td class="num">{signedRupiah(signed(e))}</td>
            <td class="num">{rupiah(b)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BalanceChart({ m, lang, view, today }: { m: Messages; lang: Lang; view: JhtView; today: string }) {
  const points = balanceSteps(view.entries.map((e) => ({ date: e.date, amount: signed(e) })));
  const first = points[0];
  if (!first) {
    return <p>{m.jht.chartEmpty}</p>;
  }
  const through = points[points.length - 1]!.date > today ? points[points.length - 1]!.date : today;
  const description = fill(m.jht.chartDesc, { from: formatDate(first.date, lang), to: formatDate(through, lang), first: rupiah(first.balance), last: rupiah(view.balance) });
  return <JhtBalanceChart points={points} through={through} title={m.jht.chartTitle} description={description} formatDate={(d) => formatShortDate(d, lang)} formatMoney={rupiah} />;
}

/** Saldo JHT, /akun/jht: the balance, this year's accrued return, the balance over time (SVG) and the entries. */
export function registerJhtPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { loadSignedIn, toSignIn } = memberSession(p);

  app.get('/akun/jht', async (c) => {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const view = await loadSignedIn(c, getJhtView);
    if (!view) {
      return toSignIn(c);
    }
    const today = localDateInJakarta(p.deps.clock.now());
    return renderPage(c, p, {
      title: m.jht.title,
      nav: 'account',
      body: (
        <>
          <h1>{m.jht.title}</h1>
          <p>{m.jht.intro}</p>
          <section class="card" aria-labelledby="saldo-jht">
            <h2 id="saldo-jht">{m.jht.balance}</h2>
            <p class="big">{rupiah(view.balance)}</p>
            <dl class="facts">
              <dt>{fill(m.jht.accrued, { year: today.slice(0, 4) })}</dt>
              <dd>{rupiah(view.accrued)}</dd>
            </dl>
            <p class="hint">{m.jht.accruedNote}</p>
          </section>
          <TitledSection id="grafik-jht" title={m.jht.chartTitle}>
            <BalanceChart m={m} lang={lang} view={view} today={today} />
          </TitledSection>
          <TitledSection id="riwayat-jht" title={m.jht.entriesTitle}>
            {view.entries.length === 0 ? <p>{m.jht.entriesEmpty}</p> : <EntriesTable m={m} lang={lang} entries={view.entries} balance={view.balance} />}
          </TitledSection>
          <p>
            <a href="/akun">{m.jht.back}</a>
          </p>
        </>
      ),
    });
  });
}
