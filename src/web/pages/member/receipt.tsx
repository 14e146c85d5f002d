import type { Hono } from 'hono';
import { memberReceiptPdf } from '../../../modules/membership/index.js';
import type { PortalDeps, PortalEnv } from '../../context.js';
import { messagesFor } from '../../i18n/messages.js';
import { renderPage } from '../../layout.js';
import { memberSession } from '../../member-session.js';

/** The receipt's address for a paid bill in the history (and on the paid page). */
export const receiptPath = (billId: string) => `/akun/bukti-bayar/${billId}.pdf`;

/**
 * /akun/bukti-bayar/{bill}.pdf: the signed-in member's receipt (bukti bayar) of one paid bill, downloaded (issue 18
 * item 7). Signed out → the sign-in page; someone else's bill, an unpaid or unknown one → 404, the same answer for
 * each so a bill id reveals nothing.
 */
export function registerReceiptPage(app: Hono<PortalEnv>, p: PortalDeps): void {
  const { signedIn, toSignIn } = memberSession(p);
  app.get('/akun/bukti-bayar/:file{[A-Za-z0-9_-]{1,80}\\.pdf}', async (c) => {
    const participantId = await signedIn(c);
    if (!participantId) {
      return toSignIn(c);
    }
    const file = await memberReceiptPdf(p.deps, participantId, c.req.param('file').replace(/\.pdf$/, ''));
    if (!file) {
      const t = messagesFor(c.get('lang')).money;
      const body = (
        <>
          <h1>{t.receiptNotFound}</h1>
          <p>{t.receiptNotFoundBody}</p>
          <p>
            <a href="/akun#riwayat">{t.receiptHistory}</a>
          </p>
        </>
      );
      return renderPage(c, p, { title: t.receiptNotFound, status: 404, nav: 'account', body });
    }
    return c.body(new Uint8Array(file.pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'private, no-store',
    });
  });
}
