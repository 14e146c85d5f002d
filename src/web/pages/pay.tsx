import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { findBillToPay, type BillToPay } from '../../modules/contributions/index.js';
import { formatKpj, qrPng, qrSvg } from '../../modules/cards/index.js';
import { billQrisPayload } from '../../modules/payments/index.js';
import { accessibleQrSvg } from '../components/qr.js';
import { QuoteTable } from '../components/quote-table.js';
import type { PortalContext, PortalDeps, PortalPage } from '../context.js';
import { fill, type Lang } from '../i18n/catalogue.js';
import { formatInstant, formatMonth, rupiah } from '../i18n/format.js';
import { messagesFor, type Messages } from '../i18n/messages.js';
import { renderPage } from '../layout.js';
import { receiptPath } from './member/receipt.js';

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

/**
 * The payment code as people copy it on the same phone (issue 18 item 8): large, monospace, in groups of four, and
 * selectable text; the copy button appears only where the clipboard works (lindung.js, data-copy) and copies the
 * bare digits.
 */
function PaymentCode(props: { m: Messages; code: string }) {
  const t = props.m.money;
  return (
    <>
      <p class="code paycode" id="kode-bayar">
        {formatPaymentCode(props.code)}
      </p>
      <p class="copy-row">
        <button type="button" class="btn-secondary" data-copy={props.code} data-copy-status="kode-disalin" data-copied-text={t.copied} hidden>
          {t.copyCode}
        </button>
        <span role="status" id="kode-disalin" class="hint" />
      </p>
      <p class="hint">{t.copyHint}</p>
    </>
  );
}

/**
 * A bill's code and amount first, full width (the code on one line): on the open page with the copy button, and
 * whose and which months after the QRIS; on a closed page the code only, with whose and which months under it.
 */
function BillTop(props: { m: Messages; toPay: BillToPay; open: boolean }) {
  const t = props.m.pay;
  return (
    <div class="card pay-top">
      <p class="pay-label">{t.code}</p>
      {props.open ? <PaymentCode m={props.m} code={props.toPay.bill.payment_code} /> : <p class="code paycode">{formatPaymentCode(props.toPay.bill.payment_code)}</p>}
      <p class="pay-label">{t.amount}</p>
      <p class="big">{rupiah(props.toPay.bill.amount)}</p>
    </div>
  );
}

function OwnerAndMonths(props: { m: Messages; lang: Lang; toPay: BillToPay }) {
  const t = props.m.pay;
  return (
    <dl class="facts">
      <dt>{t.forName}</dt>
      <dd>{props.toPay.ownerName}</dd>
      <dt>{t.months}</dt>
      <dd>{monthsText(props.toPay.months, props.lang)}</dd>
    </dl>
  );
}

/**
 * The QRIS right under the amount, never folded away (issue 18 item 8), and "Simpan QRIS": the same code as a PNG
 * download, for paying from a banking or e-wallet app on this same phone (Scan → from the gallery).
 */
function QrisBox(props: { m: Messages; code: string; svg: string; devNote: boolean }) {
  const t = props.m.money;
  return (
    <section aria-labelledby="qris" class="qris-box">
      <h2 id="qris">{t.qrisHeading}</h2>
      <div class="qr">{raw(props.svg)}</div>
      <p>
        <a class="btn btn-secondary" href={`/bayar/${props.code}/qris.png`} download={`qris-${props.code}.png`}>
          {t.saveQr}
        </a>
      </p>
      <p class="hint">{t.saveQrHint}</p>
      {props.devNote ? <p class="hint">{props.m.pay.qrisDevNote}</p> : null}
    </section>
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

/**
 * How to pay through each channel. The QRIS itself is above (QrisBox). E-wallet links: none, because no payment
 * channel Lindung has gives one — the channels only notify payments (src/modules/payments/channels) and create no
 * charge with a provider's deep link; the e-wallet steps and the saved QRIS image are the way on the same phone.
 */
function HowToPay(props: { m: Messages; params: { code: string; amount: string; banks: string }; hasQris: boolean }) {
  const { params } = props;
  const t = props.m.pay;
  return (
    <>
      <h2>{t.howTitle}</h2>
      <p>{t.howIntro}</p>
      <Channel open title={t.vaTitle} steps={[fill(t.va1, params), t.va2, fill(t.va3, params), fill(t.va4, params)]} />
      {props.hasQris ? <Channel title={t.qrisTitle} steps={[t.qris1, fill(t.qris2, params), t.qris3]} /> : null}
      <Channel title={t.ewalletTitle} steps={[t.ewallet1, fill(t.ewallet2, params), fill(t.ewallet3, params)]} />
      <Channel title={t.retailTitle} steps={[t.retail1, fill(t.retail2, params), fill(t.retail3, params)]} />
    </>
  );
}

/** The paid page's KPJ, big and on one line (issue 18 item 7), and the receipt: downloaded when signed in, else where to find it. */
function PaidParts(props: { m: Messages; toPay: BillToPay; signedIn: boolean }) {
  const t = props.m.money;
  return (
    <>
      {props.toPay.kpj ? (
        <section class="card kpj-box" aria-labelledby="kpj">
          <h2 id="kpj">{t.kpjTitle}</h2>
          <p class="kpj">{formatKpj(props.toPay.kpj)}</p>
          <p class="hint">{t.kpjHint}</p>
        </section>
      ) : null}
      {props.signedIn ? (
        <p>
          <a class="btn btn-secondary" href={receiptPath(props.toPay.bill.id)} download>
            {t.receiptDownload}
          </a>
        </p>
      ) : (
        <p>{t.receiptSignIn}</p>
      )}
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
        {paid ? <PaidParts m={m} toPay={toPay} signedIn={c.get('sessionToken') !== undefined} /> : null}
        <BillTop m={m} toPay={toPay} open={false} />
        <OwnerAndMonths m={m} lang={lang} toPay={toPay} />
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
        <BillTop m={m} toPay={toPay} open />
        {qrisSvg ? <QrisBox m={m} code={bill.payment_code} svg={qrisSvg} devNote={deps.config.isDevelopment} /> : null}
        <OwnerAndMonths m={m} lang={lang} toPay={toPay} />
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
        <HowToPay m={m} params={params} hasQris={qrisSvg !== null} />
        {p.dev?.paySimulator(c, { paymentCode: bill.payment_code, amount: bill.amount }) ?? null}
      </>
    ),
  });
}

/** "Simpan QRIS": an open bill's QRIS as a PNG download (404 for a closed or unknown bill, or without a QRIS). */
async function qrisPng(c: PortalContext, p: PortalDeps, code: string) {
  const toPay = await findBillToPay(p.deps, code, p.deps.clock.now());
  const qris = toPay?.status === 'open' ? billQrisPayload(p.deps, { paymentCode: toPay.bill.payment_code, amount: toPay.bill.amount }) : null;
  if (!toPay || !qris) {
    return unknownBillPage(c, p);
  }
  return c.body(new Uint8Array(await qrPng(qris, 8)), 200, {
    'content-type': 'image/png',
    'content-disposition': `attachment; filename="qris-${toPay.bill.payment_code}.png"`,
    'cache-control': 'private, no-store',
  });
}

/** The pay page (GET /bayar/{code}) and its QRIS image (/bayar/{code}/qris.png); in development src/dev adds its simulator's POST. */
export const payRoutes: PortalPage = (app, p) => {
  app.get('/bayar/:code', (c) => {
    // The development simulator's failed payment, after its redirect (src/dev/portal-simulators.tsx).
    const failed = p.deps.config.isDevelopment ? c.req.query('gagal') : undefined;
    const problem = failed ? fill(messagesFor(c.get('lang')).pay.simFailed, { detail: failed.slice(0, 80) }) : undefined;
    return renderPayPage(c, p, c.req.param('code'), problem);
  });
  app.get('/bayar/:code/qris.png', (c) => qrisPng(c, p, c.req.param('code')));
};
