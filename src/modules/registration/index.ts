/**
 * The registration module's facade: the registration use cases and routes, and Formulir 1A (the printed form of a web
 * draft, and the counter's look-up of a draft by its form code: findDraftByFormCode, draftNikMatches).
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { getRegistration, type RegistrationStep, registrationStep } from './registration-progress.js';
export { registrationRoutes } from './registration.routes.js';
export { registrationDraftRoutes } from './form-1a.routes.js';
export { type ApplicantInput, type AssistedBy, cancelRegistration, checkApplicant, createRegistration, type RegistrationChannel, type RegistrationInput, type RegistrationRejection, resendRegistrationOtp, submitRegistration, type SubmitRejection, verificationComplete, verifyRegistrationEmail, verifyRegistrationPhone } from './registration.js';
export { formatFormCode, FORM_CODE_LIFETIME_DAYS, normalizeFormCode } from './domain/form-code.js';
export { closeSupersededDrafts, draftNikMatches, findDraftByFormCode, type FormOneARejection, formOneAPdf } from './form-1a.js';
export type { FormOneADraft } from './form-1a-pdf.js';
export { enrolMany, type EnrolManyOptions, type EnrolManyRow, type EnrolOutcome, prepareEnrolment, type PreparedEnrolment } from './enrol-many.js';
export { duplicatesInBatch, type EnrolmentRejection, type EnrolmentRow } from './domain/enrolment-row.js';
export { registrationOtpTriesLeft, requestResumeOtp, RESUME_WINDOW_DAYS, type ResumeRequest, verifyResumeOtp } from './resume.js';
export { type ApplicantFields, type ApplicantProblem, applicantProblems } from './domain/applicant-problems.js';
