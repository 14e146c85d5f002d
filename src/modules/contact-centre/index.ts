/**
 * The contact-centre module's facade (layanan pelanggan, issue 16): a member's timeline, the contact centre's actions
 * (resend the card, resend the payment code, unlock the OTP), complaint tickets (pengaduan) with their SLA, and their
 * routes. The search itself is membership's GET /staff/participants (by NIK, phone, KPJ, or name + birth date).
 * Other modules, src/web, the composition root and the jobs import this module only through this file.
 */
export { type ActionBy, resendCard, resendPaymentCode, unlockOtp } from './actions.js';
export { type ComplaintView, listComplaints, openComplaint, resolveComplaint } from './complaints.js';
export { contactCentreRoutes } from './contact-centre.routes.js';
export { COMPLAINT_CATEGORIES, COMPLAINT_SLA_WORKING_DAYS, type ComplaintCategory, slaDueAt } from './domain/sla.js';
export { memberTimeline, type TimelineEvent, type TimelineKind, type TimelinePage } from './timeline.js';
