/**
 * The claims module's facade (issue 15 item 4). So far the PURE rules only: eligibility (every failed condition, in
 * Indonesian, with what to do), benefit lines, the claim state machine and the claims rule book. Other modules, src/web
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
