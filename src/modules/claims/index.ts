/**
 * The claims module's facade (issue 15 item 4): the PURE rules (eligibility — every failed condition, in Indonesian,
 * with what to do —, benefit lines, the claim state machine and the claims rule book), and the use cases and routes:
 * filing (filing.ts), the officers' transitions and the approval's money (review.ts, payout-create.ts), the views and
 * the queue (claim-view.ts), and the payouts of approved claims (payout-*.ts: job, callbacks, staff re-issue). Other
 * modules, src/web and the composition root import this module only through this file.
 */
export {
  BENEFIT_LINES,
  type BenefitLine,
  type BenefitLineName,
  type ChildFacts,
  type JkkAssessment,
  JKK_OUTCOMES,
  type JkkOutcome,
  jhtLines,
  jkkLines,
  jkkScholarshipApplies,
  jkmLines,
  linesTotal,
  scholarshipLines,
  stmbAmount,
} from './domain/benefit-lines.js';
export { type ClaimAction, type ClaimState, type ClaimStatus, CLAIM_STATUSES, isFinal, isOpen, newClaimState, transition, type TransitionRejection } from './domain/claim-state.js';
export { claimDocumentsView, type ClaimDocument, type ClaimDocumentsView } from './claim-documents.js';
export { claimDocumentRoutes, isClaimDocumentUploadPath } from './documents.routes.js';
export {
  type ClaimDocumentFacts,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  type DocumentKind,
  documentKindLabel,
  missingDocuments,
  requiredDocuments,
} from './domain/required-documents.js';
export { type ClaimRuleBook, type ClaimRules, defaultClaimRuleBook, SCHOOL_LEVELS, type SchoolLevel } from './domain/claims-rule-book.js';
export {
  type Channel,
  type CoverageAnswer,
  type Eligibility,
  type EligibilityCode,
  type Failure,
  type Flag,
  JHT_REASONS,
  type JhtReason,
  jhtEligibility,
  jkkEligibility,
  jkmEligibility,
} from './domain/eligibility.js';
export { CLAIM_RULE_TEXTS } from './domain/texts.js';
export { claimQueue, type ClaimView, memberClaims, memberClaimView, staffClaimView } from './claim-view.js';
export { memberClaimRoutes, staffClaimRoutes } from './claims.routes.js';
export { type BankAccount, ClaimRefusal, type ClaimType, fileClaim, type FileClaimInput, notifyClaimStatus, recordClaimEvent } from './filing.js';
export { createPayout } from './payout-create.js';
export { approveClaim, rejectClaim, resubmitClaim, verifyClaim } from './review.js';
// Payouts (issue 15 item 5): the job that sends approved claims' money, the provider's callback, staff re-issue.
export { PAYOUT_POLICY, payoutsDue, runPayouts, type PayoutRunCounts } from './payout-job.js';
export { payoutCallbackRoutes, payoutStaffRoutes } from './payout.routes.js';
// The member's claim pages (issue 15 item 6, src/web/pages/member/claims-*.tsx): the JHT checks and amount, a claim with its documents, uploads.
export { fileOwnClaim, jhtClaimPreview, jhtClaimStart, type JhtClaimPreview, memberClaimWithDocuments, uploadMemberClaimDocument } from './member-claims.js';
// The staff console's claims pages (src/web/staff): the queue's counts, the document bytes, the payouts for finance.
export { claimStatusCounts } from './claim-counts.js';
export { readClaimDocument } from './claim-documents.js';
export { maskAccount } from './payout-settle.js';
export { getPayout, listPayouts, PAYOUT_STATUSES, type PayoutStatus, type PayoutView, retryPayout } from './payout-staff.js';
