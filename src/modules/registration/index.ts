/**
 * The registration module's facade: the registration use cases and routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { getRegistration, type RegistrationStep, registrationStep } from './registration-progress.js';
export { registrationRoutes } from './registration.routes.js';
export { type ApplicantInput, type AssistedBy, checkApplicant, createRegistration, type RegistrationChannel, type RegistrationInput, type RegistrationRejection, resendRegistrationOtp, submitRegistration, type SubmitRejection, verificationComplete, verifyRegistrationEmail, verifyRegistrationPhone } from './registration.js';
