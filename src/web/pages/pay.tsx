import type { Hono } from 'hono';
import { raw } from 'hono/html';
import type { Bill } from '../../db/database.js';
import { billStatusAt, findBillByCode, findBillLines, groupLines, maskName } from '../../modules/contributions/index.js';
import { qrSvg } from '../../modules/cards/index.js';
import { PAYMENT_CHANNELS, buildDynamicQris, DEV_QRIS_MERCHANT } from '../../modules/payments/index.js';
import { hmacSha256Hex } from '../../shared/crypto.js';
import { newId } from '../../shared/ids.js';
import { CsrfInput, SelectField } from '../components/form.js';
import { accessibleQrSvg } from '../components/qr.js';
import { QuoteTable } from '../components/quote-table.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { field, type Form } from '../forms.js';
import { fill } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

/** Banks named in the virtual-account instructions (the ones whose BPJS Ketenagakerjaan menus the seeds mention). */
const VA_BANKS = 'BNI, BRI, Mandiri, BSI, BCA';

/** The channels the development simulator offers (the API's channel codes). */
const SIMULATED_CHANNELS = ['va', 'qris', 'ewallet', 'retail'] as const satisfies readonly (typeof PAYMENT_CHANNELS)[number][];

/** '8123456789012345' → '8123 4567 8901 2345': read out and typed in groups of four. */
export function formatPaymentCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

function remaining(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function payRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { deps } = p;

  async function ownerName(bill: Bill): Promise<string> {
    const row = bill.participant_id
      ? await deps.db.selectFrom('participant').select('full_name').where('id', '=', bill.participant_id).executeTakeFirst()
      : bill.registration_id
        ? await deps.db.selectFrom('registration').select('full_name').where('id', '=', bill.registration_id).executeTakeFirst()
        : undefined;
    return maskName(row?.full_name ?? '');
  }

  async function payPage(c: PortalContext, code: string, problem?: string) {
    const lang = c.get('lang');
    const m = messagesFor(lang);
    const t = m.pay;
    const bill = /^\d{6,64}$/.test(code) ? await findBillByCode(deps.db, code) : undefined;
    if (!bill) {
      return renderPage(c, p, {
        title: t.notFoundTitle,
        status: 404,
        body: (
          <>
            <h1>{t.notFoundTitle}</h1>
            <p>{t.notFoundBody}</p>
          </>
        ),
      });
    }
    const now = deps.clock.now();
    const status = billStatusAt(bill, now);
    const months = groupLines(await findBillLines(deps.db, bill.id));
    const signedIn = c.get('sessionToken') !== undefined;
    const shownCode = formatPaymentCode(bill.payment_code);
    const amount = rupiah(bill.amount);
    const monthsText = months.length === 1 ? formatMonth(months[0]?.month ?? '', lang) : `${formatMonth(months[0]?.month ?? '', lang)} – ${formatMonth(months.at(-1)?.month ?? '', lang)}`;
    const summary = (
      <dl class="facts card">
        <dt>{t.code}</dt>
        <dd class="code">{shownCode}</dd>
        <dt>{t.amount}</dt>
        <dd class="big">{amount}</dd>
        <dt>{t.forName}</dt>
        <dd>{await ownerName(bill)}</dd>
        <dt>{t.months}</dt>
        <dd>{monthsText}</dd>
      </dl>
    );

    if (status === 'paid') {
      return renderPage(c, p, {
        title: t.paidTitle,
        body: (
          <>
            <h1>{t.paidTitle}</h1>
            <p class="notice" role="status">
              {bill.kind === 'first' ? t.paidFirst : t.paidRenewal}
            </p>
            {summary}
            <p>
              <a class="btn" href={signedIn ? '/akun' : '/masuk'}>
                {t.goAccount}
              </a>
            </p>
          </>
        ),
      });
    }
    if (status === 'expired' || status === 'cancelled') {
      const again = bill.kind === 'first' && bill.registration_id ? `/daftar/${bill.registration_id}/program?kedaluwarsa=1` : '/akun';
      return renderPage(c, p, {
        title: status === 'expired' ? t.expiredTitle : t.cancelledTitle,
        status: 409,
        body: (
          <>
            <h1>{status === 'expired' ? t.expiredTitle : t.cancelledTitle}</h1>
            <p class="notice notice-warn" role="status">
              {status === 'expired' ? t.expiredBody : t.cancelledBody}
            </p>
            {summary}
            <p>
              <a class="btn" href={again}>
                {bill.kind === 'first' ? t.newCodeFirst : t.newCodeRenewal}
              </a>
            </p>
          </>
        ),
      });
    }

    const qris = buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: bill.amount, billNumber: bill.payment_code });
    const qrisSvg = qris.ok ? accessibleQrSvg(await qrSvg(qris.value), fill(t.qrisImage, { amount, code: shownCode })) : null;
    const params = { code: shownCode, amount, banks: VA_BANKS };
    return renderPage(c, p, {
      title: t.title,
      status: problem ? 409 : 200,
      body: (
        <>
          <h1>{t.title}</h1>
          {problem ? (
            <p class="notice notice-bad" role="alert">
              {problem}
            </p>
          ) : null}
          {summary}
          <p>
            {t.expiresIn}:{' '}
            <strong>
              <span data-countdown={bill.expires_at.toISOString()} data-now={now.toISOString()} data-expired-text={t.expiredShort}>
                {remaining(bill.expires_at.getTime() - now.getTime())}
              </span>
            </strong>
            . {fill(t.expiresAt, { at: formatInstant(bill.expires_at, lang) })}
          </p>
          <p class="hint">{t.amountHint}</p>
          <QuoteTable m={m} lang={lang} quote={{ months, total: bill.amount }} caption={t.months} />
          <h2>{t.howTitle}</h2>
          <p>{t.howIntro}</p>
          <details open>
            <summary>{t.vaTitle}</summary>
            <ol class="howto">
              <li>{fill(t.va1, params)}</li>
              <li>{t.va2}</li>
              <li>{fill(t.va3, params)}</li>
              <li>{fill(t.va4, params)}</li>
            </ol>
          </details>
          <details>
            <summary>{t.qrisTitle}</summary>
            <ol class="howto">
              <li>{t.qris1}</li>
              <li>{fill(t.qris2, params)}</li>
              <li>{t.qris3}</li>
            </ol>
            {qrisSvg ? <div class="qr">{raw(qrisSvg)}</div> : null}
            {deps.config.isDevelopment ? <p class="hint">{t.qrisDevNote}</p> : null}
          </details>
          <details>
            <summary>{t.ewalletTitle}</summary>
            <ol class="howto">
              <li>{t.ewallet1}</li>
              <li>{fill(t.ewallet2, params)}</li>
              <li>{fill(t.ewallet3, params)}</li>
            </ol>
          </details>
          <details>
            <summary>{t.retailTitle}</summary>
            <ol class="howto">
              <li>{t.retail1}</li>
              <li>{fill(t.retail2, params)}</li>
              <li>{fill(t.retail3, params)}</li>
            </ol>
          </details>
          {deps.config.isDevelopment ? (
            <section class="card" aria-labelledby="simulator">
              <h2 id="simulator">{t.simTitle}</h2>
              <p>{t.simIntro}</p>
              <form method="post" action={`/bayar/${bill.payment_code}/simulasi`} data-once>
                <CsrfInput token={c.get('csrf')} />
                <SelectField
                  name="channel"
                  label={t.simChannel}
                  value="va"
                  options={SIMULATED_CHANNELS.map((ch) => ({ value: ch, label: { va: t.channelVa, qris: t.channelQris, ewallet: t.channelEwallet, retail: t.channelRetail }[ch] }))}
                />
                <button type="submit">{fill(t.simButton, { amount })}</button>
              </form>
            </section>
          ) : null}
        </>
      ),
    });
  }

  app.get('/bayar/:code', (c) => payPage(c, c.req.param('code')));

  /**
   * Development only: posts a payment notification signed with the webhook secret through the whole app, exactly
   * as a payment channel would, so the journey from registration to card runs on one laptop.
   */
  app.post('/bayar/:code/simulasi', async (c) => {
    const code = c.req.param('code');
    if (!deps.config.isDevelopment) {
      return c.notFound();
    }
    const bill = /^\d{6,64}$/.test(code) ? await findBillByCode(deps.db, code) : undefined;
    if (!bill) {
      return payPage(c, code);
    }
    const form = (await c.req.parseBody({ all: true })) as Form;
    const asked = field(form, 'channel', 20);
    const channel = (SIMULATED_CHANNELS as readonly string[]).includes(asked) ? asked : 'va';
    const body = JSON.stringify({ externalId: newId('sim'), paymentCode: bill.payment_code, amount: bill.amount, channel, paidAt: deps.clock.now().toISOString() });
    const res = await p.dispatch(
      new Request(new URL('/api/v1/payments/notifications', c.req.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': hmacSha256Hex(deps.config.paymentWebhookSecret, body) },
        body,
      }),
    );
    const outcome = (await res.json().catch(() => ({}))) as { status?: string; reason?: string; code?: string };
    if (res.status !== 200 || outcome.status !== 'applied') {
      return payPage(c, code, fill(messagesFor(c.get('lang')).pay.simFailed, { detail: outcome.reason ?? outcome.code ?? String(res.status) }));
    }
    return c.redirect(`/bayar/${bill.payment_code}`, 303);
  });
}
