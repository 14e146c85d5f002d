import type { Migration } from 'kysely/migration';
import * as initial from './2026-11-22T0100-initial.js';
import * as settlePayment from './2026-11-22T0200-settle-payment-function.js';
import * as jobs from './2026-11-22T0300-jobs.js';
import * as collectionKinds from './2026-11-22T0400-collection-kinds.js';
import * as wallet from './2026-11-22T0410-wallet.js';
import * as autodebitDues from './2026-11-22T0420-autodebit-dues.js';
import * as reconciliation from './2026-11-22T0430-reconciliation.js';
import * as outboxRecipientIndex from './2026-12-02T0100-outbox-recipient-index.js';
import * as applyPaymentsBatch from './2026-12-06T0100-apply-payments-batch.js';
import * as otpPhoneDay from './2026-12-07T0200-otp-phone-day.js';
import * as rateLimit from './2026-12-07T0300-rate-limit.js';
import * as holidayCalendar from './2026-12-07T0500-holiday-calendar.js';
import * as settlementRuleFidelity from './2026-12-07T0400-settlement-rule-fidelity.js';
import * as functionSources from './2026-12-07T0610-function-sources.js';
import * as ledgerAndBillChecks from './2026-12-07T0620-ledger-and-bill-checks.js';
import * as staffAccounts from './2026-12-07T1000-staff-accounts.js';
import * as claims from './2026-12-07T1200-claims.js';
import * as claimDocumentOnce from './2026-12-07T1230-claim-document-once.js';
import * as heirs from './2026-12-07T1240-heirs.js';
import * as memberDataChange from './2026-12-07T1510-member-data-change.js';
import * as claimNpwpVerification from './2026-12-07T1300-claim-npwp-verification.js';
import * as dashboardIndexes from './2026-12-07T1430-dashboard-indexes.js';
import * as servicePoints from './2026-12-07T1440-service-points.js';
import * as nikAtRest from './2026-12-07T1500-nik-at-rest.js';
import * as counterRegistration from './2026-12-07T1520-counter-registration.js';
import * as dashboardRollup from './2026-12-07T1540-dashboard-rollup.js';
import * as occupations from './2026-12-07T1540-occupations.js';
import * as contactCentre from './2026-12-07T1420-contact-centre.js';
import * as jhtReturns from './2026-12-07T1100-jht-returns.js';
import * as counterQueue from './2026-12-07T1410-counter-queue.js';
import * as registrationFormCode from './2026-12-07T1530-registration-form-code.js';
import * as branches from './2026-12-07T1600-branches.js';
import * as fundingPartner from './2026-12-07T1700-funding-partner.js';
import * as participantFunding from './2026-12-07T1701-participant-funding.js';
import * as partners from './2026-12-07T1710-partners.js';
import * as payerBills from './2026-12-07T1720-payer-bills.js';
import * as webhooks from './2026-12-07T1730-webhooks.js';
import * as agents from './2026-12-07T1740-agents.js';
import * as sponsorship from './2026-12-07T1760-sponsorship.js';
import * as agentIncentives from './2026-12-07T1810-agent-incentives.js';
import * as sponsorshipClosing from './2026-12-07T1960-sponsorship-closing.js';
import * as rosterPayerIndex from './2026-12-08T0100-roster-payer-index.js';
import * as rosterUploads from './2026-12-08T0101-roster-uploads.js';
import * as billSubmitToken from './2026-12-08T0200-bill-submit-token.js';
import * as otpResumePurpose from './2026-12-08T0400-otp-resume-purpose.js';
import * as branchAddress from './2026-12-08T0700-branch-address.js';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '2026-11-22T0100-initial': initial,
  '2026-11-22T0200-settle-payment-function': settlePayment,
  '2026-11-22T0300-jobs': jobs,
  '2026-11-22T0400-collection-kinds': collectionKinds,
  '2026-11-22T0410-wallet': wallet,
  '2026-11-22T0420-autodebit-dues': autodebitDues,
  '2026-11-22T0430-reconciliation': reconciliation,
  '2026-12-02T0100-outbox-recipient-index': outboxRecipientIndex,
  '2026-12-06T0100-apply-payments-batch': applyPaymentsBatch,
  '2026-12-07T0200-otp-phone-day': otpPhoneDay,
  '2026-12-07T0300-rate-limit': rateLimit,
  '2026-12-07T0500-holiday-calendar': holidayCalendar,
  '2026-12-07T0400-settlement-rule-fidelity': settlementRuleFidelity,
  '2026-12-07T0610-function-sources': functionSources,
  '2026-12-07T0620-ledger-and-bill-checks': ledgerAndBillChecks,
  '2026-12-07T1000-staff-accounts': staffAccounts,
  '2026-12-07T1100-jht-returns': jhtReturns,
  '2026-12-07T1200-claims': claims,
  '2026-12-07T1230-claim-document-once': claimDocumentOnce,
  '2026-12-07T1240-heirs': heirs,
  '2026-12-07T1300-claim-npwp-verification': claimNpwpVerification,
  '2026-12-07T1410-counter-queue': counterQueue,
  '2026-12-07T1420-contact-centre': contactCentre,
  '2026-12-07T1430-dashboard-indexes': dashboardIndexes,
  '2026-12-07T1440-service-points': servicePoints,
  '2026-12-07T1500-nik-at-rest': nikAtRest,
  '2026-12-07T1510-member-data-change': memberDataChange,
  '2026-12-07T1520-counter-registration': counterRegistration,
  '2026-12-07T1530-registration-form-code': registrationFormCode,
  '2026-12-07T1540-dashboard-rollup': dashboardRollup,
  '2026-12-07T1540-occupations': occupations,
  '2026-12-07T1600-branches': branches,
  '2026-12-07T1700-funding-partner': fundingPartner,
  '2026-12-07T1701-participant-funding': participantFunding,
  '2026-12-07T1710-partners': partners,
  '2026-12-07T1720-payer-bills': payerBills,
  '2026-12-07T1730-webhooks': webhooks,
  '2026-12-07T1740-agents': agents,
  '2026-12-07T1760-sponsorship': sponsorship,
  '2026-12-07T1810-agent-incentives': agentIncentives,
  '2026-12-07T1960-sponsorship-closing': sponsorshipClosing,
  '2026-12-08T0100-roster-payer-index': rosterPayerIndex,
  '2026-12-08T0101-roster-uploads': rosterUploads,
  '2026-12-08T0200-bill-submit-token': billSubmitToken,
  '2026-12-08T0400-otp-resume-purpose': otpResumePurpose,
  '2026-12-08T0700-branch-address': branchAddress,
};
