import type { Hono } from 'hono';
import { checkReceipt, type ReceiptCheck } from '../../modules/agents/index.js';
import { TextField } from '../components/form.js';
import type { PortalContext, PortalDeps, PortalEnv } from '../context.js';
import { formatInstant, rupiah } from '../i18n/format.js';
import { messagesFor } from '../i18n/messages.js';
import { renderPage } from '../layout.js';

function outcome(c: PortalContext, check: ReceiptCheck) {
  const t = messagesFor(c.get('lang')).receiptCheck;
  if (!check.valid) return <p role="alert">{t.invalid}</p>;
  return (
    <section class="card" aria-live="polite">
      <p role="status">{t.valid}</p>
      <dl>
        <dt>{t.amount}</dt>
        <dd>{rupiah(check.amount ?? 0)}</dd>
        <dt>{t.months}</dt>
        <dd>{String(check.months ?? '')}</dd>
        <dt>{t.kpj}</dt>
        <dd>{check.kpjMasked ?? ''}</dd>
        <dt>{t.receivedAt}</dt>
        <dd>{check.receivedAt ? formatInstant(new Date(check.receivedAt), c.get('lang')) : ''}</dd>
      </dl>
    </section>
  );
}

/**
 * The public receipt check (issue 17 item 5): /kuitansi?no=…&kode=… — a GET form (no JavaScript, no sign-in) where a
 * worker types the receipt number and the check code from the agent's receipt SMS; valid → the amount, the months,
 * the KPJ's last 4 digits, when the money reached the system (checkReceipt; a wrong code and an unknown number alike).
 */
export function receiptCheckRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  app.get('/kuitansi', async (c) => {
    const t = messagesFor(c.get('lang')).receiptCheck;
    const no = (c.req.query('no') ?? '').slice(0, 40);
    const code = (c.req.query('kode') ?? '').slice(0, 16);
    const check = no !== '' || code !== '' ? await checkReceipt(p.deps.db, no, code) : null;
    return renderPage(c, p, {
      title: t.title,
      body: (
        <>
          <h1>{t.title}</h1>
          <p>{t.intro}</p>
          <form method="get" action="/kuitansi" class="card" novalidate>
            <TextField name="no" label={t.receiptNo} hint={t.receiptNoHint} value={no} maxlength={40} autocomplete="off" />
            <TextField name="kode" label={t.code} value={code} maxlength={16} autocomplete="off" />
            <button type="submit">{t.submit}</button>
          </form>
          {check ? outcome(c, check) : null}
        </>
      ),
    });
  });
}
