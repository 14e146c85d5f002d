import type { Hono } from 'hono';
import { PAYMENT_AMOUNT_MAX, type PaymentChannel } from '../../modules/payments/index.js';
import { getWalletView, type WalletEntry, type WalletView } from '../../modules/wallet/index.js';
import { hmacSha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { CsrfInput, ErrorSummary, SelectField, TextField, type FieldErrors } from '../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { field, type Form } from '../forms.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, parseRupiahInput, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { formatPaymentCode } from './pay.js';
import { memberSession } from '../member-session.js';

/** The channels the development top-up simulator offers (the API's channel codes). */
const SIMULATED_CHANNELS = ['va', 'qris', 'ewallet', 'retail'] as const satisfies readonly PaymentChannel[];

const CHANNEL_KEY = {
  va: 'channelVa',
  qris: 'channelQris',
  ewallet: 'channelEwallet',
  retail: 'channelRetail',
  counter: 'channelCounter',
  autodebit: 'channelAutodebit',
} as const;

function channelName(m: Messages, channel: string): string {
  return channel in CHANNEL_KEY ? m.member[CHANNEL_KEY[channel as keyof typeof CHANNEL_KEY]] : channel;
}

/** What a wallet movement was, in words: "Isi saldo lewat QRIS", "Iuran Desember 2026". */
function entryText(m: Messages, lang: Lang, e: WalletEntry): string {
  const t = m.wallet;
  const via = e.channel ? ` ${fill(t.via, { channel: channelName(m, e.channel) })}` : '';
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

/**
 * The member's contribution wallet (/akun/dompet): balance, what the next month still needs, the member's top-up
 * code with how to pay it, the history, and in development a top-up simulator that sends a signed notification
 * through the whole app, exactly as a payment channel would.
 */
export function walletRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;
  const { cookieBase, signedIn, toSignIn } = memberSession(p);


  function walletPage(
    c: PortalContext,
    view: WalletView,
    opts: { errors?: FieldErrors; amount?: string; channel?: string; problem?: string; done?: boolean; status?: 200 | 409 | 422 } = {},
  ) {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const t = m.wallet;
    const code = formatPaymentCode(view.topUpCode);
    const errors = opts.errors ?? {};
    return renderPage(c, p, {
      title: t.title,
      nav: 'account',
      status: opts.status ?? 200,
      body: (
        <>
          <h1>{t.title}</h1>
          <ErrorSummary title={m.common.errorSummaryTitle} errors={errors} />
          {opts.problem ? (
            <p class="notice notice-bad" role="alert">
              {opts.problem}
            </p>
          ) : null}
          {opts.done ? (
            <p class="notice" role="status">
              {t.simDone}
            </p>
          ) : null}
          <p>{t.intro}</p>

          <section class="card" aria-labelledby="saldo">
            <h2 id="saldo">{t.balance}</h2>
            <p class="big">{rupiah(view.balance)}</p>
            <h3>{t.nextMonth}</h3>
            <NextMonth m={m} lang={lang} next={view.next} />
          </section>

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

          {deps.config.isDevelopment ? (
            <section class="card" aria-labelledby="simulator">
              <h2 id="simulator">{t.simTitle}</h2>
              <p>{t.simIntro}</p>
              <form method="post" action="/akun/dompet/simulasi" data-once>
                <CsrfInput token={c.get('csrf')} />
                <TextField name="amount" label={t.simAmount} hint={t.simAmountHint} value={opts.amount ?? '5.000'} error={errors['amount']} inputmode="numeric" maxlength={20} required />
                <SelectField
                  name="channel"
                  label={t.simChannel}
                  value={opts.channel ?? 'va'}
                  options={SIMULATED_CHANNELS.map((ch) => ({ value: ch, label: channelName(m, ch) }))}
                />
                <button type="submit">{t.simButton}</button>
              </form>
            </section>
          ) : null}

          <section aria-labelledby="riwayat-dompet">
            <h2 id="riwayat-dompet">{t.historyTitle}</h2>
            {view.entries.length === 0 ? (
              <p>{t.historyEmpty}</p>
            ) : (
              <table>
                <caption>{t.historyCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.colAt}</th>
                    <th scope="col">{t.colWhat}</th>
                    <th scope="col" class="num">
                      {t.colAmount}
                    </th>
                    <th scope="col" class="num">
                      {t.colBalance}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.entries.map((e) => (
                    <tr>
                      <td>{formatInstant(new Date(e.at), lang)}</td>
                      <td>{entryText(m, lang, e)}</td>
                      <td class="num">{signedRupiah(e.amount)}</td>
                      <td class="num">{rupiah(e.balanceAfter)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <p>
            <a href="/akun">{t.back}</a>
          </p>
        </>
      ),
    });
  }

  app.get('/akun/dompet', async (c) => {
    const participantId = await signedIn(c);
    const view = participantId ? await getWalletView(deps, participantId) : null;
    if (!view) {
      return toSignIn(c);
    }
    return walletPage(c, view, { done: c.req.query('diisi') === '1' });
  });

  /**
   * Development only: posts a payment notification with the member's top-up code, signed with the webhook secret,
   * through the whole app — the same path a bank's notification takes (and the wallet sweep after it).
   */
  app.post('/akun/dompet/simulasi', async (c) => {
    if (!deps.config.isDevelopment) {
      return c.notFound();
    }
    const participantId = await signedIn(c);
    const view = participantId ? await getWalletView(deps, participantId) : null;
    if (!view) {
      return toSignIn(c);
    }
    const m = messagesFor(c.get('lang'));
    const form = (await c.req.parseBody({ all: true })) as Form;
    const rawAmount = field(form, 'amount', 32);
    const asked = field(form, 'channel', 20);
    const channel = (SIMULATED_CHANNELS as readonly string[]).includes(asked) ? asked : 'va';
    const amount = parseRupiahInput(rawAmount);
    if (amount === null || amount < 1 || amount > PAYMENT_AMOUNT_MAX) {
      return walletPage(c, view, { errors: { amount: m.wallet.simBadAmount }, amount: rawAmount, channel, status: 422 });
    }
    const body = JSON.stringify({ externalId: newId('sim'), paymentCode: view.topUpCode, amount, channel, paidAt: deps.clock.now().toISOString() });
    const res = await p.dispatch(
      new Request(new URL('/api/v1/payments/notifications', c.req.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': hmacSha256Hex(deps.config.paymentWebhookSecret, body) },
        body,
      }),
    );
    const outcome = (await res.json().catch(() => ({}))) as { status?: string; reason?: string; topUp?: boolean; error?: { code?: string } };
    if (res.status !== 200 || outcome.status !== 'applied' || outcome.topUp !== true) {
      const detail = outcome.reason ?? outcome.error?.code ?? String(res.status);
      return walletPage(c, view, { problem: fill(m.wallet.simFailed, { detail }), amount: rawAmount, channel, status: 409 });
    }
    return c.redirect('/akun/dompet?diisi=1', 303);
  });
}
