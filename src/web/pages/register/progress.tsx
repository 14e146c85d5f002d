import { registrationStep } from '../../../modules/registration/index.js';
import type { PortalPage } from '../../context.js';
import { messagesFor } from '../../i18n/messages.js';
import { messagePage, readPlan, REG_ID, type RegistrationPlan, unknownRegistration } from './shared.js';
import { verifyPage } from './step-verify.js';

/** The simulator's income, programs and months as step 4's query (its recalculation's fields: penghasilan, program, bulan). */
function planQuery(plan: RegistrationPlan): string {
  const q = new URLSearchParams();
  q.set('penghasilan', plan.incomeText);
  for (const pr of plan.programs) q.append('program', pr);
  q.set('bulan', String(plan.months));
  return q.toString();
}

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
      case 'program': {
        const plan = at.billExpired ? null : readPlan(c, p);
        const carried = plan && plan.incomeText !== '' ? plan : null;
        return c.redirect(`/daftar/${id}/program${at.billExpired ? '?kedaluwarsa=1' : carried ? `?${planQuery(carried)}` : ''}`, 303);
      }
    }
  });
};
