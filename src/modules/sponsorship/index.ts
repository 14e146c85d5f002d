/**
 * The sponsorship module's facade (Sertakan, issue 17 item 4): a signed-in member sponsors workers — registers a new
 * one through the registration module's use cases (funding 'sponsor') or names an existing member by KPJ — the worker
 * consents by OTP on /sertakan/setuju/{token}, the sponsor pays chosen months through THE member bill path, and either
 * side can end it (the worker takes over, the sponsor stops). Other modules, src/web and the composition root import
 * this module only through this file.
 */
export { type ConsentRejection, type ConsentRequest, consentRequest, type Consented, giveConsent, resendConsentCode } from './consent.js';
export { actionAllowed, CONSENT_TEXT_VERSION, type EndedReason, type SponsorAction, type SponsorshipStatus } from './domain/sponsorship-rules.js';
export { activeSponsorshipOfWorker, sponsorBill, stopSponsorship, takeOver } from './manage.js';
export { listSponsorships, type PayableBill, type SponsorshipView } from './sponsorship-store.js';
export { sponsorshipJson, sponsorshipRoutes } from './sponsorship.routes.js';
export { type SponsorPlan, type SponsorRequest, sponsorWorker, type WorkerForm } from './start.js';
