import { findBillToPay } from '../modules/contributions/index.js';
import { PAYMENT_AMOUNT_MAX, type PaymentChannel } from '../modules/payments/index.js';
import { hmacSha256Hex } from '../shared/crypto.js';
import { newId } from '../shared/ids.js';
import { paymentChannelName } from '../web/components/payment-channel.js';
import { CsrfInput, SelectField, TextField } from '../web/components/form.js';
import type { PortalContext, PortalDeps, PortalDevModule, PortalDevParts, PortalPage } from '../web/context.js';
import { field, type Form, redirectWithErrors } from '../web/forms.js';
import { fill } from '../web/i18n/catalogue.js';
import { parseRupiahInput, rupiah } from '../web/i18n/format.js';
import { messagesFor } from '../web/i18n/messages.js';
import { renderPayPage } from '../web/pages/pay.js';
import { signedInWallet } from '../web/pages/wallet.js';

/**
 * The portal's payment simulators (development only, src/app.ts mounts them when config.isDevelopment): a form on the
 * pay page and one on the wallet page that post a payment notification signed with the webhook secret through the
 * whole app, exactly as a payment channel would, so the journey from registration to card runs on one laptop.
 */

/** The channels the simulators offer (the API's channel codes). */
const SIMULATED_CHANNELS = ['va', 'qris', 'ewallet', 'retail'] as const satisfies readonly PaymentChannel[];

function simulatedChannel(asked: string): string {
  return (SIMULATED_CHANNELS as readonly string[]).includes(asked) ? asked : 'va';
}

/** Posts a signed payment notification through the whole app; its HTTP status and JSON answer. */
async function notifyPayment(c: PortalContext, p: PortalDeps, payment: { paymentCode: string; amount: number; channel: string }) {
  const { deps } = p;
  const body = JSON.stringify({ externalId: newId('sim'), ...payment, paidAt: deps.clock.now().toISOString() });
  const res = await p.dispatch(
    new Request(new URL('/api/v1/payments/notifications', c.req.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': hmacSha256Hex(deps.config.paymentWebhookSecret, body) },
      body,
    }),
  );
  const outcome = (await res.json().catch(() => ({}))) as { status?: string; reason?: string; code?: string; topUp?: boolean; error?: { code?: string } };
  return { status: res.status, outcome };
}

const parts: PortalDevParts = {
  paySimulator(c, bill) {
    const t = messagesFor(c.get('lang')).pay;
    const label = { va: t.channelVa, qris: t.channelQris, ewallet: t.channelEwallet, retail: t.channelRetail };
    return (
      <section class="card" aria-labelledby="simulator">
        <h2 id="simulator">{t.simTitle}</h2>
        <p>{t.simIntro}</p>
        <form method="post" action={`/bayar/${bill.paymentCode}/simulasi`} data-once>
          <CsrfInput token={c.get('csrf')} />
          <SelectField name="channel" label={t.simChannel} value="va" options={SIMULATED_CHANNELS.map((ch) => ({ value: ch, label: label[ch] }))} />
          <button type="submit">{fill(t.simButton, { amount: rupiah(bill.amount) })}</button>
        </form>
      </section>
    );
  },
  walletSimulator(c, form) {
    const m = messagesFor(c.get('lang'));
    const t = m.wallet;
    return (
      <section class="card" aria-labelledby="simulator">
        <h2 id="simulator">{t.simTitle}</h2>
        <p>{t.simIntro}</p>
        <form method="post" action="/akun/dompet/simulasi" data-once>
          <CsrfInput token={c.get('csrf')} />
          <TextField name="amount" label={t.simAmount} hint={t.simAmountHint} value={form.amount ?? '5.000'} error={form.error} inputmode="numeric" maxlength={20} required />
          <SelectField name="channel" label={t.simChannel} value={form.channel ?? 'va'} options={SIMULATED_CHANNELS.map((ch) => ({ value: ch, label: paymentChannelName(m, ch) ?? ch }))} />
          <button type="submit">{t.simButton}</button>
        </form>
      </section>
    );
  },
};

/** POST /bayar/{code}/simulasi: pays the bill in full through the chosen channel, then shows its pay page again. */
const paySimulatorPage: PortalPage = (app, p) => {
  app.post('/bayar/:code/simulasi', async (c) => {
    const code = c.req.param('code');
    const toPay = await findBillToPay(p.deps, code, p.deps.clock.now());
    if (!toPay) {
      return renderPayPage(c, p, code);
    }
    const form = (await c.req.parseBody({ all: true })) as Form;
    const { bill } = toPay;
    const { status, outcome } = await notifyPayment(c, p, { paymentCode: bill.payment_code, amount: bill.amount, channel: simulatedChannel(field(form, 'channel', 20)) });
    if (status !== 200 || outcome.status !== 'applied') {
      // Post/Redirect/Get: the pay page says what went wrong (?gagal=…), and Back or reload never pays again.
      const detail = outcome.reason ?? outcome.code ?? String(status);
      return c.redirect(`/bayar/${bill.payment_code}?gagal=${encodeURIComponent(detail.slice(0, 80))}`, 303);
    }
    return c.redirect(`/bayar/${bill.payment_code}`, 303);
  });
};

/** POST /akun/dompet/simulasi: tops up the signed-in member's wallet through their top-up code (and the sweep after it). */
const walletSimulatorPage: PortalPage = (app, p) => {
  app.post('/akun/dompet/simulasi', async (c) => {
    const view = await signedInWallet(c, p);
    if (view instanceof Response) {
      return view;
    }
    const m = messagesFor(c.get('lang'));
    const form = (await c.req.parseBody({ all: true })) as Form;
    const rawAmount = field(form, 'amount', 32);
    const channel = simulatedChannel(field(form, 'channel', 20));
    const amount = parseRupiahInput(rawAmount);
    if (amount === null || amount < 1 || amount > PAYMENT_AMOUNT_MAX) {
      return redirectWithErrors(c, p, '/akun/dompet', { values: { amount: rawAmount, channel }, errors: { amount: m.wallet.simBadAmount }, status: 422 });
    }
    const { status, outcome } = await notifyPayment(c, p, { paymentCode: view.topUpCode, amount, channel });
    if (status !== 200 || outcome.status !== 'applied' || outcome.topUp !== true) {
      const detail = outcome.reason ?? outcome.error?.code ?? String(status);
      return redirectWithErrors(c, p, '/akun/dompet', { values: { amount: rawAmount, channel, problem: fill(m.wallet.simFailed, { detail }) }, errors: {}, status: 409 });
    }
    return c.redirect('/akun/dompet?diisi=1', 303);
  });
};

/** What src/app.ts gives the portal in development: the simulators' POSTs and their forms on the pages. */
export const portalSimulators: PortalDevModule = {
  pages: (app, p) => {
    paySimulatorPage(app, p);
    walletSimulatorPage(app, p);
  },
  parts,
};
