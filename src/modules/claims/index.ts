/**
 * The claims module's facade (issue 15 item 4). The PURE rules: eligibility (every failed condition, in
 * Indonesian, with what to do), benefit lines, the claim state machine and the claims rule book; and the payouts of approved claims (payout-*.ts). Other modules, src/web
 * and the composition root import this module only through this file.
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
// Payouts (issue 15 item 5): the job that sends approved claims' money, the provider's callback, staff re-issue.
export { PAYOUT_POLICY, payoutsDue, runPayouts, type PayoutRunCounts } from './payout-job.js';
export { payoutCallbackRoutes, payoutStaffRoutes } from './payout.routes.js';
