/**
 * The rosters module's facade (issue 17 items 2 and 3): a payer's roster (the members whose funding in force names
 * it), ONE invoice per payer and period (a collective bill over one member bill each, opened by the monthly job
 * `roster-bills:<YYYY-MM>`), leaving the roster (self-paying, told, webhook), and the staff view of invoices.
 * Other modules, src/web, the composition root and the jobs import this module only through this file.
 */
export { invoiceView, type InvoiceView, openRosterInvoice, payerInvoices, type RosterInvoiceOutcome } from './invoices.js';
export { leaveRoster, type LeftRoster } from './leave.js';
export { payerOfMonth, rosterMembers, type RosterMember } from './roster.js';
export { invoiceId, invoiceMembersCsv, ROSTER_JOB_KIND, rosterJobId } from './domain/roster-rules.js';
export { ROSTERS_PATH, rosterPartnerRoutes, rosterStaffRoutes } from './rosters.routes.js';
export { processRosterUpload, type RosterChunkWriter, rosterUploadView, type RosterUploadView, submitRosterUpload, unfinishedRosterUploads } from './upload.js';
export { ROSTER_COLUMNS, rosterUploadFromCsv } from './domain/roster-upload.js';
