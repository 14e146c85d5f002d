import { getWalletView, type WalletEntry, type WalletView } from '../../modules/wallet/index.js';
import { paymentChannelName } from '../components/payment-channel.js';
import type { FieldErrors } from '../components/form.js';
import { PageTop } from '../components/page-top.js';
import { HeadRow } from '../components/table.js';
import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { takeFormFlash } from '../forms.js';
import { memberSession } from '../member-session.js';
import { formatPaymentCode } from './pay.js';

/** What a wallet movement was, in words: "Isi saldo lewat QRIS", "Iuran Desember 2026". */
function entryText(m: Messages, lang: Lang, e: WalletEntry): string {
  const t = m.wallet;
  const via = e.channel ? ` ${fill(t.via, { channel: paymentChannelName(m, e.channel) ?? e.channel })}` : '';
  switch (e.kind) {
    case 'topup':
      return `${t.kindTopup}${via}`;
    case 'overpayment':
      return `${t.kindOverpayment}${via}`;
    case 'manual_assignment':
      return t.kindManual;
    case 'contribution':
      return fill(t.kindContribution, { month: e.month ? formatMonth(e.month, lang) : '' });
    default:
      return t.kindOther;
  }
}

/** '+Rp5.000' / '−Rp8.400'. */
function signedRupiah(n: number): string {
  return `${n < 0 ? '−' : '+'}${rupiah(Math.abs(n))}`;
}

function NextMonth(props: { m: Messages; lang: Lang; next: WalletView['next'] }) {
  const t = props.m.wallet;
  if (!props.next) {
    return <p>{t.noNext}</p>;
  }
  const params = { month: formatMonth(props.next.month, props.lang), price: rupiah(props.next.amount), amount: rupiah(props.next.shortfall) };
  return <p>{props.next.shortfall > 0 ? fill(t.shortfall, params) : fill(t.enough, params)}</p>;
}

function TopUpCode(props: { m: Messages; topUpCode: string }) {
  const t = props.m.wallet;
  const code = formatPaymentCode(props.topUpCode);
  return (
    <section aria-labelledby="kode-isi-saldo">
      <h2 id="kode-isi-saldo">{t.codeTitle}</h2>
      <p>{t.codeIntro}</p>
      <p class="code big">{code}</p>
      <h3>{t.howTitle}</h3>
      <ul class="howto">
        <li>{fill(t.howVa, { code })}</li>
        <li>{fill(t.howRetail, { code })}</li>
        <li>{fill(t.howEwallet, { code })}</li>
      </ul>
      <p class="hint">{t.overpayNote}</p>
    </section>
  );
}

function History(props: { m: Messages; lang: Lang; entries: WalletEntry[] }) {
  const { m, lang } = props;
  const t = m.wallet;
  if (props.entries.length === 0) {
    return <p>{t.historyEmpty}</p>;
  }
  return (
    <table>
      <caption>{t.historyCaption}</caption>
      <HeadRow columns={[{ label: t.colAt }, { label: t.colWhat }, { label: t.colAmount, num: true }, { label: t.colBalance, num: true }]} />
      <tbody>
        {props.entries.map((e) => (
          <tr>
            <td>{formatInstant(new Date(e.at), lang)}</td>
            <td>{entryText(m, lang, e)}</td>
            <td class="num">{signedRupiah(e.amount)}</td>
            <td class="num">{rupiah(e.balanceAfter)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface WalletPageOptions {
  errors?: FieldErrors;
  amount?: string;
  channel?: string;
  problem?: string;
  done?: boolean;
  status?: 200 | 409 | 422;
}

/**
 * The member's contribution wallet: balance, what the next month still needs, the member's top-up code with how to
 * pay it, the history, and in development the top-up simulator (src/dev), with the answers of its last try (`opts`).
 */
export function renderWalletPage(c: PortalContext, p: PortalDeps, view: WalletView, opts: WalletPageOptions = {}) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.wallet;
  return renderPage(c, p, {
    title: t.title,
    nav: 'account',
    status: opts.status ?? 200,
    body: (
      <>
        <PageTop title={t.title} errorSummaryTitle={m.common.errorSummaryTitle} errors={opts.errors ?? {}} problem={opts.problem} done={opts.done ? t.simDone : undefined} />
        <p>{t.intro}</p>
        <section class="card" aria-labelledby="saldo">
          <h2 id="saldo">{t.balance}</h2>
          <p class="big">{rupiah(view.balance)}</p>
          <h3>{t.nextMonth}</h3>
          <NextMonth m={m} lang={lang} next={view.next} />
        </section>
        <TopUpCode m={m} topUpCode={view.topUpCode} />
        {p.dev?.walletSimulator(c, { amount: opts.amount, channel: opts.channel, error: opts.errors?.['amount'] }) ?? null}
        <section aria-labelledby="riwayat-dompet">
          <h2 id="riwayat-dompet">{t.historyTitle}</h2>
          <History m={m} lang={lang} entries={view.entries} />
        </section>
        <p>
          <a href="/akun">{t.back}</a>
        </p>
      </>
    ),
  });
}

/** The signed-in member's wallet, or the way to the sign-in page (dropping a dead session cookie). */
export async function signedInWallet(c: PortalContext, p: PortalDeps): Promise<WalletView | Response> {
  const { signedIn, toSignIn } = memberSession(p);
  const participantId = await signedIn(c);
  const view = participantId ? await getWalletView(p.deps, participantId) : null;
  return view ?? toSignIn(c);
}

/** The wallet page (/akun/dompet), for a signed-in member; in development src/dev adds its top-up simulator's POST. */
export const walletRoutes: PortalPage = (app, p) => {
  app.get('/akun/dompet', async (c) => {
    const view = await signedInWallet(c, p);
    if (view instanceof Response) {
      return view;
    }
    // A refused top-up (the development simulator's form) comes back here by its redirect (Post/Redirect/Get).
    const refused = takeFormFlash<{ amount: string; channel: string; problem?: string }>(c, p);
    if (refused) {
      const { problem, ...typed } = refused.values;
      return renderWalletPage(c, p, view, { ...typed, errors: refused.errors, ...(problem ? { problem } : {}), status: refused.status === 409 ? 409 : 422 });
    }
    return renderWalletPage(c, p, view, { done: c.req.query('diisi') === '1' });
  });
};
