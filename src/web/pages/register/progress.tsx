import { registrationStep } from '../../../modules/registration/index.js';
import type { PortalPage } from '../../context.js';
import { messagesFor } from '../../i18n/messages.js';
import { messagePage, REG_ID, unknownRegistration } from './shared.js';
import { verifyPage } from './step-verify.js';

/**
 * The registration's own page (GET /daftar/{id}): where it stands decides what it shows or where it sends the
 * person: verify (step 3), choose programs (step 4), pay the open first bill, or done.
 */
export const registrationProgress: PortalPage = (app, p) => {
  app.get(`/daftar/${REG_ID}`, async (c) => {
    const id = c.req.param('id');
    const at = await registrationStep(p.deps, id, p.deps.clock.now());
    switch (at.step) {
      case 'unknown':
        return unknownRegistration(c, p);
      case 'verify':
        return verifyPage(c, p, at.registration, {});
      case 'completed': {
        const m = messagesFor(c.get('lang')).register;
        return messagePage(c, p, { title: m.completedTitle, body: m.completedBody, href: '/masuk', link: m.completedLogin });
      }
      case 'pay':
        return c.redirect(`/bayar/${at.paymentCode}`, 303);
      case 'program':
        return c.redirect(`/daftar/${id}/program${at.billExpired ? '?kedaluwarsa=1' : ''}`, 303);
    }
  });
};
