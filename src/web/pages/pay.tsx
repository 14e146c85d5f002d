import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { findBillToPay, type BillToPay } from '../../modules/contributions/index.js';
import { qrSvg } from '../../modules/cards/index.js';
import { billQrisPayload } from '../../modules/payments/index.js';
import { accessibleQrSvg } from '../components/qr.js';
import { QuoteTable } from '../components/quote-table.js';
import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

/** Banks named in the virtual-account instructions (the ones whose BPJS Ketenagakerjaan menus the seeds mention). */
const VA_BANKS = 'BNI, BRI, Mandiri, BSI, BCA';

/** '8123456789012345' → '8123 4567 8901 2345': read out and typed in groups of four. */
export function formatPaymentCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

function remaining(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function monthsText(months: BillToPay['months'], lang: Lang): string {
  const first = formatMonth(months[0]?.month ?? '', lang);
  return months.length === 1 ? first : `${first} – ${formatMonth(months.at(-1)?.month ?? '', lang)}`;
}

function BillSummary(props: { m: Messages; lang: Lang; toPay: BillToPay }) {
  const t = props.m.pay;
  return (
    <dl class="facts card">
      <dt>{t.code}</dt>
      <dd class="code">{formatPaymentCode(props.toPay.bill.payment_code)}</dd>
      <dt>{t.amount}</dt>
      <dd class="big">{rupiah(props.toPay.bill.amount)}</dd>
      <dt>{t.forName}</dt>
      <dd>{props.toPay.ownerName}</dd>
      <dt>{t.months}</dt>
      <dd>{monthsText(props.toPay.months, props.lang)}</dd>
    </dl>
  );
}

/** One way to pay: a collapsible list of steps (the first one open). */
function Channel(props: { title: string; steps: string[]; open?: boolean; children?: Child }) {
  const steps = (
    <ol class="howto">
      {props.steps.map((s) => (
        <li>{s}</li>
      ))}
    </ol>
  );
  return (
    <details open={props.open}>
      <summary>{props.title}</summary>
      {steps}
      {props.children}
    </details>
  );
}

/** How to pay through each channel, with the QRIS code when there is one to show. */
function HowToPay(props: { m: Messages; params: { code: string; amount: string; banks: string }; qrisSvg: string | null; devNote: boolean }) {
  const { params } = props;
  const t = props.m.pay;
  return (
    <>
      <h2>{t.howTitle}</h2>
      <p>{t.howIntro}</p>
      <Channel open title={t.vaTitle} steps={[fill(t.va1, params), t.va2, fill(t.va3, params), fill(t.va4, params)]} />
      <Channel title={t.qrisTitle} steps={[t.qris1, fill(t.qris2, params), t.qris3]}>
        {props.qrisSvg ? <div class="qr">{raw(props.qrisSvg)}</div> : null}
        {props.devNote ? <p class="hint">{t.qrisDevNote}</p> : null}
      </Channel>
      <Channel title={t.ewalletTitle} steps={[t.ewallet1, fill(t.ewallet2, params), fill(t.ewallet3, params)]} />
      <Channel title={t.retailTitle} steps={[t.retail1, fill(t.retail2, params), fill(t.retail3, params)]} />
    </>
  );
}

/** A paid, expired or cancelled bill: what happened, the bill, and where to go next. */
function closedBillPage(c: PortalContext, p: PortalDeps, toPay: BillToPay) {
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.pay;
  const { bill, status } = toPay;
  const paid = status === 'paid';
  const title = paid ? t.paidTitle : status === 'expired' ? t.expiredTitle : t.cancelledTitle;
  const notice = paid ? (bill.kind === 'first' ? t.paidFirst : t.paidRenewal) : status === 'expired' ? t.expiredBody : t.cancelledBody;
  const again = bill.kind === 'first' && bill.registration_id ? `/daftar/${bill.registration_id}/program?kedaluwarsa=1` : '/akun';
  const [href, label] = paid ? [c.get('sessionToken') !== undefined ? '/akun' : '/masuk', t.goAccount] : [again, bill.kind === 'first' ? t.newCodeFirst : t.newCodeRenewal];
  return renderPage(c, p, {
    title,
    ...(paid ? {} : { status: 409 as const }),
    body: (
      <>
        <h1>{title}</h1>
        <p class={paid ? 'notice' : 'notice notice-warn'} role="status">
          {notice}
        </p>
        <BillSummary m={m} lang={lang} toPay={toPay} />
        <p>
          <a class="btn" href={href}>
            {label}
          </a>
        </p>
      </>
    ),
  });
}

function unknownBillPage(c: PortalContext, p: PortalDeps) {
  const t = messagesFor(c.get('lang')).pay;
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

/**
 * The pay page of a payment code: unknown, closed (paid, expired, cancelled), or open with the countdown, the
 * amount per program and how to pay; `problem` (409) is what went wrong with the last try (the simulator's).
 */
export async function renderPayPage(c: PortalContext, p: PortalDeps, code: string, problem?: string) {
  const { deps } = p;
  const now = deps.clock.now();
  const toPay = await findBillToPay(deps, code, now);
  if (!toPay) {
    return unknownBillPage(c, p);
  }
  if (toPay.status !== 'open') {
    return closedBillPage(c, p, toPay);
  }
  const lang = c.get('lang');
  const m = messagesFor(lang);
  const t = m.pay;
  const { bill } = toPay;
  const params = { code: formatPaymentCode(bill.payment_code), amount: rupiah(bill.amount), banks: VA_BANKS };
  const qris = billQrisPayload(deps, { paymentCode: bill.payment_code, amount: bill.amount });
  const qrisSvg = qris ? accessibleQrSvg(await qrSvg(qris), fill(t.qrisImage, params)) : null;
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
        <BillSummary m={m} lang={lang} toPay={toPay} />
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
        <QuoteTable m={m} lang={lang} quote={{ months: toPay.months, total: bill.amount }} caption={t.months} />
        <HowToPay m={m} params={params} qrisSvg={qrisSvg} devNote={deps.config.isDevelopment} />
        {p.dev?.paySimulator(c, { paymentCode: bill.payment_code, amount: bill.amount }) ?? null}
      </>
    ),
  });
}

/** The pay page (GET /bayar/{code}); in development src/dev adds its simulator's POST. */
export const payRoutes: PortalPage = (app, p) => {
  app.get('/bayar/:code', (c) => renderPayPage(c, p, c.req.param('code')));
};
