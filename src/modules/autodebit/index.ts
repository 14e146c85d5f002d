/**
 * The autodebit module's facade: the auto-debit routes, mandates, the DebitProvider port and the collection steps the jobs run.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { autodebitRoutes } from './autodebit.routes.js';
export { type AttemptContext, AUTODEBIT_POLICY, chargeOne, countActiveMandates, mapBounded, prepareCharges, queueAttempts, recordResults } from './collect.js';
export { createDevDebitProvider, DEBIT_PROVIDERS, type DebitProvider } from './debit-provider.js';
export { type AttemptView, listMandates, listMemberAttempts, type MandateView, registerMandate, revokeMandate } from './mandates.js';
