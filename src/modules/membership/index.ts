/**
 * The membership module's facade: participants, coverage and status, sign-in, the member's bills and card, and their routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { memberAccountView, type MemberAccountView } from './account-view.js';
export { firstBillStartMonth } from './domain/cover-start.js';
export { billableMonthsStart, membershipStatus, type MembershipStatus } from './domain/membership-status.js';
export { type CardData, getCard, issueMemberBill, requestLoginOtp, sessionChoices, switchParticipant, verifyCardToken, verifyLoginOtp } from './member.js';
export { authRoutes, meRoutes, staffRoutes } from './membership.routes.js';
export { coverageAt, coveredThroughOf, findParticipantByKpj, findParticipantByNik, findParticipantByNikHash, getMemberSummary, type MemberSummary, type ParticipantMatch, type ParticipantSearch, searchParticipants, summarizeParticipant } from './participants.js';
export { recordStatusChangesBatch } from './status-changes.js';
export { memberReceiptPdf } from './receipt.js';
export { changeMemberData, type ChangeActor, incomeHistory, memberProfile, type MemberProfile, termsForMonth } from './data-change.js';
export { confirmEmailChange, confirmPhoneChange, phoneChangeTriesLeft, startEmailChange, startPhoneChange, verifyIdentity } from './contact-change.js';
export { dataChangeRoutes, dataChangeStaffRoutes } from './data-change.routes.js';
export { REQUIRED_PROGRAMS } from './domain/data-change.js';
export { fundingForMonth, FundingChangeError, type FundingInMonth, setFunding, type SetFundingInput } from './funding.js';
export { fundingHistory, fundingPlanOf, type FundingRow } from './funding-history.js';
export { FUNDING_KINDS, type FundedBy, fundedBy, memberFunding, type MemberFunding } from './funding-view.js';
export { fundingStaffRoutes } from './funding.routes.js';
export { setFundingMany, type SetFundingOutcome } from './funding-many.js';
