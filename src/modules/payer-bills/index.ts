/**
 * The payer-bills module's facade (issue 17): collective bills — ONE payment code for many members' bills (a partner's
 * enrolment batch, a payer's monthly roster, a government invoice), settled through the settlement engine and fanned
 * out to every member bill by a job (docs/architecture.md "Collective bills").
 * Other modules, src/web and the composition root import this module only through this file.
 */
export { type OpenedPayerBill, openPayerBill, type OpenPayerBillInput, payerBillView, type PayerBillView } from './payer-bills.js';
export { isPayerPaymentCode, type PayerBillStatusView } from './domain/payer-bill-rules.js';
